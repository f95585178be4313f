"""Request body of `POST /planner` and `POST /planner/v2`, as the contract publishes it.

The schema is the contract's; the physical bounds of `voltroute.bounds` are added as validators
(`voltroute.api.schemas.door`), which leave the published schema unchanged. NaN and Infinity
never get this far: the request parser refuses them (`voltroute.strict_json`), and
`allow_inf_nan=False` refuses their spelling as strings ("NaN", "inf").
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from voltroute import bounds
from voltroute.api.schemas.door import at_most_items, at_most_points, plain_text, within
from voltroute.api.schemas.poi import POIInfo

# The contract bounds every coordinate by -180..180 (latitude too) and asks for at least two
# values; reproduced as published (latitude beyond 90 is refused by the request translation).
Coordinate = Annotated[float, Field(ge=-180.0, le=180.0)]
Position = Annotated[
    list[Coordinate],
    Field(min_length=2),
    at_most_items(bounds.MAX_POSITION_VALUES, "[lat, lon] and an optional third value"),
]
Identifier = Annotated[str, plain_text(bounds.MAX_ID_CHARS)]
ClockText = Annotated[str, plain_text(bounds.MAX_CLOCK_TEXT_CHARS)]
Polyline = Annotated[
    str,
    plain_text(bounds.MAX_POLYLINE_CHARS),
    at_most_points(bounds.MAX_POLYLINE_POINTS, "about 400 km of road: split longer legs"),
]
PayloadKg = Annotated[float, within(bounds.PAYLOAD_KG)]
ChargingPowerKw = Annotated[float, within(bounds.CHARGING_POWER_KW)]
StopDurationMin = Annotated[float, within(bounds.STOP_DURATION_MIN)]
OpeningTimes = Annotated[list[ClockText], at_most_items(2, "an opening time is [from, to]")]

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

    model_config = ConfigDict(allow_inf_nan=False)

    section_id: Identifier | None = Field(None, description="A unique identifier for the section.")
    polyline: Polyline | None = Field(
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
    payload_kg: PayloadKg | None = Field(19300, description="The payload in kg for this section.")
    opening_time: OpeningTimes | None = Field(
        None,
        description=(
            "Opening times of the section end, e.g. ['9:00:00', '10:00:00'] in hh:mm:ss format."
        ),
    )
    power_available_kW: ChargingPowerKw | None = Field(  # noqa: N815
        0, description="The available charging power (in kW) at the end of the section."
    )
    service_time_min: StopDurationMin | None = Field(
        0, description="The service time (in minutes) at the end of the section."
    )


SectionList = Annotated[
    list[SectionRequest], at_most_items(bounds.MAX_SECTIONS_PER_TOUR, "sections per tour")
]


class PlannerRequest(BaseModel):
    """Top-level request body schema for the planner."""

    model_config = ConfigDict(
        json_schema_extra={"example": PLANNER_REQUEST_EXAMPLE}, allow_inf_nan=False
    )

    vehicle_id: Identifier = Field(..., description="The unique identifier of the vehicle.")
    battery_level_start: float = Field(
        ...,
        ge=0.1,
        le=1.0,
        description="The starting battery level of the vehicle (from 0.1 to 1.0).",
    )
    battery_level_end: Annotated[float, Field(ge=0.1, le=0.8)] | None = Field(
        0.2, description="The desired battery level at the end of the tour (from 0.1 to 0.8)."
    )
    section_list: SectionList = Field(..., description="A list of route sections to be processed.")
    poi_info: POIInfo = Field(
        ..., description="Filter criteria for charging stations along the route."
    )
    service_time_departure_min: StopDurationMin | None = Field(
        0, description="Service time at departure in minutes. Added to total tour duration."
    )
    start_time_tour: ClockText | None = Field(
        None, description="Start time of the tour in HH:MM:SS or ISO-8601 format."
    )
    include_available_charging_stations: bool = Field(
        False,
        description="When true, the response includes all charging stations along the corridor.",
    )
