"""Waiting out a database that is restarting, instead of failing or losing a job."""

from __future__ import annotations

import time
from collections.abc import Callable

import structlog
from sqlalchemy.exc import OperationalError

log = structlog.get_logger(__name__)

DATABASE_RETRY_S = 120.0


def retry_while_database_down[T](action: Callable[[], T], timeout_s: float = DATABASE_RETRY_S) -> T:
    """Run a database action, retrying with backoff (up to timeout_s) while it is unreachable."""
    deadline = time.monotonic() + timeout_s
    delay_s = 0.25
    while True:
        try:
            return action()
        except OperationalError as error:
            if time.monotonic() + delay_s > deadline:
                raise
            log.warning("database unreachable; retrying", error=str(error.orig), delay_s=delay_s)
            time.sleep(delay_s)
            delay_s = min(5.0, delay_s * 2)
