"""/api/v1/reconcile/: the actors as an OpenRefine reconciliation service (Reconciliation Service API 0.2).

Requests are shaped as the specification and OpenRefine send them: a GET of the bare endpoint for the
manifest, and ``queries=<JSON>`` form-encoded in a POST (or in a GET's query string).
"""

import json
from urllib.parse import urlencode

import pytest

from tests.helpers import assert_problem, error_attrs

pytestmark = pytest.mark.django_db

URL = "/api/v1/reconcile/"
FORM = "application/x-www-form-urlencoded"


def post_queries(client, queries, **headers):
    body = urlencode({"queries": json.dumps(queries)})
    return client.post(URL, body, content_type=FORM, **headers)


def test_manifest(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    manifest = response.json()
    assert manifest == {
        "versions": ["0.1", "0.2"],
        "name": "Factsapi actors",
        "identifierSpace": "http://testserver/api/v1/actors/",
        "schemaSpace": "http://testserver/api/v1/actors/#kind",
        "documentation": "http://testserver/api/v1/docs/",
        "defaultTypes": [
            {"id": "person", "name": "Person"},
            {"id": "state", "name": "State"},
            {"id": "organization", "name": "Organization"},
            {"id": "group", "name": "Group"},
        ],
        "view": {"url": "http://testserver/api/v1/actors/{{id}}/"},
        "batchSize": 50,
    }


def test_openrefine_batch_by_form_post(client, world):
    # What OpenRefine sends: queries as one form field, a type and a limit per query.
    response = post_queries(
        client,
        {
            "q0": {"query": "Сергей Лавров", "type": "person", "limit": 3},
            "q1": {"query": "Johnson", "type": "person", "limit": 3},
            "q2": {"query": "Kaja Kallas", "type": "person", "limit": 3},
            "q3": {"query": "the Kremlin", "type": "state", "type_strict": "should"},
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"q0", "q1", "q2", "q3"}
    assert body["q0"] == {
        "result": [
            {
                "id": "sergey-lavrov",
                "name": "Sergey Lavrov",
                "type": [{"id": "person", "name": "Person"}],
                "score": 100.0,
                "match": True,
                "description": "the name 'Sergey Lavrov'",
            }
        ]
    }
    assert {r["id"] for r in body["q1"]["result"]} == {"mike-johnson", "boris-johnson"}
    assert not any(r["match"] for r in body["q1"]["result"])  # ambiguous: neither is taken
    assert body["q2"] == {"result": []}
    assert body["q3"]["result"][0]["id"] == "russia"
    assert body["q3"]["result"][0]["match"] is True


def test_types_filter(client, world):
    body = post_queries(client, {"q0": {"query": "Russia", "type": "person"}}).json()
    assert body == {"q0": {"result": []}}
    body = post_queries(client, {"q0": {"query": "Russia", "type": ["person", "state"]}}).json()
    assert body["q0"]["result"][0]["id"] == "russia"


def test_date_property_matches_roles_held_then(client, world):
    queries = {
        "now": {"query": "the Russian foreign minister", "properties": [{"pid": "on", "v": "2025-03-01"}]},
        # OpenRefine sends a date cell as an ISO date-time.
        "then": {"query": "the Russian foreign minister", "properties": [{"pid": "on", "v": "2003-01-01T00:00:00Z"}]},
        "us": {"query": "Johnson", "properties": [{"pid": "country", "v": "us"}]},
    }
    body = post_queries(client, queries).json()
    assert [r["id"] for r in body["now"]["result"]] == ["sergey-lavrov"]
    assert [r["id"] for r in body["then"]["result"]] == ["igor-ivanov"]
    assert [r["id"] for r in body["us"]["result"]] == ["mike-johnson"]


def test_queries_by_get(client, world):
    response = client.get(URL, {"queries": json.dumps({"q0": {"query": "Lavrov", "limit": 1}})})
    assert response.json()["q0"]["result"][0]["id"] == "sergey-lavrov"


def test_limit_caps_the_candidates(client, world):
    body = post_queries(client, {"q0": {"query": "Johnson", "limit": 1}}).json()
    assert len(body["q0"]["result"]) == 1


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        "{}",
        '{"q0": "Lavrov"}',
        '{"q0": {"query": 5}}',
        '{"q0": {"query": "Lavrov", "type": "planet"}}',
        '{"q0": {"query": "Lavrov", "limit": 0}}',
        '{"q0": {"query": "Lavrov", "limit": true}}',
        '{"q0": {"query": "Lavrov", "limit": Infinity}}',
        '{"q0": {"query": "Lavrov", "limit": NaN}}',
        '{"q0": {"query": "Lavrov", "limit": 2.5}}',
        '{"q0": {"query": "Lavrov", "properties": [{"pid": "on", "v": "March"}]}}',
        '{"q0": {"query": "Lavrov", "properties": [{"pid": "P27", "v": "x"}]}}',
        '{"q0": {"query": "Lavrov", "colour": "red"}}',
        '{"q0": {"query": ""}}',
        "[" * 100000,
    ],
)
def test_malformed_batch_is_a_problem_naming_queries(client, raw):
    response = client.post(URL, urlencode({"queries": raw}), content_type=FORM)
    assert error_attrs(response) == ["queries"]


def test_missing_queries_field(client):
    assert error_attrs(client.post(URL, "", content_type=FORM)) == ["queries"]


def test_batch_larger_than_its_size_is_413(client):
    response = post_queries(client, {f"q{n}": {"query": "Lavrov"} for n in range(51)})
    assert_problem(response, 413)


def test_cors_for_any_origin_on_manifest_and_post(client, world):
    origin = "https://tools.example.org"
    response = client.get(URL, HTTP_ORIGIN=origin)
    assert response["Access-Control-Allow-Origin"] in ("*", origin)
    response = post_queries(client, {"q0": {"query": "Lavrov"}}, HTTP_ORIGIN=origin)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] in ("*", origin)
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        URL,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert preflight.status_code == 200
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight


def test_a_batch_costs_two_queries(client, world, django_assert_max_num_queries):
    # 1: actors; 2: roles; one index for every query of the batch.
    with django_assert_max_num_queries(2):
        body = post_queries(client, {f"q{n}": {"query": "Lavrov"} for n in range(20)}).json()
    assert len(body) == 20
