"""The list pipeline: what a list request asks for, as one plain value, and the one planner that builds its SQL.

A request's filters are read by its FilterSet (``apps.core.api.filters``) into a ``ListQuery``:

- ``queryset``: the rows with every filter applied that is a plain condition (a column of the fact, a
  foreign key, a search, a link without ``SortedLink``), sorted as asked;
- ``bounds``: the date filters' bounds on the list's date (``DateBound``), applied to ``queryset`` too,
  and kept so that a join of the links repeats them on the links' copy of the date;
- ``links``: the many-to-many filters whose link table keeps copies of the fact's sort columns
  (``apps.core.models.SortedLink``), not yet applied: how they are best read depends on the page.

``ListQuery.plan`` builds the query of a page in a keyset order (``apps.core.query.keyset``), or of the whole
list (``rows``, for the export and anything that does not page):

- a link filter on one target joins its links; their copies of the fact's columns are aliased
  (``link_alias``) and, when they serve every key of the order, the page is sorted by them, so the link
  index (target, date, fact) yields it in order whatever the target's size; the date bounds are
  repeated on the copy, so that index seeks the range too;
- on several targets, in an order the copies serve, each target's next page is read from its links
  in order and the pages merged (``UNION ALL``): the page after the cursor is among the first
  ``limit`` facts after it for some target, so ``pk IN`` the union selects no fewer rows than the
  subquery would, and the outer query sorts at most that many;
- otherwise the filter is its subquery (``pk IN (SELECT fact FROM links WHERE target IN …)``).

Nothing here reads or rewrites Django's query tree: the filters say what they are, the planner decides.
"""

import datetime
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.db.models import F, Lookup, QuerySet
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from apps.core.query.ordering import UnionAll, sort_key

if TYPE_CHECKING:
    from apps.core.models import SortedLink
    from apps.core.query.keyset import Keyset


@dataclass(frozen=True)
class DateBound:
    """``date_from`` (``at_least``) or ``date_to`` on the list's date ``field``; on its never-NULL sort key
    in direction ``descending`` when the list is sorted by that nullable date (``apps.core.query.ordering``)."""

    field: str
    value: datetime.date
    at_least: bool
    descending: bool | None = None

    def condition(self, column: str | None = None) -> Lookup:
        """The bound on the fact's own column, or on ``column`` (a link's copy of it)."""
        column = column or self.field
        lhs = F(column) if self.descending is None else sort_key(column, descending=self.descending)
        return (GreaterThanOrEqual if self.at_least else LessThanOrEqual)(lhs, self.value)


@dataclass(frozen=True)
class LinkFilter:
    """A many-to-many filter over a ``SortedLink`` table: the facts linked to any of ``targets``.

    ``subquery``: the same filter as a condition, for a plan that does not read the links in order
    (several targets only; made by the filter, which on SQLite counts the links once to choose its form,
    ``apps.core.query.ordering.in_order_key``).
    """

    link: type["SortedLink"]
    fact_key: str
    target_key: str
    targets: tuple
    subquery: Any = None

    def join(self, queryset: QuerySet, target, bounds: tuple[DateBound, ...]) -> QuerySet:
        return self.link.join(queryset, self.fact_key, self.target_key, target, bounds)

    def serves(self, keyset: "Keyset") -> bool:
        """Whether the links' copies hold every key of ``keyset`` (the fact's id included)."""
        fact: Any = self.link._meta.get_field(self.fact_key)
        return keyset.served_by({*self.link.copies(), fact.target_field.name})


@dataclass(frozen=True)
class ListQuery:
    queryset: QuerySet
    bounds: tuple[DateBound, ...] = ()
    links: tuple[LinkFilter, ...] = field(default=())

    @classmethod
    def of(cls, rows: "QuerySet | ListQuery") -> "ListQuery":
        """A paginator's input: a list's ``ListQuery``, or any queryset (history, the changes feed)."""
        return rows if isinstance(rows, ListQuery) else cls(rows)

    def filtered(self, queryset: QuerySet) -> "ListQuery":
        return replace(self, queryset=queryset)

    def rows(self) -> QuerySet:
        """Every row of the list, every filter applied, in no keyset order (what ``FilterSet.qs`` was)."""
        queryset, _ = self.apply(None)
        return queryset

    def plan(
        self, keyset: "Keyset", *, after: list | None = None, backwards: bool = False, limit=None, max_seeks=0
    ) -> QuerySet:
        """The list in ``keyset``'s order (walking back: reversed) from beyond the position ``after``;
        up to ``max_seeks`` targets of a link filter are read target by target, ``limit`` rows each."""
        queryset, seek = self.apply(keyset, max_seeks=max_seeks if limit else 0)
        if seek is not None:
            queryset = self.merged(queryset, seek, keyset.on_links(), after, backwards, limit)
        elif any(len(f.targets) == 1 and f.serves(keyset) for f in self.links):
            keyset = keyset.on_links()
        return keyset.sort(queryset, after, backwards=backwards)

    def apply(self, keyset: "Keyset | None", *, max_seeks: int = 0) -> tuple[QuerySet, LinkFilter | None]:
        """``queryset`` with the link filters applied, but the first one read target by target (returned)."""
        queryset, seek = self.queryset, None
        several = [link for link in self.links if len(link.targets) > 1]
        if (
            several
            and keyset is not None
            and len(several[0].targets) <= max_seeks
            and several[0].serves(keyset)
            # A column the rows would need (none here but ``relevance``) is not read by the merged pages.
            and not self.queryset.query.annotation_select
        ):
            seek = several[0]
        for link in self.links:
            if len(link.targets) == 1:
                queryset = link.join(queryset, link.targets[0], self.bounds)
            elif link is not seek:
                queryset = queryset.filter(link.subquery)
        return queryset, seek

    def merged(self, base: QuerySet, seek: LinkFilter, keyset: "Keyset", after, backwards: bool, limit: int):
        """The facts of each target's next ``limit`` links after ``after``, by primary key (see above)."""
        parts = [seek.join(base, target, self.bounds) for target in seek.targets]
        pages = [keyset.sort(part, after, backwards=backwards).values("pk")[:limit] for part in parts]
        model = base.model
        # The rows by primary key alone: the parts applied every filter, and a filter repeated here could
        # lead SQLite (without statistics) to walk that filter's index, testing each row against the pages.
        rows = model._default_manager.filter(pk__in=UnionAll(pages, output_field=model._meta.pk))
        source: Any = self.queryset  # what the list reads with its rows: the same joins, columns and prefetches
        rows.query.select_related = source.query.select_related
        rows.query.deferred_loading = source.query.deferred_loading
        rows._prefetch_related_lookups = source._prefetch_related_lookups
        return rows
