"""FilterSet pieces every list shares: dates, certainty, text search, related slugs."""

import copy
import datetime
import json
import operator
from functools import reduce
from typing import ClassVar

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Value
from django.db.models.lookups import GreaterThanOrEqual, In, LessThanOrEqual
from django.http import QueryDict
from django.utils.safestring import mark_safe
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation

from apps.core.choices import Certainty
from apps.core.models import sorted_link
from apps.core.query.listing import DateBound, LinkFilter, ListQuery
from apps.core.query.ordering import in_order_key, read_in_order, sort_key
from apps.core.query.search import search

# ``?ordering=relevance``: best match for ``q`` first (an annotation, not a column; see ``search``).
RELEVANCE = "relevance"


def wants_relevance(ordering) -> bool:
    return any(entry.lstrip("-") == RELEVANCE for entry in ordering or [])


class SlugsInput(forms.TextInput):
    """A text box per value for the browsable API's filter form, not a multi-select listing every row.

    It reads a repeated parameter (``?speaker=a&speaker=b``) as the API does, and shows each
    value in its own box (the first one keeps the field's id for its label).
    """

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        return getlist(name) if getlist else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        values = [v for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")] or [""]
        boxes = []
        for index, one in enumerate(values):
            box_attrs = dict(attrs or {})
            if index:
                box_attrs.pop("id", None)
            boxes.append(super().render(name, one, box_attrs, renderer))
        return mark_safe(" ".join(boxes))


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Filter by related objects' slugs (or ids); a repeated parameter matches any value.

    An unknown value is a 400 naming the parameter. A many-to-many relation is matched
    with a subquery of the link table alone (``id IN (SELECT statement_id FROM …_topics
    WHERE topic_id IN …)``), so a row linked to two requested values is listed once
    without a DISTINCT over the whole result. One with a ``SortedLink`` over its table
    is handed to the list's planner instead, as a ``LinkFilter`` (``apps.core.query.listing``),
    which joins the links of one value, or reads several values' links value by value,
    so that a page is read from the link index in order (see ``reads_links``).
    """

    # Whether one value of a many-to-many filter may read the page from its link table (``SortedLink``);
    # ``FactFilterSet`` turns it off when a foreign key filter reads a smaller set from its own index.
    reads_links = True

    def __init__(self, *args, to_field_name="slug", **kwargs):
        kwargs.setdefault("distinct", False)
        kwargs.setdefault("widget", SlugsInput)
        super().__init__(*args, to_field_name=to_field_name, **kwargs)

    def filter(self, qs, value):
        # An absent parameter cleans to an empty queryset: test it without evaluating it (a query's worth
        # of work per filter per request).
        if not given(value):
            return qs
        # Under ``as_of`` the queryset holds version rows; ``instance_type`` is their live model.
        model = getattr(qs.model, "instance_type", qs.model)
        field = model._meta.get_field(self.field_name)
        lookup = {f"{self.field_name}__in": value}
        if field.many_to_many and model is not qs.model:
            # A version's links are in its historical link table, keyed by the version row.
            links = model._history_records.m2m_history_model(field)
            matching = links.objects.filter(**{f"{field.m2m_reverse_field_name()}__in": value})
            return qs.filter(pk__in=matching.values("history_id"))
        if not field.many_to_many:
            return qs.filter(**lookup)
        through = field.remote_field.through
        links = through.objects.filter(**{f"{field.m2m_reverse_field_name()}__in": value})
        links = links.values(field.m2m_field_name())
        link = sorted_link(field) if self.reads_links else None
        planned = getattr(self.parent, "link_filters", None)  # a FilterSet that hands its list to the planner
        if link is None or planned is None:
            return read_in_order(qs, links)
        targets = tuple(value)
        # Several targets: also the subquery, for a page the links' copies cannot serve (counted here, once).
        subquery = In(in_order_key(qs, links), links.query) if len(targets) > 1 else None
        planned.append(
            LinkFilter(link, field.m2m_field_name(), field.m2m_reverse_field_name(), targets, subquery=subquery)
        )
        return qs


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """One or more values of a column; a repeated parameter matches any of them.

    A column of the row itself never lists a row twice, so no ``DISTINCT`` (django-filter's
    default), which would make the database sort every matching row before taking a page.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class UTCDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date and time, converted to UTC (PostgreSQL refuses offsets beyond ±15:59)."""

    def to_python(self, value):
        parsed = super().to_python(value)
        try:
            return parsed.astimezone(datetime.UTC) if parsed and parsed.tzinfo else parsed
        except OverflowError:
            raise ValidationError("Out of the range of dates.", code="invalid") from None


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class IsoDateFilter(django_filters.DateFilter):
    """A date given as ISO 8601 (YYYY-MM-DD) only: Django's locale formats would read 02/05/2026 as 5 February."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """`true`/`false` (or `1`/`0`, any case); any other value is an error, not a silently ignored filter."""

    widget = forms.TextInput  # hands over the raw value; NullBooleanSelect maps unknown values to None
    values = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.values[str(value).lower()]
        except KeyError:
            raise ValidationError("Use true or false.", code="invalid") from None


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


# A search is a few words: bounded, so one request cannot make the database match a thousand patterns.
MAX_Q_LENGTH = 200
MAX_Q_TERMS = 16


def validate_search_terms(value: str) -> None:
    if len(value.split()) > MAX_Q_TERMS:
        raise ValidationError(f"Search for at most {MAX_Q_TERMS} words.", code="max_terms")


class SearchFilterSet(django_filters.FilterSet):
    """``q``: web search syntax (``apps.core.query.search``) over ``search_fields``, or the row's full-text vector.

    ``ordering=relevance`` (best match first) is accepted only with ``q``; a list whose ``ordering``
    filter does not offer it refuses it as any unknown ordering.
    """

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        max_length=MAX_Q_LENGTH,
        validators=[validate_search_terms],
        help_text=f'Text search: all words must match; `"a phrase"`, `-word` to exclude, `a or b`. '
        f"At most {MAX_Q_TERMS} words, {MAX_Q_LENGTH} characters.",
    )

    # django-filter deep-copies every filter and builds a new form class, with new fields, for each
    # request: about a quarter of a list page's time. A filter only takes this request's filterset and
    # model, so a shallow copy is enough (its method rebound to the copy); and the form class is the same
    # for every request of a FilterSet class (each form instance deep-copies its fields anyway).
    _form_classes: ClassVar[dict[type, type]] = {}

    # What the filters hand the list's planner besides the queryset (``list_query``).
    date_bounds: list[DateBound]
    link_filters: list[LinkFilter]
    _list_query: ListQuery | None

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.date_bounds, self.link_filters, self._list_query = [], [], None
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(base) for name, base in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # a FilterMethod bound to this copy, not to the class's filter

    @property
    def list_query(self) -> ListQuery:
        """The request's list as the planner takes it (``apps.core.query.listing``): the queryset with every filter
        applied but the link filters the planner reads, which the filters hand over with their date bounds."""
        if self._list_query is None:
            queryset = self.queryset.all()
            if self.is_bound:
                self.errors  # noqa: B018 -- validates the form before filtering, as django-filter's ``qs`` does
                queryset = self.filter_queryset(queryset)
            self._list_query = ListQuery(queryset, tuple(self.date_bounds), tuple(self.link_filters))
        return self._list_query

    @property
    def qs(self):
        """Every filter applied: the list's rows, not paged (django-filter's ``qs``)."""
        if not hasattr(self, "_qs"):
            self._qs = self.list_query.rows()
        return self._qs

    def get_form_class(self):
        form_class = self._form_classes.get(type(self))
        if form_class is None:
            form_class = self._form_classes[type(self)] = super().get_form_class()
        return form_class

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if valid and wants_relevance(self.form.cleaned_data.get("ordering")) and not self.form.cleaned_data.get("q"):
            self.form.add_error(
                "ordering", ValidationError("Sort by relevance only with a search (q).", code="invalid")
            )
            return False
        if valid and self.ranks_too_many():
            limit = settings.SEARCH_RANK_LIMIT
            message = (
                f"Sorting by relevance ranks at most {limit:,} matches, and this search has more. "
                "Narrow it (more words, a phrase, another filter) or sort by date."
            )
            self.form.add_error("ordering", ValidationError(message, code="too_many_matches"))
            return False
        return valid

    def ranks_too_many(self) -> bool:
        """Whether ``ordering=relevance`` would rank more than ``SEARCH_RANK_LIMIT`` matches.

        Every match is scored before the first page can be read: ``q=ceasefire`` (223,880 of a million
        statements) took 490 ms, a word in most rows seconds. Past the limit the request is refused with
        a 400 rather than left as unbounded work. Counting stops at the limit (one query, ``LIMIT n + 1``).
        A relevance every match shares (a constant: the substring search without ``or``) ranks nothing
        and is not counted. (Relevance without ``q`` was refused before this is asked.)
        """
        if not wants_relevance(self.form.cleaned_data.get("ordering")):
            return False
        relevance = self.qs.query.annotations.get(RELEVANCE)
        if relevance is None or isinstance(relevance, Value):
            return False
        limit = settings.SEARCH_RANK_LIMIT
        return self.qs.order_by().values("pk")[: limit + 1].count() > limit

    def filter_q(self, qs, name, value):
        rank = wants_relevance(self.form.cleaned_data.get("ordering"))
        return search(qs, value, self.term_condition, rank=rank)

    def term_condition(self, term: str) -> Q:
        """Rows where the word or phrase ``term`` appears in at least one search field.

        ``aliases`` (a JSON list) is searched as JSON text, where a word may be written escaped: SQLite
        stores non-ASCII as \\uXXXX ("Путин"), and both databases escape quotes. Match that form too.
        """
        condition = reduce(operator.or_, (Q(**{f"{field}__icontains": term}) for field in self.search_fields))
        escaped = json.dumps(term)[1:-1]
        if escaped == term:
            return condition
        aliases = [field for field in self.search_fields if field.split("__")[-1] == "aliases"]
        return reduce(operator.or_, (Q(**{f"{field}__icontains": escaped}) for field in aliases), condition)


class DatedFilterSet(SearchFilterSet):
    """``date_from`` / ``date_to``, inclusive, on the resource's main date.

    Subclasses set ``date_field``, or ``date_span = (start, end)`` for things that
    hold over a span (positions, roles): then the range selects spans that overlap
    it, an empty start or end counting as open.
    """

    date_field: str | None = None
    date_span: tuple[str, str] | None = None

    date_from = IsoDateFilter(
        method="filter_date_from", label="Date from", help_text="On or after this date (YYYY-MM-DD)."
    )
    date_to = IsoDateFilter(method="filter_date_to", label="Date to", help_text="On or before this date (YYYY-MM-DD).")

    # A nullable date that the page is sorted by is bounded through its sort key (``apps.core.query.ordering``),
    # the expression the list's index holds, so the index that sorts also seeks to the range. The key equals
    # the date wherever the date is set, so with "is set" added the rows are exactly the same. (Bounding both
    # the date and the key would make the planner guess too few rows, and sort them instead.)

    def filter_date_from(self, qs, name, value):
        if self.date_span:
            # "ends on or after, or has no end" is exactly: the end's ascending sort key (NULL = the largest date).
            return qs.filter(GreaterThanOrEqual(sort_key(self.date_span[1], descending=False), value))
        return self.date_bound(qs, value, at_least=True)

    def filter_date_to(self, qs, name, value):
        if self.date_span:
            # "starts on or before, or has no start" is exactly: the start's descending sort key (NULL = the smallest).
            return qs.filter(LessThanOrEqual(sort_key(self.date_span[0], descending=True), value))
        return self.date_bound(qs, value, at_least=False)

    def date_bound(self, qs, value, *, at_least: bool):
        """The bound on the list's date, also handed to the planner, which repeats it on the links' copy."""
        field = self.date_field
        assert field is not None
        ordering = self.form.cleaned_data.get("ordering") or self._meta.model._meta.ordering
        if not qs.model._meta.get_field(field).null or not ordering or ordering[0].lstrip("-") != field:
            bound = DateBound(field, value, at_least)
            self.date_bounds.append(bound)
            return qs.filter(bound.condition())
        bound = DateBound(field, value, at_least, descending=ordering[0].startswith("-"))
        self.date_bounds.append(bound)
        return qs.filter(bound.condition(), **{f"{field}__isnull": False})

    def filter_valid_at(self, qs, name, value):
        """Held on ``value``: the span overlaps that one day."""
        return self.filter_date_to(self.filter_date_from(qs, name, value), name, value)


class FactFilterSet(DatedFilterSet):
    """Base for every fact list: dates, certainty and text search."""

    certainty = ChoicesFilter(choices=Certainty.choices, help_text="Repeat to match any of several values.")

    def filter_queryset(self, queryset):
        # A foreign key filter (one speaker's statements, a few hundred of a million) reads its page from
        # its own sorted index, testing each row's links; a link filter reading its page from the link
        # table would walk all of a topic's links (a twentieth of the list) testing the speaker instead.
        model = self._meta.model
        keyed = any(
            isinstance(f, SlugsFilter)
            and not model._meta.get_field(f.field_name).many_to_many
            and given(self.form.cleaned_data.get(name))
            for name, f in self.filters.items()
        )
        for f in self.filters.values():
            if isinstance(f, SlugsFilter):
                f.reads_links = not keyed
        return super().filter_queryset(queryset)


def given(value) -> bool:
    """A filter's cleaned value names something (an absent slug filter cleans to an empty queryset, which
    is tested without a query)."""
    if isinstance(value, QuerySet):
        return not value.query.is_empty()
    return bool(value)


class RelevanceOrderingFilter(django_filters.OrderingFilter):
    """``relevance`` sorts the best match first (``-relevance`` the worst first)."""

    def get_ordering_value(self, param):
        if param.lstrip("-") == RELEVANCE:
            return RELEVANCE if param.startswith("-") else f"-{RELEVANCE}"
        return super().get_ordering_value(param)


def ordering_filter(*fields: str, relevance: bool = False) -> django_filters.OrderingFilter:
    """``?ordering=`` over whitelisted fields; ``-field`` sorts descending. The id breaks ties.

    With ``relevance``, also ``relevance`` (with ``q`` only): the best match for the search first.
    """
    help_text = "Sort by one or more of the listed fields, comma-separated; prefix `-` for descending."
    if relevance:
        help_text += (
            " `relevance` (only with `q`): the best match first. It ranks at most `SEARCH_RANK_LIMIT` matches"
            " (a server setting, 2,000 by default); a search with more is a 400 (`too_many_matches`)."
        )
    filter_class = RelevanceOrderingFilter if relevance else django_filters.OrderingFilter
    names = [*fields, RELEVANCE] if relevance else list(fields)
    labels = {RELEVANCE: "Relevance, best match first", f"-{RELEVANCE}": "Relevance, best match last"}
    return filter_class(
        fields=[(field, field) for field in names], field_labels=labels if relevance else {}, help_text=help_text
    )


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, also for the version rows an ``as_of`` request lists.

    Version tables carry the live model's columns under the same names, so a
    resource's FilterSet applies to them unchanged (many-to-many: ``SlugsFilter``).
    """

    def get_filterset_kwargs(self, request, queryset, view):
        """One documented reading of the query string: an empty parameter (``?topic=``) is ignored, as if
        absent; a repeated ``ordering`` sorts by each value in turn, like a comma-separated one."""
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        for key in list(data.keys()):
            values = [value for value in data.getlist(key) if value != ""]
            if key == "ordering" and values:
                values = [",".join(values)]
            if values:
                data.setlist(key, values)
            else:
                del data[key]
        kwargs["data"] = data
        return kwargs

    def filter_queryset(self, request, queryset, view):
        return self.list_query(request, queryset, view).rows()

    def list_query(self, request, queryset, view) -> ListQuery:
        """The filtered list as the paginator's and the export's planner take it (``apps.core.query.listing``)."""
        filterset_class = self.get_filterset_class(view, queryset)
        given = {key for key, values in request.query_params.lists() if any(value != "" for value in values)}
        if filterset_class is not None and not given & set(filterset_class.base_filters):
            # No filter named: the FilterSet would only validate empty values and return the queryset as
            # it is. Skipping it saves about 2 ms of a page or an item.
            return ListQuery(queryset)
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return ListQuery(queryset)
        if not filterset.is_valid() and self.raise_exception:
            raise translate_validation(filterset.errors)
        return filterset.list_query if isinstance(filterset, SearchFilterSet) else ListQuery(filterset.qs)

    def get_filterset_class(self, view, queryset=None):
        if queryset is not None and hasattr(queryset.model, "instance_type"):
            return getattr(view, "filterset_class", None)
        return super().get_filterset_class(view, queryset)


def list_query(view, queryset) -> ListQuery:
    """``view.filter_queryset(queryset)`` as a ``ListQuery``: this module's backend hands over its filters'
    plain value; any other backend filters the queryset."""
    query = ListQuery(queryset)
    for backend in (backend_class() for backend_class in view.filter_backends):
        if isinstance(backend, FilterBackend):
            query = backend.list_query(view.request, query.queryset, view)
        else:
            query = query.filtered(backend.filter_queryset(view.request, query.queryset, view))
    return query
