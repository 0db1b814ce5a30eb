"""Who acts: people, states, organizations, groups, and the posts people hold."""

from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from apps.actors.choices import ActorKind
from apps.core.choices import DatePrecision
from apps.core.constraints import choices_constraint, not_blank_constraint, precision_constraint, range_constraint
from apps.core.models import (
    BoundedTextField,
    ProtectedLinksMixin,
    TimeStampedModel,
    UUIDModel,
    VersionedManager,
    VersionedModel,
)
from apps.core.record.history import HistoricalRecords

country_code_validator = RegexValidator(r"^[A-Z]{2}$", "Use an ISO 3166-1 alpha-2 code in capitals, e.g. US.")
wikidata_validator = RegexValidator(r"^Q[1-9][0-9]*$", "Use a Wikidata item id, e.g. Q22686.")


class ActorManager(VersionedManager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Actor(ProtectedLinksMixin, VersionedModel, TimeStampedModel):
    """A person, state, organization or group that says, wants or does things."""

    api_resource = "actors"
    api_lookup_field = "slug"
    api_serializer = "apps.actors.api.serializers.ActorSerializer"

    slug = models.SlugField(max_length=100, unique=True, help_text="Public id, e.g. 'vladimir-putin'.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=ActorKind.choices)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, as a list of strings.")
    description = BoundedTextField(blank=True)
    country = models.CharField(
        max_length=2,
        blank=True,
        validators=[country_code_validator],
        help_text="ISO 3166-1 alpha-2 code: the state itself, or a person's or body's country.",
    )
    wikidata_id = models.CharField(
        "Wikidata id", max_length=16, blank=True, validators=[wikidata_validator], help_text="e.g. Q22686"
    )

    objects: ClassVar[ActorManager] = ActorManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "slug"]
        verbose_name = "actor"
        constraints = [
            choices_constraint("kind", ActorKind),
            not_blank_constraint("slug"),
            not_blank_constraint("name"),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"),
                name="%(app_label)s_%(class)s_country_iso_alpha2",
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"], condition=~Q(wikidata_id=""), name="%(app_label)s_%(class)s_unique_wikidata_id"
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="actors_actor_kind_name_idx")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Role(VersionedModel, UUIDModel):
    """An actor holding a post over a span of valid time (Popolo's membership)."""

    api_resource = "roles"
    api_serializer = "apps.actors.api.serializers.RoleSerializer"
    precision_fields = ("valid_from", "valid_to")
    range_fields = ("valid_from", "valid_to")
    world_fields = frozenset({"valid_to"})

    actor = models.ForeignKey("actors.Actor", on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200, help_text="e.g. 'U.S. Ambassador to NATO'.")
    organization = models.ForeignKey(
        "actors.Actor",
        on_delete=models.PROTECT,
        related_name="member_roles",
        null=True,
        blank=True,
        help_text="The state or body the post belongs to.",
    )
    valid_from = models.DateField(null=True, blank=True, help_text="Empty when the start is unknown.")
    valid_to = models.DateField(null=True, blank=True, help_text="Empty while the post is still held.")
    date_precision = models.CharField(max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = "role"
        constraints = [
            range_constraint("valid_from", "valid_to"),
            choices_constraint("date_precision", DatePrecision),
            precision_constraint("valid_from", "valid_to"),
            not_blank_constraint("title"),
        ]
        indexes = [models.Index(fields=["actor", "valid_from", "valid_to"], name="actors_role_actor_span_idx")]

    def __str__(self):
        return f"{self.actor} — {self.title}"
