"""Scaling out: read replicas, the shared Redis cache, gzip that keeps ETags working, gunicorn settings."""

import gzip
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connections, router, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from apps.core.api.freshness import code_fingerprint
from apps.core.api.schema_view import SchemaView
from apps.core.http.replicas import ReplicaReadsMiddleware
from apps.statements.models import Statement
from tests.factories import make_statement, make_topic

BASE_DIR = Path(settings.BASE_DIR)
REDIS_URL = "redis://127.0.0.1:6379/0"


# -- read replicas ------------------------------------------------------------------------------
# "replica" is a TEST MIRROR of the test database: a second connection to the same data. The tests
# are transactional so that connection sees what the primary committed (serialized_rollback, as in
# test_record.py: the migrated rows come back for the tests after them).

replica_db = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    settings.DATABASE_REPLICAS = ["replica"]
    cache.clear()  # no primary pins left by other tests
    yield
    cache.clear()


class Queries:
    """The queries each alias ran inside the block."""

    def __enter__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def __getitem__(self, alias) -> list[str]:
        return [query["sql"] for query in self.contexts[alias].captured_queries]


@replica_db
def test_a_get_reads_from_the_replica_only(replica, api):
    make_statement(text="Read from a replica")
    with Queries() as queries:
        response = api.get("/api/v1/statements/")
    assert [row["text"] for row in response.json()["results"]] == ["Read from a replica"]
    assert queries["default"] == []
    assert queries["replica"], "the list was read from the replica"


@pytest.fixture
def replica_down(replica, monkeypatch):
    """The replica stops answering: its open connection is closed and no new one can be made."""
    from apps.core.http import replicas

    connection = connections["replica"]
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(1)
        raise connection.Database.OperationalError("could not connect to the replica")

    replicas.down_until.clear()
    connection.close()
    monkeypatch.setattr(connection, "get_new_connection", refuse)
    monkeypatch.setattr(settings, "REPLICA_RETRY_SECONDS", 30)
    yield attempts
    monkeypatch.undo()
    replicas.down_until.clear()


@replica_db
def test_an_unreachable_replica_costs_a_retry_on_the_primary_not_a_500(replica_down):
    """The first read finds the replica down and is answered from the primary; later reads in this
    process skip the replica, without trying to connect, until REPLICA_RETRY_SECONDS have passed."""
    from rest_framework.test import APIClient

    api = APIClient(raise_request_exception=False)  # the first attempt's error is logged, not re-raised
    make_statement(text="Still readable")
    response = api.get("/api/v1/statements/")
    assert response.status_code == 200, response.content
    assert [row["text"] for row in response.json()["results"]] == ["Still readable"]
    tried = len(replica_down)
    assert tried >= 1
    with CaptureQueriesContext(connections["default"]) as primary:
        assert api.get("/api/v1/statements/").status_code == 200
    assert len(replica_down) == tried, "a replica known to be down is not tried again"
    assert primary.captured_queries


@replica_db
def test_a_replica_failing_mid_request_is_read_again_from_the_primary(replica, monkeypatch):
    """A connection that breaks during the request: its query fails, and so does reconnecting."""
    from rest_framework.test import APIClient

    from apps.core.http import replicas

    connection = connections["replica"]
    connection.ensure_connection()  # open, as a long-lived connection is

    def broken(execute, sql, params, many, context):
        # As Django raises a driver's error (wrapped in django.db.OperationalError).
        raise OperationalError("server closed the connection unexpectedly")

    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("could not connect to the replica")

    replicas.down_until.clear()
    make_statement(text="Read twice")
    monkeypatch.setattr(connection, "get_new_connection", refuse)
    with connection.execute_wrapper(broken):
        response = APIClient(raise_request_exception=False).get("/api/v1/statements/")
    assert response.status_code == 200, response.content
    assert [row["text"] for row in response.json()["results"]] == ["Read twice"]
    assert "replica" in replicas.down_until
    monkeypatch.undo()
    replicas.down_until.clear()


@replica_db
def test_a_database_error_with_healthy_replicas_stays_an_error(replica, monkeypatch):
    """Only a replica that fails its probe is blamed: an error of the query itself is not retried."""
    from rest_framework.test import APIClient

    from apps.core.http import replicas

    calls = []

    def failing_list(self, request, *args, **kwargs):
        calls.append(1)
        Statement.objects.raw("SELECT no_such_column FROM statements_statement")[0]

    monkeypatch.setattr("apps.statements.api.views.StatementViewSet.list", failing_list)
    replicas.down_until.clear()
    response = APIClient(raise_request_exception=False).get("/api/v1/statements/")
    assert response.status_code == 500
    assert calls == [1]
    assert not replicas.down_until


@replica_db
def test_a_post_reads_and_writes_on_the_primary_only(replica, editor_api):
    with Queries() as queries:
        response = editor_api.post("/api/v1/topics/", {"slug": "ceasefire", "name": "Ceasefire"}, format="json")
    assert response.status_code == 201, response.content
    assert queries["replica"] == []
    assert any(sql.startswith("SELECT") for sql in queries["default"]), "the token and the checks read the primary"
    assert any(sql.startswith("INSERT") for sql in queries["default"])


@replica_db
def test_a_client_that_wrote_reads_the_primary_for_a_while(replica, settings, api, editor_api):
    """Read-your-writes: the replica may not have the write yet; anonymous readers still use it."""
    assert editor_api.post("/api/v1/topics/", {"slug": "a", "name": "A"}, format="json").status_code == 201
    with Queries() as queries:
        assert editor_api.get("/api/v1/topics/a/").json()["name"] == "A"
    assert queries["replica"] == []
    with Queries() as queries:
        assert api.get("/api/v1/topics/a/").status_code == 200
    assert queries["default"] == []
    settings.REPLICA_PIN_SECONDS = 0
    cache.clear()
    with Queries() as queries:
        assert editor_api.get("/api/v1/topics/a/").status_code == 200
    assert queries["default"] == [], "without a pin, the editor's reads go to a replica"
    assert queries["replica"]


def routed(request, body) -> dict:
    """What the router decides inside ``body`` while ``request`` passes the middleware."""
    seen: dict = {}

    def view(request):
        body(seen)
        return HttpResponse()

    ReplicaReadsMiddleware(view)(request)
    return seen


@replica_db
def test_transactions_locks_and_reads_after_a_write_use_the_primary(replica, rf):
    def body(seen):
        seen["read"] = router.db_for_read(Statement)
        with transaction.atomic():
            seen["in a transaction"] = router.db_for_read(Statement)
        seen["after it"] = router.db_for_read(Statement)
        make_topic()
        seen["after a write"] = router.db_for_read(Statement)

    assert routed(rf.get("/api/v1/statements/"), body) == {
        "read": "replica",
        "in a transaction": "default",
        "after it": "replica",
        "after a write": "default",
    }

    def lock(seen):
        with transaction.atomic():
            seen["select_for_update"] = Statement.objects.select_for_update().db
        seen["after a lock"] = router.db_for_read(Statement)

    assert routed(rf.get("/api/v1/statements/"), lock) == {"select_for_update": "default", "after a lock": "default"}


@replica_db
@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/v1/topics/"), ("options", "/api/v1/topics/"), ("get", "/admin/"), ("get", "/api-auth/login/")],
)
def test_other_methods_the_admin_and_login_read_the_primary(replica, rf, method, path):
    assert routed(getattr(rf, method)(path), lambda seen: seen.update(db=router.db_for_read(Statement))) == {
        "db": "default"
    }


@replica_db
def test_outside_requests_and_without_replicas_everything_uses_the_primary(replica, rf, settings):
    assert router.db_for_read(Statement) == "default"  # commands, shells, tests: no request allowed a replica
    settings.DATABASE_REPLICAS = []
    assert routed(rf.get("/api/v1/statements/"), lambda seen: seen.update(db=router.db_for_read(Statement))) == {
        "db": "default"
    }


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "statements", model_name="statement")
    assert not router.allow_migrate("replica", "statements", model_name="statement")


def test_database_replica_url_adds_one_mirrored_alias_per_replica():
    env = {
        **os.environ,
        "DATABASE_REPLICA_URL": "postgres://u@replica-a:5432/facts, postgres://u@replica-b:5432/facts",
        "DJANGO_SETTINGS_MODULE": "factsapi.settings",
    }
    code = (
        "from django.conf import settings as s; import json; "
        "print(json.dumps([s.DATABASE_REPLICAS, {a: [s.DATABASES[a]['HOST'], s.DATABASES[a]['TEST']] "
        "for a in s.DATABASE_REPLICAS}]))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=BASE_DIR, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [
        ["replica_1", "replica_2"],
        {"replica_1": ["replica-a", {"MIRROR": "default"}], "replica_2": ["replica-b", {"MIRROR": "default"}]},
    ]


# -- the shared cache (Redis) -------------------------------------------------------------------


@pytest.fixture
def raw_redis():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    return client


@pytest.fixture
def redis_cache(settings, raw_redis):
    """Django's RedisCache, as REDIS_URL configures it, under a key prefix of this test's own."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    SchemaView._rendered.clear()
    yield prefix
    # Not cache.clear(): RedisCache.clear() flushes the whole Redis database, others' keys too.
    for key in raw_redis.scan_iter(f"{prefix}:*"):
        raw_redis.delete(key)
    SchemaView._rendered.clear()


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "factsapi.settings", "SECRET_KEY": "x", **env}
    script = f"import django; django.setup(); from django.core.cache import cache, caches; {code}"
    return subprocess.run([sys.executable, "-c", script], env=full_env, cwd=BASE_DIR, capture_output=True, text=True)


def test_with_redis_url_two_processes_share_the_cache(raw_redis):
    key = f"test-shared-{uuid.uuid4().hex}"
    wrote = run_django(
        f"cache.set({key!r}, 'from process one', 30); print(type(caches['default']).__name__)", REDIS_URL=REDIS_URL
    )
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stdout.strip() == "FailFastRedisCache"
    try:
        read = run_django(f"print(cache.get({key!r}))", REDIS_URL=REDIS_URL)
        assert read.stdout.strip() == "from process one", read.stderr
        alone = run_django(f"print(cache.get({key!r}), type(caches['default']).__name__)", REDIS_URL="")
        assert alone.stdout.strip() == "None LocMemCache", "without REDIS_URL each process keeps its own"
    finally:
        raw_redis.delete(f":1:{key}")


@pytest.mark.django_db
def test_throttle_counters_live_in_redis(api, settings, redis_cache, raw_redis):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon_burst": "2/min",
            "anon_sustained": None,
            "user_burst": None,
            "user_sustained": None,
        },
    }
    assert [api.get("/api/v1/topics/").status_code for _ in range(3)] == [200, 200, 429]
    keys = [key.decode() for key in raw_redis.scan_iter(f"{redis_cache}:*")]
    assert any("throttle_anon_burst" in key for key in keys), keys


@pytest.mark.django_db
def test_the_schema_is_served_from_the_shared_cache(api, redis_cache, raw_redis):
    first = api.get("/api/v1/schema/")
    assert first.status_code == 200
    [key] = [k.decode() for k in raw_redis.scan_iter(f"{redis_cache}:*schema:*")]
    assert code_fingerprint() in key
    # Another server's worker stored it; this process has no copy of its own.
    SchemaView._rendered.clear()
    cache.set(key.split(":", 2)[2], SchemaView.pack(b"openapi: from-the-shared-cache\n", first["Content-Type"]))
    second = api.get("/api/v1/schema/")
    assert second.content == b"openapi: from-the-shared-cache\n"
    assert second["Content-Type"] == first["Content-Type"]
    zipped = api.get("/api/v1/schema/", HTTP_ACCEPT_ENCODING="gzip")
    assert gzip.decompress(zipped.content) == b"openapi: from-the-shared-cache\n", "compressed once, when cached"


def test_a_deploy_changes_the_schema_cache_key(settings):
    before = code_fingerprint.__wrapped__()
    assert code_fingerprint.__wrapped__() == before, "stable within a release"
    settings.SPECTACULAR_SETTINGS = {**settings.SPECTACULAR_SETTINGS, "VERSION": "2.0.0"}
    assert code_fingerprint.__wrapped__() != before


# -- gzip ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_json_lists_are_gzipped_when_the_client_accepts_it(api):
    for n in range(5):
        make_statement(text=f"Statement number {n} with enough text to be worth compressing")
    plain = api.get("/api/v1/statements/")
    zipped = api.get("/api/v1/statements/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert {"Accept", "Accept-Encoding"} <= {v.strip() for v in zipped["Vary"].split(",")}
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content)
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()


@pytest.mark.django_db
def test_the_cached_schema_is_served_precompressed_with_a_working_etag(api):
    built = api.get("/api/v1/schema/", HTTP_ACCEPT_ENCODING="gzip")  # built now, or already cached
    cached = api.get("/api/v1/schema/", HTTP_ACCEPT_ENCODING="gzip")
    plain = api.get("/api/v1/schema/")
    for response in (built, cached):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert "Accept-Encoding" in response["Vary"]
    assert cached["ETag"] == f"W/{plain['ETag']}"
    assert api.get("/api/v1/schema/", HTTP_IF_NONE_MATCH=cached["ETag"], HTTP_ACCEPT_ENCODING="gzip").status_code == 304
    assert api.get("/api/v1/schema/", HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304


@pytest.mark.django_db
def test_the_schema_and_feeds_are_gzipped_too(api):
    make_statement()
    for url in ("/api/v1/schema/", "/api/v1/schema/?format=json", "/api/v1/statements/feed.atom"):
        assert api.get(url, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip", url


@pytest.mark.django_db
def test_html_is_never_gzipped(admin_client):
    """BREACH: the browsable API and the admin carry a CSRF token beside echoed input."""
    make_statement()
    for url in ("/api/v1/statements/?q=echoed", "/admin/statements/statement/?q=echoed"):
        response = admin_client.get(url, HTTP_ACCEPT="text/html", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "Content-Encoding" not in response, url


@pytest.mark.django_db
@pytest.mark.parametrize("item", [True, False], ids=["item", "list"])
def test_if_none_match_still_gives_304_with_gzip(api, item):
    statement = make_statement(text="A statement long enough to be compressed. " * 5)
    url = f"/api/v1/statements/{statement.pk}/" if item else "/api/v1/statements/"
    zipped = api.get(url, HTTP_ACCEPT_ENCODING="gzip")
    plain = api.get(url)
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["ETag"] == f"W/{plain['ETag']}", "the same validator, weak because the bytes differ"
    for etag in (zipped["ETag"], plain["ETag"]):
        for encoding in ("gzip", ""):
            response = api.get(url, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING=encoding)
            assert response.status_code == 304, (etag, encoding)
            assert response.content == b""
            assert response["ETag"] == (zipped["ETag"] if encoding else plain["ETag"])
    if item:
        Statement.objects.filter(pk=statement.pk).update(text="Changed")
    else:
        make_statement()
    assert api.get(url, HTTP_IF_NONE_MATCH=zipped["ETag"], HTTP_ACCEPT_ENCODING="gzip").status_code == 200


@pytest.mark.django_db
def test_if_match_accepts_the_etag_of_a_gzipped_response(api, editor_api):
    statement = make_statement(text="A statement long enough to be compressed. " * 5)
    url = f"/api/v1/statements/{statement.pk}/"
    etag = api.get(url, HTTP_ACCEPT_ENCODING="gzip")["ETag"]
    assert etag.startswith('W/"')
    assert editor_api.patch(url, {"text": "one"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = editor_api.patch(url, {"text": "two"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412


# -- gunicorn -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "bind", "workers"),
    [({"PORT": "9123", "WEB_CONCURRENCY": "5"}, ["0.0.0.0:9123"], 5), ({}, ["0.0.0.0:8000"], None)],
)
def test_gunicorn_takes_port_and_workers_from_the_environment(env, bind, workers):
    code = "import runpy, json; c = runpy.run_path('gunicorn.conf.py'); print(json.dumps([c['bind'], c['workers']]))"
    clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "WEB_CONCURRENCY")}
    out = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, cwd=BASE_DIR, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    got_bind, got_workers = json.loads(out.stdout)
    assert got_bind == bind
    if workers is None:
        assert 2 <= got_workers <= 9, "default: 2 per core plus one, within bounds"
    else:
        assert got_workers == workers
