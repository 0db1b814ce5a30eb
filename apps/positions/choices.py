from django.db import models


class Stance(models.TextChoices):
    DEMANDS = "demands", "Demands"
    SUPPORTS = "supports", "Supports"
    OPPOSES = "opposes", "Opposes"
    OFFERS = "offers", "Offers"
    REJECTS = "rejects", "Rejects"
    SEEKS = "seeks", "Seeks"
