"""History of every change, on top of django-simple-history.

The subclass keeps a handle on itself on the model class, so code that writes
rows without signals (``loaddata`` with ``raw=True``) can still record them.
"""

from contextlib import contextmanager

from simple_history.models import HistoricalRecords as _HistoricalRecords


class HistoricalRecords(_HistoricalRecords):
    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        cls._history_records = self


def record_history(instance, history_type: str, using: str | None = None) -> None:
    """Write one history row for ``instance`` ("+" created, "~" changed), m2m links included."""
    instance._history_records.create_historical_record(instance, history_type, using=using)


@contextmanager
def history_paused(instance):
    """Save ``instance`` and set its many-to-many links without history records (simple-history
    skips an instance carrying ``skip_history_when_saving``); the caller records once afterwards."""
    instance.skip_history_when_saving = True
    try:
        yield instance
    finally:
        del instance.skip_history_when_saving


def has_history(model) -> bool:
    return hasattr(model, "_history_records")
