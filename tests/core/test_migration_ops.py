"""``apps.core.migration_ops.sqlite_trigram_index`` applied and unapplied on a small SQLite database of its
own: the index follows inserts, updates, deletes and renames, and unapplying leaves the tables writable
(the triggers on the fact table and on the related one go with the index)."""

import sqlite3
from types import SimpleNamespace

import pytest

from apps.core.migration_ops import sorted_links, sqlite_has_trigram_fts, sqlite_trigram_index

pytestmark = pytest.mark.skipif(not sqlite_has_trigram_fts(), reason="this SQLite has no FTS5 trigram tokenizer")


def schema_editor(connection: sqlite3.Connection):
    """What the operation uses of Django's schema editor: the vendor, and ``execute``."""
    return SimpleNamespace(
        connection=SimpleNamespace(vendor="sqlite"),
        execute=lambda sql, params=None: connection.execute(sql),
    )


def found(connection: sqlite3.Connection, text: str) -> set[str]:
    rows = connection.execute(
        "SELECT m.fact_id FROM facts_search_ids m JOIN facts_search s ON s.rowid = m.id WHERE facts_search MATCH ?",
        [f'"{text}"'],
    )
    return {fact_id for (fact_id,) in rows}


def test_applied_it_follows_every_write_and_unapplied_it_leaves_nothing_behind():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE actors (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("CREATE TABLE facts (id TEXT PRIMARY KEY, title TEXT, actor_id INTEGER)")
    db.execute("INSERT INTO actors VALUES (1, 'Vladimir Putin')")
    db.execute("INSERT INTO facts VALUES ('a', 'Summit in Alaska', 1)")  # before: indexed by the migration
    operation = sqlite_trigram_index(
        "facts",
        {"title": "f.title", "actor_name": "a.name"},
        joins="LEFT JOIN actors a ON a.id = f.actor_id",
        related=[("actors", ["name"], "actor_id")],
    )
    operation.code(None, schema_editor(db))
    assert found(db, "alaska") == found(db, "putin") == {"a"}

    db.execute("INSERT INTO facts VALUES ('b', 'Prisoner exchange', 1)")
    db.execute("UPDATE facts SET title = 'Talks in Geneva' WHERE id = 'a'")
    db.execute("UPDATE actors SET name = 'V. Poutine' WHERE id = 1")
    db.execute("DELETE FROM facts WHERE id = 'b'")
    assert (found(db, "alaska"), found(db, "geneva"), found(db, "putin"), found(db, "poutine")) == (
        set(),
        {"a"},
        set(),
        {"a"},
    )
    assert db.execute("SELECT count(*) FROM facts_search").fetchone() == (1,)
    # A save that changes nothing searched (Django writes every column) leaves the index alone: only the
    # updated row itself counts as a change, none of the index's writes.
    for statement, rewrites in [
        ("UPDATE facts SET title = title, actor_id = actor_id WHERE id = 'a'", False),
        ("UPDATE actors SET name = name WHERE id = 1", False),
        ("UPDATE actors SET name = 'V. V. Poutine' WHERE id = 1", True),
    ]:
        before = db.total_changes
        db.execute(statement)
        assert (db.total_changes - before > 1) is rewrites, statement

    operation.reverse_code(None, schema_editor(db))
    names = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'facts_search%'")}
    assert names == set()
    db.execute("INSERT INTO facts VALUES ('c', 'Still writable', 1)")  # no trigger left to fail
    db.execute("UPDATE actors SET name = 'Putin' WHERE id = 1")


def test_sorted_links_copy_the_date_and_unapplied_leave_the_tables_as_they_were():
    """``sorted_links`` on SQLite: existing links get the copy, new ones and date changes follow, and
    unapplying drops the column, its triggers and indexes (both tables stay writable)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE facts (id TEXT PRIMARY KEY, said_on DATE)")
    db.execute("CREATE TABLE links (id INTEGER PRIMARY KEY, fact_id TEXT, topic_id INTEGER)")
    db.execute("INSERT INTO facts VALUES ('a', '2025-08-15'), ('b', NULL)")
    db.execute("INSERT INTO links (fact_id, topic_id) VALUES ('a', 1)")
    operation = sorted_links("links", "facts", "fact_id", "topic_id", "said_on", nullable=True, descending=True)
    operation.code(None, schema_editor(db))

    def copies():
        return db.execute("SELECT fact_id, topic_id, said_on FROM links ORDER BY id").fetchall()

    assert copies() == [("a", 1, "2025-08-15")]
    db.execute("INSERT INTO links (fact_id, topic_id) VALUES ('a', 2), ('b', 1)")
    db.execute("UPDATE facts SET said_on = '2026-01-14' WHERE id = 'a'")
    assert copies() == [("a", 1, "2026-01-14"), ("a", 2, "2026-01-14"), ("b", 1, None)]
    indexes = {row[1] for row in db.execute("SELECT * FROM sqlite_master WHERE type = 'index'")}
    assert {"links_sort_idx", "links_sort_reverse_idx"} <= indexes

    operation.reverse_code(None, schema_editor(db))
    assert not db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'links_sort%'").fetchall()
    assert [row[1] for row in db.execute("PRAGMA table_info(links)")] == ["id", "fact_id", "topic_id"]
    db.execute("INSERT INTO links (fact_id, topic_id) VALUES ('b', 2)")
    db.execute("UPDATE facts SET said_on = NULL WHERE id = 'a'")
