"""Issue 18's probes against the in-process app: each gets a precise 4xx at the door.

Non-standard JSON (NaN, Infinity), absurd and unbounded numbers, sizes without a Content-Length,
station files with absurd lines, control characters, and callback URLs naming private
addresses in any notation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import flexpolyline
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.api.conftest import make_settings
from tests.api.test_bad_input import assert_422, tour
from tests.api.test_vehicles_api import REEFER
from tests.contract_schema import contract_errors

from voltroute import bounds
from voltroute.api.app import create_app
from voltroute.api.schemas import PlannerRequest
from voltroute.api.strict_route import StrictJsonRoute
from voltroute.api.translate_request import to_tour_request
from voltroute.regions import Region

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

SECRET = "test-webhook-secret-0123456789"


def post_text(client: TestClient, path: str, text: str, auth: dict[str, str]) -> Any:
    """POST text as it is (json= would refuse to write NaN), as application/json."""
    headers = {**auth, "Content-Type": "application/json"}
    return client.post(path, content=text.encode(), headers=headers)


def assert_json_invalid(response: Any, fragment: str) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert contract_errors(body, "HTTPValidationError") == []
    [error] = body["detail"]
    assert error["type"] == "json_invalid"
    assert fragment in error["ctx"]["error"]


def with_section_field(field: str, token: str) -> str:
    """The demo tour's text with field of the first section set to a raw JSON token."""
    body = tour()
    body["section_list"][0][field] = "__TOKEN__"
    return json.dumps(body).replace('"__TOKEN__"', token)


def with_field(field: str, token: str) -> str:
    body = tour(**{field: "__TOKEN__"})
    return json.dumps(body).replace('"__TOKEN__"', token)


# --- NaN and Infinity: refused by the JSON parser itself ---------------------------------------


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_a_bounded_field_are_refused_by_the_parser(
    client: TestClient, auth: dict[str, str], token: str
) -> None:
    response = post_text(client, "/planner/v2", with_field("battery_level_start", token), auth)
    assert_json_invalid(response, f"{token} is not valid JSON")


@pytest.mark.parametrize(
    ("field", "token"),
    [("service_time_min", "Infinity"), ("payload_kg", "NaN"), ("power_available_kW", "-Infinity")],
)
def test_nan_and_infinity_in_an_unbounded_field_are_refused_by_the_parser(
    client: TestClient, auth: dict[str, str], field: str, token: str
) -> None:
    response = post_text(client, "/planner/v2", with_section_field(field, token), auth)
    assert_json_invalid(response, "is not valid JSON")
    assert client.app.state.backend.store.status_counts() == {}  # type: ignore[attr-defined]


def test_a_number_beyond_a_float_is_refused_by_the_parser(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = post_text(
        client, "/planner/v2", with_section_field("service_time_min", "1e400"), auth
    )
    assert_json_invalid(response, "1e400 is too large")


def test_nan_in_a_custom_vehicle_is_refused_by_the_parser(
    client: TestClient, auth: dict[str, str]
) -> None:
    text = json.dumps({**REEFER, "battery_usable_kwh": "__TOKEN__"}).replace('"__TOKEN__"', "NaN")
    assert_json_invalid(post_text(client, "/vehicles", text, auth), "NaN is not valid JSON")


@pytest.mark.parametrize("spelled", ["NaN", "inf", "-Infinity"])
def test_nan_spelled_as_a_string_is_not_a_finite_number(
    client: TestClient, auth: dict[str, str], spelled: str
) -> None:
    body = tour(battery_level_start=spelled)
    [error] = assert_422(client.post("/planner/v2", json=body, headers=auth), "battery_level_start")
    assert error["type"] == "finite_number"
    vehicle = client.post("/vehicles", json={**REEFER, "auxiliary_kw": spelled}, headers=auth)
    assert_422(vehicle, "auxiliary_kw")


def test_a_lone_surrogate_is_refused_by_the_parser(
    client: TestClient, auth: dict[str, str]
) -> None:
    text = json.dumps(tour(vehicle_id="__TOKEN__")).replace('"__TOKEN__"', '"\\ud800"')
    assert_json_invalid(post_text(client, "/planner/v2", text, auth), "lone UTF-16 surrogate")


def test_absurd_nesting_is_refused_by_the_parser(client: TestClient, auth: dict[str, str]) -> None:
    text = with_field("poi_info", "[" * 100_000 + "]" * 100_000)
    assert_json_invalid(post_text(client, "/planner/v2", text, auth), "nest")


def api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every APIRoute, those of included routers too (FastAPI keeps them in their router)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from api_routes(route.original_router.routes)


def test_every_route_with_a_json_body_parses_it_as_strict_json(client: TestClient) -> None:
    routes = list(api_routes(client.app.routes))  # type: ignore[attr-defined]
    with_body = [r for r in routes if r.body_field is not None]
    assert len(with_body) >= 4  # POST /planner, /planner/v2, POST and PUT /vehicles
    assert [r.path for r in with_body if not isinstance(r, StrictJsonRoute)] == []


# --- Finite numbers out of their physical range ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "bound"),
    [
        ("service_time_min", 1e300, bounds.STOP_DURATION_MIN.max_value),
        ("service_time_min", 10_081, bounds.STOP_DURATION_MIN.max_value),
        ("payload_kg", 1e9, bounds.PAYLOAD_KG.max_value),
        ("power_available_kW", 1e6, bounds.CHARGING_POWER_KW.max_value),
    ],
)
def test_a_section_value_beyond_its_physical_bound_is_a_422_naming_field_and_bound(
    client: TestClient, auth: dict[str, str], field: str, value: float, bound: float
) -> None:
    body = tour()
    body["section_list"][0][field] = value
    [error] = assert_422(client.post("/planner/v2", json=body, headers=auth), 0, field)
    assert error["type"] == "less_than_equal"
    assert error["ctx"]["le"] == bound
    assert f"{bound:g}" in error["msg"]


def test_a_departure_service_of_1e12_minutes_is_a_422(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = tour(service_time_departure_min=1e12)
    [error] = assert_422(
        client.post("/planner/v2", json=body, headers=auth), "service_time_departure_min"
    )
    assert error["ctx"]["le"] == bounds.STOP_DURATION_MIN.max_value


def test_a_filter_power_beyond_any_charger_is_a_422(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = tour(poi_info={"min_kW": 1e300})
    assert_422(client.post("/planner/v2", json=body, headers=auth), "poi_info", "min_kW")


def test_stops_longer_than_the_longest_tour_are_a_422(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = tour()
    for section in body["section_list"]:
        section["service_time_min"] = bounds.STOP_DURATION_MIN.max_value  # each one allowed
    [error] = assert_422(client.post("/planner/v2", json=body, headers=auth), "section_list")
    assert f"{bounds.MAX_TOUR_DURATION_MIN:g} min" in error["msg"]


@pytest.mark.parametrize("start", ["9999-12-31T23:00:00Z", "2200-01-01T08:00:00"])
def test_a_start_beyond_the_planning_horizon_is_a_422(
    client: TestClient, auth: dict[str, str], start: str
) -> None:
    response = client.post("/planner/v2", json=tour(start_time_tour=start), headers=auth)
    [error] = assert_422(response, "start_time_tour")
    assert "planning horizon" in error["msg"]
    assert f"{bounds.PLANNING_HORIZON_DAYS} days" in error["msg"]


def test_a_start_before_the_earliest_date_is_a_422(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post(
        "/planner/v2", json=tour(start_time_tour="0001-01-01T00:00:00+14:00"), headers=auth
    )
    [error] = assert_422(response, "start_time_tour")
    assert "2000-01-01" in error["msg"]


# --- Sizes -------------------------------------------------------------------------------------


def test_ten_thousand_stops_are_a_422_before_any_is_validated(
    client: TestClient, auth: dict[str, str]
) -> None:
    stop = {"stop_pos": [49.41, 8.69]}
    body = tour(section_list=[tour()["section_list"][0]] + [stop] * 9_999)
    [error] = assert_422(client.post("/planner/v2", json=body, headers=auth), "section_list")
    assert error["type"] == "too_long"
    assert error["ctx"]["max_length"] == bounds.MAX_SECTIONS_PER_TOUR


def test_a_position_of_many_values_is_a_422(client: TestClient, auth: dict[str, str]) -> None:
    body = tour()
    body["section_list"][0]["stop_pos"] = [49.41, 8.69] + [0.0] * 1000
    assert_422(client.post("/planner/v2", json=body, headers=auth), "stop_pos")


def chunks(total_bytes: int) -> Iterator[bytes]:
    """A JSON-looking body of total_bytes, as a generator: sent chunked, without Content-Length."""
    yield b'{"section_list": ["'
    for _ in range(total_bytes // 10_000):
        yield b"x" * 10_000
    yield b'"]}'


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/planner/v2", "application/json"), ("/vehicles", "application/json"),
     ("/stations/import", "text/csv"), ("/stations/import", "application/json")],
)  # fmt: skip
def test_a_chunked_body_over_the_limit_is_a_413_in_the_contracts_shape(
    client: TestClient, auth: dict[str, str], path: str, content_type: str
) -> None:
    response = client.post(
        path, content=chunks(5_000_000), headers={**auth, "Content-Type": content_type}
    )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert "2000000 bytes" in response.json()["detail"]


def test_a_declared_length_over_the_limit_is_a_413_without_reading_the_body(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post("/planner/v2", content=b"{}" * 1_500_000, headers=auth)
    assert response.status_code == 413
    assert isinstance(response.json()["detail"], str)


def test_a_chunked_body_under_the_limit_is_served(client: TestClient, auth: dict[str, str]) -> None:
    def small() -> Iterator[bytes]:
        yield json.dumps(tour()).encode()

    headers = {**auth, "Content-Type": "application/json"}
    assert client.post("/planner/v2", content=small(), headers=headers).status_code == 202


# --- Station imports ---------------------------------------------------------------------------


def import_csv(client: TestClient, auth: dict[str, str], text: str) -> Any:
    headers = {**auth, "Content-Type": "text/csv"}
    return client.post("/stations/import", content=text.encode(), headers=headers)


def test_a_csv_with_a_200_kb_header_line_is_a_422_naming_it(
    client: TestClient, auth: dict[str, str]
) -> None:
    text = "id," + "x" * 200_000 + "\nnord,1\n"
    [error] = assert_422(import_csv(client, auth, text), "body")
    assert "header line has 200003 characters" in error["msg"]
    assert str(bounds.MAX_CSV_LINE_CHARS) in error["msg"]


def test_a_csv_with_an_absurd_data_line_is_a_422_naming_its_number(
    client: TestClient, auth: dict[str, str]
) -> None:
    text = "id,name\nnord,Depot\nsued," + "y" * 50_000 + "\n"
    [error] = assert_422(import_csv(client, auth, text), "body")
    assert "line 3" in error["msg"]


def test_a_json_station_file_with_nan_is_a_422(client: TestClient, auth: dict[str, str]) -> None:
    text = '{"format": "voltroute-overlay/1", "records": [{"id": "a", "lat": NaN, "lon": 8.6}]}'
    response = post_text(client, "/stations/import", text, auth)
    [error] = assert_422(response, "body")
    assert "NaN" in error["msg"]


# --- Control characters ------------------------------------------------------------------------


@pytest.mark.parametrize("section_id", ["leg\x00one", "leg\x1b[31mred", "leg\ttab", "leg\x7f"])
def test_control_characters_in_a_section_id_are_a_422(
    client: TestClient, auth: dict[str, str], section_id: str
) -> None:
    body = tour()
    body["section_list"][0]["section_id"] = section_id
    [error] = assert_422(client.post("/planner/v2", json=body, headers=auth), 0, "section_id")
    assert error["type"] == "string_control_character"
    assert f"U+{ord(section_id[3]):04X} at index 3" in error["msg"]


def test_a_section_id_longer_than_the_bound_is_a_422(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = tour()
    body["section_list"][0]["section_id"] = "x" * (bounds.MAX_ID_CHARS + 1)
    assert_422(client.post("/planner/v2", json=body, headers=auth), "section_id")


def polyline_of(points: int) -> str:
    """A dense polyline in Heidelberg (3 characters a point, as real shapes pack them)."""
    return flexpolyline.encode([(49.40 + (i % 2) * 1e-5, 8.68) for i in range(points)])


def test_a_polyline_of_more_points_than_the_bound_is_a_422_before_any_matching(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = tour()
    polyline = polyline_of(bounds.MAX_POLYLINE_POINTS + 1)
    assert len(polyline) <= bounds.MAX_POLYLINE_CHARS  # the character bound alone admits it
    body["section_list"][0] = {"polyline": polyline, "payload_kg": 0}
    [error] = assert_422(client.post("/planner/v2", json=body, headers=auth), 0, "polyline")
    assert error["type"] == "too_long"
    assert error["ctx"]["max_length"] == bounds.MAX_POLYLINE_POINTS


def test_a_polyline_at_the_point_bound_is_accepted(
    client: TestClient, auth: dict[str, str]
) -> None:
    body = tour()
    body["section_list"][0] = {"polyline": polyline_of(bounds.MAX_POLYLINE_POINTS)}
    assert client.post("/planner/v2", json=body, headers=auth).status_code == 202


def test_control_characters_in_a_vehicle_name_are_a_422(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post("/vehicles", json={**REEFER, "model": "Reefer\n500"}, headers=auth)
    assert_422(response, "model")


# --- Callbacks to private addresses ------------------------------------------------------------


@pytest.fixture
def hooked(tmp_path: Path, heidelberg_region: Region) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, heidelberg_region, webhook_secret=SECRET)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def hook_auth(client: TestClient) -> dict[str, str]:
    token, _ = client.app.state.backend.tenants.create_token("acme", "alice")  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1/hook", "loopback"),
        ("http://2130706433/hook", "loopback"),
        ("http://0x7f.0.0.1/hook", "loopback"),
        ("http://0177.0.0.1/hook", "IPv4"),
        ("http://127.1/hook", "loopback"),
        ("http://0.0.0.0/hook", "unspecified"),
        ("http://0/hook", "unspecified"),
        ("http://[::1]/hook", "loopback"),
        ("http://[::ffff:127.0.0.1]/hook", "loopback"),
        ("http://[::ffff:a9fe:a9fe]/hook", "link-local"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.7:8080/hook", "private"),
        ("http://[fd00::1]/hook", "private"),
        ("http://224.0.0.1/hook", "multicast"),
        ("http://240.0.0.1/hook", "reserved"),
        ("http://100.64.0.1/hook", "not a globally routable"),
        ("http://localhost:8080/hook", "loopback name"),
        ("http://api.localhost/hook", "loopback name"),
    ],
)
def test_a_callback_to_a_private_address_in_any_notation_is_a_422(
    hooked: TestClient, url: str, kind: str
) -> None:
    headers = {**hook_auth(hooked), "X-Callback-Url": url}
    response = hooked.post("/planner/v2", json=tour(), headers=headers)
    [error] = assert_422(response, "header", "X-Callback-Url")
    assert kind in error["msg"]
    assert hooked.app.state.backend.store.status_counts() == {}  # type: ignore[attr-defined]


def test_an_allow_listed_on_premise_receiver_is_accepted(
    tmp_path: Path, heidelberg_region: Region
) -> None:
    settings = make_settings(
        tmp_path,
        heidelberg_region,
        webhook_secret=SECRET,
        webhook_allowed_hosts=["10.0.0.0/8", "127.0.0.1", "hooks.internal"],
    )
    with TestClient(create_app(settings)) as client:
        auth = hook_auth(client)
        for url in ("http://10.1.2.3/h", "http://127.0.0.1:9000/h", "http://hooks.internal/h"):
            headers = {**auth, "X-Callback-Url": url}
            response = client.post("/planner/v2", json=tour(), headers=headers)
            assert response.status_code == 202, response.text
        refused = client.post(
            "/planner/v2", json=tour(), headers={**auth, "X-Callback-Url": "http://[::1]/h"}
        )
        assert refused.status_code == 422


def test_a_vehicle_whose_only_inlet_is_set_to_zero_is_a_422_not_a_500(
    client: TestClient, auth: dict[str, str]
) -> None:
    # Found by test_request_properties: mcs_max_kw defaulted to 0 skipped the "some inlet" check,
    # and the vehicle ID could not encode a vehicle that cannot charge.
    response = client.post("/vehicles", json={**REEFER, "ccs_max_kw": 0}, headers=auth)
    [error] = assert_422(response, "mcs_max_kw")
    assert "cannot charge" in error["msg"]


def test_the_horizon_ends_planning_horizon_days_after_the_request() -> None:
    now = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    latest = now + timedelta(days=bounds.PLANNING_HORIZON_DAYS)

    def problems_at(start: datetime) -> list[Any]:
        body = PlannerRequest.model_validate(tour(start_time_tour=start.isoformat()))
        return to_tour_request(body, 8000, 0, now)[1].errors

    assert problems_at(latest) == []
    assert problems_at(bounds.EARLIEST_START) == []
    [late] = problems_at(latest + timedelta(minutes=1))
    assert late["loc"] == ("body", "start_time_tour")
    [early] = problems_at(bounds.EARLIEST_START - timedelta(minutes=1))
    assert early["loc"] == ("body", "start_time_tour")
