"""A typed client generated from the served OpenAPI schema works against a real HTTP server.

Tool builders run openapi-python-client on ``/api/v1/schema/``. Here the schema is
fetched from pytest-django's live server, a client is generated from it into a
temporary directory (once per module, no network), imported, and then used, and
only it, to write and read through real HTTP: create an actor, topic, source and
a cited statement with an editor's knox token, filter by speaker and dates, walk
every page by cursor, and get a 400 back as a parsed problem body.
"""

import datetime
import importlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from knox.models import AuthToken

from tests import factories

pytestmark = [
    # The live server thread and the test share data, so the test's writes must be committed.
    # Flushing between transactional tests drops the Editors group the data migration made;
    # serialized_rollback restores it (and the rest of the migrated state) before each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

JSON = "application/json"
PROBLEM = "application/problem+json"
GENERATION_TIMEOUT = 120


# -- the schema and the generated client ------------------------------------------------


@pytest.fixture(scope="module")
def served_schema(django_db_setup, django_db_blocker, live_server) -> dict:
    """The schema as the running server sends it, fetched over HTTP (not a management command)."""
    # django_db_setup first, so the session's live server shares the test database. The schema
    # reads no rows, but Django checks its connections at the start of every request.
    with django_db_blocker.unblock():
        response = httpx.get(
            f"{live_server.url}/api/v1/schema/", params={"format": "json"}, trust_env=False, timeout=30
        )
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.0")
    return schema


def run_generator(schema: dict, directory, package: str, meta: str = "none"):
    """Run openapi-python-client on ``schema`` (about a second), failing on any warning; the output folder."""
    schema_file = directory / "openapi.json"
    schema_file.write_text(json.dumps(schema))
    config_file = directory / "config.json"
    # No post-hooks: the default ones shell out to a `ruff` on PATH to format the output,
    # which changes nothing the test relies on. Generated code never lands in the repository.
    # No content_type_overrides either: the NDJSON exports are also described as application/octet-stream.
    config = {"post_hooks": [], "project_name_override": package.replace("_", "-"), "package_name_override": package}
    config_file.write_text(json.dumps(config))
    output = directory / "out" / package
    # --path reads a local file; any attempt at the network through a proxy-aware client would fail fast.
    env = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(schema_file),
            "--output-path",
            str(output),
            "--meta",
            meta,
            "--config",
            str(config_file),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=GENERATION_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"generation failed:\n{result.stdout}\n{result.stderr}"
    return output


def generate_client(schema: dict, directory, package: str) -> ModuleType:
    """The generated package, imported from where it was written."""
    output = run_generator(schema, directory, package)
    assert (output / "client.py").is_file()

    sys.path.insert(0, str(output.parent))
    importlib.invalidate_caches()
    module = importlib.import_module(package)
    # Load the subpackages the tests use as attributes: `pkg.models.Statement`, `pkg.types.UNSET`.
    importlib.import_module(f"{package}.models")
    importlib.import_module(f"{package}.types")
    return module


def forget_package(package: str, path: str) -> None:
    for name in [name for name in sys.modules if name == package or name.startswith(f"{package}.")]:
        del sys.modules[name]
    if path in sys.path:
        sys.path.remove(path)


@pytest.fixture(scope="module")
def generated(served_schema, tmp_path_factory) -> Iterator[ModuleType]:
    """The client generated from the served schema, exactly as served."""
    package = "factsapi_generated_client"
    directory = tmp_path_factory.mktemp("generated_client")
    module = generate_client(served_schema, directory, package)
    yield module
    forget_package(package, str(directory / "out"))


def operation(client_package: ModuleType, resource: str, action: str) -> ModuleType:
    """The generated module for one operation, e.g. ``statements_list``."""
    return importlib.import_module(f"{client_package.__name__}.api.{resource}.{resource}_{action}")


@pytest.fixture
def editor_client(generated, live_server, editor):
    """The generated AuthenticatedClient with an Editors-group user's knox token."""
    _, token = AuthToken.objects.create(user=editor)
    with generated.AuthenticatedClient(
        base_url=live_server.url,
        token=token,
        prefix="Token",
        raise_on_unexpected_status=True,
        timeout=httpx.Timeout(30),
        httpx_args={"trust_env": False},
    ) as client:
        yield client


@pytest.fixture
def public_client(generated, live_server):
    """The generated anonymous Client: reads are public."""
    with generated.Client(
        base_url=live_server.url,
        raise_on_unexpected_status=True,
        timeout=httpx.Timeout(30),
        httpx_args={"trust_env": False},
    ) as client:
        yield client


# -- helpers that go through the generated client only -----------------------------------


def created(response, model):
    """The parsed body of a 201, or a failure showing what the server said."""
    assert response.status_code == 201, response.content
    assert isinstance(response.parsed, model), response.parsed
    return response.parsed


def create_actor(pkg: ModuleType, client, slug: str):
    body = pkg.models.ActorRequest(slug=slug, name=slug.title(), kind=pkg.models.ActorKindEnum.PERSON)
    return created(operation(pkg, "actors", "create").sync_detailed(client=client, body=body), pkg.models.Actor)


def create_source(pkg: ModuleType, client, title: str):
    body = pkg.models.SourceRequest(
        title=title,
        kind=pkg.models.SourceKindEnum.NEWS,
        publisher="Example Wire",
        published_on=datetime.date(2026, 1, 14),
    )
    return created(operation(pkg, "sources", "create").sync_detailed(client=client, body=body), pkg.models.Source)


def create_statement(pkg: ModuleType, client, *, speaker: str, source, said_on, text: str, topics=None):
    body = pkg.models.StatementRequest(
        speaker=speaker,
        text=text,
        kind=pkg.models.StatementKindEnum.PARAPHRASE,
        certainty=pkg.models.CertaintyEnum.CONFIRMED,
        said_on=said_on,
        citations=[pkg.models.CitationRequest(source=source.id, excerpt="An excerpt.", locator="para. 2")],
        topics=topics if topics is not None else pkg.types.UNSET,
    )
    return created(operation(pkg, "statements", "create").sync_detailed(client=client, body=body), pkg.models.Statement)


def list_statements(pkg: ModuleType, client, **params):
    response = operation(pkg, "statements", "list").sync_detailed(client=client, **params)
    assert response.status_code == 200, response.content
    assert isinstance(response.parsed, pkg.models.PaginatedStatementList)
    return response.parsed


# -- the tests -------------------------------------------------------------------------------


def test_editor_creates_a_cited_statement_and_finds_it_by_speaker_and_dates(generated, editor_client, public_client):
    pkg = generated
    actor = create_actor(pkg, editor_client, "envoy")
    topic = created(
        operation(pkg, "topics", "create").sync_detailed(
            client=editor_client, body=pkg.models.TopicRequest(slug="ceasefire", name="Ceasefire")
        ),
        pkg.models.Topic,
    )
    source = create_source(pkg, editor_client, "The envoy speaks")
    assert isinstance(source.id, uuid.UUID)

    statement = create_statement(
        pkg,
        editor_client,
        speaker=actor.slug,
        source=source,
        said_on=datetime.date(2026, 1, 14),
        text="The envoy said talks would resume.",
        topics=[topic.slug],
    )
    assert statement.speaker.slug == "envoy"
    assert statement.said_on == datetime.date(2026, 1, 14)
    assert [t.slug for t in statement.topics] == ["ceasefire"]
    assert len(statement.citations) == 1
    assert statement.citations[0].source.id == source.id
    assert statement.citations[0].source.title == "The envoy speaks"
    assert statement.citations[0].excerpt == "An excerpt."

    # A second speaker's statement on the same day must not match the speaker filter.
    other = create_actor(pkg, editor_client, "minister")
    create_statement(
        pkg, editor_client, speaker=other.slug, source=source, said_on=datetime.date(2026, 1, 14), text="Other."
    )

    def ids(**params):
        return [s.id for s in list_statements(pkg, public_client, speaker=["envoy"], **params).results]

    assert ids() == [statement.id]
    assert ids(date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31)) == [statement.id]
    # Both ends are inclusive.
    assert ids(date_from=datetime.date(2026, 1, 14), date_to=datetime.date(2026, 1, 14)) == [statement.id]
    # Ranges that miss the day exclude it.
    assert ids(date_from=datetime.date(2026, 1, 15), date_to=datetime.date(2026, 2, 28)) == []
    assert ids(date_to=datetime.date(2026, 1, 13)) == []

    # The created statement reads back the same through retrieve.
    fetched = operation(pkg, "statements", "retrieve").sync(client=public_client, id=statement.id)
    assert isinstance(fetched, pkg.models.Statement)
    assert fetched.to_dict() == statement.to_dict()


def test_cursor_walk_visits_every_statement_exactly_once(generated, editor_client, public_client):
    pkg = generated
    actor = create_actor(pkg, editor_client, "spokesperson")
    source = create_source(pkg, editor_client, "Briefings")
    # Ties on the date and an undated statement: the keyset cursor must order and split them all.
    dates = [
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 1),
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 1),
        datetime.date(2026, 1, 1),
        None,
    ]
    made = {
        create_statement(pkg, editor_client, speaker=actor.slug, source=source, said_on=day, text=f"Briefing {n}").id
        for n, day in enumerate(dates)
    }
    assert len(made) == 7

    visited, pages, cursor = [], [], pkg.types.UNSET
    while True:
        page = list_statements(pkg, public_client, speaker=["spokesperson"], page_size=3, cursor=cursor)
        pages.append(page)
        visited.extend(page.results)
        if page.next_ is None:
            break
        assert len(pages) < 10, "the cursor never reaches the last page"
        (cursor,) = parse_qs(urlsplit(page.next_).query)["cursor"]

    assert [len(p.results) for p in pages] == [3, 3, 1]
    assert pages[0].previous is None
    assert all(p.previous is not None for p in pages[1:])
    visited_ids = [s.id for s in visited]
    assert len(visited_ids) == len(set(visited_ids)) == 7
    assert set(visited_ids) == made
    # Newest first, the undated one last.
    said = [s.said_on for s in visited]
    assert said == sorted(dates, key=lambda d: (d is None, -(d.toordinal() if d else 0)))


def test_validation_error_is_a_parsed_problem(generated, editor_client):
    pkg = generated
    actor = create_actor(pkg, editor_client, "analyst")
    body = pkg.models.StatementRequest(
        speaker=actor.slug,
        text="Uncited.",
        kind=pkg.models.StatementKindEnum.PARAPHRASE,
        certainty=pkg.models.CertaintyEnum.REPORTED,
        citations=[],
    )
    response = operation(pkg, "statements", "create").sync_detailed(client=editor_client, body=body)

    assert response.status_code == 400
    assert response.headers["Content-Type"] == PROBLEM
    problem = response.parsed
    assert isinstance(problem, pkg.models.Problem)
    assert problem.status == 400
    assert problem.type_ == "urn:factsapi:problem:validation-error"
    assert problem.errors[0].attr == "citations"
    assert problem.errors[0].code == "empty"
    # Nothing was written.
    assert list_statements(pkg, editor_client, speaker=["analyst"]).results == []


def test_history_revert_and_the_changes_feed(generated, editor_client, public_client):
    pkg = generated
    actor = create_actor(pkg, editor_client, "negotiator")
    source = create_source(pkg, editor_client, "Talks report")
    statement = create_statement(
        pkg, editor_client, speaker=actor.slug, source=source, said_on=datetime.date(2026, 1, 14), text="First."
    )
    assert statement.version == 1

    # A change through If-Match with the ETag just read; the same ETag again is stale: a parsed 412.
    read = operation(pkg, "statements", "retrieve").sync_detailed(client=public_client, id=statement.id)
    etag = read.headers["ETag"]
    change = operation(pkg, "statements", "partial_update")
    body = pkg.models.PatchedStatementRequest(text="Second.")
    changed = change.sync_detailed(client=editor_client, id=statement.id, body=body, if_match=etag)
    assert changed.status_code == 200, changed.content
    assert changed.parsed.version == 2
    stale = change.sync_detailed(client=editor_client, id=statement.id, body=body, if_match=etag)
    assert stale.status_code == 412
    assert isinstance(stale.parsed, pkg.models.Problem)
    assert stale.parsed.status == 412

    history = operation(pkg, "statements", "history_list").sync(client=public_client, id=statement.id)
    assert isinstance(history, pkg.models.PaginatedStatementVersionList)
    assert [(v.version, v.change, v.changed_fields) for v in history.results] == [
        (2, pkg.models.ChangeEnum.CHANGED, ["text"]),
        (1, pkg.models.ChangeEnum.CREATED, []),
    ]
    first = operation(pkg, "statements", "history_retrieve").sync(client=public_client, id=statement.id, number=1)
    assert isinstance(first.data, pkg.models.Statement)
    assert first.data.text == "First."

    reverted = operation(pkg, "statements", "history_revert").sync(client=editor_client, id=statement.id, number=1)
    assert isinstance(reverted, pkg.models.Statement)
    assert (reverted.text, reverted.version) == ("First.", 3)

    feed = operation(pkg, "changes", "list").sync(client=public_client, resource=["statements"])
    assert [(e.id, e.version, e.change) for e in feed.results] == [
        (str(statement.id), 1, pkg.models.ChangeEnum.CREATED),
        (str(statement.id), 2, pkg.models.ChangeEnum.CHANGED),
        (str(statement.id), 3, pkg.models.ChangeEnum.REVERTED),
    ]
    assert feed.next_ is not None  # the link to poll for what comes next


def test_evidence_and_the_actor_timeline_are_typed(generated, editor_client, public_client):
    pkg = generated
    actor = create_actor(pkg, editor_client, "mediator")
    topic = operation(pkg, "topics", "create").sync(
        client=editor_client, body=pkg.models.TopicRequest(slug="ceasefire", name="Ceasefire")
    )
    source = create_source(pkg, editor_client, "Mediation report")
    statement = create_statement(
        pkg, editor_client, speaker=actor.slug, source=source, said_on=datetime.date(2026, 1, 14), text="Talk."
    )
    body = pkg.models.PositionRequest(
        actor=actor.slug,
        topic=topic.slug,
        stance=pkg.models.StanceEnum.SEEKS,
        summary="Wants a ceasefire.",
        valid_from=datetime.date(2026, 1, 1),
        certainty=pkg.models.CertaintyEnum.CONFIRMED,
        evidence=pkg.models.EvidenceRequest(statements=[statement.id]),
        citations=[pkg.models.CitationRequest(source=source.id, excerpt="An excerpt.")],
    )
    position = created(
        operation(pkg, "positions", "create").sync_detailed(client=editor_client, body=body), pkg.models.Position
    )
    assert [(s.id, s.text, s.speaker.slug) for s in position.evidence.statements] == [
        (statement.id, "Talk.", "mediator")
    ]

    # The timeline: a discriminated union, each entry parsed as its own type with its fact typed.
    page = operation(pkg, "actors", "timeline").sync(client=public_client, slug="mediator", page_size=1)
    assert isinstance(page, pkg.models.TimelinePage)
    (first,) = page.results
    assert isinstance(first, pkg.models.PositionTimelineEntry)
    assert (first.type_, first.date, first.data.summary) == (
        pkg.models.TimelineEntryTypeEnum.POSITION_START,
        datetime.date(2026, 1, 1),
        "Wants a ceasefire.",
    )
    cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
    rest = operation(pkg, "actors", "timeline").sync(client=public_client, slug="mediator", cursor=cursor, page_size=1)
    (second,) = rest.results
    assert isinstance(second, pkg.models.StatementTimelineEntry)
    assert isinstance(second.data, pkg.models.Statement)
    assert second.data.text == "Talk."
    bad = operation(pkg, "actors", "timeline").sync_detailed(client=public_client, slug="mediator", page_size=500)
    assert bad.status_code == 400
    assert isinstance(bad.parsed, pkg.models.Problem)


# -- the generated package, built and installed as a tool builder would ------------------------------


INSTALLED_USE = """
import sys
from factsapi_installed_client import Client
from factsapi_installed_client.api.topics import topics_list, topics_export_ndjson
from factsapi_installed_client.models import PaginatedTopicList

with Client(base_url=sys.argv[1], raise_on_unexpected_status=True, httpx_args={"trust_env": False}) as client:
    page = topics_list.sync(client=client)
    assert isinstance(page, PaginatedTopicList), page
    print([topic.slug for topic in page.results])
    exported = topics_export_ndjson.sync_detailed(client=client)
    print(exported.status_code, exported.content.decode().strip())
"""


def test_the_generated_package_installs_with_pip_and_type_checks(served_schema, live_server, tmp_path):
    """pip refused the package while info.version was "1.0.0 (v1)"; mypy --strict found 3 errors in
    its models/change.py; the eight NDJSON exports were dropped with a warning each."""
    package = "factsapi_installed_client"
    project = run_generator(served_schema, tmp_path, package, meta="setup")
    site = tmp_path / "site"
    # Offline, as the suite runs: setuptools and wheel come from this environment (requirements-dev.txt).
    pip = [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index", "--quiet"]
    installed = subprocess.run([*pip, "--target", str(site), str(project)], capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stderr
    assert (site / f"factsapi_installed_client-{served_schema['info']['version']}.dist-info").is_dir()

    factories.make_topic(slug="ceasefire", name="Ceasefire")
    env = {**os.environ, "PYTHONPATH": str(site)}
    used = subprocess.run(
        [sys.executable, "-c", INSTALLED_USE, live_server.url],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert used.returncode == 0, used.stderr
    listed, exported = used.stdout.splitlines()
    assert listed == "['ceasefire']"
    status, line = exported.split(" ", 1)
    assert status == "200"
    assert json.loads(line)["slug"] == "ceasefire"

    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull, package],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert mypy.returncode == 0, mypy.stdout
