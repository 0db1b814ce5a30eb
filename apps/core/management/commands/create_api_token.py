"""Issue an API token: ``create_api_token USERNAME [--group Editors]``; the token is the last line."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from knox.models import AuthToken


class Command(BaseCommand):
    help = "Create USERNAME if needed, add them to --group, and print a new API token as the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--group", help="Group to add the user to, e.g. Editors (it must exist).")

    @transaction.atomic
    def handle(self, *args, username, group=None, **options):
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()  # an API-only account; set a password to use the admin
            user.save()
            self.stdout.write(f"Created user {username}.")
        if group:
            try:
                user.groups.add(Group.objects.get(name=group))
            except Group.DoesNotExist:
                raise CommandError(f"No group named {group!r}.") from None
            self.stdout.write(f"{username} is in group {group}.")
        _, token = AuthToken.objects.create(user=user)  # expiry from API_TOKEN_TTL_DAYS
        self.stdout.write("Token (shown once; only its hash is stored):")
        self.stdout.write(token)
