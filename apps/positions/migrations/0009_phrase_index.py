"""Phrase search on PostgreSQL: each row's adjacent word pairs (``search_pairs``), GIN-indexed; kept by
a trigger that runs after the vector's own.

A quoted phrase is found through them (``apps.core.query.search``, core/0003_word_pairs) instead of through
every row holding its words in any order. Nothing on SQLite, which finds phrases as substrings.
"""

from django.db import migrations

from apps.core.migration_ops import phrase_pairs


class Migration(migrations.Migration):
    atomic = False  # each step on its own (apps.core.migration_ops.phrase_pairs)

    dependencies = [
        ("core", "0003_word_pairs"),
        ("positions", "0008_trigram_index"),
    ]

    operations = phrase_pairs("positions_position", vector_trigger="positions_search_vector")
