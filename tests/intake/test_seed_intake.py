"""The seed article through the real API against the seed data: each fixture quote is found and
flagged as a duplicate of its statement, not created again; the other drafts are accepted into facts."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.statements.models import Statement
from tests.helpers import assert_problem
from tests.intake.evaluate import SEED_PUBLISHED, SEED_TITLE

pytestmark = pytest.mark.django_db

ARTICLE_ENV = os.environ.get("SEED_ARTICLE", "")


@pytest.fixture
def seed_article(editor_api):
    if not ARTICLE_ENV:
        pytest.skip("SEED_ARTICLE is not set: the seed intake needs the article's path (CI sets it)")
    path = Path(ARTICLE_ENV)
    assert path.is_file(), f"SEED_ARTICLE names {path}, which is not a file"
    call_command("loaddata", "seed", verbosity=0)
    response = editor_api.post(
        "/api/v1/intake/articles/",
        {
            "title": SEED_TITLE,
            "kind": "analysis",
            "published_on": SEED_PUBLISHED.isoformat(),
            "text": path.read_text(encoding="utf-8"),
        },
        format="json",
    )
    assert response.status_code == 201
    return response.json()


def test_seed_quotes_are_flagged_duplicates_and_the_rest_become_cited_facts(seed_article, editor_api):
    quotes = [d for d in seed_article["drafts"] if d["kind"] == "statement" and d["fields"]["kind"] == "direct_quote"]
    fixture = {str(s.pk): s.text for s in Statement.objects.filter(kind="direct_quote")}
    assert len(fixture) == 9
    assert {d["duplicate_of"]: d["fields"]["text"] for d in quotes} == fixture
    before = Statement.objects.count()
    assert_problem(editor_api.post(f"/api/v1/intake/drafts/{quotes[0]['id']}/accept/", format="json"), 409)
    assert Statement.objects.count() == before
    # The rest (one test: loading the seed is the slow part) are accepted into cited facts.
    accepted = 0
    for draft in seed_article["drafts"]:
        if draft["duplicate_of"] or draft["kind"] == "actor":
            continue
        response = editor_api.post(f"/api/v1/intake/drafts/{draft['id']}/accept/", format="json")
        # Undated events and deadlines need the editor's date, positions the editor's topic: a 400 naming
        # the field, nothing written.
        if response.status_code == 400:
            assert {e["attr"] for e in response.json()["errors"]} <= {"due_on", "starts_on", "topic"}
            continue
        assert response.status_code == 200, response.json()
        accepted += 1
        fact = editor_api.get(response.json()["fact"]).json()
        assert fact["version"] == 1
        assert fact["citations"][0]["excerpt"] == draft["excerpt"].strip()
        assert fact["citations"][0]["locator"] == draft["locator"]
    assert accepted >= 8
