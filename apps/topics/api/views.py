from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from apps.topics.api.serializers import TopicSerializer
from apps.topics.filtersets import TopicFilterSet
from apps.topics.models import Topic


@extend_schema_view(
    list=extend_schema(summary="List topics"),
    retrieve=extend_schema(summary="Get a topic by slug"),
    create=extend_schema(summary="Create a topic"),
    update=extend_schema(summary="Replace a topic"),
    partial_update=extend_schema(summary="Change some of a topic's fields"),
    destroy=extend_schema(summary="Delete a topic with no facts filed under it"),
)
class TopicViewSet(viewsets.ModelViewSet):
    queryset = Topic.objects.select_related("parent").order_by("name", "slug")
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
