"""Create the Editors group. Each data app grants it the rights on its own models in a migration of its
own (``apps.core.permissions.grant_editors``), so this app depends on none of them."""

from django.db import migrations

from apps.core.permissions import EDITORS


def create_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=EDITORS)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
