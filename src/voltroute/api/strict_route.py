"""The route class of every router: request bodies parsed as strict JSON, large ones off the loop.

FastAPI parses a JSON body with `request.json()` before validation and answers a
`json.JSONDecodeError` with its `json_invalid` 422 naming the position. Routes of this class get
a request whose `json()` is `voltroute.strict_json.strict_loads`, so NaN, Infinity, numbers
beyond a float and lone surrogates get that 422 at the door. A large body is parsed in the
thread pool: a 2 MB document takes tens of milliseconds the event loop must not spend.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from voltroute.strict_json import strict_loads

PARSE_IN_THREAD_BYTES = 64_000
"""Bodies from this size are parsed in the thread pool (a few milliseconds of parsing)."""


class StrictJsonRequest(Request):
    """A request whose JSON body is parsed by strict_loads."""

    async def json(self) -> Any:
        """The parsed body; json.JSONDecodeError when it is not strict JSON."""
        if not hasattr(self, "_json"):
            body = await self.body()
            if len(body) >= PARSE_IN_THREAD_BYTES:
                self._json = await run_in_threadpool(strict_loads, body)
            else:
                self._json = strict_loads(body)
        return self._json


class StrictJsonRoute(APIRoute):
    """An APIRoute handing its endpoint a StrictJsonRequest."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler, called with the strict request."""
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_handler
