"""``GET /api/v1/actors/{slug}/timeline/``: one actor's story, merged from every kind of fact."""

import datetime
import functools
import uuid
from urllib.parse import quote

from django import forms
from django.http import Http404
from django.utils.module_loading import import_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.actors.api.views import RoleViewSet
from apps.actors.models import Actor
from apps.core.api.mixins.as_of import parse_as_of
from apps.core.api.pagination import KeysetPagination, cursor_error
from apps.core.api.schema import AS_OF_HELP
from apps.core.query.keyset import Page, decode_cursor, encode_cursor
from apps.core.record.versions import current_at
from apps.deadlines.api.views import DeadlineViewSet
from apps.events.api.views import EventViewSet
from apps.positions.api.views import PositionViewSet
from apps.statements.api.views import StatementViewSet
from apps.timelines.api.serializers import TimelinePageSerializer
from apps.timelines.choices import EntryType, TimelineOrdering
from apps.timelines.selectors import BRANCHES, Cursor, Query, page_keys, summary, versions_data
from apps.topics.models import Topic

# Each fact read as its own endpoint reads it: the same joins and prefetches, so a page costs a fixed
# number of queries however many entries it has.
LIVE_QUERYSETS = {
    viewset.queryset.model: viewset.queryset
    for viewset in (StatementViewSet, EventViewSet, PositionViewSet, DeadlineViewSet, RoleViewSet)
}
RESOURCE_OF_TYPE = {str(branch.kind): branch.model for branch in BRANCHES}


class TimelineForm(forms.Form):
    """The timeline's query parameters; an invalid one is a 400 naming it."""

    topic = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), to_field_name="slug", required=False)
    date_from = forms.DateField(input_formats=["%Y-%m-%d"], required=False)
    date_to = forms.DateField(input_formats=["%Y-%m-%d"], required=False)
    type = forms.MultipleChoiceField(choices=EntryType.choices, required=False)
    ordering = forms.ChoiceField(choices=TimelineOrdering.choices, required=False)


def encode(entry: tuple, *, ordering: str, backwards: bool) -> str:
    """The cursor of an entry ``(key, type, id, …)``: the timeline's own keys, in every list's form."""
    key, entry_type, entry_id = entry[:3]
    return encode_cursor(ordering, [key.isoformat(), entry_type, str(entry_id)], backwards=backwards)


def decode(raw: str, *, ordering: str) -> tuple[Cursor, bool]:
    try:
        (key, entry_type, entry_id), backwards = decode_cursor(raw, ordering)
        if entry_type not in EntryType.values:
            raise ValueError("unknown entry type")
        return Cursor(datetime.date.fromisoformat(key), entry_type, str(uuid.UUID(entry_id))), backwards
    except (ValueError, TypeError, AttributeError):
        raise cursor_error() from None


ENTRY_TYPES = ", ".join(f"`{value}`" for value in EntryType.values)


class ActorTimelineView(GenericAPIView):
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []
    pagination_class = None
    serializer_class = TimelinePageSerializer
    queryset = Actor.objects.none()  # for the schema's path parameter only

    @extend_schema(
        operation_id="actors_timeline",
        summary="An actor's timeline",
        description="One actor's story in date order: statements by or about the actor, events they took part in, "
        "the start and the end of each of their positions and roles (two entries), and deadlines they are party "
        "to. Each entry has its `date` at its `date_precision` (a month-precision date is the 1st and sorts there), "
        "a `type`, a one-line `summary`, the `url` of the fact and, in `data`, the fact as its own endpoint returns "
        "it. Undated entries come last in either order; entries on one date follow in `type` order, then by id. "
        "Paged by cursor like every list (`page_size` 1 to 200); `as_of` reads the record as it stood then.",
        tags=["actors"],
        parameters=[
            OpenApiParameter(
                "topic",
                OpenApiTypes.STR,
                many=True,
                description="Topic slug; repeat to match any of several. Roles have no topic, so a topic "
                "leaves them out.",
            ),
            OpenApiParameter(
                "date_from",
                OpenApiTypes.DATE,
                description="Entries on or after this date (YYYY-MM-DD); undated entries are left out.",
            ),
            OpenApiParameter(
                "date_to",
                OpenApiTypes.DATE,
                description="Entries on or before this date (YYYY-MM-DD); undated entries are left out.",
            ),
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                many=True,
                enum=EntryType.values,
                description=f"Only entries of this type ({ENTRY_TYPES}); repeat to match any of several.",
            ),
            OpenApiParameter(
                "ordering",
                OpenApiTypes.STR,
                enum=TimelineOrdering.values,
                description="`date` (the default): oldest first; `-date`: newest first. Undated entries "
                "last either way.",
            ),
            OpenApiParameter("as_of", OpenApiTypes.DATETIME, description=AS_OF_HELP),
            OpenApiParameter(
                "cursor", OpenApiTypes.STR, description="Opaque position from a page's `next` or `previous` link."
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": KeysetPagination.max_page_size},
                description=f"Entries per page, 1 to {KeysetPagination.max_page_size} (default "
                f"{KeysetPagination.default_page_size}); a larger value is a 400.",
            ),
        ],
        responses=TimelinePageSerializer,
    )
    def get(self, request, *args, slug: str, **kwargs):
        form = TimelineForm(self.query_data(request))
        if not form.is_valid():
            raise exceptions.ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        as_of = parse_as_of(request.query_params["as_of"]) if request.query_params.get("as_of") else None
        ordering = form.cleaned_data["ordering"] or TimelineOrdering.OLDEST_FIRST
        page_size = KeysetPagination().get_page_size(request)
        cursor, backwards = None, False
        if raw := request.query_params.get("cursor"):
            cursor, backwards = decode(raw, ordering=ordering)

        actors = current_at(Actor, as_of) if as_of is not None else Actor.objects.all()
        actor_id = actors.filter(slug=slug).values_list("id", flat=True).first()
        if actor_id is None:
            raise Http404
        newest_first = ordering == TimelineOrdering.NEWEST_FIRST
        query = Query(
            actor_id=actor_id,
            newest_first=newest_first,
            types=frozenset(form.cleaned_data["type"] or EntryType.values),
            topics=tuple(topic.pk for topic in form.cleaned_data["topic"]),
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            as_of=as_of,
        )
        # Walking forward in oldest-first order, or back in newest-first order, goes towards larger keys.
        keys = page_keys(query, cursor=cursor, larger=newest_first == backwards, limit=page_size + 1)
        page = Page.cut(keys, page_size, backwards=backwards, after_cursor=cursor is not None)
        base_url = request.build_absolute_uri()
        cursor_of = functools.partial(encode, ordering=ordering)
        return Response(
            {
                "next": page.next_link(base_url, cursor_of),
                "previous": page.previous_link(base_url, cursor_of),
                "results": self.entries(page.rows, as_of=as_of),
            }
        )

    @staticmethod
    def query_data(request):
        """Empty parameters are ignored, as in every list (``?topic=`` is no filter, not a bad slug)."""
        data = request.query_params.copy()
        for key in list(data.keys()):
            values = [value for value in data.getlist(key) if value != ""]
            if values:
                data.setlist(key, values)
            else:
                del data[key]
        return data

    def entries(self, keys: list[tuple], *, as_of) -> list[dict]:
        """The page's entries with their facts: one read (with its prefetches) per kind of fact on the page."""
        wanted: dict = {}
        for _, entry_type, entry_id, _, _ in keys:
            wanted.setdefault(RESOURCE_OF_TYPE[entry_type], set()).add(entry_id)
        data: dict = {}
        for model, ids in wanted.items():
            if as_of is not None:
                data[model] = versions_data(model, list(ids), as_of)
            else:
                serializer = import_string(model.api_serializer)
                rows = LIVE_QUERYSETS[model].filter(pk__in=ids)
                data[model] = {
                    item["id"]: item for item in serializer(rows, many=True, context=self.get_serializer_context()).data
                }
        suffix = f"?as_of={quote(as_of.isoformat().replace('+00:00', 'Z'), safe=':')}" if as_of is not None else ""
        results = []
        for _, entry_type, entry_id, date, precision in keys:
            model = RESOURCE_OF_TYPE[entry_type]
            fact = data[model].get(str(entry_id))
            if fact is None:  # deleted between the two reads: the next request will not list it
                continue
            results.append(
                {
                    "date": date.isoformat() if date else None,
                    "date_precision": precision,
                    "type": entry_type,
                    "summary": summary(entry_type, fact),
                    "url": self.request.build_absolute_uri(f"/api/v1/{model.api_resource}/{entry_id}/") + suffix,
                    "data": fact,
                }
            )
        return results
