"""Conditional requests: ETags from the changes feed, 304s and the shared page cache for reads
(``apps.core.api.freshness``), and ``If-Match`` for writes."""

import gzip

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from rest_framework.response import Response

from apps.core.api import freshness
from apps.core.api.conditional import if_match_tags, last_modified_for
from apps.core.api.errors import PreconditionFailed
from apps.core.api.mixins.record import RecordViewMixin
from apps.core.http.compression import accepts_gzip


class ConditionalMixin(RecordViewMixin):
    """A read answered from what the changes feed knows when it can be; a write only on the version read."""

    def expected_version(self, instance) -> int | None:
        """The version ``If-Match`` names, or a 412 when it is not the current one."""
        header = self.request.headers.get("If-Match")
        if not header:
            return None
        tags = if_match_tags(header)
        if "*" in tags:
            return instance.version
        # The version the tag names is what a write would overwrite: a tag of the current version holds even
        # when an actor or source it embeds was renamed since (its ETag then differs in the rest).
        if instance.version not in {freshness.tag_version(tag) for tag in tags}:
            raise PreconditionFailed(
                f"The {self.model._meta.verbose_name} changed since that ETag: it is now at version "
                f"{instance.version}. GET it again and reapply your change.",
                current_version=instance.version,
            )
        return instance.version

    record_tag: str | None = None  # the ETag the changes feed gives this read, once computed

    shares_page = False  # whether this read's page goes to (and comes from) the shared cache

    def record_etag(self, request, *, item: bool) -> str | None:
        """This read's ETag from the changes feed and the request (one query), or None when it has none:
        a missing or malformed item, an item ``as_of`` a time, the browsable API's HTML."""
        # An item read ``as_of`` a moment (AsOfMixin, where composed with it) has no changes-feed tag.
        if request.accepted_renderer.format == "api" or (item and getattr(self, "as_of", None) is not None):
            return None
        version_of = None
        if item:
            field = self.model._meta.get_field(self.history_lookup())
            try:
                value = field.to_python(self.lookup_value())
            except DjangoValidationError:
                return None
            version_of = self.model._base_manager.filter(**{field.attname: value}).values("version")[:1]
        resources = freshness.shown_resources(self.serializer_class)
        last, version = freshness.last_change(resources, version_of=version_of)
        if item and version is None:
            return None
        if item:  # an item holds no links: the same tag at its URL, in a write's reply and after a revert
            digest = freshness.tag_for(self.model.api_resource, value, request.accepted_media_type, last, version)
            return f'"{version}-{digest}"'
        return f'"{freshness.tag_for(request.build_absolute_uri(), request.accepted_media_type, last)}"'

    def from_record(self, request, *, item: bool = False) -> HttpResponse | None:
        """A 304 when the client holds this read's ETag, or the page an anonymous read finds in the shared
        cache under it; None: read and render the page (which ``finalize_response`` then keeps)."""
        if request.method not in ("GET", "HEAD"):
            return None
        tag = self.record_tag = self.record_etag(request, item=item)
        if tag is None:
            return None
        if freshness.matches(request.headers.get("If-None-Match"), tag):
            return HttpResponseNotModified(headers={"ETag": tag})
        # Anonymous reads only: a response to credentials never goes to (or comes from) the shared cache.
        self.shares_page = self.action != "export" and not request.user.is_authenticated and not request.auth
        # A request's own "Cache-Control: no-cache" asks that no stored copy answer it (RFC 9111 §5.2.1.4).
        fresh = "no-cache" in request.headers.get("Cache-Control", "") or "no-cache" in request.headers.get(
            "Pragma", ""
        )
        page = freshness.cached_page(tag) if self.shares_page and not fresh else None
        if page is None:
            return None
        content_type, gzipped, headers = page
        if accepts_gzip(request):  # weak, as ApiGZipMiddleware marks a compressed page's tag
            headers = {**headers, "ETag": f"W/{tag}", "Content-Encoding": "gzip"}
            response = HttpResponse(gzipped, content_type=content_type, headers=headers)
        else:
            headers = {**headers, "ETag": tag}
            response = HttpResponse(gzip.decompress(gzipped), content_type=content_type, headers=headers)
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code in (200, 201) and isinstance(getattr(response, "data", None), dict):
            if self.action in ("update", "partial_update", "revert"):
                # After a write: the tag the next GET of the item will carry, so If-Match can send it back.
                self.record_tag = self.record_etag(request, item=True)
            if self.detail and (last_modified := last_modified_for(response.data)):
                response["Last-Modified"] = last_modified
            patch_vary_headers(response, ["Accept"])
        if response.status_code == 200 and self.record_tag and "ETag" not in response:
            response["ETag"] = self.record_tag
            if self.shares_page and isinstance(response, Response):
                response.render()
                kept = {name: response[name] for name in ("Last-Modified", "Link") if name in response}
                freshness.keep_page(self.record_tag, response.content, response["Content-Type"], kept)
        return response
