"""The one write path: every create, change, delete and revert of a versioned row.

The API, the admin, ``loaddata``/``seed``, bulk ``QuerySet`` calls and any
command write through these functions. Each runs in one transaction that
validates the row (``full_clean``: fields, ``clean()``, uniqueness, then the
unique constraints; the database keeps the check constraints), writes only the
fields it was given, sets the links,
replaces the citations when given, and records exactly one version of the whole
row (``apps.core.record.versions.record``) naming ``user``. A change that alters
nothing records nothing.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import models, transaction

from apps.core.choices import ChangeKind
from apps.core.models import MAX_CITATIONS, MAX_LINKS, ProtectedLinksMixin
from apps.core.record.versions import NoChange, history_model, is_versioned, latest_version, lock_feed, m2m_ids, record


class VersionConflict(Exception):
    """The row is no longer at the version the writer read."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"{current._meta.verbose_name} is at version {current.version}")


def create(
    model, *, data: dict, citations: list[dict] | None = None, user=None, change=ChangeKind.CREATED, reason=None
):
    """Create a ``model`` row from ``data`` (fields and many-to-many links); a fact needs ``citations``.

    ``reason`` (``ChangeReason``), in every write: why, as the editor says it; None: the default rule
    (``apps.core.record.versions.reason_for``)."""
    instance = model(**{k: v for k, v in data.items() if k in _pk_names(model)})
    # A row recreated under an old id (a revert of a deletion, a fixture) continues its version numbers;
    # a row with a newly made id has none to continue.
    previous = latest_version(model, instance.pk) if _pk_names(model) & data.keys() else None
    instance.version = previous.version if previous else 0
    with transaction.atomic():
        lock_feed()  # first, before any row lock: writers queue in one order, never deadlock
        _write(instance, data, citations, adding=True)
        record(instance, change=change, user=user, previous=previous, reason=reason)
    return instance


def update(
    instance,
    *,
    data: dict,
    citations: list[dict] | None = None,
    user=None,
    expected_version=None,
    change=ChangeKind.CHANGED,
    reason=None,
):
    """Change the fields and links in ``data`` of ``instance``; ``citations``, when given, replace them all.

    The row is locked and re-read first, and only the given fields are written,
    so two concurrent writes of different fields both survive. With
    ``expected_version``, a row that has moved on raises ``VersionConflict``.
    """
    model = type(instance)
    with transaction.atomic():
        current = _lock_for_write(model, instance.pk, expected_version)
        try:
            with transaction.atomic():
                _write(current, data, citations, adding=False)
                record(current, change=change, user=user, reason=reason)
        except NoChange:
            current = lock(model, instance.pk)
    return current


def delete(instance, *, user=None, expected_version=None, reason=None) -> None:
    """Delete ``instance``, recording its last version as "deleted".

    Rows that point at it and keep versions of their own are changed through
    this write path first: a statement whose event is deleted gets a version
    with ``event`` null (SET_NULL); an actor's roles are deleted (CASCADE); a
    position or deadline citing it as evidence gets a version without that link.
    (Actors and topics are protected instead: still linked, they are not deleted.)
    """
    model = type(instance)
    with transaction.atomic():
        current = _lock_for_write(model, instance.pk, expected_version)
        if isinstance(current, ProtectedLinksMixin):
            current.check_unlinked()
        for relation in model._meta.related_objects:
            related = relation.related_model
            if not is_versioned(related):
                continue
            rows = related._base_manager.filter(**{relation.field.name: current})
            if relation.many_to_many:
                # Links that do not protect their target (evidence: a position citing a statement) are
                # dropped as SET_NULL clears a key: a new version of each linking row, without it.
                for row in rows:
                    kept = getattr(row, relation.field.name).exclude(pk=current.pk).values_list("pk", flat=True)
                    update(row, data={relation.field.name: list(kept)}, user=user)
            elif relation.on_delete is models.SET_NULL:
                for row in rows:
                    update(row, data={relation.field.name: None}, user=user)
            elif relation.on_delete is models.CASCADE:
                for row in rows:
                    delete(row, user=user)
        current.version += 1
        record(current, change=ChangeKind.DELETED, user=user, reason=reason)
        models.Model.delete(current)


def revert(model, pk, *, version: int, user=None, reason=None):
    """Make version ``version`` of row ``pk`` current again, as a new "reverted" version.

    Fields, links and citations are all restored; a deleted row is recreated.
    Raises ``ObjectDoesNotExist`` for an unknown version and ``ValidationError``
    when the old version can no longer hold (an actor it names was deleted).
    """
    target = history_model(model).objects.get(id=pk, version=version)
    if target.change == ChangeKind.DELETED:
        raise ValidationError("A deletion cannot be restored as such; revert to the version before it.")
    data = {
        field.attname: getattr(target, field.attname)
        for field in model._history_records.fields_included(model)
        if field.editable and not field.primary_key and field.name not in {"created_at", "updated_at"}
    }
    for field in model._meta.many_to_many:
        data[field.name] = m2m_ids(target, field)
    citations = None
    if "citations" in target.data:
        citations = [
            {"source_id": c["source"]["id"], "excerpt": c["excerpt"], "locator": c["locator"], "note": c["note"]}
            for c in target.data["citations"]
        ]
    live = model._base_manager.filter(pk=pk).first()
    if live is None:
        return create(
            model, data={"pk": pk, **data}, citations=citations, user=user, change=ChangeKind.REVERTED, reason=reason
        )
    return update(live, data=data, citations=citations, user=user, change=ChangeKind.REVERTED, reason=reason)


def lock(model, pk):
    """Re-read row ``pk`` and hold a write lock on it until the transaction ends."""
    try:
        return model._base_manager.select_for_update().get(pk=pk)
    except model.DoesNotExist:
        raise ObjectDoesNotExist(f"{model._meta.verbose_name} {pk} no longer exists.") from None


# -- internals -------------------------------------------------------------------


def _lock_for_write(model, pk, expected_version):
    """The feed lock first, then the row's (writers queue in one order, never deadlock); the row re-read."""
    lock_feed()
    current = lock(model, pk)
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current)
    return current


def _pk_names(model) -> set[str]:
    return {"pk", model._meta.pk.name}


def _write(instance, data: dict, citations, *, adding: bool) -> None:
    model = type(instance)
    many_to_many = {f.name: f for f in model._meta.many_to_many}
    data = {k: v for k, v in data.items() if k not in _pk_names(model)}
    links = {name: data.pop(name) for name in list(data) if name in many_to_many}
    for name, value in data.items():
        setattr(instance, name, value)
    _validate(instance)
    for name, ids in links.items():
        if len(ids) > MAX_LINKS:
            raise ValidationError({name: f"Ensure this list has no more than {MAX_LINKS} items."})
        _check_links_exist(many_to_many[name], ids)
    citation_rows = _citation_rows(instance, citations, adding=adding)
    instance.version += 1
    if adding:
        instance.save(force_insert=True)
    else:
        fields = {model._meta.get_field(name).name for name in data}
        instance.save(update_fields=[*fields, "updated_at", "version"])
    for name, value in links.items():
        getattr(instance, name).set(value)
    if citation_rows is not None:
        instance.citations.all().delete()
        type(citation_rows[0]).objects.bulk_create(citation_rows)


def _validate(instance) -> None:
    """Field rules, ``clean()`` and uniqueness, each error on the field at fault.

    The check constraints are not run here (Django would spend a query on each):
    every one restates a field rule or ``clean()`` (choices, blank, validators,
    date precision and range, topic parents), so they only ever catch what this
    missed, and the database still refuses it. Conditional unique constraints do
    run: only a query can tell.
    """
    instance.full_clean(validate_constraints=False)
    errors: dict[str, list[str]] = {}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            if isinstance(constraint, models.UniqueConstraint):
                try:
                    constraint.validate(model, instance)
                except ValidationError as exc:
                    field = constraint.fields[0] if len(constraint.fields) == 1 else NON_FIELD_ERRORS
                    errors.setdefault(field, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


def _check_links_exist(field, values) -> None:
    ids = {getattr(v, "pk", v) for v in values}
    found = field.related_model._base_manager.filter(pk__in=ids).count()
    if found != len(ids):
        raise ValidationError(
            {field.name: f"Some of these {field.related_model._meta.verbose_name_plural} no longer exist."}
        )


def _citation_rows(instance, citations, *, adding: bool):
    """Validated, unsaved citation rows, or None to keep the current ones."""
    if not hasattr(type(instance), "citations"):
        return None
    if citations is None:
        if adding:
            raise ValidationError({"citations": "A fact needs at least one citation."})
        return None
    if not citations:
        raise ValidationError({"citations": "A fact needs at least one citation."})
    if len(citations) > MAX_CITATIONS:
        raise ValidationError({"citations": f"A fact has at most {MAX_CITATIONS} citations."})
    citation_model = type(instance).citations.rel.related_model
    fact_field = type(instance).citations.field.name
    rows = []
    errors = {}
    for index, citation in enumerate(citations):
        row = citation_model(**{fact_field: instance}, **citation, ordinal=index)
        try:
            # The sources are checked together below: one query, not one per citation.
            row.full_clean(exclude=[fact_field, "source"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.update({f"citations.{index}.{name}": messages for name, messages in exc.message_dict.items()})
        rows.append(row)
    source_ids = {row.source_id for row in rows}
    sources = citation_model._meta.get_field("source").related_model._base_manager
    found = {str(pk) for pk in sources.filter(pk__in=source_ids).values_list("pk", flat=True)}
    for index, row in enumerate(rows):
        if str(row.source_id) not in found:
            errors[f"citations.{index}.source"] = ["No such source."]
    if errors:
        raise ValidationError(errors)
    return rows


def record_loaded(instance, *, user=None) -> None:
    """Validate and version a row that ``loaddata`` wrote (Django loads fixtures as raw rows).

    Loading the same data again records nothing: the row keeps its version.
    """
    model = type(instance)
    with transaction.atomic():
        lock_feed()  # first, before any row lock: writers queue in one order, never deadlock
        current = lock(model, instance.pk)
        _validate(current)
        if hasattr(model, "citations") and not current.citations.exists():
            raise ValidationError({"citations": f"{model._meta.verbose_name} {current.pk} has no citation."})
        previous = latest_version(model, current.pk)
        current.version = previous.version if previous else 0
        change = ChangeKind.CHANGED if previous and previous.change != ChangeKind.DELETED else ChangeKind.CREATED
        try:
            with transaction.atomic():
                current.version += 1
                model._base_manager.filter(pk=current.pk).update(version=current.version)
                record(current, change=change, user=user)
        except NoChange:
            model._base_manager.filter(pk=current.pk).update(version=previous.version)
