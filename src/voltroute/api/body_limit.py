"""ASGI middleware bounding request bodies however they are framed (Content-Length or chunked).

A declared Content-Length over the limit is answered before a byte of the body is read. Without
one (`Transfer-Encoding: chunked`), the bytes are counted as the application receives them; the
moment the count passes the limit the middleware sends the 413 itself, and the application,
which is still reading, gets an `HTTPException(413)` from `receive` that unwinds it without a
stack trace. Whatever it tries to send afterwards is dropped. The body is never held whole
beyond the limit, so a client cannot make the server buffer more than that.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from voltroute.api.http_middleware import HttpMiddleware

TOO_LARGE_STATUS = 413


class BodyLimitMiddleware(HttpMiddleware):
    """Answers 413 `{"detail": ...}` (the contract's error shape) to bodies over max_bytes."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a declared or counted body over max_bytes; pass the rest on."""
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _send_too_large(send, self.max_bytes)
            return
        await _LimitedExchange(self.app, self.max_bytes, receive, send).run(scope)


class _LimitedExchange:
    """One request: counts its body bytes, owns whether the 413 or the app's answer is sent."""

    def __init__(self, app: ASGIApp, max_bytes: int, receive: Receive, send: Send) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.outer_receive = receive
        self.outer_send = send
        self.received_bytes = 0
        self.response_started = False
        self.refused = False

    async def run(self, scope: Scope) -> None:
        try:
            await self.app(scope, self.receive, self.send)
        except HTTPException as error:
            # Only ours reaches here unhandled (FastAPI handles its own); anything else is raised.
            if not (self.refused and error.status_code == TOO_LARGE_STATUS):
                raise

    async def receive(self) -> Message:
        if self.refused:
            raise _too_large(self.max_bytes)
        message = await self.outer_receive()
        if message["type"] == "http.request":
            self.received_bytes += len(message.get("body", b""))
            if self.received_bytes > self.max_bytes:
                self.refused = True
                if not self.response_started:
                    self.response_started = True
                    await _send_too_large(self.outer_send, self.max_bytes)
                raise _too_large(self.max_bytes)
        return message

    async def send(self, message: Message) -> None:
        if self.refused:
            return  # the 413 went out already; the app's late answer has nowhere to go
        if message["type"] == "http.response.start":
            self.response_started = True
        await self.outer_send(message)


def _too_large(max_bytes: int) -> HTTPException:
    return HTTPException(TOO_LARGE_STATUS, detail=_detail(max_bytes))


def _detail(max_bytes: int) -> str:
    return f"Request body larger than {max_bytes} bytes."


async def _send_too_large(send: Send, max_bytes: int) -> None:
    body = json.dumps({"detail": _detail(max_bytes)}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": TOO_LARGE_STATUS,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                # The rest of the body is not read: the connection cannot carry another request.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
