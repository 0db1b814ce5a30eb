"""The project's URLs, and the benchmark's hand-written pages served as views at ``/api/hand/<case>/``.

Served through the same middleware as the API, a hand-written page is a *view* of the same page: the
benchmark's ``×hand`` compares the API with it like for like. (``×bare`` compares with the function
called directly, which no HTTP client could reach.)
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import path

from factsapi import urls as project

handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500

PAGES: dict[int, Callable[[], bytes]] = {}


def hand_view(request, case: int) -> HttpResponse:
    return HttpResponse(PAGES[case](), content_type="application/json")


urlpatterns = [path("api/hand/<int:case>/", hand_view), *project.urlpatterns]
