import re

from django.apps import AppConfig

# The reconciliation service takes its batches by POST too; the specification asks CORS of every endpoint.
RECONCILE_PATH = re.compile(r"^/api/v\d+/reconcile/$")


def allow_reconcile_from_any_origin(sender, request, **kwargs) -> bool:
    """CORS for the reconciliation service from any origin, POST included: it only reads, and reads no
    credentials (``CredentialsOnlyForTrustedOrigins`` drops the credentials header for other origins)."""
    return bool(RECONCILE_PATH.match(request.path))


class ActorsConfig(AppConfig):
    name = "apps.actors"
    label = "actors"
    verbose_name = "Actors"

    def ready(self):
        from corsheaders.signals import check_request_enabled

        check_request_enabled.connect(allow_reconcile_from_any_origin, dispatch_uid="actors-reconcile-cors")
