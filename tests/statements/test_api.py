"""/api/v1/statements/: what only statements do. The shared behaviour is in tests/test_resources.py."""

import datetime

import pytest

from tests import factories
from tests.resources import INTERVIEW_ID, sample_statement

pytestmark = pytest.mark.django_db

URL = "/api/v1/statements/"


@pytest.fixture
def quote():
    """Trump, on Zelenskyy, in a Reuters interview: the statement the shared tests use."""
    return sample_statement()


@pytest.fixture
def paraphrase(putin):
    return factories.make_statement(
        speaker=putin,
        text="Relations are at their worst since the Cold War.",
        kind="paraphrase",
        said_on=datetime.date(2025, 8, 1),
        date_precision="month",
        certainty="reported",
    )


def test_retrieve_full_shape(api, quote):
    source = quote.citations.get().source
    body = api.get(f"{URL}{quote.pk}/").json()
    assert body == {
        "id": str(quote.pk),
        "speaker": {"slug": "donald-trump", "name": "Donald Trump", "kind": "person"},
        "text": "main impediment",
        "kind": "direct_quote",
        "said_on": "2026-01-14",
        "date_precision": "day",
        "certainty": "confirmed",
        "event": INTERVIEW_ID,
        "medium": "Interview with Reuters",
        "about": [{"slug": "volodymyr-zelenskyy", "name": "Volodymyr Zelenskyy", "kind": "person"}],
        "topics": [{"slug": "ukraine-peace-talks", "name": "Ukraine peace talks"}],
        "assessment": "",
        "citations": [
            {
                "source": {"id": str(source.pk), "title": "The explainer", "publisher": "Example Wire", "url": None},
                "excerpt": "is the “main impediment” to peace",
                "locator": "",
                "note": "",
            }
        ],
        "version": 1,
        "created_at": quote.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": quote.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_list_is_newest_first(api, quote, paraphrase):
    body = api.get(URL).json()
    assert [row["id"] for row in body["results"]] == [str(quote.pk), str(paraphrase.pk)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"speaker": "vladimir-putin"}, {"paraphrase"}),
        ({"about": "donald-trump"}, set()),
        ({"date_to": "2025-08-01"}, {"paraphrase"}),
        ({"date_from": "2025-08-01", "date_to": "2026-01-14"}, {"quote", "paraphrase"}),
        ({"q": "putin cold"}, {"paraphrase"}),  # speaker name and text
    ],
)
def test_filters(api, quote, paraphrase, params, expected):
    names = {str(quote.pk): "quote", str(paraphrase.pk): "paraphrase"}
    assert {names[row["id"]] for row in api.get(URL, params).json()["results"]} == expected


def test_statement_about_two_requested_actors_is_listed_once(api, quote):
    quote.about.add(quote.speaker)
    body = api.get(f"{URL}?about=donald-trump&about=volodymyr-zelenskyy").json()
    assert [row["id"] for row in body["results"]] == [str(quote.pk)]


def test_ordering(api, quote, paraphrase):
    assert [r["id"] for r in api.get(URL, {"ordering": "said_on"}).json()["results"]] == [
        str(paraphrase.pk),
        str(quote.pk),
    ]


# -- writes -------------------------------------------------------------------------


def test_undated_statement_is_allowed_and_listed_last(editor_api, api, quote, source):
    sent = {
        "speaker": "donald-trump",
        "text": "ready to make a deal",
        "kind": "paraphrase",
        "said_on": None,
        "certainty": "reported",
        "citations": [{"source": str(source.pk)}],
    }
    response = editor_api.post(URL, sent, format="json")
    assert response.status_code == 201, response.content
    rows = api.get(URL).json()["results"]
    assert rows[-1]["said_on"] is None
    assert api.get(URL, {"date_from": "2000-01-01"}).json()["results"][-1]["said_on"] is not None
