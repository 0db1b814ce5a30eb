"""The Editors group may add, change, delete and view every actors model."""

from django.db import migrations

from apps.core.permissions import grant_editors


def grant(apps, schema_editor):
    grant_editors(apps, "actors")


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0002_versions"),
        ("core", "0001_editors_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
