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
