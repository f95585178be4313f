"""Router on a remote valhalla_service over HTTP (the scaled-out deployment); same JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import httpx

from voltroute.domain import LatLon
from voltroute.routing.errors import RoutingError, ValhallaEngineError
from voltroute.routing.route import RouteLeg, TravelCost, TruckProfile
from voltroute.routing.valhalla_json import Json
from voltroute.routing.valhalla_leg import match_leg, point_heights, route_leg, travel_costs

DEFAULT_TIMEOUT_S = 30.0


class HttpValhallaRouter:
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

    def route(self, start: LatLon, stop: LatLon, truck: TruckProfile) -> RouteLeg:
        """Fastest legal truck route from start to stop."""
        return route_leg(self._call, start, stop, truck)

    def match(self, shape: Sequence[LatLon], truck: TruckProfile) -> RouteLeg:
        """Map-match a given geometry onto the network (same edge attributes as route)."""
        return match_leg(self._call, shape, truck)

    def matrix(
        self, sources: Sequence[LatLon], targets: Sequence[LatLon], truck: TruckProfile
    ) -> list[list[TravelCost | None]]:
        """Truck time and distance from each source to each target (None: no path)."""
        return travel_costs(self._call, sources, targets, truck)

    def heights(self, points: Sequence[LatLon]) -> list[float | None]:
        """Elevation at each point (None where the region has none)."""
        return point_heights(self._call, points)

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
