"""``manage.py generate_synthetic``: proportional, valid, versioned synthetic data, refused over real data."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from apps.actors.models import Actor, Role
from apps.core.models import Change
from apps.core.record import services
from apps.core.record.versions import snapshot
from apps.deadlines.models import Deadline
from apps.events.models import Event
from apps.positions.models import Position
from apps.sources.models import Source
from apps.statements.models import Statement
from apps.topics.models import Topic
from tests import factories
from tests.helpers import walk

pytestmark = pytest.mark.django_db

N = 300


@pytest.fixture
def generated():
    call_command("generate_synthetic", statements=N, verbosity=0)


@pytest.mark.usefixtures("generated")
def test_counts_are_proportional_and_every_fact_is_cited():
    assert Statement.objects.count() == N
    assert Actor.objects.count() == 20
    assert Topic.objects.count() == 10
    assert Source.objects.count() == 60
    assert Role.objects.count() == 10
    for model in (Event, Position, Deadline, Statement):
        assert model.objects.count() >= 5
        assert not model.objects.annotate(n=Count("citations")).filter(n=0).exists()
    # Statements: 1 or 2 citations (1.5 on average), one actor they are about, one topic.
    assert Statement.objects.annotate(n=Count("citations")).filter(n=2).exists()
    assert not Statement.objects.annotate(n=Count("about")).exclude(n=1).exists()
    assert not Statement.objects.annotate(n=Count("topics")).exclude(n=1).exists()


@pytest.mark.usefixtures("generated")
def test_dates_are_plausible_with_some_undated_and_some_coarse():
    statements = Statement.objects.all()
    assert statements.filter(said_on=None).exists()
    assert statements.filter(date_precision="month").exists()
    assert statements.filter(date_precision="year").exists()
    dated = statements.exclude(said_on=None)
    assert dated.filter(said_on__lt=datetime.date(2000, 1, 1)).count() == 0
    assert dated.filter(said_on__gt=datetime.date(2026, 12, 31)).count() == 0
    for statement in statements.filter(date_precision__in=["month", "year"])[:20]:
        statement.full_clean()  # the model's own rules hold, not only the database constraints


@pytest.mark.usefixtures("generated")
def test_each_statement_has_one_version_equal_to_the_api_snapshot_and_a_feed_entry():
    statements = Statement.objects.all()
    versions = {row.id: row for row in Statement.history.model.objects.all()}
    assert len(versions) == N
    for statement in statements:
        version = versions[statement.pk]
        assert version.version == statement.version == 1
        assert version.change == "created"
        assert version.data == snapshot(statement)
    assert Change.objects.filter(resource="statements").count() == N
    feed = list(Change.objects.order_by("id").values_list("recorded_at", flat=True))
    assert feed == sorted(feed)


@pytest.mark.usefixtures("generated")
def test_the_api_reads_it_and_the_write_path_still_works(api, editor_api):
    listed = walk(api, "/api/v1/statements/", page_size=200)
    assert len(listed) == N
    history = api.get(f"/api/v1/statements/{listed[0]['id']}/history/").json()
    assert history["results"][0]["data"] == listed[0]
    # Sequences were moved past the ids the generator gave: new rows through the services get fresh ids.
    actor = factories.make_actor()
    statement = factories.make_statement(speaker=actor)
    statement = services.update(statement, data={"about": [Actor.objects.exclude(pk=actor.pk).first()]})
    assert statement.version == 2


def test_refuses_a_database_holding_real_data_unless_forced():
    factories.make_actor(slug="vladimir-putin")
    with pytest.raises(CommandError, match="did not make"):
        call_command("generate_synthetic", statements=10, verbosity=0)
    assert Statement.objects.count() == 0
    call_command("generate_synthetic", statements=10, force=True, verbosity=0)
    assert Statement.objects.count() == 10


def test_a_second_run_adds_to_its_own_data():
    call_command("generate_synthetic", statements=10, verbosity=0)
    call_command("generate_synthetic", statements=10, verbosity=0)
    assert Statement.objects.count() == 20
    assert Actor.objects.count() == 40


def test_rejects_bad_arguments():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_synthetic", statements=0, verbosity=0)
    with pytest.raises(CommandError, match="No database alias"):
        call_command("generate_synthetic", statements=5, database="nope", verbosity=0)
