"""HTTP details a client relies on: rate-limit headers, Link headers, the API root, the favicon, the
schema's version and server, and problem bodies for unknown /api/ URLs with DEBUG on."""

import pytest
import yaml
from django.test import override_settings
from django.urls import clear_url_caches

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon_burst": "3/min",
            "anon_sustained": "100/hour",
            "user_burst": "6/min",
            "user_sustained": "100/hour",
        },
    }


def test_ratelimit_headers_count_down_to_the_429(api, low_rates):
    seen = []
    for _ in range(3):
        response = api.get("/api/v1/topics/")
        assert response.status_code == 200
        assert response["RateLimit-Limit"] == "3", "the tightest limit: 3 a minute, not 100 an hour"
        assert 1 <= int(response["RateLimit-Reset"]) <= 60
        seen.append(response["RateLimit-Remaining"])
    assert seen == ["2", "1", "0"]
    refused = api.get("/api/v1/topics/")
    assert refused.status_code == 429
    assert refused["RateLimit-Remaining"] == "0"
    assert int(refused["RateLimit-Reset"]) == int(refused["Retry-After"])


def test_editors_see_their_own_limit(editor_api, low_rates):
    assert editor_api.get("/api/v1/topics/")["RateLimit-Limit"] == "6"


def test_no_ratelimit_headers_where_nothing_is_throttled(api, client, low_rates):
    assert "RateLimit-Limit" not in client.get("/health/live")


def test_pages_link_next_and_prev_in_a_header(api):
    for _ in range(3):
        factories.make_topic()
    first = api.get("/api/v1/topics/", {"page_size": 2})
    assert first["Link"] == f'<{first.json()["next"]}>; rel="next"'
    second = api.get(first.json()["next"])
    assert second["Link"] == f'<{second.json()["previous"]}>; rel="prev"'


def test_the_api_root_describes_the_api(api):
    page = api.get("/api/v1/", HTTP_ACCEPT="text/html").content.decode()
    assert "sourced geopolitical facts" in page
    assert "The default basic root view" not in page


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_the_schema_version_is_pep_440_and_its_server_is_relative(api):
    from packaging.version import Version

    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    assert str(Version(schema["info"]["version"])) == schema["info"]["version"]
    assert schema["info"]["x-api-version"] == "v1"
    assert schema["servers"][0]["url"] == "/"


@override_settings(DEBUG=True)
def test_an_unknown_api_url_is_a_problem_even_with_debug_on(api, client):
    clear_url_caches()
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["code"] == "not_found"
    # Outside /api/ Django's debug page stays.
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("feed", "params"),
    [
        ("statements/feed.atom", {"certainty": "nope"}),
        ("statements/feed.atom", {"date_from": "yesterday", "speaker": "no-such-actor"}),
        ("deadlines/feed.atom", {"status": "nope"}),
        ("changes/feed.atom", {"since": "not-a-time"}),
    ],
)
def test_a_feeds_errors_are_the_lists(api, feed, params):
    listed = api.get(f"/api/v1/{feed.split('/')[0]}/", params)
    fed = api.get(f"/api/v1/{feed}", params)
    assert listed.status_code == fed.status_code == 400
    assert fed.json()["errors"] == listed.json()["errors"]
