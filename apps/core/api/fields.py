"""Related objects: written as a slug or UUID, read back embedded in brief form."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


class BriefRelatedField(serializers.SlugRelatedField):
    """A relation the client writes as ``slug_field`` and reads as ``brief_serializer``.

    Subclasses set ``brief_serializer``; the OpenAPI extension in
    ``apps.core.api.schema`` documents both shapes, so generated clients send a
    string and receive an object.
    """

    brief_serializer: type[serializers.Serializer]

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return super().to_internal_value(data)
        except DjangoValidationError:  # e.g. a malformed UUID
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)

    def to_representation(self, obj):
        return self.brief_serializer(obj, context=self.context).data

    def use_pk_only_optimization(self):
        return False
