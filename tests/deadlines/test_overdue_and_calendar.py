"""Overdue deadlines (derived, filterable, on the admin's index) and the iCalendar feed, parsed back."""

import datetime

import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.deadlines.models import Deadline
from tests import factories
from tests.helpers import load_seed

pytestmark = pytest.mark.django_db

URL = "/api/v1/deadlines/"
NEW_START = "af9d9b8d-43cf-4a52-bf7d-aaf81b2aa138"


@pytest.fixture
def seed():
    load_seed()


def test_the_seeds_new_start_deadline_is_overdue_today(api, seed):
    body = api.get(f"{URL}{NEW_START}/").json()
    assert (body["due_on"], body["status"], body["overdue"]) == ("2026-02-04", "upcoming", True)
    # The status is what an editor recorded; only they change it.
    assert Deadline.objects.get(pk=NEW_START).status == "upcoming"


def test_overdue_respects_precision_and_status(api):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    cases = {
        "yesterday": ({"due_on": today - datetime.timedelta(days=1)}, True),
        "today": ({"due_on": today}, False),
        "this month": ({"due_on": this_month, "date_precision": "month"}, False),
        "last month": ({"due_on": last_month, "date_precision": "month"}, True),
        "this year": ({"due_on": today.replace(month=1, day=1), "date_precision": "year"}, False),
        "last year": ({"due_on": datetime.date(today.year - 1, 1, 1), "date_precision": "year"}, True),
        "met": ({"due_on": today - datetime.timedelta(days=9), "status": "met"}, False),
    }
    made = {name: factories.make_deadline(title=name, **fields) for name, (fields, _) in cases.items()}
    for name, (_, overdue) in cases.items():
        assert api.get(f"{URL}{made[name].pk}/").json()["overdue"] is overdue, name
    listed = {row["title"] for row in api.get(URL, {"overdue": "true"}).json()["results"]}
    assert listed == {name for name, (_, overdue) in cases.items() if overdue}
    others = {row["title"] for row in api.get(URL, {"overdue": "false"}).json()["results"]}
    assert others == set(cases) - listed
    assert api.get(URL, {"overdue": "maybe"}).status_code == 400


def test_the_admin_lists_overdue_deadlines_to_update(admin_client, seed):
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Overdue deadlines" in index
    assert "Expiry of the New START treaty" in index
    assert "promise of a Ukraine deal" not in index  # missed: already updated
    changelist = admin_client.get(reverse("admin:deadlines_deadline_changelist"), {"overdue": "yes"})
    assert [d.title for d in changelist.context["cl"].result_list] == [
        "Senate action on the Graham-Blumenthal sanctions bill",
        "Meeting of the Ukrainian delegation with Witkoff and Kushner in Washington",
        "Expiry of the New START treaty",
    ]


def test_the_admins_overdue_column_marks_only_what_needs_an_editor(admin_client):
    """It showed Django's boolean icons: a green ✔ for an overdue deadline, a red ✖ for a missed one."""
    factories.make_deadline(title="Past and still upcoming", due_on=datetime.date(2020, 1, 1), status="upcoming")
    factories.make_deadline(title="Past and missed", due_on=datetime.date(2020, 1, 1), status="missed")
    page = admin_client.get(reverse("admin:deadlines_deadline_changelist")).content.decode()
    rows = [row.split("</tr>")[0] for row in page.split("<tr")[1:]]
    upcoming, missed = (next(row for row in rows if title in row) for title in (
        "Past and still upcoming", "Past and missed"
    ))  # fmt: skip
    assert '<span class="overdue">Overdue: update the status</span>' in upcoming
    assert "Overdue" not in missed
    assert "icon-yes" not in page
    assert "icon-no" not in page


# -- iCalendar ----------------------------------------------------------------------------------


def test_the_calendar_holds_the_seeds_deadlines_read_by_two_parsers(api, seed):
    response = api.get(f"{URL}calendar.ics", HTTP_ACCEPT="text/calendar")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()

    events = {str(e.uid.value): e for e in vobject.readOne(text).vevent_list}
    assert set(events) == {f"deadline-{d.pk}@factsapi" for d in Deadline.objects.all()}
    new_start = events[f"deadline-{NEW_START}@factsapi"]
    assert new_start.summary.value == "Expiry of the New START treaty"
    assert new_start.dtstart.value == datetime.date(2026, 2, 4)
    assert new_start.dtend.value == datetime.date(2026, 2, 5)
    assert new_start.sequence.value == "1"
    assert "Status: Upcoming (overdue" in new_start.description.value
    assert "Certainty: Confirmed" in new_start.description.value
    assert "Sources: Donald Trump and Vladimir Putin News" in new_start.description.value
    assert new_start.url.value == f"http://testserver{URL}{NEW_START}/"

    # The Senate deadline is known to the month only: the event spans January, and says so.
    parsed = {str(c["UID"]): c for c in Calendar.from_ical(response.content).walk("VEVENT")}
    senate = parsed["deadline-20956586-237c-41c1-8fb3-ab4343387a7e@factsapi"]
    assert str(senate["SUMMARY"]) == "Senate action on the Graham-Blumenthal sanctions bill (due in January 2026)"
    assert senate.decoded("DTSTART") == datetime.date(2026, 1, 1)
    assert senate.decoded("DTEND") == datetime.date(2026, 2, 1)


def test_the_calendar_takes_the_lists_filters_and_versions(api, editor_api, seed):
    met = api.get(f"{URL}calendar.ics", {"status": "missed"}).content.decode()
    assert [e.summary.value for e in vobject.readOne(met).vevent_list] == [
        "Trump's promise of a Ukraine deal within 24 hours of taking office (due in January 2025)"
    ]
    editor_api.patch(f"{URL}{NEW_START}/", {"status": "lapsed"}, format="json")
    events = vobject.readOne(api.get(f"{URL}calendar.ics").content.decode()).vevent_list
    new_start = next(e for e in events if e.uid.value == f"deadline-{NEW_START}@factsapi")
    assert new_start.sequence.value == "2"
    assert api.get(f"{URL}calendar.ics", {"status": "nonsense"}).status_code == 400


def test_the_calendar_costs_the_same_queries_for_one_or_many(api):
    factories.make_deadline()
    with CaptureQueriesContext(connection) as one:
        api.get(f"{URL}calendar.ics")
    for _ in range(10):
        factories.make_deadline()
    with CaptureQueriesContext(connection) as many:
        api.get(f"{URL}calendar.ics")
    # The deadlines; their actors; topics; citations with sources.
    assert len(one.captured_queries) == len(many.captured_queries) == 4
