"""Operations for migrations in SQL Django does not write: PostgreSQL's full-text vectors, SQLite's
trigram indexes (``apps.core.query.search``), and the sort dates copied into link tables (``sorted_links``)."""

import re
import sqlite3
from collections.abc import Mapping, Sequence

from django.db import migrations, models

from apps.core.query.ordering import null_sentinel


def postgresql_sql(forward: str, backward: str, *, atomic: bool | None = None) -> migrations.RunPython:
    """Run ``forward`` (and ``backward`` when unapplied) on PostgreSQL; nothing on SQLite."""

    def run(sql: str):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql" and sql:
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(forward), run(backward), atomic=atomic)


def sqlite_has_trigram_fts() -> bool:
    """FTS5 with the trigram tokenizer: SQLite 3.34 or later, built with FTS5 (CPython's builds are)."""
    if sqlite3.sqlite_version_info < (3, 34, 0):
        return False
    with sqlite3.connect(":memory:") as probe:
        try:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text, tokenize = 'trigram')")
        except sqlite3.OperationalError:
            return False
    return True


# A JSON list of aliases as the words it holds, one space apart (SQLite stores non-ASCII escaped as \uXXXX).
SQLITE_ALIASES = (
    "(SELECT group_concat(alias.value, ' ') FROM json_each("
    "CASE WHEN json_valid({0}) AND json_type({0}) = 'array' THEN {0} ELSE '[]' END) AS alias)"
)


def sqlite_trigram_index(
    table: str,
    columns: Mapping[str, str],
    joins: str = "",
    related: Sequence[tuple[str, Sequence[str], str]] = (),
) -> migrations.RunPython:
    """On SQLite with FTS5, a trigram index of ``table``'s search text, kept current by triggers.

    ``columns``: index column -> SQL over the fact row ``f`` (``f.title``) and the tables ``joins``
    joins to it (``LEFT JOIN actors_actor a ON a.id = f.speaker_id``: ``a.name``). ``related``: (other
    table, its columns the text reads, the fact's foreign key to it), whose insert or update rewrites
    the index rows of the facts pointing at it (an actor's rename).

    Two tables: ``<table>_search`` (FTS5, trigram, case-insensitive) and ``<table>_search_ids``, whose
    INTEGER PRIMARY KEY is the FTS row's id: the facts' own keys are UUIDs, and a plain rowid may be
    renumbered by VACUUM. Nothing on PostgreSQL, nor on a SQLite without FTS5 (the search then reads
    the columns with LIKE, as before).
    """
    search, ids = f"{table}_search", f"{table}_search_ids"
    names = ", ".join(columns)
    values = ", ".join(columns.values())

    def rows(condition: str) -> str:
        return (
            f"INSERT INTO {search} (rowid, {names}) SELECT m.id, {values} "
            f"FROM {table} f JOIN {ids} m ON m.fact_id = f.id {joins} WHERE {condition};"
        )

    def changed(names: Sequence[str]) -> str:
        return " OR ".join(f"old.{name} IS NOT new.{name}" for name in names)

    # The fact's columns the text reads: an update of any of them rewrites its index row.
    read = sorted(set(re.findall(r"\bf\.(\w+)", values + joins)))
    forward = [
        f"CREATE TABLE {ids} (id INTEGER PRIMARY KEY, fact_id char(32) NOT NULL UNIQUE);",
        f"CREATE VIRTUAL TABLE {search} USING fts5({names}, tokenize = 'trigram');",
        f"INSERT INTO {ids} (fact_id) SELECT id FROM {table};",
        rows("1"),
        f"""CREATE TRIGGER {search}_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO {ids} (fact_id) VALUES (new.id);
            {rows("f.id = new.id")}
        END;""",
        # Django's save() writes every column: only a changed one rewrites the row.
        f"""CREATE TRIGGER {search}_update AFTER UPDATE OF {", ".join(read)} ON {table}
        WHEN {changed(read)} BEGIN
            DELETE FROM {search} WHERE rowid = (SELECT id FROM {ids} WHERE fact_id = new.id);
            {rows("f.id = new.id")}
        END;""",
        f"""CREATE TRIGGER {search}_delete AFTER DELETE ON {table} BEGIN
            DELETE FROM {search} WHERE rowid = (SELECT id FROM {ids} WHERE fact_id = old.id);
            DELETE FROM {ids} WHERE fact_id = old.id;
        END;""",
    ]
    # The triggers live on the fact table (and the related ones on theirs): dropped first, by name.
    backward = [
        *(f"DROP TRIGGER {search}_{event};" for event in ("insert", "update", "delete")),
        f"DROP TABLE {search};",
        f"DROP TABLE {ids};",
    ]
    for other, other_columns, key in related:
        refresh = f"""BEGIN
            DELETE FROM {search} WHERE rowid IN (
                SELECT m.id FROM {ids} m JOIN {table} f ON f.id = m.fact_id WHERE f.{key} = new.id);
            {rows(f"f.{key} = new.id")}
        END;"""
        trigger = f"{search}_{other}"
        forward.append(f"CREATE TRIGGER {trigger}_insert AFTER INSERT ON {other} {refresh}")
        forward.append(
            f"CREATE TRIGGER {trigger}_update AFTER UPDATE OF {', '.join(other_columns)} ON {other} "
            f"WHEN {changed(other_columns)} {refresh}"
        )
        backward[:0] = [f"DROP TRIGGER {trigger}_insert;", f"DROP TRIGGER {trigger}_update;"]

    def run(statements: list[str]):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "sqlite" and sqlite_has_trigram_fts():
                for statement in statements:
                    schema_editor.execute(statement, params=None)

        return apply

    return migrations.RunPython(run(forward), run(backward))


def sorted_links(
    link_table: str,
    fact_table: str,
    fact_key: str,
    target_key: str,
    by: str,
    *,
    nullable: bool,
    descending: bool,
    name: str = "sort",
    column_type: str = "date",
) -> migrations.RunPython:
    """A copy of the fact's sort date ``by`` in the many-to-many ``link_table``, kept by triggers, and an
    index that lists one target's facts in the list's order (``apps.core.models.SortedLink``); for a
    nullable date a second index for the other order, whose key puts NULLs last the other way.

    A list filtered by one topic then reads the first page's links from that index and joins their facts
    by primary key: about fifty rows, however many facts the topic has. Without the copy the database
    either walks the list's sort index testing every fact against the links, or reads every linked fact
    and sorts them.

    The copy is set when a link is inserted and follows the fact's date when it changes, on both
    databases, whoever writes (the services, the admin, ``generate_synthetic``'s ``COPY``). The index
    sorts as ``apps.core.query.ordering.sort_key`` does: a nullable date by ``COALESCE`` with the sentinel of
    its direction, the fact's key breaking ties.

    On SQLite, a later migration that makes Django rebuild the fact table (most column changes do)
    drops the triggers on it, as it drops the trigram index's: such a migration must apply this
    operation's triggers again. ``tests/core/test_sorted_links.py`` fails until it does.

    Each of a list's other orderings (``created_at``, ``updated_at``: ``column_type`` a timestamp) gets
    its own copy, triggers and index under its own ``name``.
    """
    copy = f"SELECT {by} FROM {fact_table} WHERE id = {{new}}.{fact_key}"
    # A NOT NULL date's index serves both directions; a nullable one sorts by a different key in each.
    directions = {name: descending, f"{name}_reverse": not descending} if nullable else {name: descending}

    def indexes(cast: str) -> list[str]:
        created = []
        for name, desc in directions.items():
            sentinel = null_sentinel(models.DateField, descending=desc).isoformat()
            key = f"COALESCE({by}, '{sentinel}'{cast})" if nullable else by
            direction = "DESC" if desc else "ASC"
            created.append(
                f"CREATE INDEX {link_table}_{name}_idx ON {link_table} "
                f"({target_key}, {key} {direction}, {fact_key} {direction});"
            )
        return created

    postgresql = [
        f"ALTER TABLE {link_table} ADD COLUMN {by} {column_type};",
        f"UPDATE {link_table} l SET {by} = f.{by} FROM {fact_table} f WHERE f.id = l.{fact_key};",
        f"""CREATE FUNCTION {link_table}_{name}_copy() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.{by} := ({copy.format(new="NEW")}); RETURN NEW; END $$;""",
        f"""CREATE TRIGGER {link_table}_{name}_copy BEFORE INSERT OR UPDATE OF {fact_key} ON {link_table}
        FOR EACH ROW EXECUTE FUNCTION {link_table}_{name}_copy();""",
        f"""CREATE FUNCTION {link_table}_{name}_follow() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE {link_table} SET {by} = NEW.{by} WHERE {fact_key} = NEW.id; RETURN NULL; END $$;""",
        f"""CREATE TRIGGER {link_table}_{name}_follow AFTER UPDATE OF {by} ON {fact_table}
        FOR EACH ROW WHEN (OLD.{by} IS DISTINCT FROM NEW.{by}) EXECUTE FUNCTION {link_table}_{name}_follow();""",
        *indexes("::date"),
    ]
    postgresql_back = [
        f"DROP TRIGGER {link_table}_{name}_follow ON {fact_table};",
        f"DROP FUNCTION {link_table}_{name}_follow();",
        f"DROP TRIGGER {link_table}_{name}_copy ON {link_table};",
        f"DROP FUNCTION {link_table}_{name}_copy();",
        *(f"DROP INDEX {link_table}_{name}_idx;" for name in directions),
        f"ALTER TABLE {link_table} DROP COLUMN {by};",
    ]
    sqlite = [
        f"ALTER TABLE {link_table} ADD COLUMN {by} {column_type} NULL;",
        f"UPDATE {link_table} SET {by} = ({copy.format(new=link_table)});",
        f"""CREATE TRIGGER {link_table}_{name}_copy AFTER INSERT ON {link_table} BEGIN
            UPDATE {link_table} SET {by} = ({copy.format(new="new")}) WHERE id = new.id;
        END;""",
        f"""CREATE TRIGGER {link_table}_{name}_follow AFTER UPDATE OF {by} ON {fact_table}
        WHEN old.{by} IS NOT new.{by} BEGIN
            UPDATE {link_table} SET {by} = new.{by} WHERE {fact_key} = new.id;
        END;""",
        *indexes(""),
    ]
    sqlite_back = [
        f"DROP TRIGGER {link_table}_{name}_follow;",
        f"DROP TRIGGER {link_table}_{name}_copy;",
        *(f"DROP INDEX {link_table}_{name}_idx;" for name in directions),
        f"ALTER TABLE {link_table} DROP COLUMN {by};",
    ]

    def run(by_vendor: Mapping[str, Sequence[str]]):
        def apply(apps, schema_editor):
            for statement in by_vendor.get(schema_editor.connection.vendor, ()):
                schema_editor.execute(statement, params=None)

        return apply

    # Atomic on its own: a migration copying two columns into one table is non-atomic, so that the second
    # copy does not rewrite rows the first wrote in the same transaction, which makes PostgreSQL queue
    # their deferred foreign key checks and refuse the index ("pending trigger events").
    return migrations.RunPython(
        run({"postgresql": postgresql, "sqlite": sqlite}),
        run({"postgresql": postgresql_back, "sqlite": sqlite_back}),
        atomic=True,
    )


def sorted_link_times(link_table: str, fact_table: str, fact_key: str, target_key: str) -> list[migrations.RunPython]:
    """``sorted_links`` for the fact's ``created_at`` and ``updated_at``, the orderings every fact list offers
    besides its date. A migration holding these is non-atomic (each operation is atomic on its own)."""
    return [
        sorted_links(
            link_table,
            fact_table,
            fact_key,
            target_key,
            column,
            nullable=False,
            descending=True,
            name=name,
            column_type="timestamp with time zone",
        )
        for column, name in (("created_at", "created"), ("updated_at", "updated"))
    ]


def phrase_pairs(table: str, *, vector_trigger: str = "", vector: str = "") -> list[migrations.RunPython]:
    """A ``search_pairs`` column of ``table``'s adjacent word pairs, GIN-indexed (core/0003_word_pairs).

    Kept by a trigger after ``vector_trigger`` (a vector kept by triggers), or generated from ``vector``,
    the generated vector's own expression (a generated column cannot read another). Each step is atomic
    on its own (a migration holding these is non-atomic), as in ``sorted_link_times``.
    """
    index = postgresql_sql(
        f"CREATE INDEX {table}_phrase_idx ON {table} USING gin (search_pairs) WITH (fastupdate = off);",
        f"DROP INDEX {table}_phrase_idx;",
        atomic=True,
    )
    if vector:
        add = (
            f"ALTER TABLE {table} ADD COLUMN search_pairs text[]\n"
            f"GENERATED ALWAYS AS (factsapi_word_pairs({vector})) STORED;"
        )
        return [postgresql_sql(add, f"ALTER TABLE {table} DROP COLUMN search_pairs;", atomic=True), index]
    add = (
        f"ALTER TABLE {table} ADD COLUMN search_pairs text[];\n"
        f"CREATE TRIGGER {vector_trigger}_pairs BEFORE INSERT OR UPDATE ON {table}\n"
        "FOR EACH ROW EXECUTE FUNCTION factsapi_search_pairs_trigger();"
    )
    drop = f"DROP TRIGGER {vector_trigger}_pairs ON {table};\nALTER TABLE {table} DROP COLUMN search_pairs;"
    fill = f"UPDATE {table} SET search_pairs = factsapi_word_pairs(search_vector);"
    return [postgresql_sql(add, drop, atomic=True), postgresql_sql(fill, "", atomic=True), index]


def mend_versions(app_label: str, model_name: str, *, resource: str, lookup: str = "id") -> migrations.RunPython:
    """Give versions written before this release what can be known of them.

    - A first record's reason is ``new`` (no reason was kept before).
    - The first releases' versions, which simple-history's signals wrote (``version`` 0, ``data``
      empty; read from their columns, see ``apps.core.record.versions.version_data``), are numbered in the
      order they were recorded, with every later version of the same row after them (its changes-feed
      entries renumbered to match, the live row's ``version`` too); each is superseded by the next, so
      ``as_of`` finds exactly one; and their kind follows simple-history's ``history_type``.
    """

    def forward(apps, schema_editor):
        History = apps.get_model(app_label, f"historical{model_name}")
        Live = apps.get_model(app_label, model_name)
        Change = apps.get_model("core", "Change")
        History.objects.filter(change="created", reason__isnull=True).update(reason="new")
        legacy = History.objects.filter(version=0)
        legacy.filter(history_type="+").update(change="created", reason="new")
        legacy.filter(history_type="-").update(change="deleted")
        for pk in set(legacy.values_list("id", flat=True)):
            rows = list(History.objects.filter(id=pk).order_by("history_date", "history_id"))
            renumbered = []
            for number, row in enumerate(rows, start=1):
                following = rows[number] if number < len(rows) else None
                superseded = row.superseded_at or (following.history_date if following else None)
                History.objects.filter(pk=row.pk).update(version=number, superseded_at=superseded)
                if row.version:
                    renumbered.append((row.version, number, str(getattr(row, lookup))))
            # Later numbers first: a version only ever moves up, so no entry is renumbered twice.
            for old, new, public_id in sorted(renumbered, reverse=True):
                Change.objects.filter(resource=resource, object_id=public_id, version=old).update(version=new)
            Live.objects.filter(pk=pk).update(version=len(rows))

    return migrations.RunPython(forward, migrations.RunPython.noop)
