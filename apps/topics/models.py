"""What facts are about. Topics may nest ("Ukraine peace talks" under "Russia–Ukraine war")."""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from apps.core.constraints import not_blank_constraint
from apps.core.models import BoundedTextField, ProtectedLinksMixin, TimeStampedModel, VersionedManager, VersionedModel
from apps.core.record.history import HistoricalRecords


class TopicManager(VersionedManager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Topic(ProtectedLinksMixin, VersionedModel, TimeStampedModel):
    """A subject facts are filed under, addressed by slug."""

    api_resource = "topics"
    api_lookup_field = "slug"
    api_serializer = "apps.topics.api.serializers.TopicSerializer"

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = BoundedTextField(blank=True)
    parent = models.ForeignKey("topics.Topic", on_delete=models.PROTECT, related_name="children", null=True, blank=True)

    objects: ClassVar[TopicManager] = TopicManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "slug"]
        verbose_name = "topic"
        constraints = [
            not_blank_constraint("slug"),
            not_blank_constraint("name"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="%(app_label)s_%(class)s_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        # Walk up from the new parent; meeting this topic again means a cycle. The walk keeps
        # what it has seen, so it ends even on a cycle already in the data.
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": "A topic cannot be nested under itself or its own descendants."})
            seen.add(node.pk)
            node = node.parent
