"""The Editors group may add, change, delete and view articles and drafts."""

from django.db import migrations

from apps.core.permissions import grant_editors


def grant(apps, schema_editor):
    grant_editors(apps, "intake")


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("core", "0001_editors_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
