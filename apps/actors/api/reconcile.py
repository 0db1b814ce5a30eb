"""``/api/v1/reconcile/``: the actors as an OpenRefine reconciliation service (Reconciliation Service API 0.2).

A GET with no parameters is the service manifest. A batch of queries comes as the JSON object
``queries`` — a form field of a POST (``application/x-www-form-urlencoded``, what OpenRefine
sends) or a query parameter of a GET — ``{"q0": {"query": "Lavrov", "type": "person", "limit": 3}}``,
and is answered ``{"q0": {"result": [{"id", "name", "type", "score", "match", "description"}]}}``
by the same matcher as ``/api/v1/actors/match/`` (``apps.actors.matching``): one index for the whole
batch, two queries however many names it holds. Types are the actor kinds. One property is
understood, ``on`` (a date: roles held then), and ``country`` (an ISO code the candidate's country
must equal); any other is a 400 naming it rather than silently ignored. A malformed batch is a 400
problem naming ``queries``; a batch larger than ``batchSize`` a 413.

Every origin may call it from a browser (the specification requires CORS on every endpoint): it only
reads, takes no credentials, and its POST is a read with a long body (``apps.actors.apps``).
"""

import datetime
import json

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.parsers import FormParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.actors.api.views import MAX_MATCH_LIMIT
from apps.actors.choices import ActorKind
from apps.actors.matching import DEFAULT_LIMIT, ActorMatcher
from apps.core.api.errors import ProblemSerializer
from apps.core.api.renderers import JSONRenderer

BATCH_SIZE = 50
PROPERTIES = ("on", "country")
SERVICE_NAME = "Factsapi actors"


class BatchTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"


class ReconcileQueriesSerializer(serializers.Serializer):
    """A reconciliation query batch, as a form field (documentation: the view parses it itself)."""

    queries = serializers.CharField(
        help_text='A JSON object of queries by key: {"q0": {"query": "Lavrov", "type": "person", "limit": 3, '
        '"properties": [{"pid": "on", "v": "2025-03-01"}]}}.'
    )


def invalid(detail: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({"queries": [detail]})


def parse_batch(raw: str) -> dict[str, dict]:
    """The batch as ``{key: {name, kinds, limit, on, country}}``; a 400 naming what is wrong in it."""
    try:
        batch = json.loads(raw)
    except (ValueError, RecursionError):
        raise invalid('Not JSON: send a JSON object of queries, e.g. {"q0": {"query": "Lavrov"}}.') from None
    if not isinstance(batch, dict) or not batch:
        raise invalid('Send a non-empty JSON object of queries, e.g. {"q0": {"query": "Lavrov"}}.')
    if len(batch) > BATCH_SIZE:
        raise BatchTooLarge(f"A batch holds at most {BATCH_SIZE} queries; this one has {len(batch)}.")
    return {key: parse_query(key, query) for key, query in batch.items()}


def parse_query(key: str, query) -> dict:
    if not isinstance(query, dict):
        raise invalid(f"{key}: a query is a JSON object with a 'query' string.")
    unknown = set(query) - {"query", "type", "limit", "properties", "type_strict"}
    if unknown:
        raise invalid(f"{key}: unknown field {sorted(unknown)[0]!r}.")
    name = query.get("query", "")
    if not isinstance(name, str) or len(name) > 200:
        raise invalid(f"{key}.query: a string of at most 200 characters.")
    types = query.get("type") or []
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or any(t not in ActorKind.values for t in types):
        raise invalid(f"{key}.type: one of {', '.join(ActorKind.values)}, or a list of them.")
    limit = query.get("limit", DEFAULT_LIMIT)
    # Python's JSON reads Infinity and NaN as floats: is_integer() is false for both.
    if isinstance(limit, float) and limit.is_integer():
        limit = int(limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise invalid(f"{key}.limit: a positive integer.")
    parsed = {"name": name, "kinds": types, "limit": min(int(limit), MAX_MATCH_LIMIT), "on": None, "country": None}
    properties = query.get("properties") or []
    if not isinstance(properties, list):
        raise invalid(f"{key}.properties: a list of {{pid, v}} objects.")
    for index, prop in enumerate(properties):
        where = f"{key}.properties[{index}]"
        if not isinstance(prop, dict) or "pid" not in prop or "v" not in prop:
            raise invalid(f"{where}: an object with 'pid' and 'v'.")
        value = prop["v"][0] if isinstance(prop["v"], list) and prop["v"] else prop["v"]
        if isinstance(value, dict):  # an entity value, as a client sends an already reconciled cell
            value = value.get("id")
        if prop["pid"] == "on":
            try:
                # OpenRefine writes a date cell as an ISO date-time; its date part is the day.
                parsed["on"] = datetime.date.fromisoformat(str(value)[:10])
            except ValueError:
                raise invalid(f"{where}: 'on' is a date, YYYY-MM-DD.") from None
        elif prop["pid"] == "country":
            if not isinstance(value, str) or len(value) != 2 or not value.isalpha():
                raise invalid(f"{where}: 'country' is an ISO 3166-1 alpha-2 code, e.g. RU.")
            parsed["country"] = value.upper()
        else:
            raise invalid(f"{where}: unknown property {prop['pid']!r}; this service knows {', '.join(PROPERTIES)}.")
    if not name.strip() and not (parsed["on"] or parsed["country"]):
        raise invalid(f"{key}: give a 'query'.")
    return parsed


def results(matcher: ActorMatcher, query: dict) -> list[dict]:
    limit = query["limit"]
    country = query["country"]
    # The country filter applies after scoring, so ask for enough candidates to fill the limit.
    found = matcher.match(
        query["name"], on=query["on"], kinds=query["kinds"] or None, limit=MAX_MATCH_LIMIT if country else limit
    )
    candidates = [m for m in found.candidates if not country or m.actor.country == country][:limit]
    return [
        {
            "id": m.actor.slug,
            "name": m.actor.name,
            "type": [{"id": m.actor.kind, "name": ActorKind(m.actor.kind).label}],
            "score": m.score,
            "match": m.match,
            "description": m.explanation,
        }
        for m in candidates
    ]


def manifest(request) -> dict:
    base = request.build_absolute_uri("/")[:-1]
    actors = base + reverse("actor-list", kwargs={"version": request.version or "v1"})
    return {
        "versions": ["0.1", "0.2"],
        "name": SERVICE_NAME,
        "identifierSpace": actors,
        "schemaSpace": actors + "#kind",
        "documentation": base + reverse("swagger-ui", kwargs={"version": request.version or "v1"}),
        "defaultTypes": [{"id": value, "name": label} for value, label in ActorKind.choices],
        "view": {"url": actors + "{{id}}/"},
        "batchSize": BATCH_SIZE,
    }


QUERIES_EXAMPLE = '{"q0":{"query":"the Russian foreign minister","type":"person","limit":3}}'


class ReconcileView(APIView):
    # Public and read-only: no credentials are read, so a browser's cookies change nothing and a
    # form POST needs no CSRF token.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [FormParser]  # the form OpenRefine posts; nothing else
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="reconcile_get",
        summary="Reconciliation service: manifest, or a batch of queries",
        description="OpenRefine's Reconciliation Service API (0.2). Without `queries`: the service manifest "
        "(`name`, `identifierSpace`, `schemaSpace`, `defaultTypes` = the actor kinds, `view`, `batchSize`). "
        "With `queries` (a JSON object of queries by key): `{key: {result: [{id, name, type, score, match, "
        "description}]}}`, matched as `/actors/match/` matches (see there). Property `on` (a date) matches "
        "roles held then; property `country` (ISO code) keeps actors of that country. Open to any origin "
        "(CORS), POST included.",
        tags=["reconcile"],
        parameters=[
            OpenApiParameter(
                "queries",
                OpenApiTypes.STR,
                description="A reconciliation query batch as JSON, at most 50 queries.",
                examples=[OpenApiExample("A query", value=QUERIES_EXAMPLE)],
            )
        ],
        # 400 said here: with no JSON parser and no request body, drf-standardized-errors would not add it.
        responses={200: OpenApiTypes.OBJECT, 400: ProblemSerializer},
    )
    def get(self, request, *args, **kwargs):
        if "queries" not in request.query_params:
            return Response(manifest(request))
        return self.answer(request.query_params["queries"])

    @extend_schema(
        operation_id="reconcile_post",
        summary="Reconciliation service: a batch of queries",
        description="The same batch as `GET ?queries=`, as the form field `queries` "
        "(`application/x-www-form-urlencoded`): what OpenRefine sends, and the one request body of this API "
        "that is not JSON, because the Reconciliation Service API specifies it. It only reads.",
        tags=["reconcile"],
        request=ReconcileQueriesSerializer,  # its media type is the parser's: the form
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request, *args, **kwargs):
        raw = request.data.get("queries")
        if not isinstance(raw, str):
            raise exceptions.ValidationError({"queries": ["This field is required."]})
        return self.answer(raw)

    def answer(self, raw: str) -> Response:
        batch = parse_batch(raw)
        matcher = ActorMatcher.load()  # one index for the whole batch: two queries
        return Response({key: {"result": results(matcher, query)} for key, query in batch.items()})
