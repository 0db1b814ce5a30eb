"""Validators for conditional requests: ETag from the representation, If-Match on writes.

The ETag is a hash of the JSON a response carries, so it changes with every
version (``updated_at`` and ``version`` are in it) and also when an embedded
actor or source is renamed: it is a strong validator of what the client holds.
``ConditionalGetMiddleware`` answers ``If-None-Match``/``If-Modified-Since`` with
304 from these headers.
"""

import hashlib
import json

from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from rest_framework.utils.encoders import JSONEncoder


def etag_for(data) -> str:
    payload = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(payload.encode()).hexdigest()[:32]
    version = data.get("version") if isinstance(data, dict) else None
    return f'"{version}-{digest}"' if isinstance(version, int) else f'"{digest}"'


def last_modified_for(data) -> str | None:
    updated_at = data.get("updated_at") if isinstance(data, dict) else None
    moment = parse_datetime(updated_at) if isinstance(updated_at, str) else None
    return http_date(moment.timestamp()) if moment else None


def if_match_tags(header: str) -> list[str]:
    """The tags ``If-Match`` names; ``W/"…"`` counts as ``"…"``.

    A gzip-compressed response marks its ETag weak (RFC 9110 asks that of a strong tag when the bytes
    change with the encoding), and a client can only send back what it got. This API's tag is a hash of
    the resource's JSON, the same for every encoding, so the weak form still names exactly one version.
    """
    tags = (tag.strip() for tag in header.split(","))
    return [tag.removeprefix("W/") for tag in tags if tag]
