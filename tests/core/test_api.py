"""Behaviour every API resource shares: versions, errors, auth, pagination, tokens."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from knox.models import AuthToken

from apps.core.record import services
from apps.topics.models import Topic
from tests import factories
from tests.conftest import editors_group
from tests.helpers import assert_problem, count_queries, walk

pytestmark = pytest.mark.django_db


def test_root_lists_every_resource(api):
    body = api.get("/api/v1/").json()
    assert set(body) == {
        *("actors", "roles", "topics", "sources", "events", "statements", "positions", "deadlines"),
        "changes",
        *("schema", "docs", "redoc"),  # the OpenAPI schema, Swagger UI and ReDoc
        *("intake/articles", "intake/drafts"),
        "subscriptions",
    }
    assert body["statements"] == "http://testserver/api/v1/statements/"
    assert body["docs"] == "http://testserver/api/v1/docs/"


def test_unknown_version_is_a_404_problem(api):
    body = assert_problem(api.get("/api/v2/statements/"), 404, code="not_found")
    assert "v1" in body["detail"]


def test_unknown_api_url_is_a_404_problem(api):
    assert_problem(api.get("/api/v1/no-such-resource/"), 404, code="not_found")
    assert_problem(api.get("/api/latest/statements/"), 404)


def test_unknown_object_is_a_404_problem(api):
    assert_problem(api.get("/api/v1/statements/7b0e5f38-2c7a-4c55-9d55-2d5b8f0bd4a1/"), 404)
    assert_problem(api.get("/api/v1/statements/not-a-uuid/"), 404)
    assert_problem(api.get("/api/v1/actors/nobody/"), 404)


def test_anonymous_write_is_401_with_www_authenticate(api):
    response = api.post("/api/v1/actors/", {"slug": "x", "name": "X", "kind": "person"})
    assert_problem(response, 401, code="not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_bad_token_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_problem(api.get("/api/v1/actors/"), 401, code="authentication_failed")


def test_user_without_permission_is_403(reader_api):
    assert reader_api.get("/api/v1/actors/").status_code == 200  # reads stay open
    response = reader_api.post("/api/v1/actors/", {"slug": "x", "name": "X", "kind": "person"})
    assert_problem(response, 403, code="permission_denied")


def test_malformed_json_is_400(editor_api):
    response = editor_api.post("/api/v1/actors/", "{not json", content_type="application/json")
    assert_problem(response, 400, code="parse_error")


def test_deleting_a_referenced_actor_is_409_and_keeps_it(editor_api, statement):
    response = editor_api.delete(f"/api/v1/actors/{statement.speaker.slug}/")
    body = assert_problem(response, 409, code="protected")
    assert "statements" in body["detail"]
    assert editor_api.get(f"/api/v1/actors/{statement.speaker.slug}/").status_code == 200


def test_deleting_a_cited_source_is_409(editor_api, statement):
    source = statement.citations.get().source
    assert_problem(editor_api.delete(f"/api/v1/sources/{source.pk}/"), 409, code="protected")


# -- pagination ------------------------------------------------------------------


@pytest.mark.parametrize("page_size", ["0", "201", "-1", "ten"])
def test_page_size_outside_1_to_200_is_400(api, page_size):
    assert_problem(api.get("/api/v1/statements/", {"page_size": page_size}), 400, attr="page_size")


@pytest.mark.parametrize("cursor", ["garbage", "eyJvIjpbXX0", "e30"])
def test_tampered_cursor_is_400(api, cursor):
    assert_problem(api.get("/api/v1/statements/", {"cursor": cursor}), 400, attr="cursor")


def test_cursor_from_another_ordering_is_400(api):
    speaker = factories.make_actor()
    for day in (1, 2, 3):
        factories.make_statement(speaker=speaker, said_on=datetime.date(2026, 1, day))
    next_url = api.get("/api/v1/statements/", {"page_size": 1}).json()["next"]
    assert_problem(api.get(next_url + "&ordering=said_on"), 400, attr="cursor")


def test_walking_pages_visits_every_row_once_despite_ties_and_nulls(api):
    """Many statements share a date, some have none: the id breaks ties, NULLs come last."""
    speaker = factories.make_actor()
    made = [factories.make_statement(speaker=speaker, said_on=datetime.date(2026, 1, 1 + i % 3)) for i in range(11)]
    made += [factories.make_statement(speaker=speaker, said_on=None) for _ in range(4)]
    for ordering in [None, "said_on", "-said_on", "created_at"]:
        params = {"page_size": 4} | ({"ordering": ordering} if ordering else {})
        ids = [row["id"] for row in walk(api, "/api/v1/statements/", **params)]
        assert sorted(ids) == sorted(str(s.pk) for s in made), ordering
        assert len(ids) == len(set(ids)) == 15
        dates = [row["said_on"] for row in walk(api, "/api/v1/statements/", **params)]
        known = [d for d in dates if d]
        if ordering in (None, "-said_on"):
            assert known == sorted(known, reverse=True)
        if ordering == "said_on":
            assert known == sorted(known)
        if ordering != "created_at":
            assert dates[-4:] == [None] * 4  # undated statements last, either direction


def test_previous_links_walk_back_to_the_first_page(api):
    speaker = factories.make_actor()
    for i in range(7):
        factories.make_statement(speaker=speaker, said_on=datetime.date(2026, 1, 1 + i % 2))
    pages = [api.get("/api/v1/statements/", {"page_size": 3}).json()]
    while pages[-1]["next"]:
        pages.append(api.get(pages[-1]["next"]).json())
    assert [len(p["results"]) for p in pages] == [3, 3, 1]
    assert pages[0]["previous"] is None
    back = api.get(pages[-1]["previous"]).json()
    assert back["results"] == pages[1]["results"]
    back = api.get(back["previous"]).json()
    assert back["results"] == pages[0]["results"]
    assert back["previous"] is None


def test_page_size_default_is_50_and_max_is_200(api):
    # 201 rows, so that a cap below 200 (or none) would show; topics are the cheapest rows to write.
    for n in range(201):
        services.create(Topic, data={"slug": f"topic-{n:03}", "name": f"Topic {n:03}"})
    first = api.get("/api/v1/topics/").json()
    assert [row["slug"] for row in first["results"]] == [f"topic-{n:03}" for n in range(50)]
    full = api.get("/api/v1/topics/", {"page_size": 200}).json()
    assert [row["slug"] for row in full["results"]] == [f"topic-{n:03}" for n in range(200)]
    assert [row["slug"] for row in api.get(full["next"]).json()["results"]] == ["topic-200"]


def test_deep_pages_cost_the_same_queries_as_the_first(api):
    speaker = factories.make_actor()
    for i in range(30):
        factories.make_statement(speaker=speaker, said_on=datetime.date(2026, 1, 1 + i % 5))
    first, body = count_queries(api, "/api/v1/statements/", page_size=5)
    for _ in range(4):
        deeper, body = count_queries(api, body["next"])
        assert deeper == first


# -- tokens --------------------------------------------------------------------------


def test_create_api_token_makes_user_joins_group_and_prints_working_token(api):
    editors_group()
    out = io.StringIO()
    call_command("create_api_token", "newsroom-bot", "--group", "Editors", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    stored = AuthToken.objects.get(user__username="newsroom-bot")
    assert token not in {stored.digest, stored.token_key}  # only a hash and a short prefix are stored
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.post("/api/v1/topics/", {"slug": "new-start", "name": "New START"})
    assert response.status_code == 201, response.content
    assert stored.user.groups.filter(name="Editors").exists()


def test_create_api_token_rejects_unknown_group():
    with pytest.raises(Exception, match="No group named"):
        call_command("create_api_token", "someone", "--group", "Nope", stdout=io.StringIO())


def test_browsable_api_offers_session_login(client, superuser):
    page = client.get("/api/v1/statements/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert "/api-auth/login/" in page.content.decode()
    client.force_login(superuser)
    assert client.get("/api/v1/statements/", HTTP_ACCEPT="text/html").status_code == 200


def test_session_write_needs_csrf_token(superuser):
    """The admin's session works for the browsable API, but not for cross-site writes."""
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(superuser)
    response = csrf_client.post("/api/v1/topics/", {"slug": "x", "name": "X"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_deleting_an_actor_or_topic_a_fact_lists_is_409_and_keeps_the_link(editor_api):
    actor, topic = factories.make_actor(slug="nicolas-maduro"), factories.make_topic(slug="venezuela")
    event = factories.make_event()
    event.participants.set([actor])
    event.topics.set([topic])
    assert_problem(editor_api.delete("/api/v1/actors/nicolas-maduro/"), 409, code="protected")
    assert_problem(editor_api.delete("/api/v1/topics/venezuela/"), 409, code="protected")
    assert list(event.participants.all()) == [actor]
    assert list(event.topics.all()) == [topic]
    event.participants.clear()
    assert editor_api.delete("/api/v1/actors/nicolas-maduro/").status_code == 204


def test_admin_delete_page_lists_linking_facts_as_protected(admin_client):
    actor = factories.make_actor(name="Nicolás Maduro")
    factories.make_statement(text="About Maduro").about.set([actor])
    page = admin_client.get(f"/admin/actors/actor/{actor.pk}/delete/")
    assert "would require deleting the following protected related objects" in page.content.decode()
    admin_client.post(f"/admin/actors/actor/{actor.pk}/delete/", {"post": "yes"})
    assert type(actor).objects.filter(pk=actor.pk).exists()


def test_form_encoded_writes_are_415(editor_api):
    response = editor_api.post("/api/v1/topics/", {"slug": "x", "name": "X"}, format="multipart")
    assert_problem(response, 415, code="unsupported_media_type")


def test_boolean_filter_rejects_other_values(api):
    assert_problem(api.get("/api/v1/positions/", {"current": "maybe"}), 400, attr="current")
    assert api.get("/api/v1/positions/", {"current": "true"}).status_code == 200


@pytest.mark.parametrize("url", ["statements", "events", "deadlines", "positions", "roles", "sources"])
@pytest.mark.parametrize("param", ["date_from", "date_to"])
@pytest.mark.parametrize("value", ["02/05/2026", "08/15/2025", "15 Aug 2025", "05 Feb 2026"])
def test_date_filters_take_iso_8601_only(api, url, param, value):
    # Documented as YYYY-MM-DD, like the dates the API writes and returns; any other
    # spelling is ambiguous (is 05/02 the 5th of February or the 2nd of May?).
    body = assert_problem(api.get(f"/api/v1/{url}/", {param: value}), 400)
    assert [e["attr"] for e in body["errors"]] == [param]


@pytest.mark.parametrize("query", ["certainty=sure", "date_to=tomorrow", "page_size=0"])
def test_a_refused_list_request_is_its_400_even_with_if_none_match(api, query):
    """The ETag of a list is known before its page is read, but a request the list refuses is still a 400,
    never a 304 (schemathesis: a malformed date_to with If-None-Match: * was answered 304)."""
    response = api.get(f"/api/v1/deadlines/?{query}", HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 400
