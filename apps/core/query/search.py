"""Text search (``q``) in web search syntax, shared by the API's lists and the admin's search box.

The syntax is PostgreSQL's ``websearch_to_tsquery``: words are all required, ``"a quoted phrase"``
matches those words in that order, ``-word`` (or ``-"a phrase"``) excludes, and ``or`` accepts
either side, binding loosest: ``a b or c`` is "a and b, or c".

Two engines read it:

* **Full text** (PostgreSQL, for the models that declare ``search_vector``, see ``search_vectors``): the row's
  ``search_vector`` column, a ``tsvector`` of its search fields (a statement's speaker's and a
  position's actor's name and aliases included) under the ``simple`` configuration (no language:
  names and quotes in any language are lowercased words, nothing stemmed or dropped), kept current by
  the database (generated columns, or triggers where it reads other tables: migrations
  ``*/…_search_vector``), GIN-indexed, matched with ``websearch_to_tsquery('simple', q)`` and ranked
  with ``ts_rank``. A word matches whole words only: ``cease`` does not find "ceasefire". Each such
  table also keeps ``search_pairs``, the vector's adjacent word pairs (migrations ``*/…_phrase_index``),
  through which a quoted phrase is found (``phrase_pairs_condition``).
* **Substrings** (SQLite; on PostgreSQL actors, topics, roles and sources, small next to the facts,
  whose URLs need substrings; and the version rows an ``as_of`` list reads): the same parse, each word
  or phrase a case-insensitive substring of at least one of the resource's search fields. Relevance
  there is the number of terms found. On SQLite the fact types' words and phrases of three characters
  or more are found through an FTS5 trigram index of those fields (``trigram_indexes``, migrations
  ``*/…_trigram_index``), which matches the same substrings, folding case beyond ASCII too ("путин"
  finds "Путин"); shorter ones, and a SQLite built without FTS5, read the columns with LIKE.
"""

import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import BooleanField, Case, ExpressionWrapper, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from apps.core.query import ordering


@cache
def search_vectors() -> dict[str, tuple[str, str]]:
    """Model label -> (table, vector column), for every model that declares its ``search_vector``
    column (the fact types: ``apps.core.models.FactModel``); the column exists on PostgreSQL only."""
    from django.apps import apps

    return {
        model._meta.label: (model._meta.db_table, column)
        for model in apps.get_models()
        if (column := getattr(model, "search_vector", None))
    }


@cache
def trigram_indexes() -> dict[str, tuple[str, str]]:
    """Model label -> SQLite's FTS5 trigram index of its search fields, and the table mapping the index's
    integer row ids to the facts' ids (apps.core.migration_ops.sqlite_trigram_index)."""
    return {label: (f"{table}_search", f"{table}_search_ids") for label, (table, _) in search_vectors().items()}


TRIGRAM_LENGTH = 3  # a trigram index finds substrings of at least three characters
# How many matches a term may have to be read by id (DRIVE_LIMIT, as for other filters), or tested from
# the index's list as the list is read in order (trigram_condition): about where the ways cost the same.
WALK_LIMIT = 2000

# (database alias, database name, index table) found in that database: looked up once, not per query.
_trigram_tables: set[tuple[str, str, str]] = set()

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    text: str  # a word or a phrase (words joined by single spaces)
    negated: bool = False


def parse(value: str) -> list[list[Term]]:
    """``q`` as alternatives (split at ``or``), each a list of terms that must all hold.

    As ``websearch_to_tsquery`` reads it: ``or`` binds loosest, so ``a b or c`` is (a and b) or c; an
    ``or`` with no term on one side is a word; a ``-`` alone or an empty phrase is nothing.
    """
    tokens: list[Term | None] = []  # None: the operator ``or``
    for match in TOKEN.finditer(value):
        minus, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or":
                tokens.append(None)
                continue
            negated = word.startswith("-")
            text = word[1:] if negated else word
        else:
            negated, text = bool(minus), " ".join(phrase.split())
        if text:
            tokens.append(Term(text, negated))
    groups: list[list[Term]] = [[]]
    for index, token in enumerate(tokens):
        if token is None:
            if groups[-1] and any(later is not None for later in tokens[index + 1 :]):
                groups.append([])
                continue
            token = Term("or")
        groups[-1].append(token)
    return [group for group in groups if group]


def substring_condition(term_condition: Callable[[str], Q], groups: list[list[Term]]) -> Q:
    def term_q(term: Term) -> Q:
        return ~term_condition(term.text) if term.negated else term_condition(term.text)

    return reduce(operator.or_, (reduce(operator.and_, (term_q(t) for t in group)) for group in groups))


def vector_for(qs: QuerySet) -> tuple[str, str] | None:
    """(table, column) of the full-text vector that serves ``qs``, or None for the substring search."""
    if connections[qs.db].vendor != "postgresql":
        return None
    return search_vectors().get(qs.model._meta.label)


def trigram_index_for(qs: QuerySet) -> tuple[str, str] | None:
    """(index, ids table) of the SQLite trigram index that serves ``qs``, or None (PostgreSQL, a model
    without one, or a SQLite without FTS5, where the migration made none)."""
    connection = connections[qs.db]
    tables = trigram_indexes().get(qs.model._meta.label)
    if connection.vendor != "sqlite" or tables is None:
        return None
    key = (connection.alias, str(connection.settings_dict["NAME"]), tables[0])
    if key not in _trigram_tables:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [tables[0]])
            if cursor.fetchone() is None:
                return None
        _trigram_tables.add(key)
    return tables


def trigram_condition(
    qs: QuerySet, tables: tuple[str, str], fallback: Callable[[str], Q], *, rank: bool = False
) -> Callable[[str], Q]:
    """``term_condition`` through the trigram index, or ``fallback`` (LIKE) where that reads less.

    One query asks the index for at most ``WALK_LIMIT`` matches of the term; the condition then
    depends on how many there are:

    * none: nothing matches, and no query is made for it;
    * fewer than ``DRIVE_LIMIT``: the page reads those rows by id and sorts them;
    * fewer than ``WALK_LIMIT``: the list is read in its order, each row tested against the matches
      (with ``rank``, sorted by relevance, every match is read and sorted anyway: by id);
    * more: a page fills within the first rows of the list's order, so collecting every match first
      would cost more than testing rows as they come: an ASCII term with LIKE (which matches exactly
      what the index does for ASCII text), any other against the index's matches.

    A term shorter than three characters, which trigrams cannot find, is always LIKE.
    """
    connection = connections[qs.db]
    index, ids = tables
    column = f'"{qs.model._meta.db_table}"."{qs.model._meta.pk.column}"'
    # SQLite reads ``id IN (…)`` by id; ``+id IN (…)`` makes it walk the list's order instead.
    listed = f"{column} IN (SELECT fact_id FROM {ids} WHERE id IN (SELECT value FROM json_each(%s)))"
    matches = f"SELECT rowid FROM {index} WHERE {index} MATCH %s"
    matched = f"+{column} IN (SELECT fact_id FROM {ids} WHERE id IN ({matches}))"
    probe = f"{matches} LIMIT {WALK_LIMIT}"

    @cache
    def condition(text: str) -> Q:
        if len(text) < TRIGRAM_LENGTH:
            return fallback(text)
        phrase = '"{}"'.format(text.replace('"', '""'))  # an FTS5 string: the text as one substring
        with connection.cursor() as cursor:
            cursor.execute(probe, [phrase])
            rowids = [rowid for (rowid,) in cursor.fetchall()]
        if not rowids:
            return Q(pk__in=[])
        if len(rowids) < WALK_LIMIT:
            sql = listed if rank or len(rowids) < ordering.DRIVE_LIMIT else "+" + listed
            return Q(RawSQL(sql, [json.dumps(rowids)], output_field=BooleanField()))
        if text.isascii():
            return fallback(text)
        return Q(RawSQL(matched, [phrase], output_field=BooleanField()))

    return condition


# A phrase read through its pairs: two or more runs of letters and digits, each of which the ``simple``
# parser makes one word or more, so the phrase has a pair for each space. (Others, "e-mail@x.org" one
# word to the parser or "a , b", might have none: an empty list of pairs, matched by every row, would
# turn the search into a walk of the whole list. They are tested by the vector alone, as before.)
PAIRED_PHRASE = re.compile(r"[^\W_]+(?: [^\W_]+)+")


def phrase_pairs_condition(table: str, groups: list[list[Term]]) -> RawSQL | None:
    """Rows holding every adjacent word pair of the phrases ``q`` requires, or None.

    The full-text index holds no positions, so on its own it finds every row holding a phrase's words,
    in any order, and each must be read to test their order. The pairs' index (migrations
    ``…_phrase_index``, function ``factsapi_word_pairs``) finds the rows holding them next to each
    other. A row matching a phrase holds all its pairs, so this only narrows what the full-text test
    then checks. With ``or``, only when every alternative requires a phrase: one that does not would
    match rows without pairs. The pairs are a column (``search_pairs``), not computed from the vector
    in the query: the index's recheck would compute them for each row it reads.
    """
    pairs = f'"{table}"."search_pairs" @> factsapi_word_pairs(to_tsvector(\'simple\', %s))'
    alternatives, params = [], []
    for group in groups:
        phrases = [term.text for term in group if not term.negated and PAIRED_PHRASE.fullmatch(term.text)]
        if not phrases:
            return None
        alternatives.append(" AND ".join([pairs] * len(phrases)))
        params += phrases
    sql = " OR ".join(f"({alternative})" for alternative in alternatives)
    return RawSQL(sql, params, output_field=BooleanField())


def search(qs: QuerySet, value: str, term_condition: Callable[[str], Q], *, rank: bool = False) -> QuerySet:
    """Rows of ``qs`` matching ``q`` = ``value``; with ``rank``, annotated ``relevance`` (larger is better).

    ``term_condition(text)`` is the substring engine's test of one word or phrase (see the module docstring).
    """
    groups = parse(value)
    if not groups:
        return qs.annotate(relevance=Value(0.0, output_field=FloatField())) if rank else qs
    vector = vector_for(qs)
    if vector is not None:
        column = f'"{vector[0]}"."{vector[1]}"'
        # The vector is a PostgreSQL-only column the model does not declare (SQLite has none), so it is
        # aliased as a SearchVectorField for contrib.postgres.search to match and rank it.
        qs = qs.alias(_search_vector=RawSQL(column, [], output_field=SearchVectorField()))
        query = SearchQuery(value, search_type="websearch", config="simple")
        pairs = phrase_pairs_condition(vector[0], groups)
        if pairs is None:
            qs = qs.filter(_search_vector=query)
        else:
            # With pairs, the rows their index finds are tested against the vector, which is not looked up
            # in its own index as well: ``IS TRUE`` keeps the planner from it (for a phrase's two common
            # words that GIN scan took 55 ms at a million statements; the pairs' 0.5 ms) and keeps its
            # estimate. Django writes no IS TRUE around a lookup (``= true`` the planner folds away), so
            # this test stays SQL.
            test = f"({column} @@ websearch_to_tsquery('simple', %s)) IS TRUE"
            qs = qs.filter(RawSQL(test, [value], output_field=BooleanField())).filter(pairs)
        if rank:
            # float8, so the cursor's JSON number compares equal to the value the database sorted by.
            qs = qs.annotate(relevance=Cast(SearchRank(F("_search_vector"), query), FloatField()))
        return qs
    # Without ``or`` every row listed holds every word and phrase the query asks for: all rank the same,
    # and a constant lets the list be read in its tie-breaking order (the pagination sorts by no
    # constant), as an unranked search is, instead of ranking and sorting every match.
    ranked = rank and len(groups) > 1
    trigram = trigram_index_for(qs)
    if trigram is not None:
        term_condition = trigram_condition(qs, trigram, term_condition, rank=ranked)
    qs = qs.filter(substring_condition(term_condition, groups))
    if rank and not ranked:
        every = sum(1 for term in groups[0] if not term.negated)
        return qs.annotate(relevance=Value(float(every), output_field=FloatField()))
    if rank:
        found = [
            Case(When(term_condition(term.text), then=Value(1.0)), default=Value(0.0), output_field=FloatField())
            for group in groups
            for term in group
            if not term.negated
        ]
        score = reduce(operator.add, found) if found else Value(0.0)
        qs = qs.annotate(relevance=ExpressionWrapper(score, output_field=FloatField()))
    return qs
