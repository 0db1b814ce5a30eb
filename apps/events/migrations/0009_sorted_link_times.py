"""The link filters read a page in the list's other orderings too (issue 7): each link table gets copies
of ``created_at`` and ``updated_at``, kept by triggers, and an index (target, time, event) for each
(``apps.core.migration_ops.sorted_link_times``), so that ``?topic=…&ordering=created_at`` reads a page of links."""

from django.db import migrations

from apps.core.migration_ops import sorted_link_times


class Migration(migrations.Migration):
    # Each copy in a transaction of its own (see ``sorted_links``): at a million rows, a few minutes in all.
    atomic = False

    dependencies = [
        ("events", "0008_sorted_links"),
    ]

    operations = [
        *sorted_link_times("events_event_participants", "events_event", "event_id", "actor_id"),
        *sorted_link_times("events_event_topics", "events_event", "event_id", "topic_id"),
    ]
