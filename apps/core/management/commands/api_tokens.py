"""List or revoke a user's API tokens: ``api_tokens USERNAME [--revoke KEY | --revoke-all]``."""

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.utils import timezone
from knox.models import AuthToken


class Command(BaseCommand):
    help = "List USERNAME's API tokens (key prefix, made, expires), or revoke one or all of them."

    def add_arguments(self, parser):
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--revoke", metavar="KEY", help="Revoke the token whose key starts with KEY.")
        group.add_argument("--revoke-all", action="store_true", help="Revoke every token of the user.")

    def handle(self, *args, username, revoke=None, revoke_all=False, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        tokens = AuthToken.objects.filter(user=user).order_by("created")
        if revoke_all:
            count, _ = tokens.delete()
            self.stdout.write(f"Revoked {count} token(s) of {username}.")
            return
        if revoke:
            matching = tokens.filter(token_key__startswith=revoke)
            if matching.count() != 1:
                raise CommandError(f"{matching.count()} tokens of {username} start with {revoke!r}; name exactly one.")
            matching.delete()
            self.stdout.write(f"Revoked token {revoke}… of {username}.")
            return
        now = timezone.now()
        for token in tokens:
            expiry = "never" if token.expiry is None else f"{token.expiry:%Y-%m-%d %H:%M} UTC"
            state = " (expired)" if token.expiry is not None and token.expiry <= now else ""
            self.stdout.write(f"{token.token_key}  made {token.created:%Y-%m-%d %H:%M} UTC  expires {expiry}{state}")
        if not tokens:
            self.stdout.write(f"{username} has no API tokens.")
