"""Idempotency keys: a retried job-creating POST finds the job its first attempt created.

The key row is inserted in the job's own transaction under a unique (tenant, key) index, so of two
concurrent requests with one key exactly one commits a job; the other sees the unique violation,
rolls back everything it wrote and answers with the winner's job.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from voltroute.db.models import IdempotencyKey, Job
from voltroute.db.session_store import SessionStore

KEY_MAX_LENGTH = 255


def key_problem(key: str) -> str | None:
    """Why key cannot be an idempotency key (1..255 visible ASCII characters), or None."""
    if not 1 <= len(key) <= KEY_MAX_LENGTH:
        return f"an Idempotency-Key has 1 to {KEY_MAX_LENGTH} characters"
    if not all(33 <= ord(char) <= 126 for char in key):
        return "an Idempotency-Key has only visible ASCII characters (no spaces)"
    return None


def request_fingerprint(operation: str, params: dict[str, Any], body: Any) -> str:
    """SHA-256 of what makes two requests the same: operation, parameters and parsed body."""
    canonical = json.dumps(
        {"operation": operation, "params": params, "body": body},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class EarlierRequest:
    """What the first request with a key left behind."""

    fingerprint: str
    job: Job


class IdempotencyKeys(SessionStore):
    """Looks up and records the jobs idempotency keys created."""

    def find(self, tenant_id: int, key: str) -> EarlierRequest | None:
        """The earlier request of this tenant with this key, with its job."""
        with self._sessions() as session:
            row = session.execute(
                select(IdempotencyKey.fingerprint, Job)
                .join(Job, Job.job_id == IdempotencyKey.job_id)
                .where(IdempotencyKey.tenant_id == tenant_id, IdempotencyKey.key == key)
            ).first()
            return None if row is None else EarlierRequest(row[0], row[1])

    @staticmethod
    def new_key(tenant_id: int, key: str, fingerprint: str, job: Job) -> IdempotencyKey:
        """The key row of a job being submitted (added in the job's transaction)."""
        return IdempotencyKey(
            tenant_id=tenant_id,
            key=key,
            fingerprint=fingerprint,
            job_id=job.job_id,
            created_at=job.created_at,
        )
