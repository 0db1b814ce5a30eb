from django.db import models


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    STATE = "state", "State"
    ORGANIZATION = "organization", "Organization"
    GROUP = "group", "Group"


class MatchVia(models.TextChoices):
    """How a name matcher candidate matched (``apps.actors.matching``)."""

    SLUG = "slug", "The actor's slug"
    NAME = "name", "The actor's name"
    ALIAS = "alias", "An alias"
    VARIANT = "variant", "A name or alias spelled differently (transliteration, accents)"
    SURNAME = "surname", "A person's surname alone"
    SIMILAR = "similar", "A near spelling of a name or alias"
    ROLE = "role", "A role held on the date"
    NAME_AND_ROLE = "name_and_role", "A name and a role that person holds"
    SURNAME_AND_ROLE = "surname_and_role", "A surname and a role that person holds"
    NAME_IN_PHRASE = "name_in_phrase", "A name inside a longer phrase"
