"""Bulk import: rows of exported files written back through the one write path, all or nothing.

A row is an item as the API exports it – an NDJSON/JSON item, or a CSV/XLSX row
flattened as ``apps.core.bulk.export`` describes. It is parsed by the resource's own API
serializer (so a file is checked exactly as a request body is), then written by
``apps.core.record.services``: a row whose slug or id exists is an update (fields it
leaves out are kept), any other row is created under its id. Each change is one
version, recorded under ``user``. Read-only columns (``version``, ``created_at``,
``updated_at``, ``overdue``) are ignored: an imported row's versions start anew.

Everything is one transaction: a bad row stops nothing else from being checked,
but if any row is refused, nothing is written and ``ImportFailed`` lists every
refusal. ``dry_run`` checks and computes the outcome the same way, then rolls back.
"""

import csv
import datetime
import functools
import graphlib
import io
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.module_loading import import_string

from apps.core.bulk.export import unflatten_row
from apps.core.record import services
from apps.core.record.versions import latest_version, model_for_resource, versioned_models


@functools.cache
def import_order() -> tuple[str, ...]:
    """Every resource, each after the resources it refers to (a role after its actor, a statement after
    its event, a position after the statements it cites as evidence): derived from the models' own
    foreign keys and many-to-many fields, so a new resource is imported in its place without a list."""
    models = versioned_models()
    refers_to = {
        model: {
            field.related_model
            for field in model._meta.get_fields()
            if (field.many_to_one or field.many_to_many)
            and not field.auto_created
            and field.related_model in models
            and field.related_model is not model
        }
        for model in sorted(models, key=lambda m: m.api_resource)
    }
    return tuple(model.api_resource for model in graphlib.TopologicalSorter(refers_to).static_order())


FORMATS = {".csv": "csv", ".ndjson": "ndjson", ".jsonl": "ndjson", ".json": "json", ".xlsx": "xlsx"}


@dataclass
class Outcome:
    """What importing one row did (or, in a dry run, would do)."""

    resource: str
    number: int  # the row's number in its file, from 1 (the header line not counted)
    public_id: str
    change: str  # "created", "changed" or "unchanged"
    changed_fields: list[str] = field(default_factory=list)
    instance: object = None


@dataclass
class RowError:
    resource: str
    number: int
    errors: dict[str, list[str]]

    def __str__(self) -> str:
        details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in self.errors.items())
        return f"{self.resource} row {self.number}: {details}"


class ImportFailed(Exception):
    """Some rows were refused; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def import_rows(batches: list[tuple[str, list[dict]]], *, user=None, dry_run: bool = False) -> list[Outcome]:
    """Import ``(resource, rows)`` pairs in one transaction, referenced resources first."""
    order = import_order()
    batches = sorted(batches, key=lambda b: order.index(b[0]) if b[0] in order else len(order))
    outcomes: list[Outcome] = []
    errors: list[RowError] = []
    with transaction.atomic():
        for resource, rows in batches:
            model = model_for_resource(resource)
            if model is None:
                raise ImportFailed([RowError(resource, 0, {"resource": [f"No resource named {resource!r}."]})])
            for number, row in _parents_first(model, rows):
                try:
                    with transaction.atomic():  # a savepoint: a refused row leaves the transaction usable
                        outcomes.append(import_row(model, row, number=number, user=user))
                except ImportRowError as exc:
                    errors.append(RowError(resource, number, exc.errors))
        if errors:
            raise ImportFailed(errors)
        if dry_run:
            transaction.set_rollback(True)
    return outcomes


class ImportRowError(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(str(errors))


def import_row(model, row: dict, *, number: int = 0, user=None) -> Outcome:
    """Create or update one row of ``model`` through the API's serializer and the services."""
    serializer_class = import_string(model.api_serializer)
    key = "slug" if model.api_lookup_field == "slug" else "id"
    public_id = str(row.get(key) or "").strip()
    instance = None
    if public_id:
        if key == "id":
            try:
                public_id = str(uuid.UUID(public_id))
            except ValueError:
                raise ImportRowError({"id": ["Not a valid UUID."]}) from None
        instance = model._base_manager.filter(**{model.api_lookup_field: public_id}).first()
    try:
        data = unflatten_row(row, serializer_class())
    except (ValueError, TypeError) as exc:
        raise ImportRowError({"row": [f"Unreadable value: {exc}"]}) from None
    serializer = serializer_class(instance, data=data, partial=instance is not None)
    if not serializer.is_valid():
        raise ImportRowError(flat_errors(serializer.errors))
    values = dict(serializer.validated_data)
    citations = values.pop("citations", None)
    try:
        if instance is None:
            if key == "id" and public_id:
                values["pk"] = public_id
            saved = services.create(model, data=values, citations=citations, user=user)
            return Outcome(model.api_resource, number, saved.public_id, "created", instance=saved)
        before = instance.version
        saved = services.update(instance, data=values, citations=citations, user=user)
    except ValidationError as exc:
        raise ImportRowError(
            flat_errors(exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages})
        ) from None
    except (ObjectDoesNotExist, ProtectedError, RestrictedError, DatabaseError) as exc:
        raise ImportRowError({"row": [str(exc)]}) from None
    if saved.version == before:
        return Outcome(model.api_resource, number, saved.public_id, "unchanged", instance=saved)
    version = latest_version(model, saved.pk)
    return Outcome(model.api_resource, number, saved.public_id, "changed", list(version.changed_fields), saved)


def flat_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail (or Django's message dict) as ``{"citations.0.source": [messages]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for name, value in detail.items():
            if name in ("non_field_errors", "__all__"):  # the whole row, or the whole list at ``prefix``
                flat.update(flat_errors(value, prefix))
            else:
                flat.update(flat_errors(value, f"{prefix}.{name}" if prefix else str(name)))
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, item in enumerate(detail):
            if item:
                flat.update(flat_errors(item, f"{prefix}.{index}"))
    else:
        messages = detail if isinstance(detail, list) else [detail]
        flat[prefix or "row"] = [str(m) for m in messages]
    return flat


def _parents_first(model, rows: list[dict]):
    """(number, row) in file order, except that a row naming a parent in the same file (a topic's
    ``parent``) comes after that parent."""
    numbered = list(enumerate(rows, start=1))
    self_links = [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is model]
    if not self_links:
        return numbered
    key = "slug" if model.api_lookup_field == "slug" else "id"
    ids = {_ref(row.get(key)) for _, row in numbered}
    placed: set[str] = set()
    ordered: list[tuple[int, dict]] = []
    pending = numbered
    while pending:
        ready = [
            (n, r)
            for n, r in pending
            if all(_ref(r.get(f)) in placed | {""} or _ref(r.get(f)) not in ids for f in self_links)
        ]
        done = {n for n, _ in ready}
        if not ready:  # a cycle: leave it to validation to name
            ordered.extend(pending)
            break
        ordered.extend(ready)
        placed.update(_ref(r.get(key)) for _, r in ready)
        pending = [(n, r) for n, r in pending if n not in done]
    return ordered


def _ref(value) -> str:
    if isinstance(value, dict):
        value = value.get("slug") or value.get("id")
    return "" if value is None else str(value)


# -- files -------------------------------------------------------------------------


def format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"Unknown file type {suffix or '(none)'}: use {', '.join(sorted(FORMATS))}.")
    return FORMATS[suffix]


def read_rows(content: bytes, fmt: str) -> list[dict]:
    """The rows of an exported file: dicts of column → cell (CSV, XLSX) or of field → JSON value."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    if fmt == "ndjson":
        rows = [json.loads(line) for line in content.decode("utf-8-sig").splitlines() if line.strip()]
    elif fmt == "json":
        rows = json.loads(content.decode("utf-8-sig"))
        if not isinstance(rows, list):
            raise ValueError("A JSON import is an array of items.")
    elif fmt == "xlsx":
        import tablib

        return [{k: cell_text(v) for k, v in row.items() if k} for row in tablib.Dataset().load(content, "xlsx").dict]
    else:
        raise ValueError(f"Unknown format {fmt!r}.")
    if not all(isinstance(row, dict) for row in rows):
        raise ValueError("Each item must be a JSON object.")
    return rows


def cell_text(value) -> str:
    """A spreadsheet cell as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
