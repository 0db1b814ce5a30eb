"""When a statement was made: the date that governs its verb of saying, by the article's grammar.

Dates are found by ``apps.intake.dates``; this module chooses among them. A date inside the quoted
words is never when they were said ("we cannot wait past June"). The rules, in order:

===============  ====================================================================================
date rule        the statement's date is …
===============  ====================================================================================
date.clause      a date of its own sentence, outside the quote, nearest the verb ("said on Monday")
date.paragraph   the date an earlier sentence of the same paragraph gave the same speaker ("Santos said
                 on Monday that …. "The door is open," she said.")
date.anaphor     "afterward", "later that evening", "that day": the last date the section named
date.frame       the frame's: a transcript's turn – the date its introduction or title gives; a live
                 blog's entry – the blog's day; "…," she says – the day the reporter writes
date.scene       said in the simple past in a section whose scene the author set ("Remember last
                 August?"): that date
date.none        none: a date is never carried across paragraphs otherwise
===============  ====================================================================================

"Since …" is a span's start, never a statement's date; a date after publication is never when
something was said.
"""

import datetime
import re
from dataclasses import dataclass, field

from apps.intake.dates import DAY, RANK, DateMention, find_dates, truncate

ANAPHOR = re.compile(
    r"\b(?:afterwards?|later that (?:day|evening|night|morning|afternoon)|that (?:day|evening|night|morning|"
    r"afternoon)|the same day|at the time|after the (?:session|meeting|talks|ceremony|vote|rally|debate))\b",
    re.I,
)
SIMPLE_PAST = {
    "said", "told", "added", "wrote", "asked", "declared", "stated", "insisted", "claimed", "warned", "explained",
    "argued", "noted", "hinted", "called", "described", "dubbed", "talked about", "spoke of", "announced",
    "promised", "vowed", "admitted", "suggested", "replied", "threatened", "recalled", "accused", "urged",
}  # fmt: skip


@dataclass
class Timeline:
    """What the article has said about time so far, for the rules that look back."""

    published_on: datetime.date | None
    precision: str = DAY
    frame: DateMention | None = None  # a transcript's date, from its title or introduction
    article_frame: DateMention | None = None  # a press release's day, or an interview write-up's
    scenes: dict[str, DateMention] = field(default_factory=dict)  # section -> the author's scene
    named: dict[str, DateMention] = field(default_factory=dict)  # section -> the last date named
    by_paragraph: dict[tuple[int, str], tuple[dict, str]] = field(default_factory=dict)

    def dates(self, text: str, offset: int) -> list[DateMention]:
        return find_dates(text, self.published_on, self.precision, offset)

    def past(self, mentions: list[DateMention]) -> list[DateMention]:
        """Point dates that could be when something was said: not a span, not after publication."""
        return [m for m in mentions if m.kind == "point" and m.value is not None and not self.after(m)]

    def after(self, mention: DateMention) -> bool:
        """Later than publication, at the coarser of the two precisions."""
        if mention.value is None or self.published_on is None:
            return False
        coarser = min(mention.precision or DAY, self.precision, key=lambda p: RANK[p])
        return truncate(mention.value, coarser) > truncate(self.published_on, coarser)

    def publication(self) -> dict | None:
        if self.published_on is None:
            return None
        return {"said_on": self.published_on.isoformat(), "date_precision": self.precision, "phrase": ""}


def fields_of(mention: DateMention) -> dict:
    return {
        "said_on": mention.value.isoformat() if mention.value else None,
        "date_precision": mention.precision or DAY,
        "phrase": mention.phrase,
    }


def by_clause(dates: list[DateMention], timeline: Timeline, verb_at: int | None, quotes) -> dict | None:
    """A date of the sentence outside its quotes, nearest the verb of saying."""
    outside = [d for d in timeline.past(dates) if not any(a <= d.start < b for q in quotes for a, b in q.parts)]
    if not outside:
        return None
    anchor = verb_at if verb_at is not None else outside[0].start
    nearest = min(outside, key=lambda d: (abs(d.start - anchor), -RANK.get(d.precision or "", 0)))
    return fields_of(nearest)


def by_paragraph(timeline: Timeline, paragraph: int, speaker: str | None) -> dict | None:
    found = timeline.by_paragraph.get((paragraph, speaker or ""))
    return dict(found[0], **{"from": "earlier in the paragraph"}) if found and found[0].get("said_on") else None


def by_anaphor(clause: str, timeline: Timeline, section: str) -> dict | None:
    if not ANAPHOR.search(clause) or section not in timeline.named:
        return None
    return dict(fields_of(timeline.named[section]), **{"from": "the date the text refers back to"})


def by_frame(turn: bool, entry: bool, present: bool, timeline: Timeline) -> tuple[dict | None, str]:
    if turn and timeline.frame is not None:
        return dict(fields_of(timeline.frame), **{"from": "the transcript's date"}), "date.frame"
    if not turn and timeline.article_frame is not None:
        return dict(
            fields_of(timeline.article_frame), **{"from": "the day the release or interview gives"}
        ), "date.frame"
    if turn or entry or present:
        found = timeline.publication()
        why = "the live blog's day" if entry else "said to the reporter: the day of writing"
        return (dict(found, **{"from": why}) if found else None), "date.frame"
    return None, ""


def by_scene(verb: str, timeline: Timeline, section: str) -> dict | None:
    scene = timeline.scenes.get(section)
    if scene is None or verb not in SIMPLE_PAST:
        return None
    return dict(fields_of(scene), **{"from": "the scene the author set for the section"})


def remember(timeline: Timeline, section: str, dates: list[DateMention], framing: bool) -> None:
    """After a sentence: the last date it named, and the scene when the author set one."""
    points = timeline.past(dates)
    if not points:
        return
    timeline.named[section] = points[-1]
    if framing:
        timeline.scenes[section] = max(points, key=lambda d: RANK.get(d.precision or "", 0))


def frame_date(timeline: Timeline, title: str, intro: list[str]) -> DateMention | None:
    """A transcript's date: the first past point date of its title, else of its introduction."""
    for text in (title, *intro):
        points = timeline.past(timeline.dates(text, 0))
        if points:
            return max(points, key=lambda d: (RANK.get(d.precision or "", 0), d.absolute))
    return None


RELEASE = re.compile(
    r"^\s*(?:for immediate release|press release\b|news release\b|#{3}\s*$|[-–—]\s*ends\s*[-–—])", re.I | re.M
)
INTERVIEW = re.compile(
    r"\b(?:in an interview|interview with|gave this interview|spoke to|talked to|in a conversation)\b", re.I
)


def article_frame(timeline: Timeline, text: str, intro: list[str]) -> DateMention | None:
    """A press release speaks on its date; an interview write-up on the day its introduction gives."""
    if RELEASE.search(text):
        for paragraph in intro:
            points = timeline.past(timeline.dates(paragraph[:80], 0))
            if points:
                return points[0]
        published = timeline.published_on
        return DateMention("", 0, 0, published, timeline.precision) if published else None
    for paragraph in intro:
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
            points = timeline.past(timeline.dates(sentence, 0)) if INTERVIEW.search(sentence) else []
            if points:
                return max(points, key=lambda d: (RANK.get(d.precision or "", 0), d.absolute))
    return None
