"""/api/v1/sources/: read shape, filters, writes, errors, query budget."""

import datetime

import pytest

from apps.sources.models import Source
from tests import factories
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = "/api/v1/sources/"


@pytest.fixture
def treaty():
    return factories.make_source(
        title="Treaty on Measures for the Further Reduction and Limitation of Strategic Offensive Arms",
        url="https://2009-2017.state.gov/documents/organization/140035.pdf",
        publisher="U.S. Department of State",
        author="",
        kind="treaty_text",
        published_on=datetime.date(2010, 4, 1),
        published_on_precision="month",
        retrieved_on=datetime.date(2026, 1, 20),
    )


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


def payload(**overrides):
    body = {
        "title": "Trump says Putin is ready to make a deal",
        "url": "https://www.reuters.com/world/trump-interview-2026-01-14/",
        "publisher": "Reuters",
        "author": "Steve Holland",
        "kind": "interview",
        "published_on": "2026-01-14",
        "published_on_precision": "day",
        "retrieved_on": "2026-01-15",
        "language": "en",
    }
    return body | overrides


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
    assert body["next"] is None
    assert body["previous"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "news"}, {"source"}),
        ({"kind": "treaty_text"}, {"treaty"}),
        ({"kind": "interview"}, set()),
        ({"publisher": "Example Wire"}, {"source"}),
        ({"publisher": "example WIRE"}, {"source"}),  # case-insensitive
        ({"publisher": "u.s. department of state"}, {"treaty"}),
        ({"publisher": "Example"}, set()),  # exact, not contains
        ({"date_from": "2026-01-14"}, {"source"}),
        ({"date_from": "2026-01-15"}, set()),
        ({"date_to": "2010-04-01"}, {"treaty"}),
        ({"date_to": "2010-03-31"}, set()),
        ({"date_from": "2010-04-01", "date_to": "2026-01-14"}, {"source", "treaty"}),
        ({"date_from": "2010-04-02", "date_to": "2026-01-13"}, set()),
        ({"q": "explainer"}, {"source"}),  # title
        ({"q": "STATE.GOV"}, {"treaty"}),  # url
        ({"q": "strategic department"}, {"treaty"}),  # title and publisher
        ({"q": "medvedev"}, {"undated"}),  # author
        ({"q": "explainer treaty"}, set()),
    ],
)
def test_filters(api, source, treaty, undated, params, expected):
    names = {str(source.pk): "source", str(treaty.pk): "treaty", str(undated.pk): "undated"}
    assert {names[row["id"]] for row in api.get(URL, params).json()["results"]} == expected


def test_repeated_parameter_matches_any(api, source, treaty, undated):
    body = api.get(f"{URL}?kind=news&kind=social_media").json()
    assert {row["id"] for row in body["results"]} == {str(source.pk), str(undated.pk)}


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("published_on", ["treaty", "source", "undated"]),  # undated last in both directions
        ("-published_on", ["source", "treaty", "undated"]),
        ("title", ["undated", "source", "treaty"]),
        ("-created_at", ["undated", "treaty", "source"]),
    ],
)
def test_ordering(api, source, treaty, undated, ordering, expected):
    names = {str(source.pk): "source", str(treaty.pk): "treaty", str(undated.pk): "undated"}
    assert [names[row["id"]] for row in api.get(URL, {"ordering": ordering}).json()["results"]] == expected


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"kind": "blog"}, "kind"),
        ({"date_from": "14/01/2026"}, "date_from"),
        ({"date_to": "2026-13-01"}, "date_to"),
        ({"ordering": "url"}, "ordering"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(api, params, attr):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == [attr]


# -- writes -------------------------------------------------------------------------


def test_editor_creates_a_source(editor_api, editor):
    response = editor_api.post(URL, payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    source = Source.objects.get(pk=body["id"])
    assert {k: v for k, v in body.items() if k not in ("id", "version", "created_at", "updated_at")} == payload()
    assert (source.publisher, source.published_on) == ("Reuters", datetime.date(2026, 1, 14))
    record = source.history.get()
    assert record.history_type == "+"
    assert record.history_user == editor


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
        response = editor_api.post(URL, payload(title=title, url=""), format="json")
        assert response.status_code == 201, response.content
        assert response.json()["url"] is None
    assert Source.objects.filter(url__isnull=True).count() == 2


def test_replace_and_partial_update(editor_api, editor, treaty):
    url = f"{URL}{treaty.pk}/"
    versions = treaty.history.count()
    response = editor_api.put(url, payload(published_on="2026-01-01", published_on_precision="month"), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["publisher"] == "Reuters"
    response = editor_api.patch(url, {"url": None, "language": "ru"}, format="json")
    assert response.status_code == 200, response.content
    treaty.refresh_from_db()
    assert (treaty.title, treaty.url, treaty.language) == ("Trump says Putin is ready to make a deal", None, "ru")
    assert (treaty.published_on, treaty.published_on_precision) == (datetime.date(2026, 1, 1), "month")
    assert treaty.history.count() == versions + 2
    assert treaty.history.latest().history_user == editor


def test_delete_an_uncited_source(editor_api, treaty):
    assert editor_api.delete(f"{URL}{treaty.pk}/").status_code == 204
    assert not Source.objects.filter(pk=treaty.pk).exists()
    assert treaty.history.latest().history_type == "-"


def test_anonymous_and_unprivileged_writes_are_refused(api, reader_api, treaty):
    url = f"{URL}{treaty.pk}/"
    for client, status in [(api, 401), (reader_api, 403)]:
        assert client.post(URL, payload(), format="json").status_code == status
        assert client.put(url, payload(), format="json").status_code == status
        assert client.patch(url, {"title": "x"}, format="json").status_code == status
        assert client.delete(url).status_code == status
    treaty.refresh_from_db()
    assert treaty.kind == "treaty_text"
    assert Source.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "attrs"),
    [
        ({"url": "not a url"}, ["url"]),
        ({"url": "reuters.com/world"}, ["url"]),
        ({"url": "https://2009-2017.state.gov/documents/organization/140035.pdf"}, ["url"]),  # taken
        ({"kind": "blog"}, ["kind"]),
        ({"kind": None}, ["kind"]),
        ({"title": ""}, ["title"]),
        ({"published_on": "2026-01-14", "published_on_precision": "month"}, ["published_on"]),
        ({"published_on": "2026-02-01", "published_on_precision": "year"}, ["published_on"]),
        ({"published_on": "January 2026"}, ["published_on"]),
        ({"published_on_precision": "week"}, ["published_on_precision"]),
        ({"retrieved_on": "2026-02-30"}, ["retrieved_on"]),
    ],
)
def test_invalid_writes_are_400_naming_the_field_and_write_nothing(editor_api, treaty, overrides, attrs):
    response = editor_api.post(URL, payload(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [e["attr"] for e in response.json()["errors"]] == attrs
    assert list(Source.objects.all()) == [treaty]


def test_patch_precision_is_checked_against_the_stored_date(editor_api, source):
    response = editor_api.patch(f"{URL}{source.pk}/", {"published_on_precision": "month"}, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["published_on"]
    source.refresh_from_db()
    assert source.published_on_precision == "day"


# -- performance ------------------------------------------------------------------


def test_list_query_budget_is_flat_in_page_size(api):
    # 1 page of sources; nothing is related.
    factories.make_source()
    one, _ = count_queries(api, URL)
    for i in range(59):
        factories.make_source(published_on=datetime.date(2025, 1, 1 + i % 28))
    full, body = count_queries(api, URL, page_size=50)
    assert len(body["results"]) == 50
    assert one == full == 1


def test_detail_query_budget(api, treaty):
    # the source.
    queries, _ = count_queries(api, f"{URL}{treaty.pk}/")
    assert queries == 1
