"""Instructions per plan, ours against a baseline ref, counted by valgrind's callgrind.

Wall-clock times on this machine swing by 10-40 % between runs (bench/frvcpy.py and
bench/optimizer.py say so); an instruction count does not: it is the same for the same code and
inputs whatever else the machine does. It is not a time (a cache miss costs more than an add),
but a change that removes work shows here first and exactly.

Workloads: frvcpy's reference routes (tests/referee/frvcpy_instances.py, every --step-th of the
133) and --optimizer N tours of bench/optimizer.py (seed 561). Each side plans them in child
processes under `valgrind --tool=callgrind` with PYTHONHASHSEED=0: every problem once (what
plans keep by value, charge profiles and SoC grids, is made then, as for a served planner),
then once more in one child and twice more in the other; the difference of the two children's
totals is one round of plans, whatever importing and building the problems cost. Both sides
run this repository's workload (this file, its tests/ and bench/) against their own voltroute:
ours, and --baseline-ref's in a worktree with its own compiled core
(bench/baseline_checkout.py). Printed: instructions per plan on each side and ours / baseline.
Minutes, not seconds: a child runs some 50 times slower under valgrind, two at a time (6.5 min
for --baseline-ref with --optimizer 4 while the test suite ran beside it).

    .venv/bin/python bench/instructions.py [--baseline-ref REF] [--step 4] [--optimizer 0]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve()
# Run as a script, this file's folder comes first on sys.path, where bench/frvcpy.py would be
# imported as the frvcpy package the referee needs: the repository takes the folder's place.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path.insert(0, str(REPO))
REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-ref", help="a commit to count against (default: none)")
    parser.add_argument("--step", type=int, default=4, help="every step-th frvcpy route")
    parser.add_argument("--optimizer", type=int, default=0, help="bench/optimizer.py tours")
    parser.add_argument("--plan", help=argparse.SUPPRESS)  # a child: frvcpy | optimizer
    parser.add_argument("--rounds", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plan is not None:
        plan(args.plan, args.step, args.optimizer, args.rounds)
        return
    workloads = [("frvcpy", len(range(0, 133, args.step)))]
    if args.optimizer:
        workloads.append(("optimizer", args.optimizer))
    ours = {name: count(python_here, name, n, args) for name, n in workloads}
    report("ours", ours)
    if args.baseline_ref is None:
        return
    from bench.baseline_checkout import check_out, remove

    with tempfile.TemporaryDirectory() as temp:
        checkout = check_out(args.baseline_ref, Path(temp) / "baseline")
        try:
            env = {**os.environ, **checkout.env}

            def theirs_command(*child: str) -> tuple[list[str], dict[str, str]]:
                return checkout.python_running(HERE, *child), env

            theirs = {name: count(theirs_command, name, n, args) for name, n in workloads}
        finally:
            remove(checkout.path)
    report(f"baseline {args.baseline_ref}", theirs)
    for name, _ in workloads:
        print(f"{name}: ours / baseline {ours[name] / theirs[name]:.3f}")


Command = Callable[..., tuple[list[str], dict[str, str]]]


def python_here(*child: str) -> tuple[list[str], dict[str, str]]:
    return [sys.executable, str(HERE), *child], dict(os.environ)


def count(command: Command, workload: str, plans: int, args: argparse.Namespace) -> float:
    """Instructions per plan of one side: the children of 1 and 2 rounds, differenced."""
    child = ["--plan", workload, "--step", str(args.step), "--optimizer", str(args.optimizer)]

    def total(rounds: int) -> int:
        argv, env = command(*child, "--rounds", str(rounds))
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
            env={**env, "PYTHONHASHSEED": "0"},
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        found = REFS.search(run.stderr)
        if run.returncode != 0 or found is None:
            raise SystemExit(f"{workload}, {rounds} rounds failed:\n{run.stderr[-2000:]}")
        return int(found.group(1).replace(",", ""))

    with ThreadPoolExecutor(2) as pool:
        one, two = pool.map(total, (1, 2))
    return (two - one) / plans


def report(side: str, counts: dict[str, float]) -> None:
    for name, per_plan in counts.items():
        print(f"{side:<20} {name:<9} {per_plan / 1e6:8.2f} M instructions per plan", flush=True)


def plan(workload: str, step: int, optimizer_tours: int, rounds: int) -> None:
    """A child: every problem of the workload planned once, then rounds times more."""
    from voltroute.planner.optimizer import optimize

    if workload == "frvcpy":
        from tests.referee.frvcpy_instances import (
            planning_problem,
            reference_instance,
            reference_routes,
        )

        instance = reference_instance()
        problems = [planning_problem(instance, r.route) for r in reference_routes()[::step]]
    else:
        from bench.optimizer import instance

        rng = random.Random(561)
        problems = [instance(rng) for _ in range(optimizer_tours)]
    for _ in range(1 + rounds):
        for problem in problems:
            optimize(problem)


if __name__ == "__main__":
    main()
