"""/api/v1/topics/: read shape, filters, writes by slug, nesting rules, errors, query budget."""

import pytest

from apps.topics.models import Topic
from tests import factories
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = "/api/v1/topics/"


@pytest.fixture
def war():
    return factories.make_topic(
        slug="russia-ukraine-war", name="Russia–Ukraine war", description="The full-scale invasion since 2022."
    )


@pytest.fixture
def talks(war):
    return factories.make_topic(slug="ukraine-peace-talks", name="Ukraine peace talks", parent=war)


@pytest.fixture
def arms_control():
    return factories.make_topic(slug="arms-control", name="Arms control")


@pytest.fixture
def new_start(arms_control):
    return factories.make_topic(
        slug="new-start", name="New START", description="The last U.S.–Russia nuclear treaty.", parent=arms_control
    )


@pytest.fixture
def topics(war, talks, arms_control, new_start):
    pass


def test_retrieve_by_slug_full_shape(api, talks):
    body = api.get(f"{URL}ukraine-peace-talks/").json()
    assert body == {
        "slug": "ukraine-peace-talks",
        "name": "Ukraine peace talks",
        "description": "",
        "parent": {"slug": "russia-ukraine-war", "name": "Russia–Ukraine war"},
        "version": 1,
        "created_at": talks.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": talks.updated_at.isoformat().replace("+00:00", "Z"),
    }
    assert api.get(f"{URL}russia-ukraine-war/").json()["parent"] is None


def test_list_is_by_name_then_slug(api, topics):
    factories.make_topic(slug="elections-2", name="Elections")
    factories.make_topic(slug="elections-1", name="Elections")
    body = api.get(URL).json()
    assert [row["slug"] for row in body["results"]] == [
        "arms-control",
        "elections-1",
        "elections-2",
        "new-start",
        "russia-ukraine-war",
        "ukraine-peace-talks",
    ]
    assert body["next"] is None
    assert body["previous"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"parent": "russia-ukraine-war"}, {"ukraine-peace-talks"}),
        ({"parent": "arms-control"}, {"new-start"}),
        ({"parent": "ukraine-peace-talks"}, set()),  # no children
        ({"q": "peace"}, {"ukraine-peace-talks"}),
        ({"q": "UKRAINE"}, {"russia-ukraine-war", "ukraine-peace-talks"}),
        ({"q": "nuclear treaty"}, {"new-start"}),  # description
        ({"q": "arms-control"}, {"arms-control"}),  # slug
        ({"q": "peace arms"}, set()),
    ],
)
def test_filters(api, topics, params, expected):
    assert {row["slug"] for row in api.get(URL, params).json()["results"]} == expected


def test_parent_lists_direct_children_only(api, talks):
    factories.make_topic(slug="prisoner-exchanges", parent=talks)
    assert [row["slug"] for row in api.get(URL, {"parent": "russia-ukraine-war"}).json()["results"]] == [
        "ukraine-peace-talks"
    ]


def test_repeated_parameter_matches_any(api, topics):
    body = api.get(f"{URL}?parent=russia-ukraine-war&parent=arms-control").json()
    assert {row["slug"] for row in body["results"]} == {"ukraine-peace-talks", "new-start"}


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-name", ["ukraine-peace-talks", "russia-ukraine-war", "new-start", "arms-control"]),
        ("slug", ["arms-control", "new-start", "russia-ukraine-war", "ukraine-peace-talks"]),
        ("created_at", ["russia-ukraine-war", "ukraine-peace-talks", "arms-control", "new-start"]),
    ],
)
def test_ordering(api, topics, ordering, expected):
    assert [row["slug"] for row in api.get(URL, {"ordering": ordering}).json()["results"]] == expected


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"parent": "nothing"}, "parent"),
        ({"ordering": "parent"}, "ordering"),
        ({"ordering": "description"}, "ordering"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(api, params, attr):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == [attr]


# -- writes -------------------------------------------------------------------------


def test_editor_creates_a_nested_topic(editor_api, editor, war):
    sent = {"slug": "black-sea-ceasefire", "name": "Black Sea ceasefire", "parent": "russia-ukraine-war"}
    response = editor_api.post(URL, sent, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent"] == {"slug": "russia-ukraine-war", "name": "Russia–Ukraine war"}
    assert body["description"] == ""
    topic = Topic.objects.get(slug="black-sea-ceasefire")
    assert topic.parent == war
    record = topic.history.get()
    assert record.history_type == "+"
    assert record.history_user == editor


def test_replace_and_partial_update(editor_api, editor, talks, arms_control):
    url = f"{URL}ukraine-peace-talks/"
    versions = talks.history.count()
    replaced = {"slug": "ukraine-peace-talks", "name": "Peace talks", "description": "Istanbul, Riyadh…"}
    response = editor_api.put(url, replaced | {"parent": None}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["parent"] is None
    response = editor_api.patch(url, {"parent": "arms-control"}, format="json")
    assert response.status_code == 200, response.content
    talks.refresh_from_db()
    assert (talks.name, talks.description, talks.parent) == ("Peace talks", "Istanbul, Riyadh…", arms_control)
    assert talks.history.count() == versions + 2
    assert talks.history.latest().history_user == editor


def test_delete_an_unreferenced_topic(editor_api, talks, war):
    assert editor_api.delete(f"{URL}ukraine-peace-talks/").status_code == 204
    assert not Topic.objects.filter(slug="ukraine-peace-talks").exists()
    assert Topic.objects.filter(pk=war.pk).exists()  # the parent stays
    assert talks.history.latest().history_type == "-"


def test_deleting_a_topic_with_children_is_409_and_keeps_it(editor_api, talks):
    response = editor_api.delete(f"{URL}russia-ukraine-war/")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "topics" in response.json()["detail"]
    assert Topic.objects.filter(slug="russia-ukraine-war").exists()


def test_anonymous_and_unprivileged_writes_are_refused(api, reader_api, war):
    url = f"{URL}russia-ukraine-war/"
    for client, status in [(api, 401), (reader_api, 403)]:
        assert client.post(URL, {"slug": "x", "name": "X"}, format="json").status_code == status
        assert client.put(url, {"slug": "russia-ukraine-war", "name": "x"}, format="json").status_code == status
        assert client.patch(url, {"name": "x"}, format="json").status_code == status
        assert client.delete(url).status_code == status
    war.refresh_from_db()
    assert war.name == "Russia–Ukraine war"
    assert Topic.objects.count() == 1


@pytest.mark.parametrize(
    ("sent", "attrs"),
    [
        ({"slug": "russia-ukraine-war", "name": "Duplicate"}, ["slug"]),
        ({"slug": "no spaces", "name": "X"}, ["slug"]),
        ({"name": "No slug"}, ["slug"]),
        ({"slug": "nameless", "name": ""}, ["name"]),
        ({"slug": "orphan", "name": "Orphan", "parent": "nothing"}, ["parent"]),
        ({"slug": "orphan", "name": "Orphan", "parent": 7}, ["parent"]),
    ],
)
def test_invalid_writes_are_400_naming_the_field_and_write_nothing(editor_api, war, sent, attrs):
    response = editor_api.post(URL, sent, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [e["attr"] for e in response.json()["errors"]] == attrs
    assert list(Topic.objects.values_list("slug", flat=True)) == ["russia-ukraine-war"]


@pytest.mark.parametrize(
    ("slug", "new_parent"),
    [
        ("russia-ukraine-war", "russia-ukraine-war"),  # itself
        ("russia-ukraine-war", "ukraine-peace-talks"),  # its child
        ("russia-ukraine-war", "prisoner-exchanges"),  # its grandchild
        ("ukraine-peace-talks", "prisoner-exchanges"),
    ],
)
def test_a_topic_cannot_become_its_own_ancestor(editor_api, talks, slug, new_parent):
    factories.make_topic(slug="prisoner-exchanges", parent=talks)
    before = dict(Topic.objects.values_list("slug", "parent__slug"))
    response = editor_api.patch(f"{URL}{slug}/", {"parent": new_parent}, format="json")
    assert response.status_code == 400, response.content
    assert [e["attr"] for e in response.json()["errors"]] == ["parent"]
    assert dict(Topic.objects.values_list("slug", "parent__slug")) == before


def test_put_cannot_make_a_topic_its_own_parent(editor_api, war):
    sent = {"slug": "russia-ukraine-war", "name": "War", "parent": "russia-ukraine-war"}
    response = editor_api.put(f"{URL}russia-ukraine-war/", sent, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["parent"]
    war.refresh_from_db()
    assert (war.name, war.parent) == ("Russia–Ukraine war", None)


def test_moving_a_topic_under_a_sibling_branch_is_allowed(editor_api, talks, new_start):
    response = editor_api.patch(f"{URL}arms-control/", {"parent": "ukraine-peace-talks"}, format="json")
    assert response.status_code == 200, response.content
    assert Topic.objects.get(slug="arms-control").parent == talks


# -- performance ------------------------------------------------------------------


def test_list_query_budget_is_flat_in_page_size(api):
    # 1 page of topics with the parent joined.
    parent = factories.make_topic(name="Z parent")
    factories.make_topic(name="A child", parent=parent)
    one, body = count_queries(api, URL, page_size=1)
    assert body["results"][0]["parent"]["slug"] == parent.slug
    for _ in range(59):
        factories.make_topic(parent=parent)
    full, body = count_queries(api, URL, page_size=50)
    assert len(body["results"]) == 50
    assert all(row["parent"]["name"] == "Z parent" for row in body["results"])
    assert one == full == 1
    # A parent filter adds one query: validating the slug.
    filtered, _ = count_queries(api, URL, page_size=50, parent=parent.slug)
    assert filtered == 2


def test_detail_query_budget(api, talks):
    # the topic with its parent joined.
    queries, _ = count_queries(api, f"{URL}ukraine-peace-talks/")
    assert queries == 1
