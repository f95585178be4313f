"""Webhooks (extension): callback URL checks, the signed body, the retry schedule.

A receiver verifies a delivery by computing HMAC-SHA256 over the raw body with the shared secret
and comparing it with the signature header. The body carries `sent_at`, the same moment as the
timestamp header, so the signature covers the timestamp too and a replayed delivery is stale.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from voltroute.timefmt import iso_utc_ms

CALLBACK_URL_MAX_LENGTH = 2048
SIGNATURE_HEADER = "X-Voltroute-Signature"
TIMESTAMP_HEADER = "X-Voltroute-Timestamp"
DELIVERY_HEADER = "X-Voltroute-Delivery"
EVENT_NAME = "job.finished"
BACKOFF_CAP_S = 3_600.0
SIGNATURE_PREFIX = "sha256="


def callback_url_problem(url: str) -> str | None:
    """Why url cannot be a callback target, or None when it can (absolute http(s), a host)."""
    if not url or len(url) > CALLBACK_URL_MAX_LENGTH:
        return f"a callback URL has 1 to {CALLBACK_URL_MAX_LENGTH} characters"
    if any(ord(char) <= 32 or ord(char) == 127 for char in url):
        return "a callback URL contains no spaces or control characters"
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number in 0..65535
    except ValueError as error:
        return f"not a valid URL: {error}"
    if parts.scheme.lower() not in ("http", "https"):
        return "a callback URL must use http or https"
    if not parts.hostname:
        return "a callback URL needs a host"
    if parts.username is not None or parts.password is not None:
        # Credentials in the URL would be stored in clear; the signature authenticates us.
        return "a callback URL must not contain user credentials"
    return None


def sign(secret: bytes, body: bytes) -> str:
    """The signature header's value: `sha256=` and the hex HMAC-SHA256 of the raw body."""
    return SIGNATURE_PREFIX + hmac.new(secret, body, hashlib.sha256).hexdigest()


def signature_matches(secret: bytes, body: bytes, signature: str) -> bool:
    """True when signature is this body's signature under secret (constant-time comparison)."""
    return hmac.compare_digest(sign(secret, body), signature)


def retry_delay_s(attempts: int, backoff_s: float) -> float:
    """Wait after the attempts-th failed attempt: backoff_s, then doubling, capped at an hour."""
    return float(min(BACKOFF_CAP_S, backoff_s * 2.0 ** max(0, attempts - 1)))


@dataclass(frozen=True, slots=True)
class JobOutcome:
    """What a webhook tells about a finished job."""

    job_id: str
    optimization_id: int
    tour_id: int
    status: str
    finished_at: datetime | None
    result_url: str | None  # None when the job has no result (failed, canceled)


def webhook_body(outcome: JobOutcome, sent_at: datetime) -> bytes:
    """The JSON body of a delivery, as the bytes that are signed and sent."""
    document: dict[str, Any] = {
        "event": EVENT_NAME,
        "job_id": outcome.job_id,
        "optimization_id": outcome.optimization_id,
        "tour_id": outcome.tour_id,
        "status": outcome.status,
        "finished_at": _iso(outcome.finished_at),
        "result_url": outcome.result_url,
        "sent_at": _iso(sent_at),
    }
    return json.dumps(document, separators=(",", ":")).encode()


def _iso(moment: datetime | None) -> str | None:
    return iso_utc_ms(moment) if moment is not None else None
