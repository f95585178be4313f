"""Extension headers of the job-creating POSTs: `Idempotency-Key` and `X-Callback-Url`, and
the `unknown_station_data` query parameter; read into the job service's `SubmitOptions`.

Both are headers rather than body fields: the contract's request body is a closed schema, and an
optional header is an additive change that contract clients never see.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Header, Query, Request
from fastapi.exceptions import RequestValidationError

from voltroute.api.deps import BackendDep, PrincipalDep
from voltroute.jobs.idempotency import key_problem
from voltroute.jobs.submit import SubmitOptions
from voltroute.webhooks.callbacks import CALLBACK_URL_MAX_LENGTH, callback_url_problem
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


def header_error(header: str, message: str, value: str) -> RequestValidationError:
    """A 422 in the validation shape about a header."""
    return RequestValidationError(
        [{"loc": ("header", header), "msg": message, "type": "value_error", "input": value}]
    )


def submit_options(
    request: Request,
    principal: PrincipalDep,
    backend: BackendDep,
    idempotency_key: IdempotencyKeyHeader = None,
    callback_url: CallbackUrlHeader = None,
    unknown_station_data: UnknownStationDataQuery = "refuse",
) -> SubmitOptions:
    """Check the extension headers; 422 in the validation shape when one is unusable."""
    if idempotency_key is not None and (problem := key_problem(idempotency_key)):
        raise header_error(IDEMPOTENCY_HEADER, problem, idempotency_key)
    if callback_url is not None:
        if problem := callback_url_problem(callback_url):
            raise header_error(CALLBACK_HEADER, problem, callback_url)
        if backend.settings.webhook_secret is None:
            raise header_error(
                CALLBACK_HEADER,
                "webhooks are off on this server (no VOLTROUTE_WEBHOOK_SECRET to sign them)",
                callback_url,
            )
        # Literal addresses only: a name is resolved (and checked) by the worker at delivery.
        allowed = AllowList.parse(backend.settings.webhook_allowed_hosts)
        if problem := callback_target_problem(callback_url, allowed):
            raise header_error(CALLBACK_HEADER, problem, callback_url)
    target = callback_url or principal.callback_url
    if backend.settings.webhook_secret is None:
        target = None  # a token default cannot be signed either; the job runs without it
    base = backend.settings.public_url or str(request.base_url)
    return SubmitOptions(
        operation=f"{request.method} {request.url.path}",
        idempotency_key=idempotency_key,
        callback_url=target,
        result_base_url=base.rstrip("/"),
        accept_unknown_station_data=unknown_station_data == "accept",
    )


SubmitOptionsDep = Annotated[SubmitOptions, Depends(submit_options)]
