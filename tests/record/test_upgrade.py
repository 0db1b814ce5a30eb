"""The record survives every release: versions written by an earlier release read in today's schema."""

import datetime
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from apps.core.record.versions import added, history_model, upcast, version_data
from apps.positions.api.serializers import PositionSerializer
from apps.positions.models import Position
from tests import factories
from tests.record import representations
from tests.record.walk import Validator

RELEASES = sorted((Path(__file__).parent / "releases").glob("*.json"))
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database():
    """The URL of a new, empty database on the suite's engine, dropped afterwards."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = Path(f"/tmp/factsapi-walk-{uuid.uuid4().hex}.sqlite3")
        yield f"sqlite:///{path}"
        path.unlink(missing_ok=True)
        return
    import psycopg

    name = f"factsapi_walk_{uuid.uuid4().hex[:12]}"
    server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, password=db["PASSWORD"] or None, **server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, password=db["PASSWORD"] or None, **server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("release", RELEASES, ids=lambda path: path.stem)
def test_every_historical_read_of_an_earlier_releases_database_conforms_to_todays_schema(release, empty_database):
    """The upgrade walk (tests/record/walk.py) in a process of its own: load the earlier release's
    tables, migrate to HEAD, edit every resource, then read every version every way a client can."""
    env = {**os.environ, "DATABASE_URL": empty_database, "DJANGO_SETTINGS_MODULE": "factsapi.test_settings"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.record.walk", str(release)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = "\n".join(line for line in result.stdout.splitlines() if not line.startswith("Not Found"))
    assert result.returncode == 0, f"{report}\n{result.stderr[-3000:]}"
    checked = int(report.rsplit(" reads validated", 1)[0].rsplit("\n", 1)[-1])
    assert checked > 500, report  # every resource's versions were read, not a handful


def test_each_representation_is_kept_with_its_number():
    """A resource whose representation changed without an upcaster fails here: versions recorded
    before the change would read in a shape the schema no longer describes."""
    kept = representations.kept()
    for resource, today in representations.current().items():
        number = str(today["number"])
        assert number in kept.get(resource, {}), (
            f"{resource}: representation {number} is not recorded; run `make schema` to record it."
        )
        assert kept[resource][number] == today["shape"], (
            f"{resource}'s representation changed but is still number {number}: add an upcaster to its "
            "serializer's `upcasters` (apps.core.record.versions.added for a new field) saying how versions "
            "recorded before the change read today, then `make schema`."
        )


@pytest.mark.django_db
def test_a_version_recorded_before_a_field_existed_reads_it_as_its_empty_value(api, monkeypatch):
    position = factories.make_position()
    row = history_model(Position).objects.get(id=position.pk)
    old = {k: v for k, v in row.data.items() if k != "evidence"}  # as a7a44b6's parent recorded it
    type(row).objects.filter(pk=row.pk).update(data=old, data_schema=1)
    as_of = (timezone.now() + datetime.timedelta(seconds=1)).isoformat()
    validator = Validator()

    item = api.get(f"/api/v1/positions/{position.pk}/", {"as_of": as_of}).json()
    entry = api.get(f"/api/v1/positions/{position.pk}/history/1/").json()
    page = api.get("/api/v1/positions/", {"as_of": as_of}).json()
    assert item["evidence"] == entry["data"]["evidence"] == {"statements": [], "events": []}
    assert validator.errors("Position", item) == validator.errors("PositionVersion", entry) == []
    assert validator.errors("PaginatedPositionList", page) == []
    assert {k: v for k, v in item.items() if k != "evidence"} == old  # nothing a past reader saw is lost

    # Without its upcaster the same reads break the schema: the guard can fail.
    monkeypatch.setattr(PositionSerializer, "upcasters", ())
    item = api.get(f"/api/v1/positions/{position.pk}/", {"as_of": as_of}).json()
    assert "evidence" not in item
    assert "(root): 'evidence' is a required property" in validator.errors("Position", item)


def test_an_upcaster_for_an_added_field_keeps_a_value_already_recorded():
    step = added("evidence", {"statements": [], "events": []})
    assert step({"id": 1}) == {"id": 1, "evidence": {"statements": [], "events": []}}
    recorded = {"id": 1, "evidence": {"statements": [{"id": "s"}], "events": []}}
    assert step(recorded) == recorded
    assert upcast(Position, {"id": 1}, 2) == {"id": 1}  # already today's representation: untouched


@pytest.mark.django_db
def test_a_version_recorded_before_versions_were_whole_is_rendered_from_its_columns(api):
    """simple-history's rows from the first releases have no ``data``: the record renders their columns
    and links through today's serializer (citations were not recorded then)."""
    topic = factories.make_topic(slug="nato", name="NATO")
    position = factories.make_position(topic=topic, summary="Wants X")
    row = history_model(Position).objects.get(id=position.pk)
    type(row).objects.filter(pk=row.pk).update(data={})
    row.refresh_from_db()

    data = version_data(row)
    assert data["summary"] == "Wants X"
    assert data["topic"] == {"slug": "nato", "name": "NATO"}
    assert data["citations"] == []
    assert data["evidence"] == {"statements": [], "events": []}
    entry = api.get(f"/api/v1/positions/{position.pk}/history/1/").json()
    assert Validator().errors("PositionVersion", entry) == []


@pytest.mark.django_db
def test_as_of_before_the_first_version_says_when_the_object_was_first_recorded(api):
    statement = factories.make_statement()
    first = history_model(type(statement)).objects.get(id=statement.pk).history_date
    before = (first - datetime.timedelta(days=1)).isoformat()

    response = api.get(f"/api/v1/statements/{statement.pk}/", {"as_of": before})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    detail = response.json()["detail"]
    assert "first recorded at " + first.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") in detail

    unknown = api.get(f"/api/v1/statements/{uuid.uuid4()}/", {"as_of": before}).json()["detail"]
    assert unknown == "No statement with this id was ever recorded."


@pytest.mark.django_db
def test_as_of_after_a_deletion_says_when_it_was_deleted(api):
    from apps.core.record import services

    statement = factories.make_statement()
    services.delete(statement)
    after = (timezone.now() + datetime.timedelta(seconds=1)).isoformat()
    detail = api.get(f"/api/v1/statements/{statement.pk}/", {"as_of": after}).json()["detail"]
    assert detail.startswith("This statement was deleted at ")
    assert "not in the record at" in detail
