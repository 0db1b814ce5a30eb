"""The admin an editor lives in: every page renders, search works, rights hold, history records who."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from apps.statements.models import Statement
from tests import factories

pytestmark = pytest.mark.django_db

BUILDERS = {
    "actors.actor": factories.make_actor,
    "actors.role": factories.make_role,
    "topics.topic": factories.make_topic,
    "sources.source": factories.make_source,
    "events.event": factories.make_event,
    "statements.statement": factories.make_statement,
    "positions.position": factories.make_position,
    "deadlines.deadline": factories.make_deadline,
}


def test_every_project_model_is_registered():
    registered = {
        model._meta.label_lower
        for model in admin.site._registry
        if model._meta.app_label in {"actors", "topics", "sources", "events", "statements", "positions", "deadlines"}
    }
    assert registered == set(BUILDERS)


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_changelist_add_change_and_history_pages_render(admin_client, label):
    obj = BUILDERS[label]()
    app_label, model_name = label.split(".")
    for view, args in [("changelist", []), ("add", []), ("change", [obj.pk]), ("history", [obj.pk])]:
        response = admin_client.get(reverse(f"admin:{app_label}_{model_name}_{view}", args=args))
        assert response.status_code == 200, (view, response.status_code)
    changelist = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert list(changelist.context["cl"].result_list) == [obj]
    assert reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]) in changelist.content.decode()


# A field each changelist searches, to give one row a word no other row has.
SEARCHED = {
    "actors.actor": "name",
    "actors.role": "title",
    "topics.topic": "name",
    "sources.source": "title",
    "events.event": "title",
    "statements.statement": "text",
    "positions.position": "summary",
    "deadlines.deadline": "title",
}


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_changelist_search_finds_and_filters(admin_client, label):
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    assert SEARCHED[label] in admin.site._registry[model].search_fields, f"{label} has no search on {SEARCHED[label]}"
    found = BUILDERS[label](**{SEARCHED[label]: "Needle in the haystack"})
    others = [BUILDERS[label]() for _ in range(2)]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert set(admin_client.get(url).context["cl"].result_list) == {found, *others}
    assert list(admin_client.get(url, {"q": "needle"}).context["cl"].result_list) == [found]
    assert list(admin_client.get(url, {"q": "no-such-thing-anywhere"}).context["cl"].result_list) == []


def test_statement_search_matches_text_and_speaker(admin_client):
    putin = factories.make_actor(name="Vladimir Putin", slug="vladimir-putin")
    factories.make_statement(speaker=putin, text="lowest point since the Cold War")
    factories.make_statement(text="We had an extremely productive meeting")
    url = reverse("admin:statements_statement_changelist")
    by_text = admin_client.get(url, {"q": "Cold War"}).context["cl"].result_list
    by_speaker = admin_client.get(url, {"q": "Putin"}).context["cl"].result_list
    assert [s.text for s in by_text] == ["lowest point since the Cold War"]
    assert [s.speaker.slug for s in by_speaker] == ["vladimir-putin"]


def test_actor_search_matches_aliases(admin_client):
    factories.make_actor(name="Volodymyr Zelenskyy", aliases=["Zelensky", "Zelenskiy"])
    factories.make_actor(name="Someone Else")
    response = admin_client.get(reverse("admin:actors_actor_changelist"), {"q": "Zelenskiy"})
    assert [a.name for a in response.context["cl"].result_list] == ["Volodymyr Zelenskyy"]


def statement_form(statement, citation, **overrides):
    """The POST body of the statement change form, with its one citation inline."""
    data = {
        "speaker": statement.speaker_id,
        "text": statement.text,
        "kind": statement.kind,
        "said_on": statement.said_on.isoformat(),
        "date_precision": statement.date_precision,
        "certainty": statement.certainty,
        "medium": "",
        "assessment": "",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000",
        "citations-0-id": citation.pk,
        "citations-0-statement": statement.pk,
        "citations-0-source": citation.source_id,
        "citations-0-excerpt": "",
        "citations-0-locator": "",
        "citations-0-note": "",
    }
    data.update(overrides)
    return data


def test_editor_can_change_a_statement_and_history_names_them(editor_client, editor, statement):
    citation = statement.citations.get()
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    response = editor_client.post(url, statement_form(statement, citation, text="Edited by an editor"))
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    statement.refresh_from_db()
    assert statement.text == "Edited by an editor"
    latest = statement.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == editor
    assert latest.text == "Edited by an editor"
    # The previous version is still there to compare with or revert to.
    assert statement.history.earliest().text != "Edited by an editor"


def test_admin_refuses_to_remove_a_facts_last_citation(admin_client, statement):
    citation = statement.citations.get()
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    response = admin_client.post(url, statement_form(statement, citation, **{"citations-0-DELETE": "on"}))
    assert response.status_code == 200  # the form comes back with an error
    assert "Please submit at least 1 form" in response.content.decode()
    assert statement.citations.count() == 1


def test_admin_add_without_citation_is_refused(admin_client):
    speaker = factories.make_actor()
    data = {
        "speaker": speaker.pk,
        "text": "Uncited",
        "kind": "paraphrase",
        "said_on": "2026-01-14",
        "date_precision": "day",
        "certainty": "confirmed",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:statements_statement_add"), data)
    assert response.status_code == 200
    assert not Statement.objects.filter(text="Uncited").exists()


def test_editor_gets_403_on_users_and_groups(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_editor_can_open_every_fact_changelist(editor_client):
    for name in [
        "actors_actor",
        "topics_topic",
        "sources_source",
        "events_event",
        "statements_statement",
        "positions_position",
        "deadlines_deadline",
    ]:
        assert editor_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name


def test_month_precision_date_must_be_first_of_month_in_form(admin_client, statement):
    """The admin names the rule instead of failing on the database constraint."""
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    data = statement_form(statement, statement.citations.get(), said_on="2025-08-15", date_precision="month")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "A month-precision date must be the 1st of its month" in response.content.decode()
    statement.refresh_from_db()
    assert statement.said_on != datetime.date(2025, 8, 15)
