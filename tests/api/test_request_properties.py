"""Property tests of the request models with finite, infinite, NaN and extreme values.

A request is either refused at the door (a 4xx in the contract's shape) or accepted with every
number finite and within its bound, and then planned without an internal error. Accepted
requests go through the synchronous `POST /planner`, which plans them in-process and answers
500 when planning fails with an internal error. Derandomized: CI runs the same examples.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from tests.api.conftest import make_settings
from tests.api.test_vehicles_api import REEFER
from tests.contract_schema import contract_errors, demo_tour

from voltroute import bounds
from voltroute.api.app import create_app
from voltroute.api.schemas import PlannerRequest
from voltroute.api.schemas.vehicles import VehicleParameters
from voltroute.regions import Region
from voltroute.strict_json import strict_loads

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

EXTREMES: list[Any] = [
    0, -0.0, -1, 1e-300, -1e-300, 1e300, -1e300, 1.7976931348623157e308, 2**63, 10**30, 0.1,
    0.8, 1.0, 10_080, 10_080.001, 5_000, 80_000, 20_160, 1e12,
]  # fmt: skip
SPELLED = ["NaN", "nan", "Infinity", "-inf", "1e400", "1e300"]
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from(EXTREMES),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.sampled_from(SPELLED),
)
START_TIMES = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
        lambda moment: moment.isoformat()
    ),
    st.sampled_from(["9999-12-31T23:00:00Z", "0001-01-01T00:00:00+14:00", "2027-06-01T08:00:00Z"]),
)

# Where a number may go in a planner request, and the bound it must then satisfy.
PLANNER_FIELDS: dict[tuple[str | int, ...], bounds.Bound] = {
    ("battery_level_start",): bounds.SOC,
    ("battery_level_end",): bounds.SOC,
    ("service_time_departure_min",): bounds.STOP_DURATION_MIN,
    ("poi_info", "min_kW"): bounds.CHARGING_POWER_KW,
    ("poi_info", "max_kW"): bounds.CHARGING_POWER_KW,
    ("section_list", 0, "payload_kg"): bounds.PAYLOAD_KG,
    ("section_list", 1, "service_time_min"): bounds.STOP_DURATION_MIN,
    ("section_list", 2, "power_available_kW"): bounds.CHARGING_POWER_KW,
    ("section_list", 1, "stop_pos", 0): bounds.LATITUDE_DEG,
    ("section_list", 0, "start_pos", 1): bounds.LONGITUDE_DEG,
}
CONTRACT_COORDINATE = bounds.Bound("coordinate", "deg", -180.0, 180.0, "as the contract has it")
VEHICLE_FIELDS = [
    "battery_usable_kwh", "ccs_max_kw", "curb_mass_kg", "axle_count", "rolling_resistance",
    "auxiliary_kw", "speed_limiter_kph", "plug_overhead_min",
]  # fmt: skip
PROPERTY_SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

Changes = dict[tuple[str | int, ...], Any]


def with_changes(body: dict[str, Any], changes: Changes) -> dict[str, Any]:
    for path, value in changes.items():
        target: Any = body
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return body


def planner_body(changes: Changes, start_time: str | None) -> dict[str, Any]:
    body = with_changes(demo_tour(), changes)
    if start_time is not None:
        body["start_time_tour"] = start_time
    return body


def values_for(bound: bounds.Bound) -> st.SearchStrategy[Any]:
    """Anything NUMBERS holds, and as often a value within the bound (its ends included)."""
    within = st.one_of(
        st.floats(min_value=bound.min_value, max_value=bound.max_value),
        st.sampled_from([bound.min_value, bound.max_value]),
    )
    return st.one_of(NUMBERS, within)


@st.composite
def planner_changes(draw: st.DrawFn) -> Changes:
    """Up to three request fields, each set to a value for its bound."""
    paths = draw(st.lists(st.sampled_from(list(PLANNER_FIELDS)), max_size=3, unique=True))
    return {path: draw(values_for(PLANNER_FIELDS[path])) for path in paths}


PLANNER_CHANGES = planner_changes()
STARTS = st.one_of(st.none(), START_TIMES)


def value_at(model: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        model = model[part] if isinstance(part, int) else getattr(model, part)
    return model


@given(changes=PLANNER_CHANGES, start_time=STARTS)
@PROPERTY_SETTINGS
def test_a_planner_request_is_refused_or_holds_only_bounded_finite_numbers(
    changes: Changes, start_time: str | None
) -> None:
    try:
        request = PlannerRequest.model_validate(planner_body(changes, start_time))
    except ValidationError:
        return
    for path, bound in PLANNER_FIELDS.items():
        value = value_at(request, path)
        # The schema takes latitude to +-180 as the contract does; translation refuses beyond 90.
        schema_bound = CONTRACT_COORDINATE if bound is bounds.LATITUDE_DEG else bound
        assert value is None or schema_bound.contains(value), (path, value)


@given(changes=st.dictionaries(st.sampled_from(VEHICLE_FIELDS), NUMBERS, max_size=3))
@PROPERTY_SETTINGS
def test_a_custom_vehicle_is_refused_or_holds_only_finite_numbers(changes: dict[str, Any]) -> None:
    try:
        vehicle = VehicleParameters.model_validate({**REEFER, **changes})
    except ValidationError:
        return
    for name in VEHICLE_FIELDS:
        assert math.isfinite(getattr(vehicle, name)), name


@pytest.fixture
def fast_client(tmp_path: Path, heidelberg_region: Region) -> Iterator[TestClient]:
    settings_ = make_settings(tmp_path, heidelberg_region, rate_limit_per_min=100_000)
    with TestClient(create_app(settings_), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def fast_auth(fast_client: TestClient) -> dict[str, str]:
    token, _ = fast_client.app.state.backend.tenants.create_token("acme", "prop")  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def assert_answer_in_contract_shape(response: Any) -> None:
    event(f"HTTP {response.status_code}")  # shown by --hypothesis-show-statistics
    assert response.status_code < 500, response.text
    body = strict_loads(response.content)  # the answer itself is standard JSON
    if response.status_code == 422:
        assert contract_errors(body, "HTTPValidationError") == []
    elif response.status_code >= 400:
        assert isinstance(body["detail"], str)


@given(changes=PLANNER_CHANGES, start_time=STARTS)
@settings(PROPERTY_SETTINGS, max_examples=60)
def test_a_planner_request_is_refused_at_the_door_or_planned_without_an_internal_error(
    fast_client: TestClient, fast_auth: dict[str, str], changes: Changes, start_time: str | None
) -> None:
    # allow_nan: the non-standard tokens go on the wire as a hostile client would send them.
    text = json.dumps(planner_body(changes, start_time), allow_nan=True)
    response = fast_client.post("/planner", content=text.encode(), headers=fast_auth)
    assert_answer_in_contract_shape(response)
    if response.status_code == 200:
        assert contract_errors(response.json(), "PlannerResponse") == []


@given(changes=st.dictionaries(st.sampled_from(VEHICLE_FIELDS), NUMBERS, max_size=3))
@settings(PROPERTY_SETTINGS, max_examples=40)
def test_a_custom_vehicle_is_refused_at_the_door_or_stored(
    fast_client: TestClient, fast_auth: dict[str, str], changes: dict[str, Any]
) -> None:
    text = json.dumps({**REEFER, **changes}, allow_nan=True)
    response = fast_client.post("/vehicles", content=text.encode(), headers=fast_auth)
    assert_answer_in_contract_shape(response)
    if response.status_code == 201:
        stored = response.json()
        assert all(math.isfinite(stored[name]) for name in VEHICLE_FIELDS)
        fast_client.delete(f"/vehicles/{stored['vehicle_id']}", headers=fast_auth)
