"""Related objects: written as a slug or UUID, read back embedded in brief form."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from apps.core.models import MAX_LINKS


class BoundedManyRelatedField(serializers.ManyRelatedField):
    """A list of related objects of at most ``max_length`` items (``maxItems`` in the schema)."""

    default_error_messages = {"max_length": "Ensure this list has no more than {max_length} items."}

    def __init__(self, *args, max_length: int = MAX_LINKS, **kwargs):
        self.max_length = max_length
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        if isinstance(data, list) and isinstance(self.child_relation, BriefRelatedField):
            self.child_relation.resolve(data)  # one query for the whole list, not one per item
        return super().to_internal_value(data)


class BriefRelatedField(serializers.SlugRelatedField):
    """A relation the client writes as ``slug_field`` and reads as ``brief_serializer``.

    Subclasses set ``brief_serializer``; the OpenAPI extension in
    ``apps.core.api.schema`` documents both shapes, so generated clients send a
    string and receive an object.
    """

    brief_serializer: type[serializers.Serializer]
    # Objects already looked up for the values about to be parsed (see ``resolve``).
    resolved: dict | None = None

    def resolve(self, values) -> None:
        """Look up every value of a list in one query, for the ``to_internal_value`` calls that follow."""
        wanted = {v for v in values if isinstance(v, str)}
        try:
            rows = self.get_queryset().filter(**{f"{self.slug_field}__in": wanted})  # type: ignore[union-attr]
            self.resolved = {str(getattr(row, self.slug_field)): row for row in rows}
        except DjangoValidationError:  # a malformed UUID among them: look them up one by one
            self.resolved = None

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.resolved is not None:
            if data in self.resolved:
                return self.resolved[data]
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        try:
            return super().to_internal_value(data)
        except DjangoValidationError:  # e.g. a malformed UUID
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)

    def to_representation(self, obj):
        # One brief serializer per bound field, not one per object: building a ModelSerializer's fields
        # costs more than rendering with them (a bulk export of statements runs 2.4x faster).
        brief = self.__dict__.get("_brief")
        if brief is None:
            brief = self.__dict__["_brief"] = self.brief_serializer(context=self.context)
        return brief.to_representation(obj)

    def use_pk_only_optimization(self):
        return False

    @classmethod
    def many_init(cls, *args, **kwargs):
        """``many=True``: DRF's list of relations, bounded."""
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS})
        return BoundedManyRelatedField(**list_kwargs)


class StrictStringMixin:
    """A JSON string only: DRF's string fields would store the number 5 as "5"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(StrictStringMixin, serializers.CharField):
    pass


class StrictSlugField(StrictStringMixin, serializers.SlugField):
    pass


class StrictURLField(StrictStringMixin, serializers.URLField):
    pass
