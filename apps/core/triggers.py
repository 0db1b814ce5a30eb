"""Every database trigger the project keeps, by family, each with why it is a trigger.

The triggers are written by the migration operations named below (``apps.core.migration_ops`` and the
fact apps' search migrations), once per family; this module names every family and its reason, and
``tests/core/test_triggers.py`` fails when the database holds a trigger no family explains, or a family
has none on a database it applies to.

They are triggers and not code in the services because every way rows arrive must keep them: the
services, the admin, ``loaddata``, ``generate_synthetic``'s ``COPY``, an import, a raw ``UPDATE`` in the
shell. django-pgtrigger would declare the PostgreSQL ones on the models, but it writes no SQLite
trigger, and SQLite needs half of these, so both stay hand-written SQL in one module each.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TriggerFamily:
    name: str
    pattern: str  # a regular expression matching the triggers' names
    vendors: tuple[str, ...]
    written_by: str
    why: str


LINK = r"(statements|events|positions|deadlines)_[a-z]+_(topics|about|participants|actors)"

FAMILIES = (
    TriggerFamily(
        "sorted link copies",
        rf"{LINK}_(sort|created|updated)_(copy|follow)",
        ("postgresql", "sqlite"),
        "apps.core.migration_ops.sorted_links",
        "A link row keeps copies of its fact's sort date, created_at and updated_at, so a link filter's "
        "index yields a page in order (_copy on a new link, _follow when the fact's column changes).",
    ),
    TriggerFamily(
        "full-text vectors",
        r"(statements|positions|actors_statement|actors_position|topics_position)_search_vector",
        ("postgresql",),
        "the statements and positions search_vector migrations",
        "A statement's or position's vector holds its speaker's, actor's or topic's names too, so a rename "
        "rewrites the vectors that hold them (events and deadlines use generated columns).",
    ),
    TriggerFamily(
        "phrase pairs",
        r"(statements|positions)_search_vector_pairs",
        ("postgresql",),
        "apps.core.migration_ops.phrase_pairs",
        "The word pairs a phrase is looked up by follow the vector they are made from, after its trigger.",
    ),
    TriggerFamily(
        "trigram indexes",
        r"(statements|events|positions|deadlines)_[a-z]+_search_[a-z_]*(insert|update|delete)",
        ("sqlite",),
        "apps.core.migration_ops.sqlite_trigram_index",
        "SQLite's FTS5 trigram index of a fact's search fields (and its speaker's, actor's or topic's "
        "names) is an external-content table, kept in step with every insert, update and delete.",
    ),
)


def family_of(trigger: str) -> TriggerFamily | None:
    return next((f for f in FAMILIES if re.fullmatch(f.pattern, trigger)), None)


def database_triggers(connection) -> list[str]:
    """The names of the triggers in ``connection``'s database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return sorted(row[0] for row in cursor.fetchall())
