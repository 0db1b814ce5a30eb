"""``loaddata`` whose rows go through the write path's validation and leave one version each.

Django saves fixture rows raw (no ``save()`` logic, links set afterwards) so that
rows may refer to each other in any order. Once every row is in, each loaded
versioned row is validated and versioned by ``apps.core.record.services.record_loaded``,
in the same transaction: a fact loaded with its citations and links is one
"created" version, and loading the same fixture again records nothing.
"""

from django.core.management.commands import loaddata

from apps.core.record import services
from apps.core.record.versions import is_versioned


class Command(loaddata.Command):
    help = loaddata.Command.help + " Every loaded row is validated and versioned through the write path."

    def loaddata(self, fixture_labels):
        self.loaded_objects = []
        super().loaddata(fixture_labels)
        for instance in self.loaded_objects:
            services.record_loaded(instance)

    def save_obj(self, obj):
        saved = super().save_obj(obj)
        if saved and is_versioned(type(obj.object)):
            self.loaded_objects.append(obj.object)
        return saved
