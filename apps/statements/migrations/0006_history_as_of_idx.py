# An as_of list reads the version rows current at a time in the list's order (apps.core.record.versions.current_at):
# this index on the version table serves that order as statements_said_idx serves the live list.
# simple-history generates the version table, whose Meta declares no indexes, hence SQL.

from django.db import migrations

SQL = (
    "CREATE INDEX statements_hist_said_idx ON statements_historicalstatement "
    "(COALESCE(said_on, '0001-01-01') DESC, id DESC, history_id DESC)"
)


class Migration(migrations.Migration):
    dependencies = [("statements", "0005_seek_indexes")]

    operations = [migrations.RunSQL(SQL, reverse_sql="DROP INDEX statements_hist_said_idx")]
