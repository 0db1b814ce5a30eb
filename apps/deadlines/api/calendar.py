"""Deadlines as an iCalendar feed (RFC 5545) that calendar apps can subscribe to."""

import datetime
import json

from icalendar import Calendar, Event
from rest_framework.renderers import BaseRenderer

from apps.deadlines.choices import DeadlineStatus
from apps.deadlines.models import precision_end

# A subscription reads the whole filtered list at once; this bounds one response.
MAX_EVENTS = 5_000
UNCERTAIN = {"reported", "claimed", "disputed"}


class ICalendarRenderer(BaseRenderer):
    """``text/calendar``; an error (a dict) is written as its JSON problem body."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


def summary(deadline) -> str:
    """The title; a month- or year-precision date says so rather than pretend to a day."""
    if deadline.date_precision == "month":
        return f"{deadline.title} (due in {deadline.due_on:%B %Y})"
    if deadline.date_precision == "year":
        return f"{deadline.title} (due in {deadline.due_on:%Y})"
    return deadline.title


def description(deadline) -> str:
    lines = [
        f"Status: {deadline.get_status_display()}"
        + (" (overdue: its date has passed)" if deadline.is_overdue() else ""),
        f"Certainty: {deadline.get_certainty_display()}",
        f"Kind: {deadline.get_kind_display()}",
    ]
    if deadline.description:
        lines += ["", deadline.description]
    if deadline.outcome:
        lines += ["", f"Outcome: {deadline.outcome}"]
    sources = list(dict.fromkeys(citation.source.title for citation in deadline.citations.all()))
    if sources:
        lines += ["", "Sources: " + "; ".join(sources)]
    return "\n".join(lines)


def deadlines_calendar(deadlines, *, item_url) -> bytes:
    """One all-day VEVENT per deadline: UID stable across versions, SEQUENCE its version.

    A month- or year-precision deadline spans its whole month or year, so no calendar shows it on
    a day the source never named.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Factsapi//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Factsapi deadlines")
    for deadline in deadlines:
        event = Event()
        event.add("uid", f"deadline-{deadline.pk}@factsapi")
        event.add("sequence", deadline.version)
        event.add("dtstamp", deadline.updated_at)
        event.add("last-modified", deadline.updated_at)
        event.add("dtstart", deadline.due_on)
        event.add("dtend", precision_end(deadline.due_on, deadline.date_precision) + datetime.timedelta(days=1))
        event.add("summary", summary(deadline))
        event.add("description", description(deadline))
        event.add("url", item_url(deadline))
        event.add("categories", [deadline.get_kind_display()])
        if deadline.status == DeadlineStatus.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "TENTATIVE" if deadline.certainty in UNCERTAIN else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
