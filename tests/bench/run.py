"""``make bench``: every list, filter and ordering, q, a deep page, an item and the record-time endpoints,
requested in-process through the whole Django stack (``django.test.Client``: middleware, URL resolver,
DRF, renderer), against the hand-written view of the same page (``tests/bench/handwritten.py``), served
through the same stack (``tests/bench/urls.py``).

Run on a database filled by ``manage.py generate_synthetic`` (PostgreSQL through ``DATABASE_URL``; SQLite
works, without EXPLAIN). Per request: p50 and p90 wall time, SQL queries, response bytes, the ratio of
p50 to the hand-written view's p50 (``×hand``: 1.00 is the floor, larger is slower; ``hand`` is that p50),
the ratio to the hand-written function called bare, without HTTP (``×bare``), the ratio to the
*unfiltered* hand-written view of the same list (``×list``), and the database's own execution time summed
over the request's queries from ``EXPLAIN (ANALYZE)``.

It lives under tests/ because it is test tooling, like the test suite: the top level of the repository is
fixed (DESIGN.md) and the product (apps/) must not carry benchmark views.

Options (environment): ``BENCH_ONLY=statements`` limits to cases whose name starts with it;
``BENCH_RUNS`` is the most timed runs per case (default 15; fewer when a case is slow).
"""

import base64
import datetime
import json
import logging
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsapi.settings")
django.setup()

import orjson  # noqa: E402
from django.core import signals  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.db.models import BooleanField, Count, Q  # noqa: E402
from django.db.models.expressions import RawSQL  # noqa: E402
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.actors.models import Actor  # noqa: E402
from apps.deadlines.models import Deadline, overdue_condition  # noqa: E402
from apps.events.models import Event  # noqa: E402
from apps.sources.models import Source  # noqa: E402
from apps.statements.models import Statement  # noqa: E402
from apps.topics.models import Topic  # noqa: E402
from tests.bench import handwritten as hw  # noqa: E402
from tests.bench.urls import PAGES  # noqa: E402

API = "/api/v1"
STATEMENT_SEARCH = ("text", "medium", "assessment", "speaker__name", "speaker__aliases")
POSITION_SEARCH = ("summary", "actor__name", "actor__aliases", "topic__name")


def through(model, field: str):
    return model._meta.get_field(field).remote_field.through


def linked(model, field: str, *target_ids) -> Q:
    """Rows linked to any of ``target_ids`` in many-to-many ``field``, as a subquery (no DISTINCT)."""
    table = through(model, field)
    fact = model._meta.model_name + "_id"
    target = model._meta.get_field(field).related_model._meta.model_name + "_id"
    return Q(pk__in=table.objects.filter(**{f"{target}__in": target_ids}).values(fact))


def search(fields, term: str) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": term})
    return condition


def full_text(table: str, fields, q: str, *words: str) -> Q:
    """As written by hand: the full-text vector on PostgreSQL; on SQLite each of ``words`` (the words ``q``
    requires) a substring of some field (a hand-written page without the exclusions and alternatives)."""
    if connection.vendor == "postgresql":
        sql = f"{table}.search_vector @@ websearch_to_tsquery('simple', %s)"
        return Q(RawSQL(sql, [q], output_field=BooleanField()))
    condition = Q()
    for word in words:
        condition &= search(fields, word)
    return condition


def statement_search(q: str, *words: str) -> Q:
    return full_text("statements_statement", STATEMENT_SEARCH, q, *words)


def cursor_for(model, ordering: list[str], depth: int) -> tuple[str, Q]:
    """The cursor of the page ``depth`` rows in, and the hand-written keyset condition of it."""
    depth = min(depth, model.objects.count() - 1)
    row = hw.ordered(model.objects.all(), ordering)[depth - 1 : depth].values("id", ordering[0].lstrip("-")).get()
    name = ordering[0].lstrip("-")
    value = row[name]
    if value is None:
        value = datetime.date.min if ordering[0].startswith("-") else datetime.date.max
    payload = {"o": [*ordering, "-id"], "v": [value.isoformat(), str(row["id"])], "b": False}
    raw = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")
    return raw, Q(**{f"_k_{name}__lt": value}) | Q(**{f"_k_{name}": value, "id__lt": row["id"]})


def cases():
    """(name, url, params, hand-written page) per case; a hand-written page of None: the API must refuse the
    request with a 400, and the refusal is timed."""
    speaker = Actor.objects.annotate(n=Count("statements")).order_by("-n").values_list("id", "slug")[0]
    about = Actor.objects.order_by("id").values_list("id", "slug")[5]
    topic = Topic.objects.order_by("id").values_list("id", "slug")[7]
    other_topic = Topic.objects.order_by("id").values_list("id", "slug")[8]
    other_about = Actor.objects.order_by("id").values_list("id", "slug")[6]
    # The two topics on fewest statements: matched by a subquery, the list's index was walked far to fill a page.
    rare = Topic.objects.annotate(n=Count("statements")).filter(n__gt=0).order_by("n").values_list("id", "slug")
    rare = list(rare[:2])
    event = Statement.objects.exclude(event=None).values_list("event_id", flat=True).first()
    state = Actor.objects.filter(kind="state").values_list("country", flat=True).first()
    publisher = Source.objects.values_list("publisher", flat=True).first()

    st = f"{API}/statements/"
    yield ("statements", st, {}, lambda: hw.statements())
    month = {"date_from": "2010-03-01", "date_to": "2010-03-31"}
    # As anyone writing it by hand would: the range on the expression the sort index holds.
    said_key = hw.sort_key("said_on", descending=True)
    said_key_range = Q(GreaterThanOrEqual(said_key, "2010-03-01")) & Q(LessThanOrEqual(said_key, "2010-03-31"))
    for label, params, where in [
        ("speaker", {"speaker": speaker[1]}, Q(speaker_id=speaker[0])),
        ("about", {"about": about[1]}, linked(Statement, "about", about[0])),
        ("topic", {"topic": topic[1]}, linked(Statement, "topics", topic[0])),
        ("event", {"event": str(event)}, Q(event_id=event)),
        ("kind", {"kind": "paraphrase"}, Q(kind="paraphrase")),
        ("certainty", {"certainty": "disputed"}, Q(certainty="disputed")),
        ("date range", month, Q(said_on__gte="2010-03-01", said_on__lte="2010-03-31") & said_key_range),
        ("q", {"q": "ceasefire"}, statement_search("ceasefire", "ceasefire")),
        ("q, no match", {"q": "zaporizhzhia"}, statement_search("zaporizhzhia", "zaporizhzhia")),
        ("q, 2 words", {"q": "ceasefire veto"}, statement_search("ceasefire veto", "ceasefire", "veto")),
        ("q, phrase", {"q": '"ceasefire veto"'}, statement_search('"ceasefire veto"', "ceasefire veto")),
        ("q, phrase or phrase", {"q": '"ceasefire veto" or "ceasefire proposal"'},
         statement_search('"ceasefire veto" or "ceasefire proposal"', "ceasefire")),
        ("q, -word", {"q": "ceasefire -talks"}, statement_search("ceasefire -talks", "ceasefire")),
        ("q, or", {"q": "veto or ultimatum"}, statement_search("veto or ultimatum", "veto")),
        ("q, name", {"q": "anna"}, statement_search("anna", "anna")),
        # The hand-written page is the unranked one: relevance ranks and sorts every match (here about 600).
        ("q, relevance", {"q": '"ceasefire veto" ultimatum', "ordering": "relevance"},
         statement_search('"ceasefire veto" ultimatum', "ceasefire veto", "ultimatum")),
        # More matches than SEARCH_RANK_LIMIT: refused (400) after counting to the limit.
        ("q, relevance refused", {"q": "ceasefire or veto", "ordering": "relevance"}, None),
        ("2 topics", {"topic": [topic[1], other_topic[1]]}, linked(Statement, "topics", topic[0], other_topic[0])),
        ("2 rare topics", {"topic": [t[1] for t in rare]}, linked(Statement, "topics", *[t[0] for t in rare])),
        ("2 abouts", {"about": [about[1], other_about[1]]}, linked(Statement, "about", about[0], other_about[0])),
        ("2 topics+certainty", {"topic": [topic[1], other_topic[1]], "certainty": "disputed"},
         linked(Statement, "topics", topic[0], other_topic[0]) & Q(certainty="disputed")),
        ("topic+date range", {"topic": topic[1], **month}, linked(Statement, "topics", topic[0])
         & Q(said_on__gte="2010-03-01", said_on__lte="2010-03-31") & said_key_range),
        ("2 topics+date range", {"topic": [topic[1], other_topic[1]], **month},
         linked(Statement, "topics", topic[0], other_topic[0])
         & Q(said_on__gte="2010-03-01", said_on__lte="2010-03-31") & said_key_range),
        ("speaker+topic", {"speaker": speaker[1], "topic": topic[1]}, Q(speaker_id=speaker[0])
         & linked(Statement, "topics", topic[0])),
        ("topic+certainty", {"topic": topic[1], "certainty": "disputed"}, linked(Statement, "topics", topic[0])
         & Q(certainty="disputed")),
    ]:  # fmt: skip
        yield (f"statements {label}", st, params, None if where is None else lambda w=where: hw.statements(w))
    for order in ("said_on", "created_at", "-created_at", "updated_at", "-updated_at"):
        yield (f"statements ordering={order}", st, {"ordering": order}, lambda o=order: hw.statements(ordering=[o]))
    for order in ("created_at", "-updated_at"):
        yield (
            f"statements topic, ordering={order}",
            st,
            {"topic": topic[1], "ordering": order},
            lambda o=order: hw.statements(linked(Statement, "topics", topic[0]), ordering=[o]),
        )
    cursor, keyset = cursor_for(Statement, ["-said_on"], 200 * 50)
    yield ("statements page 201", st, {"cursor": cursor}, lambda k=keyset: hw.statements(k))
    pk = Statement.objects.values_list("id", flat=True).first()
    yield ("statement item", f"{st}{pk}/", {}, lambda: hw.statement_item(pk))
    yield ("statement history", f"{st}{pk}/history/", {}, lambda: hw.statement_history(pk))
    when = timezone.now()
    as_of = when.isoformat().replace("+00:00", "Z")
    yield ("statements as_of", st, {"as_of": as_of}, lambda: hw.statements_as_of(when))
    yield ("changes feed", f"{API}/changes/", {}, lambda: hw.changes())

    ev = f"{API}/events/"
    yield ("events", ev, {}, lambda: hw.events())
    for label, params, where in [
        ("participant", {"participant": about[1]}, linked(Event, "participants", about[0])),
        ("topic", {"topic": topic[1]}, linked(Event, "topics", topic[0])),
        (
            "2 participants",
            {"participant": [about[1], other_about[1]]},
            linked(Event, "participants", about[0], other_about[0]),
        ),
        ("kind", {"kind": "summit"}, Q(kind="summit")),
        ("certainty", {"certainty": "disputed"}, Q(certainty="disputed")),
        ("date range", month, Q(starts_on__gte="2010-03-01", starts_on__lte="2010-03-31")),
        (
            "q",
            {"q": "ceasefire"},
            full_text("events_event", ("title", "description", "location"), "ceasefire", "ceasefire"),
        ),
    ]:
        yield (f"events {label}", ev, params, lambda w=where: hw.events(w))
    for order in ("starts_on", "created_at", "-updated_at"):
        yield (f"events ordering={order}", ev, {"ordering": order}, lambda o=order: hw.events(ordering=[o]))

    po = f"{API}/positions/"
    yield ("positions", po, {}, lambda: hw.positions())

    # As anyone writing it by hand would: "ends after, or never" and "starts before, or always" on the
    # sort keys, where NULL is already the far end, so that the index on the start's key serves it.
    def overlaps(first: datetime.date, last: datetime.date) -> Q:
        ends = GreaterThanOrEqual(hw.sort_key("valid_to", descending=False), first)
        starts = LessThanOrEqual(hw.sort_key("valid_from", descending=True), last)
        return Q(ends) & Q(starts)

    span = overlaps(datetime.date(2010, 3, 1), datetime.date(2010, 3, 31))
    day = overlaps(datetime.date(2010, 3, 15), datetime.date(2010, 3, 15))
    for label, params, where in [
        ("actor", {"actor": speaker[1]}, Q(actor_id=speaker[0])),
        ("topic", {"topic": topic[1]}, Q(topic_id=topic[0])),
        ("stance", {"stance": "rejects"}, Q(stance="rejects")),
        ("certainty", {"certainty": "disputed"}, Q(certainty="disputed")),
        ("date range", month, span),
        ("valid_at", {"valid_at": "2010-03-15"}, day),
        ("current", {"current": "true"}, Q(valid_to=None)),
        ("q", {"q": "ceasefire"}, full_text("positions_position", POSITION_SEARCH, "ceasefire", "ceasefire")),
    ]:
        yield (f"positions {label}", po, params, lambda w=where: hw.positions(w))
    for order in ("valid_from", "valid_to", "-valid_to", "created_at", "-updated_at"):
        yield (f"positions ordering={order}", po, {"ordering": order}, lambda o=order: hw.positions(ordering=[o]))

    de = f"{API}/deadlines/"
    yield ("deadlines", de, {}, lambda: hw.deadlines())
    for label, params, where in [
        ("actor", {"actor": about[1]}, linked(Deadline, "actors", about[0])),
        ("topic", {"topic": topic[1]}, linked(Deadline, "topics", topic[0])),
        ("2 actors", {"actor": [about[1], other_about[1]]}, linked(Deadline, "actors", about[0], other_about[0])),
        ("status", {"status": "missed"}, Q(status="missed")),
        ("kind", {"kind": "vote"}, Q(kind="vote")),
        ("certainty", {"certainty": "disputed"}, Q(certainty="disputed")),
        ("overdue", {"overdue": "true"}, overdue_condition()),
        ("date range", month, Q(due_on__gte="2010-03-01", due_on__lte="2010-03-31")),
        (
            "q",
            {"q": "ceasefire"},
            full_text("deadlines_deadline", ("title", "description", "outcome"), "ceasefire", "ceasefire"),
        ),
    ]:
        yield (f"deadlines {label}", de, params, lambda w=where: hw.deadlines(w))
    for order in ("-due_on", "created_at", "-updated_at"):
        yield (f"deadlines ordering={order}", de, {"ordering": order}, lambda o=order: hw.deadlines(ordering=[o]))

    ac = f"{API}/actors/"
    yield ("actors", ac, {}, lambda: hw.actors())
    yield ("actors kind", ac, {"kind": "state"}, lambda: hw.actors(Q(kind="state")))
    yield ("actors country", ac, {"country": state}, lambda: hw.actors(Q(country=state)))
    actor_q = search(("name", "slug", "aliases", "description"), "anna")
    yield ("actors q", ac, {"q": "anna"}, lambda: hw.actors(actor_q))
    for order in ("-name", "slug", "-created_at"):
        yield (f"actors ordering={order}", ac, {"ordering": order}, lambda o=order: hw.actors(ordering=[o]))

    so = f"{API}/sources/"
    published_key = hw.sort_key("published_on", descending=True)
    yield ("sources", so, {}, lambda: hw.sources())
    for label, params, where in [
        ("kind", {"kind": "treaty_text"}, Q(kind="treaty_text")),
        ("publisher", {"publisher": publisher}, Q(publisher__iexact=publisher)),
        (
            "date range",
            month,
            Q(GreaterThanOrEqual(published_key, "2010-03-01")) & Q(LessThanOrEqual(published_key, "2010-03-31")),
        ),
        ("q", {"q": "ceasefire"}, search(("title", "publisher", "author", "url"), "ceasefire")),
    ]:
        yield (f"sources {label}", so, params, lambda w=where: hw.sources(w))
    for order in ("published_on", "title", "-created_at"):
        yield (f"sources ordering={order}", so, {"ordering": order}, lambda o=order: hw.sources(ordering=[o]))


def timed(call, runs: int) -> list[float]:
    times = []
    budget = time.monotonic() + 3.0  # a slow case gets fewer runs (at least 3)
    for i in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
        if i >= 2 and time.monotonic() > budget:
            break
    return times


def explain_ms(queries) -> float | None:
    """The database's execution time of the queries, from EXPLAIN (ANALYZE), in ms (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return None
    total = 0.0
    with connection.cursor() as cursor:
        for query in queries:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            total += plan[0]["Execution Time"]
    return total


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> int:
    setup_test_environment()  # lets the test client's host in; DEBUG stays as configured
    # One connection for the whole run, as a server with persistent connections keeps (CONN_MAX_AGE).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    override_settings(ROOT_URLCONF="tests.bench.urls").enable()  # the hand-written views beside the API
    client = Client()
    # Every case is built, not read from the shared page cache (a request's "no-cache" asks for that);
    # the cache and revalidation are timed apart, at the end.
    built = Client(HTTP_CACHE_CONTROL="no-cache")
    runs = int(os.environ.get("BENCH_RUNS", "15"))
    only = os.environ.get("BENCH_ONLY", "")
    print(f"database: {connection.vendor}, {Statement.objects.count():,} statements; p50/p90 in ms")
    header = f"{'request':<34} {'p50':>8} {'p90':>8} {'hand':>7} {'×hand':>6} {'×bare':>6} {'×list':>6} {'qs':>3}"
    header += f" {'bytes':>8} {'db ms':>8}"
    print(header)
    print("-" * len(header))
    floors: dict[str, float] = {}
    mismatches = 0
    for name, url, params, hand in cases():
        if only and not name.startswith(only):
            continue
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = built.get(url, params)
        if hand is None:  # a request the API refuses (400): how much its refusal costs, next to the list
            if response.status_code != 400:
                print(f"{name:<34} expected a 400, got HTTP {response.status_code}")
                mismatches += 1
                continue
            queries = ctx.captured_queries  # now: later requests reset the connection's query log
            db = explain_ms(queries)
            logging.getLogger("django.request").setLevel(logging.ERROR)  # not a warning per timed 400
            api_times = timed(lambda u=url, pa=params: built.get(u, pa), runs)
            logging.getLogger("django.request").setLevel(logging.NOTSET)
            api50, floor = statistics.median(api_times), floors.get(url.split("/")[3])
            print(
                f"{name[:34]:<34} {api50:8.1f} {p(api_times, 0.9):8.1f} {'400':>7} {'':>6} {'':>6} "
                f"{(api50 / floor) if floor else float('nan'):6.2f} {len(queries):3d} "
                f"{len(response.content):8d} {db if db is not None else float('nan'):8.2f}",
                flush=True,
            )
            continue
        if response.status_code != 200:
            print(f"{name:<34} HTTP {response.status_code}: {response.content[:200]!r}")
            mismatches += 1
            continue
        body, own = response.json(), orjson.loads(hand())
        same = (body.get("results", body) == own.get("results", own)) if isinstance(body, dict) else False
        if not same:
            mismatches += 1
        queries = ctx.captured_queries  # now: later requests reset the connection's query log
        db = explain_ms(queries)
        PAGES[len(PAGES)] = hand
        hand_url = f"/api/hand/{len(PAGES) - 1}/"
        api_times = timed(lambda u=url, pa=params: built.get(u, pa), runs)
        hand_times = timed(lambda u=hand_url: client.get(u), runs)
        bare_times = timed(hand, runs)
        api50, hand50 = statistics.median(api_times), statistics.median(hand_times)
        bare50 = statistics.median(bare_times)
        resource = url.split("/")[3]
        if not params and url.endswith(f"/{resource}/"):
            floors[resource] = hand50
        floor = floors.get(resource)
        print(
            f"{name[:34]:<34} {api50:8.1f} {p(api_times, 0.9):8.1f} {hand50:7.1f} {api50 / hand50:6.2f} "
            f"{api50 / bare50:6.2f} "
            f"{(api50 / floor) if floor else float('nan'):6.2f} {len(queries):3d} "
            f"{len(response.content):8d} {db if db is not None else float('nan'):8.2f}"
            + ("" if same else "  (hand-written JSON differs!)"),
            flush=True,
        )
    mismatches += fast_paths(client, runs)
    if mismatches:
        print(f"{mismatches} case(s) failed or differ from their hand-written page.")
    return 1 if mismatches else 0


def fast_paths(client: Client, runs: int) -> int:
    """A page from the shared cache and a 304 (``apps.core.api.freshness``), each against ``/health/live``
    through the same stack: what a read costs when nothing it shows changed. The number that failed."""
    print(f"\n{'fast path':<34} {'p50':>8} {'p90':>8} {'×live':>6} {'qs':>3}")
    live = timed(lambda: client.get("/health/live"), runs)
    live50 = statistics.median(live)
    print(f"{'/health/live':<34} {live50:8.2f} {p(live, 0.9):8.2f} {1:6.2f} {0:3d}")
    item = f"{API}/statements/{Statement.objects.values_list('id', flat=True).first()}/"
    failed = 0
    for name, url, status in [
        ("statements cached", f"{API}/statements/", 200),
        ("statements 304", f"{API}/statements/", 304),
        ("statement item cached", item, 200),
        ("statement item 304", item, 304),
    ]:
        headers = {"HTTP_IF_NONE_MATCH": client.get(url)["ETag"]} if status == 304 else {}
        client.get(url, **headers)  # the page is in the cache from here on
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, **headers)
        count = len(ctx.captured_queries)  # now: later requests reset the connection's query log
        if response.status_code != status:
            print(f"{name:<34} expected HTTP {status}, got {response.status_code}")
            failed += 1
            continue
        times = timed(lambda u=url, h=headers: client.get(u, **h), runs)
        api50 = statistics.median(times)
        print(f"{name:<34} {api50:8.2f} {p(times, 0.9):8.2f} {api50 / live50:6.2f} {count:3d}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
