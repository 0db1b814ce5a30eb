"""Request rates per client: a burst rate and a sustained rate, for anonymous clients and for users.

Counters live in the default cache, so with ``REDIS_URL`` every app server
counts together. While that cache is unavailable (Redis down or frozen, see
``apps.core.http.cache``) the throttles fail open to a per-process limit: each
process counts in its own memory, so a client is still held to the rate per
process (at most the number of processes times the rate in all), rather than to
none. Unlimited would hand an outage to whoever floods; refusing would turn a
cache outage into an API outage. Rates come from ``THROTTLE_*`` environment variables (see the
README); a rate of ``none`` turns that limit off. An authenticated client (an
editor's token) is counted by user, with higher rates than anonymous ones,
counted by IP address.
"""

import math

from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

# Counters while the shared cache is down: this process's own, as without REDIS_URL.
local_counters = LocMemCache("throttles", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


class RatesFromSettings:
    """Read the rate when asked, not at import, so settings changes (and tests) take effect; and leave
    on the request what ``RateLimitHeadersMiddleware`` says of the tightest limit."""

    scope: str

    @staticmethod
    def counters():
        """The shared cache, or this process's counters while it is unavailable (``FailFastRedisCache``)."""
        return shared_cache if getattr(shared_cache, "available", True) else local_counters

    def throttle_success(self):
        self.cache = self.counters()  # Redis may have failed while this request read its count
        return super().throttle_success()

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.cache = self.counters()
        allowed = super().allow_request(request, view)
        history = getattr(self, "history", None)  # unset when this throttle does not count the request
        if history is not None:
            remaining = max(0, self.num_requests - len(history))
            # The window slides: the oldest request counted leaves it first, freeing one.
            reset = math.ceil(history[-1] + self.duration - self.now) if history else self.duration
            limit = (remaining, -reset, self.num_requests)
            django_request = request._request
            if limit < getattr(django_request, "rate_limit", (math.inf,)):
                django_request.rate_limit = limit
        return allowed

    def wait(self):
        wait = super().wait()
        return None if wait is None else math.ceil(wait)  # Retry-After is whole seconds


class AnonBurstThrottle(RatesFromSettings, AnonRateThrottle):
    scope = "anon_burst"


class AnonSustainedThrottle(RatesFromSettings, AnonRateThrottle):
    scope = "anon_sustained"


class UserOnlyRateThrottle(UserRateThrottle):
    """Counts authenticated users only; anonymous clients have their own throttles."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class UserBurstThrottle(RatesFromSettings, UserOnlyRateThrottle):
    scope = "user_burst"


class UserSustainedThrottle(RatesFromSettings, UserOnlyRateThrottle):
    scope = "user_sustained"


class RateLimitHeadersMiddleware:
    """``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds) of the tightest limit
    that counted the request (draft-ietf-httpapi-ratelimit-headers), so a client can slow down before a
    429. DRF sends only ``Retry-After``, on the 429 itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if rate_limit := getattr(request, "rate_limit", None):
            remaining, reset, limit = rate_limit
            response["RateLimit-Limit"] = str(limit)
            response["RateLimit-Remaining"] = str(remaining)
            response["RateLimit-Reset"] = str(-reset)
        return response
