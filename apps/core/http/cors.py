"""Who may read the API from a browser on another origin.

django-cors-headers answers for the origins in ``CORS_ALLOWED_ORIGINS``: any
request, with credentials (cookies). Every other origin may make anonymous
reads — ``GET``/``HEAD`` under ``/api/`` and their preflights — since the data
is public anyway; never writes, and never with credentials.
"""

from corsheaders.signals import check_request_enabled
from django.conf import settings
from django.dispatch import receiver

SAFE = {"GET", "HEAD"}


def is_public_read(request) -> bool:
    if not request.path.startswith("/api/"):
        return False
    method = request.method
    if method == "OPTIONS":
        method = request.headers.get("Access-Control-Request-Method", "").upper()
    return method in SAFE


@receiver(check_request_enabled)
def allow_public_reads(sender, request, **kwargs) -> bool:
    return is_public_read(request)


class CredentialsOnlyForTrustedOrigins:
    """Drops ``Access-Control-Allow-Credentials`` for an origin not in ``CORS_ALLOWED_ORIGINS``.

    Sits before ``CorsMiddleware`` in ``MIDDLEWARE``, so it sees its response.
    Without that header a browser will not hand a credentialed response to the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origin = request.headers.get("Origin")
        if (
            origin
            and origin not in settings.CORS_ALLOWED_ORIGINS
            and response.has_header("Access-Control-Allow-Credentials")
        ):
            del response["Access-Control-Allow-Credentials"]
        return response
