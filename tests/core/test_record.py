"""The record over time: one write path, whole-fact versions, revert, no lost updates, as_of, the changes feed."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from apps.actors.models import Actor
from apps.core.models import Change
from apps.core.record import services
from apps.statements.models import Statement
from apps.topics.models import Topic
from tests import factories
from tests.conftest import token_client
from tests.helpers import count_queries, walk

pytestmark = pytest.mark.django_db

URL = "/api/v1/statements/"
VOLATILE = {"updated_at", "version"}


def stable(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in VOLATILE}


@pytest.fixture
def edited(editor_api, trump, putin, zelenskyy, peace_talks, source):
    """A statement created and then edited four times through the API: text, a citation's excerpt, about, topics."""
    other_topic = factories.make_topic(slug="sanctions", name="Sanctions")
    body = {
        "speaker": "donald-trump",
        "text": "first words",
        "kind": "direct_quote",
        "said_on": "2026-01-14",
        "certainty": "confirmed",
        "about": ["vladimir-putin"],
        "topics": ["ukraine-peace-talks"],
        "citations": [{"source": str(source.pk), "excerpt": "first excerpt", "locator": "para 1"}],
    }
    created = editor_api.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    url = f"{URL}{created.json()['id']}/"
    edits = [
        {"text": "second words"},
        {"citations": [{"source": str(source.pk), "excerpt": "edited excerpt", "locator": "para 1"}]},
        {"about": ["volodymyr-zelenskyy"]},
        {"topics": ["sanctions"]},
    ]
    for edit in edits:
        response = editor_api.patch(url, edit, format="json")
        assert response.status_code == 200, response.content
    assert other_topic.slug == "sanctions"
    return url


def admin_form(statement, **overrides) -> dict:
    """The POST body of a statement's admin change form, with its one citation inline."""
    citation = statement.citations.get()
    return {
        "speaker": statement.speaker_id, "text": statement.text, "kind": statement.kind,
        "said_on": statement.said_on.isoformat(), "date_precision": statement.date_precision,
        "certainty": statement.certainty, "medium": "", "assessment": "",
        "citations-TOTAL_FORMS": "1", "citations-INITIAL_FORMS": "1", "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000", "citations-0-id": citation.pk, "citations-0-statement": statement.pk,
        "citations-0-source": citation.source_id, "citations-0-excerpt": "", "citations-0-locator": "",
        "citations-0-note": "",
        **overrides,
    }  # fmt: skip


# -- versions ---------------------------------------------------------------------------------


def test_each_change_of_a_fact_is_one_whole_version(api, edited, editor):
    versions = api.get(f"{edited}history/").json()["results"]
    assert [v["version"] for v in versions] == [5, 4, 3, 2, 1]
    assert [v["change"] for v in versions] == ["changed"] * 4 + ["created"]
    assert [v["changed_fields"] for v in versions] == [["topics"], ["about"], ["citations"], ["text"], []]
    assert {v["recorded_by"] for v in versions} == {editor.username}
    # Each version holds the whole fact as GET returned it then, citations and links included.
    assert versions[0]["data"] == api.get(edited).json()
    assert versions[4]["data"]["text"] == "first words"
    assert versions[4]["data"]["citations"][0]["excerpt"] == "first excerpt"
    assert versions[2]["data"]["citations"][0]["excerpt"] == "edited excerpt"
    one = api.get(f"{edited}history/3/").json()
    assert one == versions[2]
    assert api.get(f"{edited}history/9/").status_code == 404


def test_revert_restores_text_links_and_citations_as_a_new_version(api, editor_api, edited):
    first = api.get(f"{edited}history/1/").json()["data"]
    response = editor_api.post(f"{edited}history/1/revert/")
    assert response.status_code == 200, response.content
    now = api.get(edited).json()
    assert response.json() == now
    # Text, about, topics and the citation exactly as in version 1.
    assert stable(now) == stable(first)
    latest = api.get(f"{edited}history/").json()["results"][0]
    assert (latest["version"], latest["change"]) == (6, "reverted")
    assert sorted(latest["changed_fields"]) == ["about", "citations", "text", "topics"]
    assert now["version"] == 6


def test_revert_needs_an_editor(api, reader_api, edited):
    assert api.post(f"{edited}history/1/revert/").status_code == 401
    assert reader_api.post(f"{edited}history/1/revert/").status_code == 403
    assert api.get(edited).json()["version"] == 5


def test_revert_in_the_admin_restores_the_whole_fact(admin_client, api, edited):
    pk = edited.rstrip("/").rsplit("/", 1)[1]
    first = api.get(f"{edited}history/1/").json()["data"]
    page = admin_client.get(reverse("admin:statements_statement_history", args=[pk]))
    assert page.status_code == 200
    assert b"Revert to version 1" in page.content
    response = admin_client.post(reverse("admin:statements_statement_revert", args=[pk, 1]))
    assert response.status_code == 302
    assert stable(api.get(edited).json()) == stable(first)
    assert Statement.objects.get(pk=pk).history.get(version=6).change == "reverted"


def test_a_no_op_write_records_nothing(editor_api, api, edited):
    assert editor_api.patch(edited, {"text": "second words"}, format="json").status_code == 200
    assert api.get(edited).json()["version"] == 5


def test_deleting_an_event_is_a_version_of_each_statement_that_named_it(editor_api, api):
    event = factories.make_event()
    said = [factories.make_statement(event=event) for _ in range(2)]
    assert editor_api.delete(f"/api/v1/events/{event.pk}/").status_code == 204
    for statement in said:
        latest = api.get(f"{URL}{statement.pk}/history/").json()["results"][0]
        assert (latest["version"], latest["change"], latest["changed_fields"]) == (2, "changed", ["event"])
        assert latest["data"]["event"] is None


def test_a_deleted_fact_is_gone_and_its_history_stays(editor_api, api, statement):
    url = f"{URL}{statement.pk}/"
    assert editor_api.delete(url).status_code == 204
    response = api.get(url)
    assert response.status_code == 410
    body = response.json()
    assert body["history"] == f"http://testserver{url}history/"
    assert body["history"] in body["detail"]
    assert editor_api.patch(url, {"text": "x"}, format="json").status_code == 410
    versions = api.get(f"{url}history/").json()["results"]
    assert [(v["version"], v["change"]) for v in versions] == [(2, "deleted"), (1, "created")]
    # Reverting to version 1 brings it back, as a new version.
    assert editor_api.post(f"{url}history/1/revert/").status_code == 200
    assert api.get(url).json()["version"] == 3


def test_bulk_queryset_writes_go_through_the_write_path(statement, peace_talks):
    Statement.objects.filter(pk=statement.pk).update(medium="press")
    assert statement.history.latest("version").changed_fields == ["medium"]
    statement.topics.set([peace_talks])
    with pytest.raises(Exception, match="still linked"):
        Topic.objects.filter(pk=peace_talks.pk).delete()
    assert Topic.objects.filter(pk=peace_talks.pk).exists()
    Statement.objects.filter(pk=statement.pk).delete()
    assert statement.history.latest("version").change == "deleted"


# -- topic cycles ---------------------------------------------------------------------------------


def test_topic_cycle_is_refused_in_the_admin(admin_client):
    war = factories.make_topic(slug="war", name="War")
    talks = factories.make_topic(slug="talks", name="Talks", parent=war)
    url = reverse("admin:topics_topic_change", args=[war.pk])
    data = {"slug": "war", "name": "War", "description": "", "parent": talks.pk}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "cannot be nested under itself or its own descendants" in response.content.decode()
    war.refresh_from_db()
    assert war.parent is None


def test_ancestor_walk_ends_on_a_cycle_already_in_the_data(editor_api):
    a = factories.make_topic(slug="a", name="A")
    b = factories.make_topic(slug="b", name="B", parent=a)
    Topic._base_manager.filter(pk=a.pk).update(parent=b)  # bad data from before the rule
    factories.make_topic(slug="c", name="C")
    response = editor_api.patch("/api/v1/topics/c/", {"parent": "a"}, format="json")
    assert response.status_code == 200, response.content


# -- lost updates: ETag, If-Match, row locks ------------------------------------------------------


def test_etag_changes_with_every_version_and_answers_304(api, editor_api, statement):
    url = f"{URL}{statement.pk}/"
    first = api.get(url)
    etag = first["ETag"]
    assert etag.startswith('"1-')
    assert first["Last-Modified"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert editor_api.patch(url, {"text": "new"}, format="json")["ETag"] != etag
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    listing = api.get(URL)
    assert api.get(URL, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304


def test_stale_if_match_is_412_naming_the_current_version(api, editor_api, statement):
    url = f"{URL}{statement.pk}/"
    etag = api.get(url)["ETag"]
    assert editor_api.patch(url, {"text": "one"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = editor_api.patch(url, {"text": "two"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert stale.json()["current_version"] == 2
    assert "version 2" in stale.json()["detail"]
    assert editor_api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    current = api.get(url)["ETag"]
    assert editor_api.patch(url, {"text": "two"}, format="json", HTTP_IF_MATCH=current).status_code == 200
    assert api.get(url).json()["text"] == "two"


def test_admin_refuses_a_save_over_a_newer_version(admin_client, statement):
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    form = admin_client.get(url).context["adminform"].form
    assert form["loaded_version"].value() == 1
    services.update(statement, data={"text": "someone else's edit"})
    response = admin_client.post(url, admin_form(statement, text="my edit", loaded_version="1"))
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    statement.refresh_from_db()
    assert statement.text == "someone else's edit"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_patches_of_different_fields_both_survive(editor):
    clients = [token_client(editor), token_client(editor)]
    for round_ in range(5):
        statement = factories.make_statement(text="before", medium="before")
        url = f"{URL}{statement.pk}/"
        bodies = [{"text": f"text {round_}"}, {"medium": f"medium {round_}"}]
        start = threading.Barrier(2)
        statuses = []

        def patch(client, body, url=url, start=start, statuses=statuses):
            try:
                start.wait()
                statuses.append(client.patch(url, body, format="json").status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=patch, args=pair) for pair in zip(clients, bodies, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert statuses == [200, 200]
        statement.refresh_from_db()
        assert (statement.text, statement.medium) == (f"text {round_}", f"medium {round_}")
        assert statement.version == 3


# -- as_of ----------------------------------------------------------------------------------------


def moment():
    """A timestamp strictly between the versions written before and after it."""
    time.sleep(0.002)
    value = timezone.now()
    time.sleep(0.002)
    return value.isoformat().replace("+00:00", "Z")


def test_as_of_returns_the_version_then_current_in_lists_and_items(api, editor_api, trump, putin, peace_talks):
    before_any = moment()
    statement = factories.make_statement(speaker=trump, text="original", topics=[peace_talks])
    url = f"{URL}{statement.pk}/"
    between = moment()
    editor_api.patch(url, {"text": "edited", "topics": [], "speaker": "vladimir-putin"}, format="json")
    later = factories.make_statement(text="created later")
    after_edit = moment()
    editor_api.delete(url)

    item = api.get(url, {"as_of": between}).json()
    assert (item["text"], item["version"]) == ("original", 1)
    listed = api.get(URL, {"as_of": between}).json()["results"]
    assert [row["text"] for row in listed] == ["original"]
    # Filters apply to the state then: speaker, topic (a link) and q.
    assert [r["text"] for r in api.get(URL, {"as_of": between, "speaker": "donald-trump"}).json()["results"]] == [
        "original"
    ]
    assert api.get(URL, {"as_of": between, "speaker": "vladimir-putin"}).json()["results"] == []
    assert len(api.get(URL, {"as_of": between, "topic": peace_talks.slug}).json()["results"]) == 1
    assert len(api.get(URL, {"as_of": after_edit, "topic": peace_talks.slug}).json()["results"]) == 0
    assert len(api.get(URL, {"as_of": between, "q": "origin"}).json()["results"]) == 1
    # Deleted since: back as it was; created later: absent; before any data: empty, and an item 404.
    assert {r["text"] for r in api.get(URL, {"as_of": after_edit}).json()["results"]} == {"edited", "created later"}
    assert api.get(URL, {"as_of": before_any}).json()["results"] == []
    assert api.get(f"{URL}{later.pk}/", {"as_of": between}).status_code == 404
    assert api.get(url).status_code == 410


def test_as_of_pages_by_cursor_and_orders(api):
    stamp_before = moment()
    for day in range(1, 8):
        factories.make_statement(said_on=datetime.date(2026, 1, day))
    stamp = moment()
    factories.make_statement(said_on=datetime.date(2026, 1, 20))
    pages = walk(api, URL, as_of=stamp, page_size=2, ordering="said_on")
    assert [r["said_on"] for r in pages] == [f"2026-01-0{d}" for d in range(1, 8)]
    assert walk(api, URL, as_of=stamp_before) == []


@pytest.mark.parametrize("raw", ["yesterday", "2026-13-01T00:00:00Z", "2026-01-17"])
def test_bad_as_of_is_a_400_naming_it(api, raw):
    response = api.get(URL, {"as_of": raw})
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["as_of"]


def test_as_of_with_an_unescaped_plus_offset_is_understood(api, statement):
    stamp = (timezone.now() + datetime.timedelta(minutes=1)).astimezone(datetime.timezone(datetime.timedelta(hours=2)))
    response = api.get(f"{URL}?as_of={stamp.isoformat()}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


# -- the changes feed -----------------------------------------------------------------------------


def apply_feed(api, url, state: dict) -> str:
    """Apply every entry from ``url`` on to ``state`` ({(resource, id): data}); return the link to poll next."""
    while True:
        body = api.get(url).json()
        for entry in body["results"]:
            key = (entry["resource"], entry["id"])
            if entry["change"] == "deleted":
                state.pop(key, None)
            else:
                state[key] = api.get(entry["version_url"]).json()["data"]
        assert body["next"] is not None
        if not body["results"]:
            return body["next"]
        url = body["next"]


def list_state(api) -> dict:
    state = {}
    for resource, key in [("statements", "id"), ("events", "id"), ("actors", "slug"), ("topics", "slug")]:
        for row in walk(api, f"/api/v1/{resource}/", page_size=200):
            state[(resource, row[key])] = row
    state.update({("sources", row["id"]): row for row in walk(api, "/api/v1/sources/", page_size=200)})
    return state


def test_replaying_the_feed_gives_exactly_the_lists(api, editor_api, edited):
    event = factories.make_event(topics=[factories.make_topic()])
    doomed = factories.make_statement(event=event)
    editor_api.delete(f"/api/v1/events/{event.pk}/")
    editor_api.delete(f"{URL}{doomed.pk}/")
    state = {}
    poll = apply_feed(api, "/api/v1/changes/?page_size=3", state)
    assert {k: v for k, v in state.items() if k[0] in {"statements", "events", "actors", "topics", "sources"}} == (
        list_state(api)
    )
    # Later writes appear when polling the link the last page gave.
    factories.make_statement(text="news")
    apply_feed(api, poll, state)
    assert state == {**state, **list_state(api)}
    assert any(v.get("text") == "news" for v in state.values())


def test_feed_filters_by_resource_and_since(api, statement):
    entries = api.get("/api/v1/changes/", {"resource": "statements"}).json()["results"]
    assert [(e["resource"], e["id"], e["version"], e["change"]) for e in entries] == [
        ("statements", str(statement.pk), 1, "created")
    ]
    assert entries[0]["url"] == f"http://testserver{URL}{statement.pk}/"
    stamp = moment()
    services.update(statement, data={"text": "later"})
    since = api.get("/api/v1/changes/", {"since": stamp}).json()["results"]
    assert [(e["id"], e["version"]) for e in since] == [(str(statement.pk), 2)]
    assert api.get("/api/v1/changes/", {"resource": "nonsense"}).status_code == 400


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_feed_never_skips_a_transaction_that_commits_late(api):
    first, second = factories.make_statement(), factories.make_statement()
    poll = apply_feed(api, "/api/v1/changes/", {})
    a_written, release_a, b_done = threading.Event(), threading.Event(), threading.Event()

    def writer_a():
        try:
            with transaction.atomic():
                services.update(first, data={"text": "A"})
                a_written.set()
                release_a.wait(10)
        finally:
            connection.close()

    def writer_b():
        try:
            a_written.wait(10)
            services.update(second, data={"text": "B"})
            b_done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    threads[0].start()
    assert a_written.wait(10)
    threads[1].start()
    # B began after A and would take the next feed id; it must wait until A commits.
    assert not b_done.wait(0.5)
    assert api.get(poll).json()["results"] == []
    release_a.set()
    for thread in threads:
        thread.join(30)
    assert b_done.is_set()
    entries = api.get(poll).json()["results"]
    assert [(e["id"], e["version"]) for e in entries] == [(str(first.pk), 2), (str(second.pk), 2)]
    ids = list(Change.objects.order_by("id").values_list("object_id", flat=True))
    assert ids[-2:] == [str(first.pk), str(second.pk)]


# -- query budgets --------------------------------------------------------------------------------


def test_history_page_query_budget_is_flat(api, statement):
    url = f"{URL}{statement.pk}/history/"
    one, _ = count_queries(api, url)
    for n in range(10):
        services.update(statement, data={"text": f"edit {n}"})
    many, body = count_queries(api, url)
    assert len(body["results"]) == 11
    # Resolve the id among versions; the page of versions with their users.
    assert one == many == 2


def test_as_of_list_query_budget_is_flat(api, peace_talks):
    factories.make_statement(topics=[peace_talks])
    stamp = moment()
    one, _ = count_queries(api, URL, as_of=stamp, topic=peace_talks.slug)
    for _ in range(10):
        factories.make_statement(topics=[peace_talks])
    stamp = moment()
    many, body = count_queries(api, URL, as_of=stamp, topic=peace_talks.slug)
    assert len(body["results"]) == 11
    # The changes feed's last change (the page's ETag); validate the topic slug; the page of versions
    # (their links filtered by a subquery).
    assert one == many == 3


def test_changes_feed_query_budget_is_flat(api):
    factories.make_statement()
    one, _ = count_queries(api, "/api/v1/changes/")
    for _ in range(10):
        factories.make_statement()
    many, body = count_queries(api, "/api/v1/changes/")
    assert len(body["results"]) > 20
    resources = {entry["resource"] for entry in body["results"]}
    # The page of entries; per resource on it, the versions named and the versions before them (patches).
    assert one == many == 1 + 2 * len(resources)


# -- the admin writes through the same path -------------------------------------------------------


def test_one_admin_save_of_fields_links_and_a_citation_is_one_version(editor_client, editor, statement, peace_talks):
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    data = admin_form(
        statement, text="edited", topics=[peace_talks.pk], loaded_version="1", **{"citations-0-excerpt": "now quoted"}
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    assert statement.history.count() == 2
    latest = statement.history.latest("version")
    assert (latest.version, latest.change, latest.history_user) == (2, "changed", editor)
    assert sorted(latest.changed_fields) == ["citations", "text", "topics"]
    assert latest.data["citations"][0]["excerpt"] == "now quoted"


def test_the_admin_add_form_makes_the_editor_choose_a_certainty(admin_client):
    page = admin_client.get(reverse("admin:statements_statement_add")).content.decode()
    select = page[page.index('name="certainty"') : page.index("</select>", page.index('name="certainty"'))]
    assert '<option value="" selected>' in select
    assert 'value="confirmed" selected' not in select


def test_an_actor_added_in_the_admin_with_a_role_gets_a_version_each(admin_client):
    data = {
        "slug": "kaja-kallas", "name": "Kaja Kallas", "kind": "person", "aliases": "[]", "description": "",
        "country": "EE", "wikidata_id": "",
        "roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "0", "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000", "roles-0-title": "EU foreign policy chief", "roles-0-organization": "",
        "roles-0-valid_from": "", "roles-0-valid_to": "", "roles-0-date_precision": "day",
    }  # fmt: skip
    response = admin_client.post(reverse("admin:actors_actor_add"), data)
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    actor = Actor.objects.get(slug="kaja-kallas")
    role = actor.roles.get()
    assert actor.history.get().change == role.history.get().change == "created"


def test_a_deleted_actor_keeps_its_history_by_slug(api, editor_api):
    factories.make_actor(slug="gone-envoy", name="Gone Envoy")
    assert editor_api.delete("/api/v1/actors/gone-envoy/").status_code == 204
    assert api.get("/api/v1/actors/gone-envoy/").status_code == 410
    versions = api.get("/api/v1/actors/gone-envoy/history/").json()["results"]
    assert [(v["version"], v["change"]) for v in versions] == [(2, "deleted"), (1, "created")]
    assert versions[0]["data"]["name"] == "Gone Envoy"


def test_as_of_combines_with_valid_at_on_positions(api, editor_api):
    position = factories.make_position(valid_from=datetime.date(2025, 1, 1), valid_to=None)
    url = f"/api/v1/positions/{position.pk}/"
    stamp = moment()
    editor_api.patch(url, {"valid_to": "2025-06-30"}, format="json")
    held = {"valid_at": "2025-09-01"}
    assert [r["id"] for r in api.get("/api/v1/positions/", {**held, "as_of": stamp}).json()["results"]] == [
        str(position.pk)
    ]
    assert api.get("/api/v1/positions/", held).json()["results"] == []
