"""Durable webhook deliveries: one row per job with a callback, claimed by one sender at a time.

A delivery is due when its job is final, whoever finished it (a worker, a cancel in the API, the
reaper), so no path that ends a job can forget its webhook. A sender claims a due row by pushing
its next_attempt_at past a lease in one conditional UPDATE; if the sender dies mid-POST, the lease
runs out and another sender retries it (at-least-once delivery: receivers deduplicate by id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update

from voltroute.db.models import Job, JobStatus, WebhookDelivery, as_utc, utcnow
from voltroute.db.session_store import SessionStore, rows_changed
from voltroute.webhooks.callbacks import JobOutcome

FINAL_STATUSES = tuple(status.value for status in JobStatus if status.final)
WITH_RESULT = (JobStatus.SUCCEEDED.value, JobStatus.NOT_DRIVABLE.value)
LAST_ERROR_MAX_CHARS = 1_000


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class DueDelivery:
    """A claimed delivery: where to send it, what to say, and how many attempts it has had."""

    delivery_id: int
    url: str
    attempts: int  # including this one
    outcome: JobOutcome


def new_delivery(job: Job, url: str, result_url: str) -> WebhookDelivery:
    """The pending delivery row of a job being submitted (added in the job's transaction)."""
    return WebhookDelivery(
        job_id=job.job_id,
        url=url,
        result_url=result_url,
        status=DeliveryStatus.PENDING.value,
        attempts=0,
        next_attempt_at=job.created_at,
        created_at=job.created_at,
        updated_at=job.created_at,
    )


class WebhookStore(SessionStore):
    """Reads, claims and settles webhook delivery rows."""

    def for_job(self, job_id: str) -> WebhookDelivery | None:
        """The delivery row of a job, if it has a callback."""
        with self._sessions() as session:
            query = select(WebhookDelivery).where(WebhookDelivery.job_id == job_id)
            return session.scalars(query).first()

    def claim_due(self, limit: int, lease_s: float) -> list[DueDelivery]:
        """Claim up to limit pending deliveries of final jobs whose attempt time has come."""
        now = utcnow()
        claimed: list[DueDelivery] = []
        with self._sessions.begin() as session:
            rows = session.execute(
                select(WebhookDelivery, Job)
                .join(Job, Job.job_id == WebhookDelivery.job_id)
                .where(
                    WebhookDelivery.status == DeliveryStatus.PENDING.value,
                    WebhookDelivery.next_attempt_at <= now,
                    Job.status.in_(FINAL_STATUSES),
                )
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(limit)
            ).all()
            for delivery, job in rows:
                # The same condition again: of two senders that read the row, one moves it.
                taken = rows_changed(
                    session,
                    update(WebhookDelivery)
                    .where(
                        WebhookDelivery.id == delivery.id,
                        WebhookDelivery.status == DeliveryStatus.PENDING.value,
                        WebhookDelivery.next_attempt_at <= now,
                    )
                    .values(
                        next_attempt_at=now + timedelta(seconds=lease_s),
                        attempts=WebhookDelivery.attempts + 1,
                        updated_at=now,
                    )
                    # The rows read above are loaded; SQLite's naive datetimes cannot be
                    # compared in Python, and nothing here reads them again.
                    .execution_options(synchronize_session=False),
                )
                if taken:
                    claimed.append(_due(delivery, job))
        return claimed

    def delivered(self, delivery_id: int) -> None:
        """The receiver answered 2xx: never send this delivery again."""
        now = utcnow()
        with self._sessions.begin() as session:
            rows_changed(
                session,
                update(WebhookDelivery)
                .where(WebhookDelivery.id == delivery_id)
                .values(
                    status=DeliveryStatus.DELIVERED.value,
                    last_error=None,
                    delivered_at=now,
                    updated_at=now,
                ),
            )

    def attempt_failed(self, delivery_id: int, error: str, retry_at: datetime | None) -> None:
        """Record a failed attempt: try again at retry_at, or give up when it is None."""
        values: dict[str, object] = {
            "last_error": error[:LAST_ERROR_MAX_CHARS],
            "updated_at": utcnow(),
        }
        if retry_at is None:
            values["status"] = DeliveryStatus.FAILED.value
        else:
            values["next_attempt_at"] = retry_at
        with self._sessions.begin() as session:
            rows_changed(
                session,
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == delivery_id,
                    WebhookDelivery.status == DeliveryStatus.PENDING.value,
                )
                .values(**values),
            )


def _due(delivery: WebhookDelivery, job: Job) -> DueDelivery:
    return DueDelivery(
        delivery_id=delivery.id,
        url=delivery.url,
        attempts=delivery.attempts + 1,
        outcome=JobOutcome(
            job_id=job.job_id,
            optimization_id=job.optimization_id,
            tour_id=job.tour_id,
            status=job.status,
            finished_at=as_utc(job.finished_at) if job.finished_at else None,
            result_url=delivery.result_url if job.status in WITH_RESULT else None,
        ),
    )
