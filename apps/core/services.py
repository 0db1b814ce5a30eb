"""Writing a fact with its links and citations, all or nothing.

Every fact (event, statement, position, deadline) has a ``citations`` relation
to a citation model with ``source``, ``excerpt``, ``locator`` and ``note``.
These functions are the one way the API writes facts: fields, many-to-many
links and citations are saved in one transaction, so a failure leaves nothing
half-written, and a fact is never left without a citation.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.history import history_paused, record_history


def fact_create(model, *, citations: list[dict], **data):
    """Create a ``model`` fact from validated data; ``citations`` must hold at least one."""
    return _fact_save(model(), citations=citations, data=data)


def fact_update(instance, *, citations: list[dict] | None = None, **data):
    """Change the given fields of ``instance``; ``citations``, when given, replace the old ones."""
    return _fact_save(instance, citations=citations, data=data)


def _fact_save(instance, *, citations, data):
    if citations is not None and not citations:
        raise ValidationError({"citations": "A fact needs at least one citation."})
    many_to_many = {f.name for f in instance._meta.many_to_many}
    links = {name: data.pop(name) for name in list(data) if name in many_to_many}
    created = instance._state.adding
    with transaction.atomic():
        for name, value in data.items():
            setattr(instance, name, value)
        # One history record per write, taken once the links are set, instead of
        # one for the row and another for each many-to-many change.
        with history_paused(instance):
            instance.save()
            for name, value in links.items():
                getattr(instance, name).set(value)
        record_history(instance, "+" if created else "~")
        if citations is not None:
            instance.citations.all().delete()
            for citation in citations:
                instance.citations.create(**citation)
    return instance
