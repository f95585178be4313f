"""The HTTP router: error mapping against a mock transport, and a real valhalla_service."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import valhalla

from voltroute.domain import LatLon
from voltroute.routing import (
    EmbeddedValhallaRouter,
    HttpValhallaRouter,
    NoRouteError,
    PositionOffNetworkError,
    RouteLeg,
    RoutingError,
    TruckProfile,
    with_service_limits,
)

from .conftest import A5_SOUTH, A656_WEST, NORTH_SEA

VALHALLA_SERVICE = Path(valhalla.__file__).parent / "bin" / "valhalla_service"
BASE_URL = "http://valhalla.test"
TRUCK = TruckProfile(gross_mass_kg=40_000)


def mock_router(handler: Callable[[httpx.Request], httpx.Response]) -> HttpValhallaRouter:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return HttpValhallaRouter(BASE_URL, timeout_s=2, client=client)


def valhalla_error(code: int, message: str, status: int = 400) -> httpx.Response:
    body = {"error_code": code, "error": message, "status_code": status, "status": "Bad Request"}
    return httpx.Response(status, json=body)


def test_a_server_error_without_valhalla_json_is_a_routing_error() -> None:
    router = mock_router(lambda request: httpx.Response(500, text="Internal Server Error"))
    with pytest.raises(RoutingError, match="HTTP 500") as err:
        router.route(A656_WEST, A5_SOUTH, TRUCK)
    assert type(err.value) is RoutingError


def test_a_timeout_is_a_routing_error_naming_the_engine() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(RoutingError, match=r"valhalla\.test did not answer route within 2"):
        mock_router(handler).route(A656_WEST, A5_SOUTH, TRUCK)


def test_an_unreachable_engine_is_a_routing_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(RoutingError, match="cannot reach routing engine"):
        mock_router(handler).route(A656_WEST, A5_SOUTH, TRUCK)


def test_an_answer_that_is_not_json_is_a_routing_error() -> None:
    router = mock_router(lambda request: httpx.Response(200, text="<html>proxy</html>"))
    with pytest.raises(RoutingError, match="invalid JSON"):
        router.route(A656_WEST, A5_SOUTH, TRUCK)


def test_no_edges_near_the_stop_names_the_stop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/route":
            return valhalla_error(171, "No suitable edges near location")
        location = json.loads(request.content)["locations"][0]
        edges = [] if location["lat"] == NORTH_SEA.lat else [{"way_id": 1}]
        return httpx.Response(200, json=[{"edges": edges, "nodes": []}])

    with pytest.raises(PositionOffNetworkError, match=r"stop position \(54\.50000, 5\.00000\)"):
        mock_router(handler).route(A656_WEST, NORTH_SEA, TRUCK)


def test_no_path_is_a_no_route_error() -> None:
    router = mock_router(lambda request: valhalla_error(442, "No path could be found for input"))
    with pytest.raises(NoRouteError, match="no legal truck route"):
        router.route(A656_WEST, A5_SOUTH, TRUCK)


def test_requests_go_to_the_action_path_as_json_posts() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return valhalla_error(442, "No path could be found for input")

    with pytest.raises(NoRouteError):
        mock_router(handler).route(A656_WEST, A5_SOUTH, TRUCK)
    assert seen[0].method == "POST"
    assert str(seen[0].url) == f"{BASE_URL}/route"
    assert json.loads(seen[0].content)["costing_options"]["truck"]["weight"] == 40.0


def test_timeouts_must_be_positive() -> None:
    with pytest.raises(ValueError, match="timeout_s"):
        HttpValhallaRouter(BASE_URL, timeout_s=0)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], deadline_s: float) -> None:
    stop_at = time.monotonic() + deadline_s
    while time.monotonic() < stop_at:
        if process.poll() is not None:
            raise RuntimeError(f"valhalla_service exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/status", timeout=1).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"valhalla_service did not answer on {url} within {deadline_s} s")


@pytest.fixture(scope="module")
def valhalla_service_url(
    hd_config: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A real valhalla_service on the Heidelberg region, on a free loopback port."""
    workdir = tmp_path_factory.mktemp("valhalla_service")
    port = _free_port()
    config = with_service_limits(hd_config)
    config["httpd"]["service"].update(
        {
            "listen": f"tcp://127.0.0.1:{port}",
            "loopback": f"ipc://{workdir}/loopback",
            "interrupt": f"ipc://{workdir}/interrupt",
            "drain_seconds": 0,
            "shutdown_seconds": 0,
        }
    )
    config_path = workdir / "valhalla.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    url = f"http://127.0.0.1:{port}"
    with (workdir / "service.log").open("wb") as log:
        process = subprocess.Popen(
            [str(VALHALLA_SERVICE), str(config_path), "1"], stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_ready(url, process, deadline_s=30)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.mark.integration
def test_http_router_returns_the_same_leg_as_the_embedded_one(
    valhalla_service_url: str, motorway_leg: RouteLeg, truck: TruckProfile
) -> None:
    with HttpValhallaRouter(valhalla_service_url) as router:
        leg = router.route(A656_WEST, A5_SOUTH, truck)
    assert leg == motorway_leg


@pytest.mark.integration
def test_http_router_matches_like_the_embedded_one(
    valhalla_service_url: str,
    embedded_router: EmbeddedValhallaRouter,
    motorway_leg: RouteLeg,
    truck: TruckProfile,
) -> None:
    positions = [LatLon(p.lat, p.lon) for p in motorway_leg.shape]
    with HttpValhallaRouter(valhalla_service_url) as router:
        assert router.match(positions, truck) == embedded_router.match(positions, truck)


@pytest.mark.integration
def test_http_router_names_a_position_in_the_sea(
    valhalla_service_url: str, truck: TruckProfile
) -> None:
    with (
        HttpValhallaRouter(valhalla_service_url) as router,
        pytest.raises(PositionOffNetworkError, match=r"stop position \(54\.50000, 5\.00000\)"),
    ):
        router.route(A656_WEST, NORTH_SEA, truck)
