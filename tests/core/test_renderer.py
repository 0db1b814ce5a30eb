"""The API's JSON is written by orjson (``apps.core.api.renderers.JSONRenderer``): byte for byte what
DRF's own JSONRenderer writes, on every kind of response the API sends."""

import datetime
import decimal
import uuid

import pytest
from django.core.cache import cache
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from apps.core.api.renderers import JSONRenderer
from tests.helpers import load_seed
from tests.resources import RESOURCES

pytestmark = pytest.mark.django_db

DRF = renderers.JSONRenderer()
OURS = JSONRenderer()


def drf_bytes(response) -> bytes:
    """What DRF's renderer writes for the data the view handed to ours."""
    return DRF.render(response.data, "application/json", {"response": response, "view": None})


def test_the_seed_api_is_written_as_drf_writes_it(api):
    """Lists, items, histories, feeds and errors, each compared with DRF's rendering of the same data."""
    load_seed()
    urls = ["/api/v1/", "/api/v1/changes/", "/api/v1/actors/donald-trump/timeline/", "/api/v1/statements/?q=x y"]
    for resource in RESOURCES:
        listed = api.get(resource.url, {"page_size": 200})
        first = listed.json()["results"][0]
        item = f"{resource.url}{first[resource.key]}/"
        urls += [f"{resource.url}?page_size=200", item, f"{item}history/", f"{resource.url}?ordering=nonsense"]
    urls += ["/api/v1/statements/not-a-uuid/", "/api/v1/statements/?page_size=0"]
    for url in urls:
        cache.clear()  # rendered now, not the shared cache's copy of an earlier read of the same page
        response = api.get(url)
        assert response.status_code < 500, url
        assert response.content == drf_bytes(response), url


def test_what_orjson_cannot_write_goes_to_drfs_encoder():
    data = ReturnDict(
        {
            "lazy": gettext_lazy("Not found."),
            "when": datetime.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.UTC),
            "day": datetime.date(2026, 1, 2),
            "amount": decimal.Decimal("1.50"),
            "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "rows": ReturnList([{"text": "line\u2028separator\u2029", "n": 1, 2: None}], serializer=None),
            "tuple": (1, 2.5, True),
            "big": 2**70,
            "unicode": "Путин, négocie",
        },
        serializer=None,
    )
    assert OURS.render(data, "application/json") == DRF.render(data, "application/json")
    del data["big"]  # orjson writes what is left itself
    assert OURS.render(data, "application/json") == DRF.render(data, "application/json")


def test_an_indented_response_is_left_to_drf():
    data = {"a": [1, 2]}
    assert OURS.render(data, "application/json; indent=2") == DRF.render(data, "application/json; indent=2")
    assert b"\n" in OURS.render(data, "application/json; indent=2")
