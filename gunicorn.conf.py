"""gunicorn's settings for `make serve` and production; gunicorn reads this file from the working directory.

PORT (default 8000) and WEB_CONCURRENCY (worker processes; default 2 per core plus one, at most 9)
come from the environment, as on most platforms. Workers are stateless: everything shared lives in
PostgreSQL and, with REDIS_URL, in Redis, so any number of servers can run behind a load balancer.
"""

import multiprocessing
import os

bind = [f"0.0.0.0:{os.environ.get('PORT') or 8000}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 9))
# Threaded workers: a request waiting on the database or a cache holds one thread, not the process,
# so /health/live and other requests are still answered by its other threads. Every wait on a
# dependency is bounded in the app (apps/core/http/cache.py, apps/core/http/postgresql), so threads come back.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 4)
# With threads, a worker is killed only when its main loop stops (a stuck process), never for one slow
# request; the app's own timeouts end those with a 503.
timeout = 30
graceful_timeout = 30
# Load the app once, in the master, and build the OpenAPI schema there before any worker starts:
# every worker, and every worker restarted later, is forked with the schema rendered, so no request
# waits seconds for it and concurrent first requests never each build it. (A code change then needs
# a restart, not a HUP.)
preload_app = True
# Recycle workers now and then, so a slow leak cannot grow without bound. The jitter is half the
# period, so workers that share the load evenly still restart far apart, not all within a second.
max_requests = 4000
max_requests_jitter = 2000
accesslog = "-"
# gunicorn 27's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl): two servers on one
# machine (two ports, or the load test beside a dev server) would take it from each other. Unused here.
control_socket_disable = True


def when_ready(server):
    """In the master, after the app loaded and before the workers fork: build the schema, drop connections."""
    if not server.cfg.preload_app:
        return  # each worker builds it on its first request instead
    from django.db import connections

    from apps.core.api.schema_view import warm_schema

    warm_schema()
    connections.close_all()  # a forked worker must never share a socket with its parent
