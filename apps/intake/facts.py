"""Deadlines, events and positions a sentence states, each dated by the grammar that governs it.

A date and a cue must sit in one clause ("The licence expires on June 30", "will meet in Geneva
on May 12"): a mention without a date ("the summit was a failure") is not an event an editor can
accept. A date after publication makes a **deadline** (kind from the cue: expiry, vote, meeting,
promise…, status ``upcoming``); on or before it, an **event** where the cue names something that
happens (a vote, a meeting, an arrest, an interview…), else a past deadline, whose status the text
gives ("extended", "missed") or ``lapsed`` for the editor to check. Titles are a short phrase – the
clause's own words without its date – never the whole sentence.

A **position** is a subject that wants, demands, rejects, offers, supports or opposes something
("Kestria wants the fee split decided by an arbiter", "We demand a transit fee…" in a speaker's
answer): stance from the verb, summary from its object, topic left for the editor.
"""

import re
from dataclasses import dataclass

from apps.intake.dates import DAY, DateMention

# (cue, deadline kind or None, event kind or None); the first cue in the clause decides.
CUES: list[tuple[re.Pattern, str | None, str | None]] = [
    (re.compile(r"\b(?:expir\w*|runs? out|ran out|lapse[sd]?)\b", re.I), "treaty_expiry", None),
    (re.compile(r"\bultimatum\b", re.I), "ultimatum", None),
    (re.compile(r"\b(?:election|elections|polls|referendum|votes? (?:for|in))\b", re.I), "vote", "election"),
    (re.compile(r"\b(?:vote[ds]?|voting|ballot|divided|ratif\w+|confidence)\b", re.I), "vote", "legislation"),
    (re.compile(r"\bsummit\b", re.I), "meeting", "summit"),
    (
        re.compile(
            r"\b(?:[Ii]nterview|spoke to|talked to|conversation|gave this|"
            r"told (?:the )?[A-Z][\w.]*(?: [A-Z][\w.]*)* that)\b"
        ),
        None,
        "interview",
    ),
    (re.compile(r"\b(?:press|news) conference\b", re.I), "meeting", "press_conference"),
    (re.compile(r"\b(?:detain\w*|arrest\w*|captur\w*|seiz\w*)\b", re.I), None, "arrest"),
    (
        re.compile(
            r"\b(?:meet|meets|meeting|met|talks|session|sitting|negotiat\w+|brief\w*|hearing|appear\w* before|"
            r"testif\w+|rally|speech|address|debate)\b",
            re.I,
        ),
        "meeting",
        "meeting",
    ),
    (
        re.compile(
            r"\b(?:sign\w*|ruling|ruled|verdict|publish\w*|report\w*|submit\w*|contracted|decide\w*|"
            r"answer|respond|replaced?|built|renew\w*|renegotiat\w+|join)\b",
            re.I,
        ),
        "other",
        "other",
    ),
    (
        re.compile(
            r"\b(?:travel\w*|visit\w*|fly|flew|go|goes|going|will be|arrive\w*|head\w*)\s+(?:to|in|for)\b", re.I
        ),
        "meeting",
        "other",
    ),
    (re.compile(r"\b(?:blackout|outage|began|begins|started|struck|attack\w*|closed|opened)\b", re.I), None, "other"),
    (re.compile(r"\b(?:deadline|due|until|by|before|no later than|within)\b", re.I), "other", None),
]
STATUS = [
    (re.compile(r"\b(?:extended|postponed|pushed back|delayed)\b|\bwill be extended\b", re.I), "extended"),
    (re.compile(r"\b(?:cancel+ed|called off|scrapped)\b", re.I), "cancelled"),
    (re.compile(r"\bmissed\b", re.I), "missed"),
    (re.compile(r"\b(?:met|signed|held|took place|was ratified|were ratified)\b", re.I), "met"),
]
STANCES = [
    (re.compile(r"\b(?:wants?|seeks?|sought|is seeking|hopes? for|asks? for|asked for)\b", re.I), "seeks"),
    (re.compile(r"\b(?:demands?|demanded|calls? for|called for|insists? on|urges?|urged)\b", re.I), "demands"),
    (re.compile(r"\b(?:rejects?|rejected|refuses?|refused|will not (?:accept|sign|reopen))\b", re.I), "rejects"),
    (
        re.compile(
            r"(?<!the )(?<!a )\b(?:offers?|offered|proposes?|proposed|(?:is|are) ready to (?:accept|talk|listen))\b",
            re.I,
        ),
        "offers",
    ),
    (
        re.compile(
            r"\b(?:supports?|supported|backs?|backed|welcomed|will vote for|is committed to|remains committed to)\b",
            re.I,
        ),
        "supports",
    ),
    (re.compile(r"\b(?:opposes?|opposed|will vote against|against)\b", re.I), "opposes"),
]


@dataclass
class Dated:
    kind: str  # "deadline" or "event"
    fields: dict
    rule: str
    cues: dict


def clause_of(text: str, at: int) -> tuple[int, int]:
    """The clause around ``at``: between the nearest ; : or ", " boundaries (a short clause joins its neighbour)."""
    starts = [
        m.end() for m in re.finditer(r"[;:]\s*|,\s+(?=(?:which|who|and|but|while|after|before|when)\b)|—\s*", text[:at])
    ]
    start = starts[-1] if starts else 0
    stop = re.search(
        r"[;:]|,\s+(?:which|who|and|but|while|the|a|an|was|were|is|are|will|has|have|had|[A-Z])\b|—", text[at:]
    )
    return start, at + (stop.start() if stop else len(text) - at)


def cue_for(clause: str) -> tuple[re.Match, str | None, str | None] | None:
    for pattern, deadline_kind, event_kind in CUES:
        match = pattern.search(clause)
        if match:
            return match, deadline_kind, event_kind
    return None


def _antecedent(text: str, start: int) -> str:
    """For a relative clause ("…, which was due to expire"), the noun it is about ("The ceasefire ")."""
    if not re.match(r"(?:which|that|who)\b", text[start:]):
        return ""
    before = re.search(r"((?:[\w'’-]+\s+){0,3}[\w'’-]+),\s*$", text[:start])
    return (before.group(1) + " ") if before else ""


def title_of(clause: str, date: DateMention, offset: int) -> str:
    """A short phrase of the clause's own words, its date and any dateline left out."""
    words = (clause[: date.start - offset] + " " + clause[date.end - offset :]).replace("\0", "")
    words = re.sub(r"^\W*(?:and|but|while|then)\s+", "", words.strip(), flags=re.I)
    words = re.sub(r"\s(?:which|who|that)\s", " ", words)
    words = re.sub(r"\s+(?:on|in|by|at|until|from|before)?\s*(?:[.,;:]|$)", "", words.strip())
    words = re.sub(r"\s+", " ", words).strip(' ,.;:"“”')
    short = " ".join(words.split()[:10])
    return (short[:1].upper() + short[1:])[:120] or date.phrase


def dated_fact(sentence_text: str, offset: int, date: DateMention, future: bool, certainty: str) -> Dated | None:
    """The deadline or event a date and the cue of its clause make, or None without a cue."""
    start, end = clause_of(sentence_text, date.start - offset)
    clause = sentence_text[start:end]
    found = cue_for(clause)
    if found is None:
        return None
    cue, deadline_kind, event_kind = found
    title = title_of(
        _antecedent(sentence_text, start) + clause, date, offset + start - len(_antecedent(sentence_text, start))
    )
    value = date.value.isoformat() if date.value else None
    cues = {
        "cue": cue.group(0),
        "date_phrase": date.phrase,
        "certainty_cue": "" if certainty == "confirmed" else certainty,
    }
    if future and deadline_kind:
        fields: dict = {"title": title, "kind": deadline_kind, "due_on": value, "date_precision": date.precision or DAY,
                  "certainty": certainty, "actors": [], "status": "upcoming"}  # fmt: skip
        return Dated("deadline", fields, f"deadline.{deadline_kind}", cues)
    if not future and event_kind:
        fields = {"title": title, "kind": event_kind, "starts_on": value, "date_precision": date.precision or DAY,
                  "certainty": certainty, "participants": []}  # fmt: skip
        return Dated("event", fields, f"event.{event_kind}", cues)
    if not future and deadline_kind:
        return _past_deadline(sentence_text, title, deadline_kind, date, certainty, cues)
    return None


def _past_deadline(text: str, title: str, kind: str, date: DateMention, certainty: str, cues: dict) -> Dated:
    status = next((s for pattern, s in STATUS if pattern.search(text)), "lapsed")
    cues = dict(cues, status_note="the date had passed when the article was written: check the outcome")
    fields: dict = {"title": title, "kind": kind, "due_on": date.value.isoformat() if date.value else None,
              "date_precision": date.precision or DAY, "certainty": certainty, "actors": [],
              "status": status}  # fmt: skip
    return Dated("deadline", fields, f"deadline.{kind}.past", cues)


def stance_in(clause: str) -> tuple[re.Match, str] | None:
    for pattern, stance in STANCES:
        match = pattern.search(clause)
        if match:
            return match, stance
    return None


def summary_of(rest: str) -> str:
    words = re.split(r"[.;]\s|,\s+(?:but|and|while|which)\b", rest)[0].split()
    return " ".join(words[:16]).strip(" ,.")


def watch(sentence_text: str, offset: int, date: DateMention, certainty: str) -> Dated:
    """The author's advice to watch a future date ("Track the bill in the Senate next week")."""
    start, end = clause_of(sentence_text, date.start - offset)
    title = title_of(sentence_text[start:end], date, offset + start)
    fields: dict = {"title": title, "kind": "other", "due_on": date.value.isoformat() if date.value else None,
              "date_precision": date.precision or DAY, "certainty": certainty, "actors": [],
              "status": "upcoming"}  # fmt: skip
    cues = {"cue": "the author's advice to watch a future date", "date_phrase": date.phrase, "certainty_cue": ""}
    return Dated("deadline", fields, "deadline.watch", cues)


@dataclass(frozen=True)
class TopicRef:
    slug: str
    name: str
    description: str = ""


STOPWORDS = {
    "that", "this", "with", "from", "their", "there", "about", "which", "would", "could", "should", "after",
    "before", "other", "including", "those", "these", "what", "when", "where", "will", "have", "been", "into",
    "over", "under", "between", "such", "than", "them", "they", "said", "says", "ever", "only",
}  # fmt: skip


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.casefold()) if w not in STOPWORDS}


def topic_for(text: str, topics: tuple[TopicRef, ...]) -> tuple[str, str] | None:
    """The topic whose name (twice) and description share most words with the sentence: a suggestion."""
    words = _content_words(text)
    best, best_score, shared = None, 1, ""
    for topic in topics:
        name, description = _content_words(topic.name), _content_words(topic.description)
        score = 2 * len(words & name) + len(words & description)
        if score > best_score:
            best, best_score, shared = topic.slug, score, ", ".join(sorted(words & (name | description)))
    return (best, f"the words {shared}") if best else None
