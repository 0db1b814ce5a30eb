"""The review screen in an editor's words: a draft's fields as the admin shows facts.

Names, not slugs (an actor or topic in the database, or a new actor another draft proposes); dates
at their precision, as the admin shows them ("14 Jan 2026", "Aug 2025"); choices by their labels;
the accepted fact as a link to its admin page; and a flag on a speaker that is not a person's or an
organisation's name, so junk is seen before it is accepted. Two queries per page, not per draft.
"""

import re
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from apps.actors.models import Actor
from apps.core.dates import display_date
from apps.intake import services
from apps.intake.choices import DraftKind
from apps.intake.models import Draft
from apps.intake.speakers import NATIONALITY, TITLE_WORDS
from apps.topics.models import Topic

ACTOR_FIELDS = {"speaker", "about", "actor", "actors", "participants"}
DATE_FIELDS = {"said_on", "due_on", "starts_on", "ends_on", "valid_from", "valid_to"}
HIDDEN = {"date_precision"}  # shown with its date


@dataclass
class Row:
    name: str
    shown: str
    raw: str  # the stored value, for scripts and tests (data-value)
    label: str = ""


@dataclass
class Review:
    rows: list[Row]
    flags: list[str] = field(default_factory=list)
    fact_url: str = ""
    cues: list[tuple[str, str]] = field(default_factory=list)


def reviews(drafts: list[Draft]) -> dict[str, Review]:
    """Each draft's review, by draft id."""
    names = _actor_names(drafts)
    topics = _topic_names(drafts)
    facts = _fact_urls(drafts)
    return {
        str(d.pk): Review(_rows(d, names, topics), _flags(d, names), facts.get(str(d.pk), ""), _cues(d)) for d in drafts
    }


def _cues(draft: Draft) -> list[tuple[str, str]]:
    return [(name.replace("_", " ").capitalize(), str(value)) for name, value in draft.cues.items() if value]


def _actor_names(drafts: list[Draft]) -> dict[str, str]:
    slugs = {s for d in drafts for name in ACTOR_FIELDS for s in _as_list(d.fields.get(name))}
    known = dict(Actor.objects.filter(slug__in=slugs).values_list("slug", "name"))
    proposed = {d.fields["slug"]: f"{d.fields['name']} (new)" for d in drafts if d.kind == DraftKind.ACTOR}
    return {**proposed, **known}


def _topic_names(drafts: list[Draft]) -> dict[str, str]:
    slugs = {d.fields.get("topic") for d in drafts if d.fields.get("topic")}
    return dict(Topic.objects.filter(slug__in=slugs).values_list("slug", "name"))


def _fact_urls(drafts: list[Draft]) -> dict[str, str]:
    """The admin page of each accepted draft's fact (looked up by its public id, one query a kind)."""
    urls = {}
    for kind in {d.kind for d in drafts if d.fact_id}:
        model = services.serializer_for(kind).Meta.model
        accepted = {d.fact_id: str(d.pk) for d in drafts if d.kind == kind and d.fact_id}
        lookup = model.api_lookup_field
        for public, pk in model.objects.filter(**{f"{lookup}__in": list(accepted)}).values_list(lookup, "pk"):
            try:
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
            except NoReverseMatch:
                continue
            urls[accepted[str(public)]] = url
    return urls


def _rows(draft: Draft, names: dict[str, str], topics: dict[str, str]) -> list[Row]:
    model = services.serializer_for(draft.kind).Meta.model
    labels = _choice_labels(model)
    verbose = {f.name: str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    precision = draft.fields.get("date_precision")
    rows = []
    for name, value in draft.fields.items():
        if name in HIDDEN:
            continue
        raw = "" if value is None else ", ".join(_as_list(value)) if isinstance(value, list) else str(value)
        label = verbose.get(name, name.replace("_", " ")).capitalize()
        rows.append(Row(name, _shown(name, value, precision, names, topics, labels), raw, label))
    return rows


def _shown(name, value, precision, names, topics, labels) -> str:
    if name in DATE_FIELDS:
        return display_date(value, precision)
    if name in ACTOR_FIELDS:
        return ", ".join(names.get(s, s) for s in _as_list(value)) or "—"
    if name == "topic":
        return topics.get(value, value) if value else "— (choose one)"
    if value in (None, "", []):
        return "—"
    return labels.get(name, {}).get(value, str(value))


def _choice_labels(model) -> dict[str, dict[str, str]]:
    return {f.name: {str(k): str(v) for k, v in f.choices} for f in model._meta.fields if f.choices}


def _as_list(value) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value else []


def _flags(draft: Draft, names: dict[str, str]) -> list[str]:
    """Junk seen before it is accepted: a speaker or new actor that is not a person's or an organisation's name."""
    if draft.kind == DraftKind.STATEMENT:
        speaker = draft.fields.get("speaker")
        if not speaker:
            return ["No speaker: choose one before accepting."]
        if speaker not in names:
            return [f"Speaker “{speaker}” is neither an actor nor a proposed new actor."]
    if draft.kind == DraftKind.ACTOR:
        return junk_name(draft.fields.get("name", ""), draft.fields.get("kind", ""))
    return []


def junk_name(name: str, kind: str) -> list[str]:
    words = name.split()
    if kind == "person" and len(words) == 1:
        what = "an adjective of nationality" if NATIONALITY.match(name) else "a single word"
        return [f"“{name}” is {what}, not a person's full name."]
    if words and words[0].lower().strip(".") in TITLE_WORDS - {"the"}:
        return [f"“{name}” starts with a title: the name is without it."]
    if kind == "person" and re.match(r"^the\s", name, re.I):
        return [f"“{name}” is a place or an institution, not a person."]
    return []
