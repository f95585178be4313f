"""Tiny hand-built legs for the planner tests: straight lines east of Heidelberg, no routing.

The factories are plain functions (imported by the tests with ``from .conftest import ...``) so
that Hypothesis tests can use them; the named fixtures below are the usual small instances.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from voltroute.domain import LatLon
from voltroute.planner import ArrivalWindow, PlannedLegInput, PlanningProblem
from voltroute.routing.route import Edge, Maneuver, RouteLeg, ShapePoint
from voltroute.vehicles import DEFAULT_VEHICLE_ID, Catalogue, Vehicle

# Module constant rather than a fixture so Hypothesis tests can use it too: 600 kWh usable.
EACTROS = Catalogue().get(DEFAULT_VEHICLE_ID)

ORIGIN = LatLon(49.40, 8.60)  # Heidelberg
DEG_LON_PER_M = 1.0 / 72_500.0  # about right at 49.4 N; the shape only has to be a line
BERLIN = "Europe/Berlin"
# A Tuesday in winter (CET, UTC+1): 06:00Z is 07:00 local.
WINTER_MORNING = datetime(2026, 1, 13, 6, 0, tzinfo=UTC)


def make_leg(
    length_m: float,
    duration_s: float,
    energy_kwh_per_edge: Sequence[float],
    elevations_m: Sequence[float] | None = None,
    *,
    start: LatLon = ORIGIN,
    points_per_edge: int = 1,
) -> RouteLeg:
    """A straight eastbound leg with one equal-length, equal-duration edge per energy value.

    elevations_m, when given, holds one value per edge boundary (len(energies) + 1).
    """
    n_edges = len(energy_kwh_per_edge)
    if elevations_m is None:
        elevations_m = [110.0] * (n_edges + 1)
    if len(elevations_m) != n_edges + 1:
        raise ValueError("give one elevation per edge boundary")
    n_points = n_edges * points_per_edge + 1
    step_m = length_m / max(1, n_points - 1)
    shape = []
    for i in range(n_points):
        # elevation interpolated linearly between the edge boundaries
        edge, within = divmod(i, points_per_edge)
        if edge >= n_edges:
            elevation = elevations_m[-1]
        else:
            share = within / points_per_edge
            elevation = elevations_m[edge] + share * (elevations_m[edge + 1] - elevations_m[edge])
        shape.append(ShapePoint(start.lat, start.lon + i * step_m * DEG_LON_PER_M, elevation))
    edge_length_m = length_m / n_edges if n_edges else 0.0
    edge_duration_s = duration_s / n_edges if n_edges else 0.0
    edges = tuple(
        Edge(
            length_m=edge_length_m,
            duration_s=edge_duration_s,
            speed_kph=edge_length_m / edge_duration_s * 3.6 if edge_duration_s else 0.0,
            road_class="motorway",
            elevation_start_m=elevations_m[i],
            elevation_end_m=elevations_m[i + 1],
            names=(),
            refs=("A 5",),
            toll=False,
            way_id=1000 + i,
            country_code="DE",
            begin_shape_index=i * points_per_edge,
            end_shape_index=(i + 1) * points_per_edge,
        )
        for i in range(n_edges)
    )
    maneuvers = (
        Maneuver(1, "Drive east.", length_m, duration_s, 0, n_points - 1),
        Maneuver(4, "You have arrived.", 0.0, 0.0, n_points - 1, n_points - 1),
    )
    return RouteLeg(
        shape=tuple(shape),
        edges=edges,
        maneuvers=maneuvers,
        length_m=length_m,
        duration_s=duration_s,
    )


def make_leg_input(
    energy_kwh_per_edge: Sequence[float],
    *,
    length_m: float = 10_000.0,
    duration_s: float = 600.0,
    service_s: float = 0.0,
    dwell_kw: float = 0.0,
    window: ArrivalWindow | None = None,
    time_zone: str = BERLIN,
    section_id: str | None = None,
    start: LatLon = ORIGIN,
) -> PlannedLegInput:
    """A planner leg over make_leg, ending at the last shape point."""
    route = make_leg(length_m, duration_s, energy_kwh_per_edge, start=start)
    end = route.shape[-1]
    return PlannedLegInput(
        section_id=section_id,
        start=start,
        stop=LatLon(end.lat, end.lon),
        route=route,
        edge_energy_kwh=tuple(energy_kwh_per_edge),
        payload_kg=20_000.0,
        service_time_s=service_s,
        dwell_power_kw=dwell_kw,
        window=window,
        stop_time_zone=time_zone,
    )


def chain(*legs: PlannedLegInput) -> tuple[PlannedLegInput, ...]:
    """Legs rebuilt so each starts where the previous one stopped (as a real tour does)."""
    chained: list[PlannedLegInput] = []
    start = ORIGIN
    for leg in legs:
        moved = make_leg_input(
            leg.edge_energy_kwh,
            length_m=leg.route.length_m,
            duration_s=leg.route.duration_s,
            service_s=leg.service_time_s,
            dwell_kw=leg.dwell_power_kw,
            window=leg.window,
            time_zone=leg.stop_time_zone,
            section_id=leg.section_id,
            start=start,
        )
        chained.append(
            replace(
                moved,
                driver_free_during_service=leg.driver_free_during_service,
                dwell_power_curve=leg.dwell_power_curve,
            )
        )
        start = moved.stop
    return tuple(chained)


def make_problem(
    *legs: PlannedLegInput,
    soc_start: float = 0.8,
    min_soc_end: float = 0.1,
    earliest_departure: datetime = WINTER_MORNING,
    departure_service_s: float = 0.0,
    soc_max: float = 1.0,
    vehicle: Vehicle = EACTROS,
) -> PlanningProblem:
    """A tour over the given legs (chained end to start) with the default eActros 600."""
    return PlanningProblem(
        vehicle=vehicle,
        legs=chain(*legs),
        soc_start=soc_start,
        min_soc_end=min_soc_end,
        earliest_departure=earliest_departure,
        departure_service_s=departure_service_s,
        soc_max=soc_max,
    )


@pytest.fixture
def eactros() -> Vehicle:
    """The default catalogue vehicle: Mercedes-Benz eActros 600, 600 kWh usable."""
    return EACTROS


@pytest.fixture
def flat_10km_leg() -> RouteLeg:
    """10 km in 10 minutes over two flat edges of 6 kWh each."""
    return make_leg(10_000.0, 600.0, [6.0, 6.0])


@pytest.fixture
def two_leg_tour() -> PlanningProblem:
    """80 % at 06:00Z; 10 km / 10 min / 12 kWh, 30 min service, 20 km / 20 min / 24 kWh."""
    return make_problem(
        make_leg_input([6.0, 6.0], service_s=1800.0, section_id="depot-a"),
        make_leg_input([10.0, 10.0, 4.0], length_m=20_000.0, duration_s=1200.0),
        soc_start=0.8,
    )
