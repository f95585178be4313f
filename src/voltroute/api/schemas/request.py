"""Request body of `POST /planner` and `POST /planner/v2`, as the contract publishes it."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from voltroute.api.schemas.poi import POIInfo

# The contract bounds every coordinate by -180..180 (latitude too) and asks for at least two
# values; reproduced as published (semantic checks belong to the planner, not the schema).
Coordinate = Annotated[float, Field(ge=-180.0, le=180.0)]
Position = Annotated[list[Coordinate], Field(min_length=2)]

PLANNER_REQUEST_EXAMPLE: JsonDict = {
    "battery_level_end": 0.2,
    "battery_level_start": 0.8,
    "poi_info": {
        "connector_pos": "RIGHT",
        "connector_type": ["CCS"],
        "min_kW": 150,
        "truck_approved": "T",
    },
    "section_list": [
        {
            "payload_kg": 19300,
            "section_id": "section_0",
            "service_time_min": 30,
            "start_pos": [48.7758, 9.1829],
            "stop_pos": [49.4521, 11.0767],
        }
    ],
    "start_time_tour": "08:00:00",
    "vehicle_id": "010160700001",
}


class SectionRequest(BaseModel):
    """Fields for each section in the *request*."""

    section_id: str | None = Field(None, description="A unique identifier for the section.")
    polyline: str | None = Field(
        None,
        description=(
            "Encoded polyline string representing the route section. Uses HERE Flexible "
            "Polyline encoding (see https://github.com/heremaps/flexible-polyline)."
        ),
    )
    start_pos: Position | None = Field(
        None, description="Starting coordinates for the section [latitude, longitude]."
    )
    stop_pos: Position | None = Field(
        None, description="Ending coordinates for the section [latitude, longitude]."
    )
    payload_kg: float | None = Field(19300, description="The payload in kg for this section.")
    opening_time: list[str] | None = Field(
        None,
        description=(
            "Opening times of the section end, e.g. ['9:00:00', '10:00:00'] in hh:mm:ss format."
        ),
    )
    power_available_kW: float | None = Field(  # noqa: N815
        0, description="The available charging power (in kW) at the end of the section."
    )
    service_time_min: float | None = Field(
        0, description="The service time (in minutes) at the end of the section."
    )


class PlannerRequest(BaseModel):
    """Top-level request body schema for the planner."""

    model_config = ConfigDict(json_schema_extra={"example": PLANNER_REQUEST_EXAMPLE})

    vehicle_id: str = Field(..., description="The unique identifier of the vehicle.")
    battery_level_start: float = Field(
        ...,
        ge=0.1,
        le=1.0,
        description="The starting battery level of the vehicle (from 0.1 to 1.0).",
    )
    battery_level_end: Annotated[float, Field(ge=0.1, le=0.8)] | None = Field(
        0.2, description="The desired battery level at the end of the tour (from 0.1 to 0.8)."
    )
    section_list: list[SectionRequest] = Field(
        ..., description="A list of route sections to be processed."
    )
    poi_info: POIInfo = Field(
        ..., description="Filter criteria for charging stations along the route."
    )
    service_time_departure_min: float | None = Field(
        0, description="Service time at departure in minutes. Added to total tour duration."
    )
    start_time_tour: str | None = Field(
        None, description="Start time of the tour in HH:MM:SS or ISO-8601 format."
    )
    include_available_charging_stations: bool = Field(
        False,
        description="When true, the response includes all charging stations along the corridor.",
    )
