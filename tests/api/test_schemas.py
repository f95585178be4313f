"""The contract models accept the contract's examples, enforce its bounds and apply its defaults."""

from __future__ import annotations

import copy
import json
import os
import warnings
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import BaseModel, ValidationError

from voltroute.api.schemas import (
    DEFAULT_CORRIDOR_M,
    DEFAULT_MIN_CHARGE_DURATION_MIN,
    OPTIMIZATION_RESULT_EXAMPLE,
    PLANNER_REQUEST_EXAMPLE,
    ConnectorPos,
    ConnectorType,
    Corridor,
    CorridorV2,
    JobListResponse,
    JobStatusResponse,
    MinChargeDurationMin,
    OptimizationResultResponse,
    PlannerRequest,
    PlannerV2SubmitResponse,
    ResultSection,
    SectionRequest,
    TenantId,
    TollSummary,
    TruckApproved,
)
from voltroute.api.schemas.stations import StationConnectorType
from voltroute.stations import ConnectorType as RegistryConnectorType
from voltroute.vehicles import Connector

REPO = Path(__file__).resolve().parents[2]
CONTRACT_DIR = Path(
    os.environ.get("VOLTROUTE_SHARED_CONTRACT", REPO.parent / "shared" / "contract")
)

MODELS: dict[str, type[BaseModel]] = {
    "PlannerRequest": PlannerRequest,
    "OptimizationResultResponse": OptimizationResultResponse,
    "PlannerV2SubmitResponse": PlannerV2SubmitResponse,
    "JobStatusResponse": JobStatusResponse,
    "JobListResponse": JobListResponse,
}


@pytest.fixture(scope="module")
def contract_schemas() -> dict[str, Any]:
    path = CONTRACT_DIR / "fryte-openapi-latest.json"
    if not path.is_file():
        pytest.fail(f"contract not found at {path} (set VOLTROUTE_SHARED_CONTRACT)")
    schemas: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["components"]["schemas"]
    return schemas


def _request(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(PLANNER_REQUEST_EXAMPLE)
    body.update(changes)
    return body


# --- examples ---------------------------------------------------------------------------------


def test_every_contract_example_belongs_to_a_model_under_test(
    contract_schemas: dict[str, Any],
) -> None:
    with_examples = {name for name, schema in contract_schemas.items() if "example" in schema}
    assert with_examples == set(MODELS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_contract_example_validates_against_its_model(
    contract_schemas: dict[str, Any], name: str
) -> None:
    example = contract_schemas[name]["example"]

    model = MODELS[name].model_validate(example)

    assert model.model_dump(mode="json", exclude_unset=True) == example


@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_example_is_the_contract_example(contract_schemas: dict[str, Any], name: str) -> None:
    schema = MODELS[name].model_json_schema()

    assert schema["example"] == contract_schemas[name]["example"]


def test_exported_example_constants_are_the_contract_examples(
    contract_schemas: dict[str, Any],
) -> None:
    assert contract_schemas["PlannerRequest"]["example"] == PLANNER_REQUEST_EXAMPLE
    assert contract_schemas["OptimizationResultResponse"]["example"] == OPTIMIZATION_RESULT_EXAMPLE


def test_contract_example_request_parses_into_typed_fields() -> None:
    request = PlannerRequest.model_validate(PLANNER_REQUEST_EXAMPLE)

    assert request.poi_info.connector_type == [ConnectorType.CCS]
    assert request.poi_info.connector_pos is ConnectorPos.RIGHT
    assert request.poi_info.truck_approved is TruckApproved.T
    assert request.poi_info.min_kW == 150
    assert request.section_list[0].start_pos == [48.7758, 9.1829]


def test_contract_example_result_serialises_with_the_contract_field_names() -> None:
    result = OptimizationResultResponse.model_validate(OPTIMIZATION_RESULT_EXAMPLE)

    dumped = result.model_dump(mode="json", exclude_none=True)

    assert dumped["toll_summary"] == [
        {"tollSystem": "TOLL COLLECT GMBH", "currency": "EUR", "total": 81.41}
    ]
    assert dumped["sections"][0]["poi_summary"]["energy_kWh"] == 0


# --- bounds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("battery_level_start", 0.05),
        ("battery_level_start", 1.01),
        ("battery_level_end", 0.9),
        ("battery_level_end", 0.05),
    ],
)
def test_battery_levels_outside_the_contract_bounds_are_rejected(field: str, value: float) -> None:
    with pytest.raises(ValidationError) as caught:
        PlannerRequest.model_validate(_request(**{field: value}))

    assert [error["loc"] for error in caught.value.errors()] == [(field,)]


@pytest.mark.parametrize(("start", "end"), [(0.1, 0.1), (1.0, 0.8)])
def test_battery_levels_on_the_contract_bounds_are_accepted(start: float, end: float) -> None:
    request = PlannerRequest.model_validate(
        _request(battery_level_start=start, battery_level_end=end)
    )

    assert (request.battery_level_start, request.battery_level_end) == (start, end)


def test_a_null_end_battery_level_is_accepted() -> None:
    assert PlannerRequest.model_validate(_request(battery_level_end=None)).battery_level_end is None


@pytest.mark.parametrize(
    "missing", ["vehicle_id", "battery_level_start", "section_list", "poi_info"]
)
def test_a_request_without_a_required_field_is_rejected(missing: str) -> None:
    body = _request()
    del body[missing]

    with pytest.raises(ValidationError):
        PlannerRequest.model_validate(body)


@pytest.mark.parametrize("position", [[48.7], [48.7, 181.0], [-180.5, 9.1]])
def test_section_positions_outside_the_published_schema_are_rejected(
    position: list[float],
) -> None:
    with pytest.raises(ValidationError):
        SectionRequest.model_validate({"start_pos": position})


def test_section_positions_with_a_third_value_are_accepted() -> None:
    section = SectionRequest.model_validate({"stop_pos": [49.45, 11.07, 0.3]})

    assert section.stop_pos == [49.45, 11.07, 0.3]


def test_unknown_enum_values_in_the_poi_filter_are_rejected() -> None:
    body = _request(poi_info={"connector_type": ["CHAdeMO"]})

    with pytest.raises(ValidationError):
        PlannerRequest.model_validate(body)


# --- defaults ---------------------------------------------------------------------------------


def test_request_defaults_are_the_contract_defaults() -> None:
    request = PlannerRequest.model_validate(
        {
            "vehicle_id": "010160700001",
            "battery_level_start": 0.8,
            "section_list": [{"start_pos": [48.7758, 9.1829], "stop_pos": [49.4521, 11.0767]}],
            "poi_info": {},
        }
    )

    section = request.section_list[0]
    assert request.battery_level_end == 0.2
    assert request.service_time_departure_min == 0
    assert request.include_available_charging_stations is False
    assert request.start_time_tour is None
    assert section.payload_kg == 19300
    assert section.service_time_min == 0
    assert section.power_available_kW == 0
    assert section.polyline is None
    assert section.opening_time is None


def test_unknown_request_fields_are_ignored_not_rejected() -> None:
    request = PlannerRequest.model_validate(_request(future_option=True))

    assert "future_option" not in request.model_dump()


def test_result_models_keep_additional_properties() -> None:
    section = ResultSection.model_validate({"section_id": "s0", "stop_type": "charging"})

    assert section.model_dump(exclude_none=True) == {"section_id": "s0", "stop_type": "charging"}


def test_toll_summary_ignores_additional_properties() -> None:
    toll = TollSummary.model_validate({"tollSystem": "ASFINAG", "vat": 20})

    assert toll.model_dump(exclude_none=True) == {"tollSystem": "ASFINAG"}


# --- query parameters -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parameter_client() -> Any:
    app = FastAPI()

    @app.get("/v1")
    def v1(corridor: Corridor = DEFAULT_CORRIDOR_M, tenant_id: TenantId = None) -> dict[str, Any]:
        return {"corridor": corridor, "tenant_id": tenant_id}

    @app.get("/v2")
    def v2(
        corridor: CorridorV2 = DEFAULT_CORRIDOR_M,
        min_charge_duration_min: MinChargeDurationMin = DEFAULT_MIN_CHARGE_DURATION_MIN,
    ) -> dict[str, int]:
        return {"corridor": corridor, "min_charge_duration_min": min_charge_duration_min}

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from fastapi.testclient import TestClient
    return TestClient(app)


@pytest.mark.parametrize("path", ["/v1", "/v2"])
@pytest.mark.parametrize("corridor", [500, 999, 20001])
def test_a_corridor_outside_1000_to_20000_metres_is_rejected(
    parameter_client: Any, path: str, corridor: int
) -> None:
    response = parameter_client.get(path, params={"corridor": corridor})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "corridor"]


@pytest.mark.parametrize("value", [-1, 101])
def test_a_minimum_charge_duration_outside_0_to_100_is_rejected(
    parameter_client: Any, value: int
) -> None:
    response = parameter_client.get("/v2", params={"min_charge_duration_min": value})

    assert response.status_code == 422


def test_query_parameter_defaults_are_the_contract_defaults(parameter_client: Any) -> None:
    assert parameter_client.get("/v1").json() == {"corridor": 8000, "tenant_id": None}
    assert parameter_client.get("/v2").json() == {"corridor": 8000, "min_charge_duration_min": 0}


def test_the_connector_lists_are_the_registrys_or_part_of_it() -> None:
    registry = [c.value for c in RegistryConnectorType]
    assert [c.value for c in StationConnectorType] == registry  # GET /stations: every one
    # The contract's poi_info filter and the planner's inlets: the truck DC connectors.
    assert {c.value for c in ConnectorType} == {c.value for c in Connector} <= set(registry)
