"""Optimization result (`GET /planner/optimizations/{id}/result`), as the contract publishes it.

The `Result*` models and `NotDrivableReason` allow additional properties: Voltroute may add
optional fields there (the contract welcomes additive extensions), never remove or rename one.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from voltroute.api.openapi import EXTENSION
from voltroute.api.schemas.poi import POIInfo
from voltroute.api.schemas.request import DriverRulesRequest

OPTIMIZATION_RESULT_EXAMPLE: JsonDict = {
    "battery_level_end": 0.41,
    "battery_level_start": 0.8,
    "optimization_id": 7658,
    "poi_list": [],
    "qualification": "Driveable",
    "sections": [
        {
            "length_m": 215246.0,
            "payload_kg": 19300.0,
            "poi_summary": {
                "address": "See Destination",
                "charge_time_min": 0,
                "coordinate_lat": 49.4521,
                "coordinate_lon": 11.0767,
                "energy_kWh": 0,
                "name": "Destination",
                "sec_duration_min": 201.95,
                "sec_length_km": 215.25,
                "service_time_min": 0,
                "start_soc": 0.41,
                "stop_soc": 0.41,
            },
            "polyline": "BlX8w2pJ4wh4B...",
            "service_time_min": 30.0,
            "start_pos": [48.7758, 9.1829, 0.8],
            "stop_pos": [49.4521, 11.0767, 0.41],
        }
    ],
    "status": "succeeded",
    "toll_summary": [{"currency": "EUR", "tollSystem": "TOLL COLLECT GMBH", "total": 81.41}],
    "tour_id": 7615,
}


ACTIVITY_DESCRIPTION = (
    "driving; other_work (service at a customer, plugging in and out); availability (waiting "
    "of known length); break; daily_rest; weekly_rest (EU 561/2006 art. 4, 2002/15/EC art. 3)"
)


class ResultActivity(BaseModel):
    """Extension: an interval of what the driver does, as a tachograph records it."""

    activity: str = Field(..., description=ACTIVITY_DESCRIPTION)
    start: str = Field(..., description="Start (ISO-8601 UTC).")
    end: str = Field(..., description="End (ISO-8601 UTC).")
    start_local: str = Field(..., description="Start at the place's UTC offset (ISO-8601).")
    end_local: str = Field(..., description="End at the place's UTC offset (ISO-8601).")
    duration_min: float = Field(..., description="Length in minutes.")


class ResultTimelineActivity(ResultActivity):
    """Extension: an interval of a driver's timeline over the tour, with its place."""

    section: int | None = Field(
        ...,
        description=(
            "Index of the result section driven or whose stop it is at; null: at the start, "
            "before driving off."
        ),
    )
    place: str = Field(
        ...,
        description="'Start', the stop's name, or 'on the road to <stop>'. Local times there: "
        "the stop's time zone (on the road: the stop driven to).",
    )


class ResultDriverTimeline(BaseModel):
    """Extension: one driver's activities from the start of service to the last departure."""

    driver: int = Field(..., description="1, or 1 and 2 with team driving.")
    activities: list[ResultTimelineActivity] = Field(..., description="In order, contiguous.")


class ResultRuleFinding(BaseModel):
    """Extension: an infringement the independent roadside check found in a driver's timeline."""

    driver: int = Field(..., description="The driver whose timeline it is in.")
    article: str | None = Field(
        ..., description="The article broken, e.g. '561/2006 art. 7', '2002/15/EC art. 5'."
    )
    rule: str = Field(
        ...,
        description=(
            "Rule code: break, daily_driving, extended_days, weekly_driving, fortnight_driving, "
            "daily_rest, reduced_rests, team_daily_rest, weekly_rest, working_time_break, "
            "working_time_daily_breaks; driver_state: the state at the start no longer holds at "
            "the planned start."
        ),
    )
    at: str = Field(..., description="When (ISO-8601 UTC).")
    detail: str = Field(..., description="What the check found.")


class ResultDriverRulesApplied(DriverRulesRequest):
    """Extension: the driver rules the plan keeps: the request's `driver_rules` with every value
    filled in (the law's where the request gave none)."""


class ResultPOIAlternative(BaseModel):
    """Alternative charging station near a selected stop."""

    model_config = ConfigDict(extra="allow")

    name: str | None = Field(None, description="Station name.")
    address: str | None = Field(None, description="Street address.")
    coordinate_lat: float | None = Field(None, description="Latitude.")
    coordinate_lon: float | None = Field(None, description="Longitude.")


class ResultPOISummary(BaseModel):
    """Charging stop details attached to each response section."""

    model_config = ConfigDict(extra="allow")

    id: int | str | None = Field(None, description="Station identifier.")
    name: str | None = Field(None, description="Station name or 'Destination' for the final stop.")
    address: str | None = Field(None, description="Street address.")
    coordinate_lat: float | None = Field(None, description="Latitude.")
    coordinate_lon: float | None = Field(None, description="Longitude.")
    amenities: list[str] | None = Field(None, description="Available amenities at the location.")
    energy_kWh: float | None = Field(  # noqa: N815
        None, description="Energy recharged at this stop in kWh."
    )
    power_available_kW: float | None = Field(  # noqa: N815
        None, description="Charging power at this station in kW."
    )
    charge_time_min: float | None = Field(None, description="Charging duration in minutes.")
    service_time_min: float | None = Field(
        None, description="Total stop duration in minutes (charging + service + rest)."
    )
    arrival_time: str | None = Field(
        None, description="Arrival time at this stop (ISO-8601, e.g. 2026-05-04T17:23:01Z)."
    )
    additional_stops: bool | None = Field(
        None, description="Indicates whether additional stops are present."
    )
    bookable: bool | None = Field(None, description="Whether the station supports booking.")
    location_id: str | None = Field(None, description="External location identifier (OCPI).")
    start_soc: float | None = Field(None, description="Battery state of charge on arrival (0-1).")
    stop_soc: float | None = Field(None, description="Battery state of charge on departure (0-1).")
    alternatives: list[ResultPOIAlternative] | None = Field(
        None, description="Alternative charging stations nearby."
    )
    sec_duration_min: float | None = Field(None, description="Duration of this section in minutes.")
    sec_energy_consumption_kWhkm: float | None = Field(  # noqa: N815
        None, description="Energy consumption for this section in kWh/km."
    )
    sec_length_km: float | None = Field(None, description="Section length in km.")
    driver_free_during_service: bool | None = Field(
        None,
        description=(
            "Extension: whether the driver was taken to be free during service at this stop "
            "(the request's choice for its section): only then is service time a break or rest."
        ),
        json_schema_extra=EXTENSION,
    )
    activities: list[ResultActivity] | None = Field(
        None,
        description=(
            "Extension: the stop's time from arrival to departure, in order: what the driver "
            "does in each part (waiting, service and plugging as other work, breaks, rests). "
            "`break_time_min` and `rest_time_min` are its break and rest minutes."
        ),
        json_schema_extra=EXTENSION,
    )


class ResultSection(BaseModel):
    """A single route section in the optimization result."""

    model_config = ConfigDict(extra="allow")

    section_id: str | None = Field(
        None, description="Section identifier, if provided in the request."
    )
    polyline: str | None = Field(
        None,
        description=(
            "Encoded route geometry in HERE Flexible Polyline format "
            "(see https://github.com/heremaps/flexible-polyline)."
        ),
    )
    start_pos: list[float] | None = Field(
        None, description="Start coordinates [lat, lon, state_of_charge]."
    )
    stop_pos: list[float] | None = Field(
        None, description="End coordinates [lat, lon, state_of_charge]."
    )
    payload_kg: float | None = Field(None, description="Payload in kg.")
    length_m: float | None = Field(None, description="Section length in meters.")
    opening_time: list[str] | None = Field(None, description="Time window at the section end.")
    service_time_min: float | None = Field(
        None, description="Service time at the section destination in minutes."
    )
    power_available_kW: float | None = Field(  # noqa: N815
        None, description="Charging power at the section end in kW."
    )
    turnByTurnActions: list[dict[str, Any]] | None = Field(  # noqa: N815
        None, description="Turn-by-turn navigation instructions from the HERE Routing API."
    )
    tolls: list[dict[str, Any]] | None = Field(
        None, description="Toll data for this section from the HERE Routing API."
    )
    poi_summary: ResultPOISummary | None = Field(
        None, description="Charging stop details for this section."
    )


class ResultPOI(BaseModel):
    """A candidate charging station from the optimizer's POI list."""

    model_config = ConfigDict(extra="allow")

    title: str | None = Field(None, description="Station name.")
    address: str | None = Field(None, description="Street address.")
    distance_from_start: float | None = Field(
        None, description="Distance from route start in meters."
    )
    position_lat: float | None = Field(None, description="Station latitude.")
    position_lon: float | None = Field(None, description="Station longitude.")
    power: float | None = Field(None, description="Charging power in kW.")
    detour_from_route: float | None = Field(
        None, description="Detour distance from the route in meters."
    )
    section: float | None = Field(None, description="Section index this station belongs to.")
    position_lat_route: float | None = Field(None, description="Nearest point on route — latitude.")
    position_lon_route: float | None = Field(
        None, description="Nearest point on route — longitude."
    )
    poi_id: float | None = Field(None, description="Station identifier.")
    mapping: float | None = Field(None, description="Station grouping identifier.")
    represents: float | None = Field(None, description="Whether this station represents its group.")
    poi_crash: float | None = Field(None, description="Position conflict flag.")
    opening_time: str | None = Field(None, description="Station opening time (ISO-8601).")
    closing_time: str | None = Field(None, description="Station closing time (ISO-8601).")
    poi_arrival_time: str | None = Field(
        None, description="Estimated arrival time at this station (ISO-8601)."
    )
    bookable: bool | None = Field(None, description="Whether the station supports booking.")
    location_id: str | None = Field(None, description="External location identifier (OCPI).")


class ResultAvailableStation(BaseModel):
    """A charging station found within the route corridor."""

    model_config = ConfigDict(extra="allow")

    id: int | str | None = Field(None, description="Station identifier.")
    name: str | None = Field(None, description="Station name.")
    address: str | None = Field(None, description="Street address.")
    latitude: float | None = Field(None, description="Latitude.")
    longitude: float | None = Field(None, description="Longitude.")
    power_available_kW: float | None = Field(  # noqa: N815
        None, description="Charging power in kW."
    )
    truck_approved: str | None = Field(
        None, description="Truck approval: 'T' (tractor) or 'TT' (truck + trailer)."
    )
    amenities: str | None = Field(None, description="Available amenities.")
    bookable: bool | None = Field(None, description="Whether the station supports booking.")
    location_id: str | None = Field(None, description="External location identifier (OCPI).")
    uses_company_vehicle_types: bool | None = Field(
        None, description="Company vehicle type setting."
    )


class TollSummary(BaseModel):
    tollSystem: str | None = Field(None, description="Name of the toll system.")  # noqa: N815
    currency: str | None = Field(None, description="Currency code (e.g. EUR).")
    total: float | None = Field(None, description="Total toll cost.")


class NotDrivableReason(BaseModel):
    """Reason returned when the optimizer determines a route is not drivable."""

    model_config = ConfigDict(extra="allow")

    code: str | None = Field(
        None, description="Reason code: no_chargers_available or battery_depleted_mid_route."
    )
    message: str | None = Field(None, description="Human-readable explanation.")


class OptimizationResultResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": OPTIMIZATION_RESULT_EXAMPLE})

    optimization_id: int = Field(..., description="Optimization identifier.")
    tour_id: int = Field(..., description="Tour identifier.")
    status: str = Field(..., description="Job lifecycle status: succeeded or not_drivable.")
    battery_level_start: float = Field(..., description="Starting battery level (0-1).")
    battery_level_end: float = Field(..., description="Battery level at the end of the tour (0-1).")
    qualification: str = Field(
        ...,
        description=(
            "Route feasibility result: Driveable or not_drivable. See status for job lifecycle."
        ),
    )
    sections: list[ResultSection] = Field(
        ...,
        description=(
            "Route sections with charging stop details. May contain more sections than the "
            "request if charging stops were inserted."
        ),
    )
    poi_list: list[ResultPOI] = Field(
        ..., description="Charging stations considered as candidates along the route."
    )
    poi_filter: POIInfo | None = Field(
        None, description="Charging station filter criteria applied to this optimization."
    )
    optimal_departure_time: str | None = Field(
        None,
        description=(
            "Optimal departure time (ISO-8601) for reaching all time windows, if applicable."
        ),
    )
    time_windows_reachable: str | None = Field(
        None,
        description=(
            "Whether all time windows could be reached: 'True', 'False', or 'Not considered'."
        ),
    )
    available_charging_stations: list[ResultAvailableStation] | None = Field(
        None,
        description=(
            "All charging stations found within the route corridor. Only included when "
            "include_available_charging_stations is true."
        ),
    )
    not_drivable_reason: NotDrivableReason | None = Field(
        None, description="Reason why the route is not drivable."
    )
    toll_summary: list[TollSummary] | None = Field(
        None, description="Toll costs aggregated per toll system."
    )
    driver_rules_applied: ResultDriverRulesApplied | None = Field(
        None,
        description="Extension: the driver rules the plan keeps (EU 561/2006, 2002/15/EC).",
        json_schema_extra=EXTENSION,
    )
    activity_timeline: list[ResultDriverTimeline] | None = Field(
        None,
        description=(
            "Extension: each driver's activities over the tour (two drivers with team "
            "driving): driving, other work, availability, breaks and rests, with their place. "
            "null: the tour is not drivable, or its plan was stored before timelines existed."
        ),
        json_schema_extra=EXTENSION,
    )
    rule_check: list[ResultRuleFinding] | None = Field(
        None,
        description=(
            "Extension: an independent roadside check of each driver's timeline against "
            "561/2006 art. 6, 7, 8 and 2002/15/EC art. 5, with the rules applied and the "
            "driver's state at the start: every infringement found, normally none. null: "
            "nothing to check (no activity_timeline)."
        ),
        json_schema_extra=EXTENSION,
    )


# The contract's `PlannerResponse` is a free-form object (no title, no properties): a PEP 695
# alias makes pydantic emit exactly `{"additionalProperties": true, "type": "object"}` under
# that component name.
type PlannerResponse = dict[str, Any]
