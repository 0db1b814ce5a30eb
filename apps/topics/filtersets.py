from apps.core.api.filters import SearchFilterSet, SlugsFilter, ordering_filter
from apps.topics.models import Topic


class TopicFilterSet(SearchFilterSet):
    search_fields = ("name", "slug", "description")

    parent = SlugsFilter(queryset=Topic.objects.all(), help_text="Parent topic slug: list its direct children.")
    ordering = ordering_filter("name", "slug", "created_at")

    class Meta:
        model = Topic
        fields = ["parent"]
