from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.actors.api.serializers import ActorMatchResultSerializer, ActorSerializer, RoleSerializer
from apps.actors.choices import ActorKind
from apps.actors.filtersets import ActorFilterSet, RoleFilterSet
from apps.actors.matching import DEFAULT_LIMIT, ActorMatcher
from apps.actors.models import Actor, Role
from apps.core.api.schema import crud_schema
from apps.core.api.views import VersionedViewSet

MAX_MATCH_LIMIT = 20


@crud_schema("actor", "actors", retrieve="Get an actor by slug", destroy="Delete an actor with no facts attached")
class ActorViewSet(VersionedViewSet):
    queryset = Actor.objects.all()
    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


@crud_schema("role", "roles", list="List roles (posts actors hold)")
class RoleViewSet(VersionedViewSet):
    queryset = Role.objects.select_related("actor", "organization")
    serializer_class = RoleSerializer
    filterset_class = RoleFilterSet


class MatchForm(forms.Form):
    """The matcher's query parameters; an invalid one is a 400 naming it."""

    name = forms.CharField(max_length=200, strip=True)
    on = forms.DateField(input_formats=["%Y-%m-%d"], required=False)
    kind = forms.MultipleChoiceField(choices=ActorKind.choices, required=False)
    limit = forms.IntegerField(min_value=1, max_value=MAX_MATCH_LIMIT, required=False)


def query_data(request) -> dict:
    """Query parameters for a form: lists for the repeatable ones, the last value for the others."""
    params = request.query_params
    return {key: params.getlist(key) if key == "kind" else params.get(key) for key in params}


class ActorMatchView(GenericAPIView):
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []
    pagination_class = None
    serializer_class = ActorMatchResultSerializer

    @extend_schema(
        operation_id="actors_match",
        summary="Match a name to actors",
        description='Resolve a name, alias, surname, title or role phrase to actors, best first: "Lavrov", '
        '"Сергей Лавров", "Zelenskiy", "the Russian foreign minister", "Brazil\'s foreign minister". '
        "Names and aliases are compared with accents and case folded and other scripts transliterated; a "
        "role phrase matches whoever held that role on `on` (its title, and the state or body it belongs "
        "to named by name, alias or nationality adjective). Each candidate has a `score` (0–100), `via` "
        "(what matched) and an `explanation`. A name two or more actors answer to about equally is "
        "`ambiguous`, and none of them is the `match`: offer the `results` as choices.",
        tags=["actors"],
        parameters=[
            OpenApiParameter(
                "name",
                {"type": "string", "minLength": 1, "maxLength": 200},
                required=True,
                description="The name or phrase, up to 200 characters.",
            ),
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                description="Match roles held on this date (YYYY-MM-DD); default today. A term known only to "
                "the month or year covers a date inside that month or year only as a lower-scored `maybe`.",
            ),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                many=True,
                enum=ActorKind.values,
                description="Only actors of this kind; repeat for several.",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_MATCH_LIMIT},
                description=f"At most this many candidates, 1 to {MAX_MATCH_LIMIT} (default {DEFAULT_LIMIT}).",
            ),
        ],
        responses=ActorMatchResultSerializer,
    )
    def get(self, request, *args, **kwargs):
        form = MatchForm(query_data(request))
        if not form.is_valid():
            raise exceptions.ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        data = form.cleaned_data
        # Two queries (actors, roles) however many actors there are: see apps.actors.matching.
        result = ActorMatcher.load().match(
            data["name"], on=data["on"], kinds=data["kind"] or None, limit=data["limit"] or DEFAULT_LIMIT
        )
        return Response(self.get_serializer(result).data)
