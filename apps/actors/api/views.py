from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from apps.actors.api.serializers import ActorSerializer, RoleSerializer
from apps.actors.filtersets import ActorFilterSet, RoleFilterSet
from apps.actors.models import Actor, Role


@extend_schema_view(
    list=extend_schema(summary="List actors"),
    retrieve=extend_schema(summary="Get an actor by slug"),
    create=extend_schema(summary="Create an actor"),
    update=extend_schema(summary="Replace an actor"),
    partial_update=extend_schema(summary="Change some of an actor's fields"),
    destroy=extend_schema(summary="Delete an actor with no facts attached"),
)
class ActorViewSet(viewsets.ModelViewSet):
    queryset = Actor.objects.order_by("name", "slug")
    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


@extend_schema_view(
    list=extend_schema(summary="List roles (posts actors hold)"),
    retrieve=extend_schema(summary="Get a role"),
    create=extend_schema(summary="Create a role"),
    update=extend_schema(summary="Replace a role"),
    partial_update=extend_schema(summary="Change some of a role's fields"),
    destroy=extend_schema(summary="Delete a role"),
)
class RoleViewSet(viewsets.ModelViewSet):
    queryset = Role.objects.select_related("actor", "organization").order_by("-valid_from", "id")
    serializer_class = RoleSerializer
    filterset_class = RoleFilterSet
