"""The shared cache (Redis) as an optimization that can fail: every call fails fast and degrades.

``FailFastRedisCache`` is Django's own ``RedisCache`` with two things added:

- Short socket and connect timeouts (``OPTIONS`` passed to redis-py's pool, set in settings), so a
  frozen Redis costs one call at most ~100 ms, not the kernel's minutes.
- A per-process circuit breaker: the first call that fails opens it, and for ``CACHE_RETRY_SECONDS``
  every call answers at once as a miss (``get`` → the default, ``get_many`` → ``{}``, ``add`` and
  ``touch`` → ``False``, writes and deletes do nothing, ``incr`` → ``ValueError`` as for a missing
  key). After that the next call tries Redis again; if it answers, the breaker closes. So an outage
  costs each process one ~100 ms wait per retry period, and the API recovers without a restart.
  The outage is logged once when the breaker opens and once when it closes, not per request.

Why not a library: django-redis's ``IGNORE_EXCEPTIONS`` degrades the same way but has no breaker
(every call still waits out the timeout) and logs per call; pybreaker's state machine (failure
counts, listeners, half-open bookkeeping) is more than one timestamp needs. Why a subclass and not a
wrapper around ``caches``: ``django.core.cache.cache``, DRF's throttles and django-axes all reach the
backend named in ``CACHES``, so guarding it there covers every caller.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class FailFastRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._open_until = 0.0  # monotonic time before which Redis is not tried; 0: closed
        self._down_since: float | None = None
        self._lock = threading.Lock()  # only around the breaker's state changes, never around Redis

    # -- the breaker ------------------------------------------------------------

    @property
    def available(self) -> bool:
        """False while the breaker is open: callers that can do better than a miss (health, throttles) ask."""
        return self._down_since is None

    def _call(self, method, *args, fallback=None, **kwargs):
        if self._open_until and time.monotonic() < self._open_until:
            return fallback
        try:
            result = method(*args, **kwargs)
        except RedisError as exc:
            self._failed(exc)
            return fallback
        if self._down_since is not None:
            self._recovered()
        return result

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            self._open_until = time.monotonic() + self.retry_seconds
            if self._down_since is None:
                self._down_since = time.monotonic()
                logger.warning(
                    "Cache unavailable (%s: %s): serving without it, retrying every %g s",
                    type(exc).__name__,
                    exc,
                    self.retry_seconds,
                )

    def _recovered(self) -> None:
        with self._lock:
            if self._down_since is None:
                return
            logger.warning("Cache available again after %.1f s", time.monotonic() - self._down_since)
            self._down_since = None
            self._open_until = 0.0

    # -- every public call, guarded --------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, key, value, timeout, version, fallback=False)

    def get(self, key, default=None, version=None):
        return self._call(super().get, key, default, version, fallback=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, key, timeout, version, fallback=False)

    def delete(self, key, version=None):
        return self._call(super().delete, key, version, fallback=False)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, fallback=False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call(super().incr, key, delta, version, fallback=missing)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")  # what a miss is for incr
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, data, timeout, version, fallback=list(data))  # the keys not set

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, keys, version)

    def clear(self):
        return self._call(super().clear, fallback=False)
