from apps.actors.api.serializers import ActorSerializer, RoleSerializer
from apps.actors.filtersets import ActorFilterSet, RoleFilterSet
from apps.actors.models import Actor, Role
from apps.core.api.schema import crud_schema
from apps.core.api.views import VersionedViewSet


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
