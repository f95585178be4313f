"""Our optimizer against frvcpy on frvcpy's 133 reference routes (issue 21): time and duration.

The instance is Montoya's E-VRP-NL tc0c40s8cf0 as frvcpy ships it, each route mapped onto a
`PlanningProblem` by tests/referee/frvcpy_instances.py (one leg per pair of stops, the 9
stations on every leg, each charging by its type's charging function, a hop from each station
to every other of the leg, driver rules that add nothing; its docstring lists where the models
differ). --no-chains leaves the hops out. The baseline, measured in the same run on
the same routes, is frvcpy 0.1.1 itself (pure Python): `Solver(instance, route, max_q).solve()`,
its instance set-up included.

Timed per route, the fastest of --repeat runs after one untimed run per route (as timeit
advises, slower runs measure what else the machine did): frvcpy; our `optimize` with the
production settings (`OptimizerSettings()`: layout, first pass, search, departure); the same
with what plans share emptied before each run (cold: the charge profiles of a vehicle at a
kind of charger and the SoC grids, kept across plans by value, are made again, as for a
service's first plan); and our `plan_tour` (the optimizer and the plan's sections), which is
what a caller gets.
Building the `PlanningProblem` is not timed (frvcpy's JSON instance is given ready too).
Printed: one line per route, then median and p95 ms per route for each, ours / frvcpy, and
the plans' durations against frvcpy's optimum: how many are later by more than one SoC grid
step of charging (tests/referee: the most a charging stop of ours can lose to a continuous
target), by more than 0.5 %, the largest gap, and how many are earlier (the models differ).
Every plan of ours is also re-costed in frvcpy's own model (`recost_s`): how many cost there
what they cost in ours, and, of those earlier than frvcpy's optimum, how many are mapping
artifacts (dearer or undrivable in frvcpy's model; frvcpy is exact in its own).
The routes run one after the other on a machine that may be busy: compare the ratio, and rerun
when the load (`uptime`) was high.

--profile N runs cProfile over --profile-runs calls of `optimize` on route N and prints where
the time goes.

    .venv/bin/python bench/frvcpy.py --repeat 5 [--no-chains] [--profile 23]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path, and this file would then be
# imported as the frvcpy it measures: the repository takes the folder's place.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path.insert(0, str(REPO))

from tests.referee.frvcpy_instances import (  # noqa: E402
    Instance,
    ReferenceRoute,
    grid_step_s,
    planning_problem,
    recost_s,
    reference_instance,
    reference_routes,
    solve,
    tour_duration_s,
)

from voltroute.planner import PlanningProblem, plan_tour  # noqa: E402
from voltroute.planner.optimizer import (  # noqa: E402
    OptimizerSettings,
    optimize,
    soc_grid_between,
)
from voltroute.vehicles.charging import charge_profile  # noqa: E402

GAP_SHARE_REPORTED = 0.005
RECOST_TOL_S = 1.0


@dataclass(frozen=True)
class RouteRun:
    """One route: the three times (ms), both durations (s) and one grid step of charging (s)."""

    number: int
    frvcpy_ms: float
    optimize_ms: float
    cold_ms: float
    plan_ms: float
    frvcpy_s: float
    ours_s: float
    step_s: float
    chain: bool
    recosted_s: float  # our plan in frvcpy's model

    @property
    def gap_s(self) -> float:
        return self.ours_s - self.frvcpy_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per route")
    parser.add_argument("--profile", type=int, help="cProfile optimize on this route number")
    parser.add_argument("--profile-runs", type=int, default=200)
    parser.add_argument("--no-chains", action="store_true", help="no hops between stations")
    args = parser.parse_args()
    chains = not args.no_chains
    instance = reference_instance()
    routes = reference_routes()
    if args.profile is not None:
        route = next(r for r in routes if r.number == args.profile)
        profile(planning_problem(instance, route.route, chains=chains), args.profile_runs)
        return
    runs = [measure(instance, route, args.repeat, chains) for route in routes]
    summarize(runs)


def measure(instance: Instance, route: ReferenceRoute, repeat: int, chains: bool) -> RouteRun:
    """Times one route and prints its line."""
    problem = planning_problem(instance, route.route, chains=chains)
    settings = OptimizerSettings()
    frvcpy_ms = fastest_ms(lambda: solve(instance, route.route), repeat)
    optimize_ms = fastest_ms(lambda: optimize(problem, settings), repeat)
    cold_ms = fastest_ms(lambda: optimize(problem, settings), repeat, before=empty_caches)
    plan_ms = fastest_ms(lambda: plan_tour(problem, settings), repeat)
    plan = plan_tour(problem, settings)
    theirs = solve(instance, route.route)
    run = RouteRun(
        route.number,
        frvcpy_ms,
        optimize_ms,
        cold_ms,
        plan_ms,
        theirs.duration_s,
        tour_duration_s(plan, problem),
        grid_step_s(problem, settings.soc_step),
        bool(theirs.chains),
        recost_s(instance, route.route[0], plan) if plan.drivable else float("inf"),
    )
    print(
        f"route {run.number:>3}  frvcpy {run.frvcpy_ms:6.2f} ms  optimize {run.optimize_ms:6.2f} ms"
        f"  cold {run.cold_ms:6.2f} ms  plan {run.plan_ms:6.2f} ms"
        f"  ratio {run.optimize_ms / run.frvcpy_ms:5.2f}  "
        f"frvcpy {run.frvcpy_s:7.0f} s  ours {run.ours_s:7.0f} s  gap {run.gap_s:+6.0f} s"
        f"{'  (frvcpy chains stations)' if run.chain else ''}",
        flush=True,
    )
    return run


def fastest_ms(
    call: Callable[[], object], repeat: int, before: Callable[[], None] | None = None
) -> float:
    """The fastest of repeat timed calls after one untimed call, in milliseconds (before: run
    untimed before each call)."""
    call()
    best = float("inf")
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best * 1000.0


def empty_caches() -> None:
    """What plans share, emptied: the charge profiles and the SoC grids."""
    charge_profile.cache_clear()
    soc_grid_between.cache_clear()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summarize(runs: list[RouteRun]) -> None:
    """The figures: times per route, ratios, durations against frvcpy's optimum."""
    columns = {
        "frvcpy": [r.frvcpy_ms for r in runs],
        "ours (optimize)": [r.optimize_ms for r in runs],
        "ours (cold)": [r.cold_ms for r in runs],
        "ours (plan_tour)": [r.plan_ms for r in runs],
    }
    print(f"\n{len(runs)} routes of tc0c40s8cf0, ms per route:")
    for name, values in columns.items():
        print(
            f"  {name:<17} median {statistics.median(values):6.2f}  "
            f"p95 {percentile(values, 0.95):6.2f}"
        )
    base = columns["frvcpy"]
    base_median, base_p95 = statistics.median(base), percentile(base, 0.95)
    for name in ("ours (optimize)", "ours (cold)", "ours (plan_tour)"):
        ratios = [o / f for o, f in zip(columns[name], base, strict=True)]
        print(
            f"  {name} / frvcpy: median {statistics.median(columns[name]) / base_median:.2f}, "
            f"p95 {percentile(columns[name], 0.95) / base_p95:.2f}, median of the per-route "
            f"ratios {statistics.median(ratios):.2f}"
        )
    later_step = [r for r in runs if r.gap_s > r.step_s]
    later_share = [r for r in runs if r.gap_s > GAP_SHARE_REPORTED * r.frvcpy_s]
    earlier = [r for r in runs if r.gap_s < -r.step_s]
    worst = max(runs, key=lambda r: r.gap_s / r.frvcpy_s)
    print(
        f"durations against frvcpy's optimum (one grid step of charging: "
        f"{max(r.step_s for r in runs):.0f} s):\n"
        f"  later by more than one grid step: {len(later_step)} routes "
        f"{sorted(r.number for r in later_step)}, of which frvcpy chains stations on "
        f"{sum(r.chain for r in later_step)}\n"
        f"  later by more than {GAP_SHARE_REPORTED:.1%}: {len(later_share)} routes "
        f"{sorted(r.number for r in later_share)}, of which frvcpy chains stations on "
        f"{sum(r.chain for r in later_share)}\n"
        f"  largest gap: route {worst.number}, {worst.gap_s:+.0f} s "
        f"({worst.gap_s / worst.frvcpy_s:+.2%})\n"
        f"  earlier by more than one grid step (the models differ): {len(earlier)} routes"
    )
    alike = [r for r in runs if abs(r.recosted_s - r.ours_s) <= RECOST_TOL_S]
    ahead = [r for r in runs if r.gap_s < -RECOST_TOL_S]
    artifacts = [r for r in ahead if r.recosted_s > r.frvcpy_s - RECOST_TOL_S]
    print(
        f"re-costed in frvcpy's model: {len(alike)} of {len(runs)} plans cost there what they "
        f"cost in ours; {len(ahead)} earlier than frvcpy's optimum "
        f"{sorted(r.number for r in ahead)}, of which mapping artifacts (dearer or undrivable "
        f"there): {len(artifacts)}"
    )


def profile(problem: PlanningProblem, runs: int) -> None:
    """cProfile over runs calls of optimize: the top of the cumulative and of the own times."""
    settings = OptimizerSettings()
    optimize(problem, settings)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        optimize(problem, settings)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
