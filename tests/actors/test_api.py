"""/api/v1/actors/ and /api/v1/roles/: what only they do. The shared behaviour is in tests/test_resources.py."""

import datetime

import pytest

from apps.actors.models import Actor, Role
from tests import factories
from tests.helpers import assert_problem, error_attrs
from tests.resources import sample_actor, sample_role

pytestmark = pytest.mark.django_db

URL = "/api/v1/actors/"
ROLES = "/api/v1/roles/"


@pytest.fixture
def putin_in_full():
    """Vladimir Putin with every optional field filled: the actor the shared tests use."""
    return sample_actor()


@pytest.fixture
def nato():
    return factories.make_actor(
        slug="nato", name="NATO", kind="organization", description="North Atlantic Treaty Organization."
    )


def test_retrieve_actor_by_slug_full_shape(api, putin_in_full):
    body = api.get(f"{URL}vladimir-putin/").json()
    assert body == {
        "slug": "vladimir-putin",
        "name": "Vladimir Putin",
        "kind": "person",
        "aliases": ["Vladimir Vladimirovich Putin", "Путин"],
        "description": "President of Russia since 2012.",
        "country": "RU",
        "wikidata_id": "Q7747",
        "version": 1,
        "created_at": putin_in_full.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": putin_in_full.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_actor_list_is_by_name_then_slug(api, putin_in_full, russia, nato):
    factories.make_actor(slug="john-smith-2", name="John Smith")
    factories.make_actor(slug="john-smith-1", name="John Smith")
    body = api.get(URL).json()
    assert [row["slug"] for row in body["results"]] == [
        "john-smith-1",
        "john-smith-2",
        "nato",
        "russia",
        "vladimir-putin",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "organization"}, {"nato"}),
        ({"country": "RU"}, {"vladimir-putin", "russia"}),
        ({"country": "Ru"}, {"vladimir-putin", "russia"}),
        ({"q": "putin"}, {"vladimir-putin"}),
        ({"q": "Путин"}, {"vladimir-putin"}),  # a non-Latin alias
        ({"q": "russia"}, {"vladimir-putin", "russia"}),  # description and name
        ({"q": "atlantic treaty"}, {"nato"}),
        ({"q": "vladimir-putin"}, {"vladimir-putin"}),  # slug
        ({"q": "putin atlantic"}, set()),
    ],
)
def test_actor_filters(api, putin_in_full, russia, nato, params, expected):
    assert {row["slug"] for row in api.get(URL, params).json()["results"]} == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-name", ["vladimir-putin", "russia", "nato"]),
        ("slug", ["nato", "russia", "vladimir-putin"]),
    ],
)
def test_actor_ordering(api, putin_in_full, russia, nato, ordering, expected):
    assert [row["slug"] for row in api.get(URL, {"ordering": ordering}).json()["results"]] == expected


# -- actor writes ----------------------------------------------------------------


def test_optional_actor_fields_default_to_empty(editor_api):
    response = editor_api.post(URL, {"slug": "hamas", "name": "Hamas", "kind": "group"}, format="json")
    assert response.status_code == 201, response.content
    actor = Actor.objects.get(slug="hamas")
    assert (actor.aliases, actor.description, actor.country, actor.wikidata_id) == ([], "", "", "")


def test_patching_the_slug_moves_the_actor(editor_api, api, putin_in_full):
    response = editor_api.patch(f"{URL}vladimir-putin/", {"slug": "putin"}, format="json")
    assert response.status_code == 200, response.content
    assert api.get(f"{URL}putin/").json()["name"] == "Vladimir Putin"
    assert api.get(f"{URL}vladimir-putin/").status_code == 404


def test_delete_an_unreferenced_actor_removes_its_roles(editor_api, putin_in_full, russia):
    role = factories.make_role(actor=putin_in_full, title="President", organization=russia)
    assert editor_api.delete(f"{URL}vladimir-putin/").status_code == 204
    assert not Role.objects.filter(pk=role.pk).exists()
    assert role.history.latest().history_type == "-"


def test_delete_an_organization_of_a_role_is_409_and_keeps_it(editor_api, putin_in_full, russia):
    factories.make_role(actor=putin_in_full, title="President", organization=russia)
    body = assert_problem(editor_api.delete(f"{URL}russia/"), 409)
    assert "roles" in body["detail"]
    assert Actor.objects.filter(slug="russia").exists()


@pytest.mark.parametrize(
    ("change", "attr"),
    [({"slug": "russia"}, "slug"), ({"wikidata_id": "Q1"}, "wikidata_id"), ({"aliases": [1]}, "aliases.0")],
)
def test_invalid_actor_patch_changes_nothing(editor_api, putin_in_full, russia, change, attr):
    factories.make_actor(wikidata_id="Q1")
    assert error_attrs(editor_api.patch(f"{URL}vladimir-putin/", change, format="json")) == [attr]
    putin_in_full.refresh_from_db()
    assert (putin_in_full.slug, putin_in_full.wikidata_id, putin_in_full.aliases) == (
        "vladimir-putin",
        "Q7747",
        ["Vladimir Vladimirovich Putin", "Путин"],
    )


# -- roles ------------------------------------------------------------------------


@pytest.fixture
def whitaker():
    return factories.make_actor(slug="matthew-whitaker", name="Matthew Whitaker")


@pytest.fixture
def ambassador(whitaker, united_states):
    """Held since 10 April 2025."""
    return factories.make_role(
        actor=whitaker,
        title="U.S. Ambassador to NATO",
        organization=united_states,
        valid_from=datetime.date(2025, 4, 10),
    )


@pytest.fixture
def secretary_general():
    """Jens Stoltenberg at NATO, October 2014 to 1 October 2024: the role the shared tests use."""
    return sample_role()


def test_retrieve_role_full_shape(api, secretary_general):
    body = api.get(f"{ROLES}{secretary_general.pk}/").json()
    assert body == {
        "id": str(secretary_general.pk),
        "actor": {"slug": "jens-stoltenberg", "name": "Jens Stoltenberg", "kind": "person"},
        "title": "Secretary General",
        "organization": {"slug": "nato", "name": "NATO", "kind": "organization"},
        "valid_from": "2014-10-01",
        "valid_to": "2024-10-01",
        "date_precision": "month",
        "version": 1,
        "created_at": secretary_general.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": secretary_general.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_role_list_is_latest_start_first_with_unknown_starts_last(api, ambassador, secretary_general):
    unknown = factories.make_role(title="Adviser", valid_from=None)
    body = api.get(ROLES).json()
    assert [row["id"] for row in body["results"]] == [str(ambassador.pk), str(secretary_general.pk), str(unknown.pk)]
    assert body["results"][2]["organization"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "matthew-whitaker"}, {"ambassador"}),
        ({"organization": "united-states"}, {"ambassador"}),
        ({"organization": "matthew-whitaker"}, set()),
        ({"valid_at": "2025-04-10"}, {"ambassador"}),  # the first day, inclusive
        ({"valid_at": "2014-09-30"}, set()),
        ({"date_from": "2024-10-01"}, {"secretary", "ambassador"}),
        ({"date_to": "2025-04-10"}, {"secretary", "ambassador"}),
        ({"date_to": "2025-04-09"}, {"secretary"}),
        ({"date_from": "2024-10-02", "date_to": "2025-04-09"}, set()),
        ({"date_from": "2030-01-01"}, {"ambassador"}),  # still held: no end
        ({"q": "NATO"}, {"ambassador", "secretary"}),  # title and organization name
        ({"q": "united"}, {"ambassador"}),
        ({"q": "secretary whitaker"}, set()),
    ],
)
def test_role_filters(api, ambassador, secretary_general, params, expected):
    names = {str(ambassador.pk): "ambassador", str(secretary_general.pk): "secretary"}
    assert {names[row["id"]] for row in api.get(ROLES, params).json()["results"]} == expected


@pytest.mark.parametrize(
    "params", [{"valid_at": "1900-01-01"}, {"date_from": "2100-01-01"}, {"date_to": "1900-01-01"}, {"q": "adviser"}]
)
def test_role_with_unknown_span_is_held_at_any_date(api, ambassador, params):
    unknown = factories.make_role(title="Adviser", valid_from=None, valid_to=None)
    assert str(unknown.pk) in {row["id"] for row in api.get(ROLES, params).json()["results"]}


def test_role_ordering(api, ambassador, secretary_general):
    rows = api.get(ROLES, {"ordering": "valid_from"}).json()["results"]
    assert [row["id"] for row in rows] == [str(secretary_general.pk), str(ambassador.pk)]
    rows = api.get(ROLES, {"ordering": "-valid_to"}).json()["results"]  # no end comes last
    assert [row["id"] for row in rows] == [str(secretary_general.pk), str(ambassador.pk)]


def test_delete_a_role_keeps_its_holder(editor_api, ambassador, whitaker):
    assert editor_api.delete(f"{ROLES}{ambassador.pk}/").status_code == 204
    assert Actor.objects.filter(pk=whitaker.pk).exists()
