"""The participant and topic filters read a page of links in the list's order (issue 7): each link table gets a copy
of ``starts_on``, kept by triggers, and an index (target, starts_on, event) (``apps.core.migration_ops.sorted_links``).
The models are unmanaged views of the tables Django's through models keep."""

from django.db import migrations, models

from apps.core.migration_ops import sorted_links


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_trigram_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventParticipantLink",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("starts_on", models.DateField()),
            ],
            options={
                "db_table": "events_event_participants",
                "abstract": False,
                "managed": False,
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="EventTopicLink",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("starts_on", models.DateField()),
            ],
            options={
                "db_table": "events_event_topics",
                "abstract": False,
                "managed": False,
                "default_permissions": (),
            },
        ),
        sorted_links(
            "events_event_participants",
            "events_event",
            "event_id",
            "actor_id",
            "starts_on",
            nullable=False,
            descending=True,
        ),
        sorted_links(
            "events_event_topics", "events_event", "event_id", "topic_id", "starts_on", nullable=False, descending=True
        ),
    ]
