"""Sorting nullable columns with NULLs last, in a form an index can serve.

``ORDER BY said_on DESC NULLS LAST`` needs an index declared exactly so, which
SQLite cannot declare, and a keyset condition over it needs ``OR said_on IS
NULL``, which no index range can serve. Sorting by ``COALESCE(said_on, <the
smallest date>)`` instead gives a key that is never NULL, puts NULLs last, and
works with a plain expression index on both databases. The API's pagination
sorts by these keys; models declare matching indexes with the same function.
"""

import datetime

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce

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


def sort_key(name: str, field_class: type[models.Field] = models.DateField, *, descending: bool):
    """The never-NULL key nullable column ``name`` sorts by, NULLs last.

    In a model: ``models.Index(sort_key("said_on", descending=True).desc(), F("id").desc(), name=…)``
    serves ``ORDER BY`` newest first with undated rows last.
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
    key = sort_key(by, descending=descending) if nullable else F(by)
    order = (key.desc(), F("id").desc()) if descending else (key.asc(), F("id").asc())
    return models.Index(*(F(field) for field in prefix), *order, name=name, condition=condition)
