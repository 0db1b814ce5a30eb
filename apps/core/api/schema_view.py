"""The OpenAPI schema's endpoint: built once, rendered once per version, language and format, and served
from memory or the shared cache (``SchemaView``); ``warm_schema`` builds it before the first request."""

import gzip
import hashlib
import threading
from typing import ClassVar

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from drf_spectacular.views import SpectacularAPIView

from apps.core.api.freshness import code_fingerprint
from apps.core.http.compression import accepts_gzip


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, built once and rendered once per API version, language and format.

    The rendered bytes, their gzip and their ETag live in the shared cache (Redis with ``REDIS_URL``: one
    build for every worker of every server) under a key holding the code's fingerprint, so a deploy
    builds anew; each process also keeps its own copy. Serving it then costs about what a static file
    does: no build, no render, no compression and no hashing of its 1.4 MB per request.

    A process builds under a lock, so concurrent first requests wait for one build instead of each
    making their own (seconds each, under load); ``warm_schema`` builds before the first request
    (gunicorn.conf.py calls it in the master process, whose copy every worker it forks inherits).
    """

    _rendered: ClassVar[dict[str, tuple[bytes, str, str, bytes]]] = {}
    _build_lock = threading.Lock()
    cache_seconds = 7 * 24 * 3600

    def cache_key(self, request, version) -> str:
        return f"schema:{code_fingerprint()}:{version}:{translation.get_language()}:{request.accepted_media_type}"

    @staticmethod
    def pack(content: bytes, content_type: str) -> tuple[bytes, str, str, bytes]:
        """What is cached: the body, its type, its ETag and its gzip (compressed once, at the best level)."""
        etag = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        return content, content_type, etag, gzip.compress(content, compresslevel=9, mtime=0)

    def build(self, request, version) -> tuple[bytes, str, str, bytes]:
        """Generate the schema and render it in the negotiated format, packed for the caches."""
        generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
        schema = generator.get_schema(request=request, public=self.serve_public)
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        content = renderer.render(schema, media_type, self.get_renderer_context())
        content = content.encode(renderer.charset or "utf-8") if isinstance(content, str) else content
        return self.pack(content, f"{media_type}; charset={renderer.charset}" if renderer.charset else media_type)

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = self.cache_key(request, version)
        cached = self._rendered.get(key)
        if cached is None:
            with self._build_lock:
                cached = self._rendered.get(key) or cache.get(key)
                if cached is None:
                    cached = self.build(request, version)
                    cache.set(key, cached, self.cache_seconds)
                self._rendered[key] = cached
        content, content_type, etag, gzipped = cached
        headers = {"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"', "ETag": etag}
        response = HttpResponse(content, content_type=content_type, headers=headers)
        patch_vary_headers(response, ["Accept-Encoding"])
        if accepts_gzip(request):
            response.content = gzipped
            response["Content-Encoding"] = "gzip"
            response["ETag"] = f"W/{etag}"
        return response


def warm_schema() -> None:
    """Build and render every API version's schema, YAML and JSON, into this process and the shared cache."""
    from rest_framework.test import APIRequestFactory

    from apps.core.api.versioning import PathVersioning

    view = SchemaView.as_view()
    for version in PathVersioning.allowed_versions:
        for media_type in ("application/vnd.oai.openapi", "application/vnd.oai.openapi+json"):
            request = APIRequestFactory().get(f"/api/{version}/schema/", HTTP_ACCEPT=media_type)
            response = view(request, version=version)
            if response.status_code != 200:
                raise RuntimeError(f"The {version} schema did not build: {response.status_code}")
