"""Load the seed fixture (the January 2026 explainer) with history records."""

from django.apps import apps
from django.core.management import BaseCommand, call_command

DATA_APPS = ["actors", "topics", "sources", "events", "statements", "positions", "deadlines"]


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
        return any(
            model.objects.exists()
            for label in DATA_APPS
            for model in apps.get_app_config(label).get_models()
            if not model._meta.auto_created
        )
