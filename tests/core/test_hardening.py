"""Hostile input gets a clear 4xx problem and loses nothing; limits, throttles, CORS, CSP, health, tokens.

One table of request → expected status and problem ``type``, run against every
resource (pretix's permission-table style), on both databases.
"""

import base64
import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.core.models import MAX_CITATIONS, MAX_LINKS, MAX_TEXT
from apps.core.record.versions import versioned_models
from apps.statements.models import Statement
from tests import factories
from tests.conftest import token_client

pytestmark = pytest.mark.django_db

RESOURCES = sorted(m.api_resource for m in versioned_models())
PROBLEM = "application/problem+json"
NUL_CURSOR = "eyJvIjpbIm5hbWUiXSwidiI6WyJhXHUwMDAwYiJdLCJiIjpmYWxzZX0"  # {"o":["name"],"v":["a\u0000b"],…}


def problem(response, status: int, slug: str, attr: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"urn:factsapi:problem:{slug}"
    assert body["status"] == status
    if attr is not None:
        assert attr in [e["attr"] for e in body["errors"]], body
    return body


@pytest.fixture
def quiet_client():
    """An anonymous client that returns a 500 instead of raising it, so the table can see one."""
    return APIClient(raise_request_exception=False)


# -- the table: every resource ------------------------------------------------------------------

ANON_CASES = [
    # (case, request kwargs, status, problem type, attr)
    ("token bytes not UTF-8", {"HTTP_AUTHORIZATION": "Token \xff\xfe\x00"}, 401, "unauthorized", None),
    ("token with a space", {"HTTP_AUTHORIZATION": "Token abc def"}, 401, "unauthorized", None),
    ("token not hex", {"HTTP_AUTHORIZATION": "Token zz!!"}, 401, "unauthorized", None),
    ("NUL in a cursor", {"data": {"cursor": NUL_CURSOR}}, 400, "validation-error", "cursor"),
    ("NUL in a filter", {"data": {"q": "a\x00b"}}, 400, "validation-error", "q"),
    ("q too long", {"data": {"q": "x" * 201}}, 400, "validation-error", "q"),
    ("q with too many words", {"data": {"q": " ".join(["w"] * 17)}}, 400, "validation-error", "q"),
    ("page size too large", {"data": {"page_size": "201"}}, 400, "validation-error", "page_size"),
    ("bad as_of", {"data": {"as_of": "yesterday"}}, 400, "validation-error", "as_of"),
    ("unknown Host", {"HTTP_HOST": "evil.example"}, 400, "bad-request", None),
]


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize(("case", "kwargs", "status", "slug", "attr"), ANON_CASES, ids=[c[0] for c in ANON_CASES])
def test_hostile_reads(quiet_client, resource, case, kwargs, status, slug, attr):
    kwargs = dict(kwargs)
    response = quiet_client.get(f"/api/v1/{resource}/", kwargs.pop("data", {}), **kwargs)
    problem(response, status, slug, attr)


def write_cases(source):
    big = json.dumps({"text": "x" * 3_000_000})
    deep = "[" * 10_000 + "]" * 10_000
    return [
        ("body over the size limit", big, "application/json", 413, "request-entity-too-large", None),
        ("JSON nested 10,000 deep", deep, "application/json", 400, "bad-request", None),
        ("JSON nested 20 deep", "[" * 20 + "1" + "]" * 20, "application/json", 400, "bad-request", None),
        ("malformed JSON", "{", "application/json", 400, "bad-request", None),
        ("form body", "a=b", "application/x-www-form-urlencoded", 415, "unsupported-media-type", None),
        ("NUL in a slug reference", json.dumps({"speaker": "a\x00b", "actor": "a\x00b", "parent": "a\x00b"}),
         "application/json", 400, "validation-error", None),
        ("NUL in a nested field", json.dumps({"citations": [{"source": "a\x00"}]}), "application/json", 400,
         "validation-error", "citations.0.source"),
    ]  # fmt: skip


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("index", range(7))
def test_hostile_writes_write_nothing(editor_api, source, resource, index):
    case, body, content_type, status, slug, attr = write_cases(source)[index]
    editor_api.raise_request_exception = False
    before = {m: m._base_manager.count() for m in versioned_models()}
    response = editor_api.generic("POST", f"/api/v1/{resource}/", body, content_type=content_type)
    problem(response, status, slug, attr)
    assert {m: m._base_manager.count() for m in versioned_models()} == before, case


# -- bounds -------------------------------------------------------------------------------------


def statement_body(source, **overrides):
    return {
        "speaker": factories.make_actor().slug,
        "text": "words",
        "kind": "paraphrase",
        "certainty": "confirmed",
        "citations": [{"source": str(source.pk)}],
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "attr"),
    [
        ({"text": "x" * (MAX_TEXT + 1)}, "text"),
        ({"assessment": "x" * (MAX_TEXT + 1)}, "assessment"),
        ({"citations": "many"}, "citations"),
        ({"medium": 0}, "medium"),
        ({"text": 5}, "text"),
    ],
)
def test_bounds_and_strict_types_are_400s(editor_api, source, overrides, attr):
    response = editor_api.post("/api/v1/statements/", statement_body(source, **overrides), format="json")
    problem(response, 400, "validation-error", attr)
    assert not Statement.objects.exists()


def test_too_many_citations_or_links_are_400s(editor_api, source):
    citations = [{"source": str(source.pk)}] * (MAX_CITATIONS + 1)
    problem(
        editor_api.post("/api/v1/statements/", statement_body(source, citations=citations), format="json"),
        400,
        "validation-error",
        "citations",
    )
    about = [f"actor-{n}" for n in range(MAX_LINKS + 1)]
    problem(
        editor_api.post("/api/v1/statements/", statement_body(source, about=about), format="json"),
        400,
        "validation-error",
        "about",
    )
    problem(
        editor_api.post("/api/v1/sources/", {"title": "t", "kind": "news", "language": 0}, format="json"),
        400,
        "validation-error",
        "language",
    )


def test_a_fact_with_the_most_of_everything_saves_in_a_bounded_number_of_queries(editor_api, source):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    about = [factories.make_actor().slug for _ in range(MAX_LINKS)]

    def create(n_citations, n_about):
        body = statement_body(
            source,
            text="x" * MAX_TEXT,
            about=about[:n_about],
            citations=[{"source": str(source.pk), "excerpt": "e" * 1000, "note": "n" * 100}] * n_citations,
        )
        with CaptureQueriesContext(connection) as ctx:
            response = editor_api.post("/api/v1/statements/", body, format="json")
        assert response.status_code == 201, response.content[:300]
        return len(ctx.captured_queries)

    # Citations and links are written set-based: the cost does not grow with how many there are.
    assert create(1, 1) == create(MAX_CITATIONS, MAX_LINKS)
    listed = APIClient().get("/api/v1/statements/").json()["results"]
    assert len(listed[0]["citations"]) in {1, MAX_CITATIONS}


# -- query strings read one documented way ------------------------------------------------------


def test_empty_filter_values_are_ignored(api):
    factories.make_topic(slug="a", name="A")
    for params in [{"parent": ""}, {"ordering": ""}, {"q": ""}, {"parent": "", "q": ""}]:
        response = api.get("/api/v1/topics/", params)
        assert response.status_code == 200, params
        assert [t["slug"] for t in response.json()["results"]] == ["a"]


def test_repeated_ordering_sorts_by_each_in_turn(api):
    day = datetime.date(2026, 1, 14)
    first = factories.make_statement(said_on=day, text="first")
    factories.make_statement(said_on=day, text="second")
    factories.make_statement(said_on=datetime.date(2025, 1, 1), text="older")
    Statement._base_manager.filter(pk=first.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))
    repeated = api.get("/api/v1/statements/?ordering=-said_on&ordering=created_at").json()["results"]
    joined = api.get("/api/v1/statements/?ordering=-said_on,created_at").json()["results"]
    assert [r["text"] for r in repeated] == [r["text"] for r in joined] == ["first", "second", "older"]


# -- throttling ---------------------------------------------------------------------------------


@pytest.fixture
def low_rates(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon_burst": "3/min",
            "anon_sustained": "100/hour",
            "user_burst": "6/min",
            "user_sustained": "100/hour",
        },
    }
    yield
    cache.clear()


def test_anonymous_clients_are_throttled_with_a_429_problem_and_retry_after(api, low_rates):
    for _ in range(3):
        assert api.get("/api/v1/topics/").status_code == 200
    response = api.get("/api/v1/topics/")
    problem(response, 429, "too-many-requests")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_editors_have_their_own_higher_rates(api, editor_api, low_rates):
    for _ in range(3):
        api.get("/api/v1/topics/")
    assert api.get("/api/v1/topics/").status_code == 429
    statuses = [editor_api.get("/api/v1/topics/").status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]


def test_health_checks_are_not_throttled(client, low_rates):
    assert [client.get("/health/live").status_code for _ in range(10)] == [200] * 10
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "migrations": "ok"}


# -- login lockout ------------------------------------------------------------------------------


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_admin_login_locks_out_after_repeated_failures(client, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@example.org", "right-password")
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": "chief", "password": "wrong"})
        assert response.status_code in {200, 429}
    locked = client.post(url, {"username": "chief", "password": "right-password"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    call_command("axes_reset_username", "chief", verbosity=0)
    assert client.post(url, {"username": "chief", "password": "right-password"}).status_code == 302


# -- CORS and CSP -------------------------------------------------------------------------------


def test_any_origin_may_read_anonymously_but_not_write_or_send_credentials(api):
    read = api.get("/api/v1/topics/", HTTP_ORIGIN="https://elsewhere.example")
    assert read["Access-Control-Allow-Origin"] == "https://elsewhere.example"
    assert not read.has_header("Access-Control-Allow-Credentials")
    assert "ETag" in read["Access-Control-Expose-Headers"]
    preflight = api.options(
        "/api/v1/topics/", HTTP_ORIGIN="https://elsewhere.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert not preflight.has_header("Access-Control-Allow-Origin")


@override_settings(CORS_ALLOWED_ORIGINS=["https://newsroom.example"])
def test_trusted_origins_may_write_with_credentials(api):
    preflight = api.options(
        "/api/v1/topics/",
        HTTP_ORIGIN="https://newsroom.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, if-match",
    )
    assert preflight["Access-Control-Allow-Origin"] == "https://newsroom.example"
    assert preflight["Access-Control-Allow-Credentials"] == "true"
    assert "if-match" in preflight["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("url", ["/admin/login/", "/api/v1/docs/", "/api/v1/redoc/", "/api/v1/topics/"])
def test_pages_carry_a_csp_that_allows_only_this_servers_scripts(client, url):
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    # Every script is a file from this server (or inert JSON data): nothing the policy would block.
    for tag in html.split("<script")[1:]:
        head = tag.split(">", 1)[0]
        assert 'src="/' in head or 'type="application/json"' in head, head


def test_docs_work_before_collectstatic(settings, client, tmp_path):
    settings.STATIC_ROOT = tmp_path  # nothing collected there
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "apps.core.http.storage.StaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = True  # as in production (the test settings turn it off for speed)
    for url in ["/api/v1/docs/", "/api/v1/redoc/", "/admin/login/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        # Every script and stylesheet the page links is served by this server.
        html = response.content.decode()
        assets = re.findall(r'<script[^>]* src="(/[^"]+)"', html) + re.findall(r'<link[^>]* href="(/[^"]+)"', html)
        assert assets, url
        for asset in assets:
            assert client.get(asset).status_code == 200, asset


# -- tokens -------------------------------------------------------------------------------------


def test_tokens_expire_after_the_configured_days(editor):
    token, _ = AuthToken.objects.create(user=editor)
    assert abs(token.expiry - (timezone.now() + datetime.timedelta(days=90))) < datetime.timedelta(minutes=1)


def test_tokens_can_be_listed_and_revoked(editor, capsys):
    first, _ = AuthToken.objects.create(user=editor)
    second, key = AuthToken.objects.create(user=editor)
    call_command("api_tokens", "editor")
    listed = capsys.readouterr().out
    assert first.token_key in listed
    assert second.token_key in listed
    call_command("api_tokens", "editor", "--revoke", first.token_key)
    assert list(AuthToken.objects.filter(user=editor)) == [second]
    assert token_client(editor).get("/api/v1/topics/").status_code == 200
    call_command("api_tokens", "editor", "--revoke-all")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/topics/").status_code == 401


@pytest.mark.parametrize("resource", RESOURCES)
def test_any_valid_utc_offset_is_read_in_utc(api, resource):
    # PostgreSQL refuses offsets beyond ±15:59; ISO 8601 allows up to ±23:59.
    assert api.get(f"/api/v1/{resource}/", {"as_of": "0253-01-15T11:37:24+23:26"}).status_code == 200
    problem(api.get(f"/api/v1/{resource}/", {"as_of": "0001-01-01T00:00:00+05:00"}), 400, "validation-error", "as_of")


def test_feed_since_and_cursors_read_any_offset_in_utc(api):
    factories.make_statement()
    assert api.get("/api/v1/changes/", {"since": "0253-01-15T11:37:24+23:26"}).status_code == 200
    problem(api.get("/api/v1/changes/", {"since": "0001-01-01T00:00:00+05:00"}), 400, "validation-error", "since")
    forged = {"o": ["created_at", "id"], "v": ["0253-01-15T11:37:24+23:26", "1"], "b": False}
    cursor = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
    assert api.get("/api/v1/topics/", {"ordering": "created_at", "cursor": cursor}).status_code == 200
