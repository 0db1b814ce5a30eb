"""Atom feeds of statements, events, deadlines and the changes feed, read back by feedparser."""

import feedparser
import pytest

from apps.core.record import services
from tests import factories
from tests.helpers import load_seed

pytestmark = pytest.mark.django_db

PUTIN_QUOTE = "79226f72-67ac-495d-b232-35b18acbf3c1"


@pytest.fixture
def seed():
    load_seed()


def parse(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_statements_feed_honours_the_lists_filters(api, seed):
    feed = parse(api.get("/api/v1/statements/feed.atom", {"speaker": "vladimir-putin"}))
    listed = api.get("/api/v1/statements/", {"speaker": "vladimir-putin"}).json()["results"]
    assert [e.link for e in feed.entries] == [f"http://testserver/api/v1/statements/{r['id']}/" for r in listed]
    one_nation = next(e for e in feed.entries if e.link.endswith(f"/{PUTIN_QUOTE}/"))
    assert one_nation.title == "Vladimir Putin: “one nation”"
    assert one_nation.author == "Vladimir Putin"
    assert "certainty: reported" in one_nation.summary
    assert feed.feed.title == "Factsapi: statements"


def test_events_and_deadlines_feeds(api, seed):
    events = parse(api.get("/api/v1/events/feed.atom", {"participant": "lindsey-graham"}))
    assert [e.title.split(" (")[0] for e in events.entries] == [
        "Trump lets Senator Graham advance the Russia sanctions bill"
    ]
    deadlines = parse(api.get("/api/v1/deadlines/feed.atom", {"overdue": "true"}))
    assert "Expiry of the New START treaty: upcoming (overdue)" in [e.title for e in deadlines.entries]
    assert all("(overdue)" in e.title for e in deadlines.entries)


def test_the_changes_feed_as_atom_is_newest_first(api):
    statement = factories.make_statement()
    services.update(statement, data={"text": "changed"})
    feed = parse(api.get("/api/v1/changes/feed.atom", {"resource": "statements"}))
    assert [e.title for e in feed.entries][:2] == [
        f"statements {statement.pk}: changed, correction (version 2)",
        f"statements {statement.pk}: created, new (version 1)",
    ]
    assert feed.entries[0].link == f"http://testserver/api/v1/statements/{statement.pk}/history/2/"
    assert [tag.term for tag in feed.entries[0].tags] == ["changed", "correction"]


def test_the_changes_feed_as_atom_filters_by_reason(api):
    deadline = factories.make_deadline()
    deadline = services.update(deadline, data={"status": "extended"})
    services.update(deadline, data={"title": "Renamed"})
    feed = parse(api.get("/api/v1/changes/feed.atom", {"resource": "deadlines", "reason": "update"}))
    assert [e.title for e in feed.entries] == [f"deadlines {deadline.pk}: changed, update (version 2)"]


def test_a_bad_filter_is_the_lists_400_problem(api):
    response = api.get("/api/v1/statements/feed.atom", {"speaker": "nobody"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["attr"] for e in response.json()["errors"]] == ["speaker"]
