"""HTTP caching: each response's Cache-Control and Vary, 304s from the changes feed without reading the
page, the shared response cache for anonymous reads, and two app servers on one Redis."""

import gzip
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from apps.actors.models import Actor
from apps.core.api.freshness import shown_resources
from apps.core.record import services
from apps.deadlines.api.serializers import DeadlineSerializer
from apps.positions.api.serializers import PositionSerializer
from apps.statements.api.serializers import StatementSerializer
from apps.statements.models import Statement
from tests import factories

BASE_DIR = Path(__file__).resolve().parents[2]
URL = "/api/v1/statements/"


def queries_of(client, url, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    return len(ctx.captured_queries), response


# -- Cache-Control and Vary, per kind of response ---------------------------------------------------


def directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/statements/", {"public", "no-cache"}),
        ("/api/v1/statements/{id}/", {"public", "no-cache"}),
        ("/api/v1/statements/{id}/history/", {"public", "no-cache"}),
        ("/api/v1/changes/", {"public", "no-cache"}),
        ("/api/v1/export/statements.ndjson", {"public", "no-cache"}),
        ("/api/v1/statements/feed.atom", {"public", "max-age=300", "stale-while-revalidate=3600"}),
        ("/api/v1/deadlines/calendar.ics", {"public", "max-age=300", "stale-while-revalidate=3600"}),
        ("/api/v1/schema/", {"public", "max-age=300", "stale-while-revalidate=86400"}),
        ("/api/v1/statements/?page_size=0", {"no-store"}),
        ("/api/v1/nothing-here/", {"no-store"}),
    ],
)
def test_every_api_response_states_its_policy(api, statement, path, expected):
    response = api.get(path.format(id=statement.pk))
    assert directives(response) == expected
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Accept", "Accept-Encoding", "Authorization", "Cookie"} <= vary, response["Vary"]


@pytest.mark.django_db
def test_credentials_make_a_response_private_and_writes_are_never_stored(editor_api, statement):
    url = f"{URL}{statement.pk}/"
    assert directives(editor_api.get(url)) == {"private", "no-cache"}
    assert directives(editor_api.patch(url, {"text": "new"}, format="json")) == {"no-store"}


@pytest.mark.django_db
def test_health_checks_are_never_stored(client):
    assert "no-store" in directives(client.get("/health/live"))


@pytest.mark.django_db
def test_a_304_keeps_the_policy_of_the_200(api, statement):
    url = f"{URL}{statement.pk}/"
    etag = api.get(url)["ETag"]
    not_modified = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert directives(not_modified) == {"public", "no-cache"}
    assert not_modified["ETag"] == etag


# -- 304 from the changes feed ----------------------------------------------------------------------


def test_a_page_shows_its_own_resource_and_every_one_it_embeds():
    assert shown_resources(StatementSerializer) == ("actors", "sources", "statements", "topics")
    # Evidence embeds statements with their speaker, and events.
    assert shown_resources(PositionSerializer) == ("actors", "events", "positions", "sources", "statements", "topics")
    assert shown_resources(DeadlineSerializer) == ("actors", "deadlines", "events", "sources", "statements", "topics")


@pytest.mark.django_db
@pytest.mark.parametrize("item", [False, True], ids=["list", "item"])
def test_a_current_etag_is_a_304_after_one_query(api, statement, item):
    url = f"{URL}{statement.pk}/" if item else URL
    etag = api.get(url)["ETag"]
    for sent in (etag, f"W/{etag}", f'"other", {etag}'):
        count, response = queries_of(api, url, HTTP_IF_NONE_MATCH=sent)
        assert response.status_code == 304, sent
        assert count == 1, "the changes feed's last change (and the item's version), never the page"


@pytest.mark.django_db
@pytest.mark.parametrize("item", [False, True], ids=["list", "item"])
def test_the_etag_changes_with_what_the_page_shows_and_only_that(api, item):
    speaker = factories.make_actor(slug="envoy", name="Envoy")
    source = factories.make_source()
    statement = factories.make_statement(speaker=speaker, citations=[{"source": source}])
    url = f"{URL}{statement.pk}/" if item else URL
    etag = api.get(url)["ETag"]

    factories.make_deadline(citations=[{"source": source}])  # a resource statements do not show
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    services.update(speaker, data={"name": "Special Envoy"})  # the embedded speaker is renamed
    renamed = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert renamed.status_code == 200
    body = renamed.json() if item else renamed.json()["results"][0]
    assert body["speaker"]["name"] == "Special Envoy"
    assert renamed["ETag"] != etag

    services.update(statement, data={"text": "Changed."})
    changed = api.get(url, HTTP_IF_NONE_MATCH=renamed["ETag"])
    assert changed.status_code == 200
    assert (changed.json() if item else changed.json()["results"][0])["text"] == "Changed."


@pytest.mark.django_db
def test_the_etag_names_the_request(api, statement):
    tags = {api.get(URL, query)["ETag"] for query in ({}, {"page_size": 1}, {"certainty": "disputed"})}
    assert len(tags) == 3


@pytest.mark.django_db
def test_if_match_holds_across_a_rename_of_what_the_item_embeds(api, editor_api, statement):
    url = f"{URL}{statement.pk}/"
    etag = api.get(url)["ETag"]
    services.update(statement.speaker, data={"name": "Renamed"})
    assert api.get(url)["ETag"] != etag
    written = editor_api.patch(url, {"text": "one"}, format="json", HTTP_IF_MATCH=etag)
    assert written.status_code == 200, written.content
    # The write's reply carries the tag a GET now gives, good for the next If-Match and If-None-Match.
    assert api.get(url, HTTP_IF_NONE_MATCH=written["ETag"]).status_code == 304
    assert editor_api.patch(url, {"text": "two"}, format="json", HTTP_IF_MATCH=etag).status_code == 412


# -- the shared response cache ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_page_is_served_from_the_shared_cache_until_a_write(api, statement):
    first_count, first = queries_of(api, URL)
    count, again = queries_of(api, URL)
    assert count == 1 < first_count, "the last change only: the page comes from the cache"
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json"

    zipped = api.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["ETag"] == f"W/{first['ETag']}"
    assert gzip.decompress(zipped.content) == first.content

    Statement.objects.filter(pk=statement.pk).update(text="Written since.")  # through the services
    assert api.get(URL).json()["results"][0]["text"] == "Written since."


@pytest.mark.django_db
def test_a_request_asking_for_no_cache_is_read_from_the_database(api, statement):
    api.get(URL)
    for headers in ({"HTTP_CACHE_CONTROL": "no-cache"}, {"HTTP_PRAGMA": "no-cache"}):
        count, response = queries_of(api, URL, **headers)
        assert count > 1, headers
        assert response.status_code == 200


@pytest.mark.django_db
def test_a_page_keeps_its_link_header_in_the_cache(api):
    factories.make_statement()
    factories.make_statement()
    first = api.get(URL, {"page_size": 1})
    assert first["Link"] == f'<{first.json()["next"]}>; rel="next"'
    assert api.get(URL, {"page_size": 1})["Link"] == first["Link"]


@pytest.mark.django_db
def test_credentials_never_read_or_fill_the_shared_cache(api, editor_api, statement):
    queries_of(editor_api, URL)
    count, _ = queries_of(api, URL)
    assert count > 1, "the editor's page was not kept for anonymous readers"
    editor_again, _ = queries_of(editor_api, URL)
    assert editor_again > 1, "nor is the anonymous page served to the editor"


@pytest.mark.django_db
def test_a_failing_cache_is_a_miss(api, statement, settings):
    # A cache server that refuses connections (nothing listens on port 9): reads still answer, from the database.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = api.get(URL)
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == str(statement.pk)


# -- two app servers on one Redis -------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/5"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def redis_prefix():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    prefix = f"test-{uuid.uuid4().hex}"
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def start_server(port: int, prefix: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "factsapi.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "DEBUG": "false",
        "SECRET_KEY": "test-only-not-secret",
        "WEB_CONCURRENCY": "1",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    command = [str(Path(sys.executable).parent / "gunicorn"), "factsapi.wsgi", "--bind", f"127.0.0.1:{port}"]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True, stderr=subprocess.DEVNULL)


def wait_ready(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2, trust_env=False).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"{url} did not answer in {timeout} s"
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_on_one_app_server_is_read_on_the_other_at_once(redis_prefix, editor):
    client, prefix = redis_prefix
    statement = factories.make_statement(text="Version one.")
    _, token = AuthToken.objects.create(user=editor)
    servers = [start_server(port, prefix) for port in (free_port(), free_port())]
    try:
        one, two = (f"http://127.0.0.1:{s.args[-1].rsplit(':', 1)[1]}" for s in servers)
        for base in (one, two):
            wait_ready(f"{base}/health/live")
        get = lambda base, path: httpx.get(f"{base}{path}", trust_env=False, timeout=10)  # noqa: E731
        item = f"{URL}{statement.pk}/"
        for _ in range(2):  # each server renders or finds the pages, then finds them
            for base in (one, two):
                assert get(base, URL).json()["results"][0]["text"] == "Version one."
                assert get(base, item).json()["text"] == "Version one."
        assert list(client.scan_iter(f"{prefix}:*page:*")), "the pages are in Redis"

        written = httpx.patch(
            f"{one}{item}",
            json={"text": "Version two."},
            headers={"Authorization": f"Token {token}"},
            trust_env=False,
            timeout=10,
        )
        assert written.status_code == 200, written.text
        assert get(two, URL).json()["results"][0]["text"] == "Version two."
        assert get(two, item).json()["text"] == "Version two."
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)


@pytest.mark.django_db
def test_renaming_an_actor_reaches_cached_pages_that_embed_it(api):
    actor = factories.make_actor(slug="mediator", name="Mediator")
    factories.make_statement(speaker=actor)
    assert api.get(URL).json()["results"][0]["speaker"]["name"] == "Mediator"
    Actor.objects.filter(pk=actor.pk).update(name="Chief Mediator")
    assert api.get(URL).json()["results"][0]["speaker"]["name"] == "Chief Mediator"
