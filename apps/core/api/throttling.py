"""Request rates per client: a burst rate and a sustained rate, for anonymous clients and for users.

Counters live in the default cache, so with ``REDIS_URL`` every app server
counts together. Rates come from ``THROTTLE_*`` environment variables (see the
README); a rate of ``none`` turns that limit off. An authenticated client (an
editor's token) is counted by user, with higher rates than anonymous ones,
counted by IP address.
"""

import math

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class RatesFromSettings:
    """Read the rate when asked, not at import, so settings changes (and tests) take effect."""

    scope: str

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

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
