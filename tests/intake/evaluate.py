"""`make intake-eval`: run the extraction over the corpus and the seed article, print what it found
against the gold answers, and precision and recall for quotes, speakers, dates and certainty.

Pure Python (no database): the corpus is ``tests/intake/corpus/``; the seed article is
``$SEED_ARTICLE`` (default ``../shared/seed/000_523b97ff8a7a0c19.txt``), its gold answers the direct
quotes of ``fixtures/seed.json``, its actors the fixture's. A quote is found when its words match
(folded quotes, case and closing punctuation); a found quote's speaker, date (day *and* precision)
and certainty are each right or wrong. Precision divides by the direct quotes proposed, recall by
the gold ones.
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
        return self.found[aspect] == self.gold[aspect]


@dataclass
class Result:
    name: str
    rows: list[Row]
    proposed: int  # direct-quote drafts
    extra: list[dict] = field(default_factory=list)  # proposed quotes matching no gold one
    bait_drafts: list[str] = field(default_factory=list)
    actor_drafts: list[str] = field(default_factory=list)

    def counts(self, aspect: str) -> tuple[int, int, int]:
        right = sum(row.right(aspect) for row in self.rows)
        return right, self.proposed, len(self.rows)


def score(name: str, text: str, extraction: Extraction, gold: list[dict], link_bait) -> Result:
    quotes = [p for p in extraction.proposals if p.kind == "statement" and p.fields["kind"] == "direct_quote"]
    by_key: dict[str, list] = {}
    for proposal in quotes:
        by_key.setdefault(quote_key(proposal.fields["text"]), []).append(proposal)
    rows, used = [], set()
    for item in gold:
        match = (by_key.get(quote_key(item["text"])) or [None])[0]
        if match is not None:
            used.add(id(match))
        rows.append(Row(item, match.fields if match else None, match.rule if match else ""))
    lines = [line for line in text.splitlines() if any(line.strip().startswith(b) or b in line for b in link_bait)]
    bait = [
        p.rule
        for p in extraction.proposals
        if any(text.find(line) <= p.start < text.find(line) + len(line) for line in lines if line)
    ]
    return Result(
        name=name,
        rows=rows,
        proposed=len(quotes),
        extra=[p.fields for p in quotes if id(p) not in used],
        bait_drafts=bait,
        actor_drafts=[p.fields["slug"] for p in extraction.proposals if p.kind == "actor"],
    )


def run_corpus() -> list[Result]:
    actors = [ActorRef(a["slug"], a["name"], a["kind"], tuple(a["aliases"])) for a in _json(CORPUS / "actors.json")]
    results = []
    for gold_path in sorted(CORPUS.glob("*.json")):
        if gold_path.name == "actors.json":
            continue
        gold = _json(gold_path)
        text = gold_path.with_suffix(".txt").read_text(encoding="utf-8")
        extraction = extract(
            text,
            published_on=datetime.date.fromisoformat(gold["published_on"]),
            precision=gold["precision"],
            actors=actors,
            title=gold["title"],
        )
        results.append(score(gold_path.stem, text, extraction, gold["quotes"], gold["link_bait"]))
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
    return score("seed", text, extraction, gold, SEED_LINK_BAIT)


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator}/{denominator} = {numerator / denominator:.0%}" if denominator else "–"


def report(results: list[Result], out=sys.stdout) -> None:
    for result in results:
        print(f"\n== {result.name}", file=out)
        print(f"{'gold quote':42} {'found':6} {'speaker':22} {'date':20} {'certainty':10} rule", file=out)
        for row in result.rows:
            found = row.found or {}
            gold = row.gold

            def mark(aspect, shown, row=row):
                return ("✓ " if row.right(aspect) else "✗ ") + str(shown)

            date = f"{found.get('said_on')} {found.get('date_precision') if found.get('said_on') else ''}".strip()
            print(
                f"{gold['text'][:42]:42} {'yes' if row.found else 'NO':6} "
                f"{mark('speaker', found.get('speaker')):22} {mark('date', date):20} "
                f"{mark('certainty', found.get('certainty')):10} {row.rule}",
                file=out,
            )
            if row.found and not all(row.right(a) for a in ASPECTS):
                expected_date = f"{gold['said_on']} {gold['date_precision'] if gold['said_on'] else ''}".strip()
                print(
                    f"{'':42} gold:  {gold['speaker']:22} {expected_date:20} {gold['certainty']}",
                    file=out,
                )
        for extra in result.extra:
            print(f"  proposed, not in the gold answers: {extra['text'][:60]!r} ({extra['speaker']})", file=out)
        print(f"  drafts from link-bait lines: {len(result.bait_drafts)}", file=out)
        if result.actor_drafts:
            print(f"  actor drafts (unknown speakers): {', '.join(result.actor_drafts)}", file=out)
    print(f"\n{'':12}" + "".join(f"{a + ' P':>18}{a + ' R':>18}" for a in ASPECTS), file=out)
    for label, group in _groups(results):
        cells = []
        for aspect in ASPECTS:
            right = sum(r.counts(aspect)[0] for r in group)
            proposed = sum(r.proposed for r in group)
            gold = sum(len(r.rows) for r in group)
            cells.append(f"{ratio(right, proposed):>18}{ratio(right, gold):>18}")
        print(f"{label:12}" + "".join(cells), file=out)


def _groups(results):
    corpus = [r for r in results if r.name != "seed"]
    seed = [r for r in results if r.name == "seed"]
    groups = [(r.name, [r]) for r in corpus]
    if corpus:
        groups.append(("corpus", corpus))
    if seed:
        groups.append(("seed", seed))
    return groups


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def main() -> int:
    results = run_corpus()
    path = seed_path()
    if path.is_file():
        results.append(run_seed(path))
    else:
        print(f"Seed article not found at {path}: set SEED_ARTICLE to its path to evaluate it too.")
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
