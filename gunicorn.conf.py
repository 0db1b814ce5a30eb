"""gunicorn's settings for `make serve` and production; gunicorn reads this file from the working directory.

PORT (default 8000) and WEB_CONCURRENCY (worker processes; default 2 per core plus one, at most 9)
come from the environment, as on most platforms. Workers are stateless: everything shared lives in
PostgreSQL and, with REDIS_URL, in Redis, so any number of servers can run behind a load balancer.
"""

import multiprocessing
import os

bind = [f"0.0.0.0:{os.environ.get('PORT') or 8000}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 9))
# Sync workers: requests are short and database-bound; a slow client is the proxy's to buffer.
worker_class = "sync"
timeout = 30
graceful_timeout = 30
# Recycle workers now and then, so a slow leak cannot grow without bound; jitter avoids all at once.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# gunicorn 27's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl): two servers on one
# machine (two ports, or the load test beside a dev server) would take it from each other. Unused here.
control_socket_disable = True
