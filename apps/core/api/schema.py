"""OpenAPI: problem responses on every operation, and the two shapes of related fields."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from rest_framework.exceptions import APIException

from apps.core.api.errors import PROBLEM_CONTENT_TYPE, ProblemFormatter


class AutoSchema(StandardizedErrorsAutoSchema):
    """drf-standardized-errors decides which error statuses an operation can return;
    every one of them is documented as one shared ``Problem`` in ``application/problem+json``."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status_code, response in responses.items():
            if str(status_code).startswith(("4", "5")) and "content" in response:
                schema = next(iter(response["content"].values()))
                response["content"] = {PROBLEM_CONTENT_TYPE: schema}
        return responses

    def _get_error_response_examples(self):
        """The package's examples, re-rendered as the problem bodies this API really sends."""
        examples = []
        for example in super()._get_error_response_examples():
            status = int(example.status_codes[0])
            exc = APIException(detail=example.value["errors"][0]["detail"], code=example.value["errors"][0]["code"])
            exc.status_code = status
            examples.append(
                OpenApiExample(
                    example.name,
                    value=ProblemFormatter(exc, {}, exc).run(),
                    response_only=True,
                    status_codes=example.status_codes,
                )
            )
        return examples


class BriefRelatedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "apps.core.api.fields.BriefRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            model_field = self.target.get_queryset().model._meta.get_field(self.target.slug_field)
            schema = build_basic_type(OpenApiTypes.UUID if model_field.get_internal_type() == "UUIDField" else str)
            schema["description"] = f"{self.target.get_queryset().model._meta.verbose_name} {self.target.slug_field}"
            return schema
        return auto_schema.resolve_serializer(self.target.brief_serializer, direction).ref
