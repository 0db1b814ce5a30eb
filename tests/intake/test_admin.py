"""Review in the admin: the article's text with each draft's span highlighted (escaped), accept, edit
then accept, reject, accept all of a kind – every fact through the write path, under the editor."""

import json

import pytest
from django.urls import reverse

from apps.intake.models import Article, Draft
from apps.statements.models import Statement

pytestmark = pytest.mark.django_db

TEXT = (
    "The Talks\n\n"
    '"We are close," Trump said of the <b>bold</b> plan & more.\n\n'
    'Putin reportedly called it "a trap".\n\n'
    "You might also like: <script>alert('x')</script>\n"
)


@pytest.fixture
def article(editor_client, trump, putin):
    response = editor_client.post(
        reverse("admin:intake_article_add"),
        {
            "title": "Talks",
            "kind": "news",
            "published_on": "2026-01-14",
            "published_on_precision": "day",
            "language": "en",
            "text": TEXT,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.get()


def statement_drafts(article):
    return list(article.drafts.filter(kind="statement").order_by("ordinal"))


def test_review_page_highlights_spans_and_escapes_the_text(editor_client, article):
    page = editor_client.get(reverse("admin:intake_article_change", args=[article.pk])).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt; plan &amp; more" in page
    assert "<b>bold</b>" not in page
    assert "<script>alert" not in page
    assert page.count('<mark class="intake-proposed"') == 2
    assert "quote.after" in page
    assert "navigation or link-bait line" in page
    assert "Accept all proposed statement drafts" in page


def test_accept_reject_and_accept_all(editor_client, editor, article):
    first, second = statement_drafts(article)
    url = reverse("admin:intake_draft_accept", args=[article.pk, first.pk])
    assert editor_client.post(url).status_code == 302
    statement = Statement.objects.get()
    assert (statement.text, statement.history.get().history_user) == ("We are close", editor)
    assert statement.citations.get().locator == "The Talks"
    editor_client.post(reverse("admin:intake_draft_reject", args=[article.pk, second.pk]))
    second.refresh_from_db()
    assert second.state == "rejected"
    # Nothing proposed is left: accept-all accepts nothing more.
    editor_client.post(reverse("admin:intake_draft_accept_kind", args=[article.pk, "statement"]))
    assert Statement.objects.count() == 1
    page = editor_client.get(reverse("admin:intake_article_change", args=[article.pk])).content.decode()
    assert 'class="intake-accepted"' in page
    assert 'class="intake-rejected"' in page


def test_accept_all_of_a_kind(editor_client, article):
    editor_client.post(reverse("admin:intake_draft_accept_kind", args=[article.pk, "statement"]))
    assert sorted(Statement.objects.values_list("certainty", flat=True)) == ["confirmed", "reported"]
    assert set(Draft.objects.filter(kind="statement").values_list("state", flat=True)) == {"accepted"}


def test_edit_then_accept_and_a_bad_edit(editor_client, article):
    draft = statement_drafts(article)[1]
    url = reverse("admin:intake_draft_edit", args=[article.pk, draft.pk])
    assert "a trap" in editor_client.get(url).content.decode()
    fields = dict(draft.fields, certainty="surely")
    response = editor_client.post(url, {"values": json.dumps(fields)})
    assert response.status_code == 200
    assert not Statement.objects.exists()
    fields["certainty"] = "confirmed"
    assert editor_client.post(url, {"values": json.dumps(fields)}).status_code == 302
    draft.refresh_from_db()
    assert (draft.state, Statement.objects.get().certainty) == ("edited", "confirmed")
    assert editor_client.post(url, {"values": "not json"}).status_code == 200


def test_the_review_is_in_an_editors_words(editor_client, trump, putin):
    """Names not slugs, dates as the admin shows them, the accepted fact a link, junk flagged."""
    text = (
        "Talks\n\n"
        'Senator Hanne Voss, a Republican from Ohio, told Fox News on January 12 that the plan was "dead".\n\n'
        '"We are close," Trump said on January 13.\n'
    )
    editor_client.post(
        reverse("admin:intake_article_add"),
        {
            "title": "Talks",
            "kind": "news",
            "published_on": "2026-01-14",
            "published_on_precision": "day",
            "language": "en",
            "text": text,
        },
    )
    article = Article.objects.get()
    trump_quote = article.drafts.get(kind="statement", fields__speaker="donald-trump")
    editor_client.post(reverse("admin:intake_draft_accept", args=[article.pk, trump_quote.pk]))
    page = editor_client.get(reverse("admin:intake_article_change", args=[article.pk])).content.decode()
    assert 'data-field="speaker" data-value="donald-trump">Donald Trump</dd>' in page
    assert 'data-field="speaker" data-value="hanne-voss">Hanne Voss (new)</dd>' in page
    assert 'data-field="said_on" data-value="2026-01-13">13 Jan 2026</dd>' in page
    assert ">Direct quote</dd>" in page
    statement = Statement.objects.get()
    assert f'href="{reverse("admin:statements_statement_change", args=[statement.pk])}"' in page
    assert '<p class="intake-flag">' not in page  # nothing here is junk


def test_junk_names_are_flagged():
    from apps.intake.review import junk_name

    assert junk_name("Brazilian", "person") == ["“Brazilian” is an adjective of nationality, not a person's full name."]
    assert junk_name("Chancellor Olaf Brandt", "person")
    assert junk_name("the Élysée", "person")
    assert junk_name("Hanne Voss", "person") == []
