"""Lists are read as values and shaped by a plan compiled from the serializer (``apps.core.api.reader``):
their JSON must be exactly what DRF's serializer makes of the same rows, on every resource."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import resolve
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from apps.core.api.reader import Plan
from tests.helpers import load_seed
from tests.resources import RESOURCES

pytestmark = pytest.mark.django_db


def drf_json(resource, rows) -> dict:
    """The rows as DRF's serializer shows them, by lookup value: what the list showed before plans."""
    view = resolve(resource.url).func.cls
    request = APIRequestFactory().get(resource.url)
    objects = list(view.queryset.filter(pk__in=[row.pk for row in rows]))
    data = view.serializer_class(objects, many=True, context={"request": request}).data
    items = json.loads(JSONRenderer().render(data))
    return {item[resource.key]: item for item in items}


def walk(api, url: str, params: dict) -> list[dict]:
    items, response = [], api.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        items += response.json()["results"]
        if not response.json()["next"]:
            return items
        response = api.get(response.json()["next"])


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_every_resource_is_read_by_a_plan(resource):
    """A serializer field the plan does not know makes DRF read the list again, slowly: name it here."""
    assert Plan.compile(resolve(resource.url).func.cls.serializer_class) is not None


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_the_list_is_what_the_serializer_makes_of_the_same_rows(api, resource):
    """On the seed (evidence, citations, nested topics, roles with and without organizations) and on
    generated rows (undated facts, month and year precision, many links), walking every page."""
    load_seed()
    call_command("generate_synthetic", statements=150, facts=40, verbosity=0, force=True)
    listed = walk(api, resource.url, {"page_size": 37})
    expected = drf_json(resource, list(resource.model.objects.all()))
    assert len(listed) == len(expected) == resource.model.objects.count()
    for item in listed:
        assert item == expected[item[resource.key]]


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_an_item_is_what_the_serializer_makes_of_it(api, resource):
    """Items are read by the same plan: the same JSON, and so the same ETag, that If-Match is checked against."""
    load_seed()
    call_command("generate_synthetic", statements=60, facts=20, verbosity=0, force=True)
    expected = drf_json(resource, list(resource.model.objects.all()))
    for key, item in expected.items():
        response = api.get(f"{resource.url}{key}/")
        assert response.status_code == 200, response.content
        assert response.json() == item


def test_filtersets_alive_at_once_each_filter_with_their_own_values():
    """FilterSets copy their filters shallowly and share a form class per FilterSet class (for speed,
    ``apps.core.api.filters.SearchFilterSet``): two at once must still each apply their own values,
    through method filters (q, date_from) and plain ones (kind) alike."""
    from django.http import QueryDict

    from apps.statements.filtersets import StatementFilterSet
    from apps.statements.models import Statement
    from tests import factories

    old = factories.make_statement(text="ceasefire talk", kind="paraphrase", said_on=datetime.date(2020, 1, 1))
    new = factories.make_statement(text="sanctions", kind="direct_quote", said_on=datetime.date(2025, 1, 1))
    first = StatementFilterSet(QueryDict("q=ceasefire&kind=paraphrase"), queryset=Statement.objects.all())
    second = StatementFilterSet(QueryDict("date_from=2024-01-01&kind=direct_quote"), queryset=Statement.objects.all())
    assert first.filters["q"] is not second.filters["q"]
    assert list(second.qs) == [new]
    assert list(first.qs) == [old]
    assert type(first.form) is type(second.form)
    assert first.form.cleaned_data["kind"] != second.form.cleaned_data["kind"]


def test_a_request_naming_no_filter_builds_no_filterset(api, monkeypatch):
    """Only a named filter is worth validating: without one the list and the item skip the FilterSet;
    with one (even among unknown parameters) it filters as before."""
    from apps.statements.filtersets import StatementFilterSet
    from tests import factories

    built = []
    original = StatementFilterSet.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(StatementFilterSet, "__init__", counting)
    made = factories.make_statement(kind="paraphrase")
    assert api.get("/api/v1/statements/", {"page_size": 5, "unknown": "x", "kind": ""}).status_code == 200
    assert api.get(f"/api/v1/statements/{made.pk}/").status_code == 200
    assert built == []
    assert api.get("/api/v1/statements/", {"kind": "direct_quote", "unknown": "x"}).json()["results"] == []
    assert built == [1]


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_an_as_of_list_pages_through_the_recorded_json(api, resource):
    """``as_of`` pages are read as the versions' recorded JSON (values, no model objects): walked in small
    pages with its cursor, now, it lists exactly what the live list does, in the same order."""
    from django.utils import timezone

    load_seed()
    now = timezone.now().isoformat().replace("+00:00", "Z")
    live = walk(api, resource.url, {"page_size": 200})
    recorded = walk(api, resource.url, {"page_size": 4, "as_of": now})
    assert recorded == live


def test_a_lists_query_is_compiled_once_for_every_page(api, monkeypatch):
    """Each embedded list's SQL is the same for any page (its ids are one parameter), so it is compiled
    once per database, not per request: pages of different sizes and cursors read through one
    compilation each, and still list every link."""
    from apps.core.api.reader import LinkQuery
    from apps.statements.api.serializers import StatementSerializer

    load_seed()
    plan = Plan.compile(StatementSerializer)
    for link in plan.shape.links:
        link.compiled.clear()
    compiled = []
    original = LinkQuery.compile

    def counting(link, using):
        compiled.append(link.key)
        return original(link, using)

    monkeypatch.setattr(LinkQuery, "compile", staticmethod(counting))
    listed = walk(api, "/api/v1/statements/", {"page_size": 3}) + walk(api, "/api/v1/statements/", {"page_size": 7})
    assert sorted(compiled) == sorted(link.key for link in plan.shape.links)
    resource = next(r for r in RESOURCES if r.url == "/api/v1/statements/")
    expected = drf_json(resource, list(resource.model.objects.all()))
    assert len(listed) == 2 * len(expected) > 0
    assert all(item == expected[item["id"]] for item in listed)
