"""Behaviour every resource shares, tested once for each resource ``tests/resources.py`` configures.

NetBox's ``APIViewTestCases`` and pretix's permission table as pytest functions:
list, retrieve, create, replace (PUT), partial update (PATCH) and delete; who may
write; refused writes; the citations every fact must keep; each filter; and the
query budgets. What only one resource does is in ``tests/<app>/test_api.py``.
"""

import pytest
from django.db import connection
from django_filters import MultipleChoiceFilter

from apps.core.api.filters import SlugsFilter
from apps.core.models import sorted_link
from apps.core.record.versions import history_model, m2m_ids, versioned_models
from tests import factories
from tests.helpers import assert_problem, count_queries, error_attrs, walk
from tests.resources import FACTS, MISSING_ID, OMIT, RESOURCES, as_sent, merged

pytestmark = pytest.mark.django_db

FULL_PAGE = 20


def each(resources):
    return pytest.mark.parametrize("resource", resources, ids=str)


def filter_params(kind=object) -> list:
    """``(resource, name)`` for each filter of each resource, or only those of class ``kind``."""
    return [
        pytest.param(resource, name, id=f"{resource}-{name}")
        for resource in RESOURCES
        for name in resource.filters
        if isinstance(resource.filterset.base_filters.get(name), kind)
    ]


@pytest.fixture
def sample(resource):
    return resource.sample()


def read(client, url, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def link(row: dict, name: str):
    """A link field of a response row; evidence links are grouped: ``evidence_statements`` is in
    ``evidence.statements``."""
    if name.startswith("evidence_"):
        return row["evidence"][name.removeprefix("evidence_")]
    return row[name]


def listed(client, resource, params) -> set[str]:
    """The addresses (id or slug) of every row on the first page of ``resource`` filtered by ``params``."""
    return {row[resource.key] for row in read(client, resource.url, **params)["results"]}


def stored(resource) -> tuple[int, ...]:
    """Row, version and citation counts: a refused write changes none of them."""
    counts = [resource.model.objects.count(), history_model(resource.model).objects.count()]
    if resource.cited:
        counts.append(resource.citation_model.objects.count())
    return tuple(counts)


def test_every_resource_is_configured():
    assert {resource.name for resource in RESOURCES} == {model.api_resource for model in versioned_models()}


@each(RESOURCES)
def test_every_filter_is_configured(resource):
    # A new filter needs a value that selects the sample and one that does not.
    assert set(resource.filters) | {"ordering"} == set(resource.filterset.base_filters)


# -- reads ------------------------------------------------------------------------


@each(RESOURCES)
def test_retrieve_is_the_stored_version(api, resource, sample):
    body = read(api, resource.item_url(sample))
    assert body[resource.key] == sample.public_id
    assert body["version"] == 1
    assert body["created_at"] == sample.created_at.isoformat().replace("+00:00", "Z")
    assert body["updated_at"] == sample.updated_at.isoformat().replace("+00:00", "Z")
    assert body == sample.history.get().data  # the one version holds the resource as the API shows it


@each(RESOURCES)
def test_unknown_item_is_a_404_problem(api, resource):
    missing = MISSING_ID if resource.key == "id" else "no-such-slug"
    assert_problem(api.get(f"{resource.url}{missing}/"), 404)


@each(RESOURCES)
def test_list_rows_have_the_detail_shape(api, resource, sample):
    detail = read(api, resource.item_url(sample))
    body = read(api, resource.url)
    assert [row for row in body["results"] if row[resource.key] == sample.public_id] == [detail]
    assert (body["next"], body["previous"]) == (None, None)


@each(RESOURCES)
def test_list_query_budget_is_the_same_for_one_row_and_a_full_page(api, resource):
    # One query for each of resource.list_queries (the page, then each prefetch), never one per row.
    resource.many(1)
    one, _ = count_queries(api, resource.url)
    resource.many(FULL_PAGE)
    full, body = count_queries(api, resource.url, page_size=FULL_PAGE)
    assert len(body["results"]) == FULL_PAGE
    assert body["next"]
    related = [f.name for f in resource.model._meta.get_fields() if f.concrete and (f.many_to_many or f.many_to_one)]
    related += ["citations"] if resource.cited else []
    assert all(link(row, name) for row in body["results"] for name in related), "every link the page fetches is there"
    assert one == full == len(resource.list_queries), resource.list_queries


@each(RESOURCES)
def test_rows_tied_on_the_sort_key_page_in_one_stable_order(api, resource):
    made = {row.public_id for row in resource.many(5)}
    single = [row[resource.key] for row in read(api, resource.url)["results"]]
    paged = [row[resource.key] for row in walk(api, resource.url, page_size=2)]
    assert paged == single  # every row once, the pages in the order of one long page
    # The tie-breaker is the last field of the model's order: "-id", "id" or "slug".
    descending = resource.model._meta.ordering[-1].startswith("-")
    assert [key for key in paged if key in made] == sorted(made, reverse=descending)


@pytest.mark.parametrize(
    ("resource", "field"),
    [
        pytest.param(resource, field, id=f"{resource}-{field}")
        for resource in RESOURCES
        for field in ("created_at", "updated_at")
        if field in resource.filterset.base_filters["ordering"].param_map
    ],
)
def test_ordering_by_a_timestamp_both_ways(api, resource, field):
    old, new = resource.many(2)
    # ``old`` was recorded first but changed last (timestamps set around the write path).
    stamps = {old: ("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"), new: ("2025-06-01T00:00:00Z",) * 2}
    for row, (created_at, updated_at) in stamps.items():
        type(row)._base_manager.filter(pk=row.pk).update(created_at=created_at, updated_at=updated_at)
    first_to_last = [old.public_id, new.public_id] if field == "created_at" else [new.public_id, old.public_id]
    for ordering, expected in [(field, first_to_last), (f"-{field}", first_to_last[::-1])]:
        rows = read(api, resource.url, ordering=ordering)["results"]
        assert [row[resource.key] for row in rows if row[resource.key] in expected] == expected, ordering


@each(RESOURCES)
def test_detail_query_budget(api, resource, sample):
    # One query for each of resource.detail_queries.
    queries, _ = count_queries(api, resource.item_url(sample))
    assert queries == len(resource.detail_queries), resource.detail_queries


# -- filters ----------------------------------------------------------------------


@pytest.mark.parametrize(("resource", "name"), filter_params())
def test_filter_selects_by_a_matching_value_only(api, resource, name, sample):
    values = resource.filters[name]
    assert sample.public_id in listed(api, resource, {name: values.match})
    assert sample.public_id not in listed(api, resource, {name: values.miss})


@pytest.mark.parametrize(
    ("resource", "name", "value"),
    [
        pytest.param(resource, name, value, id=f"{resource}-{name}={value}")
        for resource in RESOURCES
        for name, values in [*resource.filters.items(), ("ordering", None)]
        for value in (values.bad if values else [resource.bad_ordering, f"-{resource.bad_ordering}"])
    ],
)
def test_bad_filter_value_is_400_naming_the_parameter(api, resource, name, value):
    assert error_attrs(api.get(resource.url, {name: value})) == [name]


@pytest.mark.parametrize(("resource", "name"), filter_params(MultipleChoiceFilter))
def test_repeated_filter_matches_any_of_its_values_and_checks_each(api, resource, name, sample):
    values = resource.filters[name]
    assert sample.public_id in listed(api, resource, {name: [values.miss, values.match]})
    assert sample.public_id in listed(api, resource, {name: [values.match, values.miss]})
    assert error_attrs(api.get(resource.url, {name: [values.match, values.bad[0]]})) == [name]


@pytest.mark.parametrize(("resource", "name"), filter_params(SlugsFilter))
def test_a_slug_filter_costs_one_query(api, resource, name, sample):
    # The list's own queries, and one looking up the slugs given (an unknown one is a 400). One value of a
    # many-to-many filter with a SortedLink joins its links; on SQLite any other many-to-many filter also
    # counts its links, at most DRIVE_LIMIT (apps.core.query.ordering.read_in_order).
    field = resource.model._meta.get_field(resource.filterset.base_filters[name].field_name)
    counted = 1 if field.many_to_many and connection.vendor == "sqlite" and not sorted_link(field) else 0
    queries, body = count_queries(api, resource.url, **{name: resource.filters[name].match})
    assert body["results"]
    assert queries == len(resource.list_queries) + 1 + counted, resource.list_queries
    # Several values: one lookup still; on SQLite a many-to-many filter counts its links.
    values = resource.filters[name]
    counted = 1 if field.many_to_many and connection.vendor == "sqlite" else 0
    queries, body = count_queries(api, resource.url, **{name: [values.match, values.miss]})
    assert body["results"]
    assert queries == len(resource.list_queries) + 1 + counted, resource.list_queries


# -- writes -----------------------------------------------------------------------


@each(RESOURCES)
def test_editor_creates(api, editor_api, editor, resource):
    sent = resource.body()
    response = editor_api.post(resource.url, sent, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {name: as_sent(body[name]) for name in sent} == sent
    assert body["version"] == 1
    assert read(api, resource.item_url(body)) == body
    created = resource.model.objects.get(**{resource.model.api_lookup_field: body[resource.key]})
    # One version, naming the editor, holding the resource as returned and its links.
    record = created.history.get()
    assert (record.history_type, record.history_user) == ("+", editor)
    assert record.data == body
    for field in resource.model._meta.many_to_many:
        assert sorted(m2m_ids(record, field)) == sorted(getattr(created, field.name).values_list("pk", flat=True))


@each(RESOURCES)
def test_server_owned_fields_are_ignored(editor_api, resource):
    owned = {"version": 7, "created_at": "2000-01-01T00:00:00Z", "updated_at": "2000-01-01T00:00:00Z"}
    if resource.key == "id":
        owned["id"] = MISSING_ID
    response = editor_api.post(resource.url, resource.body() | owned, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1
    assert body.get("id") != MISSING_ID
    assert not body["created_at"].startswith("2000")
    assert not body["updated_at"].startswith("2000")


@each(RESOURCES)
def test_editor_replaces(api, editor_api, editor, resource, sample):
    sent = resource.body()
    rows = resource.model.objects.count()
    response = editor_api.put(resource.item_url(sample), sent, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    # Every field sent is stored as sent: links and citations replaced, not added to.
    assert {name: as_sent(body[name]) for name in sent} == sent
    assert body["version"] == 2
    assert read(api, resource.item_url(body)) == body
    assert resource.model.objects.count() == rows
    record = sample.history.latest()
    assert (record.history_type, record.history_user, record.data) == ("~", editor, body)


@each(RESOURCES)
def test_editor_partially_updates_only_what_is_sent(api, editor_api, editor, resource, sample):
    url = resource.item_url(sample)
    before = read(api, url)
    assert {name: as_sent(before[name]) for name in resource.patch} != resource.patch
    response = editor_api.patch(url, resource.patch, format="json")
    assert response.status_code == 200, response.content
    after = read(api, url)
    assert response.json() == after
    assert {name: as_sent(after[name]) for name in resource.patch} == resource.patch
    kept = set(before) - set(resource.patch) - {"version", "updated_at"}  # for a fact, its citations too
    assert {name: after[name] for name in kept} == {name: before[name] for name in kept}
    assert after["version"] == before["version"] + 1
    assert after["updated_at"] != before["updated_at"]
    record = sample.history.latest()
    assert (record.history_type, record.history_user) == ("~", editor)


@each(RESOURCES)
def test_editor_deletes_and_the_item_is_gone(api, editor_api, editor, resource, sample):
    url = resource.item_url(sample)
    citations = list(sample.citations.values_list("pk", flat=True)) if resource.cited else []
    assert editor_api.delete(url).status_code == 204
    assert not resource.model.objects.filter(pk=sample.pk).exists()
    if resource.cited:
        assert citations
        assert not resource.citation_model.objects.filter(pk__in=citations).exists()
    record = sample.history.latest()
    assert (record.history_type, record.history_user) == ("-", editor)
    assert_problem(api.get(url), 410, extensions=("history",))


@each(RESOURCES)
@pytest.mark.parametrize(("client", "status"), [("api", 401), ("reader_api", 403)], ids=["anonymous", "no-rights"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_need_an_editor(request, api, resource, sample, client, status, method):
    client = request.getfixturevalue(client)
    url = resource.url if method == "post" else resource.item_url(sample)
    data = resource.patch if method == "patch" else resource.body()
    before, counts = read(api, resource.item_url(sample)), stored(resource)
    assert_problem(getattr(client, method)(url, data, format="json"), status)
    assert stored(resource) == counts
    assert read(api, resource.item_url(sample)) == before  # reading needs no token


@pytest.mark.parametrize(
    ("resource", "overrides", "attrs"),
    [
        pytest.param(resource, overrides, attrs, id=f"{resource}-{','.join(overrides)}")
        for resource in RESOURCES
        for overrides, attrs in resource.invalid
    ],
)
def test_invalid_create_is_400_naming_the_field_and_writes_nothing(editor_api, resource, sample, overrides, attrs):
    sent = merged(resource.body(), overrides)
    counts = stored(resource)
    assert error_attrs(editor_api.post(resource.url, sent, format="json")) == attrs
    assert stored(resource) == counts


@each(RESOURCES)
def test_invalid_replace_is_400_naming_the_field_and_changes_nothing(api, editor_api, resource, sample):
    overrides, attrs = resource.invalid[0]
    sent = merged(resource.body(), overrides)
    before, counts = read(api, resource.item_url(sample)), stored(resource)
    assert error_attrs(editor_api.put(resource.item_url(sample), sent, format="json")) == attrs
    assert stored(resource) == counts
    assert read(api, resource.item_url(sample)) == before


@each(RESOURCES)
def test_partial_update_is_checked_against_the_stored_row(api, editor_api, resource, sample):
    change, attrs = resource.invalid_patch
    before, counts = read(api, resource.item_url(sample)), stored(resource)
    assert error_attrs(editor_api.patch(resource.item_url(sample), change, format="json")) == attrs
    assert stored(resource) == counts
    assert read(api, resource.item_url(sample)) == before


# -- citations of facts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "citations", "attrs"),
    [
        pytest.param(resource, citations, attrs, id=f"{resource}-{label}")
        for resource in FACTS
        for label, citations, attrs in [
            ("missing", OMIT, ["citations"]),
            ("none", [], ["citations"]),
            ("unknown-source", [{"source": MISSING_ID}], ["citations.0.source"]),
            ("malformed-source", [{"source": "not-a-uuid"}], ["citations.0.source"]),
            ("no-source", [{"excerpt": "no source"}], ["citations.0.source"]),
        ]
    ],
)
def test_a_fact_is_created_with_citations_only(editor_api, resource, citations, attrs):
    sent = merged(resource.body(), {"citations": citations})
    counts = stored(resource)
    assert error_attrs(editor_api.post(resource.url, sent, format="json")) == attrs
    assert stored(resource) == counts


@each(FACTS)
def test_a_fact_is_created_with_its_certainty_stated(editor_api, resource):
    # Never assumed "confirmed": a client that leaves it out is told so.
    sent = merged(resource.body(), {"certainty": OMIT})
    counts = stored(resource)
    body = assert_problem(editor_api.post(resource.url, sent, format="json"), 400)
    assert [(error["attr"], error["code"]) for error in body["errors"]] == [("certainty", "required")]
    assert stored(resource) == counts


@each(FACTS)
def test_put_without_citations_is_400_and_keeps_them(api, editor_api, resource, sample):
    sent = merged(resource.body(), {"citations": OMIT})
    before, counts = read(api, resource.item_url(sample)), stored(resource)
    assert error_attrs(editor_api.put(resource.item_url(sample), sent, format="json")) == ["citations"]
    assert stored(resource) == counts
    assert read(api, resource.item_url(sample)) == before


@each(FACTS)
def test_patch_without_citations_keeps_the_same_ones(editor_api, resource, sample):
    kept = list(sample.citations.values_list("pk", "source", "excerpt", "locator", "note"))
    response = editor_api.patch(resource.item_url(sample), resource.patch, format="json")
    assert response.status_code == 200, response.content
    assert list(sample.citations.values_list("pk", "source", "excerpt", "locator", "note")) == kept


@each(FACTS)
def test_patch_with_citations_replaces_them_all(api, editor_api, resource, sample):
    old = sample.citations.get()
    sent = [
        {"source": str(factories.make_source().pk), "excerpt": "", "locator": "para 1", "note": "wire copy"},
        {"source": str(old.source_id), "excerpt": "", "locator": "", "note": "confirms"},
    ]
    before = read(api, resource.item_url(sample))
    response = editor_api.patch(resource.item_url(sample), {"citations": sent}, format="json")
    assert response.status_code == 200, response.content
    after = read(api, resource.item_url(sample))
    assert as_sent(after["citations"]) == sent
    assert not resource.citation_model.objects.filter(pk=old.pk).exists()
    kept = set(before) - {"citations", "version", "updated_at"}
    assert {name: after[name] for name in kept} == {name: before[name] for name in kept}


@each(FACTS)
def test_patch_with_no_citations_is_400_and_keeps_them(api, editor_api, resource, sample):
    before, counts = read(api, resource.item_url(sample)), stored(resource)
    change = resource.patch | {"citations": []}
    assert error_attrs(editor_api.patch(resource.item_url(sample), change, format="json")) == ["citations"]
    assert stored(resource) == counts
    assert read(api, resource.item_url(sample)) == before
