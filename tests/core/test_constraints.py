"""The database itself refuses bad data, whatever code path writes it.

These tests write around the write path on purpose (``_base_manager``, plain
``objects.create``), which validates first (``tests/core/test_services.py``):
here the database is the last line.
"""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from apps.actors.models import Actor
from apps.deadlines.models import Deadline
from apps.events.models import Event
from apps.positions.models import Position
from apps.sources.models import Source
from apps.statements.models import Statement
from apps.topics.models import Topic
from tests import factories

pytestmark = pytest.mark.django_db(transaction=False)


def rejected(model, pk, constraint: str, **changes) -> None:
    """Writing ``changes`` to row ``pk`` raises an IntegrityError naming ``constraint``."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        model._base_manager.filter(pk=pk).update(**changes)
    # SQLite and PostgreSQL both name the failed CHECK constraint in the error.
    assert constraint in str(excinfo.value), str(excinfo.value)


AUG_15 = datetime.date(2025, 8, 15)
AUG_1 = datetime.date(2025, 8, 1)


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"kind": "monarch"}, "actors_actor_kind_valid"),
        ({"country": "us"}, "actors_actor_country_iso_alpha2"),
        ({"country": "U1"}, "actors_actor_country_iso_alpha2"),
        ({"slug": ""}, "actors_actor_slug_not_blank"),
        ({"name": ""}, "actors_actor_name_not_blank"),
    ],
)
def test_actor_constraints(changes, constraint):
    actor = factories.make_actor(country="US")
    rejected(Actor, actor.pk, constraint, **changes)


def test_actor_slug_and_wikidata_id_are_unique():
    factories.make_actor(slug="vladimir-putin", wikidata_id="Q7747")
    with pytest.raises(IntegrityError), transaction.atomic():
        Actor.objects.create(slug="vladimir-putin", name="Another", kind="person")
    with pytest.raises(IntegrityError), transaction.atomic():
        Actor.objects.create(slug="another", name="Another", kind="person", wikidata_id="Q7747")
    # Many actors may have no Wikidata id.
    factories.make_actor(wikidata_id="")
    factories.make_actor(wikidata_id="")


def test_role_range_and_precision():
    role = factories.make_role(valid_from=AUG_1, date_precision="month")
    rejected(type(role), role.pk, "actors_role_valid_range", valid_to=datetime.date(2025, 7, 1))
    rejected(type(role), role.pk, "actors_role_date_precision_matches_date", valid_from=AUG_15)


def test_topic_cannot_be_its_own_parent_and_slug_is_unique():
    topic = factories.make_topic(slug="new-start")
    rejected(Topic, topic.pk, "topics_topic_not_own_parent", parent=topic.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(slug="new-start", name="New START again")


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"kind": "blog"}, "sources_source_kind_valid"),
        ({"published_on_precision": "week"}, "sources_source_published_on_precision_valid"),
        (
            {"published_on": AUG_15, "published_on_precision": "month"},
            "sources_source_published_on_precision_matches_date",
        ),
        ({"title": ""}, "sources_source_title_not_blank"),
    ],
)
def test_source_constraints(changes, constraint):
    source = factories.make_source()
    rejected(Source, source.pk, constraint, **changes)


def test_source_url_is_unique_but_may_be_missing():
    factories.make_source(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(title="Copy", kind="news", url="https://example.org/a")
    factories.make_source(url=None)
    factories.make_source(url=None)


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"ends_on": datetime.date(2025, 8, 14)}, "events_event_valid_range"),
        ({"kind": "party"}, "events_event_kind_valid"),
        ({"certainty": "rumoured"}, "events_event_certainty_valid"),
        ({"date_precision": "week"}, "events_event_date_precision_valid"),
        ({"date_precision": "month"}, "events_event_date_precision_matches_date"),
        ({"starts_on": AUG_1, "date_precision": "year"}, "events_event_date_precision_matches_date"),
        ({"title": ""}, "events_event_title_not_blank"),
    ],
)
def test_event_constraints(changes, constraint):
    event = factories.make_event(starts_on=AUG_15)
    rejected(Event, event.pk, constraint, **changes)


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"kind": "rumour"}, "statements_statement_kind_valid"),
        ({"certainty": "sure"}, "statements_statement_certainty_valid"),
        ({"said_on": AUG_15, "date_precision": "month"}, "statements_statement_date_precision_matches_date"),
        ({"text": ""}, "statements_statement_text_not_blank"),
    ],
)
def test_statement_constraints(changes, constraint):
    statement = factories.make_statement()
    rejected(Statement, statement.pk, constraint, **changes)


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"valid_to": datetime.date(2025, 7, 1)}, "positions_position_valid_range"),
        ({"stance": "maybe"}, "positions_position_stance_valid"),
        ({"certainty": ""}, "positions_position_certainty_valid"),
        ({"valid_to": AUG_15, "date_precision": "month"}, "positions_position_date_precision_matches_date"),
        ({"summary": ""}, "positions_position_summary_not_blank"),
    ],
)
def test_position_constraints(changes, constraint):
    position = factories.make_position(valid_from=AUG_1, date_precision="month")
    rejected(Position, position.pk, constraint, **changes)


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"status": "postponed"}, "deadlines_deadline_status_valid"),
        ({"kind": "birthday"}, "deadlines_deadline_kind_valid"),
        ({"certainty": "likely"}, "deadlines_deadline_certainty_valid"),
        ({"date_precision": "year"}, "deadlines_deadline_date_precision_matches_date"),
    ],
)
def test_deadline_constraints(changes, constraint):
    deadline = factories.make_deadline(due_on=datetime.date(2026, 2, 4))
    rejected(Deadline, deadline.pk, constraint, **changes)


@pytest.mark.parametrize(
    ("build", "changes"),
    [
        (factories.make_statement, {"said_on": AUG_1, "date_precision": "month"}),
        (factories.make_event, {"starts_on": datetime.date(2025, 1, 1), "ends_on": None, "date_precision": "year"}),
        (factories.make_event, {"starts_on": AUG_15, "ends_on": AUG_15}),  # a range may end on its first day
        (factories.make_position, {"valid_from": None, "valid_to": None}),
        (
            factories.make_position,
            {"valid_from": AUG_1, "valid_to": datetime.date(2025, 9, 1), "date_precision": "month"},
        ),
        (factories.make_deadline, {"due_on": datetime.date(2026, 2, 1), "date_precision": "month"}),
        (factories.make_role, {"valid_from": datetime.date(2025, 1, 1), "date_precision": "year"}),
        (factories.make_source, {"published_on": AUG_1, "published_on_precision": "month"}),
        (factories.make_source, {"published_on": None, "published_on_precision": "year"}),
    ],
)
def test_valid_rows_pass_every_constraint(build, changes):
    """The month- and year-precision forms, open spans and one-day ranges the constraints allow really are allowed."""
    row = build()
    rows = type(row)._base_manager.filter(pk=row.pk)
    rows.update(**changes)  # around the write path: only the database checks
    assert rows.filter(**changes).exists()


def test_source_with_citations_cannot_be_deleted(statement):
    source = statement.citations.get().source
    with pytest.raises(ProtectedError), transaction.atomic():
        source.delete()
    assert Source.objects.filter(pk=source.pk).exists()
