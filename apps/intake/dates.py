"""Dates in news text, absolute and relative, resolved against the article's publication date.

A small resolver of our own rather than dateparser: it imports in milliseconds
(dateparser takes about a second and pulls in regex tables for 200 languages),
it knows which phrases are spans rather than points ("since 2019"), and every
answer carries the precision the phrase supports – nothing more precise:

=================================  =========================================================
phrase                             answer
=================================  =========================================================
"January 14, 2026", "14 Jan 2026"  that day (day); without a year, the year nearest the anchor,
                                   or the next one after "due (on)", "by", "until", "before"…
"February 5th", "January 17"       day, year nearest the anchor
"August 2025", "last August"       the 1st of the month (month); "last" = the latest one before
                                   the anchor's month, "next" = the first one after, bare or
                                   "this" = the one nearest the anchor
"2019", "early 2026"               1 January (year)
"today", "right now", "yesterday"  the anchor's day (± 1) (day)
"N days ago" / "N weeks ago"       that day (day)
"a few days ago", "days ago"       the month of the anchor minus 3 days (month): the day is
                                   not known
"on Tuesday", "last Friday"        the latest such day on or before the anchor ("last": before
                                   it; "next": the first after it) (day)
"this/last/next week"              the month holding that week's Thursday (month): we store no
                                   week precision, and the ISO rule puts a week in the month
                                   that has most of it
"this/last/next month"             that month (month)
"this/last/next year"              that year (year)
"spring", "this spring", ...       the year the season falls in (year): a season is three
                                   months and no one of them is the right answer. Seasons are
                                   the northern meteorological ones (spring = March–May);
                                   winter belongs to the year of its January
"since 2019", "since then"         not a point in time: returned with kind "since" and never
                                   used as a fact's date
=================================  =========================================================

With an anchor of month or year precision, relative answers finer than it are
coarsened to it ("yesterday" in an article dated only "January 2026" is January
2026, month precision). Without an anchor, relative phrases resolve to nothing
(the phrase is still reported).
"""

import datetime
import re
from dataclasses import dataclass

DAY, MONTH, YEAR = "day", "month", "year"
RANK = {DAY: 3, MONTH: 2, YEAR: 1}

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + r")\.?"
_DAYNUM = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
# Words before a date without a year that say it is still to come ("due on March 3", "by March 3").
FUTURE_CUE = re.compile(r"\b(?:due(?: on)?|expires?(?: on)?|by|until|before|next|on or before|scheduled for)\s*$", re.I)
# A verb in the future earlier in the clause ("will meet … on Wednesday", "is due to hold … on"): the date is ahead.
FUTURE_CLAUSE = re.compile(
    r"\b(?:will|would|shall|is to|are to|is due|are due|(?<!was )(?<!were )due to|scheduled|expected|plans? to|"
    r"is set to|are set to|set to|is going to|are going to)\b[^.;:!?]*$",
    re.I,
)
PAST_CLAUSE = re.compile(
    r"\b(?:said|told|added|announced|met|held|signed|began|was|were|had)\s+(?:[^.;:!?]{0,12}\s)?$", re.I
)
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


@dataclass(frozen=True)
class DateMention:
    """A phrase of the text that names a time; ``value`` is None when it cannot be resolved."""

    phrase: str
    start: int
    end: int
    value: datetime.date | None
    precision: str | None
    kind: str = "point"  # "point", or "since" (a span's start: never a fact's date)
    absolute: bool = False


def _month_start(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _coarsen(value: datetime.date, precision: str, anchor_precision: str) -> tuple[datetime.date, str]:
    """No answer is finer than the anchor it was computed from."""
    if RANK[precision] <= RANK[anchor_precision]:
        return truncate(value, precision), precision
    return truncate(value, anchor_precision), anchor_precision


def truncate(value: datetime.date, precision: str) -> datetime.date:
    if precision == MONTH:
        return value.replace(day=1)
    if precision == YEAR:
        return value.replace(month=1, day=1)
    return value


def _next_on_or_after(month: int, day: int, anchor: datetime.date) -> datetime.date | None:
    for year in (anchor.year, anchor.year + 1):
        try:
            value = datetime.date(year, month, day)
        except ValueError:
            continue
        if value >= anchor:
            return value
    return None


def _nearest_year(month: int, day: int, anchor: datetime.date) -> datetime.date | None:
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(datetime.date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - anchor).days)) if candidates else None


# (pattern, handler name); earlier patterns win where phrases overlap.
_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), "iso"),
    (re.compile(rf"\b(?P<since>since\s+)?{_MONTH}\s+{_DAYNUM}\b(?:,?\s+{_YEAR}\b)?"), "month_day"),
    (re.compile(rf"\b(?P<since>since\s+)?{_DAYNUM}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?"), "day_month"),
    (
        re.compile(
            rf"\b(?:the\s+)?end\s+of\s+(?:{_MONTH}(?:,?\s+{_YEAR})?|the\s+(?P<unit>year|month)|(?P<only_year>(?:19|20)\d\d))\b"
        ),
        "end_of",
    ),
    (
        re.compile(
            rf"\b(?P<since>[Ss]ince\s+)?(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Ee]arly|[Ll]ate|[Mm]id-?)\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b"
        ),
        "month",
    ),
    (
        re.compile(
            r"\b(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Oo]n)\s+)?"
            r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
        "weekday",
    ),
    (re.compile(r"\b(?:right now|today|tonight|this morning|this afternoon|this evening)\b", re.I), "today"),
    (re.compile(r"\byesterday\b", re.I), "yesterday"),
    (re.compile(r"\btomorrow\b", re.I), "tomorrow"),
    (
        re.compile(
            r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+(?P<unit>day|week|month|year)s?\s+ago\b",
            re.I,
        ),
        "ago",
    ),
    (re.compile(r"\b(?:(?:just\s+)?a\s+few|several|a\s+couple\s+of|some)\s+days\s+ago\b", re.I), "few_days_ago"),
    (re.compile(r"\b(?P<rel>last|this|next|earlier this|later this)\s+(?P<unit>week|month|year)\b", re.I), "rel_unit"),
    (
        re.compile(
            r"\b(?:(?P<rel>last|this|next|early|late|the|in the|through the)\s+)?"
            r"(?P<season>spring|summer|autumn|fall|winter)\b",
            re.I,
        ),
        "season",
    ),
    (re.compile(rf"\b(?P<since>[Ss]ince\s+)?(?:(?P<rel>[Ee]arly|[Ll]ate|[Mm]id-?)\s*)?{_YEAR}\b(?![-–]\w)"), "year"),
    (re.compile(r"\b[Ss]ince then\b"), "since_then"),
]


def find_dates(
    text: str, anchor: datetime.date | None, anchor_precision: str | None = DAY, offset: int = 0
) -> list[DateMention]:
    """Every time phrase in ``text``, in order; spans are offset by ``offset``."""
    anchor_precision = anchor_precision or DAY
    taken = bytearray(len(text))  # 1 where an earlier pattern already matched
    found: list[DateMention] = []
    for pattern, handler in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            future = _future(text, start)
            try:
                mention = _resolve(handler, match, anchor, anchor_precision, future=future)
            except (ValueError, OverflowError):  # beyond year 1 or 9999 from an extreme anchor
                mention = None
            if mention is None:
                continue
            taken[start:end] = b"\x01" * (end - start)
            if re.search(r"\b(?:since|from)\s+$", text[max(0, start - 6) : start], re.I):
                mention = (mention[0], mention[1], "since", mention[3])  # "since last spring": a span's start
            found.append(
                DateMention(
                    phrase=match.group(0),
                    start=start + offset,
                    end=end + offset,
                    value=mention[0],
                    precision=mention[1],
                    kind=mention[2],
                    absolute=mention[3],
                )
            )
    return sorted(found, key=lambda m: m.start)


def _future(text: str, start: int) -> bool:
    """Is the date ahead of the writer: "due on", "by", or a verb in the future before it in its clause."""
    before = text[max(0, start - 80) : start]
    if re.search(r"\b(?:was|were|had been)\s+(?:due|set|scheduled|expected)\b[^.;]*$", before):
        return False  # "was due to expire on January 2": the nearest January 2, not the next
    if FUTURE_CUE.search(before[-24:]):
        return True
    return bool(FUTURE_CLAUSE.search(before)) and not PAST_CLAUSE.search(before)


def _end_of(groups, anchor, anchor_precision, future):
    """ "the end of May" (May, month), "the end of the year" (December), "the end of 2026" (its December)."""
    if groups.get("month"):
        month = MONTHS[groups["month"]]
        if groups.get("year"):
            return _month_start(int(groups["year"]), month), MONTH
        if anchor is None:
            return None, None
        value = _month_start(anchor.year, month)
        if future and value < _month_start(anchor.year, anchor.month):
            value = _month_start(anchor.year + 1, month)
        return _coarsen(value, MONTH, anchor_precision)
    if groups.get("only_year"):
        return _month_start(int(groups["only_year"]), 12), MONTH
    if anchor is None:
        return None, None
    if groups.get("unit") == "year":
        return _coarsen(_month_start(anchor.year, 12), MONTH, anchor_precision)
    return _coarsen(_month_start(anchor.year, anchor.month), MONTH, anchor_precision)


# One function per pattern: (groups, match, anchor, anchor_precision, future) -> (value, precision, absolute),
# or None when the match is not a date after all; the anchor is known unless the handler is ABSOLUTE.
Resolved = tuple[datetime.date | None, str | None, bool] | None


def _iso(groups, match, anchor, anchor_precision, future) -> Resolved:
    try:
        return datetime.date(int(groups["y"]), int(groups["m"]), int(groups["d"])), DAY, True
    except ValueError:
        return None


def _month_day(groups, match, anchor, anchor_precision, future) -> Resolved:
    """ "January 14, 2026", "14 Jan": without a year, the nearest one (the next after "due", "by"…)."""
    month, day = MONTHS[groups["month"]], int(groups["day"])
    if groups.get("year"):
        try:
            return datetime.date(int(groups["year"]), month, day), DAY, True
        except ValueError:
            return None
    if anchor is None:
        return None, None, True
    value = _next_on_or_after(month, day, anchor) if future else _nearest_year(month, day, anchor)
    return (value, DAY, True) if value else None


def _month(groups, match, anchor, anchor_precision, future) -> Resolved:
    """ "August 2025", "last August", "next March", "in December" (the nearest)."""
    name, rel = groups["month"], (groups.get("rel") or "").lower().rstrip("-")
    if name == "May" and not (rel or groups.get("year")):
        return None  # "May" the verb
    month = MONTHS[name]
    if groups.get("year"):
        return _month_start(int(groups["year"]), month), MONTH, True
    if anchor is None:
        return None, None, False
    here = _month_start(anchor.year, anchor.month)
    value = _month_start(anchor.year, month)
    if rel == "last" and value >= here:
        value = _month_start(anchor.year - 1, month)
    elif rel == "next" and value <= here:
        value = _month_start(anchor.year + 1, month)
    elif rel not in ("last", "next"):
        candidates = (_month_start(y, month) for y in (anchor.year - 1, anchor.year, anchor.year + 1))
        value = min(candidates, key=lambda d: abs((d - here).days))
    return (*_coarsen(value, MONTH, anchor_precision), False)


def _end_of_phrase(groups, match, anchor, anchor_precision, future) -> Resolved:
    value, precision = _end_of(groups, anchor, anchor_precision, future)
    return value, precision, bool(groups.get("only_year") or groups.get("month"))


def _since_then(groups, match, anchor, anchor_precision, future) -> Resolved:
    return None, None, False


def _year(groups, match, anchor, anchor_precision, future) -> Resolved:
    return datetime.date(int(groups["year"]), 1, 1), YEAR, True


def _weekday(groups, match, anchor, anchor_precision, future) -> Resolved:
    """The latest such day on or before the anchor; "next", or a verb in the future: the first after it."""
    rel, target = (groups.get("rel") or "").lower(), WEEKDAYS[groups["weekday"].lower()]
    if rel == "next" or (future and rel != "last"):
        return anchor + datetime.timedelta(days=(target - anchor.weekday()) % 7 or 7), DAY, False
    back = (anchor.weekday() - target) % 7
    return anchor - datetime.timedelta(days=back or (7 if rel == "last" else 0)), DAY, False


def _today(groups, match, anchor, anchor_precision, future) -> Resolved:
    return (*_coarsen(anchor, DAY, anchor_precision), False)


def _yesterday(groups, match, anchor, anchor_precision, future) -> Resolved:
    return (*_coarsen(anchor - datetime.timedelta(days=1), DAY, anchor_precision), False)


def _tomorrow(groups, match, anchor, anchor_precision, future) -> Resolved:
    return (*_coarsen(anchor + datetime.timedelta(days=1), DAY, anchor_precision), False)


def _ago(groups, match, anchor, anchor_precision, future) -> Resolved:
    raw = groups["n"].lower()
    n = 1 if raw == "a" else NUMBERS.get(raw) or int(raw)
    unit = groups["unit"].lower()
    if unit in ("day", "week"):
        value = anchor - datetime.timedelta(days=n * (7 if unit == "week" else 1))
        return (*_coarsen(value, DAY, anchor_precision), False)
    if unit == "month":
        return (*_coarsen(_add_months(anchor, -n), MONTH, anchor_precision), False)
    return (*_coarsen(datetime.date(anchor.year - n, 1, 1), YEAR, anchor_precision), False)


def _few_days_ago(groups, match, anchor, anchor_precision, future) -> Resolved:
    return (*_coarsen(anchor - datetime.timedelta(days=3), MONTH, anchor_precision), False)


def _rel_unit(groups, match, anchor, anchor_precision, future) -> Resolved:
    """ "this/last/next week" (the month of its Thursday), "… month", "… year"."""
    rel, unit = groups["rel"].lower(), groups["unit"].lower()
    step = {"last": -1, "next": 1}.get(rel, 0)
    if unit == "week":
        thursday = anchor + datetime.timedelta(days=3 - anchor.weekday() + 7 * step)
        return (*_coarsen(thursday, MONTH, anchor_precision), False)
    if unit == "month":
        return (*_coarsen(_add_months(anchor, step), MONTH, anchor_precision), False)
    return (*_coarsen(datetime.date(anchor.year + step, 1, 1), YEAR, anchor_precision), False)


def _season(groups, match, anchor, anchor_precision, future) -> Resolved:
    """The year the season falls in; its span in the anchor's year (winter: December to February)."""
    rel, first = (groups.get("rel") or "").lower(), SEASONS[groups["season"].lower()]
    if not rel and not match.group(0)[0].isupper() and groups["season"].lower() == "fall":
        return None  # "prices fall", the verb
    start = _month_start(anchor.year - (1 if first == 12 else 0), first)
    end = _add_months(start, 3)
    today = _month_start(anchor.year, anchor.month)
    if rel == "last":
        while end > today:
            start, end = _add_months(start, -12), _add_months(end, -12)
    elif rel == "next" or (rel not in ("this",) and end <= today):
        while start <= today:
            start, end = _add_months(start, 12), _add_months(end, 12)
    year = start.year + (1 if first == 12 else 0)
    return (*_coarsen(datetime.date(year, 1, 1), YEAR, anchor_precision), False)


HANDLERS = {
    "iso": _iso, "month_day": _month_day, "day_month": _month_day, "month": _month, "end_of": _end_of_phrase,
    "since_then": _since_then, "year": _year, "weekday": _weekday, "today": _today, "yesterday": _yesterday,
    "tomorrow": _tomorrow, "ago": _ago, "few_days_ago": _few_days_ago, "rel_unit": _rel_unit, "season": _season,
}  # fmt: skip
ABSOLUTE = {"iso", "month_day", "day_month", "month", "end_of", "since_then", "year"}  # they handle no anchor
RELATIVE_DAYS = {"today", "yesterday", "tomorrow", "few_days_ago", "weekday"}


def _resolve(handler, match, anchor, anchor_precision, *, future=False):
    """(value, precision, kind, absolute), or None when the match is not a date after all."""
    groups = match.groupdict()
    kind = "since" if groups.get("since") or handler == "since_then" else "point"
    if handler not in ABSOLUTE and anchor is None:
        return None, None, kind, False
    days = handler in RELATIVE_DAYS or (handler == "ago" and groups["unit"].lower() in ("day", "week"))
    if handler not in ABSOLUTE and anchor_precision != DAY and days:
        # "a few days ago" in an article dated only "May 2026": May 2026, not a guess at the day.
        return truncate(anchor, anchor_precision), anchor_precision, kind, False
    resolved = HANDLERS[handler](groups, match, anchor, anchor_precision, future)
    return None if resolved is None else (resolved[0], resolved[1], kind, resolved[2])
