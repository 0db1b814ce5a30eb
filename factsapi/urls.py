"""Top-level URLs: the admin now; the versioned API joins under /api/."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Factsapi"
admin.site.site_title = "Factsapi admin"
admin.site.index_title = "Sourced geopolitical facts"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]
