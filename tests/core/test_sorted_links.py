"""The link tables' copies of their facts' sort dates (``apps.core.models.SortedLink``, issue 7).

A one-value topic, about, participant or actor filter reads its page in the order of these copies, so a
copy that lags its fact lists the fact out of place. The triggers keeping them are checked here on the
migrated database, through the service write path and through raw SQL, on SQLite and PostgreSQL.
"""

import datetime

import pytest
from django.db import connection, models

from apps.core.api.pagination import KeysetPagination
from apps.core.models import SortedLink, sorted_link
from apps.core.record import services
from apps.deadlines.models import Deadline
from apps.events.models import Event
from apps.statements.models import Statement
from tests import factories
from tests.helpers import walk

pytestmark = pytest.mark.django_db

LINKS = sorted(SortedLink.__subclasses__(), key=lambda link: link._meta.label)


def m2m_of(link: type[SortedLink]) -> models.ManyToManyField:
    fact = next(
        f for f in link._meta.concrete_fields if isinstance(f, models.ForeignKey) and f.remote_field.related_name != "+"
    )
    return next(f for f in fact.related_model._meta.many_to_many if sorted_link(f) is link)


def sort_field(link: type[SortedLink]) -> models.DateField:
    """The link's copy of its list's sort date (the fact's first ``Meta.ordering`` field)."""
    model = m2m_of(link).model
    return link._meta.get_field(model._meta.ordering[0].lstrip("-"))


def test_every_filtered_many_to_many_of_a_dated_list_has_its_sorted_link():
    """Each fact list sorted by a date gets a SortedLink for its actor and topic links (not evidence)."""
    expected = {
        (Statement, "about"),
        (Statement, "topics"),
        (Event, "participants"),
        (Event, "topics"),
        (Deadline, "actors"),
        (Deadline, "topics"),
    }
    found = {(m2m_of(link).model, m2m_of(link).name) for link in LINKS}
    assert found == expected


@pytest.mark.parametrize("link", LINKS, ids=lambda link: link.__name__)
def test_a_sorted_link_reads_its_fields_table_as_declared(link):
    field = m2m_of(link)
    through = field.remote_field.through
    assert link._meta.db_table == through._meta.db_table
    assert not link._meta.managed
    fact = link._meta.get_field(field.m2m_field_name())
    target = link._meta.get_field(field.m2m_reverse_field_name())
    assert (fact.related_model, target.related_model) == (field.model, field.related_model)
    assert fact.remote_field.on_delete is models.DO_NOTHING
    assert target.remote_field.on_delete is models.DO_NOTHING
    assert target.remote_field.related_name == "+"
    # The copies are of the list's sort field and of the other orderings' fields, each with its type and
    # nullability.
    date = field.model._meta.ordering[0].lstrip("-")
    assert link.copies() == ["created_at", "updated_at", date]
    for name in link.copies():
        own = field.model._meta.get_field(name)
        assert (type(link._meta.get_field(name)), link._meta.get_field(name).null) == (type(own), own.null)


def make(model, date: datetime.date | None, **links):
    name = model._meta.ordering[0].lstrip("-")
    if model is Statement:
        return factories.make_statement(**{name: date}, date_precision="day", **links)
    if model is Event:
        return factories.make_event(**{name: date}, **links)
    return factories.make_deadline(**{name: date}, **links)


def copies(link: type[SortedLink], fact) -> set:
    field = m2m_of(link)
    return set(link.objects.filter(**{field.m2m_field_name(): fact}).values_list(sort_field(link).name, flat=True))


def target_of(link: type[SortedLink]):
    target = m2m_of(link).related_model
    return factories.make_topic() if target._meta.model_name == "topic" else factories.make_actor()


@pytest.mark.parametrize("link", LINKS, ids=lambda link: link.__name__)
def test_the_copy_is_set_on_insert_and_follows_the_facts_date(link):
    field = m2m_of(link)
    model = field.model
    date = sort_field(link).name
    first, second = target_of(link), target_of(link)
    day = datetime.date(2025, 8, 15)
    fact = make(model, day, **{field.name: [first]})
    assert copies(link, fact) == {day}

    # A link added later copies the date as it is then.
    services.update(fact, data={field.name: [first, second]})
    assert copies(link, fact) == {day}

    # The date changes: every link follows; a change elsewhere in the row leaves them be.
    later = datetime.date(2026, 1, 14)
    services.update(fact, data={date: later})
    assert copies(link, fact) == {later}
    if link._meta.get_field(date).null:
        services.update(fact, data={date: None})
        assert copies(link, fact) == {None}
        services.update(fact, data={date: later})

    # A revert rewrites links and date at once.
    services.revert(model, fact.pk, version=1)
    assert copies(link, fact) == {day}

    # Raw SQL is followed too: the triggers are the database's, not the services'.
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {date} = %s WHERE id = %s",
            [later, fact.pk.hex if connection.vendor == "sqlite" else fact.pk],
        )
    assert copies(link, fact) == {later}

    # Other facts' copies are untouched.
    other = make(model, day, **{field.name: [first]})
    assert copies(link, other) == {day}
    assert copies(link, fact) == {later}


@pytest.mark.parametrize("link", LINKS, ids=lambda link: link.__name__)
def test_the_time_copies_are_set_on_insert_and_follow_each_write(link):
    """``created_at`` and ``updated_at`` are copied as the date is: on insert, and ``updated_at`` anew on
    every write of the fact (each write sets it), through the services and through raw SQL."""
    field = m2m_of(link)
    model = field.model

    def times(fact) -> set:
        rows = link.objects.filter(**{field.m2m_field_name(): fact}).values_list("created_at", "updated_at")
        return set(rows)

    first, second = target_of(link), target_of(link)
    fact = make(model, datetime.date(2025, 8, 15), **{field.name: [first]})
    fact.refresh_from_db()
    assert times(fact) == {(fact.created_at, fact.updated_at)}
    services.update(fact, data={field.name: [first, second], "certainty": "reported"})
    fact.refresh_from_db()
    assert fact.updated_at > fact.created_at
    assert times(fact) == {(fact.created_at, fact.updated_at)}
    table = connection.ops.quote_name(model._meta.db_table)
    moved = fact.created_at - datetime.timedelta(days=3)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET created_at = %s WHERE id = %s",
            [moved, fact.pk.hex if connection.vendor == "sqlite" else fact.pk],
        )
    assert times(fact) == {(moved, fact.updated_at)}


@pytest.mark.parametrize("link", LINKS, ids=lambda link: link.__name__)
def test_deleting_a_fact_deletes_its_links(link):
    """The unmanaged model adds no reverse relation the deletion would trip on (DO_NOTHING)."""
    field = m2m_of(link)
    fact = make(field.model, datetime.date(2025, 8, 15), **{field.name: [target_of(link)]})
    services.delete(fact)
    assert not copies(link, fact)


FILTERS = {"topics": "topic", "about": "about", "participants": "participant", "actors": "actor"}


def in_list_order(facts: list, order: str) -> list:
    """``facts`` as a list sorts them by ``order`` (one field, ``-`` descending): by the facts' own values,
    ties broken by id, undated facts last in both directions."""
    name = order.lstrip("-")
    descending = order.startswith("-")
    dated = sorted(
        (f for f in facts if getattr(f, name) is not None), key=lambda f: (getattr(f, name), f.pk), reverse=descending
    )
    return dated + sorted((f for f in facts if getattr(f, name) is None), key=lambda f: f.pk, reverse=descending)


@pytest.mark.parametrize("link", LINKS, ids=lambda link: link.__name__)
@pytest.mark.parametrize("ordering", ["", "-", "created_at", "-updated_at"])
def test_a_one_value_filter_pages_in_every_order_as_the_facts_sort(api, link, ordering):
    """Read by the links' copies (of the date, ``created_at`` or ``updated_at``), pages of two list the
    linked facts, each once, in the order of the facts' own values; undated facts last both ways, ties
    broken by id."""
    field = m2m_of(link)
    model = field.model
    date = model._meta.ordering[0].lstrip("-")
    target, other = target_of(link), target_of(link)
    days = [
        datetime.date(2025, 8, 15),
        datetime.date(2025, 8, 15),
        datetime.date(2026, 1, 14),
        datetime.date(2024, 1, 1),
    ]
    if model._meta.get_field(date).null:
        days.append(None)
    facts = [make(model, day, **{field.name: [target, other] if i % 2 else [target]}) for i, day in enumerate(days)]
    make(model, datetime.date(2025, 1, 1), **{field.name: [other]})  # linked to the other one only
    # A date changed after the links were made: the list must sort by the new one.
    services.update(facts[0], data={date: datetime.date(2027, 1, 1)})
    facts = [model.objects.get(pk=fact.pk) for fact in facts]
    order = f"{ordering}{date}" if ordering in ("", "-") else ordering

    expected = in_list_order(facts, order)
    slug = target.slug
    listed = [
        row["id"]
        for row in walk(
            api, f"/api/v1/{model.api_resource}/", page_size=2, ordering=order, **{FILTERS[field.name]: slug}
        )
    ]
    assert listed == [str(f.pk) for f in expected]


def walk_back(client, url: str) -> list[str]:
    """The list's ids read from its last page back to its first, following ``previous`` links."""
    body = client.get(url).json()
    while body["next"]:
        body = client.get(body["next"]).json()
    ids = [row["id"] for row in body["results"]]
    while body["previous"]:
        body = client.get(body["previous"]).json()
        ids = [row["id"] for row in body["results"]] + ids
    return ids


@pytest.mark.parametrize("link", LINKS, ids=lambda link: link.__name__)
@pytest.mark.parametrize("ordering", ["", "-", "created_at"])
@pytest.mark.parametrize("certainty", [None, "reported"])
def test_several_values_page_both_ways_as_the_facts_sort(api, link, ordering, certainty):
    """Several targets (read target by target from the links and merged, ``KeysetPagination.seek_links``,
    or by a subquery in another ``ordering``): pages of two, forwards and back, list every fact linked to
    any of them once, in the facts' own order, with another filter or without."""
    field = m2m_of(link)
    model = field.model
    date = model._meta.ordering[0].lstrip("-")
    first, second, third = target_of(link), target_of(link), target_of(link)
    days = [datetime.date(2025, 8, 15)] * 3 + [datetime.date(2026, 1, 14), datetime.date(2024, 1, 1)] * 4
    if model._meta.get_field(date).null:
        days += [None, None]
    groups = [[first], [second], [first, second], [first, third], [third]]
    facts = [
        make(model, day, certainty="reported" if i % 3 else "confirmed", **{field.name: groups[i % len(groups)]})
        for i, day in enumerate(days)
    ]
    # A date changed after the links were made: the list must sort by the new one.
    services.update(facts[1], data={date: datetime.date(2027, 1, 1)})
    order = f"{ordering}{date}" if ordering in ("", "-") else ordering
    linked = [model.objects.get(pk=f.pk) for f in facts if {first, second} & set(getattr(f, field.name).all())]
    if certainty:
        linked = [f for f in linked if f.certainty == certainty]

    expected = in_list_order(linked, order)
    parameter = FILTERS[field.name]
    url = f"/api/v1/{model.api_resource}/?{parameter}={first.slug}&{parameter}={second.slug}"
    url += f"&page_size=2&ordering={order}"
    if certainty:
        url += f"&certainty={certainty}"
    assert len(expected) >= 4
    assert [row["id"] for row in walk(api, url)] == [str(f.pk) for f in expected]
    assert walk_back(api, url) == [str(f.pk) for f in expected]


@pytest.mark.parametrize("extra", [0, 1], ids=["at the bound", "beyond it"])
def test_many_values_list_every_linked_fact_once(api, extra, monkeypatch):
    """Up to ``max_seeks`` targets are read target by target; more are matched by the subquery: both
    list the same facts, each once, in order."""
    monkeypatch.setattr(KeysetPagination, "max_seeks", 3)
    topics = [factories.make_topic() for _ in range(3 + extra)]
    facts = [
        factories.make_statement(said_on=datetime.date(2025, 1, 1 + i), topics=topics[i % len(topics) :][:2])
        for i in range(7)
    ]
    factories.make_statement(topics=[factories.make_topic()])  # linked to none of them
    expected = [str(f.pk) for f in sorted(facts, key=lambda f: (f.said_on, f.pk), reverse=True)]
    listed = walk(api, "/api/v1/statements/", page_size=2, topic=[t.slug for t in topics])
    assert [row["id"] for row in listed] == expected


@pytest.mark.parametrize("link", LINKS, ids=lambda link: link.__name__)
@pytest.mark.parametrize("ordering", ["", "-", "created_at"])
@pytest.mark.parametrize("values", [1, 2])
def test_a_date_range_beside_a_link_filter_lists_the_facts_in_range(api, link, ordering, values):
    """``date_from``/``date_to`` with one or several targets: the bound is also put on the links' copy of
    the date (``DateBound``), which must select the same facts: those dated in the range, none undated."""
    field = m2m_of(link)
    model = field.model
    date = model._meta.ordering[0].lstrip("-")
    targets = [target_of(link) for _ in range(values)]
    days = [datetime.date(2024, 1, 1), datetime.date(2024, 6, 1), datetime.date(2025, 8, 15)] * 2
    days += [datetime.date(2026, 1, 14), datetime.date(2026, 1, 15)]
    if model._meta.get_field(date).null:
        days += [None]
    facts = [make(model, day, **{field.name: [targets[i % values]]}) for i, day in enumerate(days)]
    make(model, datetime.date(2025, 8, 15), **{field.name: [target_of(link)]})  # in range, other target
    facts = [model.objects.get(pk=f.pk) for f in facts]
    order = f"{ordering}{date}" if ordering in ("", "-") else ordering
    low, high = datetime.date(2024, 6, 1), datetime.date(2026, 1, 14)
    inside = [f for f in facts if getattr(f, date) is not None and low <= getattr(f, date) <= high]
    expected = in_list_order(inside, order)
    parameter = FILTERS[field.name]
    listed = walk(
        api,
        f"/api/v1/{model.api_resource}/",
        page_size=2,
        ordering=order,
        date_from=low.isoformat(),
        date_to=high.isoformat(),
        **{parameter: [t.slug for t in targets]},
    )
    assert [row["id"] for row in listed] == [str(f.pk) for f in expected]
