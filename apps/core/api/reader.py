"""List pages read as ``.values()`` rows and shaped by a plan compiled once from the resource's serializer.

A page of 50 statements read through model instances and DRF's field machinery
builds about 350 model objects and makes about 100,000 Python calls; most of a
list request went there, not to the database (issue 7: lists were 3–6× a
hand-written page). The serializer stays the one declaration of a resource's
JSON: ``Plan.compile`` walks its fields once per class and turns each into
columns to select and the field's own ``to_representation`` to apply, so the
output is DRF's by construction (``tests/core/test_reader.py`` compares the two
on every resource). A serializer holding a field the plan does not know is read
by DRF as before (``Plan.compile`` returns None).

What a plan reads, per page:
- the fact's columns, and those of every object embedded in brief through a
  foreign key, in the page's one query (joins, as ``select_related`` did);
- each list of embedded objects (many-to-many links, citations, evidence) in
  one query on its link table, as each prefetch did, in the same order.
So a page costs the queries it cost before.

A list's query is the same for every page but for its ids, so it is compiled once per database and
given the ids as one parameter (``LinkQuery``): compiling it through the ORM was two thirds of each
such query's time (0.7 of 1.1 ms for a page of 50 on PostgreSQL).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework import fields as drf_fields
from rest_framework.settings import api_settings

from apps.core.api.fields import BriefRelatedField

Convert = Callable[[Any], Any]


# The time zone DRF shows date-times in (the current one), read once per page rather than per value.
PAGE_TIMEZONE: ContextVar[datetime.tzinfo] = ContextVar("page_timezone")


def iso_datetime(drf_field: drf_fields.DateTimeField) -> Convert:
    """DRF's ``DateTimeField.to_representation`` for ISO 8601 output of aware values, with the current
    time zone looked up once per page: the lookup per value was a sixth of a small list's time."""

    def convert(value):
        if not isinstance(value, datetime.datetime) or value.tzinfo is None:
            return drf_field.to_representation(value)
        text = value.astimezone(PAGE_TIMEZONE.get()).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


def iso_format(field: drf_fields.Field, default: str | None) -> bool:
    output = getattr(field, "format", default)
    return isinstance(output, str) and output.lower() == ISO_8601


def converter(drf_field: drf_fields.Field, model_field: models.Field) -> Convert | None:
    """The field's ``to_representation``, or None where it would return the database's value unchanged."""
    if (
        isinstance(drf_field, drf_fields.DateTimeField)
        and type(drf_field) is drf_fields.DateTimeField  # not a subclass that formats its own way
        and not hasattr(drf_field, "timezone")
        and settings.USE_TZ
        and iso_format(drf_field, api_settings.DATETIME_FORMAT)
    ):
        return iso_datetime(drf_field)
    if type(drf_field) is drf_fields.DateField and iso_format(drf_field, api_settings.DATE_FORMAT):
        return lambda value: value if isinstance(value, str) else value.isoformat()
    if type(drf_field) is drf_fields.UUIDField and drf_field.uuid_format == "hex_verbose":
        return str
    text = isinstance(model_field, models.CharField | models.TextField)
    if isinstance(drf_field, drf_fields.CharField | drf_fields.ChoiceField) and text:
        return None
    if isinstance(drf_field, drf_fields.IntegerField) and isinstance(model_field, models.IntegerField):
        return None
    if isinstance(drf_field, drf_fields.BooleanField) and isinstance(model_field, models.BooleanField):
        return None
    return drf_field.to_representation


class Unsupported(Exception):
    """A field the plan cannot read from values: the resource is read through DRF instead."""


@dataclass
class Column:
    key: str  # the JSON member
    path: str  # the ``values()`` name
    convert: Convert | None


@dataclass
class Embedded:
    """An object embedded through a foreign key: null when ``null_path`` is."""

    key: str
    null_path: str | None
    shape: Shape


@dataclass
class Method:
    """A ``SerializerMethodField``: it is given a model instance built from the row's own columns."""

    key: str
    method: Callable[[Any], Any]


@dataclass
class Linked:
    """A list of objects read in one more query: rows of ``model`` whose ``parent`` column is a page id."""

    key: str
    model: type[models.Model]
    parent: str  # the values() name of the page row's id on ``model``
    ordering: list[str]
    shape: Shape
    compiled: dict[str, LinkQuery] = field(default_factory=dict, repr=False, compare=False)  # by database alias

    def query(self, using: str) -> LinkQuery:
        if using not in self.compiled:
            self.compiled[using] = LinkQuery.compile(self, using)
        return self.compiled[using]


@dataclass
class LinkQuery:
    """A list's SQL for any page, compiled once: its rows where the parent is one of the page's ids.

    The ids are one parameter, ``= ANY(%s)`` (an array) on PostgreSQL and a JSON array elsewhere
    (SQLite's ``json_each``), so the SQL does not depend on how many there are. Columns are converted
    as the ORM converts them (its compiler's converters), so rows are what ``values()`` returned.
    """

    sql: str
    names: list[str]
    query: Any  # the ORM's query, which converts the columns; a compiler is per connection (per thread)
    columns: list[Any]  # the selected column expressions, in order
    parent: models.Field  # the page ids' field, which turns each id into its database value
    array: bool  # the ids as an array (PostgreSQL), or as a JSON text

    @staticmethod
    def compile(link: Linked, using: str) -> LinkQuery:
        connection = connections[using]
        parent: Any = link.model._meta.get_field(link.parent)
        quote = connection.ops.quote_name
        column = f"{quote(link.model._meta.db_table)}.{quote(parent.column)}"
        array = connection.vendor == "postgresql"
        test = f"{column} = ANY(%s)" if array else f"{column} IN (SELECT value FROM json_each(%s))"
        paths = list(dict.fromkeys([parent.attname, *link.shape.paths]))
        queryset = (
            link.model._default_manager.using(using)
            .filter(RawSQL(test, [None], output_field=BooleanField()))
            .order_by(*link.ordering)
            .values(*paths)
        )
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        assert list(params) == [None], params  # the ids' one parameter, and no other
        names = [*queryset.query.values_select]
        assert len(names) == len(compiler.select)
        columns = [column for column, _, _ in compiler.select]
        return LinkQuery(sql, names, queryset.query, columns, parent.target_field, array)

    def rows(self, ids: list, using: str) -> Iterable[dict]:
        connection = connections[using]
        values = [self.parent.get_db_prep_value(pk, connection) for pk in ids]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [values if self.array else json.dumps(values)])
            found: Iterable = cursor.fetchall()
        compiler = self.query.get_compiler(connection=connection)
        converters = compiler.get_converters(self.columns)
        if converters:
            found = compiler.apply_converters(found, converters)
        names = self.names
        return (dict(zip(names, row, strict=True)) for row in found)


@dataclass
class Nested:
    """An object of the row's own columns (a serializer with ``source="*"``)."""

    key: str
    shape: Shape


@dataclass
class Shape:
    """How to build one JSON object from a values() row: members in the serializer's order."""

    model: type[models.Model]
    prefix: str
    members: list[Column | Embedded | Method | Linked | Nested] = field(default_factory=list)

    # Derived from the members once: they are read on every page.
    @cached_property
    def paths(self) -> list[str]:
        found = []
        for member in self.members:
            if isinstance(member, Column):
                found.append(member.path)
            elif isinstance(member, Embedded):
                found += [member.null_path] if member.null_path else []
                found += member.shape.paths
            elif isinstance(member, Nested):
                found += member.shape.paths
        return found

    @cached_property
    def links(self) -> list[Linked]:
        found = [m for m in self.members if isinstance(m, Linked)]
        for member in self.members:
            if isinstance(member, Nested):
                found += member.shape.links
        return found

    @cached_property
    def has_methods(self) -> bool:
        return any(isinstance(m, Method) for m in self.members)

    def build(self, row: dict, linked: dict, instance: Callable[[], models.Model] | None = None) -> dict:
        data: dict[str, Any] = {}
        for member in self.members:
            if isinstance(member, Column):
                value = row[member.path]
                data[member.key] = value if value is None or member.convert is None else member.convert(value)
            elif isinstance(member, Embedded):
                null = member.null_path is not None and row[member.null_path] is None
                data[member.key] = None if null else member.shape.build(row, linked)
            elif isinstance(member, Linked):
                data[member.key] = linked[id(member)].get(row[self.prefix + "pk"], [])
            elif isinstance(member, Nested):
                data[member.key] = member.shape.build(row, linked, instance)
            else:
                assert instance is not None
                data[member.key] = member.method(instance())
        return data


def compile_shape(serializer: serializers.Serializer, model: type[models.Model], prefix: str) -> Shape:
    shape = Shape(model, prefix)
    for name, drf_field in serializer.fields.items():
        if drf_field.write_only:
            continue
        source = str(drf_field.source)  # bound fields always have one
        if isinstance(drf_field, serializers.SerializerMethodField):
            if prefix:
                raise Unsupported(f"{name}: a method field inside an embedded object")
            shape.members.append(Method(name, getattr(drf_field.parent, drf_field.method_name)))
            continue
        if source == "*":
            if not isinstance(drf_field, serializers.Serializer) or isinstance(drf_field, serializers.ListSerializer):
                raise Unsupported(f"{name}: source='*'")
            shape.members.append(Nested(name, compile_shape(drf_field, model, prefix)))
            continue
        if "." in source:
            raise Unsupported(f"{name}: dotted source {source}")
        try:
            model_field: Any = model._meta.get_field(source)  # a field or a reverse relation
        except Exception as exc:
            raise Unsupported(f"{name}: {source} is not a field of {model.__name__}") from exc
        if isinstance(drf_field, relations.ManyRelatedField):
            child = drf_field.child_relation
            if not isinstance(child, BriefRelatedField) or not model_field.many_to_many:
                raise Unsupported(f"{name}: a list of {type(child).__name__}")
            shape.members.append(many_to_many(name, model_field, child, prefix))
        elif isinstance(drf_field, serializers.ListSerializer):
            if prefix or not model_field.one_to_many or not isinstance(drf_field.child, serializers.Serializer):
                raise Unsupported(f"{name}: nested list over {source}")
            related: Any = model_field.related_model
            child_shape = compile_shape(drf_field.child, related, "")
            if child_shape.links:
                raise Unsupported(f"{name}: a list inside a list")
            parent = model_field.field.name  # the child's foreign key to this model
            shape.members.append(Linked(name, related, parent, list(related._meta.ordering) or ["pk"], child_shape))
        elif isinstance(drf_field, serializers.Serializer | BriefRelatedField) and model_field.many_to_one:
            # An object through a foreign key: a nested serializer, or a relation shown by its brief one.
            embedded = drf_field.brief if isinstance(drf_field, BriefRelatedField) else drf_field
            null_path = prefix + model_field.attname if model_field.null else None
            nested = compile_shape(embedded, model_field.related_model, f"{prefix}{source}__")
            shape.members.append(Embedded(name, null_path, nested))
        elif isinstance(drf_field, relations.PrimaryKeyRelatedField):
            if not model_field.many_to_one or drf_field.pk_field is not None:
                raise Unsupported(f"{name}: primary key of {source}")
            shape.members.append(Column(name, prefix + model_field.attname, None))
        elif isinstance(drf_field, serializers.Serializer | relations.RelatedField) or model_field.is_relation:
            raise Unsupported(f"{name}: {type(drf_field).__name__}")
        else:
            shape.members.append(Column(name, prefix + model_field.attname, converter(drf_field, model_field)))
    return shape


def many_to_many(name: str, model_field: models.ManyToManyField, child: BriefRelatedField, prefix: str) -> Linked:
    """A many-to-many list read from the link table, in the target's own order (what the prefetch did)."""
    if prefix:
        raise Unsupported(f"{name}: a list inside an embedded object")
    through: Any = model_field.remote_field.through
    parent = model_field.m2m_field_name()  # the link's foreign key to this model
    target = model_field.m2m_reverse_field_name()  # the link's foreign key to the listed model
    related: Any = model_field.related_model
    ordering = [
        f"{'-' if entry.startswith('-') else ''}{target}__{entry.lstrip('-')}"
        for entry in (related._meta.ordering or ["pk"])
    ]
    return Linked(name, through, parent, ordering, compile_shape(child.brief, related, f"{target}__"))


@dataclass
class Row:
    """A page row: its JSON (``data``) and its columns, read as attributes by the cursor (``encode_cursor``)."""

    data: dict
    columns: dict

    def __getattr__(self, name: str):
        try:
            return self.columns[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Plan:
    shape: Shape
    concrete: list[str]  # every column of the model, for method fields' instances
    paths: list[str]  # the page query's values() names, besides the cursor's

    @staticmethod
    @cache
    def compile(serializer_class: type[serializers.Serializer]) -> Plan | None:
        """The plan of a serializer class, or None when one of its fields is unsupported (read by DRF)."""
        model = serializer_class.Meta.model  # type: ignore[attr-defined]
        try:
            shape = compile_shape(serializer_class(), model, "")
        except Unsupported:
            return None
        concrete = [f.attname for f in model._meta.concrete_fields]
        paths = ["pk", *shape.paths, *(concrete if shape.has_methods else [])]
        return Plan(shape, concrete, paths)

    def fetch(self, queryset: models.QuerySet, extra: Iterable[str] = ()) -> list[Row]:
        """The rows of ``queryset`` (filtered, ordered and sliced) as JSON, with the ``extra`` columns kept."""
        token = PAGE_TIMEZONE.set(timezone.get_current_timezone())
        try:
            return self.read(queryset, extra)
        finally:
            PAGE_TIMEZONE.reset(token)

    def read(self, queryset: models.QuerySet, extra: Iterable[str]) -> list[Row]:
        model = queryset.model
        paths = list(dict.fromkeys([*self.paths, *extra]))
        rows = list(queryset.select_related(None).prefetch_related(None).values(*paths))
        ids = [row["pk"] for row in rows]
        using = queryset.db
        linked = {id(link): self.read_links(link, ids, using) if ids else {} for link in self.shape.links}

        def instance(row: dict) -> models.Model:
            return model.from_db(queryset.db, self.concrete, [row[name] for name in self.concrete])

        methods = self.shape.has_methods
        return [Row(self.shape.build(row, linked, partial(instance, row) if methods else None), row) for row in rows]

    @staticmethod
    def read_links(link: Linked, ids: list, using: str) -> dict:
        """Page id → the JSON objects of one list, in the list's order."""
        query = link.query(using)
        parent = query.names[0]
        found: dict = {}
        for row in query.rows(ids, using):
            found.setdefault(row[parent], []).append(link.shape.build(row, {}))
        return found
