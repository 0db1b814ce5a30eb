"""The upgrade walk: a database an earlier release made, migrated to HEAD, read back in today's schema.

Run by ``tests/record/test_upgrade.py`` in a process of its own, on an empty database named by
``DATABASE_URL`` (Django is set up once per process, for one database)::

    DATABASE_URL=sqlite:////tmp/walk.sqlite3 python -m tests.record.walk tests/record/releases/<dump>.json

It loads the dump at its release's migrations (``tests.record.release_db.load``), runs ``migrate``,
changes one row of every resource through today's services (as a user who upgraded would), and then
reads every version of every row the way a client can: each item ``as_of`` every moment a version
was recorded (and just before its first, a 404 saying when it was first recorded), each list and its
export ``as_of`` those moments, every history page and every history entry, and the actors'
timelines ``as_of``. Every answer is validated against the committed OpenAPI snapshot's components
(``tests/snapshots/openapi-v1.yaml``, which ``tests/core/test_schema.py`` keeps equal to the code's).
It prints one line per problem and a summary line, and exits 1 when any read does not conform.
"""

import datetime
import json
import os
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "openapi-v1.yaml"


def json_schema(node):
    """OpenAPI 3.0's schema objects as JSON Schema: ``nullable: true`` becomes a null alternative."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


class Validator:
    def __init__(self):
        import yaml
        from jsonschema import Draft7Validator

        spec = yaml.load(SNAPSHOT.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        self.components = json_schema(spec["components"])
        self.validators: dict[str, Draft7Validator] = {}
        self.checked = 0

    def errors(self, component: str, value) -> list[str]:
        from jsonschema import Draft7Validator

        if component not in self.validators:
            schema = {"$ref": f"#/components/schemas/{component}", "components": self.components}
            self.validators[component] = Draft7Validator(schema)
        self.checked += 1
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in self.validators[component].iter_errors(value)
        ]


def edit_every_resource() -> None:
    """One change of one row of every resource, through today's services, after the upgrade."""
    from django.db import models

    from apps.core.record import services
    from apps.core.record.versions import versioned_models

    for model in versioned_models():
        row = model.objects.order_by("pk").first()
        if row is None:
            continue
        field = next(
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.TextField) or (isinstance(f, models.CharField) and f.name in ("name", "title"))
        )
        services.update(row, data={field.name: getattr(row, field.attname) + " (after the upgrade)"})


def walk() -> list[str]:
    from django.test import Client

    from apps.core.api.views import VersionedViewSet
    from apps.core.record.versions import history_model, versioned_models
    from factsapi.api_urls import v1

    validator = Validator()
    client = Client()
    problems: list[str] = []

    def read(url: str, component: str, status: int = 200) -> dict | None:
        response = client.get(url, HTTP_ACCEPT="application/json")
        if response.status_code != status:
            problems.append(f"{url}: {response.status_code}, expected {status}: {response.content[:300]!r}")
            return None
        body = response.json()
        problems.extend(f"{url}: {component} {error}" for error in validator.errors(component, body))
        return body

    def read_pages(url: str, component: str) -> None:
        while url:
            body = read(url, component)
            url = body and body.get("next")

    def at(moment: datetime.datetime) -> str:
        return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    prefixes = {
        viewset.queryset.model: prefix for prefix, viewset, _ in v1.registry if issubclass(viewset, VersionedViewSet)
    }
    for model in versioned_models():
        prefix = prefixes[model]
        name = model.api_serializer.rsplit(".", 1)[1].removesuffix("Serializer")
        lookup = "id" if model.api_lookup_field == "pk" else model.api_lookup_field
        versions = list(history_model(model).objects.order_by("history_date", "history_id"))
        moments = sorted({v.history_date for v in versions})
        for moment in moments:
            read_pages(f"/api/v1/{prefix}/?as_of={at(moment)}&page_size=7", f"Paginated{name}List")
            export = client.get(f"/api/v1/export/{prefix}.ndjson?as_of={at(moment)}")
            if export.status_code != 200:
                problems.append(f"export {prefix} as_of {at(moment)}: {export.status_code}")
                continue
            for line in b"".join(export.streaming_content).splitlines():
                problems.extend(
                    f"export {prefix} as_of {at(moment)}: {e}" for e in validator.errors(name, json.loads(line))
                )
        first: dict = {}
        for version in versions:
            key = getattr(version, lookup)
            first.setdefault(key, version.history_date)
            item = f"/api/v1/{prefix}/{key}/"
            if version.change != "deleted":
                body = read(f"{item}?as_of={at(version.history_date)}", name)
                if body is not None and body.get("version") != version.version:
                    problems.append(f"{item} as_of its version {version.version}: version {body.get('version')}")
            read(f"{item}history/{version.version}/", f"{name}Version")
        for key, when in first.items():
            item = f"/api/v1/{prefix}/{key}/"
            before = read(f"{item}?as_of={at(when - datetime.timedelta(seconds=1))}", "Problem", status=404)
            if before is not None and "first recorded" not in before.get("detail", ""):
                problems.append(f"{item} before its first version: {before.get('detail')!r}")
            read_pages(f"{item}history/?page_size=2", f"Paginated{name}VersionList")
        if prefix == "actors":
            for key, when in first.items():
                for moment in [m for m in moments if m >= when][:: max(1, len(moments) // 5)]:
                    read_pages(f"/api/v1/actors/{key}/timeline/?as_of={at(moment)}", "TimelinePage")
    print(f"{validator.checked} reads validated against {SNAPSHOT.name}, {len(problems)} problems")
    return problems


def main(dump: str) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsapi.test_settings")
    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from tests.record.release_db import load

    setup_test_environment()  # the test client's host, as pytest-django allows it

    load(Path(dump))
    call_command("migrate", verbosity=0)
    edit_every_resource()
    problems = walk()
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
