"""Load the seed fixture (the January 2026 explainer) with history records."""

from django.core.management import BaseCommand, call_command

from apps.core.record.versions import versioned_models


class Command(BaseCommand):
    help = "Load fixtures/seed.json. With --if-empty, only when the database holds no facts yet."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any data is already loaded.")

    def handle(self, *args, if_empty=False, verbosity=1, **options):
        if if_empty and self.has_data():
            if verbosity:
                self.stdout.write("Database already holds data; seed not loaded.")
            return
        call_command("loaddata", "seed", verbosity=verbosity)

    @staticmethod
    def has_data() -> bool:
        return any(model._base_manager.exists() for model in versioned_models())
