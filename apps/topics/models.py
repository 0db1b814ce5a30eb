"""What facts are about. Topics may nest ("Ukraine peace talks" under "Russia–Ukraine war")."""

from django.db import models
from django.db.models import F, Q

from apps.core.constraints import not_blank_constraint
from apps.core.history import HistoricalRecords
from apps.core.models import ProtectedLinksMixin, TimeStampedModel


class TopicManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Topic(ProtectedLinksMixin, TimeStampedModel):
    """A subject facts are filed under, addressed by slug."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey("topics.Topic", on_delete=models.PROTECT, related_name="children", null=True, blank=True)

    objects = TopicManager()
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
