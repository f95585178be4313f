"""State of charge along a leg: the trace arithmetic and where it first drops below a floor."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voltroute.domain import LatLon
from voltroute.planner.soc import first_crossing, trace_soc
from voltroute.routing.route import RouteLeg

from .conftest import make_leg

# Powers of two keep every SoC below exactly representable, so the expected values are exact.
USABLE_KWH = 1024.0


def test_trace_soc_subtracts_each_edge_energy_over_usable_capacity() -> None:
    trace = trace_soc(0.75, [128.0, 64.0, -32.0], USABLE_KWH, soc_max=1.0)
    assert trace.soc_after_edge == (0.625, 0.5625, 0.59375)
    assert trace.soc_end == 0.59375
    assert trace.lowest_soc == 0.5625


def test_trace_soc_of_a_leg_without_edges_stays_at_the_start() -> None:
    trace = trace_soc(0.5, [], USABLE_KWH, soc_max=1.0)
    assert trace.soc_after_edge == ()
    assert trace.soc_end == trace.lowest_soc == 0.5


def test_recuperation_cannot_lift_soc_above_soc_max() -> None:
    trace = trace_soc(0.875, [-256.0, 64.0], USABLE_KWH, soc_max=0.9375)
    assert trace.soc_after_edge == (0.9375, 0.875)


def test_soc_min_counts_the_start_when_the_leg_only_recuperates() -> None:
    trace = trace_soc(0.5, [-64.0, -64.0], USABLE_KWH, soc_max=1.0)
    assert trace.lowest_soc == 0.5
    assert trace.soc_end == 0.625


def test_trace_soc_goes_below_zero_to_measure_the_deficit() -> None:
    trace = trace_soc(0.125, [256.0], USABLE_KWH, soc_max=1.0)
    assert trace.soc_end == -0.125
    assert trace.lowest_soc == -0.125


def test_first_crossing_is_interpolated_inside_the_edge() -> None:
    # Four 1000 m edges; SoC 1.0 -> 0.75 -> 0.5 -> 0.25 -> 0.0. The floor 0.375 lies half-way
    # through the third edge: 2000 m + 0.5 x 1000 m.
    route = make_leg(4000.0, 240.0, [256.0] * 4)
    trace = trace_soc(1.0, [256.0] * 4, USABLE_KWH, soc_max=1.0)
    crossing = first_crossing(route, 1.0, trace, floor=0.375)
    assert crossing is not None
    assert crossing.distance_m == 2500.0


def test_first_crossing_interpolates_by_the_share_of_energy_used() -> None:
    # The floor 0.4375 is a quarter of the way through the second edge (0.5 -> 0.25).
    route = make_leg(2000.0, 120.0, [512.0, 256.0])
    trace = trace_soc(1.0, [512.0, 256.0], USABLE_KWH, soc_max=1.0)
    crossing = first_crossing(route, 1.0, trace, floor=0.4375)
    assert crossing is not None
    assert crossing.distance_m == 1250.0


def test_first_crossing_reports_the_shape_point_nearest_the_crossing() -> None:
    route = make_leg(2000.0, 120.0, [512.0, 512.0], points_per_edge=4)
    trace = trace_soc(1.0, [512.0, 512.0], USABLE_KWH, soc_max=1.0)
    crossing = first_crossing(route, 1.0, trace, floor=0.25)  # half-way through edge 2
    assert crossing is not None
    assert crossing.distance_m == 1500.0
    point = route.shape[6]  # edge 2 spans shape points 4..8
    assert crossing.position == LatLon(point.lat, point.lon)


def test_first_crossing_is_measured_in_metres_from_the_leg_start(flat_10km_leg: RouteLeg) -> None:
    # Two 5 km edges of 6 kWh on 600 kWh: 12 % -> 11 % -> 10 %; 10.5 % is crossed at 7.5 km.
    trace = trace_soc(0.12, [6.0, 6.0], 600.0, soc_max=1.0)
    crossing = first_crossing(flat_10km_leg, 0.12, trace, floor=0.105)
    assert crossing is not None
    assert crossing.distance_m == pytest.approx(7500.0)


def test_first_crossing_is_the_first_of_several() -> None:
    # Down below 0.5 on edge 1, back up on edge 2, down again on edge 3: edge 1 counts.
    energies = [384.0, -256.0, 512.0]
    route = make_leg(3000.0, 180.0, energies)
    trace = trace_soc(0.75, energies, USABLE_KWH, soc_max=1.0)
    crossing = first_crossing(route, 0.75, trace, floor=0.5)
    assert crossing is not None
    assert crossing.distance_m == pytest.approx(1000.0 * 256.0 / 384.0)


def test_first_crossing_is_none_when_soc_stays_above_the_floor() -> None:
    route = make_leg(2000.0, 120.0, [128.0, 128.0])
    trace = trace_soc(0.5, [128.0, 128.0], USABLE_KWH, soc_max=1.0)
    assert first_crossing(route, 0.5, trace, floor=0.125) is None


def test_first_crossing_is_none_when_soc_only_touches_the_floor() -> None:
    route = make_leg(1000.0, 60.0, [256.0])
    trace = trace_soc(0.5, [256.0], USABLE_KWH, soc_max=1.0)  # ends at exactly 0.25
    assert first_crossing(route, 0.5, trace, floor=0.25) is None


@given(
    soc_start=st.floats(0.0, 1.0),
    energies=st.lists(st.floats(-200.0, 400.0), min_size=1, max_size=6),
    floor=st.floats(0.0, 0.5),
)
def test_first_crossing_lies_on_the_first_edge_that_ends_below_the_floor(
    soc_start: float, energies: list[float], floor: float
) -> None:
    route = make_leg(1000.0 * len(energies), 60.0 * len(energies), energies)
    trace = trace_soc(soc_start, energies, USABLE_KWH, soc_max=1.0)
    crossing = first_crossing(route, soc_start, trace, floor)
    below = [i for i, soc in enumerate(trace.soc_after_edge) if soc < floor]
    if not below:
        assert crossing is None
    else:
        assert crossing is not None
        assert 1000.0 * below[0] <= crossing.distance_m <= 1000.0 * (below[0] + 1)
