"""Create the Editors group: full rights on facts, actors, topics and sources; none on users or groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED_MODELS = {
    "actors": ["actor", "role"],
    "topics": ["topic"],
    "sources": ["source"],
    "events": ["event", "eventcitation"],
    "statements": ["statement", "statementcitation"],
    "positions": ["position", "positioncitation"],
    "deadlines": ["deadline", "deadlinecitation"],
}
ACTIONS = ["add", "change", "delete", "view"]


def create_editors_group(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the group can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = [f"{action}_{model}" for models in EDITED_MODELS.values() for model in models for action in ACTIONS]
    permissions = Permission.objects.filter(
        content_type__app_label__in=EDITED_MODELS.keys(), codename__in=codenames
    )
    group.permissions.add(*permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("actors", "0001_initial"),
        ("topics", "0001_initial"),
        ("sources", "0001_initial"),
        ("events", "0001_initial"),
        ("statements", "0001_initial"),
        ("positions", "0001_initial"),
        ("deadlines", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
