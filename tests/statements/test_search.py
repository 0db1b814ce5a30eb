"""``q`` in web search syntax and ``ordering=relevance`` (issue 7, item 4), on SQLite and PostgreSQL.

PostgreSQL answers from the statements' full-text vector (kept by triggers), SQLite from substrings of
the same fields, found through a trigram index; both must agree on everything below (the differences
are in README's "Search"). On SQLite each case runs in each of the index's ways of reading a term
(``apps.core.query.search.trigram_condition``): by its matches' ids, testing the list's rows against its
matches, and as a common term (LIKE for ASCII).
"""

import csv
import datetime
import json

import pytest
from django.db import connection

from apps.core.query import ordering, search
from apps.core.query.search import Term, parse
from apps.core.record import services
from tests import factories
from tests.helpers import assert_problem, count_queries, walk

pytestmark = pytest.mark.django_db

URL = "/api/v1/statements/"


# (DRIVE_LIMIT, WALK_LIMIT) that send every term found one way: see trigram_condition.
TRIGRAM_WAYS = {"by id": (10**6, 10**6), "walking the list": (0, 10**6), "common": (0, 1)}


@pytest.fixture(params=list(TRIGRAM_WAYS) if connection.vendor == "sqlite" else ["full text"])
def way(request, monkeypatch):
    """How SQLite's trigram index reads each term (PostgreSQL: its full text, one way)."""
    if request.param in TRIGRAM_WAYS:
        drive, walk_ = TRIGRAM_WAYS[request.param]
        monkeypatch.setattr(ordering, "DRIVE_LIMIT", drive)
        monkeypatch.setattr(search, "WALK_LIMIT", walk_)
    return request.param


@pytest.fixture
def rows(putin, trump):
    services.update(putin, data={"aliases": ["Путин", "V. V. Putin"]})

    def make(name, speaker, text, day, **fields):
        made = factories.make_statement(speaker=speaker, text=text, said_on=datetime.date(2025, 1, day), **fields)
        return name, str(made.pk)

    return dict(
        [
            make("cold war", putin, "Relations are at their worst since the Cold War.", 1),
            make("war cold", trump, "The war must end before the cold sets in.", 2),
            make("both", trump, "A ceasefire now, and talks on the ceasefire terms.", 3),
            make("ceasefire", trump, "No ceasefire without guarantees.", 4),
            make("russian", putin, "Мы готовы к переговорам", 5),
            make("french", trump, "Qu'il négocie enfin", 6),
        ]
    )


def found(api, rows, q, **params) -> list[str]:
    names = {pk: name for name, pk in rows.items()}
    return [names[row["id"]] for row in walk(api, URL, q=q, **params)]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ('"cold war"', {"cold war"}),  # a phrase: those words, in that order
        ('"war cold"', set()),  # both words are in two rows, in that order in none
        ("cold war", {"cold war", "war cold"}),  # words: all of them, anywhere
        ("cold -relations", {"war cold"}),  # -word excludes
        ('war -"cold war"', {"war cold"}),  # -"phrase" excludes
        ("guarantees or relations", {"ceasefire", "cold war"}),  # or
        ("ceasefire -talks or guarantees", {"ceasefire"}),
        ("war cold or ceasefire talks", {"cold war", "war cold", "both"}),  # or binds loosest
        ("Путин", {"cold war", "russian"}),  # the speaker's alias, not in any text
        ("путин", {"cold war", "russian"}),  # case folds beyond ASCII too
        ("ГОТОВЫ", {"russian"}),
        ("vladimir готовы", {"russian"}),  # the speaker's name and a Russian word
        ("переговорам", {"russian"}),
        ("négocie", {"french"}),
        ("trump", {"war cold", "both", "ceasefire", "french"}),
        ("-trump", {"cold war", "russian"}),
        ("zaporizhzhia", set()),
    ],
)
def test_web_search_syntax(api, rows, q, expected, way):
    assert set(found(api, rows, q)) == expected


def test_renaming_the_speaker_finds_the_statements_under_the_new_name(api, rows, putin, way):
    services.update(putin, data={"name": "V. Poutine", "aliases": []})
    assert found(api, rows, "Путин") == []
    assert set(found(api, rows, "poutine")) == {"cold war", "russian"}


def test_relevance_puts_the_best_match_first_and_pages_by_it(api, rows, way):
    # "both" holds two of the words (one twice), every other match one; the default order is newest first.
    assert found(api, rows, "ceasefire or talks or cold") == ["ceasefire", "both", "war cold", "cold war"]
    ranked = found(api, rows, "ceasefire or talks or cold", ordering="relevance", page_size=1)
    assert ranked[0] == "both"
    assert sorted(ranked[1:]) == ["ceasefire", "cold war", "war cold"]  # each once, across pages of one
    assert found(api, rows, "ceasefire or talks or cold", ordering="-relevance")[-1] == "both"


def test_the_export_sorts_by_relevance_as_the_list_does(api, rows):
    params = {"q": "ceasefire or talks or cold", "ordering": "relevance"}
    listed = [row["id"] for row in walk(api, URL, page_size=1, **params)]
    for fmt in ("ndjson", "csv"):
        response = api.get(f"/api/v1/export/statements.{fmt}", params)
        assert response.status_code == 200
        lines = b"".join(response.streaming_content).decode().splitlines()
        exported = (
            [json.loads(line)["id"] for line in lines]
            if fmt == "ndjson"
            else [row["id"] for row in csv.DictReader(lines)]
        )
        assert exported == listed, fmt
    assert len(listed) == 4


def test_relevance_without_q_is_a_400(api, rows):
    assert_problem(api.get(URL, {"ordering": "relevance"}), 400, attr="ordering", code="invalid")


def test_q_bounds_still_hold(api):
    assert_problem(api.get(URL, {"q": "a" * 201}), 400, attr="q")
    assert_problem(api.get(URL, {"q": " ".join(["w"] * 17)}), 400, attr="q")


def test_search_keeps_the_query_budget(api, rows):
    """Full text adds no query; SQLite's trigram index one per word or phrase (q has at most 16);
    ranking by relevance one, which counts the matches up to ``SEARCH_RANK_LIMIT``."""
    plain, _ = count_queries(api, URL)
    trigrams = 2 if connection.vendor == "sqlite" else 0
    searched, body = count_queries(api, URL, q="ceasefire or cold")
    assert body["results"]
    assert searched == plain + trigrams
    ranked, body = count_queries(api, URL, q="ceasefire or cold", ordering="relevance")
    assert body["results"]
    assert ranked == plain + trigrams + 1


# Four statements match this, each ranked: "both" holds two of its words.
RANKED = "ceasefire or talks or cold"


@pytest.mark.parametrize("ordering", ["relevance", "-relevance", "relevance,-said_on"])
def test_relevance_over_more_matches_than_it_ranks_is_a_400(api, rows, way, settings, ordering):
    """Every match is scored before the first page, so ranking is bounded: past ``SEARCH_RANK_LIMIT``
    matches the request is a 400 that says how to narrow it, for the list, its export and its feed; at the
    limit it ranks; sorted by date, or narrowed under the limit, the same search answers."""
    settings.SEARCH_RANK_LIMIT = 3
    body = assert_problem(api.get(URL, {"q": RANKED, "ordering": ordering}), 400, attr="ordering")
    assert "at most 3 matches" in body["detail"]
    assert_problem(api.get("/api/v1/export/statements.ndjson", {"q": RANKED, "ordering": ordering}), 400)
    assert_problem(api.get("/api/v1/statements/feed.atom", {"q": RANKED, "ordering": ordering}), 400)
    assert len(walk(api, URL, q=RANKED)) == 4
    assert len(walk(api, URL, q=RANKED, ordering=ordering, speaker="donald-trump")) == 3  # narrowed: 3 of 4
    settings.SEARCH_RANK_LIMIT = 4
    ranked = [row["id"] for row in walk(api, URL, q=RANKED, ordering=ordering, page_size=1)]
    assert sorted(ranked) == sorted(rows[name] for name in ("both", "ceasefire", "cold war", "war cold"))


def test_the_rank_limit_error_names_its_code(api, rows, settings):
    settings.SEARCH_RANK_LIMIT = 1
    assert_problem(api.get(URL, {"q": RANKED, "ordering": "relevance"}), 400, code="too_many_matches")


def test_admin_search_box_is_the_api_search(editor_client, rows):
    response = editor_client.get("/admin/statements/statement/", {"q": '"cold war"'})
    assert response.status_code == 200
    shown = {str(obj.pk) for obj in response.context["cl"].result_list}
    assert shown == {rows["cold war"]}
    response = editor_client.get("/admin/statements/statement/", {"q": " ".join(["w"] * 17)})
    assert list(response.context["cl"].result_list) == []


def test_parse():
    assert parse('a "b  c" -d -"e f" g or h -i or j') == [
        [Term("a"), Term("b c"), Term("d", negated=True), Term("e f", negated=True), Term("g")],
        [Term("h"), Term("i", negated=True)],
        [Term("j")],
    ]
    assert parse('or "" - a or') == [[Term("or"), Term("a"), Term("or")]]  # an or with no side is a word


def test_only_phrases_of_plain_words_are_read_through_their_pairs():
    """A phrase of letters and digits has a pair per space; one the parser may read as fewer words (an
    address, punctuation) could have none, which every row would match: it is tested as before. With
    ``or``, every alternative must have such a phrase."""
    table = "statements_statement"
    condition = search.phrase_pairs_condition(table, parse('"cold war" "a, b" talks or "переговорам готовы"'))
    assert condition is not None
    assert condition.params == ["cold war", "переговорам готовы"]
    assert '"statements_statement"."search_pairs" @>' in condition.sql
    for q in ['"cold war" or talks', '"a, b"', '"x@y.org now"', '-"cold war" talks', '"foo_bar baz"', "cold war"]:
        assert search.phrase_pairs_condition(table, parse(q)) is None, q
