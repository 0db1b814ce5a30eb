"""What every ``/api/`` response tells browsers and shared caches (proxies, CDNs) about keeping it.

Without ``Cache-Control`` a browser caches a response that has ``Last-Modified`` heuristically (10% of
its age): a statement changed through the API was still read at its old version a minute later,
without asking. So each kind of response states its policy (README "Caching"):

- reads of facts (items, lists, history, the changes feed, timelines, exports, the docs pages):
  ``no-cache``: kept, but revalidated with the ETag on every use, because a write must be visible to
  the next read; the revalidation is a 304 that costs one indexed query (``apps.core.api.freshness``);
- Atom feeds and the iCalendar file: ``max-age=300, stale-while-revalidate=3600``: feed readers and
  calendar apps poll on a timer of minutes to hours, so five minutes' lag goes unseen, and it lets a
  proxy absorb their polling;
- the OpenAPI schema: ``max-age=300, stale-while-revalidate=86400``: it changes only with a release;
  the docs open from the browser's copy and refresh it in the background;
- errors and writes: ``no-store``: an error is about that request (a bad filter, a missing token, a
  throttle), and a 404 kept would hide an item created a moment later;
- ``public`` for anonymous requests, ``private`` for those with credentials (``Authorization`` or the
  session cookie), and ``Vary: Accept, Accept-Encoding, Authorization, Cookie`` on all: a shared cache
  keeps each representation apart and never serves an editor's response to anyone else, or the
  reverse.

A view that sets its own ``Cache-Control`` keeps it. Responses outside ``/api/`` are left alone (the
admin and the health checks send ``no-store`` themselves; WhiteNoise sets static files' own).
"""

import re

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

READ = {"no_cache": True}
POLLED = {"max_age": 300, "stale_while_revalidate": 3600}
RELEASE = {"max_age": 300, "stale_while_revalidate": 86400}
# The first pattern that matches a read's path decides; anything else under /api/ is READ.
READ_POLICIES: list[tuple[re.Pattern[str], dict]] = [
    (re.compile(r"^/api/v[0-9]+/schema/$"), RELEASE),
    (re.compile(r"\.(atom|ics)$"), POLLED),
]
VARY = ("Accept", "Accept-Encoding", "Authorization", "Cookie")


def has_credentials(request) -> bool:
    return "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES


def policy_for(request, response) -> dict:
    if request.method not in ("GET", "HEAD") or response.status_code >= 400:
        return {"no_store": True}
    policy = next((p for pattern, p in READ_POLICIES if pattern.search(request.path)), READ)
    return {**policy, "private" if has_credentials(request) else "public": True}


class CachePolicyMiddleware:
    """Sets ``Cache-Control`` and ``Vary`` on ``/api/`` responses (below ``ConditionalGetMiddleware``,
    whose 304s copy both from the response they replace)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/api/"):
            return response
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, **policy_for(request, response))
        patch_vary_headers(response, VARY)
        return response
