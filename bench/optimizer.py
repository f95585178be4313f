"""Optimizer time on synthetic long tours: 1,000 km, 300 candidate stations, 3 days.

Each instance: 12 legs of about 83 km (1 km edges, 0.8-1.5 kWh/km, 60-85 km/h), customer stops
with 20-90 min service and some arrival windows, 300 stations at random points (150-1000 kW, CCS
or MCS, 1-8 min detour each way, a quarter with opening hours). The eActros 600 starts at 90 %.
The generator is seeded; the seed is printed with the figures.

Timed: `optimize` (the optimizer: first pass, search, departure), the fastest of --repeat runs
per instance after one untimed run (a served planner is warm; as timeit advises, slower runs
measure what else the machine did), and `plan_tour` once (the optimizer plus the plan's
sections). The figures are the median and the maximum over the instances.

The driver rules are the complete defaults (PlanningProblem.driver_rules = EU_561): Regulation
561/2006 with reduced and split rests, 10-hour days and weekly limits chosen by the search, and
2002/15 working time on; service at the stops is work (no stop frees the driver).

Baseline, measured in the same run on the same instances: the optimizer of --baseline-ref
(default fb10791, the commit before the driver rules of issue 20: breaks and rests of 561/2006
only, service not counted as work). Its own bench/optimizer.py runs with --no-baseline and the
same --instances, --seed and --repeat as a child process in a temporary git worktree of the ref,
against the ref's voltroute with its own compiled core (bench/baseline_checkout.py; about 20 s
to build it when the core differs); its printed lines are parsed. Printed: both times and tour
times per instance, the medians and maxima, and ours / baseline. The two run one after the
other, ours first, on a machine that may be busy with other work: compare the ratio, and
rerun when the load (`uptime`) was high.

--finer-grids plans every instance again with soc_step 0.005 and 0.001 (each starts from the
default grid's plan, see optimizer.py, Finer grids) and prints their time and tour against the
default's: a finer grid must never plan a later tour.

--first-pass-baseline adds the in-run baseline: the same search without the coarse first pass
and the exact cut its plan allows (prepass_above_points beyond any tour), which is what the
first pass buys; its ratio is its time over the default's (the first pass never loses a plan the
label limit keeps, so the default's tour is no later, and often earlier).

    .venv/bin/python bench/optimizer.py --instances 20 --seed 561 --repeat 5
        [--baseline-ref REF | --no-baseline] [--first-pass-baseline] [--finer-grids]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.baseline_checkout import Checkout, check_out, remove  # noqa: E402
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
BASELINE_REF = "fb10791"  # the optimizer before the driver rules of issue 20
# The lines every version of this script prints: one per instance, then the figures.
INSTANCE_LINE = re.compile(
    r"^optimizer\s+(?P<ms>[\d.]+)\s*ms\b.*?\bdrivable=(?P<drivable>\w+)"
    r".*?\btour\s+(?P<tour_s>\S+)\s*s\b",
    re.MULTILINE,
)
SUMMARY_LINE = re.compile(
    r"\boptimizer\s+median\s+(?P<median>[\d.]+)\s*ms,\s*max\s+(?P<max>[\d.]+)\s*ms"
)


@dataclass(frozen=True)
class Timing:
    """One instance: the optimizer's time (ms), whether it found a plan, the tour time (s)."""

    ms: float
    drivable: bool
    tour_s: float


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
    parser.add_argument(
        "--baseline-ref", default=BASELINE_REF, help="the commit to compare with, in the same run"
    )
    parser.add_argument("--no-baseline", action="store_true", help="no --baseline-ref")
    parser.add_argument(
        "--first-pass-baseline", action="store_true", help="also time the search without it"
    )
    parser.add_argument(
        "--finer-grids", action="store_true", help="also plan with soc_step 0.005 and 0.001"
    )
    args = parser.parse_args()
    if args.finer_grids:
        compare_grids(args.instances, args.seed)
        return
    with tempfile.TemporaryDirectory() as temp:
        checkout = None
        if not args.no_baseline:
            print(f"checking out {args.baseline_ref} with its compiled core ...", flush=True)
            checkout = check_out(args.baseline_ref, Path(temp) / "baseline")
        try:
            ours = measure(args.instances, args.seed, args.repeat, args.first_pass_baseline)
            if checkout is not None:
                print(f"baseline {checkout.ref}: its bench/optimizer.py ...", flush=True)
                baseline, baseline_figures = run_baseline(checkout, args)
                compare(ours, baseline, baseline_figures, checkout.ref)
        finally:
            if checkout is not None:
                remove(checkout.path)


def measure(instances: int, seed: int, repeat: int, first_pass_baseline: bool) -> list[Timing]:
    """Times the optimizer on the seeded instances and prints a line for each, then the
    figures (the lines a later run of this script parses: keep their form)."""
    rng = random.Random(seed)
    problems = [instance(rng) for _ in range(instances)]
    default = OptimizerSettings()
    # No tour has this many route points: the first pass never runs.
    without_first_pass = replace(default, prepass_above_points=10**9)
    optimize(problems[0], default)  # warm: imports, caches, the core's memory
    timings: list[Timing] = []
    plan_ms: list[float] = []
    baseline_ms: list[float] = []
    for problem in problems:
        ms = min(timed_optimize(problem, default) for _ in range(repeat))
        started = time.perf_counter()
        plan = plan_tour(problem, default)
        plan_ms.append((time.perf_counter() - started) * 1000.0)
        timings.append(Timing(ms, plan.drivable, tour_s(plan)))
        kinds = [s.planned_stop.kind.value for s in plan.sections]
        line = (
            f"optimizer {ms:7.1f} ms  plan {plan_ms[-1]:7.1f} ms  drivable={plan.drivable}  "
            f"tour {tour_s(plan):9.0f} s  {gap_text(plan)}  "
            f"charging={kinds.count('charging')} break={kinds.count('break')} "
            f"rest={kinds.count('daily_rest')}"
        )
        if first_pass_baseline:
            baseline_ms.append(
                min(timed_optimize(problem, without_first_pass) for _ in range(repeat))
            )
            baseline_tour_s = tour_s(plan_tour(problem, without_first_pass))
            line += f"  | no first pass {baseline_ms[-1]:7.1f} ms  tour {baseline_tour_s:9.0f} s"
        print(line, flush=True)
    timings_ms = [t.ms for t in timings]
    median_ms = statistics.median(timings_ms)
    print(
        f"seed {seed}, {instances} instances (1,000 km, 300 stations): optimizer "
        f"median {median_ms:.1f} ms, max {max(timings_ms):.1f} ms; with the plan's sections "
        f"median {statistics.median(plan_ms):.1f} ms",
        flush=True,
    )
    if baseline_ms:
        ratio = statistics.median(baseline_ms) / median_ms
        print(
            f"no first pass: median {statistics.median(baseline_ms):.1f} ms, "
            f"{ratio:.1f}x the default's time"
        )
    return timings


def run_baseline(
    checkout: Checkout, args: argparse.Namespace
) -> tuple[list[Timing], dict[str, float]]:
    """The checkout's own bench/optimizer.py on the same instances: its per-instance timings
    and the median and maximum it printed."""
    command = checkout.python(
        "bench/optimizer.py",
        "--no-baseline",
        "--instances",
        str(args.instances),
        "--seed",
        str(args.seed),
        "--repeat",
        str(args.repeat),
    )
    done = subprocess.run(
        command,
        cwd=checkout.path,
        env={**os.environ, **checkout.env},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"{checkout.ref}'s bench/optimizer.py exited with {done.returncode}")
    return parse_figures(done.stdout, args.instances)


def parse_figures(output: str, instances: int) -> tuple[list[Timing], dict[str, float]]:
    """The per-instance lines and the figures line of this script's output (any version)."""
    timings = [
        Timing(float(m["ms"]), m["drivable"] == "True", float(m["tour_s"]))
        for m in INSTANCE_LINE.finditer(output)
    ]
    if len(timings) != instances:
        raise SystemExit(
            f"baseline printed {len(timings)} instance lines, not {instances}:\n{output}"
        )
    summary = SUMMARY_LINE.search(output)
    if summary is None:  # only the per-instance lines: the figures from them
        ms = [t.ms for t in timings]
        return timings, {"median": statistics.median(ms), "max": max(ms)}
    return timings, {"median": float(summary["median"]), "max": float(summary["max"])}


def compare(
    ours: list[Timing], baseline: list[Timing], figures: dict[str, float], ref: str
) -> None:
    """Both side by side per instance, then the medians, maxima and ratios."""
    columns = ("ours ms", "base ms", "ratio", "ours tour h", "base tour h")
    print(
        "\n   # " + " ".join(f"{c:>{w}}" for c, w in zip(columns, (8, 8, 6, 12, 12), strict=True))
    )
    for k, (now, then) in enumerate(zip(ours, baseline, strict=True), start=1):
        print(
            f"{k:>4} {now.ms:8.1f} {then.ms:8.1f} {now.ms / then.ms:6.2f} "
            f"{hours(now):>12} {hours(then):>12}"
        )
    median_ms = statistics.median(t.ms for t in ours)
    ratios = [now.ms / then.ms for now, then in zip(ours, baseline, strict=True)]
    tours_now = [t.tour_s for t in ours if t.drivable]
    tours_then = [t.tour_s for t in baseline if t.drivable]
    print(
        f"ours:         median {median_ms:.1f} ms, max {max(t.ms for t in ours):.1f} ms; "
        f"{len(tours_now)}/{len(ours)} drivable"
    )
    print(
        f"baseline {ref}: median {figures['median']:.1f} ms, max {figures['max']:.1f} ms; "
        f"{len(tours_then)}/{len(baseline)} drivable"
    )
    print(
        f"ours / baseline: median {median_ms / figures['median']:.2f}, "
        f"max {max(t.ms for t in ours) / figures['max']:.2f}, "
        f"median of the per-instance ratios {statistics.median(ratios):.2f}"
    )
    if tours_now and tours_then:
        now_h = statistics.median(tours_now) / 3600.0
        then_h = statistics.median(tours_then) / 3600.0
        print(
            f"tour time median: ours {now_h:.1f} h, baseline {then_h:.1f} h "
            f"({now_h / then_h - 1.0:+.1%})"
        )


def compare_grids(instances: int, seed: int) -> None:
    """Plans each instance on the default grid and on finer ones; prints time and tour."""
    rng = random.Random(seed)
    problems = [instance(rng) for _ in range(instances)]
    steps = (0.005, 0.001)
    later = dict.fromkeys(steps, 0)
    for problem in problems:
        line = ""
        default_s = 0.0
        for step in (0.02, *steps):
            started = time.perf_counter()
            plan = plan_tour(problem, OptimizerSettings(soc_step=step))
            ms = (time.perf_counter() - started) * 1000.0
            if step == 0.02:
                default_s = tour_s(plan)
            elif tour_s(plan) > default_s + 1e-3:
                later[step] += 1
            line += f"  soc_step {step}: {ms:7.1f} ms tour {tour_s(plan):9.0f} s"
        print(line.strip(), flush=True)
    print(
        f"seed {seed}, {instances} instances: tours later than the default grid's: "
        + ", ".join(f"soc_step {step} {count}" for step, count in later.items())
    )


def hours(timing: Timing) -> str:
    return f"{timing.tour_s / 3600.0:.1f}" if timing.drivable else "-"


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
