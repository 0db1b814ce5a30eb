"""Phrase search on PostgreSQL: each row's adjacent word pairs (``search_pairs``), GIN-indexed; a
generated column, from the vector's own expression.

A quoted phrase is found through them (``apps.core.query.search``, core/0003_word_pairs) instead of through
every row holding its words in any order. Nothing on SQLite, which finds phrases as substrings.
"""

from django.db import migrations

from apps.core.migration_ops import phrase_pairs

# The generated search_vector's expression (a generated column cannot read another).
VECTOR = """
    setweight(to_tsvector('simple', coalesce(title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(description, '') || ' ' || coalesce(location, '')), 'C')
"""


class Migration(migrations.Migration):
    atomic = False  # each step on its own (apps.core.migration_ops.phrase_pairs)

    dependencies = [
        ("core", "0003_word_pairs"),
        ("events", "0009_sorted_link_times"),
    ]

    operations = phrase_pairs("events_event", vector=VECTOR)
