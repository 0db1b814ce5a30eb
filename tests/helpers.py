"""Helpers for API tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, **params) -> tuple[int, dict]:
    """GET ``url`` and return (number of SQL queries, JSON body); the response must be a 200."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


def walk(client, url, **params) -> list[dict]:
    """Every result of a list, following ``next`` links to the end."""
    results, next_url = [], url
    body = client.get(url, params).json()
    while True:
        results.extend(body["results"])
        next_url = body["next"]
        if not next_url:
            return results
        body = client.get(next_url).json()


PROBLEM = "application/problem+json"


def assert_problem(
    response, status: int, *, attr: str | None = None, code: str | None = None, extensions: tuple[str, ...] = ()
) -> dict:
    """``response`` is an RFC 9457 problem of ``status`` (naming ``attr`` and ``code`` when given); its body.

    ``extensions``: the members it carries besides the standard ones.
    """
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert set(body) == {*extensions, "type", "title", "status", "detail", "errors"}
    assert body["status"] == status
    assert body["type"].startswith("urn:factsapi:problem:")
    if attr is not None:
        assert attr in [e["attr"] for e in body["errors"]], body
    if code is not None:
        assert code in [e["code"] for e in body["errors"]], body
    return body


def error_attrs(response, status: int = 400) -> list[str]:
    """The fields a problem response of ``status`` names, in order."""
    return [error["attr"] for error in assert_problem(response, status)["errors"]]


def load_yaml(text):
    """YAML through libyaml where PyYAML has it: the schema (~19k lines) parses 6× faster."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
