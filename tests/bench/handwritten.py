"""Hand-written views of the pages the benchmark requests: the floor the API is measured against.

Each builds the same JSON as the API's page (``results`` compared on the first
run) with ``.values()`` queries – the same number of queries as the API – plain
dicts and orjson, and none of DRF's serializers, views or renderers. They live
here, in the benchmark, never in the product.
"""

import datetime

import orjson
from django.db.models import F, Q
from django.utils import timezone

from apps.actors.models import Actor
from apps.core.models import Change
from apps.core.query.ordering import sort_key
from apps.deadlines.models import Deadline, DeadlineCitation, precision_end
from apps.events.models import Event, EventCitation
from apps.positions.models import Position, PositionCitation
from apps.sources.models import Source
from apps.statements.models import Statement, StatementCitation

ACTOR = ("slug", "name", "kind")
TOPIC = ("slug", "name")
SOURCE = ("id", "title", "publisher", "url")
EVERY = Q()  # no filter
FACT = ("id", "version", "created_at", "updated_at", "certainty", "date_precision")


def ordered(qs, ordering: list[str]):
    """``ordering`` as the API sorts it: nullable fields by their never-NULL key, the id last."""
    keys, order = {}, []
    for entry in ordering:
        name, descending = entry.lstrip("-"), entry.startswith("-")
        field = qs.model._meta.get_field(name)
        if field.null:
            keys[f"_k_{name}"] = sort_key(name, type(field), descending=descending)
            name = f"_k_{name}"
        order.append(F(name).desc() if descending else F(name).asc())
    if "id" not in [e.lstrip("-") for e in ordering] and "slug" not in [e.lstrip("-") for e in ordering]:
        order.append(F("id").desc() if ordering[-1].startswith("-") else F("id").asc())
    return qs.alias(**keys).order_by(*order)


def brief(row: dict, prefix: str, fields) -> dict:
    return {name: row[f"{prefix}__{name}"] for name in fields}


def links(model, field_name: str, fact_field: str, ids: list, fields) -> dict:
    """Fact id → brief dicts of a many-to-many field, in the target's own order (name, slug)."""
    through = model._meta.get_field(field_name).remote_field.through
    target = model._meta.get_field(field_name).related_model._meta.model_name
    columns = [f"{target}__{name}" for name in fields]
    rows = through.objects.filter(**{f"{fact_field}__in": ids}).order_by(f"{target}__name", f"{target}__slug")
    found: dict = {}
    for row in rows.values(fact_field, *columns):
        found.setdefault(row[fact_field], []).append(brief(row, target, fields))
    return found


def citations(model, fact_field: str, ids: list) -> dict:
    columns = [f"source__{name}" for name in SOURCE]
    rows = model.objects.filter(**{f"{fact_field}__in": ids}).order_by("ordinal", "created_at", "id")
    found: dict = {}
    for row in rows.values(fact_field, "excerpt", "locator", "note", *columns):
        found.setdefault(row[fact_field], []).append(
            {
                "source": brief(row, "source", SOURCE),
                "excerpt": row["excerpt"],
                "locator": row["locator"],
                "note": row["note"],
            }
        )
    return found


def evidence(model, fact_field: str, ids: list) -> dict:
    """Fact id → its ``evidence`` object: the statements and events it rests on, in brief, in their lists' order."""
    found: dict = {i: {"statements": [], "events": []} for i in ids}
    statements = model._meta.get_field("evidence_statements").remote_field.through
    rows = statements.objects.filter(**{f"{fact_field}__in": ids}).order_by("-statement__said_on", "-statement__id")
    speaker = [f"statement__speaker__{n}" for n in ACTOR]
    for r in rows.values(
        fact_field,
        "statement__id",
        "statement__kind",
        "statement__text",
        "statement__said_on",
        "statement__date_precision",
        *speaker,
    ):
        found[r[fact_field]]["statements"].append(
            {
                "id": r["statement__id"],
                "speaker": {n: r[f"statement__speaker__{n}"] for n in ACTOR},
                "kind": r["statement__kind"],
                "text": r["statement__text"],
                "said_on": r["statement__said_on"],
                "date_precision": r["statement__date_precision"],
            }
        )
    events = model._meta.get_field("evidence_events").remote_field.through
    rows = events.objects.filter(**{f"{fact_field}__in": ids}).order_by("-event__starts_on", "-event__id")
    fields = ("id", "title", "kind", "starts_on", "ends_on", "date_precision")
    for r in rows.values(fact_field, *(f"event__{n}" for n in fields)):
        found[r[fact_field]]["events"].append(brief(r, "event", fields))
    return found


def page(results: list[dict]) -> bytes:
    # The cursor links are left out of the floor: the API's cost of them is a few microseconds.
    return orjson.dumps({"next": None, "previous": None, "results": results}, option=orjson.OPT_UTC_Z)


def statements(where: Q = EVERY, ordering=("-said_on",), size: int = 50) -> bytes:
    qs = ordered(Statement.objects.all(), list(ordering)).filter(where)[:size]
    rows = list(
        qs.values(
            *FACT, "text", "kind", "said_on", "event_id", "medium", "assessment", *(f"speaker__{n}" for n in ACTOR)
        )
    )
    ids = [row["id"] for row in rows]
    about = links(Statement, "about", "statement_id", ids, ACTOR)
    topics = links(Statement, "topics", "statement_id", ids, TOPIC)
    cites = citations(StatementCitation, "statement_id", ids)
    return page(
        [
            {
                "id": r["id"],
                "speaker": brief(r, "speaker", ACTOR),
                "text": r["text"],
                "kind": r["kind"],
                "said_on": r["said_on"],
                "date_precision": r["date_precision"],
                "certainty": r["certainty"],
                "event": r["event_id"],
                "medium": r["medium"],
                "about": about.get(r["id"], []),
                "topics": topics.get(r["id"], []),
                "assessment": r["assessment"],
                "citations": cites.get(r["id"], []),
                "version": r["version"],
                "created_at": r["created_at"],
                "updated_at": r["updated_at"],
            }
            for r in rows
        ]
    )


def events(where: Q = EVERY, ordering=("-starts_on",), size: int = 50) -> bytes:
    qs = ordered(Event.objects.all(), list(ordering)).filter(where)[:size]
    rows = list(qs.values(*FACT, "title", "kind", "description", "starts_on", "ends_on", "location"))
    ids = [row["id"] for row in rows]
    people = links(Event, "participants", "event_id", ids, ACTOR)
    topics = links(Event, "topics", "event_id", ids, TOPIC)
    cites = citations(EventCitation, "event_id", ids)
    return page(
        [
            {
                "id": r["id"],
                "title": r["title"],
                "kind": r["kind"],
                "description": r["description"],
                "starts_on": r["starts_on"],
                "ends_on": r["ends_on"],
                "date_precision": r["date_precision"],
                "certainty": r["certainty"],
                "location": r["location"],
                "participants": people.get(r["id"], []),
                "topics": topics.get(r["id"], []),
                "citations": cites.get(r["id"], []),
                "version": r["version"],
                "created_at": r["created_at"],
                "updated_at": r["updated_at"],
            }
            for r in rows
        ]
    )


def positions(where: Q = EVERY, ordering=("-valid_from",), size: int = 50) -> bytes:
    qs = ordered(Position.objects.all(), list(ordering)).filter(where)[:size]
    rows = list(
        qs.values(
            *FACT,
            "stance",
            "summary",
            "valid_from",
            "valid_to",
            *(f"actor__{n}" for n in ACTOR),
            *(f"topic__{n}" for n in TOPIC),
        )
    )
    cites = citations(PositionCitation, "position_id", [row["id"] for row in rows])
    proofs = evidence(Position, "position_id", [row["id"] for row in rows])
    return page(
        [
            {
                "id": r["id"],
                "actor": brief(r, "actor", ACTOR),
                "topic": brief(r, "topic", TOPIC),
                "stance": r["stance"],
                "summary": r["summary"],
                "valid_from": r["valid_from"],
                "valid_to": r["valid_to"],
                "date_precision": r["date_precision"],
                "certainty": r["certainty"],
                "citations": cites.get(r["id"], []),
                "evidence": proofs[r["id"]],
                "version": r["version"],
                "created_at": r["created_at"],
                "updated_at": r["updated_at"],
            }
            for r in rows
        ]
    )


def deadlines(where: Q = EVERY, ordering=("due_on",), size: int = 50) -> bytes:
    qs = ordered(Deadline.objects.all(), list(ordering)).filter(where)[:size]
    rows = list(qs.values(*FACT, "title", "kind", "description", "due_on", "status", "outcome"))
    ids = [row["id"] for row in rows]
    actors = links(Deadline, "actors", "deadline_id", ids, ACTOR)
    topics = links(Deadline, "topics", "deadline_id", ids, TOPIC)
    cites = citations(DeadlineCitation, "deadline_id", ids)
    proofs = evidence(Deadline, "deadline_id", ids)
    today = timezone.localdate()
    return page(
        [
            {
                "id": r["id"],
                "title": r["title"],
                "kind": r["kind"],
                "description": r["description"],
                "due_on": r["due_on"],
                "date_precision": r["date_precision"],
                "status": r["status"],
                "overdue": r["status"] == "upcoming" and precision_end(r["due_on"], r["date_precision"]) < today,
                "outcome": r["outcome"],
                "certainty": r["certainty"],
                "actors": actors.get(r["id"], []),
                "topics": topics.get(r["id"], []),
                "citations": cites.get(r["id"], []),
                "evidence": proofs[r["id"]],
                "version": r["version"],
                "created_at": r["created_at"],
                "updated_at": r["updated_at"],
            }
            for r in rows
        ]
    )


def actors(where: Q = EVERY, ordering=("name", "slug"), size: int = 50) -> bytes:
    fields = ("slug", "name", "kind", "aliases", "description", "country", "wikidata_id", "version")
    qs = Actor.objects.filter(where).order_by(*ordering, "slug")[:size]
    return page(list(qs.values(*fields, "created_at", "updated_at")))


def sources(where: Q = EVERY, ordering=("-published_on",), size: int = 50) -> bytes:
    fields = ("id", "title", "url", "publisher", "author", "kind", "published_on", "published_on_precision")
    qs = ordered(Source.objects.all(), list(ordering)).filter(where)[:size]
    return page(list(qs.values(*fields, "retrieved_on", "language", "version", "created_at", "updated_at")))


def statement_item(pk) -> bytes:
    body = orjson.loads(statements(Q(pk=pk), size=1))["results"][0]
    return orjson.dumps(body, option=orjson.OPT_UTC_Z)


def statement_history(pk) -> bytes:
    history = Statement.history.model.objects.filter(id=pk).order_by("-version")[:50]
    rows = history.values("version", "history_date", "history_user__username", "change", "changed_fields", "data")
    return page(
        [
            {
                "version": r["version"],
                "recorded_at": r["history_date"],
                "recorded_by": r["history_user__username"],
                "change": r["change"],
                "changed_fields": r["changed_fields"],
                "data": r["data"],
            }
            for r in rows
        ]
    )


def statements_as_of(when: datetime.datetime, size: int = 50) -> bytes:
    history = Statement.history.model.objects.filter(
        Q(superseded_at__gt=when) | Q(superseded_at__isnull=True), history_date__lte=when
    ).exclude(change="deleted")
    return page([row["data"] for row in ordered(history, ["-said_on"])[:size].values("data")])


def changes(size: int = 50, base: str = "http://testserver") -> bytes:
    rows = Change.objects.order_by("id")[:size].values("resource", "object_id", "version", "change", "recorded_at")
    results = []
    for r in rows:
        path = f"{base}/api/v1/{r['resource']}/{r['object_id']}/"
        results.append(
            {
                "resource": r["resource"],
                "id": r["object_id"],
                "version": r["version"],
                "change": r["change"],
                "recorded_at": r["recorded_at"],
                "url": path,
                "version_url": f"{path}history/{r['version']}/",
            }
        )
    return page(results)
