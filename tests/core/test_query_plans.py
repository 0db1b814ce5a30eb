"""Every filter and ordering of the fact lists seeks by an index, on PostgreSQL and on SQLite (issue 7).

On a few hundred rows any planner reads the whole table, indexes or not, so the
plans are checked on generated data (``generate_synthetic``: 10,000 statements,
10,000 events, positions and deadlines, ANALYZEd; 3,000 of each on SQLite, which keeps no
statistics and so plans alike at any size) where reading everything costs what it would
in production: a plan that reads the whole fact table or sorts more than a page
here is one that a million rows would make slow. ``enable_seqscan = off`` would
be quicker but proves nothing: it forces some index whether or not the index
serves the filter and the sort.

``q`` on statements, events, positions and deadlines is full-text search (issue 7, item 4) and is
checked too: no sequential scan, a sort only of rows read from the full-text index; ``ordering=relevance``
ranks every match and is checked for a rare word. ``q`` on sources is a substring search, served by a
trigram index on PostgreSQL. Not checked: the actor list (2,000 actors at a million statements).

On SQLite the plan is read with ``EXPLAIN QUERY PLAN`` of the query exactly as Django ran it, its
parameters bound: SQLite matches an index on an expression only against the same text, so a constant
bound as ``?`` where the index holds a literal would read and sort the whole table (it did, at 100,000
statements: 230 ms a page instead of 2). The SQL that ``CaptureQueriesContext`` shows has the
parameters written in and would hide that.
"""

import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.actors.models import Actor
from apps.core.api.pagination import KeysetPagination
from apps.core.query import ordering
from apps.core.query.ordering import index_key, sort_key
from apps.deadlines.models import Deadline
from apps.events.models import Event
from apps.sources.models import Source
from apps.statements.models import Statement
from apps.topics.models import Topic
from tests.helpers import walk

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's plans; SQLite's are checked by the sqlite_only tests."
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's plans; PostgreSQL's are checked by the postgresql_only tests."
)

PAGE = 50


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """The generated rows for every test of the module, rolled back after the last."""
    # SQLite keeps no statistics, so its plans do not depend on the number of rows: fewer load faster.
    rows = 10_000 if connection.vendor == "postgresql" else 3_000
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("generate_synthetic", statements=rows, facts=rows, verbosity=0)
        yield
        transaction.set_rollback(True)


def plan_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


def page_plan(client, url: str, table: str, params: dict) -> tuple[str, list[dict]]:
    """The SQL and the EXPLAIN plan nodes of the query that reads the page's rows from ``table``."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    sql = next(
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
    return sql, list(plan_nodes(plan[0]["Plan"]))


def problems(nodes: list[dict], table: str) -> list[str]:
    found = []
    for node in nodes:
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") == table:
            found.append(f"sequential scan of {table}")
        if node["Node Type"] == "Sort" and node["Plan Rows"] > PAGE + 1:
            found.append(f"sort of ~{node['Plan Rows']} rows")
    return found


def samples() -> dict:
    topics = Topic.objects.order_by("id").values_list("slug", flat=True)
    actors = Actor.objects.order_by("id").values_list("slug", flat=True)
    event = Statement.objects.exclude(event=None).values_list("event_id", flat=True).first()
    publisher = Source.objects.values_list("publisher", flat=True).first()
    return {
        "topic": topics[3],
        "actor": actors[5],
        "event": str(event),
        "publisher": publisher,
        # A second value, for the many-to-many filters given several.
        "other": {"topic": topics[4], "actor": actors[6]},
    }


MONTH = {"date_from": "2010-03-01", "date_to": "2010-03-31"}


def cases(s: dict) -> dict[str, list[dict]]:
    def orderings(*fields):
        return [{"ordering": f"{sign}{field}"} for field in fields for sign in ("", "-")]

    return {
        "statements": [
            {}, {"speaker": s["actor"]}, {"about": s["actor"]}, {"topic": s["topic"]}, {"event": s["event"]},
            {"kind": "paraphrase"}, {"certainty": "disputed"}, MONTH, {"date_from": "2010-03-01"},
            {"date_to": "2010-03-31"}, *orderings("said_on", "created_at", "updated_at"),
        ],
        "events": [
            {}, {"participant": s["actor"]}, {"topic": s["topic"]}, {"kind": "summit"},
            {"certainty": "disputed"}, MONTH, *orderings("starts_on", "created_at", "updated_at"),
        ],
        "positions": [
            {}, {"actor": s["actor"]}, {"topic": s["topic"]}, {"stance": "rejects"}, {"certainty": "disputed"},
            MONTH, {"valid_at": "2010-03-15"}, {"current": "true"},
            *orderings("valid_from", "valid_to", "created_at", "updated_at"),
        ],
        "deadlines": [
            {}, {"actor": s["actor"]}, {"topic": s["topic"]}, {"status": "missed"}, {"kind": "vote"},
            {"certainty": "disputed"}, {"overdue": "true"}, MONTH, *orderings("due_on", "created_at", "updated_at"),
        ],
        "sources": [
            {}, {"kind": "treaty_text"}, {"publisher": s["publisher"]}, MONTH,
            *orderings("published_on", "title", "created_at"),
        ],
    }  # fmt: skip


TABLES = {
    "statements": "statements_statement",
    "events": "events_event",
    "positions": "positions_position",
    "deadlines": "deadlines_deadline",
    "sources": "sources_source",
}


@postgresql_only
@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize("resource", list(TABLES))
def test_every_filter_and_ordering_seeks_by_an_index(api, resource):
    table = TABLES[resource]
    failures = []
    for params in cases(samples())[resource]:
        sql, nodes = page_plan(api, f"/api/v1/{resource}/", table, params)
        assert "DISTINCT" not in sql
        if found := problems(nodes, table):
            failures.append(f"{params}: {', '.join(found)}")
    assert not failures, "\n".join(failures)


def seq_scans(nodes: list[dict], table: str) -> list[dict]:
    return [n for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == table]


@postgresql_only
@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize(
    "q", ["zaporizhzhia", "ceasefire", "ceasefire veto", '"ceasefire veto"', "ceasefire -talks", "veto or ultimatum"]
)
def test_statement_search_seeks_by_an_index(api, q):
    """Newest first, a search walks the date index until a page matches (frequent words) or reads the
    matches from the full-text index and sorts only them (rare words): never the whole table."""
    table = "statements_statement"
    _, nodes = page_plan(api, "/api/v1/statements/", table, {"q": q})
    assert not seq_scans(nodes, table), nodes
    if any(n["Node Type"] == "Sort" and n["Plan Rows"] > PAGE + 1 for n in nodes):
        assert any(n.get("Index Name") == "statements_search_idx" for n in nodes), nodes


@postgresql_only
@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize("resource", ["statements", "events", "positions", "deadlines"])
def test_a_word_that_matches_nothing_is_looked_up_in_the_full_text_index(api, resource):
    """Not found by walking the whole date index in the hope of a match. (PostgreSQL's estimate for a word
    it has never seen comes from the rarest words it knows. At a million statements of text without rare
    words it walked the whole index: 2.9 s; generated text now has a long tail, as real text does. At
    this test's 10,000 rows both kinds of text pass: ``make bench`` shows the million.)"""
    table = TABLES[resource]
    _, nodes = page_plan(api, f"/api/v1/{resource}/", table, {"q": "zaporizhzhia"})
    assert any(n.get("Index Name") == f"{resource}_search_idx" for n in nodes), nodes


PHRASES = ['"ceasefire veto"', '"ceasefire veto" or "ceasefire proposal"', '"ceasefire veto" -talks']


@postgresql_only
@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize("resource", ["statements", "events", "positions", "deadlines"])
@pytest.mark.parametrize("q", PHRASES)
def test_a_phrase_is_read_through_its_word_pairs(api, resource, q):
    """The full-text index holds no positions: on its own it finds the rows holding a phrase's words in
    any order (at a million statements 52,540 for "ceasefire veto", against its 2,726), each read to
    test their order. The pairs' index (``…_phrase_idx``) finds the rows holding them adjacent."""
    table = TABLES[resource]
    sql, nodes = page_plan(api, f"/api/v1/{resource}/", table, {"q": q})
    assert "search_pairs" in sql
    assert not seq_scans(nodes, table), nodes
    assert any(n.get("Index Name") == f"{table}_phrase_idx" for n in nodes), nodes


@postgresql_only
@pytest.mark.usefixtures("generated")
def test_relevance_of_a_rare_word_reads_the_full_text_index(api):
    """``ordering=relevance`` ranks every match, so it reads the matches from the full-text index (when
    they are a large part of the table, reading the table is the cheaper plan, and the planner takes it)."""
    table = "statements_statement"
    _, nodes = page_plan(api, "/api/v1/statements/", table, {"q": "zaporizhzhia", "ordering": "relevance"})
    assert not seq_scans(nodes, table), nodes
    assert any(n.get("Index Name") == "statements_search_idx" for n in nodes), nodes


@postgresql_only
@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize("resource", ["events", "positions", "deadlines"])
@pytest.mark.parametrize("q", ["zaporizhzhia", "ceasefire", "ceasefire -talks", "veto or ultimatum"])
def test_full_text_search_of_the_other_facts_seeks_by_an_index(api, resource, q):
    """As for statements: the date index walked until a page matches, or the matches read from the
    full-text index and only they sorted; never the whole table."""
    table = TABLES[resource]
    _, nodes = page_plan(api, f"/api/v1/{resource}/", table, {"q": q})
    assert not seq_scans(nodes, table), nodes
    if any(n["Node Type"] == "Sort" and n["Plan Rows"] > PAGE + 1 for n in nodes):
        assert any(n.get("Index Name") == f"{resource}_search_idx" for n in nodes), nodes


@postgresql_only
@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize("q", ["zaporizhzhia", "syn", "ceasefire -talks", '"synthetic.invalid/s"'])
def test_source_search_can_read_the_trigram_index(api, q):
    """Sources are searched by substring, which the trigram index ``sources_search_trgm_idx`` serves as
    the search writes it (``UPPER(column::text) LIKE …``). Here, 2,000 sources are cheaper to read whole
    or along the date index, so the planner is told to do neither: the trigram index is then its only
    way, and it takes it only if the index serves the condition. (``make bench`` shows the 200,000: a
    word in few sources 110 -> 0.5 ms.)"""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    _, nodes = page_plan(api, "/api/v1/sources/", "sources_source", {"q": q})
    assert any(n.get("Index Name") == "sources_search_trgm_idx" for n in nodes), nodes


@postgresql_only
@pytest.mark.usefixtures("generated")
def test_the_check_can_fail(api):
    """An unindexed condition (a substring of the URL) is reported: the tests above are not vacuous."""
    _, nodes = page_plan(api, "/api/v1/sources/", "sources_source", {"q": "zaporizhzhia", "ordering": "title"})
    assert problems(nodes, "sources_source")


def sqlite_page_plan(client, url: str, table: str, params: dict) -> list[str]:
    """The steps of SQLite's plan for the query that read the page's rows from ``table``, as it ran."""
    executed = []

    def record(execute, sql, sql_params, many, context):
        executed.append((sql, sql_params))
        return execute(sql, sql_params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    sql, sql_params = next((q, p) for q, p in executed if q.startswith("SELECT") and f'FROM "{table}"' in q)
    return sqlite_plan(sql, sql_params)


def sqlite_plan(sql: str, sql_params) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, sql_params)
        return [row[-1] for row in cursor.fetchall()]


def sqlite_problems(steps: list[str], table: str) -> list[str]:
    found = []
    for step in steps:
        if step == f"SCAN {table}":  # no index at all ("SCAN t USING INDEX i" walks an index in order)
            found.append(f"full scan of {table}")
        if step.startswith("USE TEMP B-TREE FOR") and "ORDER BY" in step:
            found.append("the whole result sorted")
    return found


# The many-to-many filters. One value joins the links, which carry a copy of the fact's sort date, and reads
# the page from the link table's index (target, date, fact): ``apps.core.models.SortedLink``. Several values
# are matched by a subquery of the links: SQLite walks the sort index, testing rows against the links, for
# values with DRIVE_LIMIT links or more; for fewer it reads the matches by id and sorts only them
# (``read_in_order``). PostgreSQL's planner chooses by its statistics.
MANY_TO_MANY = {
    "statements": {"topic", "about"},
    "events": {"topic", "participant"},
    "positions": set(),
    "deadlines": {"topic", "actor"},
    "sources": set(),
}
# The many-to-many field each one-value filter reads through, and the list's own sort field.
MANY_TO_MANY_FIELDS = {
    ("statements", "topic"): "topics",
    ("statements", "about"): "about",
    ("events", "topic"): "topics",
    ("events", "participant"): "participants",
    ("deadlines", "topic"): "topics",
    ("deadlines", "actor"): "actors",
}
SORT_FIELDS = {"statements": "said_on", "events": "starts_on", "deadlines": "due_on"}
TABLE_MODELS = {"statements": Statement, "events": Event, "deadlines": Deadline}
# Pages a test reads of a list: enough to cross page boundaries and the undated rows' place, not all.
PAGES = 4


def one_value_cases():
    """(resource, parameter, link table, ordering) for each one-value many-to-many filter, both directions
    of the list's own order, and its other orderings."""
    return [
        pytest.param(resource, name, links_table(resource, name), order, id=f"{resource}-{name}-{order}")
        for resource, name in MANY_TO_MANY_FIELDS
        for order in (SORT_FIELDS[resource], f"-{SORT_FIELDS[resource]}", "created_at", "-updated_at")
    ]


def link_index(link_table: str, order: str) -> str:
    """The prefix of the link table's index that serves ``order`` (``apps.core.migration_ops.sorted_links``)."""
    name = {"created_at": "created", "updated_at": "updated"}.get(order.lstrip("-"), "sort")
    return f"{link_table}_{name}"


def links_table(resource: str, name: str) -> str:
    field = TABLE_MODELS[resource]._meta.get_field(MANY_TO_MANY_FIELDS[(resource, name)])
    return field.remote_field.through._meta.db_table


def value_of(s: dict, name: str) -> str:
    return s["topic"] if name == "topic" else s["actor"]


@sqlite_only
@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize("resource", list(TABLES))
def test_every_filter_and_ordering_seeks_by_an_index_on_sqlite(api, resource, monkeypatch):
    table = TABLES[resource]
    failures = []
    for params in cases(samples())[resource]:
        if MANY_TO_MANY[resource] & params.keys():
            monkeypatch.setattr(ordering, "DRIVE_LIMIT", 0)  # as for a value linked to many rows
        found = sqlite_problems(sqlite_page_plan(api, f"/api/v1/{resource}/", table, params), table)
        monkeypatch.undo()
        if found:
            failures.append(f"{params}: {', '.join(found)}")
    assert not failures, "\n".join(failures)


@sqlite_only
@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize("resource", [resource for resource, names in MANY_TO_MANY.items() if names])
def test_a_many_to_many_filter_lists_the_same_pages_read_either_way(api, resource, monkeypatch):
    """Given several values and matched by the subquery (as in an order the links' copies do not serve):
    walking the list (values on many rows) and reading the matches by id (on few) list the same."""
    monkeypatch.setattr(KeysetPagination, "max_seeks", 0)
    url = f"/api/v1/{resource}/"
    s = samples()
    for params in cases(s)[resource]:
        if not MANY_TO_MANY[resource] & params.keys():
            continue
        params = {
            k: [v, s["other"]["topic" if k == "topic" else "actor"]] if k in MANY_TO_MANY[resource] else v
            for k, v in params.items()
        }
        ways = []
        for limit in (0, 10**9):
            monkeypatch.setattr(ordering, "DRIVE_LIMIT", limit)
            ways.append([row["id"] for row in walk(api, url, pages=PAGES, page_size=PAGE, **params)])
        assert ways[0] == ways[1], params
        assert ways[0], params
        steps = sqlite_page_plan(api, url, TABLES[resource], params)  # by id: the matches sorted
        assert any(step.startswith("USE TEMP B-TREE FOR ORDER BY") for step in steps), (params, steps)


@sqlite_only
@pytest.mark.usefixtures("generated")
def test_the_sqlite_check_can_fail():
    """The defect this guards against, re-created: the sort key's constant bound as a parameter (as the
    model's index declares it, and as queries ran before) sorts the whole table, and the check says so."""
    table = "statements_statement"
    for key, sorts in ((index_key, True), (sort_key, False)):
        query = Statement.objects.order_by(key("said_on", descending=True).desc(), "-id")[: PAGE + 1].query
        steps = sqlite_plan(*query.sql_with_params())
        assert ("the whole result sorted" in sqlite_problems(steps, table)) is sorts, (key.__name__, steps)


@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize(("resource", "name", "link_table", "order"), one_value_cases())
def test_a_one_value_many_to_many_filter_reads_its_page_from_the_link_index(api, resource, name, link_table, order):
    """The page's links come from the link table's sort index, in order, and their facts by primary key:
    no sort, whatever the number of links (on both databases)."""
    table = TABLES[resource]
    params = {name: value_of(samples(), name), "ordering": order}
    if connection.vendor == "sqlite":
        steps = sqlite_page_plan(api, f"/api/v1/{resource}/", table, params)
        assert re.match(rf"SEARCH {link_table} USING (COVERING )?INDEX {link_index(link_table, order)}", steps[0]), (
            steps
        )
        assert not sqlite_problems(steps, table), steps
    else:
        _, nodes = page_plan(api, f"/api/v1/{resource}/", table, params)
        assert not problems(nodes, table), nodes
        assert not any(n["Node Type"] == "Sort" for n in nodes), nodes
        assert any(n.get("Index Name", "").startswith(link_index(link_table, order)) for n in nodes), nodes


@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize(("resource", "name", "link_table", "order"), one_value_cases())
def test_a_one_value_many_to_many_filter_pages_as_the_subquery_does(
    api, resource, name, link_table, order, monkeypatch
):
    """Read from the links' copies of the date, the pages (both ways) list what matching by a subquery
    of the links lists: the copies are the facts' dates."""
    url = f"/api/v1/{resource}/"
    s = samples()
    value = value_of(s, name)
    one = [row["id"] for row in walk(api, url, pages=PAGES, page_size=PAGE, **{name: value, "ordering": order})]
    other = s["other"]["topic" if name == "topic" else "actor"]
    # Two values are matched by the subquery and sorted by the facts' own dates: restricted to the facts
    # linked to the first value, that list begins as the one-value list.
    monkeypatch.setattr(KeysetPagination, "max_seeks", 0)  # not read value by value (``seek_links``)
    both = walk(api, url, pages=2 * PAGES, page_size=PAGE, **{name: [value, other], "ordering": order})
    field = MANY_TO_MANY_FIELDS[(resource, name)]
    linked = {
        str(pk)
        for pk in TABLE_MODELS[resource].objects.filter(**{f"{field}__slug": value}).values_list("pk", flat=True)
    }
    restricted = [row["id"] for row in both if row["id"] in linked]
    assert len(one) >= PAGE, (name, value)
    assert restricted[: len(one)] == one[: len(restricted)]
    assert len(restricted) >= PAGE


@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize(("resource", "name", "link_table", "order"), one_value_cases())
@pytest.mark.parametrize("extra", [{}, {"certainty": "reported"}], ids=["alone", "certainty"])
def test_several_values_of_a_many_to_many_filter_read_each_from_the_link_index(
    api, resource, name, link_table, order, extra
):
    """Each value's next page is read from the link table's sort index and the pages merged
    (``KeysetPagination.seek_links``): the facts are read by primary key, and the only sort is of the
    merged pages' rows, whatever the number of links, on the first page and after a cursor.

    With another filter the parts test each fact; on PostgreSQL at 10,000 rows a scan of the whole
    fact table costs little enough to be chosen then, so that case is checked on SQLite's plan (its
    parts and, above all, its outer read by primary key) and measured by ``make bench`` at a million."""
    if extra and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL plans a combination by the table's size: measured by make bench, not here.")
    table = TABLES[resource]
    s = samples()
    other = s["other"]["topic" if name == "topic" else "actor"]
    params = {name: [value_of(s, name), other], "ordering": order, **extra}
    url = f"/api/v1/{resource}/"
    second = api.get(url, {**params, "page_size": PAGE}).json()["next"]
    assert second
    for page in (url, second):
        if connection.vendor == "sqlite":
            steps = sqlite_page_plan(api, page, table, params if page == url else {})
            index = link_index(link_table, order)
            reads = [s for s in steps if re.match(rf"SEARCH {link_table} USING (COVERING )?INDEX {index}", s)]
            assert len(reads) == 2, steps
            assert not any(step.startswith(f"SCAN {table}") for step in steps), steps
            assert sum(step.startswith("USE TEMP B-TREE") for step in steps) == 1, steps  # the merged pages
        else:
            _, nodes = page_plan(api, page, table, params if page == url else {})
            scanned = {n.get("Relation Name") for n in nodes if n["Node Type"] == "Seq Scan"}
            assert not scanned & {table, link_table}, nodes
            assert all(n["Plan Rows"] <= 2 * (PAGE + 1) for n in nodes if n["Node Type"] == "Sort"), nodes
            reads = [n for n in nodes if n.get("Index Name", "").startswith(link_index(link_table, order))]
            assert len(reads) == 2, nodes


@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize(("resource", "name", "link_table", "order"), one_value_cases()[::4] + one_value_cases()[1::4])
@pytest.mark.parametrize("values", [1, 2])
def test_a_date_range_beside_a_link_filter_seeks_the_link_index(api, resource, name, link_table, order, values):
    """The range is put on the links' copy of the date too (``DateBound``): the link index seeks it,
    rather than reading the target's links from its newest and testing each fact's date."""
    s = samples()
    targets = [value_of(s, name), s["other"]["topic" if name == "topic" else "actor"]][:values]
    params = {name: targets, "ordering": order, **MONTH}
    table = TABLES[resource]
    date = SORT_FIELDS[resource]
    if connection.vendor == "sqlite":
        steps = sqlite_page_plan(api, f"/api/v1/{resource}/", table, params)
        reads = [step for step in steps if step.startswith(f"SEARCH {link_table} ")]
        assert len(reads) == values, steps
        assert all(re.search(r"INDEX \w+_sort\w* \(\w+=\? AND .+>\? AND .+<\?\)", step) for step in reads), steps
    else:
        _, nodes = page_plan(api, f"/api/v1/{resource}/", table, params)
        reads = [n for n in nodes if n.get("Index Name", "").startswith(f"{link_table}_sort")]
        assert len(reads) == values, nodes
        assert all(date in n.get("Index Cond", "") for n in reads), reads


@sqlite_only
@pytest.mark.usefixtures("generated")
@pytest.mark.parametrize("q", ["ceasefire", "ceasefire -talks", "talks veto"])
def test_relevance_without_or_reads_the_list_in_order_on_sqlite(api, q, monkeypatch):
    """Without ``or`` every match ranks the same (it holds every term): the list is walked in its
    tie-breaking order as an unranked search is, not every match ranked and sorted."""
    monkeypatch.setattr(ordering, "DRIVE_LIMIT", 0)  # as for terms on many rows
    steps = sqlite_page_plan(api, "/api/v1/statements/", "statements_statement", {"q": q, "ordering": "relevance"})
    assert not sqlite_problems(steps, "statements_statement"), steps
