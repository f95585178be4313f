"""Extension headers of the job-creating POSTs: `Idempotency-Key` and `X-Callback-Url`.

Both are headers rather than body fields: the contract's request body is a closed schema, and an
optional header is an additive change that contract clients never see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError

from voltroute.api.deps import BackendDep, PrincipalDep
from voltroute.composition import Backend
from voltroute.db.models import Base, Job
from voltroute.jobs.idempotency import IdempotencyKeys, key_problem, request_fingerprint
from voltroute.webhooks.callbacks import CALLBACK_URL_MAX_LENGTH, callback_url_problem
from voltroute.webhooks.store import new_delivery
from voltroute.webhooks.targets import AllowList, callback_target_problem

IDEMPOTENCY_HEADER = "Idempotency-Key"
CALLBACK_HEADER = "X-Callback-Url"

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        max_length=1000,  # checked precisely below; this only bounds what is read
        description="Extension: retrying a POST with the same key (per tenant) and the same "
        "request returns the first request's job instead of creating another; the same key "
        "with a different request is answered 422. 1..255 visible ASCII characters.",
    ),
]
UnknownStationDataQuery = Annotated[
    Literal["refuse", "accept"],
    Query(
        description=(
            "Extension. `refuse` (default, the contract's meaning): a `poi_info` filter passes "
            "only stations known to meet it. `accept`: a station whose source does not carry "
            "the filtered field (the Bundesnetzagentur register has no truck approval, no inlet "
            "side, no booking) passes too, and every charging stop chosen so carries a warning."
        ),
    ),
]
CallbackUrlHeader = Annotated[
    str | None,
    Header(
        alias=CALLBACK_HEADER,
        max_length=CALLBACK_URL_MAX_LENGTH * 2,
        description="Extension: http(s) URL that receives a signed POST when the job ends "
        "(overrides the token's default callback URL). Public addresses only, unless the "
        "server allow-lists the receiver.",
    ),
]


def _header_error(header: str, message: str, value: str) -> RequestValidationError:
    return RequestValidationError(
        [{"loc": ("header", header), "msg": message, "type": "value_error", "input": value}]
    )


@dataclass(frozen=True, slots=True)
class SubmitExtras:
    """What a job-creating POST carries besides body and query: key, callback, where it came."""

    operation: str  # "POST /planner/v2"
    idempotency_key: str | None
    callback_url: str | None
    result_base_url: str  # result URLs in webhooks start with it
    accept_unknown_station_data: bool = False


def submit_extras(
    request: Request,
    principal: PrincipalDep,
    backend: BackendDep,
    idempotency_key: IdempotencyKeyHeader = None,
    callback_url: CallbackUrlHeader = None,
    unknown_station_data: UnknownStationDataQuery = "refuse",
) -> SubmitExtras:
    """Check the extension headers; 422 in the validation shape when one is unusable."""
    if idempotency_key is not None and (problem := key_problem(idempotency_key)):
        raise _header_error(IDEMPOTENCY_HEADER, problem, idempotency_key)
    if callback_url is not None:
        if problem := callback_url_problem(callback_url):
            raise _header_error(CALLBACK_HEADER, problem, callback_url)
        if backend.settings.webhook_secret is None:
            raise _header_error(
                CALLBACK_HEADER,
                "webhooks are off on this server (no VOLTROUTE_WEBHOOK_SECRET to sign them)",
                callback_url,
            )
        # Literal addresses only: a name is resolved (and checked) by the worker at delivery.
        allowed = AllowList.parse(backend.settings.webhook_allowed_hosts)
        if problem := callback_target_problem(callback_url, allowed):
            raise _header_error(CALLBACK_HEADER, problem, callback_url)
    target = callback_url or principal.callback_url
    if backend.settings.webhook_secret is None:
        target = None  # a token default cannot be signed either; the job runs without it
    base = backend.settings.public_url or str(request.base_url)
    return SubmitExtras(
        operation=f"{request.method} {request.url.path}",
        idempotency_key=idempotency_key,
        callback_url=target,
        result_base_url=base.rstrip("/"),
        accept_unknown_station_data=unknown_station_data == "accept",
    )


SubmitExtrasDep = Annotated[SubmitExtras, Depends(submit_extras)]


class JobSubmission:
    """One job-creating request: finds the job of an earlier request with its key, or stores
    a new job together with its key and webhook rows."""

    def __init__(
        self,
        extras: SubmitExtras | None,
        tenant_id: int,
        backend: Backend,
        params: dict[str, Any],
        body: Any,
    ) -> None:
        self.extras = extras
        self.tenant_id = tenant_id
        self.keys: IdempotencyKeys = backend.idempotency
        self.fingerprint = ""
        if extras is not None and extras.idempotency_key is not None:
            signed = {
                **params,
                "callback_url": extras.callback_url,
                "accept_unknown_station_data": extras.accept_unknown_station_data,
            }
            self.fingerprint = request_fingerprint(extras.operation, signed, body)

    def earlier_job(self) -> Job | None:
        """The job an earlier request with this key created; 422 if that request differed."""
        if self.extras is None or self.extras.idempotency_key is None:
            return None
        earlier = self.keys.find(self.tenant_id, self.extras.idempotency_key)
        if earlier is None:
            return None
        if earlier.fingerprint != self.fingerprint:
            raise _header_error(
                IDEMPOTENCY_HEADER,
                "this Idempotency-Key was already used with a different request",
                self.extras.idempotency_key,
            )
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
        if self.extras is None:
            return rows
        if self.extras.callback_url is not None:
            result_url = (
                f"{self.extras.result_base_url}/planner/optimizations/{job.optimization_id}/result"
            )
            rows.append(new_delivery(job, self.extras.callback_url, result_url))
        if self.extras.idempotency_key is not None:
            rows.append(
                IdempotencyKeys.new_key(
                    self.tenant_id, self.extras.idempotency_key, self.fingerprint, job
                )
            )
        return rows
