"""Text search (``q``) in web search syntax, shared by the API's lists and the admin's search box.

The syntax is PostgreSQL's ``websearch_to_tsquery``: words are all required, ``"a quoted phrase"``
matches those words in that order, ``-word`` (or ``-"a phrase"``) excludes, and ``or`` accepts
either side, binding loosest: ``a b or c`` is "a and b, or c".

Two engines read it:

* **Full text** (PostgreSQL, for the fact types, see ``SEARCH_VECTORS``): the row's
  ``search_vector`` column, a ``tsvector`` of its search fields (a statement's speaker's and a
  position's actor's name and aliases included) under the ``simple`` configuration (no language:
  names and quotes in any language are lowercased words, nothing stemmed or dropped), kept current by
  the database (generated columns, or triggers where it reads other tables: migrations
  ``*/…_search_vector``), GIN-indexed, matched with ``websearch_to_tsquery('simple', q)`` and ranked
  with ``ts_rank``. A word matches whole words only: ``cease`` does not find "ceasefire".
* **Substrings** (SQLite; on PostgreSQL actors, topics, roles and sources, small next to the facts,
  whose URLs need substrings; and the version rows an ``as_of`` list reads): the same parse, each word
  or phrase a case-insensitive substring of at least one of the resource's search fields. Relevance
  there is the number of terms found.
"""

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

# model label -> (table, vector column); the column exists on PostgreSQL only (see the module docstring).
SEARCH_VECTORS = {
    "statements.Statement": ("statements_statement", "search_vector"),
    "events.Event": ("events_event", "search_vector"),
    "positions.Position": ("positions_position", "search_vector"),
    "deadlines.Deadline": ("deadlines_deadline", "search_vector"),
}

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
    if connection.vendor != "postgresql":
        return None
    return SEARCH_VECTORS.get(qs.model._meta.label)


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
        query = "websearch_to_tsquery('simple', %s)"
        qs = qs.filter(RawSQL(f"{column} @@ {query}", [value], output_field=BooleanField()))
        if rank:
            # float8, so the cursor's JSON number compares equal to the value the database sorted by.
            qs = qs.annotate(
                relevance=RawSQL(f"ts_rank({column}, {query})::float8", [value], output_field=FloatField())
            )
        return qs
    qs = qs.filter(substring_condition(term_condition, groups))
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
