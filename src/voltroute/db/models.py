"""Persistent records: tenants, users, API tokens, tours and jobs. The job row is the truth."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes: they are stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    NOT_DRIVABLE = "not_drivable"
    FAILED = "failed"
    CANCELED = "canceled"

    @property
    def final(self) -> bool:
        """True once the job will never change again."""
        return self not in (JobStatus.QUEUED, JobStatus.RUNNING)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
    }


class Tenant(Base):
    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Webhook target for this token's jobs when a submission names none (extension).
    callback_url: Mapped[str | None] = mapped_column(String(2048), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    # The token is refused from this moment on (None: it never expires).
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    # The id of the token a rotation issued in this one's place. No foreign key: adding one
    # would make SQLite rebuild the table, which the audit log's references forbid.
    replaced_by_id: Mapped[int | None] = mapped_column(Integer, default=None)


class Tour(Base):
    __tablename__ = "tours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)  # the contract body as received
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Job(Base):
    """One optimisation of a tour; optimization_id is its integer key, job_id its public UUID."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_status_updated", "status", "updated_at"),
        # The fair claim's questions per tenant: how many run, when did the last one start.
        Index("ix_jobs_tenant_status", "tenant_id", "status"),
        Index("ix_jobs_tenant_started", "tenant_id", "started_at"),
    )

    optimization_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(String(36), unique=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id"), index=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    vehicle_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value)
    problem: Mapped[dict[str, Any]] = mapped_column(JSON)  # the validated tour request
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)  # the plan
    error: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    worker_id: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=None)


class CustomVehicle(Base):
    """A tenant's own vehicle; slot numbers its ID (vehicles.vehicle_id custom codes 90..99)."""

    __tablename__ = "custom_vehicles"
    __table_args__ = (Index("ix_custom_vehicles_tenant_slot", "tenant_id", "slot", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    slot: Mapped[int] = mapped_column(Integer)
    vehicle_id: Mapped[str] = mapped_column(String(12))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)  # the Vehicle's figures
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TenantStation(Base):
    """A tenant's own charging station (a depot charger): only that tenant sees and uses it."""

    __tablename__ = "tenant_stations"
    __table_args__ = (
        Index("ix_tenant_stations_tenant_station", "tenant_id", "station_id", unique=True),
        Index("ix_tenant_stations_tenant_lat_lon", "tenant_id", "lat", "lon"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    station_id: Mapped[str] = mapped_column(String(200))
    source_key: Mapped[str] = mapped_column(String(64))  # an import replaces its key's stations
    lat: Mapped[float] = mapped_column(Float)  # copied out of data for bbox queries
    lon: Mapped[float] = mapped_column(Float)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the Station, as station_to_json writes it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """A job's callback POST: due once the job is final, retried with backoff (extension)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.job_id"), unique=True)  # one per job
    url: Mapped[str] = mapped_column(String(2048))
    result_url: Mapped[str] = mapped_column(String(4096))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)


class IdempotencyKey(Base):
    """An Idempotency-Key a tenant sent with a job-creating POST, and the job it created."""

    __tablename__ = "idempotency_keys"
    # The unique index is what makes two concurrent requests with one key create one job.
    __table_args__ = (Index("ix_idempotency_keys_tenant_key", "tenant_id", "key", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of operation, params, body
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.job_id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TokenAuditEntry(Base):
    """One authenticated request: which token, what it asked, how it was answered."""

    __tablename__ = "token_audit"
    __table_args__ = (Index("ix_token_audit_tenant_created", "tenant_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id"), index=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    method: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(String(512))
    status_code: Mapped[int] = mapped_column(Integer)
    client_address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class WorkerProcess(Base):
    """A running worker: it beats every few seconds and removes its row when it stops.

    /health counts the workers that beat recently (and, on this host, whose process exists).
    """

    __tablename__ = "workers"

    worker_id: Mapped[str] = mapped_column(String(200), primary_key=True)  # host:pid:start_ms
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)
