"""Per-client rate limit (moving window), answered with 429 and Retry-After."""

from __future__ import annotations

import math
import time

import structlog
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = structlog.get_logger(__name__)


class RateLimiter:
    """N requests per minute per client key; memory by default, Redis when a URL is given."""

    def __init__(self, per_minute: int, storage_url: str | None = None) -> None:
        storage = storage_from_string(storage_url) if storage_url else MemoryStorage()
        self._limiter = MovingWindowRateLimiter(storage)
        self._item = RateLimitItemPerMinute(per_minute)

    def hit(self, key: str) -> int | None:
        """Count a request; None when allowed, else the seconds to wait before retrying."""
        try:
            if self._limiter.hit(self._item, key):
                return None
        except Exception:
            # The limit store (Redis) is unreachable: serve rather than fail every request.
            log.warning("rate limit store unavailable; request allowed", client=key)
            return None
        stats = self._limiter.get_window_stats(self._item, key)
        return max(1, math.ceil(stats.reset_time - time.time()))
