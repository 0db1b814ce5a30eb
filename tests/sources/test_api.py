"""/api/v1/sources/: what only sources do. The shared behaviour is in tests/test_resources.py."""

import pytest

from apps.sources.models import Source
from tests import factories
from tests.resources import sample_source

pytestmark = pytest.mark.django_db

URL = "/api/v1/sources/"


@pytest.fixture
def treaty():
    """The New START treaty text: the source the shared tests use."""
    return sample_source()


@pytest.fixture
def undated():
    return factories.make_source(
        title="Telegram post",
        publisher="",
        author="Dmitry Medvedev",
        kind="social_media",
        published_on=None,
        language="ru",
    )


def test_retrieve_full_shape(api, treaty):
    body = api.get(f"{URL}{treaty.pk}/").json()
    assert body == {
        "id": str(treaty.pk),
        "title": "Treaty on Measures for the Further Reduction and Limitation of Strategic Offensive Arms",
        "url": "https://2009-2017.state.gov/documents/organization/140035.pdf",
        "publisher": "U.S. Department of State",
        "author": "",
        "kind": "treaty_text",
        "published_on": "2010-04-01",
        "published_on_precision": "month",
        "retrieved_on": "2026-01-20",
        "language": "en",
        "version": 1,
        "created_at": treaty.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": treaty.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_list_is_newest_first_with_undated_last(api, source, treaty, undated):
    body = api.get(URL).json()
    assert [row["id"] for row in body["results"]] == [str(source.pk), str(treaty.pk), str(undated.pk)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"publisher": "example WIRE"}, {"source"}),  # case-insensitive
        ({"publisher": "Example"}, set()),  # exact, not contains
        ({"date_from": "2026-01-14"}, {"source"}),  # undated sources are never in a range
        ({"date_from": "2010-04-01", "date_to": "2026-01-14"}, {"source", "treaty"}),
        ({"date_from": "2010-04-02", "date_to": "2026-01-13"}, set()),
        ({"q": "explainer"}, {"source"}),  # title
        ({"q": "strategic department"}, {"treaty"}),  # title and publisher
        ({"q": "medvedev"}, {"undated"}),  # author
        ({"q": "explainer treaty"}, set()),
    ],
)
def test_filters(api, source, treaty, undated, params, expected):
    names = {str(source.pk): "source", str(treaty.pk): "treaty", str(undated.pk): "undated"}
    assert {names[row["id"]] for row in api.get(URL, params).json()["results"]} == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("published_on", ["treaty", "source", "undated"]),  # undated last in both directions
        ("-published_on", ["source", "treaty", "undated"]),
        ("title", ["undated", "source", "treaty"]),
    ],
)
def test_ordering(api, source, treaty, undated, ordering, expected):
    names = {str(source.pk): "source", str(treaty.pk): "treaty", str(undated.pk): "undated"}
    assert [names[row["id"]] for row in api.get(URL, {"ordering": ordering}).json()["results"]] == expected


# -- writes -------------------------------------------------------------------------


def test_minimal_source_gets_defaults(editor_api):
    response = editor_api.post(URL, {"title": "Kremlin readout", "kind": "official_statement"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["url"], body["published_on"], body["published_on_precision"], body["language"]) == (
        None,
        None,
        "day",
        "en",
    )


def test_an_empty_url_is_stored_as_null_so_many_sources_may_lack_one(editor_api):
    for title in ("Readout one", "Readout two"):
        response = editor_api.post(URL, {"title": title, "kind": "official_statement", "url": ""}, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["url"] is None
    assert Source.objects.filter(url__isnull=True).count() == 2
