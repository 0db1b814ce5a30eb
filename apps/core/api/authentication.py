"""Token authentication that answers any malformed token with a 401, never a 500."""

import re

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

# Knox tokens are hexadecimal; anything else (bytes that are not UTF-8, NUL, spaces…) cannot be one.
TOKEN_PATTERN = re.compile(rb"[0-9a-fA-F]{1,256}")


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>``, knox's hashed tokens."""

    def authenticate_credentials(self, token: bytes):
        if not TOKEN_PATTERN.fullmatch(token):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)
