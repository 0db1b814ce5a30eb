"""Health checks for load balancers and orchestrators: cheap, unthrottled, no authentication."""

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

_migrated = False  # once every migration is applied, it stays so for this process


@never_cache
@require_safe
def live(request):
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request):
    """The database answers and is fully migrated; the shared cache answers when one is configured."""
    checks = {"database": _database(), "migrations": _migrations()}
    if settings.REDIS_URL:
        checks["cache"] = _cache()
    ok = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if ok else "unavailable", "checks": checks}
    if ok:  # figures reported, not checked (HEALTH_REPORTS: the webhook workers' backlog)
        body.update({name: import_string(path)() for name, path in settings.HEALTH_REPORTS.items()})
    return JsonResponse(body, status=200 if ok else 503)


def _database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # any failure means not ready; say which
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
    try:
        cache.set("health:ready", "ok", 10)
        return "ok" if cache.get("health:ready") == "ok" else "error: cache did not keep a value"
    except Exception as exc:
        return f"error: {type(exc).__name__}"
