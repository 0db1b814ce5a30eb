"""The evaluation `make intake-eval` prints, held to its goals: a regression in extraction fails here.

Floors, not targets: the development half is what the rules were written against; the test half is
articles they were not (scored, never tuned on). The issue-22 goals hold on both halves.
"""

import io
import os
from pathlib import Path

import pytest

from tests.intake import evaluate

ARTICLE_ENV = os.environ.get("SEED_ARTICLE", "")
GOALS = {  # issue 22: recall, precision, speaker, date, one click, dated deadlines/events
    "direct quotes found": 0.90,
    "quote drafts that are real quotes": 0.97,
    "speaker right (of found)": 0.90,
    "date right, value+precision (of found)": 0.85,
    "drafts acceptable in one click": 0.70,
    "deadlines/events with the right date": 0.80,
}


def figures(half: str) -> dict[str, tuple[int, int]]:
    return {name: (right, total) for name, right, total in evaluate.measures(evaluate.run_corpus(half))}


@pytest.mark.parametrize("half", ["dev", "test"])
def test_each_half_meets_the_goals(half):
    measured = figures(half)
    for name, goal in GOALS.items():
        right, total = measured[name]
        assert total, (half, name)
        assert right / total >= goal, (half, name, right, total)
    assert measured["drafts from link-bait lines"][0] == 0


def test_the_corpus_is_big_and_varied_enough_to_tell_overfitting():
    for half in evaluate.HALVES:
        results = evaluate.run_corpus(half)
        assert len({r.style for r in results}) == 8, half
    results = evaluate.run_corpus("dev") + evaluate.run_corpus("test")
    assert len(results) >= 20 + 3
    assert sum(len(r.rows) for r in results) >= 250


def test_the_report_prints_both_halves_per_style():
    out = io.StringIO()
    evaluate.report({half: evaluate.run_corpus(half) for half in evaluate.HALVES}, out=out)
    text = out.getvalue()
    assert "| dev half | Q&A transcript (1) |" in text
    assert "| test half |" in text
    assert "| direct quotes found |" in text


@pytest.fixture(scope="module")
def seed():
    if not ARTICLE_ENV:
        pytest.skip("SEED_ARTICLE is not set: the seed goals need the article's path (CI sets it)")
    path = Path(ARTICLE_ENV)
    assert path.is_file(), f"SEED_ARTICLE names {path}, which is not a file"
    return evaluate.run_seed(path)


def test_seed_every_direct_quote_found_with_its_speaker(seed):
    assert len(seed.rows) == 9
    missing = [row.gold["text"] for row in seed.rows if not row.right("speaker")]
    assert missing == []


def test_seed_dates_and_certainty_right_for_at_least_90_percent(seed):
    for aspect in ("date", "certainty"):
        right, _, gold = seed.counts(aspect)
        assert right / gold >= 0.9, aspect


def test_seed_no_draft_from_link_bait(seed):
    assert seed.bait_drafts == []
