"""Recording versions: one per change of a whole fact, with the changes feed in commit order.

A version row (simple-history's historical table, see ``apps.core.history``)
holds the row's columns, its many-to-many links (in the historical link tables)
and ``data``: the resource exactly as the API returned it then, citations
included. ``record`` is called by the services only, inside their transaction.
"""

import functools
import json
from collections import defaultdict
from typing import TypeGuard

import jsonpatch
from django.db import connection, models
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.module_loading import import_string
from rest_framework.utils.encoders import JSONEncoder

from apps.core.choices import ChangeKind
from apps.core.models import Change, VersionedModel

# Fields of ``data`` that change on every write without being a change of the fact.
# (``overdue`` turns true with the calendar, not with a write.)
VOLATILE_FIELDS = frozenset({"updated_at", "version", "overdue"})
# simple-history's own one-letter kinds, kept filled for its admin and tools.
HISTORY_TYPES: dict[str, str] = {ChangeKind.CREATED: "+", ChangeKind.DELETED: "-"}
# Any fixed 64-bit number: the PostgreSQL advisory lock that orders the changes feed.
FEED_LOCK = 7_283_461_902


class NoChange(Exception):
    """The write would record a version identical to the current one."""


def is_versioned(model) -> TypeGuard[type[VersionedModel]]:
    return isinstance(model, type) and issubclass(model, VersionedModel)


_history_models: dict[type, type[models.Model]] = {}


def history_model(model):
    """The historical model of ``model``, looked up once (the descriptor builds a manager on every access)."""
    if model not in _history_models:
        _history_models[model] = model.history.model
    return _history_models[model]


def versioned_models() -> list[type[VersionedModel]]:
    from django.apps import apps

    return [m for m in apps.get_models() if is_versioned(m)]


def model_for_resource(resource: str):
    return next((m for m in versioned_models() if m.api_resource == resource), None)


@functools.cache
def representer(serializer_path: str):
    """One serializer per resource for every snapshot: its fields are built once, not per write.

    DRF builds a serializer's fields anew for each instance it makes (most of a snapshot's cost);
    ``to_representation`` reads them without changing them, as a list serializer's child does.
    """
    return import_string(serializer_path)()


def snapshot(instance) -> dict:
    """The resource as the API shows it now, read fresh from the database."""
    instance._prefetched_objects_cache = {}
    related = [f.name for f in instance._meta.many_to_many] + list(instance.api_prefetch)
    if hasattr(instance, "citations"):
        related.append("citations__source")
    prefetch_related_objects([instance], *related)
    # Through the API's JSON encoder, so what is stored is what a client would have received.
    data = json.loads(json.dumps(representer(instance.api_serializer).to_representation(instance), cls=JSONEncoder))
    instance._prefetched_objects_cache = {}  # leave the caller no stale prefetched links
    return data


def changed_fields(before: dict | None, after: dict) -> list[str]:
    if before is None:
        return []
    return [name for name in after if name not in VOLATILE_FIELDS and before.get(name) != after[name]]


def lock_feed() -> None:
    """Hold the feed lock until this transaction ends, so feed ids follow commit order.

    Without it two overlapping transactions could take ids 10 and 11 and commit
    11 first; a client that read 11 would then never see 10. The services take it
    before any row lock, so writers queue in one order and cannot deadlock (an
    event's delete changing its statements while an editor changes one of them).
    SQLite lets one writer at a time hold the database, which gives the same
    order by itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])


def latest_version(model, pk):
    return history_model(model).objects.filter(id=pk).order_by("-version").first()


_UNKNOWN = object()


def record(instance, *, change: str, user=None, previous=_UNKNOWN):
    """Write version ``instance.version`` of ``instance`` as it now stands in the database.

    The caller holds the feed lock (``lock_feed``, taken by every service first), so
    the timestamp and the feed id below follow commit order.
    ``previous`` is the latest version row if the caller already read it. Raises
    ``NoChange`` when a "changed" version would equal the previous one: the
    caller rolls its write back, so a no-op save leaves no trace.
    """
    model = type(instance)
    if previous is _UNKNOWN:
        previous = latest_version(model, instance.pk)
    data = snapshot(instance)
    fields = changed_fields(previous.data if previous else None, data)
    if previous is not None and change == ChangeKind.CHANGED and not fields:
        raise NoChange
    now = timezone.now()
    records = model._history_records
    row = history_model(model)(
        history_date=now,
        history_type=HISTORY_TYPES.get(change, "~"),
        history_user=user if user is not None and user.is_authenticated else None,
        change=change,
        changed_fields=[] if change == ChangeKind.DELETED else fields,
        data=data,
        **{field.attname: getattr(instance, field.attname) for field in records.fields_included(instance)},
    )
    row.save()
    records.create_historical_record_m2ms(row, instance)
    if previous is not None:
        type(previous).objects.filter(pk=previous.pk).update(superseded_at=now)
    Change.objects.create(
        resource=model.api_resource,
        object_id=instance.public_id,
        version=instance.version,
        change=change,
        recorded_at=now,
        recorded_by=row.history_user,
    )
    return row


def current_at(model, when) -> models.QuerySet:
    """The versions of ``model``'s rows that were current at ``when``, deleted rows excluded."""
    return (
        history_model(model)
        .objects.filter(Q(superseded_at__gt=when) | Q(superseded_at__isnull=True), history_date__lte=when)
        .exclude(change=ChangeKind.DELETED)
    )


def m2m_ids(version_row, field) -> list:
    """The ids ``version_row`` linked in many-to-many ``field``."""
    m2m_model = type(version_row).instance_type._history_records.m2m_history_model(field)
    target = field.m2m_reverse_field_name()
    return list(m2m_model.objects.filter(history=version_row).values_list(f"{target}_id", flat=True))


def rendered(row) -> dict:
    """A version row's item as the API shows it. (Issue 19 brings old versions to today's representation
    here; until then it is the JSON stored at that version.)"""
    return row.data


def patch(before: dict | None, after: dict) -> list[dict]:
    """The RFC 6902 JSON Patch that turns ``before`` (None: a first version, from ``{}``) into ``after``."""
    return jsonpatch.make_patch(before or {}, after).patch


def history_lookup(model) -> str:
    """The version-table column holding ``model``'s public id: ``id``, or ``slug``."""
    return "id" if model.api_lookup_field == "pk" else model.api_lookup_field


def version_pairs(changes) -> dict[int, tuple]:
    """For each changes-feed entry (by id): the version row before it (or None) and its own (or None).

    Two queries per resource on the page: the versions named, then the versions before them (looked up
    by the row's id: an actor's slug may differ between the two).
    """
    by_resource: dict[str, list] = defaultdict(list)
    for change in changes:
        by_resource[change.resource].append(change)
    pairs: dict[int, tuple] = {}
    for resource, group in by_resource.items():
        model = model_for_resource(resource)
        if model is None:
            continue
        table = history_model(model).objects
        lookup = history_lookup(model)
        rows = table.filter(**{f"{lookup}__in": {c.object_id for c in group}}, version__in={c.version for c in group})
        named = {(str(getattr(row, lookup)), row.version): row for row in rows}
        wanted = [named.get((c.object_id, c.version)) for c in group]
        found = [row for row in wanted if row is not None]
        earlier = table.filter(id__in={row.id for row in found}, version__in={row.version - 1 for row in found})
        previous = {(row.id, row.version): row for row in earlier}
        for change, row in zip(group, wanted, strict=True):
            pairs[change.pk] = (previous.get((row.id, row.version - 1)) if row else None, row)
    return pairs


def row_patch(before, row) -> list[dict]:
    """The patch from version row ``before``'s item (None: a first version) to ``row``'s."""
    return patch(rendered(before) if before is not None else None, rendered(row))
