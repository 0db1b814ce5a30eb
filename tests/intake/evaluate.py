"""`make intake-eval`: run the extraction over the corpus and the seed article and score the drafts
against the gold answers, per half (development, test) and per style, in the measures of issue 22.

Pure Python (no database). The corpus is ``tests/intake/corpus/{dev,test}/``: each article is
``<name>.txt`` with its gold answers in ``<name>.json`` (see the corpus README). The **test half is
scored, never shown line by line**: rules are tuned on the development half only (``--details``
prints its misses), so the test figures say how the rules do on articles they were not written for.

A gold quote is *found* when a direct-quote draft has its words (folded quotes, case, spacing and
closing punctuation); its speaker, date (value *and* precision) and certainty are then each right or
wrong, and it is *acceptable in one click* when all three are right. A dated deadline or event is
found when a deadline or event draft carries its date and precision; a new speaker when an actor
draft has its full name and kind; a position when a position draft has its actor and stance.

The seed article is ``$SEED_ARTICLE`` (default ``../shared/seed/000_523b97ff8a7a0c19.txt``), its gold
answers the direct quotes of ``fixtures/seed.json``, its actors the fixture's.
"""

import datetime
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from apps.intake.extract import ActorRef, Extraction, extract, quote_key

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
HALVES = ("dev", "test")
SEED_FIXTURE = ROOT / "fixtures" / "seed.json"
SEED_DEFAULT = "../shared/seed/000_523b97ff8a7a0c19.txt"
SEED_TITLE = "Donald Trump and Vladimir Putin News: What Most People Get Wrong"
# The article speaks of January 17 as "right now" (see the seed README): its day of writing.
SEED_PUBLISHED = datetime.date(2026, 1, 17)
SEED_LINK_BAIT = ("You might also like", "Related:", "See also:")
ASPECTS = ("quote", "speaker", "date", "certainty")


@dataclass
class Row:
    gold: dict
    found: dict | None
    rule: str = ""

    def right(self, aspect: str) -> bool:
        if self.found is None:
            return False
        if aspect == "quote":
            return True
        if aspect == "date":
            return (self.found["said_on"], self.found["said_on"] and self.found["date_precision"]) == (
                self.gold["said_on"],
                self.gold["said_on"] and self.gold["date_precision"],
            )
        if aspect == "one_click":
            return all(self.right(a) for a in ("speaker", "date", "certainty"))
        return self.found[aspect] == self.gold[aspect]


@dataclass
class Result:
    name: str
    rows: list[Row]
    proposed: int  # direct-quote drafts
    style: str = ""
    extra: list[dict] = field(default_factory=list)  # proposed quotes matching no gold one
    bait_drafts: list[str] = field(default_factory=list)
    actor_drafts: list[str] = field(default_factory=list)
    # (found, gold) for dated deadlines/events, new actors and positions; and what was missed
    dated: tuple[int, int] = (0, 0)
    actors: tuple[int, int] = (0, 0)
    positions: tuple[int, int] = (0, 0)
    misses: list[str] = field(default_factory=list)

    def counts(self, aspect: str) -> tuple[int, int, int]:
        right = sum(row.right(aspect) for row in self.rows)
        return right, self.proposed, len(self.rows)


def _gold_quotes(items: list) -> list[dict]:
    """Gold quotes as dicts; the corpus writes them as [text, speaker, said_on, precision, certainty]."""
    keys = ("text", "speaker", "said_on", "date_precision", "certainty")
    return [item if isinstance(item, dict) else dict(zip(keys, item, strict=True)) for item in items]


def score(name: str, text: str, extraction: Extraction, gold: dict, link_bait) -> Result:
    proposals = extraction.proposals
    quotes = [p for p in proposals if p.kind == "statement" and p.fields["kind"] == "direct_quote"]
    by_key: dict[str, list] = {}
    for proposal in quotes:
        by_key.setdefault(quote_key(proposal.fields["text"]), []).append(proposal)
    rows, used = [], set()
    for item in _gold_quotes(gold["quotes"]):
        match = next((p for p in by_key.get(quote_key(item["text"]), []) if id(p) not in used), None)
        if match is not None:
            used.add(id(match))
        rows.append(Row(item, match.fields if match else None, match.rule if match else ""))
    lines = [line for line in text.splitlines() if any(line.strip().startswith(b) or b in line for b in link_bait)]
    bait = [
        p.rule
        for p in proposals
        if any(text.find(line) <= p.start < text.find(line) + len(line) for line in lines if line)
    ]
    result = Result(
        name=name,
        rows=rows,
        proposed=len(quotes),
        style=gold.get("style", ""),
        extra=[p.fields for p in quotes if id(p) not in used],
        bait_drafts=bait,
        actor_drafts=[p.fields["slug"] for p in proposals if p.kind == "actor"],
    )
    result.dated = _match_dated(proposals, gold.get("dated", []), result.misses)
    result.actors = _match_actors(proposals, gold.get("new_actors", []), result.misses)
    result.positions = _match_positions(proposals, gold.get("positions", []), result.misses)
    return result


def _match_dated(proposals, gold: list, misses: list) -> tuple[int, int]:
    dates = []
    for p in proposals:
        if p.kind in ("deadline", "event"):
            value = p.fields.get("due_on") or p.fields.get("starts_on")
            dates.append((value, p.fields.get("date_precision")))
    found = 0
    for _kind, value, precision, note in gold:
        if (value, precision) in dates:
            dates.remove((value, precision))
            found += 1
        else:
            misses.append(f"dated {note}: {value} {precision}")
    return found, len(gold)


def _match_actors(proposals, gold: list, misses: list) -> tuple[int, int]:
    drafted = {(p.fields["name"], p.fields["kind"]) for p in proposals if p.kind == "actor"}
    found = 0
    for name, kind in gold:
        if (name, kind) in drafted:
            found += 1
        else:
            misses.append(f"new actor {name} ({kind}); drafted: {sorted(drafted)}")
    return found, len(gold)


def _match_positions(proposals, gold: list, misses: list) -> tuple[int, int]:
    drafted = [(p.fields.get("actor"), p.fields.get("stance")) for p in proposals if p.kind == "position"]
    found = 0
    for actor, stance in gold:
        if (actor, stance) in drafted:
            drafted.remove((actor, stance))
            found += 1
        else:
            misses.append(f"position {actor} {stance}")
    return found, len(gold)


def corpus_actors() -> list[ActorRef]:
    return [ActorRef(a["slug"], a["name"], a["kind"], tuple(a["aliases"])) for a in _json(CORPUS / "actors.json")]


def run_corpus(half: str = "dev") -> list[Result]:
    actors = corpus_actors()
    results = []
    for gold_path in sorted((CORPUS / half).glob("*.json")):
        gold = _json(gold_path)
        text = gold_path.with_suffix(".txt").read_text(encoding="utf-8")
        extraction = extract(
            text,
            published_on=datetime.date.fromisoformat(gold["published_on"]),
            precision=gold["precision"],
            actors=actors,
            title=gold["title"],
        )
        results.append(score(gold_path.stem, text, extraction, gold, gold["link_bait"]))
    return results


def seed_path() -> Path:
    return Path(os.environ.get("SEED_ARTICLE") or SEED_DEFAULT)


def run_seed(path: Path) -> Result:
    entries = _json(SEED_FIXTURE)
    actors = [
        ActorRef(e["fields"]["slug"], e["fields"]["name"], e["fields"]["kind"], tuple(e["fields"]["aliases"]))
        for e in entries
        if e["model"] == "actors.actor"
    ]
    gold = [
        {
            "text": e["fields"]["text"],
            "speaker": e["fields"]["speaker"][0],
            "said_on": e["fields"]["said_on"],
            "date_precision": e["fields"]["date_precision"],
            "certainty": e["fields"]["certainty"],
        }
        for e in entries
        if e["model"] == "statements.statement" and e["fields"]["kind"] == "direct_quote"
    ]
    text = path.read_text(encoding="utf-8")
    extraction = extract(text, published_on=SEED_PUBLISHED, precision="day", actors=actors, title=SEED_TITLE)
    return score("seed", text, extraction, {"quotes": gold, "style": "seed"}, SEED_LINK_BAIT)


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator}/{denominator} {numerator / denominator:.0%}" if denominator else "–"


def measures(group: list[Result]) -> list[tuple[str, int, int]]:
    """The issue's table: (measure, right, out of) over a group of articles."""
    rows = [row for r in group for row in r.rows]
    found = [row for row in rows if row.found]
    return [
        ("direct quotes found", len(found), len(rows)),
        ("quote drafts that are real quotes", len(found), sum(r.proposed for r in group)),
        ("speaker right (of found)", sum(row.right("speaker") for row in found), len(found)),
        ("date right, value+precision (of found)", sum(row.right("date") for row in found), len(found)),
        ("certainty right (of found)", sum(row.right("certainty") for row in found), len(found)),
        ("drafts acceptable in one click", sum(row.right("one_click") for row in rows), len(rows)),
        ("deadlines/events with the right date", sum(r.dated[0] for r in group), sum(r.dated[1] for r in group)),
        ("new speakers drafted as named actors", sum(r.actors[0] for r in group), sum(r.actors[1] for r in group)),
        ("positions drafted (actor+stance)", sum(r.positions[0] for r in group), sum(r.positions[1] for r in group)),
        ("drafts from link-bait lines", sum(len(r.bait_drafts) for r in group), 0),
    ]


def table(label: str, results: list[Result], out=sys.stdout) -> None:
    styles = sorted({r.style for r in results})
    groups = [(style, [r for r in results if r.style == style]) for style in styles] + [("all", results)]
    header = [label] + [f"{s} ({len(g)})" for s, g in groups]
    print("\n| " + " | ".join(header) + " |", file=out)
    print("|" + "---|" * len(header), file=out)
    columns = [measures(group) for _, group in groups]
    for i, (name, _, _) in enumerate(columns[0]):
        cells = [str(col[i][1]) if name.startswith("drafts from") else ratio(col[i][1], col[i][2]) for col in columns]
        print("| " + " | ".join([name, *cells]) + " |", file=out)


def details(results: list[Result], out=sys.stdout) -> None:
    """Line by line: what was found against the gold answers (the development half only)."""
    for result in results:
        print(f"\n== {result.name} ({result.style})", file=out)
        for row in result.rows:
            if row.found and row.right("one_click"):
                continue
            found, gold = row.found or {}, row.gold
            if not row.found:
                print(f"  MISSED {gold['text'][:70]!r} ({gold['speaker']})", file=out)
                continue
            print(
                f"  {gold['text'][:50]!r} [{row.rule}] speaker {found['speaker']} (gold {gold['speaker']}), "
                f"date {found['said_on']} {found['date_precision']} (gold {gold['said_on']} {gold['date_precision']}), "
                f"certainty {found['certainty']} (gold {gold['certainty']})",
                file=out,
            )
        for extra in result.extra:
            print(f"  EXTRA {extra['text'][:70]!r} ({extra['speaker']})", file=out)
        for miss in result.misses:
            print(f"  MISSED {miss}", file=out)


def report(by_half: dict[str, list[Result]], seed: Result | None = None, out=sys.stdout) -> None:
    for half, results in by_half.items():
        table(f"{half} half", results, out)
    if seed is not None:
        table("seed", [seed], out)


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    # "--dev": the development half only, for working on the rules without seeing the test half.
    halves = ("dev",) if "--dev" in argv or "--details" in argv else HALVES
    by_half = {half: run_corpus(half) for half in halves}
    path = seed_path()
    seed = run_seed(path) if path.is_file() else None
    if seed is None:
        print(f"Seed article not found at {path}: set SEED_ARTICLE to its path to evaluate it too.")
    if "--details" in argv:
        details(by_half["dev"] + ([seed] if seed else []))
    report(by_half, seed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
