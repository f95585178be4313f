"""Router on a remote valhalla_service over HTTP (the scaled-out deployment); same JSON."""

from __future__ import annotations

import json
from typing import Any

import httpx

from voltroute.routing.errors import RoutingError, ValhallaEngineError
from voltroute.routing.valhalla_json import Json
from voltroute.routing.valhalla_router import ValhallaRouter

DEFAULT_TIMEOUT_S = 30.0


class HttpValhallaRouter(ValhallaRouter):
    """Routes through a valhalla_service at base_url; timeouts are always on."""

    def __init__(
        self,
        base_url: str,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        client: httpx.Client | None = None,
    ) -> None:
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {timeout_s}")
        self._base_url = base_url.rstrip("/")
        self._timeout = httpx.Timeout(timeout_s)
        self._owns_client = client is None
        # httpx.Client is thread safe, so one router (and its connection pool) serves all threads.
        self._client = client if client is not None else httpx.Client(timeout=self._timeout)

    def close(self) -> None:
        """Close the HTTP client if this router created it."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> HttpValhallaRouter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(self, action: str, request: Json) -> Any:
        url = f"{self._base_url}/{action}"
        try:
            response = self._client.post(url, json=request, timeout=self._timeout)
        except httpx.TimeoutException as exc:
            raise RoutingError(
                f"routing engine at {self._base_url} did not answer {action} within "
                f"{self._timeout.read} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise RoutingError(f"cannot reach routing engine at {self._base_url}: {exc}") from exc
        body = _json_or_none(response)
        if response.is_success:
            if body is None:
                raise RoutingError(f"routing engine answered {action} with invalid JSON")
            return body
        if isinstance(body, dict) and "error_code" in body:
            # valhalla_service answers 4xx/5xx with {"error_code", "error", "status_code", ...}.
            raise ValhallaEngineError(int(body["error_code"]), str(body.get("error", "")))
        raise RoutingError(
            f"routing engine at {self._base_url} answered {action} with HTTP "
            f"{response.status_code} {response.reason_phrase}".rstrip()
        )


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
