"""The Editors group: every permission on the data models, none on users or groups.

Each data app grants its own models from a data migration of its own
(``grant_editors(apps, "statements")``), so ``apps.core`` depends on no app and
a new fact type brings its permissions with it.
"""

from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
ACTIONS = ("add", "change", "delete", "view")


def grant_editors(apps, app_label: str) -> None:
    """Give the Editors group (made if missing) add, change, delete and view on ``app_label``'s models.

    ``apps`` is a migration's app registry or the project's; version tables get nothing (they are
    written by the services, read through the API).
    """
    app_config = apps.get_app_config(app_label)
    # Permissions are normally made after migrate; make them now so the group can hold them.
    loaded = getattr(app_config, "models_module", None) is not None
    if not loaded:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    if not loaded:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    names = [m._meta.model_name for m in app_config.get_models() if not m._meta.model_name.startswith("historical")]
    codenames = [f"{action}_{name}" for name in names for action in ACTIONS]
    group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
