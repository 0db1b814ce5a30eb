from apps.core.api.schema import crud_schema
from apps.core.api.views import VersionedViewSet
from apps.topics.api.serializers import TopicSerializer
from apps.topics.filtersets import TopicFilterSet
from apps.topics.models import Topic


@crud_schema("topic", "topics", retrieve="Get a topic by slug", destroy="Delete a topic with no facts filed under it")
class TopicViewSet(VersionedViewSet):
    queryset = Topic.objects.select_related("parent")
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
