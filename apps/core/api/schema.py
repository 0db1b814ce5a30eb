"""OpenAPI: problem responses on every operation, and the two shapes of related fields."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
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


def crud_schema(singular: str, plural: str, **summaries: str):
    """Summaries for a resource's six operations; pass ``create=…`` etc. to override one."""
    defaults = {
        "list": f"List {plural}",
        "retrieve": f"Get {_article(singular)} {singular}",
        "create": f"Create {_article(singular)} {singular}",
        "update": f"Replace {_article(singular)} {singular}",
        "partial_update": f"Change some fields of {_article(singular)} {singular}",
        "destroy": f"Delete {_article(singular)} {singular}",
    }
    return extend_schema_view(
        **{action: extend_schema(summary=summary) for action, summary in (defaults | summaries).items()}
    )


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def require_response_fields(result, generator, request, public):
    """Every field of a response object is always present (null where it has no value), so say so:
    generated clients then type ``said_on`` as ``date | None``, not ``date | None | Unset``."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") or "properties" not in component:
            continue
        component["required"] = list(component["properties"])
    return result
