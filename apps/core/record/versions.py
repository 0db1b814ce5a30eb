"""Recording versions, one per change of a whole fact, with the changes feed in commit order; and
reading them back in today's representation.

A version row (simple-history's historical table, see ``apps.core.record.history``)
holds the row's columns, its many-to-many links (in the historical link tables)
and ``data``: the resource exactly as the API returned it then, citations
included, with ``data_schema``, the number of the representation it is in.
``record`` is called by the services only, inside their transaction.

Every read of a version goes through ``version_data``, which brings ``data`` to
today's representation: the resource's serializer lists ``upcasters``, one per
change of its representation since the first, each turning representation n
into n + 1 (a field added later reads as its documented empty value). The
stored ``data`` is never rewritten, so nothing a past reader saw is lost.
``tests/record`` holds a database made by an earlier release and reads every
version of it against today's schema; ``tests/snapshots/representations.json``
fails the suite when a representation changes without an upcaster.
"""

import copy
import functools
import json
from collections import defaultdict
from collections.abc import Callable
from typing import TypeGuard

import jsonpatch
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.module_loading import import_string
from rest_framework.utils.encoders import JSONEncoder

from apps.core.choices import ChangeKind, ChangeReason
from apps.core.models import Change, VersionedModel

# Fields of ``data`` that change on every write without being a change of the fact. A serializer adds
# its own in ``volatile_fields`` (a deadline's ``overdue`` turns true with the calendar, not a write).
VOLATILE_FIELDS = frozenset({"updated_at", "version"})
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
    data = represent(instance)
    instance._prefetched_objects_cache = {}  # leave the caller no stale prefetched links
    return data


def represent(instance) -> dict:
    # Through the API's JSON encoder, so what is stored is what a client would have received.
    return json.loads(json.dumps(representer(instance.api_serializer).to_representation(instance), cls=JSONEncoder))


# -- reading versions in today's representation ------------------------------------------------------

Upcaster = Callable[[dict], dict]


def serializer_of(model) -> type:
    """The resource's serializer class, from the one instance ``representer`` keeps (no import per read)."""
    return type(representer(model.api_serializer))


def upcasters(model) -> tuple[Upcaster, ...]:
    """The resource's upcasters, oldest first: declared as ``upcasters`` on its serializer."""
    return tuple(getattr(serializer_of(model), "upcasters", ()))


def representation(model) -> int:
    """The number of ``model``'s representation today: 1, plus one for each upcaster."""
    return len(upcasters(model)) + 1


def upcast(model, data: dict, schema: int) -> dict:
    """``data``, recorded in representation ``schema``, in today's representation (a new dict)."""
    for step in upcasters(model)[max(schema, 1) - 1 :]:
        data = step(data)
    return data


def added(name: str, empty) -> Upcaster:
    """The upcaster for a field added to a representation: a version recorded before it reads the
    field as ``empty`` (its documented empty value: ``[]``, ``null``, an object of empty lists).
    A version that already holds the field keeps it, so the step may cover versions recorded in the
    weeks between the field's release and the numbering of representations."""

    def step(data: dict) -> dict:
        return data if name in data else {**data, name: copy.deepcopy(empty)}

    step.__name__ = step.__qualname__ = f"added_{name}"
    return step


def version_data(row) -> dict:
    """A version row's resource in today's representation.

    A version recorded before versions kept the resource whole (``data`` empty: simple-history's
    rows from the first releases) is rendered from its own columns and link tables by today's
    serializer; its citations were not recorded and read as none.
    """
    if not row.data:
        return render_from_columns(row)
    return upcast(type(row).instance_type, row.data, row.data_schema)


def render_from_columns(row) -> dict:
    model = type(row).instance_type
    instance = row.instance  # simple-history: the model built from the version's columns
    instance._prefetched_objects_cache = {}
    for field in model._meta.many_to_many:
        ids = m2m_ids(row, field)
        instance._prefetched_objects_cache[field.name] = field.related_model._base_manager.filter(pk__in=ids)
    if hasattr(instance, "citations"):
        instance._prefetched_objects_cache["citations"] = instance.citations.none()
    for name in model.api_prefetch:  # e.g. the evidence's statements' speakers, read through the links above
        head = name.split("__", 1)[0]
        if head in instance._prefetched_objects_cache:
            prefetch_related_objects(list(instance._prefetched_objects_cache[head]), name.split("__", 1)[1])
    return represent(instance)


def reason_for(model, change: str, fields: list[str], previous, given: str | None) -> str:
    """Why a version is written: ``given`` (the editor's word), checked, or the default rule.

    A first record is ``new``, and only a first record is. Otherwise, unless the editor says: a deletion is
    a ``retraction``; a revert a ``correction`` (the record goes back to what it should have said); a change
    of one of the model's ``world_fields`` (a deadline's status, date or outcome; the end of a position or
    role) an ``update``; any other change (a quote's text, a date's typo) a ``correction``.
    """
    if previous is None:
        if given not in (None, ChangeReason.NEW):
            raise ValidationError({"reason": "A first record is always `new`."})
        return ChangeReason.NEW
    if given == ChangeReason.NEW:
        raise ValidationError({"reason": "`new` is for a first record; say update, correction or retraction."})
    if given is not None:
        return given
    if change == ChangeKind.DELETED:
        return ChangeReason.RETRACTION
    if change == ChangeKind.REVERTED:
        return ChangeReason.CORRECTION
    return ChangeReason.UPDATE if set(fields) & model.world_fields else ChangeReason.CORRECTION


def volatile_fields(model) -> frozenset[str]:
    return VOLATILE_FIELDS | set(getattr(serializer_of(model), "volatile_fields", ()))


def changed_fields(model, before: dict | None, after: dict) -> list[str]:
    if before is None:
        return []
    volatile = volatile_fields(model)
    return [name for name in after if name not in volatile and before.get(name) != after[name]]


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


def record(instance, *, change: str, user=None, previous=_UNKNOWN, reason: str | None = None):
    """Write version ``instance.version`` of ``instance`` as it now stands in the database.

    The caller holds the feed lock (``lock_feed``, taken by every service first), so
    the timestamp and the feed id below follow commit order.
    ``previous`` is the latest version row if the caller already read it. Raises
    ``NoChange`` when a "changed" version would equal the previous one: the
    caller rolls its write back, so a no-op save leaves no trace. ``reason`` says why
    (``ChangeReason``); a first record is always ``new``.
    """
    model = type(instance)
    if previous is _UNKNOWN:
        previous = latest_version(model, instance.pk)
    data = snapshot(instance)
    fields = changed_fields(model, version_data(previous) if previous else None, data)
    if previous is not None and change == ChangeKind.CHANGED and not fields:
        raise NoChange
    reason = reason_for(model, change, fields, previous, reason)
    now = timezone.now()
    records = model._history_records
    row = history_model(model)(
        history_date=now,
        history_type=HISTORY_TYPES.get(change, "~"),
        history_user=user if user is not None and user.is_authenticated else None,
        change=change,
        changed_fields=[] if change == ChangeKind.DELETED else fields,
        reason=reason,
        data=data,
        data_schema=representation(model),
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
        reason=reason,
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


class OrderedDiff(jsonpatch.DiffBuilder):
    """jsonpatch's diff, walking an object's members in their order rather than as a set.

    jsonpatch compares two objects' keys as Python sets, whose order follows the string hash seed: the
    same two versions gave their operations in another order in each process, so a changes-feed page's
    ETag and a redelivered webhook's body changed with the worker that made them.
    """

    def _compare_dicts(self, path, src, dst):
        for key in src:
            if key not in dst:
                self._item_removed(path, str(key), src[key])
        for key in dst:
            if key not in src:
                self._item_added(path, str(key), dst[key])
        for key in src:
            if key in dst:
                self._compare_values(path, key, src[key], dst[key])


def patch(before: dict | None, after: dict) -> list[dict]:
    """The RFC 6902 JSON Patch that turns ``before`` (None: a first version, from ``{}``) into ``after``."""
    builder = OrderedDiff(before or {}, after, jsonpatch.JsonPatch.json_dumper)
    builder._compare_values("", None, before or {}, after)
    return list(builder.execute())


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
    return patch(version_data(before) if before is not None else None, version_data(row))
