"""A tour submitted as a job: what a job-creating request carries, why one is refused, and the
idempotent storing of its job (with its idempotency key and webhook rows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from voltroute.db.models import Base, Job
from voltroute.jobs.idempotency import IdempotencyKeys, request_fingerprint
from voltroute.planning.submission_checks import Problem
from voltroute.planning.tour_request import TourRequest
from voltroute.webhooks.store import new_delivery


@dataclass(frozen=True, slots=True)
class TourSubmission:
    """A tour as received (stored with its tour, and what an idempotency key is bound to) and
    as translated to the domain."""

    body: dict[str, Any]  # the request body as received, parsed
    params: dict[str, Any]  # the query parameters that shape the plan
    request: TourRequest | None  # None when the body does not translate (see malformed)
    malformed: str | None = None  # why the body does not translate (a time that does not parse)
    body_valid: bool = True  # False: translating the body found problems (the caller has them)


@dataclass(frozen=True, slots=True)
class SubmitOptions:
    """What a job-creating request asks besides its tour; its values are already checked."""

    operation: str  # "POST /planner/v2": an idempotency key is bound to one operation
    idempotency_key: str | None = None
    callback_url: str | None = None  # receives a signed POST when the job ends
    result_base_url: str = ""  # result URLs in webhooks start with it
    accept_unknown_station_data: bool = False


@dataclass(frozen=True, slots=True)
class Submitted:
    """The stored job of a tour (for a retry with the same key, the first request's)."""

    request: TourRequest
    job: Job


class SubmissionRefusedError(Exception):
    """A tour not stored as a job; the subclass says why."""


class KeyReusedError(SubmissionRefusedError):
    """The idempotency key was used before with a different request."""

    def __init__(self, key: str) -> None:
        super().__init__("this Idempotency-Key was already used with a different request")
        self.key = key


class MalformedTourError(SubmissionRefusedError):
    """The body does not translate to a tour (a time that does not parse)."""


class TourRejectedError(SubmissionRefusedError):
    """The tour cannot be planned as given: the problems found besides the body's own."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class JobSubmission:
    """One job-creating request: finds the job of an earlier request with its key, or stores
    a new job together with its key and webhook rows."""

    def __init__(
        self,
        options: SubmitOptions,
        tenant_id: int,
        keys: IdempotencyKeys,
        params: dict[str, Any],
        body: Any,
    ) -> None:
        self.options = options
        self.tenant_id = tenant_id
        self.keys = keys
        self.fingerprint = ""
        if options.idempotency_key is not None:
            signed = {
                **params,
                "callback_url": options.callback_url,
                "accept_unknown_station_data": options.accept_unknown_station_data,
            }
            self.fingerprint = request_fingerprint(options.operation, signed, body)

    def earlier_job(self) -> Job | None:
        """The job an earlier request with this key created; KeyReusedError if that request
        differed."""
        key = self.options.idempotency_key
        if key is None:
            return None
        earlier = self.keys.find(self.tenant_id, key)
        if earlier is None:
            return None
        if earlier.fingerprint != self.fingerprint:
            raise KeyReusedError(key)
        return earlier.job

    def store(self, submit: Callable[[Callable[[Job], list[Base]]], Job]) -> Job:
        """Run submit(attach) once; if a concurrent request won the key, its job."""
        try:
            return submit(self._rows)
        except IntegrityError:
            earlier = self.earlier_job()
            if earlier is None:
                raise
            return earlier

    def _rows(self, job: Job) -> list[Base]:
        rows: list[Base] = []
        if self.options.callback_url is not None:
            result_url = (
                f"{self.options.result_base_url}/planner/optimizations/{job.optimization_id}/result"
            )
            rows.append(new_delivery(job, self.options.callback_url, result_url))
        if self.options.idempotency_key is not None:
            rows.append(
                IdempotencyKeys.new_key(
                    self.tenant_id, self.options.idempotency_key, self.fingerprint, job
                )
            )
        return rows
