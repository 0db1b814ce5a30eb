"""/api/v1/statements/: read shape, filters, writes with citations, errors, query budget."""

import datetime

import pytest

from apps.statements.models import Statement
from tests import factories
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = "/api/v1/statements/"


@pytest.fixture
def interview(trump):
    return factories.make_event(title="Reuters interview", kind="interview", starts_on=datetime.date(2026, 1, 14))


@pytest.fixture
def quote(trump, zelenskyy, peace_talks, interview, source):
    statement = factories.make_statement(
        speaker=trump,
        text="main impediment",
        kind="direct_quote",
        said_on=datetime.date(2026, 1, 14),
        certainty="confirmed",
        event=interview,
        medium="Interview with Reuters",
        about=[zelenskyy],
        topics=[peace_talks],
        citations=[{"source": source, "excerpt": "is the “main impediment” to peace", "locator": "para 9"}],
    )
    return statement


@pytest.fixture
def paraphrase():
    return factories.make_statement(
        speaker=factories.make_actor(slug="vladimir-putin", name="Vladimir Putin"),
        text="Relations are at their worst since the Cold War.",
        kind="paraphrase",
        said_on=datetime.date(2025, 8, 1),
        date_precision="month",
        certainty="reported",
    )


def payload(speaker="donald-trump", source=None, **overrides):
    body = {
        "speaker": speaker,
        "text": "ready to make a deal",
        "kind": "direct_quote",
        "said_on": "2026-01-14",
        "date_precision": "day",
        "certainty": "confirmed",
        "about": ["vladimir-putin"],
        "topics": ["ukraine-peace-talks"],
        "citations": [{"source": str(source.pk), "excerpt": "Putin is “ready to make a deal”", "locator": "para 9"}],
    }
    return body | overrides


def test_retrieve_full_shape(api, quote, source, interview):
    body = api.get(f"{URL}{quote.pk}/").json()
    assert body == {
        "id": str(quote.pk),
        "speaker": {"slug": "donald-trump", "name": "Donald Trump", "kind": "person"},
        "text": "main impediment",
        "kind": "direct_quote",
        "said_on": "2026-01-14",
        "date_precision": "day",
        "certainty": "confirmed",
        "event": str(interview.pk),
        "medium": "Interview with Reuters",
        "about": [{"slug": "volodymyr-zelenskyy", "name": "Volodymyr Zelenskyy", "kind": "person"}],
        "topics": [{"slug": "ukraine-peace-talks", "name": "Ukraine peace talks"}],
        "assessment": "",
        "citations": [
            {
                "source": {"id": str(source.pk), "title": "The explainer", "publisher": "Example Wire", "url": None},
                "excerpt": "is the “main impediment” to peace",
                "locator": "para 9",
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
    assert body["next"] is None
    assert body["previous"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"speaker": "donald-trump"}, {"quote"}),
        ({"speaker": "vladimir-putin"}, {"paraphrase"}),
        ({"about": "volodymyr-zelenskyy"}, {"quote"}),
        ({"about": "donald-trump"}, set()),
        ({"topic": "ukraine-peace-talks"}, {"quote"}),
        ({"topic": "other-topic"}, set()),
        ({"kind": "direct_quote"}, {"quote"}),
        ({"kind": "paraphrase"}, {"paraphrase"}),
        ({"certainty": "confirmed"}, {"quote"}),
        ({"certainty": "disputed"}, set()),
        ({"date_from": "2026-01-14"}, {"quote"}),
        ({"date_from": "2026-01-15"}, set()),
        ({"date_to": "2025-08-01"}, {"paraphrase"}),
        ({"date_to": "2025-07-31"}, set()),
        ({"date_from": "2025-08-01", "date_to": "2026-01-14"}, {"quote", "paraphrase"}),
        ({"q": "impediment"}, {"quote"}),
        ({"q": "IMPEDIMENT reuters"}, {"quote"}),
        ({"q": "putin cold"}, {"paraphrase"}),
        ({"q": "impediment nowhere"}, set()),
    ],
)
def test_filters(api, quote, paraphrase, params, expected):
    factories.make_topic(slug="other-topic")
    names = {str(quote.pk): "quote", str(paraphrase.pk): "paraphrase"}
    assert {names[row["id"]] for row in api.get(URL, params).json()["results"]} == expected


def test_event_filter(api, quote, paraphrase, interview):
    assert [r["id"] for r in api.get(URL, {"event": str(interview.pk)}).json()["results"]] == [str(quote.pk)]
    other = factories.make_event()
    assert api.get(URL, {"event": str(other.pk)}).json()["results"] == []


def test_repeated_parameter_matches_any(api, quote, paraphrase):
    body = api.get(f"{URL}?speaker=donald-trump&speaker=vladimir-putin").json()
    assert {row["id"] for row in body["results"]} == {str(quote.pk), str(paraphrase.pk)}
    body = api.get(f"{URL}?certainty=confirmed&certainty=reported").json()
    assert len(body["results"]) == 2


def test_statement_about_two_requested_actors_is_listed_once(api, quote, trump):
    quote.about.add(trump)
    body = api.get(f"{URL}?about=donald-trump&about=volodymyr-zelenskyy").json()
    assert [row["id"] for row in body["results"]] == [str(quote.pk)]


def test_ordering(api, quote, paraphrase):
    assert [r["id"] for r in api.get(URL, {"ordering": "said_on"}).json()["results"]] == [
        str(paraphrase.pk),
        str(quote.pk),
    ]


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"speaker": "nobody"}, "speaker"),
        ({"topic": "nothing"}, "topic"),
        ({"date_from": "14/01/2026"}, "date_from"),
        ({"date_to": "2026-13-01"}, "date_to"),
        ({"kind": "rumour"}, "kind"),
        ({"certainty": "sure"}, "certainty"),
        ({"event": "not-a-uuid"}, "event"),
        ({"ordering": "text"}, "ordering"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(api, params, attr):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == [attr]


# -- writes -------------------------------------------------------------------------


@pytest.fixture
def write_targets(trump, peace_talks):
    factories.make_actor(slug="vladimir-putin", name="Vladimir Putin")


def test_editor_creates_a_statement_with_citations(editor_api, editor, source, write_targets):
    response = editor_api.post(URL, payload(source=source), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    statement = Statement.objects.get(pk=body["id"])
    assert body["speaker"]["slug"] == "donald-trump"
    assert body["about"] == [{"slug": "vladimir-putin", "name": "Vladimir Putin", "kind": "person"}]
    assert body["citations"][0]["source"]["id"] == str(source.pk)
    assert statement.citations.get().locator == "para 9"
    # One history record for the write, naming the editor, with the links in it.
    record = statement.history.get()
    assert record.history_type == "+"
    assert record.history_user == editor
    assert [t.topic.slug for t in record.topics.all()] == ["ukraine-peace-talks"]
    assert statement.history.get().data["citations"] == body["citations"]  # in the statement's one version


def test_server_owned_fields_are_ignored(editor_api, source, write_targets):
    sent = payload(source=source, id="00000000-0000-0000-0000-000000000000", created_at="2000-01-01T00:00:00Z")
    body = editor_api.post(URL, sent, format="json").json()
    assert body["id"] != sent["id"]
    assert not body["created_at"].startswith("2000")


def test_replace_and_partial_update(editor_api, quote, source):
    other = factories.make_source(title="Reuters")
    url = f"{URL}{quote.pk}/"
    versions = quote.history.count()
    replaced = payload(
        speaker="donald-trump", source=other, text="main impediment", about=[], topics=[], certainty="disputed"
    )
    response = editor_api.put(url, replaced, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["citations"][0]["source"]["title"] == "Reuters"
    assert response.json()["about"] == []
    response = editor_api.patch(url, {"certainty": "confirmed"}, format="json")
    assert response.status_code == 200
    quote.refresh_from_db()
    assert quote.certainty == "confirmed"
    assert quote.citations.count() == 1  # PATCH without citations keeps them
    assert quote.history.count() == versions + 2  # one record per write


def test_delete(editor_api, quote):
    assert editor_api.delete(f"{URL}{quote.pk}/").status_code == 204
    assert not Statement.objects.filter(pk=quote.pk).exists()
    assert quote.history.latest().history_type == "-"


def test_anonymous_and_unprivileged_writes_are_refused(api, reader_api, quote, source):
    for client, status in [(api, 401), (reader_api, 403)]:
        assert client.post(URL, payload(source=source), format="json").status_code == status
        assert client.patch(f"{URL}{quote.pk}/", {"text": "x"}, format="json").status_code == status
        assert client.delete(f"{URL}{quote.pk}/").status_code == status
    quote.refresh_from_db()
    assert quote.text == "main impediment"


@pytest.mark.parametrize(
    ("overrides", "attrs"),
    [
        ({"citations": []}, ["citations"]),
        ({"citations": None}, ["citations"]),
        ({"citations": [{"source": "7b0e5f38-2c7a-4c55-9d55-2d5b8f0bd4a1"}]}, ["citations.0.source"]),
        ({"citations": [{"source": "not-a-uuid"}]}, ["citations.0.source"]),
        ({"citations": [{"excerpt": "no source"}]}, ["citations.0.source"]),
        ({"speaker": "nobody"}, ["speaker"]),
        ({"speaker": None}, ["speaker"]),
        ({"about": ["nobody"]}, ["about"]),
        ({"kind": "rumour"}, ["kind"]),
        ({"certainty": "likely"}, ["certainty"]),
        ({"text": ""}, ["text"]),
        ({"said_on": "2026-01-14", "date_precision": "month"}, ["said_on"]),
        ({"said_on": "2026-02-01", "date_precision": "year"}, ["said_on"]),
        ({"said_on": "mid-January"}, ["said_on"]),
        ({"date_precision": "week"}, ["date_precision"]),
        ({"event": "7b0e5f38-2c7a-4c55-9d55-2d5b8f0bd4a1"}, ["event"]),
    ],
)
def test_invalid_writes_are_400_naming_the_field_and_write_nothing(editor_api, source, write_targets, overrides, attrs):
    body = payload(source=source) | overrides
    if body.get("citations") is None:
        body.pop("citations")
    response = editor_api.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [e["attr"] for e in response.json()["errors"]] == attrs
    assert Statement.objects.count() == 0


def test_patch_cannot_break_precision_of_stored_date(editor_api, quote):
    response = editor_api.patch(f"{URL}{quote.pk}/", {"date_precision": "month"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "said_on"


def test_undated_statement_is_allowed_and_listed_last(editor_api, api, quote, source, write_targets):
    response = editor_api.post(URL, payload(source=source, said_on=None), format="json")
    assert response.status_code == 201, response.content
    rows = api.get(URL).json()["results"]
    assert rows[-1]["said_on"] is None
    assert api.get(URL, {"date_from": "2000-01-01"}).json()["results"][-1]["said_on"] is not None


# -- performance ------------------------------------------------------------------


def make_rich_statements(n):
    speaker = factories.make_actor()
    topics = [factories.make_topic() for _ in range(2)]
    for i in range(n):
        statement = factories.make_statement(speaker=speaker, said_on=datetime.date(2026, 1, 1 + i % 28))
        statement.topics.set(topics)
        statement.about.set([speaker])


def test_list_query_budget_is_flat_in_page_size(api):
    # 1 page of statements (speaker joined) + prefetches: about, topics, citations (sources joined) = 4.
    make_rich_statements(1)
    one, _ = count_queries(api, URL)
    make_rich_statements(59)
    full, body = count_queries(api, URL, page_size=50)
    assert len(body["results"]) == 50
    assert one == full == 4
    # A slug filter adds one query: validating the slug.
    filtered, _ = count_queries(api, URL, page_size=50, speaker=body["results"][0]["speaker"]["slug"])
    assert filtered == 5


def test_detail_query_budget(api, quote):
    # statement + speaker, about, topics, citations with sources.
    queries, _ = count_queries(api, f"{URL}{quote.pk}/")
    assert queries == 4


def test_certainty_must_be_stated_on_create(editor_api, source, write_targets):
    body = payload(source=source)
    del body["certainty"]
    response = editor_api.post(URL, body, format="json")
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [("certainty", "required")]
