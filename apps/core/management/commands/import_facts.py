"""Import exported files: ``import_facts FILE [FILE …] [--resource R] [--dry-run] [--user NAME]``."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError

from apps.core.bulk.imports import ImportFailed, format_of, import_order, import_rows, read_rows


class Command(BaseCommand):
    help = (
        "Import files as the API exports them (.csv, .ndjson/.jsonl, .json, .xlsx: the format from the "
        "extension), each named after its resource (statements.csv) or given --resource. All files in one "
        "transaction: any refused row and nothing is written. Every change is a version."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--resource", choices=import_order(), help="The resource of every FILE.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, then write nothing.")
        parser.add_argument("--user", help="Record the versions under this username (default: none, 'an import').")

    def handle(self, *args, files, resource=None, dry_run=False, user=None, verbosity=1, **options):
        author = None
        if user:
            try:
                author = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {user!r}.") from None
        batches = []
        for name in files:
            path = Path(name)
            kind = resource or path.name.split(".")[0]
            if kind not in import_order():
                raise CommandError(
                    f"{name}: name the file after its resource ({', '.join(import_order())}) or use --resource."
                )
            try:
                rows = read_rows(path.read_bytes(), format_of(path))
            except (OSError, ValueError, KeyError) as exc:  # unreadable file, bad JSON or UTF-8, wrong type
                raise CommandError(f"{name}: {exc}") from None
            batches.append((kind, rows))
        try:
            outcomes = import_rows(batches, user=author, dry_run=dry_run)
        except ImportFailed as exc:
            raise CommandError(f"Nothing was imported; {len(exc.errors)} row(s) refused:\n{exc}") from None
        for outcome in outcomes:
            if outcome.change != "unchanged" and verbosity >= 2:
                fields = f" ({', '.join(outcome.changed_fields)})" if outcome.changed_fields else ""
                self.stdout.write(f"{outcome.resource} {outcome.public_id}: {outcome.change}{fields}")
        totals = {kind: sum(o.change == kind for o in outcomes) for kind in ("created", "changed", "unchanged")}
        summary = ", ".join(f"{count} {kind}" for kind, count in totals.items())
        if dry_run:
            self.stdout.write(f"Dry run, nothing written: would be {summary}.")
        else:
            self.stdout.write(f"Imported: {summary}.")
