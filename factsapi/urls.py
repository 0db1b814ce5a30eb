"""Top-level URLs: the admin and the versioned API."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from apps.core.http import health

admin.site.site_header = "Factsapi"
admin.site.site_title = "Factsapi admin"
admin.site.index_title = "Sourced geopolitical facts"

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/", permanent=False)),
    path("admin/", admin.site.urls),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    # Log in and out of the browsable API with the admin's session.
    path("api-auth/", include("rest_framework.urls")),
    # Any v<N> reaches DRF, whose versioning answers an unknown one with a 404 problem.
    re_path(r"^api/(?P<version>v[0-9]+)/", include("factsapi.api_urls")),
]

handler400 = "apps.core.api.errors.bad_request"
handler403 = "apps.core.api.errors.permission_denied"
handler404 = "apps.core.api.errors.not_found"
handler500 = "apps.core.api.errors.server_error"
