"""The link filters read a page in the list's other orderings too (issue 7): each link table gets copies
of ``created_at`` and ``updated_at``, kept by triggers, and an index (target, time, deadline) for each
(``apps.core.migration_ops.sorted_link_times``), so that ``?topic=…&ordering=created_at`` reads a page of links."""

from django.db import migrations

from apps.core.migration_ops import sorted_link_times


class Migration(migrations.Migration):
    # Each copy in a transaction of its own (see ``sorted_links``): at a million rows, a few minutes in all.
    atomic = False

    dependencies = [
        ("deadlines", "0009_sorted_links"),
    ]

    operations = [
        *sorted_link_times("deadlines_deadline_actors", "deadlines_deadline", "deadline_id", "actor_id"),
        *sorted_link_times("deadlines_deadline_topics", "deadlines_deadline", "deadline_id", "topic_id"),
    ]
