"""RFC 9457 problem details for every API error.

drf-standardized-errors turns any exception into a flat list of
``{code, detail, attr}`` (nested fields as dotted ``attr``); the formatter here
wraps that list in an ``application/problem+json`` body::

    {"type": "urn:factsapi:problem:validation-error", "title": "Bad Request",
     "status": 400, "detail": "…", "errors": [{"code", "detail", "attr"}]}

Errors Django raises before DRF sees the request (an unknown URL under /api/,
a crash) get the same body from ``not_found`` and ``server_error``.
"""

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.views import defaults
from drf_standardized_errors.formatter import ExceptionFormatter
from drf_standardized_errors.handler import ExceptionHandler
from drf_standardized_errors.types import ErrorResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"


def problem_type(slug: str) -> str:
    return f"urn:factsapi:problem:{slug}"


def problem_body(status: int, detail: str, errors: list[dict], slug: str | None = None) -> dict:
    slug = slug or HTTPStatus(status).phrase.lower().replace(" ", "-")
    return {
        "type": problem_type(slug),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "errors": errors,
    }


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state of the data."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(f"The request body is larger than the limit of {limit:,} bytes.")


class ProblemException(exceptions.APIException):
    """An error whose problem body carries extension members (RFC 9457 §3.2) besides the standard ones."""

    def __init__(self, detail=None, code=None, **extensions):
        super().__init__(detail, code)
        self.extensions = extensions


class Gone(ProblemException):
    """The item was deleted; ``history`` names where its versions stay readable."""

    status_code = 410
    default_detail = "This item was deleted."
    default_code = "gone"


class PreconditionFailed(ProblemException):
    """``If-Match`` named a version that is no longer current; ``current_version`` says which is."""

    status_code = 412
    default_detail = "The item changed since the ETag in If-Match."
    default_code = "precondition_failed"


class ProblemExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc):
        from apps.core.record.services import VersionConflict

        # The write path's validation (model clean(), constraints): a 400 naming the field.
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(serializers.as_serializer_error(exc))
        # A write that lost the race for the row lock against a newer version.
        if isinstance(exc, VersionConflict):
            return PreconditionFailed(
                f"The {exc.current._meta.verbose_name} changed meanwhile: it is now at version {exc.current.version}.",
                current_version=exc.current.version,
            )
        # A body over DATA_UPLOAD_MAX_MEMORY_SIZE: Django refuses to read it.
        if isinstance(exc, RequestDataTooBig):
            return PayloadTooLarge()
        # The row was deleted while the request waited for it.
        if isinstance(exc, ObjectDoesNotExist):
            return exceptions.NotFound(str(exc))
        # Deleting what facts still point at (an actor with statements, a cited source).
        if isinstance(exc, ProtectedError | RestrictedError):
            objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            names = sorted({str(obj._meta.verbose_name_plural) for obj in objects})
            return Conflict(
                f"Still referenced by {', '.join(names)}; delete or re-point those first.", code="protected"
            )
        # A unique or check constraint caught by the database, not by validation
        # (e.g. two requests racing for one slug): a 409, never a 500.
        if isinstance(exc, IntegrityError):
            return Conflict()
        return super().convert_known_exceptions(exc)

    def get_response(self, exc, data):
        return Response(data, status=exc.status_code, headers=self.get_headers(exc), content_type=PROBLEM_CONTENT_TYPE)


class ProblemFormatter(ExceptionFormatter):
    def format_error_response(self, error_response: ErrorResponse) -> dict:
        status = self.exc.status_code
        # A Django error raised without a code still gets one: the schema promises a string.
        errors = [
            {"code": e.code or "invalid", "detail": str(e.detail), "attr": clean_attr(e.attr)}
            for e in error_response.errors
        ]
        if isinstance(self.exc, exceptions.ValidationError):
            detail = "; ".join(f"{e['attr']}: {e['detail']}" if e["attr"] else str(e["detail"]) for e in errors)
            return problem_body(status, detail, errors, slug="validation-error")
        detail = str(errors[0]["detail"]) if errors else HTTPStatus(status).phrase
        return {**problem_body(status, detail, errors), **getattr(self.exc, "extensions", {})}


def clean_attr(attr: str | None) -> str | None:
    """``citations.non_field_errors`` → ``citations``; a top-level ``non_field_errors`` → null."""
    if attr is None:
        return None
    parts = [part for part in attr.split(".") if part != api_settings.NON_FIELD_ERRORS_KEY]
    return ".".join(parts) or None


def problem_response(status: int, detail: str, code: str, *, errors: list[dict] | None = None, slug=None):
    """A problem answered outside DRF (Django's error handlers, feeds); ``errors`` default to one, unnamed."""
    errors = errors if errors is not None else [{"code": code, "detail": detail, "attr": None}]
    body = problem_body(status, detail, errors, slug)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def not_found(request, exception=None):
    """404 for URLs no view matched: a problem body under /api/, Django's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return problem_response(404, f"No API resource at {request.path}.", "not_found")
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """400 for requests refused before any view ran (a Host not in ALLOWED_HOSTS, another SuspiciousOperation)."""
    if request.path.startswith(API_PREFIX):
        return problem_response(
            400, "Bad request: the Host header is not served here, or the request was refused.", "bad_request"
        )
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    """403 for requests refused before any view ran (a failed CSRF check, a locked-out login)."""
    if request.path.startswith(API_PREFIX):
        return problem_response(403, "Forbidden.", "permission_denied")
    return defaults.permission_denied(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return problem_response(500, "A server error occurred.", "error")
    return defaults.server_error(request)


# -- schema ---------------------------------------------------------------------


class ProblemErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `required`, `invalid`, `not_found`.")
    detail = serializers.CharField(help_text="Human-readable explanation.")
    attr = serializers.CharField(
        allow_null=True, help_text="The field or query parameter at fault (nested as `citations.0.source`), or null."
    )


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, with every individual error listed."""

    type = serializers.CharField(help_text="URI identifying the kind of problem.")
    title = serializers.CharField(help_text="Short summary of the kind of problem (the HTTP status phrase).")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="Explanation specific to this occurrence.")
    errors = ProblemErrorSerializer(many=True)  # type: ignore[assignment]  # a declared field, not Serializer.errors
