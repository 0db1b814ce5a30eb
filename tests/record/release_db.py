"""A database made by an earlier release, kept as data: how it is made, and how it is loaded again.

The record must read in today's schema after any upgrade (README "The record over time"), so the
suite keeps the tables of a database that an earlier release wrote, and ``tests/record/walk.py``
loads them into a fresh database at that release's migrations, migrates it to HEAD and reads every
version back through the API.

Making one (run the *earlier* release's code, with this file from HEAD)::

    git worktree add --detach /tmp/old-release <commit>
    cd /tmp/old-release && DEBUG=false SECRET_KEY=x DATABASE_URL=sqlite:////tmp/old.sqlite3 \\
        PYTHONPATH=. /path/to/checkout/.venv/bin/python /path/to/checkout/tests/record/release_db.py \\
        make /path/to/checkout/tests/record/releases/<commit>.json

``make`` migrates the empty database, loads the seed, and then writes through that release's
services what an editor would: a change of two rows of every resource, a deletion and a revert. The
dump holds each app's last applied migration and every row of the project's tables (the historical
tables and link tables included), each field as ``Field.value_to_string`` gives it. It uses nothing
but Django's public API and the services' ``update``/``delete``/``revert``, which every release has.
"""

import json
import sys
from pathlib import Path


def project_models():
    """The project's models whose tables are dumped, link tables included, in an order where a row's
    foreign keys point at rows already inserted (triggers that copy a fact's date into its links find it)."""
    from django.apps import apps

    models = [m for m in apps.get_models(include_auto_created=True) if m.__module__.startswith("apps.")]
    models = [m for m in models if m._meta.managed and not m._meta.proxy]
    ordered: list = []

    def visit(model, seen=()):
        if model in ordered or model in seen:
            return
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target in models and target is not model:
                visit(target, (*seen, model))
        ordered.append(model)

    for model in models:
        visit(model)
    return ordered


def edit_like_an_editor() -> None:
    """Versions beyond the seed's: two rows of every resource changed, a statement deleted, a
    position reverted to its first version. A release from before the services (the first ones,
    whose versions simple-history's signals wrote) saves and deletes the rows themselves."""
    from django.apps import apps
    from django.db import models as db

    try:
        from apps.core.record import services
    except ImportError:
        services = None
    if not hasattr(services, "update"):
        services = None
    models = [m for m in apps.get_models() if hasattr(m, "history") and m.__module__.startswith("apps.")]
    for model in models:
        for row in model.objects.order_by("pk")[:2]:
            field = next(
                (
                    f
                    for f in model._meta.concrete_fields
                    if isinstance(f, db.CharField | db.TextField)
                    and f.editable
                    and not f.choices
                    and not f.unique
                    and f.name not in ("slug", "url", "country", "language")
                ),
                None,
            )
            if field is None:  # e.g. a citation, versioned on its own by the first releases
                continue
            value = (getattr(row, field.attname) or "")[: (field.max_length or 1000) - 10] + " (edited)"
            if services is None:
                setattr(row, field.attname, value)
                row.save()
            else:
                services.update(row, data={field.name: value})
    statement = apps.get_model("statements", "Statement")
    position = apps.get_model("positions", "Position")
    if services is None:
        statement.objects.order_by("pk").last().delete()
        return
    services.delete(statement.objects.order_by("pk").last())
    services.revert(position, position.objects.order_by("pk").first().pk, version=1)


def dump(path: Path) -> None:
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("id").values_list("app", "name"):
        applied[app] = name
    tables = {}
    for model in project_models():
        fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        tables[model._meta.label] = [
            {f.attname: as_text(f, row) for f in fields} for row in model._base_manager.order_by("pk")
        ]
    path.write_text(json.dumps({"migrations": applied, "tables": tables}, indent=1, sort_keys=True) + "\n")


def as_text(field, row):
    """A field's value as JSON holds it: text as Django serializes it, JSON as it is, null as null."""
    value = field.value_from_object(row)
    if value is None or field.get_internal_type() == "JSONField":
        return value
    return field.value_to_string(row)


def load(path: Path, using: str = "default") -> dict[str, str]:
    """Migrate the empty database ``using`` to the dump's migrations, insert its rows, and return
    those migrations. The rows are built with the models of that migration state, so every column is
    typed as that release had it, on SQLite and PostgreSQL alike."""
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connections, transaction
    from django.db.migrations.executor import MigrationExecutor

    release = json.loads(path.read_text())
    applied = release["migrations"]
    connection = connections[using]
    for app, name in applied.items():
        call_command("migrate", app, name, database=using, verbosity=0)
    state = MigrationExecutor(connection).loader.project_state(list(applied.items()))
    loaded = []
    with transaction.atomic(using=using):
        for label, rows in release["tables"].items():
            model = state.apps.get_model(label)
            fields = {f.attname: f for f in model._meta.concrete_fields}
            objects = [model(**{k: fields[k].to_python(v) if k in fields else v for k, v in r.items()}) for r in rows]
            model._base_manager.using(using).bulk_create(objects)
            loaded.append(model)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
                cursor.execute(statement)
    return applied


if __name__ == "__main__":
    import django

    if len(sys.argv) != 3 or sys.argv[1] != "make":
        sys.exit("usage: release_db.py make OUT.json  (run in the earlier release's checkout; see the docstring)")
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsapi.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)
    edit_like_an_editor()
    dump(Path(sys.argv[2]))
