"""/api/v1/topics/: what only topics do (nesting). The shared behaviour is in tests/test_resources.py."""

import pytest

from apps.topics.models import Topic
from tests import factories
from tests.helpers import assert_problem, error_attrs

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
def new_start_treaty(arms_control):
    return factories.make_topic(
        slug="new-start", name="New START", description="The last U.S.–Russia nuclear treaty.", parent=arms_control
    )


@pytest.fixture
def topics(war, talks, arms_control, new_start_treaty):
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


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"parent": "arms-control"}, {"new-start"}),
        ({"parent": "ukraine-peace-talks"}, set()),  # no children
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


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-name", ["ukraine-peace-talks", "russia-ukraine-war", "new-start", "arms-control"]),
        ("slug", ["arms-control", "new-start", "russia-ukraine-war", "ukraine-peace-talks"]),
    ],
)
def test_ordering(api, topics, ordering, expected):
    assert [row["slug"] for row in api.get(URL, {"ordering": ordering}).json()["results"]] == expected


# -- writes -------------------------------------------------------------------------


def test_editor_creates_a_nested_topic_without_a_description(editor_api, war):
    sent = {"slug": "black-sea-ceasefire", "name": "Black Sea ceasefire", "parent": "russia-ukraine-war"}
    response = editor_api.post(URL, sent, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == {"slug": "russia-ukraine-war", "name": "Russia–Ukraine war"}
    assert response.json()["description"] == ""


def test_deleting_a_topic_keeps_its_parent(editor_api, talks, war):
    assert editor_api.delete(f"{URL}ukraine-peace-talks/").status_code == 204
    assert Topic.objects.filter(pk=war.pk).exists()


def test_deleting_a_topic_with_children_is_409_and_keeps_it(editor_api, talks):
    body = assert_problem(editor_api.delete(f"{URL}russia-ukraine-war/"), 409)
    assert "topics" in body["detail"]
    assert Topic.objects.filter(slug="russia-ukraine-war").exists()


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
    assert error_attrs(editor_api.patch(f"{URL}{slug}/", {"parent": new_parent}, format="json")) == ["parent"]
    assert dict(Topic.objects.values_list("slug", "parent__slug")) == before


def test_put_cannot_make_a_topic_its_own_parent(editor_api, war):
    sent = {"slug": "russia-ukraine-war", "name": "War", "parent": "russia-ukraine-war"}
    assert error_attrs(editor_api.put(f"{URL}russia-ukraine-war/", sent, format="json")) == ["parent"]
    war.refresh_from_db()
    assert (war.name, war.parent) == ("Russia–Ukraine war", None)


def test_moving_a_topic_under_a_sibling_branch_is_allowed(editor_api, talks, new_start_treaty):
    response = editor_api.patch(f"{URL}arms-control/", {"parent": "ukraine-peace-talks"}, format="json")
    assert response.status_code == 200, response.content
    assert Topic.objects.get(slug="arms-control").parent == talks
