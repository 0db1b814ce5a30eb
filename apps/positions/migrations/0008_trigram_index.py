"""Indexed search of positions on SQLite (issue 7, item 4), as PostgreSQL has full text (0007): an
FTS5 trigram index of the summary, the actor's name and aliases and the topic's name, rewritten when
the actor or topic is renamed (see statements/0008). Nothing on PostgreSQL."""

from django.db import migrations

from apps.core.migration_ops import SQLITE_ALIASES, sqlite_trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0004_bounded_text"),
        ("positions", "0007_search_vector"),
        ("topics", "0004_bounded_text"),
    ]

    operations = [
        sqlite_trigram_index(
            "positions_position",
            {
                "summary": "f.summary",
                "actor_name": "a.name",
                "actor_aliases": SQLITE_ALIASES.format("a.aliases"),
                "topic_name": "t.name",
            },
            joins="LEFT JOIN actors_actor a ON a.id = f.actor_id LEFT JOIN topics_topic t ON t.id = f.topic_id",
            related=[("actors_actor", ["name", "aliases"], "actor_id"), ("topics_topic", ["name"], "topic_id")],
        )
    ]
