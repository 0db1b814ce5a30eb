"""Every resource is wired in everywhere it must be: the checklist of CONTRIBUTING.md, enforced.

The resources are found, not listed: every model with versions (``VersionedModel``).
A new fact type that misses its router entry, admin, Editors rights, seed data,
schema snapshot or test builder fails here.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin

from apps.core.models import FactModel
from apps.core.permissions import ACTIONS, EDITORS
from apps.core.record.versions import versioned_models
from tests import factories
from tests.conftest import editors_group
from tests.helpers import load_yaml

pytestmark = pytest.mark.django_db

RESOURCES = sorted(versioned_models(), key=lambda m: m.api_resource)
SNAPSHOT = load_yaml((Path(settings.BASE_DIR) / "tests" / "snapshots" / "openapi-v1.yaml").read_text())
SEED = json.loads((Path(settings.BASE_DIR) / "fixtures" / "seed.json").read_text(encoding="utf-8"))


def ids(model) -> str:
    return model.api_resource


def test_the_resources_are_found():
    assert {m.api_resource for m in RESOURCES} == {
        *("actors", "roles", "topics", "sources", "events", "statements", "positions", "deadlines")
    }


@pytest.mark.parametrize("model", RESOURCES, ids=ids)
def test_routed_in_the_api(model, api):
    root = api.get("/api/v1/").json()
    assert root[model.api_resource] == f"http://testserver/api/v1/{model.api_resource}/"
    assert api.get(f"/api/v1/{model.api_resource}/").status_code == 200


@pytest.mark.parametrize("model", RESOURCES, ids=ids)
def test_has_an_admin(model):
    assert model in admin.site._registry


@pytest.mark.parametrize("model", RESOURCES, ids=ids)
def test_editors_may_write_it_and_its_citations(model):
    group = editors_group()
    assert group.name == EDITORS
    models = [model]
    if hasattr(model, "citations"):
        models.append(model.citations.rel.related_model)
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    for m in models:
        for action in ACTIONS:
            assert (m._meta.app_label, f"{action}_{m._meta.model_name}") in granted


@pytest.mark.parametrize("model", RESOURCES, ids=ids)
def test_the_seed_has_some(model):
    assert any(entry["model"] == model._meta.label_lower for entry in SEED)


@pytest.mark.parametrize("model", RESOURCES, ids=ids)
def test_in_the_schema_snapshot_with_its_history(model):
    lookup = "{slug}" if model.api_lookup_field == "slug" else "{id}"
    paths = SNAPSHOT["paths"]
    for path in ["/", f"/{lookup}/", f"/{lookup}/history/", f"/{lookup}/history/{{number}}/revert/"]:
        assert f"/api/v1/{model.api_resource}{path}" in paths


@pytest.mark.parametrize("model", RESOURCES, ids=ids)
def test_has_a_test_builder_that_versions_it(model):
    build = getattr(factories, f"make_{model._meta.model_name}")
    row = build()
    assert isinstance(row, model)
    assert row.history.get().change == "created"


@pytest.mark.parametrize("model", RESOURCES, ids=ids)
def test_imported_after_every_resource_it_refers_to(model):
    """``import_facts`` orders files by the models' relations, not a hand-kept list: a new resource
    is importable, after its actors, events… (``apps.core.bulk.imports.import_order``)."""
    from apps.core.bulk.imports import import_order

    order = import_order()
    assert model.api_resource in order
    for field in model._meta.get_fields():
        target = field.related_model
        refers = (field.many_to_one or field.many_to_many) and not field.auto_created
        if refers and target in RESOURCES and target is not model:
            assert order.index(target.api_resource) < order.index(model.api_resource), field.name


@pytest.mark.parametrize("model", [m for m in RESOURCES if issubclass(m, FactModel)], ids=ids)
def test_a_fact_type_is_searched_through_its_vector_and_trigram_index(model):
    """Every fact type declares its full-text column (``FactModel.search_vector``); the search finds it
    and, on PostgreSQL, the column exists (its app's migration adds it)."""
    from django.db import connection

    from apps.core.query.search import search_vectors, trigram_indexes

    table, column = search_vectors()[model._meta.label]
    assert table == model._meta.db_table
    assert model._meta.label in trigram_indexes()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        assert column in columns
