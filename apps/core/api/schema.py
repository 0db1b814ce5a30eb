"""OpenAPI: problem responses on every operation, and the two shapes of related fields."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from rest_framework import permissions
from rest_framework.exceptions import APIException

from apps.core.api.errors import PROBLEM_CONTENT_TYPE, ProblemFormatter
from apps.core.choices import ChangeReason

AS_OF_HELP = (
    "Record time: answer from the data as it stood at this moment (ISO 8601 date and time, e.g. "
    "2026-01-17T12:00:00Z; without an offset, UTC). Rows deleted since are back, rows created later are "
    "absent, each row in the version it then had; every filter, ordering and cursor works on that state."
)


EXPORT_NAMES = {"ndjson": "NDJSON", "csv": "CSV"}
_EXPORT_COMMON = (
    "Every row the list would return with the same query parameters (filters, `ordering`, `as_of`; a bad "
    "value is the same 400), in the list's order, in one response streamed as it is read, all from one "
    "consistent snapshot of the data. No paging: `cursor` and `page_size` do not apply."
)
EXPORT_DESCRIPTIONS = {
    "ndjson": f"{_EXPORT_COMMON} One item per line, exactly as the list shows it (`application/x-ndjson`, UTF-8).",
    "csv": f"{_EXPORT_COMMON} RFC 4180 CSV (UTF-8, CRLF), a header row of the item's field names, one row per "
    "item: an embedded actor, topic or source as its slug or id, a list of them as ids joined by `;`, "
    "`citations` and `aliases` as JSON, null as an empty cell.",
}

HISTORY_ACTIONS = {"history", "history_version", "revert"}
WRITE_ACTIONS = {"update", "partial_update", "destroy"}
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='Validator of this response\'s content, weak (`W/"…"`) when the response is gzip-compressed; '
    "send it back, as received, in If-None-Match or If-Match.",
)


class AutoSchema(StandardizedErrorsAutoSchema):
    """drf-standardized-errors decides which error statuses an operation can return;
    every one of them is documented as one shared ``Problem`` in ``application/problem+json``.

    Versioned resources also document ``as_of``, the conditional-request headers
    (ETag, Last-Modified, If-None-Match → 304, If-Match → 412), 410 for deleted
    items, and their history operations.
    """

    @property
    def versioned(self) -> bool:
        from apps.core.api.views import VersionedViewSet

        return isinstance(self.view, VersionedViewSet)

    @property
    def action(self) -> str | None:
        return getattr(self.view, "action", None)

    def get_auth(self):
        """Reads are public: a GET needs no credentials (``{}``), though a token or session may be sent."""
        auths = super().get_auth()
        anonymous_reads = any(
            isinstance(p, (permissions.DjangoModelPermissionsOrAnonReadOnly, permissions.AllowAny))
            for p in self.view.get_permissions()
        )
        if self.method in permissions.SAFE_METHODS and anonymous_reads and {} not in auths:
            auths.append({})
        return auths

    @property
    def export_format(self) -> str | None:
        return getattr(self.view, "export_format", None) if self.action == "export" else None

    def get_tags(self):
        if self.export_format:  # beside the resource's other operations
            return [self.view.queryset.model.api_resource]
        return super().get_tags()

    def get_operation_id(self):
        if self.export_format:
            return f"{self.view.queryset.model.api_resource}_export_{self.export_format}"
        if self.versioned and self.action in HISTORY_ACTIONS:
            suffix = {"history": "history_list", "history_version": "history_retrieve", "revert": "history_revert"}
            return f"{self.view.queryset.model.api_resource}_{suffix[self.action]}"
        return super().get_operation_id()

    def get_summary(self):
        if self.export_format:
            name = self.view.queryset.model._meta.verbose_name
            return f"Export every {name} of the list as {EXPORT_NAMES[self.export_format]}"
        if self.versioned and self.action in HISTORY_ACTIONS:
            name = self.view.queryset.model._meta.verbose_name
            return {
                "history": f"List the versions of {_article(name)} {name}, newest first",
                "history_version": f"Get one version of {_article(name)} {name}",
                "revert": f"Revert {_article(name)} {name} to an earlier version",
            }[self.action]
        return super().get_summary()

    def get_description(self):
        if self.export_format:
            return EXPORT_DESCRIPTIONS[self.export_format]
        if self.versioned and self.action in HISTORY_ACTIONS:
            return {
                "history": "Every version, deleted items' included: who recorded it, when, what kind of change, "
                "which fields changed, and the item exactly as the API returned it then.",
                "history_version": "One version, by its number.",
                "revert": "Makes that version's fields, links and citations current again (recreating a "
                "deleted item), recorded as a new version whose change is `reverted`. Needs the change "
                "permission (and add, for a deleted item); 409 if the old version can no longer hold.",
            }[self.action]
        return super().get_description()

    def get_request_serializer(self):
        if self.versioned and self.action in HISTORY_ACTIONS:
            return None
        return super().get_request_serializer()

    def get_response_serializers(self):
        if self.export_format:
            return OpenApiResponse(OpenApiTypes.STR, description=f"{EXPORT_NAMES[self.export_format]}, streamed.")
        if self.versioned and self.action in {"history", "history_version"}:
            version = version_serializer_for(self.view.serializer_class)
            return version(many=True) if self.action == "history" else version
        if self.versioned and self.action == "revert":
            return self.view.serializer_class
        return super().get_response_serializers()

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if not self.versioned:
            return parameters
        if self.export_format:  # streamed, with the ETag the changes feed gives it (apps.core.api.freshness)
            parameters.append(
                OpenApiParameter("as_of", OpenApiTypes.DATETIME, OpenApiParameter.QUERY, description=AS_OF_HELP)
            )
            parameters.append(
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="An ETag you hold: 304 Not Modified, with no body, while nothing exported changed.",
                )
            )
            return parameters
        if self.action in {"list", "retrieve"}:
            parameters.append(
                OpenApiParameter("as_of", OpenApiTypes.DATETIME, OpenApiParameter.QUERY, description=AS_OF_HELP)
            )
        if self.method == "GET":
            parameters.append(
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="An ETag you hold: 304 Not Modified, with no body, while it is still current.",
                )
            )
        if self.action == "retrieve":
            parameters.append(
                OpenApiParameter(
                    "Last-Modified",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    response=[200],
                    description="When the item last changed (its updated_at), as an HTTP date.",
                )
            )
        if self.action in WRITE_ACTIONS:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="The ETag you read: the write is refused with 412 if the item changed since. "
                    "Without it the write is accepted; a PATCH then changes only the fields it sends.",
                )
            )
        if self.action in {"create", "revert", *WRITE_ACTIONS}:
            parameters.append(
                OpenApiParameter(
                    "Change-Reason",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    enum=ChangeReason.values,
                    description="Why this write is made, recorded on the version and the changes feed: `new` (a "
                    "first record: always, and only then), `update` (the world changed), `correction` (our "
                    "record was wrong), `retraction` (it should never have been published). Absent: a first "
                    "record is `new`, a deletion `retraction`, a revert `correction`, a change of a deadline's "
                    "status, date or outcome (or of a position's or role's end) `update`, any other change "
                    "`correction`.",
                )
            )
        parameters.append(ETAG_HEADER)
        return parameters

    def _should_add_error_response(self, responses, status_code):
        if status_code in {"409", "413"} and (self.method in permissions.SAFE_METHODS or status_code in responses):
            return False  # conflicts and oversize bodies come only with writes
        if status_code == "410":
            return self.versioned and self.action in {"retrieve", *WRITE_ACTIONS}
        if status_code == "412":
            return self.versioned and self.action in WRITE_ACTIONS
        return super()._should_add_error_response(responses, status_code)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status_code, response in responses.items():
            if str(status_code).startswith(("4", "5")) and "content" in response:
                schema = next(iter(response["content"].values()))
                response["content"] = {PROBLEM_CONTENT_TYPE: schema}
        if "503" in responses:  # apps.core.api.errors.DatabaseUnavailable
            responses["503"]["description"] = (
                "Service Unavailable: the database could not be reached or did not answer in time; "
                "repeat the request after Retry-After seconds."
            )
            responses["503"]["headers"] = {
                "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before repeating."}
            }
        if self.versioned and self.method == "GET":  # lists, items, history and exports alike
            responses["304"] = {"description": "Not Modified: the ETag in If-None-Match is still current."}
        # Answered by the HTTP server in front of Django, as its own page, not a problem body.
        responses["414"] = {
            "description": "URI Too Long: the request line is over the server's limit (gunicorn: 4,094 bytes)."
        }
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


_version_serializers: dict = {}


def version_serializer_for(resource_serializer):
    """``<Resource>Version``: a version whose ``data`` is typed as the resource (one class per resource)."""
    from apps.core.api.mixins.history import VersionSerializer

    if resource_serializer not in _version_serializers:
        name = resource_serializer.__name__.removesuffix("Serializer") + "VersionSerializer"
        _version_serializers[resource_serializer] = type(
            name,
            (VersionSerializer,),
            {
                "data": resource_serializer(
                    read_only=True, help_text="The resource as the API returned it then, in today's representation."
                ),
                "__doc__": VersionSerializer.__doc__,
            },
        )
    return _version_serializers[resource_serializer]


class TokenScheme(KnoxTokenScheme):
    """knox's token scheme, for the subclass that turns malformed tokens into 401s."""

    target_class = "apps.core.api.authentication.TokenAuthentication"


class BoundedManyRelatedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "apps.core.api.fields.BoundedManyRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "maxItems": self.target.max_length}


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
    a = _article(singular)
    descriptions = {
        "list": f"The {plural}, a page at a time. Filter with the query parameters (different parameters "
        "combine with AND; a repeated one matches any of its values; an empty one is ignored), sort with "
        "`ordering`, and read the data as it stood at a past moment with `as_of`. Follow `next` and "
        "`previous` to page (`page_size` 1 to 200); there is no total count.",
        "retrieve": f"One {singular}, with related objects embedded in brief. Send `If-None-Match` with the "
        "ETag you hold for a 304 while it is unchanged; `as_of` gives it as it stood then. A deleted item is "
        "a 410 naming its history.",
        "create": f"Create {a} {singular}; related objects are named by slug or id. Needs an editor's token. "
        "The answer is the item as a GET returns it, version 1.",
        "update": f"Replace {a} {singular}: fields not sent are reset or, for lists, kept. Send the ETag you "
        "read as `If-Match` to be refused (412) if someone changed it since.",
        "partial_update": f"Change only the fields sent, under a row lock, so concurrent changes of other "
        f"fields of the {singular} survive. `If-Match` makes it conditional, as for a replace.",
        "destroy": f"Delete {a} {singular}; its history stays readable and its URL answers 410. A 409 "
        "if something still points at it. `If-Match` makes it conditional.",
    }
    return extend_schema_view(
        **{
            action: extend_schema(summary=summary, description=descriptions[action])
            for action, summary in (defaults | summaries).items()
        }
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


def fill_nullable_types(result, generator, request, public):
    """OpenAPI 3.0 gives ``nullable`` effect only beside a ``type``. drf-spectacular writes a nullable
    related object as ``{allOf: [ref], nullable: true}``; linters flag it, and adding a ``type`` there makes
    generated clients drop the ``None``. So it becomes ``oneOf`` the ref or an explicit null (3.0.3's
    ``nullable`` + ``enum: [null]``), which both linters and clients read as "this, or null"."""
    components = result.get("components", {}).get("schemas", {})

    def type_of(schema: dict) -> str | None:
        if "type" in schema:
            return schema["type"]
        if "$ref" in schema:
            return type_of(components.get(schema["$ref"].rsplit("/", 1)[-1], {}))
        members = schema.get("allOf") or schema.get("oneOf") or schema.get("anyOf") or []
        types = {type_of(member) for member in members}
        return types.pop() if len(types) == 1 else None

    def only_null(schema: dict) -> bool:
        """drf-spectacular's ``NullEnum`` (``enum: [null]``), which a nullable choice field lists beside its enum."""
        if "$ref" in schema:
            return only_null(components.get(schema["$ref"].rsplit("/", 1)[-1], {}))
        return schema.get("enum") == [None]

    def visit(node):
        if isinstance(node, dict):
            if node.get("nullable") and "type" not in node:
                for key in ("allOf", "oneOf", "anyOf"):
                    if key in node:
                        node[key] = [member for member in node[key] if not only_null(member)]
            if node.get("nullable") and "type" not in node and (inferred := type_of(node)):
                members = node.pop("allOf", None) or node.pop("oneOf", None) or node.pop("anyOf", None) or []
                del node["nullable"]
                node["oneOf"] = [*members, {"type": inferred, "nullable": True, "enum": [None]}]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result


def describe_query_parameters(result, generator, request, public):
    """The server ignores an empty query parameter (``?topic=``) as if it were absent, and bounds ``q``:
    say both (django-filter's schema carries neither)."""
    from apps.core.api.filters import MAX_Q_LENGTH

    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
                    if parameter["name"] == "q":
                        parameter["schema"]["maxLength"] = MAX_Q_LENGTH
    return result


def bound_citation_lists(result, generator, request, public):
    """A fact's ``citations`` hold 1 to MAX_CITATIONS items; drf-spectacular does not carry a list
    serializer's ``allow_empty``/``max_length`` into the schema, so they are written here."""
    from apps.core.models import MAX_CITATIONS

    for name, component in result.get("components", {}).get("schemas", {}).items():
        citations = component.get("properties", {}).get("citations")
        if name.endswith("Request") and citations and citations.get("type") == "array":
            citations.update({"minItems": 1, "maxItems": MAX_CITATIONS})
    return result


def release_version(result, generator, request, public):
    """``info.version`` is the release alone, a PEP 440 version: generators make it the client package's
    version, and drf-spectacular's "1.0.0 (v1)" made ``pip install`` of that package fail. The API version
    (the path's ``v1``) is given as ``x-api-version``."""
    from django.conf import settings

    result["info"]["version"] = settings.SPECTACULAR_SETTINGS["VERSION"]
    result["info"]["x-api-version"] = generator.api_version or "v1"
    return result
