"""Read replicas: safe API reads may go to a replica; everything else reads and writes the primary.

``DATABASE_REPLICA_URL`` (settings) adds one database alias per replica and lists them in
``DATABASE_REPLICAS``. Reads go to a replica only while ``ReplicaReadsMiddleware`` has allowed it for
the current request: a ``GET``/``HEAD`` under ``/api/`` whose client has not written in the last
``REPLICA_PIN_SECONDS``. Everything else reads the primary: other methods (the reads a write depends
on, such as If-Match and unique checks), the admin and the login pages (sessions are written there),
management commands, shells and tests (no request allowed it), every read inside a transaction
(``select_for_update``, the feed lock, the services), and every read after the request wrote anything.
Migrations run on the primary only.

A replica that fails is not a failed read. When a request that read from replicas ends in a database
error, each replica it used is probed (a fresh connection); one that does not answer is skipped by this
process for ``REPLICA_RETRY_SECONDS``, and the request, safe by construction, is answered again from
the primary. So an unreachable replica costs its first reader a retry, not a 500.
"""

import hashlib
import logging
import random
import sys
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

# Whether this request may read from a replica. False outside requests: the safe default.
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)
# The replicas this request read from, and whether it raised a database error.
_used: ContextVar[set[str] | None] = ContextVar("replicas_used", default=None)
_failed: ContextVar[bool] = ContextVar("replica_request_failed", default=False)
# Replicas this process skips, until the monotonic time given (see the module docstring).
down_until: dict[str, float] = {}

SAFE_METHODS = ("GET", "HEAD")
PIN_KEY = "replica-pin:"


def replica_reads_allowed() -> bool:
    return _replica_reads.get()


class PrimaryReplicaRouter:
    """Routes reads to a random replica when the request allows it, else (and always for writes) to the primary."""

    def db_for_read(self, model, **hints):
        replicas = settings.DATABASE_REPLICAS
        if not replicas or not _replica_reads.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        instance = hints.get("instance")
        if instance is not None and instance._state.db in replicas:
            return instance._state.db  # related rows from the same replica as the row that links them
        now = time.monotonic()
        available = [alias for alias in replicas if down_until.get(alias, 0) <= now]
        if not available:
            return DEFAULT_DB_ALIAS
        alias = random.choice(available)
        used = _used.get()
        if used is not None:
            used.add(alias)
        return alias

    def db_for_write(self, model, **hints):
        # Once a request writes, whatever it reads next must see that write.
        if _replica_reads.get():
            _replica_reads.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _credentials(request, response=None) -> list[str]:
    """What identifies a client that can write: its token header and its session cookie(s)."""
    values = [request.headers.get("Authorization", ""), request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")]
    if response is not None and settings.SESSION_COOKIE_NAME in response.cookies:
        values.append(response.cookies[settings.SESSION_COOKIE_NAME].value)  # a login's new session
    return [PIN_KEY + hashlib.sha256(value.encode()).hexdigest()[:32] for value in values if value]


class ReplicaReadsMiddleware:
    """Allows replica reads for safe API requests; pins a client that just wrote to the primary for a while.

    Read-your-writes across requests: after a successful write, the client's credentials (token or
    session) are remembered in the shared cache for ``REPLICA_PIN_SECONDS``, and its reads go to the
    primary meanwhile. Anonymous clients cannot write, so they always read a replica.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        allowed = request.method in SAFE_METHODS and request.path.startswith("/api/") and not self.pinned(request)
        tokens = (_replica_reads.set(allowed), _used.set(set()), _failed.set(False))
        try:
            response = self.get_response(request)
            if allowed and _failed.get() and response.status_code >= 500 and mark_failed_replicas(_used.get()):
                _replica_reads.set(False)  # read it all again from the primary
                response = self.get_response(request)
        finally:
            for var, token in zip((_replica_reads, _used, _failed), tokens, strict=True):
                var.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400 and settings.REPLICA_PIN_SECONDS:
            cache.set_many(dict.fromkeys(_credentials(request, response), 1), settings.REPLICA_PIN_SECONDS)
        return response

    def pinned(self, request) -> bool:
        keys = _credentials(request)
        return bool(keys) and bool(cache.get_many(keys))


def note_database_error(sender, request=None, **kwargs) -> None:
    """A request that read from a replica raised a database error: the middleware checks its replicas."""
    exc = kwargs.get("exception") or sys.exc_info()[1]  # Django sends it through sys.exc_info()
    if isinstance(exc, DatabaseError) and _used.get():
        _failed.set(True)


got_request_exception.connect(note_database_error, dispatch_uid="factsapi-replica-errors")


def mark_failed_replicas(aliases) -> bool:
    """Probe each replica with a fresh connection; skip those that fail for ``REPLICA_RETRY_SECONDS``.
    True when one failed."""
    failed = False
    for alias in aliases or ():
        connection = connections[alias]
        try:
            connection.close()
            connection.ensure_connection()
            if connection.is_usable():
                continue
        except DatabaseError as exc:
            logger.warning("read replica %s failed (%s); reading from the primary", alias, exc)
        down_until[alias] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        failed = True
    return failed
