"""/api/v1/actors/ and /api/v1/roles/: read shape, filters, writes, errors, query budget."""

import datetime

import pytest

from apps.actors.models import Actor, Role
from tests import factories
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = "/api/v1/actors/"
ROLES = "/api/v1/roles/"


@pytest.fixture
def putin():
    return factories.make_actor(
        slug="vladimir-putin",
        name="Vladimir Putin",
        kind="person",
        aliases=["Vladimir Vladimirovich Putin", "Путин"],
        description="President of Russia since 2012.",
        country="RU",
        wikidata_id="Q7747",
    )


@pytest.fixture
def russia():
    return factories.make_actor(slug="russia", name="Russia", kind="state", country="RU")


@pytest.fixture
def nato():
    return factories.make_actor(
        slug="nato", name="NATO", kind="organization", description="North Atlantic Treaty Organization."
    )


def actor_payload(**overrides):
    body = {
        "slug": "volodymyr-zelenskyy",
        "name": "Volodymyr Zelenskyy",
        "kind": "person",
        "aliases": ["Zelensky", "Зеленський"],
        "description": "President of Ukraine.",
        "country": "UA",
        "wikidata_id": "Q3874799",
    }
    return body | overrides


def test_retrieve_actor_by_slug_full_shape(api, putin):
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
        "created_at": putin.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": putin.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_actor_list_is_by_name_then_slug(api, putin, russia, nato):
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
    assert body["next"] is None
    assert body["previous"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "person"}, {"vladimir-putin"}),
        ({"kind": "organization"}, {"nato"}),
        ({"kind": "group"}, set()),
        ({"country": "RU"}, {"vladimir-putin", "russia"}),
        ({"country": "ru"}, {"vladimir-putin", "russia"}),
        ({"country": "Ru"}, {"vladimir-putin", "russia"}),
        ({"country": "ua"}, set()),
        ({"q": "putin"}, {"vladimir-putin"}),
        ({"q": "VLADIMIROVICH"}, {"vladimir-putin"}),  # an alias
        ({"q": "Путин"}, {"vladimir-putin"}),  # a non-Latin alias
        ({"q": "russia"}, {"vladimir-putin", "russia"}),  # description and name
        ({"q": "atlantic treaty"}, {"nato"}),
        ({"q": "vladimir-putin"}, {"vladimir-putin"}),  # slug
        ({"q": "putin atlantic"}, set()),
        ({"q": "zelensky"}, set()),
    ],
)
def test_actor_filters(api, putin, russia, nato, params, expected):
    assert {row["slug"] for row in api.get(URL, params).json()["results"]} == expected


def test_actor_repeated_kind_matches_any(api, putin, russia, nato):
    body = api.get(f"{URL}?kind=person&kind=state").json()
    assert {row["slug"] for row in body["results"]} == {"vladimir-putin", "russia"}


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-name", ["vladimir-putin", "russia", "nato"]),
        ("slug", ["nato", "russia", "vladimir-putin"]),
        ("-created_at", ["nato", "russia", "vladimir-putin"]),
    ],
)
def test_actor_ordering(api, putin, russia, nato, ordering, expected):
    assert [row["slug"] for row in api.get(URL, {"ordering": ordering}).json()["results"]] == expected


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"kind": "ruler"}, "kind"),
        ({"ordering": "kind"}, "ordering"),
        ({"ordering": "country"}, "ordering"),
        ({"country": "USA"}, "country"),
        ({"country": "U1"}, "country"),
    ],
)
def test_actor_bad_filter_values_are_400_naming_the_parameter(api, params, attr):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == [attr]


# -- actor writes ----------------------------------------------------------------


def test_editor_creates_an_actor(editor_api, editor):
    response = editor_api.post(URL, actor_payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: v for k, v in body.items() if k not in ("version", "created_at", "updated_at")} == actor_payload()
    actor = Actor.objects.get(slug="volodymyr-zelenskyy")
    assert actor.aliases == ["Zelensky", "Зеленський"]
    assert actor.country == "UA"
    record = actor.history.get()
    assert record.history_type == "+"
    assert record.history_user == editor
    assert editor_api.get(f"{URL}volodymyr-zelenskyy/").json() == body


def test_optional_actor_fields_default_to_empty(editor_api):
    response = editor_api.post(URL, {"slug": "hamas", "name": "Hamas", "kind": "group"}, format="json")
    assert response.status_code == 201, response.content
    actor = Actor.objects.get(slug="hamas")
    assert (actor.aliases, actor.description, actor.country, actor.wikidata_id) == ([], "", "", "")


def test_replace_and_partial_update_an_actor(editor_api, editor, putin):
    url = f"{URL}vladimir-putin/"
    versions = putin.history.count()
    replaced = actor_payload(slug="vladimir-putin", name="Vladimir V. Putin", aliases=[], wikidata_id="")
    response = editor_api.put(url, replaced, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["aliases"] == []
    assert response.json()["country"] == "UA"
    response = editor_api.patch(url, {"country": "RU"}, format="json")
    assert response.status_code == 200, response.content
    putin.refresh_from_db()
    assert (putin.name, putin.aliases, putin.country, putin.wikidata_id) == ("Vladimir V. Putin", [], "RU", "")
    assert putin.description == "President of Ukraine."  # the PUT's, kept by the PATCH
    assert putin.history.count() == versions + 2
    assert putin.history.latest().history_user == editor


def test_patching_the_slug_moves_the_actor(editor_api, api, putin):
    response = editor_api.patch(f"{URL}vladimir-putin/", {"slug": "putin"}, format="json")
    assert response.status_code == 200, response.content
    assert api.get(f"{URL}putin/").json()["name"] == "Vladimir Putin"
    assert api.get(f"{URL}vladimir-putin/").status_code == 404


def test_delete_an_unreferenced_actor_removes_its_roles(editor_api, putin, russia):
    role = factories.make_role(actor=putin, title="President", organization=russia)
    assert editor_api.delete(f"{URL}vladimir-putin/").status_code == 204
    assert not Actor.objects.filter(slug="vladimir-putin").exists()
    assert not Role.objects.filter(pk=role.pk).exists()
    assert putin.history.latest().history_type == "-"


def test_delete_an_organization_of_a_role_is_409_and_keeps_it(editor_api, putin, russia):
    factories.make_role(actor=putin, title="President", organization=russia)
    response = editor_api.delete(f"{URL}russia/")
    assert response.status_code == 409
    assert "roles" in response.json()["detail"]
    assert Actor.objects.filter(slug="russia").exists()


def test_anonymous_and_unprivileged_actor_writes_are_refused(api, reader_api, putin):
    url = f"{URL}vladimir-putin/"
    for client, status in [(api, 401), (reader_api, 403)]:
        assert client.post(URL, actor_payload(), format="json").status_code == status
        assert client.put(url, actor_payload(slug="vladimir-putin"), format="json").status_code == status
        assert client.patch(url, {"name": "x"}, format="json").status_code == status
        assert client.delete(url).status_code == status
    putin.refresh_from_db()
    assert putin.name == "Vladimir Putin"
    assert list(Actor.objects.values_list("slug", flat=True)) == ["vladimir-putin"]


@pytest.mark.parametrize(
    ("overrides", "attrs"),
    [
        ({"slug": "vladimir-putin"}, ["slug"]),  # taken
        ({"slug": "not a slug"}, ["slug"]),
        ({"slug": ""}, ["slug"]),
        ({"name": ""}, ["name"]),
        ({"kind": "ruler"}, ["kind"]),
        ({"kind": None}, ["kind"]),
        ({"country": "us"}, ["country"]),
        ({"country": "USA"}, ["country", "country"]),  # too long, and not a two-letter code
        ({"country": "U1"}, ["country"]),
        ({"wikidata_id": "22686"}, ["wikidata_id"]),
        ({"wikidata_id": "Q0"}, ["wikidata_id"]),
        ({"wikidata_id": "Q7747"}, ["wikidata_id"]),  # taken
        ({"aliases": "Zelensky"}, ["aliases"]),
        ({"aliases": None}, ["aliases"]),
        ({"aliases": {"en": "Zelensky"}}, ["aliases"]),
        ({"aliases": ["Zelensky", 5]}, ["aliases.1"]),
        ({"aliases": [["Zelensky"]]}, ["aliases.0"]),
        ({"aliases": [None]}, ["aliases.0"]),
        ({"aliases": [""]}, ["aliases.0"]),
    ],
)
def test_invalid_actor_writes_are_400_naming_the_field_and_write_nothing(editor_api, putin, overrides, attrs):
    response = editor_api.post(URL, actor_payload(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [e["attr"] for e in response.json()["errors"]] == attrs
    assert list(Actor.objects.values_list("slug", flat=True)) == ["vladimir-putin"]


def test_invalid_actor_patch_changes_nothing(editor_api, putin, russia):
    url = f"{URL}vladimir-putin/"
    for change, attr in [({"slug": "russia"}, "slug"), ({"country": "us"}, "country"), ({"aliases": [1]}, "aliases.0")]:
        response = editor_api.patch(url, change, format="json")
        assert response.status_code == 400, response.content
        assert [e["attr"] for e in response.json()["errors"]] == [attr]
    putin.refresh_from_db()
    assert (putin.slug, putin.country, putin.aliases) == (
        "vladimir-putin",
        "RU",
        ["Vladimir Vladimirovich Putin", "Путин"],
    )


# -- roles ------------------------------------------------------------------------


@pytest.fixture
def whitaker():
    return factories.make_actor(slug="matthew-whitaker", name="Matthew Whitaker")


@pytest.fixture
def united_states():
    return factories.make_actor(slug="united-states", name="United States", kind="state", country="US")


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
def secretary_general(nato):
    """Held from October 2014 to 1 October 2024."""
    return factories.make_role(
        actor=factories.make_actor(slug="jens-stoltenberg", name="Jens Stoltenberg"),
        title="Secretary General",
        organization=nato,
        valid_from=datetime.date(2014, 10, 1),
        valid_to=datetime.date(2024, 10, 1),
        date_precision="month",
    )


def role_payload(**overrides):
    body = {
        "actor": "matthew-whitaker",
        "title": "U.S. Ambassador to NATO",
        "organization": "united-states",
        "valid_from": "2025-04-10",
        "valid_to": None,
        "date_precision": "day",
    }
    return body | overrides


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
    assert body["next"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "matthew-whitaker"}, {"ambassador"}),
        ({"actor": "jens-stoltenberg"}, {"secretary"}),
        ({"actor": "nato"}, set()),
        ({"organization": "nato"}, {"secretary"}),
        ({"organization": "united-states"}, {"ambassador"}),
        ({"organization": "matthew-whitaker"}, set()),
        ({"valid_at": "2024-10-01"}, {"secretary"}),  # the last day, inclusive
        ({"valid_at": "2024-10-02"}, set()),
        ({"valid_at": "2025-04-10"}, {"ambassador"}),  # the first day, inclusive
        ({"valid_at": "2014-09-30"}, set()),
        ({"date_from": "2024-10-01"}, {"secretary", "ambassador"}),
        ({"date_from": "2024-10-02"}, {"ambassador"}),
        ({"date_to": "2025-04-10"}, {"secretary", "ambassador"}),
        ({"date_to": "2025-04-09"}, {"secretary"}),
        ({"date_from": "2024-10-02", "date_to": "2025-04-09"}, set()),
        ({"date_from": "2030-01-01"}, {"ambassador"}),  # still held: no end
        ({"q": "ambassador"}, {"ambassador"}),
        ({"q": "NATO"}, {"ambassador", "secretary"}),  # title and organization name
        ({"q": "stoltenberg"}, {"secretary"}),  # actor name
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


def test_role_repeated_parameter_matches_any(api, ambassador, secretary_general):
    body = api.get(f"{ROLES}?actor=matthew-whitaker&actor=jens-stoltenberg").json()
    assert {row["id"] for row in body["results"]} == {str(ambassador.pk), str(secretary_general.pk)}
    body = api.get(f"{ROLES}?organization=nato&organization=united-states").json()
    assert len(body["results"]) == 2


def test_role_ordering(api, ambassador, secretary_general):
    rows = api.get(ROLES, {"ordering": "valid_from"}).json()["results"]
    assert [row["id"] for row in rows] == [str(secretary_general.pk), str(ambassador.pk)]
    rows = api.get(ROLES, {"ordering": "-valid_to"}).json()["results"]  # no end comes last
    assert [row["id"] for row in rows] == [str(secretary_general.pk), str(ambassador.pk)]


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"actor": "nobody"}, "actor"),
        ({"organization": "nothing"}, "organization"),
        ({"valid_at": "today"}, "valid_at"),
        ({"date_from": "14/01/2026"}, "date_from"),
        ({"date_to": "2026-02-30"}, "date_to"),
        ({"ordering": "title"}, "ordering"),
    ],
)
def test_role_bad_filter_values_are_400_naming_the_parameter(api, params, attr):
    response = api.get(ROLES, params)
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == [attr]


def test_editor_creates_a_role(editor_api, editor, whitaker, united_states):
    response = editor_api.post(ROLES, role_payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    role = Role.objects.get(pk=body["id"])
    assert body["actor"] == {"slug": "matthew-whitaker", "name": "Matthew Whitaker", "kind": "person"}
    assert body["organization"] == {"slug": "united-states", "name": "United States", "kind": "state"}
    assert (role.actor, role.organization, role.valid_from, role.valid_to) == (
        whitaker,
        united_states,
        datetime.date(2025, 4, 10),
        None,
    )
    assert role.history.get().history_user == editor


def test_replace_and_partial_update_a_role(editor_api, ambassador, nato):
    url = f"{ROLES}{ambassador.pk}/"
    versions = ambassador.history.count()
    response = editor_api.put(url, role_payload(organization=None, title="Ambassador"), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["organization"] is None
    response = editor_api.patch(url, {"organization": "nato", "valid_to": "2026-01-14"}, format="json")
    assert response.status_code == 200, response.content
    ambassador.refresh_from_db()
    assert (ambassador.title, ambassador.organization, ambassador.valid_to) == (
        "Ambassador",
        nato,
        datetime.date(2026, 1, 14),
    )
    assert ambassador.valid_from == datetime.date(2025, 4, 10)
    assert ambassador.history.count() == versions + 2


def test_delete_a_role(editor_api, ambassador, whitaker):
    assert editor_api.delete(f"{ROLES}{ambassador.pk}/").status_code == 204
    assert not Role.objects.filter(pk=ambassador.pk).exists()
    assert Actor.objects.filter(pk=whitaker.pk).exists()  # the holder stays


def test_anonymous_and_unprivileged_role_writes_are_refused(api, reader_api, ambassador):
    url = f"{ROLES}{ambassador.pk}/"
    for client, status in [(api, 401), (reader_api, 403)]:
        assert client.post(ROLES, role_payload(), format="json").status_code == status
        assert client.put(url, role_payload(title="x"), format="json").status_code == status
        assert client.patch(url, {"title": "x"}, format="json").status_code == status
        assert client.delete(url).status_code == status
    ambassador.refresh_from_db()
    assert ambassador.title == "U.S. Ambassador to NATO"
    assert Role.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "attrs"),
    [
        ({"valid_from": "2025-04-10", "valid_to": "2025-04-09"}, ["valid_to"]),
        ({"valid_from": "2025-04-10", "date_precision": "month"}, ["valid_from"]),
        ({"valid_from": "2025-04-01", "valid_to": "2025-05-31", "date_precision": "month"}, ["valid_to"]),
        ({"valid_from": "2025-04-01", "date_precision": "year"}, ["valid_from"]),
        ({"actor": "nobody"}, ["actor"]),
        ({"actor": None}, ["actor"]),
        ({"organization": "nothing"}, ["organization"]),
        ({"title": ""}, ["title"]),
        ({"date_precision": "week"}, ["date_precision"]),
    ],
)
def test_invalid_role_writes_are_400_naming_the_field_and_write_nothing(
    editor_api, whitaker, united_states, overrides, attrs
):
    response = editor_api.post(ROLES, role_payload(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [e["attr"] for e in response.json()["errors"]] == attrs
    assert Role.objects.count() == 0


def test_role_patch_is_checked_against_the_stored_dates(editor_api, ambassador):
    response = editor_api.patch(f"{ROLES}{ambassador.pk}/", {"valid_to": "2025-01-01"}, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["valid_to"]
    ambassador.refresh_from_db()
    assert ambassador.valid_to is None


# -- performance ------------------------------------------------------------------


def test_actor_list_query_budget_is_flat_in_page_size(api):
    # 1 page of actors; nothing is related.
    factories.make_actor(aliases=["One"])
    one, _ = count_queries(api, URL)
    for _ in range(59):
        factories.make_actor(aliases=["Another"])
    full, body = count_queries(api, URL, page_size=50)
    assert len(body["results"]) == 50
    assert one == full == 1


def test_actor_detail_query_budget(api, putin):
    # the actor.
    queries, _ = count_queries(api, f"{URL}vladimir-putin/")
    assert queries == 1


def test_role_list_query_budget_is_flat_in_page_size(api):
    # 1 page of roles with actor and organization joined.
    organization = factories.make_actor(kind="organization")
    factories.make_role(organization=organization)
    one, _ = count_queries(api, ROLES)
    for i in range(59):
        factories.make_role(organization=organization, valid_from=datetime.date(2025, 1, 1 + i % 28))
    full, body = count_queries(api, ROLES, page_size=50)
    assert len(body["results"]) == 50
    assert all(row["organization"]["slug"] == organization.slug for row in body["results"])
    assert one == full == 1
    # Each slug filter adds one query: validating the slug.
    filtered, _ = count_queries(api, ROLES, page_size=50, organization=organization.slug)
    assert filtered == 2


def test_role_detail_query_budget(api, secretary_general):
    # the role with actor and organization joined.
    queries, _ = count_queries(api, f"{ROLES}{secretary_general.pk}/")
    assert queries == 1
