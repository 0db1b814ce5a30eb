"""Reads answered from the changes feed: a page's ETag without building the page, and the shared
response cache.

A list page or an item shows rows of its own resource and the rows it embeds in brief (a statement's
speaker, topics and cited sources; a position's evidence statements and their speakers). Every write of
any of these is an entry of the changes feed (``apps.core.models.Change``), whose ids grow in commit
order. So the last change id among those resources, with the request (its absolute URL, the media
type, the code's release, today's date for ``overdue``), names everything the response can hold:

- a ``GET`` whose ``If-None-Match`` holds that tag is a 304 after one indexed query, the page unread;
- an anonymous read finds the page rendered (and compressed) under that tag in the shared cache
  (``django.core.cache``: Redis with ``REDIS_URL``), so after a write, whichever app server took it,
  the next read on every server computes a new tag and misses: never stale, with no invalidation step.

An item's tag also leads with its version (``"3-…"``): ``If-Match`` compares that part only (a write
is refused when the item changed, not when an actor it embeds was renamed).

Writes that bypass the services (raw SQL, ``_base_manager.update``) record no change and are not seen
until the next change of those resources or the next release; ``cache.clear()`` forgets every page.
"""

import functools
import gzip
import hashlib
import importlib.metadata
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.utils import timezone
from rest_framework import relations, serializers

from apps.core.api.fields import BriefRelatedField
from apps.core.models import Change

logger = logging.getLogger(__name__)

# How long a rendered page stays in the shared cache: only a bound on memory, never on staleness
# (a write changes the key). Pages read once and never again are evicted by Redis's own policy too.
PAGE_SECONDS = 600


_shown: dict[type, tuple[str, ...]] = {}


def shown_resources(serializer_class: Any) -> tuple[str, ...]:
    """The API resources whose rows ``serializer_class`` shows: its model's and every embedded one's
    (walked once per class)."""
    if serializer_class not in _shown:
        _shown[serializer_class] = embedded_resources(serializer_class)
    return _shown[serializer_class]


def embedded_resources(serializer_class: Any) -> tuple[str, ...]:
    found: set[str] = set()

    def walk(serializer) -> None:
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if resource := getattr(model, "api_resource", None):
            found.add(resource)
        for field in serializer.fields.values():
            visit(field)

    def visit(field) -> None:
        if isinstance(field, serializers.ListSerializer):
            visit(field.child)
        elif isinstance(field, relations.ManyRelatedField):
            visit(field.child_relation)
        elif isinstance(field, BriefRelatedField):
            walk(field.brief_serializer())
        elif isinstance(field, serializers.BaseSerializer) and hasattr(field, "fields"):
            walk(field)

    walk(serializer_class())
    return tuple(sorted(found))


def last_change(resources: tuple[str, ...], *, version_of=None) -> tuple[int, int | None]:
    """The last change id among ``resources`` (0 if none) and, given a queryset of one row's version
    (``version_of``), that version (None when there is no such row), in one query.

    Each part is the first entry of the ``(resource, id)`` index read backwards, on PostgreSQL and SQLite.
    """
    table = Change._meta.db_table
    parts = [f"(SELECT id FROM {table} WHERE resource = %s ORDER BY id DESC LIMIT 1)" for _ in resources]
    params: list = list(resources)
    if version_of is not None:
        sql, version_params = version_of.query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(version_params)
    with connections[router.db_for_read(Change)].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    ids = [value for value in row[: len(resources)] if value is not None]
    return max(ids, default=0), (row[-1] if version_of is not None else None)


def tag_for(*parts) -> str:
    """An opaque validator of the response named by ``parts`` (the release and today's date are added)."""

    text = "\n".join(str(part) for part in (code_fingerprint(), timezone.localdate(), *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def matches(header: str | None, tag: str) -> bool:
    """Whether ``If-None-Match`` names ``tag`` (weakly: ``W/"…"`` counts as ``"…"``, as RFC 9110 §13.1.2 asks)."""
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return tag in tags or "*" in tags


def tag_version(tag: str) -> int | None:
    """The item version an ETag names (``"3-…"``, weak or not), or None."""
    head = tag.strip().removeprefix("W/").strip('"').partition("-")[0]
    return int(head) if head.isdigit() else None


# -- the shared cache: any failure is a miss -------------------------------------------------------


def page_key(tag: str) -> str:
    return f"page:{tag}"


def cached_page(tag: str):
    """``(content_type, gzipped body, headers)`` rendered under ``tag``, or None (also when the cache fails)."""
    from django.core.cache import cache

    try:
        return cache.get(page_key(tag))
    except Exception:  # a cache that is down is a miss, never an error (see also branch faults)
        logger.warning("shared cache unavailable: page read from the database", exc_info=True)
        return None


def keep_page(tag: str, content: bytes, content_type: str, headers: dict[str, str]) -> None:
    """Store a rendered page, compressed once (the cache holds only the gzip: most clients take it)."""
    from django.core.cache import cache

    try:
        cache.set(page_key(tag), (content_type, gzip.compress(content, 6, mtime=0), headers), PAGE_SECONDS)
    except Exception:
        logger.warning("shared cache unavailable: page not kept", exc_info=True)


@functools.cache
def code_fingerprint() -> str:
    """A hash of what the schema is made from: this code, its settings and its libraries' versions.

    Computed once per process. A deploy changes it, so a shared cache never serves an old release's schema.
    """
    digest = hashlib.sha256()
    for package in ("django", "djangorestframework", "drf-spectacular", "drf-standardized-errors", "django-filter"):
        digest.update(f"{package}={importlib.metadata.version(package)};".encode())
    digest.update(repr(settings.SPECTACULAR_SETTINGS).encode())
    digest.update(repr(settings.REST_FRAMEWORK).encode())
    base = Path(settings.BASE_DIR)
    for path in sorted([*(base / "apps").rglob("*.py"), *(base / "factsapi").rglob("*.py")]):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
