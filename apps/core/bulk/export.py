"""Bulk export: every row of a filtered list, streamed in keyset batches inside one read snapshot.

``stream_rows`` walks a list in its order (the keyset's total order, the primary
key breaking ties, ``apps.core.query.keyset``) a batch at a time: each batch is one
range query plus the queryset's prefetches, so the number of queries grows with
the number of batches only, and memory holds one batch at a time.

``read_snapshot`` keeps every batch in one transaction, so the whole export is
the data as it stood at one moment, however long the download takes:

- PostgreSQL: ``REPEATABLE READ, READ ONLY`` – every query of the transaction sees
  the snapshot its first query took. Writers are not blocked.
- SQLite (development): a deferred ``BEGIN`` – a read transaction; writers that
  want to commit meanwhile wait (up to the connection timeout) until it ends.

The transaction is opened by the response's generator when the server starts
reading it (after the view has returned and its 400s are decided) and ended in
its ``finally``: when the last row is sent, or when the client goes away and the
server closes the response. Django closes the connection only after that
(``request_finished`` fires on ``response.close()``).

CSV is the API's item flattened to one line per row (``flatten_item``), each
column named like the API field:

- a related object embedded in brief (``speaker``, ``topic``, a citation's
  ``source``) → its public id: slug, or UUID;
- a list of related objects (``about``, ``topics``, ``participants``, ``actors``)
  → their ids joined by ``;`` (a slug or UUID never contains one);
- ``citations`` and ``aliases`` (lists of objects or free text) → JSON, citations
  in the form a client writes them (``[{"source": "<uuid>", "excerpt", "locator", "note"}]``);
- ``evidence`` (an object of lists) → JSON in the form a client writes it
  (``{"statements": ["<uuid>"], "events": ["<uuid>"]}``);
- null → an empty cell; ``true``/``false``; dates ISO 8601.

``unflatten_row`` reads such a row back into the form the API's serializer
takes, which is what ``apps.core.bulk.imports`` does with it.
"""

import csv
import json
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from apps.core.api.fields import BoundedManyRelatedField
from apps.core.query.keyset import Keyset
from apps.core.query.listing import ListQuery

# Rows per batch: one range query and one query per prefetched relation each.
BATCH_SIZE = 500
LIST_SEPARATOR = ";"


@contextmanager
def read_snapshot():
    """One read-only transaction for the whole block (see the module docstring).

    Inside a transaction already (a test, a caller's ``atomic``), that transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # SQLite: Django would open its transactions with BEGIN IMMEDIATE (settings), taking the write
    # lock for the whole download; a deferred BEGIN is a read transaction that takes none.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")  # nothing was written: ending it is all that is left


def stream_rows(rows, batch_size: int | None = None, fetch=None):
    """Lists of rows of ``rows`` (a list's ``ListQuery``, ``apps.core.query.listing``, or a queryset) in its order,
    made total by the primary key, a batch at a time; read by ``fetch`` (a list plan's,
    ``apps.core.api.reader``) when given, else as model instances."""
    query = ListQuery.of(rows)
    keyset = Keyset.of(query.queryset)
    size = batch_size or BATCH_SIZE
    after = None
    while True:
        window = query.plan(keyset, after=after)[:size]  # the range query, then the linked rows
        batch = list(window) if fetch is None else fetch(window, [key.field.attname for key in keyset.key_fields()])
        if batch:
            yield batch
        if len(batch) < size:
            return
        after = keyset.position(batch[-1])


def api_queryset(model):
    """``model``'s rows with what its API item embeds fetched in bulk (as ``versions.snapshot`` reads one)."""
    related = [f.name for f in model._meta.concrete_fields if f.is_relation]
    prefetch = [f.name for f in model._meta.many_to_many]
    if hasattr(model, "citations"):
        prefetch.append("citations__source")
    return model._base_manager.select_related(*related).prefetch_related(*prefetch)


# -- rendering ---------------------------------------------------------------------


def ndjson_line(item: dict) -> bytes:
    """One item as the API renders it (compact JSON, UTF-8), and a newline."""
    return (json.dumps(item, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def plain(item) -> Any:
    """An item through the API's JSON encoder and back: dates, UUIDs and decimals as the API sends them."""
    return json.loads(json.dumps(item, cls=JSONEncoder))


def columns(serializer_class) -> list[str]:
    """The CSV header: the API fields, in the API's order."""
    return list(serializer_class().fields)


def _public_id(brief: dict) -> str:
    return str(brief["slug"] if "slug" in brief else brief["id"])


def _as_sent(value):
    """A citation list as a client writes it: its source by id."""
    return [{**citation, "source": _public_id(citation["source"])} for citation in value]


def flatten_item(item: dict, serializer) -> dict[str, str]:
    """One API item (as JSON-ready data) as CSV cells; see the module docstring."""
    fields = serializer.fields
    row = {}
    for name, value in plain(item).items():
        field = fields[name]
        if value is None:
            cell = ""
        elif name == "citations":
            cell = json.dumps(_as_sent(value), ensure_ascii=False)
        elif isinstance(field, BoundedManyRelatedField):
            cell = LIST_SEPARATOR.join(_public_id(v) for v in value)
        elif isinstance(field, serializers.Serializer):  # a nested object of its own, e.g. ``evidence``
            cell = json.dumps(_from_native(name, value), ensure_ascii=False)
        elif isinstance(value, dict):
            cell = _public_id(value)
        elif isinstance(value, list):
            cell = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            cell = "true" if value else "false"
        else:
            cell = str(value)
        row[name] = cell
    return row


def unflatten_row(row: dict, serializer) -> dict:
    """A row read from a file (CSV cells, or JSON values) in the form the serializer writes.

    Read-only fields are dropped. Cells that hold JSON values already (NDJSON, JSON) pass through.
    """
    data = {}
    for name, field in serializer.fields.items():
        if field.read_only or name not in row:
            continue
        value = row[name]
        if not isinstance(value, str):
            data[name] = _from_native(name, value)
            continue
        if name == "citations" or isinstance(field, serializers.ListField):
            data[name] = json.loads(value) if value.strip() else []
        elif isinstance(field, serializers.Serializer):
            if value.strip():
                data[name] = json.loads(value)
        elif isinstance(field, BoundedManyRelatedField):
            data[name] = [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
        elif value == "" and getattr(field, "allow_null", False):
            data[name] = None
        else:
            data[name] = value
    return data


def _from_native(name: str, value):
    """A JSON value of an exported item (embedded objects) in the form a client writes it."""
    if name == "citations" and isinstance(value, list):
        return [
            {**c, "source": _public_id(c["source"])} if isinstance(c, dict) and isinstance(c.get("source"), dict) else c
            for c in value
        ]
    if isinstance(value, dict) and ("slug" in value or "id" in value):
        return _public_id(value)
    if isinstance(value, dict):  # a nested object of lists (``evidence``): each member as written
        return {key: _from_native(key, member) for key, member in value.items()}
    if isinstance(value, list):
        return [_public_id(v) if isinstance(v, dict) and ("slug" in v or "id" in v) else v for v in value]
    return value


class _Echo:
    """A file-like object whose ``write`` hands back what it was given (for ``csv.writer``)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], batches):
    """RFC 4180 CSV (CRLF line ends, quoted as needed), UTF-8: the header, then a chunk per batch of rows."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(header).encode()
    for rows in batches:
        yield "".join(writer.writerow([row.get(name, "") for name in header]) for row in rows).encode()
