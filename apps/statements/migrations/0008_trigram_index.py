"""Indexed search of statements on SQLite (issue 7, item 4), as PostgreSQL has full text (0007).

An FTS5 trigram index of the text, medium and assessment and the speaker's name and aliases, kept
current by triggers (``apps.core.migration_ops.sqlite_trigram_index``): ``q`` then finds each word
or phrase of three characters or more through the index instead of reading every row with LIKE.
Nothing on PostgreSQL.
"""

from django.db import migrations

from apps.core.migration_ops import SQLITE_ALIASES, sqlite_trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0004_bounded_text"),
        ("statements", "0007_search_vector"),
    ]

    operations = [
        sqlite_trigram_index(
            "statements_statement",
            {
                "text": "f.text",
                "medium": "f.medium",
                "assessment": "f.assessment",
                "speaker_name": "a.name",
                "speaker_aliases": SQLITE_ALIASES.format("a.aliases"),
            },
            joins="LEFT JOIN actors_actor a ON a.id = f.speaker_id",
            related=[("actors_actor", ["name", "aliases"], "speaker_id")],
        )
    ]
