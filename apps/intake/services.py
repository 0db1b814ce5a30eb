"""Intake's writes: an article with its drafts, and an editor's accept or reject of a draft.

Accepting never writes a fact row itself: the draft's fields (plus the editor's
overrides, plus a citation of the article's source) go through the resource's
own API serializer, whose ``save`` is ``apps.core.record.services.create`` – the same
validation, one version recorded under the editor, as any API write.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework import serializers

from apps.actors.models import Actor
from apps.core.record import services as core_services
from apps.intake import extract as extraction
from apps.intake.choices import DraftKind, DraftState
from apps.intake.facts import TopicRef
from apps.intake.html import html_to_text, is_html
from apps.intake.models import Article, Draft
from apps.sources.models import Source
from apps.statements.models import Statement
from apps.topics.models import Topic


class DraftConflict(Exception):
    """The draft cannot be accepted or rejected in its state, or duplicates a fact."""

    def __init__(self, message: str, code: str = "conflict"):
        super().__init__(message)
        self.code = code


def serializer_for(kind: str) -> Any:
    """The API serializer a draft of ``kind`` is accepted through."""
    from apps.actors.api.serializers import ActorSerializer
    from apps.deadlines.api.serializers import DeadlineSerializer
    from apps.events.api.serializers import EventSerializer
    from apps.positions.api.serializers import PositionSerializer
    from apps.statements.api.serializers import StatementSerializer

    serializers_by_kind: dict[str, Any] = {
        DraftKind.STATEMENT: StatementSerializer,
        DraftKind.EVENT: EventSerializer,
        DraftKind.DEADLINE: DeadlineSerializer,
        DraftKind.ACTOR: ActorSerializer,
        DraftKind.POSITION: PositionSerializer,
    }
    return serializers_by_kind[kind]


def known_topics() -> tuple[TopicRef, ...]:
    return tuple(TopicRef(*row) for row in Topic.objects.values_list("slug", "name", "description"))


def known_actors() -> list[extraction.ActorRef]:
    return [
        extraction.ActorRef(slug, name, kind, tuple(a for a in aliases if isinstance(a, str)))
        for slug, name, kind, aliases in Actor.objects.values_list("slug", "name", "kind", "aliases")
    ]


def find_duplicate(fields: dict) -> Statement | None:
    """A statement already in the database by the same speaker with the same words."""
    if fields.get("kind") != "direct_quote" or not fields.get("speaker") or not fields.get("text"):
        return None
    key = extraction.quote_key(fields["text"])
    for statement in Statement.objects.filter(speaker__slug=fields["speaker"], kind="direct_quote").only("id", "text"):
        if extraction.quote_key(statement.text) == key:
            return statement
    return None


def create_article(*, data: dict, user=None) -> Article:
    """Store the article (HTML reduced to text), extract its drafts, flag duplicates: one transaction."""
    data = dict(data)
    text = data.pop("text")
    if is_html(text):
        text = html_to_text(text)
    # Browsers send a textarea's line ends as CRLF (the admin's form); the API's JSON usually has LF.
    # One form, so the same article gives the same text, spans and excerpts however it was pasted.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    article = Article(**data, text=text, created_by=user if user and user.is_authenticated else None)
    article.full_clean(validate_constraints=False)  # clean() names the field; the database holds the rest
    result = extraction.extract(
        article.text,
        published_on=article.published_on,
        precision=article.published_on_precision,
        actors=known_actors(),
        title=article.title,
        topics=known_topics(),
    )
    article.exclusions = [e.as_dict() for e in result.exclusions]
    with transaction.atomic():
        article.save()
        Draft.objects.bulk_create(
            [
                Draft(
                    article=article,
                    ordinal=n,
                    kind=p.kind,
                    fields=p.fields,
                    start=p.start,
                    end=p.end,
                    locator=p.locator[:200],
                    rule=p.rule,
                    cues=p.cues,
                    duplicate_of=find_duplicate(p.fields) if p.kind == DraftKind.STATEMENT else None,
                )
                for n, p in enumerate(result.proposals)
            ]
        )
    return article


def article_source(article: Article, *, user=None) -> Source:
    """The source accepted facts cite: the article's, else one with its URL, else a new one."""
    if article.source is not None:
        return article.source
    source = Source.objects.filter(url=article.url).first() if article.url else None
    if source is None:
        source = core_services.create(
            Source,
            data={
                "title": article.title,
                "url": article.url or None,
                "publisher": article.publisher,
                "author": article.author,
                "kind": article.kind,
                "published_on": article.published_on,
                "published_on_precision": article.published_on_precision,
                "retrieved_on": article.created_at.date() if article.created_at else datetime.date.today(),
                "language": article.language,
            },
            user=user,
        )
    Article.objects.filter(pk=article.pk).update(source=source)
    article.source = source
    return source


def accept(draft: Draft, *, user, overrides: dict | None = None, request=None):
    """Create the draft's fact through the write path, cited to the article; the draft is then accepted
    (or edited, when ``overrides`` changed a field). Raises ``DraftConflict`` (not proposed, or a duplicate)
    and DRF's ``ValidationError`` (the fields do not make a valid fact; nothing is written)."""
    overrides = overrides or {}
    with transaction.atomic():
        draft = Draft.objects.select_for_update().select_related("article").get(pk=draft.pk)
        if draft.state != DraftState.PROPOSED:
            raise DraftConflict(f"This draft is already {draft.state}.", code="not_proposed")
        fields = {**draft.fields, **overrides}
        if draft.kind == DraftKind.STATEMENT and (duplicate := find_duplicate(fields)):
            Draft.objects.filter(pk=draft.pk).update(duplicate_of=duplicate)
            raise DraftConflict(
                f"Statement {duplicate.pk} already has this speaker and these words: not created again.",
                code="duplicate",
            )
        data = {k: v for k, v in fields.items() if v is not None or k in ("said_on", "event")}
        if draft.kind != DraftKind.ACTOR:
            source = article_source(draft.article, user=user)
            data["citations"] = [
                {
                    "source": str(source.pk),
                    "excerpt": draft.span_text.strip()[:1000],
                    "locator": draft.locator[:200],
                    "note": "Accepted from an intake draft.",
                }
            ]
        serializer = serializer_for(draft.kind)(data=data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            fact = serializer.save(user=user)
        except ValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from None
        draft.state = DraftState.EDITED if fields != draft.fields else DraftState.ACCEPTED
        draft.fields = fields
        draft.fact_id = str(fact.public_id)
        draft.reviewed_by = user
        draft.reviewed_at = timezone.now()
        draft.save(update_fields=["state", "fields", "fact_id", "reviewed_by", "reviewed_at", "updated_at"])
    return fact


def reject(draft: Draft, *, user) -> Draft:
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if draft.state != DraftState.PROPOSED:
            raise DraftConflict(f"This draft is already {draft.state}.", code="not_proposed")
        draft.state = DraftState.REJECTED
        draft.reviewed_by = user
        draft.reviewed_at = timezone.now()
        draft.save(update_fields=["state", "reviewed_by", "reviewed_at", "updated_at"])
    return draft
