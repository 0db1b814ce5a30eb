"""The one keyset (``apps.core.query.keyset``) and the list pipeline's plain value (``apps.core.query.listing``)."""

import base64
import datetime
import itertools
import json

import pytest
from django.http import QueryDict

from apps.core.query.keyset import Keyset, Known, seek
from apps.core.query.listing import DateBound
from apps.statements.filtersets import StatementFilterSet
from apps.statements.models import Statement
from tests import factories
from tests.helpers import walk

pytestmark = pytest.mark.django_db

D = datetime.date


def payload(link: str) -> dict:
    raw = link.split("cursor=")[1].split("&")[0]
    return json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def cursor(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def test_seek_with_a_key_known_per_query_selects_the_rows_beyond_in_both_directions():
    """A key the same on every row of a query (the timeline's entry type within a branch) is compared in
    Python: the rows beyond ``(date, type, id)`` are those a lexicographic comparison puts there, whether
    the query's type sorts before, at or after the position's."""
    rows = [factories.make_statement(said_on=day) for day in (D(2025, 1, 1), D(2025, 1, 1), D(2025, 2, 1))]
    rows = list(Statement.objects.filter(pk__in=[r.pk for r in rows]))
    for row, position_type, larger in itertools.product(rows, ("a", "b", "c"), (True, False)):
        keys = [("said_on", row.said_on, larger), (Known("b"), position_type, larger), ("id", row.pk, larger)]
        found = set(Statement.objects.filter(pk__in=[r.pk for r in rows]).filter(seek(keys, leading_bound=False)))
        position = (row.said_on, position_type, row.pk)
        expected = {
            r for r in rows if (r.said_on, "b", r.pk) != position and ((r.said_on, "b", r.pk) > position) == larger
        }
        assert found == expected, (row.said_on, position_type, larger)


def test_a_keyset_walks_every_row_once_in_order_both_ways():
    """NULLs last either way, ties broken by id; each position's rows beyond it, forwards and back."""
    days = [D(2025, 1, 1), D(2025, 1, 1), None, D(2024, 6, 1), None, D(2026, 3, 1)]
    made = {factories.make_statement(said_on=day).pk for day in days}
    for ordering in ("said_on", "-said_on"):
        queryset = Statement.objects.filter(pk__in=made).order_by(ordering)
        keyset = Keyset.of(queryset)
        assert keyset.ordering == (ordering, "-id" if ordering.startswith("-") else "id")
        listed = list(keyset.sort(queryset))
        dated = sorted((s for s in listed if s.said_on), key=lambda s: (s.said_on, s.pk), reverse=ordering[0] == "-")
        undated = sorted((s for s in listed if not s.said_on), key=lambda s: s.pk, reverse=ordering[0] == "-")
        assert listed == dated + undated
        for index, row in enumerate(listed):
            position = keyset.position(row)
            assert list(keyset.sort(queryset, position)) == listed[index + 1 :]
            assert list(keyset.sort(queryset, position, backwards=True)) == listed[:index][::-1]


def test_cursors_keep_their_form(api):
    """A cursor a client holds stays good: ``{"o": ordering, "v": key values, "b": backwards}`` in unpadded
    URL-safe base64, the lists' and the timeline's alike. One written by hand in that form pages on."""
    statements = [factories.make_statement(said_on=D(2025, 1, day)) for day in (1, 2, 3)]
    body = api.get("/api/v1/statements/", {"page_size": 1}).json()
    newest = statements[-1]
    assert payload(body["next"]) == {"o": ["-said_on", "-id"], "v": ["2025-01-03", str(newest.pk)], "b": False}
    written = cursor({"o": ["-said_on", "-id"], "v": ["2025-01-02", str(statements[1].pk)], "b": False})
    page = api.get("/api/v1/statements/", {"cursor": written}).json()
    assert [row["id"] for row in page["results"]] == [str(statements[0].pk)]

    speaker = statements[0].speaker
    timeline = api.get(f"/api/v1/actors/{speaker.slug}/timeline/", {"page_size": 1}).json()
    assert timeline["next"] is None  # one statement
    written = cursor({"o": "date", "v": ["2024-12-31", "statement", str(statements[0].pk)], "b": False})
    page = api.get(f"/api/v1/actors/{speaker.slug}/timeline/", {"cursor": written}).json()
    assert [entry["data"]["id"] for entry in page["results"]] == [str(statements[0].pk)]
    back = payload(page["previous"])
    assert back == {"o": "date", "v": ["2025-01-01", "statement", str(statements[0].pk)], "b": True}


def test_the_filterset_hands_the_planner_a_plain_value(api):
    """Link filters and date bounds reach the planner as values: the queryset holds no link condition,
    and ``qs`` (every filter applied) lists what the API lists."""
    first, second, other = factories.make_topic(), factories.make_topic(), factories.make_topic()
    linked = factories.make_statement(said_on=D(2025, 3, 1), topics=[first])
    unlinked = factories.make_statement(said_on=D(2025, 3, 1), topics=[other])
    data = QueryDict(mutable=True)
    data.setlist("topic", [first.slug, second.slug])
    data["date_from"] = "2025-01-01"
    filterset = StatementFilterSet(data, Statement.objects.all())
    assert filterset.is_valid(), filterset.errors
    query = filterset.list_query
    (link,) = query.links
    assert set(link.targets) == {first, second}
    assert query.bounds == (DateBound("said_on", D(2025, 1, 1), at_least=True, descending=True),)
    assert set(query.queryset) == {linked, unlinked}
    assert list(filterset.qs) == [linked]
    listed = walk(api, "/api/v1/statements/", topic=[first.slug, second.slug], date_from="2025-01-01", page_size=1)
    assert [row["id"] for row in listed] == [str(linked.pk)]
