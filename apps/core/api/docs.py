"""ReDoc served with nothing fetched from outside this server.

The sidecar's ReDoc bundle shows a "Redocly" logo it loads from cdn.redoc.ly; the
Content-Security-Policy blocks it, but the browser still tries (and logs a
violation). The bundle is served here with that one URL emptied: the logo's
``onError`` then hides it, and the page makes no outside request at all.
"""

from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView

SIDECAR_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
EXTERNAL_LOGO = b'"https://cdn.redoc.ly/redoc/logo-mini.svg"'


@cache
def offline_bundle() -> bytes:
    path = finders.find(SIDECAR_BUNDLE)
    if not path:
        raise FileNotFoundError(SIDECAR_BUNDLE)
    with open(path, "rb") as handle:
        return handle.read().replace(EXTERNAL_LOGO, b'""')


@require_safe
def redoc_bundle(request, version=None):
    response = HttpResponse(offline_bundle(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


class OfflineRedocView(SpectacularRedocView):
    template_name = "core/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["redoc_standalone"] = reverse("redoc-bundle", kwargs={"version": request.version})
        return response


@cache
def favicon_bytes() -> bytes:
    path = finders.find("core/favicon.png")
    if not path:
        raise FileNotFoundError("core/favicon.png")
    with open(path, "rb") as handle:
        return handle.read()


@require_safe
def favicon(request):
    """``/favicon.ico``, which browsers ask for on every site they open: the project's icon, not a 404."""
    response = HttpResponse(favicon_bytes(), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
