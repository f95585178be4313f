"""Optimizer time on synthetic long tours: 1,000 km, 300 candidate stations, 3 days.

Each instance: 12 legs of about 83 km (1 km edges, 0.8-1.5 kWh/km, 60-85 km/h), customer stops
with 20-90 min service and some arrival windows, 300 stations at random points (150-1000 kW, CCS
or MCS, 1-8 min detour each way, a quarter with opening hours). The eActros 600 starts at 90 %.
The generator is seeded; the seed is printed with the figures.

Timed: `optimize` (the optimizer: first pass, search, departure), the fastest of --repeat runs
per instance after one untimed run (a served planner is warm; as timeit advises, slower runs
measure what else the machine did), and `plan_tour` once (the optimizer plus the plan's
sections). The figures are the median and the maximum over the instances.

Baseline, measured in the same run on the same instances: the same search without the coarse
first pass and the exact cut its plan allows (prepass_above_points beyond any tour), which is
what the first pass buys. The ratio is baseline time over default time; the tour times of both
are printed (the first pass never loses a plan the label limit keeps, so the default's is no
later, and is often earlier: the cut frees the limit for labels that can still win).

    uv run python bench/optimizer.py --instances 20 --seed 561 [--repeat 5] [--no-baseline]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.planner.conftest import EACTROS, chain, make_leg_input  # noqa: E402

from voltroute.domain import LatLon  # noqa: E402
from voltroute.planner import (  # noqa: E402
    ArrivalWindow,
    CandidateStation,
    OpenInterval,
    Plan,
    PlanningProblem,
    plan_tour,
)
from voltroute.planner.optimizer import OptimizerSettings, optimize  # noqa: E402
from voltroute.vehicles.vehicle import Connector  # noqa: E402

START = datetime(2026, 3, 10, 5, 0, tzinfo=UTC)


def instance(rng: random.Random, n_legs: int = 12, n_stations: int = 300) -> PlanningProblem:
    """A 1,000 km tour with n_stations candidate stations."""
    legs = []
    for i in range(n_legs):
        km = 1000 // n_legs
        energies = [rng.uniform(0.8, 1.5) for _ in range(km)]
        speed_kph = rng.uniform(60.0, 85.0)
        window = None
        if i % 4 == 3:
            window = ArrivalWindow(clock(6, 0), clock(20, 0))
        legs.append(
            make_leg_input(
                energies,
                length_m=km * 1000.0,
                duration_s=km / speed_kph * 3600.0,
                service_s=rng.uniform(20, 90) * 60.0,
                window=window,
                section_id=f"stop-{i + 1}",
            )
        )
    chained = chain(*legs)
    stations = []
    for k in range(n_stations):
        leg_index = rng.randrange(n_legs)
        leg = chained[leg_index]
        d = rng.uniform(0.0, leg.route.length_m)
        detour_s = rng.uniform(60.0, 480.0)
        intervals = None
        if rng.random() < 0.25:
            day0 = START.replace(hour=0)
            intervals = tuple(
                OpenInterval(
                    day0 + timedelta(days=day, hours=5), day0 + timedelta(days=day, hours=21)
                )
                for day in range(5)
            )
        stations.append(
            CandidateStation(
                station_id=f"s{k}",
                name=f"Station {k}",
                position=LatLon(leg.start.lat + 0.01, leg.start.lon),
                leg_index=leg_index,
                distance_along_leg_m=d,
                detour_to_s=detour_s,
                detour_from_s=detour_s,
                detour_to_kwh=detour_s / 3600.0 * 60.0,
                detour_from_kwh=detour_s / 3600.0 * 60.0,
                detour_m=2 * detour_s / 3600.0 * 50_000.0,
                power_kw=rng.choice([150.0, 300.0, 400.0, 720.0, 1000.0]),
                connector=rng.choice([Connector.CCS, Connector.CCS, Connector.MCS]),
                open_intervals=intervals,
            )
        )
    return PlanningProblem(
        vehicle=EACTROS,
        legs=chained,
        soc_start=0.9,
        min_soc_end=0.2,
        earliest_departure=START,
        stations=tuple(stations),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=20)
    parser.add_argument("--seed", type=int, default=561)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per instance")
    parser.add_argument("--no-baseline", action="store_true", help="time the default only")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    problems = [instance(rng) for _ in range(args.instances)]
    default = OptimizerSettings()
    # No tour has this many route points: the first pass never runs.
    without_first_pass = replace(default, prepass_above_points=10**9)
    optimize(problems[0], default)  # warm: imports, caches, the core's memory
    timings_ms: list[float] = []
    plan_ms: list[float] = []
    baseline_ms: list[float] = []
    for problem in problems:
        ms = min(timed_optimize(problem, default) for _ in range(args.repeat))
        timings_ms.append(ms)
        started = time.perf_counter()
        plan = plan_tour(problem, default)
        plan_ms.append((time.perf_counter() - started) * 1000.0)
        kinds = [s.planned_stop.kind.value for s in plan.sections]
        line = (
            f"optimizer {ms:7.1f} ms  plan {plan_ms[-1]:7.1f} ms  drivable={plan.drivable}  "
            f"tour {tour_s(plan):9.0f} s  {gap_text(plan)}  "
            f"charging={kinds.count('charging')} break={kinds.count('break')} "
            f"rest={kinds.count('daily_rest')}"
        )
        if not args.no_baseline:
            baseline_ms.append(
                min(timed_optimize(problem, without_first_pass) for _ in range(args.repeat))
            )
            baseline_tour_s = tour_s(plan_tour(problem, without_first_pass))
            line += f"  | baseline {baseline_ms[-1]:7.1f} ms  tour {baseline_tour_s:9.0f} s"
        print(line, flush=True)
    median_ms = statistics.median(timings_ms)
    print(
        f"seed {args.seed}, {args.instances} instances (1,000 km, 300 stations): optimizer "
        f"median {median_ms:.1f} ms, max {max(timings_ms):.1f} ms; with the plan's sections "
        f"median {statistics.median(plan_ms):.1f} ms"
    )
    if baseline_ms:
        ratio = statistics.median(baseline_ms) / median_ms
        print(
            f"baseline (no first pass): median {statistics.median(baseline_ms):.1f} ms, "
            f"{ratio:.1f}x the default's time"
        )


def timed_optimize(problem: PlanningProblem, settings: OptimizerSettings) -> float:
    """Milliseconds to optimize."""
    started = time.perf_counter()
    optimize(problem, settings)
    return (time.perf_counter() - started) * 1000.0


def gap_text(plan: Plan) -> str:
    """Proven optimal, or at most how many minutes from the earliest arrival possible."""
    if plan.search_exhaustive:
        return "optimal"
    gap_s = plan.optimality_gap_s
    return "gap unknown" if gap_s is None else f"gap <= {gap_s / 60.0:.0f} min"


def tour_s(plan: Plan) -> float:
    """Total tour time: arrival at the last stop minus departure."""
    return (plan.arrival - plan.departure).total_seconds()


if __name__ == "__main__":
    main()
