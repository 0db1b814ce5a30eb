"""Read replicas: safe API reads may go to a replica; everything else reads and writes the primary.

``DATABASE_REPLICA_URL`` (settings) adds one database alias per replica and lists them in
``DATABASE_REPLICAS``. Reads go to a replica only while ``ReplicaReadsMiddleware`` has allowed it for
the current request: a ``GET``/``HEAD`` under ``/api/`` whose client has not written in the last
``REPLICA_PIN_SECONDS``. Everything else reads the primary: other methods (the reads a write depends
on, such as If-Match and unique checks), the admin and the login pages (sessions are written there),
management commands, shells and tests (no request allowed it), every read inside a transaction
(``select_for_update``, the feed lock, the services), and every read after the request wrote anything.
Migrations run on the primary only.
"""

import hashlib
import random
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

# Whether this request may read from a replica. False outside requests: the safe default.
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)

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
        return random.choice(replicas)

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
        token = _replica_reads.set(allowed)
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400 and settings.REPLICA_PIN_SECONDS:
            cache.set_many(dict.fromkeys(_credentials(request, response), 1), settings.REPLICA_PIN_SECONDS)
        return response

    def pinned(self, request) -> bool:
        keys = _credentials(request)
        return bool(keys) and bool(cache.get_many(keys))
