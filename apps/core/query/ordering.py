"""Sorting nullable columns with NULLs last, in a form an index can serve.

``ORDER BY said_on DESC NULLS LAST`` needs an index declared exactly so, which
SQLite cannot declare, and a keyset condition over it needs ``OR said_on IS
NULL``, which no index range can serve. Sorting by ``COALESCE(said_on, <the
smallest date>)`` instead gives a key that is never NULL, puts NULLs last, and
works with a plain expression index on both databases. The API's pagination
sorts by these keys (``sort_key``); models declare matching indexes (``index_key``).

SQLite uses an index on an expression only for a query holding that expression's
exact text, and a value bound as a parameter is not the same text:
``COALESCE(said_on, ?)`` misses the index on ``COALESCE(said_on, '0001-01-01')``
and sorts the whole table. So queries write the sentinel into the SQL on SQLite.
"""

import datetime

from django.db import connections, models
from django.db.models import Expression, F, Func, QuerySet, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import In

# (largest, smallest): NULLs sort as the largest value ascending, the smallest descending.
SENTINELS = {
    models.DateField: (datetime.date.max, datetime.date.min),
    models.DateTimeField: (
        datetime.datetime.max.replace(tzinfo=datetime.UTC),
        datetime.datetime.min.replace(tzinfo=datetime.UTC),
    ),
}


def null_sentinel(field_class: type[models.Field], *, descending: bool):
    """The value a NULL sorts as, so that it comes last."""
    for sentinel_class, (largest, smallest) in SENTINELS.items():
        if issubclass(field_class, sentinel_class):
            return smallest if descending else largest
    raise TypeError(f"no NULL sentinel for {field_class.__name__}; order by a NOT NULL field")


class Literal(Value):
    """A constant written into the SQL text on SQLite, where a bound parameter would miss an expression
    index (see above). PostgreSQL's client-side binding already writes it into the text."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, **extra_context)
        if sql != "%s" or len(params) != 1 or not isinstance(params[0], str):
            return sql, params
        # Quoted as the schema editor quotes it in the index's DDL, so that the two texts are the same.
        return "'{}'".format(params[0].replace("'", "''").replace("%", "%%")), []


def sort_key(name: str, field_class: type[models.Field] = models.DateField, *, descending: bool):
    """The never-NULL key nullable column ``name`` sorts by, NULLs last, for ``ORDER BY`` and keyset
    conditions: served by an index declared with ``index_key`` on both databases."""
    sentinel = null_sentinel(field_class, descending=descending)
    return Coalesce(F(name), Literal(sentinel, output_field=field_class()))


def index_key(name: str, field_class: type[models.Field] = models.DateField, *, descending: bool):
    """``sort_key`` as a model's index declares it.

    In a model: ``models.Index(index_key("said_on", descending=True).desc(), F("id").desc(), name=…)``
    serves ``ORDER BY`` newest first with undated rows last. (The index compiles its constant into its
    DDL on every database, so it keeps the plain ``Value`` its migrations recorded.)
    """
    sentinel = null_sentinel(field_class, descending=descending)
    return Coalesce(F(name), Value(sentinel, output_field=field_class()))


def model_order(model) -> list:
    """``Meta.ordering`` with NULLs last in both directions, as the API's lists sort (for querysets
    that are not paged by cursor, such as feeds and calendars)."""
    expressions = []
    for entry in model._meta.ordering:
        name = entry.lstrip("-")
        expression = F(name).desc(nulls_last=True) if entry.startswith("-") else F(name).asc(nulls_last=True)
        expressions.append(expression)
    return expressions


def sorted_index(*prefix: str, by: str, name: str, nullable: bool = False, descending: bool = True, condition=None):
    """An index that serves a list filtered by equality on ``prefix`` and sorted by ``by``, the id breaking ties.

    A nullable ``by`` is indexed by its sort key (see above): descending and ascending sort by different
    keys, so each needs its own index; a NOT NULL one serves both directions (a B-tree reads backwards).
    """
    key = index_key(by, descending=descending) if nullable else F(by)
    order = (key.desc(), F("id").desc()) if descending else (key.asc(), F("id").asc())
    return models.Index(*(F(field) for field in prefix), *order, name=name, condition=condition)


# A filter matching fewer rows than this is read through its own index and the matches sorted; one
# matching more is read by walking the list's sort index, each row tested (``read_in_order``). About
# where the two cost the same on SQLite at 100,000 statements (README, "Cost").
DRIVE_LIMIT = 300


class Unindexed(Func):
    """``+column`` on SQLite: the same value, but no index serves a condition on it."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


class UnionAll(Expression):
    """The rows of several subqueries one after another (``UNION ALL``), each kept whole: sliced and
    ordered, as SQLite allows only inside a derived table. For ``IN``: each part seeks its own index."""

    def __init__(self, querysets: list[QuerySet], output_field):
        super().__init__(output_field=output_field)
        self.querysets = querysets

    def resolve_expression(self, *args, **kwargs):
        return self

    def as_sql(self, compiler, connection):
        parts, params = [], []
        for number, queryset in enumerate(self.querysets):
            sql, part_params = queryset.query.get_compiler(connection=connection).as_sql()
            parts.append(f"SELECT * FROM ({sql}) part_{number}")
            params.extend(part_params)
        return "(" + " UNION ALL ".join(parts) + ")", tuple(params)


def in_order_key(qs: QuerySet, matching: QuerySet) -> Expression | F:
    """The primary key to match against ``matching`` (``read_in_order``), as SQLite should read it."""
    if connections[qs.db].vendor == "sqlite" and matching[:DRIVE_LIMIT].count() >= DRIVE_LIMIT:
        return Unindexed(F("pk"), output_field=qs.model._meta.pk)
    return F("pk")


def read_in_order(qs: QuerySet, matching: QuerySet) -> QuerySet:
    """``qs`` limited to the ids ``matching`` selects (a subquery of a link table, say).

    SQLite, left to itself, reads ``id IN (subquery)`` by id and sorts every match before it can take a
    page: for a topic on 5,000 of 100,000 statements, 60–120 ms. It has no statistics to tell that
    walking the list's sort index, testing each row against the matches, fills a page after about a
    thousand rows (5–14 ms). So on SQLite one bounded count decides, and a filter with more matches
    than ``DRIVE_LIMIT`` is tested through ``+id``, which no index serves. PostgreSQL's planner has
    the statistics and decides itself.
    """
    return qs.filter(In(in_order_key(qs, matching), matching.query))


def link_alias(name: str) -> str:
    """The alias under which a filter joining ``SortedLink`` rows puts their copy of the fact's ``name``:
    the list's pagination sorts by these when it has one for each of its keys."""
    return f"_link_{name}"
