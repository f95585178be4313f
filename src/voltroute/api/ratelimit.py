"""Rate limits (moving window), answered with 429 and Retry-After.

Budgets are kept per tenant for requests with a valid token, and per client address for the
rest (no token, an invalid one, endpoints that need none). The two never share a count: a
client sending garbage tokens uses up its address's budget, never a tenant's, and a tenant's
users behind one address (an office's NAT) are counted as that tenant, not as the address.
"""

from __future__ import annotations

import ipaddress
import math
import time

import structlog
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from voltroute.api.client_address import parse_address

log = structlog.get_logger(__name__)

IPV6_CLIENT_PREFIX = 64
"""An IPv6 host usually holds a whole /64: counted per address, it could send from 2^64."""


def tenant_key(tenant_id: int) -> str:
    """The budget of a tenant's authenticated requests."""
    return f"tenant:{tenant_id}"


def address_key(address: str) -> str:
    """The budget of requests without a valid token from one client (an IPv6 /64 is one)."""
    parsed = parse_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return f"address:{parsed.ipv4_mapped}"
        return f"address:{ipaddress.IPv6Network((parsed, IPV6_CLIENT_PREFIX), strict=False)}"
    return f"address:{address}"


class RateLimiter:
    """N requests per minute per key; memory by default, Redis (shared) when a URL is given."""

    def __init__(self, per_minute: int, storage_url: str | None = None) -> None:
        storage = storage_from_string(storage_url) if storage_url else MemoryStorage()
        self._limiter = MovingWindowRateLimiter(storage)
        self._item = RateLimitItemPerMinute(per_minute)
        self.per_minute = per_minute

    def hit(self, key: str) -> int | None:
        """Count a request; None when allowed, else the seconds to wait before retrying."""
        try:
            if self._limiter.hit(self._item, key):
                return None
            stats = self._limiter.get_window_stats(self._item, key)
        except Exception:
            # The limit store (Redis) is unreachable: serve rather than fail every request.
            log.warning("rate limit store unavailable; request allowed", key=key)
            return None
        return max(1, math.ceil(stats.reset_time - time.time()))
