"""The public contract: the served OpenAPI schema is valid, stable and documented."""

from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.helpers import load_yaml

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).resolve().parent.parent / "snapshots" / "openapi-v1.yaml"


@pytest.fixture(scope="module")
def served_schema(django_db_blocker) -> dict:
    """The schema ``/api/v1/schema/`` serves, fetched and parsed once for the module's readers."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    return load_yaml(response.content)


def test_schema_validates_without_warnings(tmp_path):
    # --fail-on-warn turns any drf-spectacular warning into a failure.
    call_command("spectacular", "--api-version", "v1", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")


def test_served_schema_matches_the_committed_snapshot(served_schema):
    """An unreviewed change to the public contract fails here; `make schema` refreshes it on purpose."""
    committed = load_yaml(SNAPSHOT.read_text())
    assert served_schema == committed, "API schema changed: review it, then run `make schema` to update the snapshot"


def test_schema_is_also_served_as_json(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.0")


def test_operation_ids_are_stable_and_version_free(served_schema):
    schema = served_schema
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    for resource in ["actors", "roles", "topics", "sources", "events", "statements", "positions", "deadlines"]:
        for action in ["list", "create", "retrieve", "update", "partial_update", "destroy"]:
            assert f"{resource}_{action}" in ids
    assert not [i for i in ids if "v1" in i]


def test_components_have_deliberate_names(served_schema):
    components = served_schema["components"]["schemas"]
    # No hash-suffixed enum names (drf-spectacular's fallback when names clash).
    assert not [name for name in components if name.endswith("Enum") and any(ch.isdigit() for ch in name)]
    assert {"CertaintyEnum", "DatePrecisionEnum", "Problem", "ActorBrief", "TopicBrief", "SourceBrief"} <= set(
        components
    )


def test_errors_are_documented_as_problem_json(served_schema):
    schema = served_schema
    create = schema["paths"]["/api/v1/statements/"]["post"]["responses"]
    for status in ["400", "401", "403"]:
        assert create[status]["content"] == {
            "application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"},
                **_examples(create[status]),
            }
        }


def _examples(response):
    content = response["content"]["application/problem+json"]
    return {"examples": content["examples"]} if "examples" in content else {}


def test_related_fields_are_slugs_on_write_and_objects_on_read(served_schema):
    components = served_schema["components"]["schemas"]
    assert components["StatementRequest"]["properties"]["speaker"]["type"] == "string"
    assert components["Statement"]["properties"]["speaker"] == {"$ref": "#/components/schemas/ActorBrief"}
    citation_request = components["CitationRequest"]["properties"]["source"]
    assert citation_request["format"] == "uuid"


@pytest.mark.parametrize(
    ("page", "asset"),
    [
        ("/api/v1/docs/", "/static/drf_spectacular_sidecar/"),
        # The sidecar's ReDoc bundle with its one outside URL (a logo) emptied: apps/core/api/docs.py.
        ("/api/v1/redoc/", "/api/v1/redoc/redoc.standalone.js"),
    ],
)
def test_docs_pages_load_their_assets_locally(api, page, asset):
    html = api.get(page).content.decode()
    assert asset in html
    assert "cdn." not in html
    assert "unpkg" not in html


def test_redoc_needs_no_web_fonts(api):
    assert "googleapis" not in api.get("/api/v1/redoc/").content.decode()


# Not a write: the reconciliation service's batch, a form field because the Reconciliation Service API
# (what OpenRefine speaks) says so.
FORM_BODIES = {"reconcile_post": ["application/x-www-form-urlencoded"]}


def test_writes_document_json_bodies_only(served_schema):
    schema = served_schema
    for path in schema["paths"].values():
        for operation in path.values():
            if "requestBody" in operation:
                expected = FORM_BODIES.get(operation["operationId"], ["application/json"])
                assert list(operation["requestBody"]["content"]) == expected


def test_response_objects_list_every_field_as_required(served_schema):
    components = served_schema["components"]["schemas"]
    statement = components["Statement"]
    assert statement["required"] == list(statement["properties"])
    assert "said_on" in statement["required"]
    assert statement["properties"]["said_on"]["nullable"] is True
    assert "speaker" not in components["PatchedStatementRequest"].get("required", [])


def test_the_cached_schema_keeps_each_formats_content_type(api):
    """The schema is rendered once per format; a cached copy must still say what it is."""
    for _ in range(2):
        assert api.get("/api/v1/schema/")["Content-Type"].startswith("application/vnd.oai.openapi")
        assert api.get("/api/v1/schema/", {"format": "json"})["Content-Type"].startswith(
            "application/vnd.oai.openapi+json"
        )
        assert api.get("/api/v1/schema/", {"format": "json"}).json()["openapi"].startswith("3.0")


def test_request_bounds_are_in_the_schema(served_schema):
    """What the server refuses, the schema already says: clients and fuzzers generate within it."""
    components = served_schema["components"]["schemas"]
    for name in ["StatementRequest", "EventRequest", "PositionRequest", "DeadlineRequest"]:
        citations = components[name]["properties"]["citations"]
        assert (citations["minItems"], citations["maxItems"]) == (1, 50), name
    statement = components["StatementRequest"]["properties"]
    assert statement["text"]["maxLength"] == 10_000
    assert statement["about"]["maxItems"] == 100
    # A two-letter code, or empty (no country).
    country = components["ActorRequest"]["properties"]["country"]["oneOf"]
    assert [c.get("pattern") for c in country] == ["^[A-Z]{2}$", None]
    list_params = served_schema["paths"]["/api/v1/statements/"]["get"]
    q = next(p for p in list_params["parameters"] if p["name"] == "q")
    assert q["schema"]["maxLength"] == 200
