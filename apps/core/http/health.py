"""Health checks for load balancers and orchestrators: cheap, unthrottled, no authentication.

``live`` touches nothing but the process. ``ready`` says whether this server can serve the API, which
needs the database and nothing else: a cache that is down is reported (``"degraded: …"``) but does not
fail it, since the API serves without the cache (``apps.core.http.cache``). Its database check runs on a
connection of its own with short timeouts (``HEALTH_TIMEOUT_SECONDS``), so it answers in time even
when the database hangs.
"""

import psycopg
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from apps.core.http.postgresql.base import DeadlineConnection

_migrated = False  # once every migration is applied, it stays so for this process


@never_cache
@require_safe
def live(request):
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request):
    """The database answers and is fully migrated (200, else 503); the shared cache's state is reported."""
    checks = {"database": _database()}
    if checks["database"] == "ok":  # asking for migrations of a database that does not answer would hang
        checks["migrations"] = _migrations()
    ok = all(value == "ok" for value in checks.values())
    if settings.REDIS_URL:
        checks["cache"] = _cache()
    status = ("degraded" if checks.get("cache", "ok") != "ok" else "ok") if ok else "unavailable"
    body = {"status": status, "checks": checks}
    if ok:  # figures reported, not checked (HEALTH_REPORTS: the webhook workers' backlog)
        body.update({name: import_string(path)() for name, path in settings.HEALTH_REPORTS.items()})
    return JsonResponse(body, status=200 if ok else 503)


def _database() -> str:
    """``SELECT 1`` within HEALTH_TIMEOUT_SECONDS, on a connection of its own (not a request's pooled one)."""
    database = connections[DEFAULT_DB_ALIAS]
    timeout = settings.HEALTH_TIMEOUT_SECONDS
    try:
        if database.vendor != "postgresql":
            with database.cursor() as cursor:
                cursor.execute("SELECT 1")
            return "ok"
        params = {**database.get_connection_params(), "connect_timeout": max(2, round(timeout))}  # libpq's least
        with DeadlineConnection.connect(**params, autocommit=True) as conn:
            conn.answer_timeout = timeout
            conn.execute("SELECT 1")
        return "ok"
    except (DatabaseError, psycopg.Error) as exc:  # not ready; say why
        return f"error: {type(exc).__name__}"


def _migrations() -> str:
    global _migrated
    if not _migrated:
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as exc:
            return f"error: {type(exc).__name__}"
        if pending:
            return f"pending: {len(pending)} migration(s)"
        _migrated = True
    return "ok"


def _cache() -> str:
    """A round trip through the shared cache; it fails fast and never raises (``FailFastRedisCache``)."""
    if not getattr(cache, "available", True):
        return "degraded: unavailable, serving without it"
    cache.set("health:ready", "ok", 10)
    return "ok" if cache.get("health:ready") == "ok" else "degraded: unavailable, serving without it"
