"""ASGI middleware writing the token audit log: one row per authenticated request.

Authentication leaves the principal in the request's state; once the response is sent, this
middleware inserts one row off the event loop. A failing insert is logged, never raised: the
audit log must not cost a client its answer.
"""

from __future__ import annotations

import structlog
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from voltroute.api.http_middleware import HttpMiddleware
from voltroute.tenancy.tenants import Principal
from voltroute.tenancy.token_audit import TokenAudit

log = structlog.get_logger(__name__)

PRINCIPAL_STATE_KEY = "voltroute_principal"
"""Key under which `current_principal` leaves the caller in `request.state`."""


class TokenAuditMiddleware(HttpMiddleware):
    """Records method, path, status code and client address of authenticated requests."""

    def __init__(self, app: ASGIApp, audit: TokenAudit) -> None:
        super().__init__(app)
        self.audit = audit

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, then record it when a token authenticated it."""
        # Created here so the routes' request.state writes into the dict this frame holds.
        state = scope.setdefault("state", {})
        status_code = 500  # what the client gets if the app raises before answering

        async def remember_status(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            principal = state.get(PRINCIPAL_STATE_KEY)
            if isinstance(principal, Principal):
                client = scope.get("client")
                await run_in_threadpool(
                    self._record,
                    principal,
                    scope["method"],
                    scope["path"],
                    status_code,
                    str(client[0]) if client else "unknown",
                )

    def _record(
        self, principal: Principal, method: str, path: str, status_code: int, client: str
    ) -> None:
        try:
            self.audit.record(
                principal.token_id, principal.tenant_id, method, path, status_code, client
            )
        except Exception as error:  # the database may be away; the request is answered already
            log.warning("token audit entry lost", error=str(error), path=path)
