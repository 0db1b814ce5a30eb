"""Dates as a reader should see them: only as precise as they are known."""

import datetime

from apps.core.choices import DatePrecision

EMPTY = "—"


def display_date(value: datetime.date | str | None, precision: str | None) -> str:
    """ "14 Jan 2026", "Aug 2025" or "2025" by precision; an em dash when there is no date.

    Accepts an ISO string too (a version's stored API data). A month-precision date is
    stored as the 1st of its month: showing it as "Aug. 1, 2025" would claim a day no
    source gave.
    """
    if value in (None, ""):
        return EMPTY
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%b %Y}"
    return f"{value.day} {value:%b %Y}"
