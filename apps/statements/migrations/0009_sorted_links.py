"""The about and topic filters read a page of links in the list's order (issue 7): each link table gets a copy
of ``said_on``, kept by triggers, and indexes (target, said_on, statement), one per direction (``apps.core.migration_ops.sorted_links``).
The models are unmanaged views of the tables Django's through models keep."""

from django.db import migrations, models

from apps.core.migration_ops import sorted_links


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0008_trigram_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatementAboutLink",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("said_on", models.DateField(null=True)),
            ],
            options={
                "db_table": "statements_statement_about",
                "abstract": False,
                "managed": False,
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="StatementTopicLink",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("said_on", models.DateField(null=True)),
            ],
            options={
                "db_table": "statements_statement_topics",
                "abstract": False,
                "managed": False,
                "default_permissions": (),
            },
        ),
        sorted_links(
            "statements_statement_about",
            "statements_statement",
            "statement_id",
            "actor_id",
            "said_on",
            nullable=True,
            descending=True,
        ),
        sorted_links(
            "statements_statement_topics",
            "statements_statement",
            "statement_id",
            "topic_id",
            "said_on",
            nullable=True,
            descending=True,
        ),
    ]
