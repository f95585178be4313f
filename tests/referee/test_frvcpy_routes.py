"""Our optimizer against frvcpy, Froger et al.'s exact FRVCP labelling (issue 21).

frvcpy's 133 reference routes of Montoya's tc0c40s8cf0 and random routes of a drawn E-VRP-NL
instance are planned with the production settings (`OptimizerSettings()`) on the mapping of
tests/referee/frvcpy_instances.py, and compared with frvcpy's optimum, station chains included
(frvcpy's `multi_insert`; ours are hops between the stations of a leg). A plan of ours may be
later by at most one SoC grid step of charging at each of frvcpy's charging stops (its SoC
targets are on the grid, frvcpy's are continuous; optimizer.py's Exactness): frvcpy's plan with
its targets rounded up to the grid is one of ours. Where the models differ otherwise (that
module's docstring) ours can be earlier: it never has to be. Every plan of ours is also
re-costed in frvcpy's own model (`recost_s`): it costs there what it costs in ours, and never
less than frvcpy's optimum, unless it charges at two stations of one leg by two detours (the
mapping prices those below the chain they are in frvcpy's model).

Each station charges by its own type's charging function (a station power curve), as in
frvcpy: the two charge alike at every type (tested here).

On the reference routes the production plans are within 0.5 % of frvcpy's optimum, all 133:
the grid's overshoot is what the plan's refinement (optimizer.py's Refinement) takes back. On
the random routes of the drawn instance they are not always (the label limit drops labels
there, and the refinement keeps the plan's stations): the grid step a stop holds there.

One grid step of charging at a station is the longest our model takes to charge one step of
`soc_step` there (frvcpy_instances.grid_step_s, by the station's own type: up to 720 s at the
slowest type, 0.32 kWh at 1.6 kW above 95 %). A failure's message says what
frvcpy did (its stops, its station chains) and what we did (and whether the label limit dropped
anything), which tells a lost label from grid rounding.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from frvcpy.core import FrvcpInstance
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.planner.validator import validate
from tests.referee.conftest import DRAWN_CUSTOMERS, drawn
from tests.referee.frvcpy_instances import (
    INSTANCE_ENERGY_KWH,
    INSTANCE_TIME_S,
    Instance,
    ReferenceRoute,
    grid_step_s,
    our_stops,
    planning_problem,
    recost_s,
    reference_routes,
    solve,
    station_curves,
    station_powers_kw,
    tour_duration_s,
    vehicle,
)

from voltroute.planner import Plan, plan_tour
from voltroute.planner.optimizer import OptimizerSettings
from voltroute.vehicles import Connector
from voltroute.vehicles.charging import ChargeProfile

PRODUCTION = OptimizerSettings()
ROUTES = reference_routes()
SAME_S = 0.01  # frvcpy's reference optima are rounded to 1e-6 h (3.6 ms)
HALF_A_PERCENT = 0.005
RAMPS_S = 0.05  # a station curve's power steps are 1e-6 SoC ramps: 0.02 s at the slowest


def test_frvcpy_reproduces_its_reference_optima(tc0c40s8cf0: Instance) -> None:
    # The referee as installed: a changed frvcpy would move the goalposts of every test here.
    assert len(ROUTES) == 133
    for route in ROUTES:
        assert solve(tc0c40s8cf0, route.route).duration_s == pytest.approx(
            route.duration_s, abs=SAME_S
        ), route.name


def test_a_detour_costs_what_stop_station_next_stop_costs_in_the_matrix(
    tc0c40s8cf0: Instance,
) -> None:
    route = ROUTES[23].route  # the route of Froger et al.'s manuscript
    problem = planning_problem(tc0c40s8cf0, route)
    time_h, energy = tc0c40s8cf0["time_matrix"], tc0c40s8cf0["energy_matrix"]
    assert len(problem.stations) == len(problem.legs) * len(tc0c40s8cf0["css"])
    for station in problem.stations:
        leg = problem.legs[station.leg_index]
        a, b = route[station.leg_index], route[station.leg_index + 1]
        c = int(station.station_id.removeprefix("cs-"))
        share = station.distance_along_leg_m / leg.route.length_m if leg.route.length_m else 0.0
        driven_s = leg.route.duration_s + station.detour_to_s + station.detour_from_s
        assert driven_s == pytest.approx((time_h[a][c] + time_h[c][b]) * INSTANCE_TIME_S)
        to_station_kwh = share * leg.edge_energy_kwh[0] + station.detour_to_kwh
        assert to_station_kwh == pytest.approx(energy[a][c] * INSTANCE_ENERGY_KWH)
        from_station_kwh = station.detour_from_kwh + (1 - share) * leg.edge_energy_kwh[0]
        assert from_station_kwh == pytest.approx(energy[c][b] * INSTANCE_ENERGY_KWH)
        assert min(station.detour_to_s, station.detour_from_s) >= 0.0


def test_the_mapped_charging_is_never_slower_than_frvcpys_and_exact_at_the_fastest_type(
    tc0c40s8cf0: Instance,
) -> None:
    referee = FrvcpInstance(tc0c40s8cf0)
    ev = vehicle(tc0c40s8cf0)
    max_q = tc0c40s8cf0["max_q"]
    powers = station_powers_kw(tc0c40s8cf0)
    fastest = max(powers, key=lambda t: powers[t][0][2])
    socs = [k / 40 for k in range(41)]
    for cs in tc0c40s8cf0["css"]:
        node = referee.nodes_g[cs["node_id"]]
        ours = ChargeProfile(ev, max(p for _, _, p in powers[cs["cs_type"]]), Connector.CCS)
        for lo in socs:
            for hi in (s for s in socs if s > lo):
                theirs_s = (
                    referee.get_charging_time(node, lo * max_q, (hi - lo) * max_q) * INSTANCE_TIME_S
                )
                ours_s = ours.time_s(lo, hi)
                assert ours_s <= theirs_s + 1e-6, (cs, lo, hi)
                if cs["cs_type"] == fastest:
                    assert ours_s == pytest.approx(theirs_s, abs=0.01), (cs, lo, hi)


def test_every_station_charges_as_its_type_s_charging_function_says(
    tc0c40s8cf0: Instance,
) -> None:
    referee = FrvcpInstance(tc0c40s8cf0)
    problem = planning_problem(tc0c40s8cf0, ROUTES[23].route)
    max_q = tc0c40s8cf0["max_q"]
    socs = [k / 40 for k in range(41)]
    types = {cs["node_id"]: cs["cs_type"] for cs in tc0c40s8cf0["css"]}
    assert len(set(types.values())) == 3
    for station in problem.stations[: len(types)]:
        node = referee.nodes_g[int(station.station_id.removeprefix("cs-"))]
        assert station.power_curve == station_curves(tc0c40s8cf0)[types[node.node_id]]
        ours = ChargeProfile(problem.vehicle, station.power_kw, Connector.CCS, station.power_curve)
        for lo in socs:
            for hi in (s for s in socs if s > lo):
                theirs_s = (
                    referee.get_charging_time(node, lo * max_q, (hi - lo) * max_q) * INSTANCE_TIME_S
                )
                assert ours.time_s(lo, hi) == pytest.approx(theirs_s, abs=RAMPS_S), (node, lo, hi)


def test_a_session_at_the_slowest_station_type_takes_as_long_as_frvcpy_s_function_says(
    tc0c40s8cf0: Instance,
) -> None:
    # Route 23 with only the stations of the slowest type (2: the fast function stretched 4x in
    # time), and to end at 80 %: a session charges to full, above 85 % and 95 %, where the vehicle's
    # curve (the fast type's function) alone would charge 4x faster.
    referee = FrvcpInstance(tc0c40s8cf0)
    slowest = {cs["node_id"] for cs in tc0c40s8cf0["css"] if cs["cs_type"] == 2}
    full = planning_problem(tc0c40s8cf0, ROUTES[23].route)
    problem = replace(
        full,
        stations=tuple(s for s in full.stations if int(s.station_id[3:]) in slowest),
        min_soc_end=0.8,
    )
    plan = plan_tour(problem, PRODUCTION)
    validate(problem, plan)
    sessions = [s.planned_stop for s in plan.sections if s.planned_stop.station_id is not None]
    assert sessions
    max_q = tc0c40s8cf0["max_q"]
    for stop in sessions:
        assert stop.station_id is not None
        node = referee.nodes_g[int(stop.station_id.removeprefix("cs-"))]
        theirs_s = referee.get_charging_time(
            node, stop.soc_arrival * max_q, (stop.soc_departure - stop.soc_arrival) * max_q
        )
        assert stop.charge_time_s == pytest.approx(theirs_s * INSTANCE_TIME_S, abs=RAMPS_S)
    slow_above_95 = [s for s in sessions if s.soc_departure > 0.96]
    assert slow_above_95  # the sessions reach the slowest pieces of the function
    for stop in slow_above_95:
        fast = ChargeProfile(problem.vehicle, math.inf, Connector.CCS)
        assert stop.charge_time_s > 3.0 * fast.time_s(stop.soc_arrival, stop.soc_departure)


@pytest.mark.parametrize("reference", ROUTES, ids=lambda r: f"route{r.number}")
def test_production_plan_of_a_reference_route_is_within_a_grid_step_a_stop_and_half_a_percent(
    tc0c40s8cf0: Instance, reference: ReferenceRoute
) -> None:
    ours_s = _assert_within_grid_steps(tc0c40s8cf0, reference.route)
    # Issue 21: frvcpy's SoC targets are continuous; ours are refined off the grid on the
    # plan's stations.
    gap = f"+{ours_s - reference.duration_s:.0f} s ({ours_s / reference.duration_s - 1:.2%})"
    assert ours_s <= reference.duration_s * (1 + HALF_A_PERCENT) + SAME_S, gap


def test_a_finer_grid_never_plans_a_reference_route_later_than_the_default_grid(
    tc0c40s8cf0: Instance,
) -> None:
    # Issue 21: soc_step 0.005 and 0.001 only add targets and start from the default grid's plan.
    later = []
    for reference in ROUTES:
        problem = planning_problem(tc0c40s8cf0, reference.route)
        default_s = tour_duration_s(plan_tour(problem, PRODUCTION), problem)
        for step in (0.005, 0.001):
            finer = plan_tour(problem, replace(PRODUCTION, soc_step=step))
            finer_s = tour_duration_s(finer, problem)
            if finer_s > default_s + SAME_S:
                later.append(f"route {reference.number}, soc_step {step}: +{finer_s - default_s} s")
    assert not later


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(customers=st.lists(st.integers(1, DRAWN_CUSTOMERS), min_size=1, max_size=6, unique=True))
def test_production_plan_of_a_random_route_is_within_a_grid_step_a_stop_of_frvcpys_optimum(
    customers: list[int],
) -> None:
    _assert_within_grid_steps(drawn(), (0, *customers, 0))


def _assert_within_grid_steps(instance: Instance, route: tuple[int, ...]) -> float:
    """Our production plan's duration (s), asserted within a grid step a stop of frvcpy's."""
    problem = planning_problem(instance, route)
    plan = plan_tour(problem, PRODUCTION)
    optimum = solve(instance, route)
    ours_s = tour_duration_s(plan, problem)
    _assert_recosted_alike(instance, route, plan, ours_s, optimum.duration_s)
    # frvcpy's plan with each target rounded up to our grid is a plan of ours: it loses at most
    # a grid step at each of its stations (at that station's own charging function).
    steps_s = [
        grid_step_s(problem, PRODUCTION.soc_step, f"cs-{node}")
        for node, charged in optimum.stops
        if charged is not None
    ]
    if ours_s <= optimum.duration_s + sum(steps_s) + SAME_S:
        return ours_s
    gap = (
        f"{ours_s - optimum.duration_s:.0f} s "
        f"({(ours_s - optimum.duration_s) / optimum.duration_s:.2%})"
        if math.isfinite(ours_s)
        else "not drivable"
    )
    pytest.fail(
        f"route {route}: ours {ours_s:.0f} s > frvcpy {optimum.duration_s:.0f} s + "
        f"grid steps of {', '.join(f'{s:.0f}' for s in steps_s) or 'none'} s: {gap} later\n"
        f"  frvcpy:   {optimum.describe(instance)}\n"
        f"  ours:     {our_stops(plan)}; label limit dropped nothing: {plan.search_exhaustive}"
    )


def _assert_recosted_alike(
    instance: Instance, route: tuple[int, ...], plan: Plan, ours_s: float, optimum_s: float
) -> None:
    if not plan.drivable:
        return
    recosted_s = recost_s(instance, route[0], plan)
    assert recosted_s >= optimum_s - SAME_S, (route, our_stops(plan), recosted_s, optimum_s)
    # Detours (not hops) to stations per leg.
    detours = [0]
    for section in plan.sections:
        if section.planned_stop.station_id is not None and not section.station_hop:
            detours[-1] += 1
        if section.section_id is not None:
            detours.append(0)
    if max(detours) <= 1:
        assert recosted_s == pytest.approx(ours_s, abs=RAMPS_S), (route, our_stops(plan))
