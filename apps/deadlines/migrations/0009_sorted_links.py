"""The actor and topic filters read a page of links in the list's order (issue 7): each link table gets a copy
of ``due_on``, kept by triggers, and an index (target, due_on, deadline) (``apps.core.migration_ops.sorted_links``).
The models are unmanaged views of the tables Django's through models keep."""

from django.db import migrations, models

from apps.core.migration_ops import sorted_links


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0008_trigram_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeadlineActorLink",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("due_on", models.DateField()),
            ],
            options={
                "db_table": "deadlines_deadline_actors",
                "abstract": False,
                "managed": False,
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="DeadlineTopicLink",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("due_on", models.DateField()),
            ],
            options={
                "db_table": "deadlines_deadline_topics",
                "abstract": False,
                "managed": False,
                "default_permissions": (),
            },
        ),
        sorted_links(
            "deadlines_deadline_actors",
            "deadlines_deadline",
            "deadline_id",
            "actor_id",
            "due_on",
            nullable=False,
            descending=False,
        ),
        sorted_links(
            "deadlines_deadline_topics",
            "deadlines_deadline",
            "deadline_id",
            "topic_id",
            "due_on",
            nullable=False,
            descending=False,
        ),
    ]
