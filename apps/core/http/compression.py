"""gzip for the API's data responses, and nothing else.

BREACH recovers a secret from the compressed size of responses that carry both the secret and text the
attacker chose, sent with the victim's cookies. So only ``/api/`` responses in a data media type are
compressed (JSON, problem+json, the OpenAPI schema, Atom, iCalendar): public facts, the same for every
client, with no CSRF token or session secret in them. HTML is never compressed here: the browsable API
and the admin put the CSRF token in their pages, next to echoed input. (Django's gzip also pads each
response with random bytes, which blurs sizes further.) Static files are compressed ahead of time by
``collectstatic`` and served by WhiteNoise before this runs.

ETags stay usable: compression runs after ``ConditionalGetMiddleware`` (above it in ``MIDDLEWARE``), so
the ETag is computed from the uncompressed body and is the same for every encoding; a compressed
response marks it weak (``W/"…"``, RFC 9110 §8.8.1), which ``If-None-Match`` compares weakly and
``If-Match`` accepts for this API's own tags (apps/core/api/conditional.py).
"""

from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

COMPRESSED_TYPES = (
    "application/json",
    "application/problem+json",
    "application/vnd.oai.openapi",
    "application/vnd.oai.openapi+json",
    "application/atom+xml",
    "text/calendar",
)


def accepts_gzip(request) -> bool:
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


class ApiGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith("/api/"):
            return response
        if response.status_code == 304:
            # The 200 this revalidates carried a weak ETag when compressed: say the same here.
            etag = response.get("ETag")
            if etag and etag.startswith('"') and accepts_gzip(request):
                response.headers["ETag"] = "W/" + etag
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
