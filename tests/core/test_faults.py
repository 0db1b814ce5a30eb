"""Faults degrade, never hang: a real Redis and a real PostgreSQL, started here, frozen (SIGSTOP) and stopped.

The cache is an optimization: with Redis down or frozen every cache call answers within ~0.1 s as a
miss, then at once while the breaker is open, and the API reads, writes and throttles (per process) on.
The database is required: when it is gone a request gets a 503 problem with Retry-After within
seconds, while /health/live still answers (tests at the end, against gunicorn, on PostgreSQL).
"""

import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from apps.core.api.schema_view import SchemaView
from factsapi import settings as base_settings
from tests import processes
from tests.helpers import PROBLEM

BASE_DIR = Path(__file__).resolve().parents[2]

if processes.missing():
    reason = f"not installed: {', '.join(processes.missing())} (.ci/run installs them)"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)  # CI must run these, never skip them
    pytest.skip(reason, allow_module_level=True)

RETRY = 0.5  # the breaker's retry period in these tests (CACHE_RETRY_SECONDS)


def timed(call, *args, **kwargs):
    started = time.monotonic()
    result = call(*args, **kwargs)
    return result, time.monotonic() - started


def bounded(call, seconds: float):
    """``call()``, failed if it has not returned after ``seconds`` (it would hang on code without timeouts).

    An alarm signal, not a thread: the call must run in this thread to see the test's transaction.
    """

    def hung(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s: hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return call()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def redis_server():
    server = processes.Redis()
    yield server
    server.stop()


@pytest.fixture
def redis(redis_server, settings):
    """The shared cache as settings.py makes it from REDIS_URL, on the private Redis; running again afterwards."""
    settings.CACHES = {
        "default": {
            **base_settings.CACHES["default"],
            "BACKEND": "apps.core.http.cache.FailFastRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": uuid.uuid4().hex,
            "OPTIONS": {"socket_timeout": 0.1, "socket_connect_timeout": 0.1, "RETRY_SECONDS": RETRY},
        }
    }
    settings.REDIS_URL = redis_server.url
    SchemaView._rendered.clear()
    yield redis_server
    if redis_server.process.poll() is None:
        redis_server.thaw()
    else:
        redis_server.start()


def fault(server, kind: str) -> None:
    server.freeze() if kind == "frozen" else server.stop()


# -- the cache ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["frozen", "stopped"])
def test_every_cache_call_degrades_fast_and_recovers_without_restart(redis, kind, caplog):
    cache.set("kept", "value")
    assert cache.get("kept") == "value"
    fault(redis, kind)
    caplog.set_level(logging.WARNING, logger="apps.core.http.cache")

    first, took = bounded(lambda: timed(cache.get, "kept", "miss"), 2)
    assert first == "miss"
    assert took < 0.5, "one call waits for the socket timeout at most"

    def every_call():
        assert cache.get("kept", "miss") == "miss"
        assert cache.get_many(["kept", "other"]) == {}
        assert cache.add("new", 1) is False
        assert cache.set("new", 1) is None
        assert cache.touch("kept") is False
        assert cache.delete("kept") is False
        assert cache.has_key("kept") is False
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.delete_many(["a", "b"]) is None
        assert cache.get_or_set("computed", 42) == 42
        with pytest.raises(ValueError, match="not found"):
            cache.incr("counter")  # what incr says of a key it does not have

    _, took = timed(lambda: [every_call() for _ in range(20)])
    assert took < 0.2, f"while the breaker is open no call waits: 220 calls took {took:.3f} s"
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == ["Cache unavailable"], "logged once"

    redis.thaw() if kind == "frozen" else redis.start()
    time.sleep(RETRY + 0.1)
    assert cache.set("back", "again") is None
    assert cache.get("back") == "again", "used again after the retry period, without a restart"
    if kind == "frozen":
        assert cache.get("kept") == "value", "a freeze loses nothing"
    assert caplog.records[-1].getMessage().startswith("Cache available again"), "and its return logged once"
    assert len(caplog.records) == 2


# -- the API without its cache ---------------------------------------------------------------------


@pytest.fixture
def default_rates(settings):
    """The throttles as production runs them (the test settings turn them off)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": base_settings.THROTTLE_RATES}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["frozen", "stopped"])
def test_the_api_reads_and_writes_with_redis_down(redis, kind, default_rates, editor_api, api):
    fault(redis, kind)
    created = bounded(lambda: timed(editor_api.post, "/api/v1/topics/", {"slug": "truce", "name": "Truce"}), 5)
    assert created[0].status_code == 201, created[0].content
    for path in ("/api/v1/topics/", "/api/v1/topics/truce/"):
        response, took = bounded(lambda path=path: timed(api.get, path), 5)
        assert response.status_code == 200, (path, response.content[:300])
        assert took < 1, (path, took)
    schema = bounded(lambda: api.get("/api/v1/schema/?format=json"), 60)  # built here: seconds on a busy machine
    assert schema.status_code == 200, "built without the shared cache"
    _, took = timed(lambda: [api.get("/api/v1/topics/") for _ in range(10)])
    assert took < 2, f"with the breaker open no request waits for Redis: 10 reads took {took:.2f} s"


@pytest.mark.django_db
def test_throttles_fall_back_to_counting_per_process(redis, settings, api):
    rates = dict.fromkeys(base_settings.THROTTLE_RATES) | {"anon_burst": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    redis.stop()
    codes = [bounded(lambda: api.get("/api/v1/topics/", REMOTE_ADDR="192.0.2.7").status_code, 5) for _ in range(3)]
    assert codes == [200, 200, 429], "a client is still held to the rate, by this process's own count"


@pytest.mark.django_db
def test_ready_reports_a_degraded_cache_without_failing(redis, client):
    assert client.get("/health/ready").json()["checks"]["cache"] == "ok"
    redis.freeze()
    response, took = bounded(lambda: timed(client.get, "/health/ready"), 5)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("degraded")
    assert took < 1


# -- errors keep their type ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/v1/schema/", "/api/v1/schema/?format=json", "/api/v1/topics/?format=api", "/api/v1/topics/"]
)
def test_a_500_is_a_json_problem_whatever_the_format(url, monkeypatch):
    from rest_framework.test import APIClient

    def broken(self, *args, **kwargs):
        raise RuntimeError("broke")

    monkeypatch.setattr(SchemaView, "build", broken)
    monkeypatch.setattr("apps.topics.api.views.TopicViewSet.list", broken)
    SchemaView._rendered.clear()
    response = APIClient(raise_request_exception=False).get(url, HTTP_ACCEPT="text/html,*/*")
    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM
    assert json.loads(response.content)["status"] == 500, "the body is what its type says"


@pytest.mark.django_db
def test_concurrent_first_requests_build_the_schema_once(monkeypatch):
    from rest_framework.test import APIClient

    builds = []
    build = SchemaView.build

    def counted(self, request, version):
        builds.append(version)
        time.sleep(0.2)  # a slow build, so the requests overlap
        return build(self, request, version)

    monkeypatch.setattr(SchemaView, "build", counted)
    SchemaView._rendered.clear()
    cache.clear()
    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda _: APIClient().get("/api/v1/schema/").status_code, range(4)))
    assert codes == [200] * 4
    assert builds == ["v1"], "one build; the others waited for it"


# -- gunicorn on a private PostgreSQL and Redis -----------------------------------------------------

ANSWER_TIMEOUT = 2  # DATABASE_STATEMENT_TIMEOUT_MS=1000 below, plus a second


def get(url: str, timeout: float = 15) -> tuple[int, dict, bytes, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status, headers, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, dict(error.headers), error.read()
    return status, headers, body, time.monotonic() - started


@pytest.fixture(scope="module")
def stack(redis_server):
    """gunicorn (gunicorn.conf.py, two workers) on a private PostgreSQL, migrated, and the private Redis."""
    postgres = processes.Postgres()
    port = processes.free_port()
    env = {
        **os.environ,
        "DATABASE_URL": postgres.url("factsapi"),
        "REDIS_URL": redis_server.url,
        "SECRET_KEY": "test-only-not-secret",
        "DEBUG": "false",
        "WEB_CONCURRENCY": "2",
        "HEALTH_TIMEOUT_SECONDS": "1",
        "CACHE_RETRY_SECONDS": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_STATEMENT_TIMEOUT_MS", None)  # migrate: none, as manage.py runs commands
    server = None
    try:
        postgres.run(
            [f"{postgres.bin}/createdb", "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", "factsapi"]
        )
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
            timeout=120,
        )
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        server = subprocess.Popen(
            [gunicorn, "factsapi.wsgi", "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
            cwd=BASE_DIR,
            env={**env, "DATABASE_STATEMENT_TIMEOUT_MS": "1000"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.wait_for_port(port, timeout=60)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while get(f"{base}/health/ready")[0] != 200:
            assert time.monotonic() < deadline, "gunicorn never became ready"
            time.sleep(0.2)
        yield base, postgres
    finally:
        if server is not None:
            server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            server.wait(30)
        postgres.remove()


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL faults: they run with the PostgreSQL suite"
)


def assert_database_unavailable(status, headers, body) -> None:
    assert status == 503, body[:300]
    assert headers["Content-Type"] == PROBLEM
    assert int(headers["Retry-After"]) > 0
    assert json.loads(body)["errors"][0]["code"] == "database_unavailable"


@postgresql_only
def test_a_frozen_database_is_a_fast_503_and_live_still_answers(stack):
    base, postgres = stack
    assert get(f"{base}/api/v1/actors/")[0] == 200
    postgres.freeze()
    try:
        with ThreadPoolExecutor(6) as pool:
            reads = [pool.submit(get, f"{base}/api/v1/actors/") for _ in range(4)]
            time.sleep(0.3)  # the reads are waiting on the database now
            live = get(f"{base}/health/live")
            ready = get(f"{base}/health/ready")
            answers = [read.result() for read in reads]
    finally:
        postgres.thaw()
    assert live[0] == 200
    assert live[3] < 1, f"live answered in {live[3]:.2f} s while requests waited"
    assert ready[0] == 503
    assert ready[3] < 3, f"ready answered in {ready[3]:.2f} s"
    assert json.loads(ready[2])["checks"]["database"].startswith("error")
    for status, headers, body, took in answers:
        assert_database_unavailable(status, headers, body)
        assert took < ANSWER_TIMEOUT + 3, f"a 503 after {took:.2f} s"
    deadline = time.monotonic() + 10
    while (status := get(f"{base}/api/v1/actors/")[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status == 200, "recovers without a restart"


@postgresql_only
def test_a_stopped_database_is_a_fast_503(stack):
    base, postgres = stack
    postgres.stop()
    try:
        status, headers, body, took = get(f"{base}/api/v1/actors/")
        assert_database_unavailable(status, headers, body)
        assert took < 2
        assert get(f"{base}/health/live")[0] == 200
    finally:
        postgres.start()
    deadline = time.monotonic() + 10
    while (status := get(f"{base}/api/v1/actors/")[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status == 200, "recovers without a restart"


@postgresql_only
def test_gunicorn_serves_with_redis_frozen(stack, redis_server):
    base, _ = stack
    redis_server.freeze()
    try:
        answers = [get(f"{base}/api/v1/actors/") for _ in range(10)]
        ready = get(f"{base}/health/ready")
    finally:
        redis_server.thaw()
    assert [a[0] for a in answers] == [200] * 10
    assert max(a[3] for a in answers) < 1
    assert ready[0] == 200
    assert json.loads(ready[2])["status"] == "degraded"
