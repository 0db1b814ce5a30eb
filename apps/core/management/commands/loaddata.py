"""``loaddata`` that leaves a history record for every object it loads.

Django saves fixture rows with ``raw=True``, which django-simple-history skips,
and sets many-to-many links afterwards, which it would record as changes to an
object it never saw created. So links are loaded silently and one record per
object is written at the end, in the same transaction: "+" (created) for an
object new to the history, "~" (changed) for one a fixture loads over.
"""

from django.core.management.commands import loaddata

from apps.core.history import has_history, history_paused, record_history


class Command(loaddata.Command):
    help = loaddata.Command.help + " Records a history entry for every loaded object."

    def loaddata(self, fixture_labels):
        self.loaded_objects = []
        super().loaddata(fixture_labels)
        for instance in self.loaded_objects:
            manager = type(instance).history
            history_type = "~" if manager.filter(**{instance._meta.pk.attname: instance.pk}).exists() else "+"
            record_history(instance, history_type, using=self.using)

    def save_obj(self, obj):
        instance = obj.object
        if not has_history(type(instance)):
            return super().save_obj(obj)
        with history_paused(instance):
            saved = super().save_obj(obj)
        if saved:
            self.loaded_objects.append(instance)
        return saved
