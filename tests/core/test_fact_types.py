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

from apps.core.permissions import ACTIONS, EDITORS
from apps.core.versions import versioned_models
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
