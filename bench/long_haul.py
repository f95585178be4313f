"""Long tours on the long-haul networks, POST to result through a real server and worker.

Two tours: examples/berlin-brandenburg-tour.json (about 400 km in 7 sections, from 45 % SoC) on the
Berlin-Brandenburg network with the full Bundesnetzagentur register (4,514 stations), and
examples/denmark-long-haul-tour.json (Padborg - Frederikshavn - Aarhus - Kolding, 878 km) on the
Denmark network with its scenario overlay. For each, a fresh `voltroute serve` starts, the
first job is timed from its POST (the worker's first plan), then --runs more one after the
other (warm): p50 and p95. The first job is submitted once the server answers and its worker is
ready (warmed up where it warms up at start).

Every warm job changes the payload by a few kilograms, so neither design answers it from the
detours an earlier job cached.

The baseline is the design before the matrix corridor (one full route per candidate detour),
the commit --baseline-ref, served from a git worktree (bench/baseline_checkout.py: its compiled
core built from its own sources when it differs) on a copy of the same region in the same run;
--no-baseline skips it.

    .venv/bin/python bench/long_haul.py --runs 10
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.baseline_checkout import Checkout, check_out, remove  # noqa: E402

SHARED_DATA = Path(os.environ.get("VOLTROUTE_SHARED_DATA", REPO.parent / "shared" / "data"))
BASELINE_REF = "eb8deac"  # the last commit that routed every candidate detour in full
TOKEN = "long-haul-bench-token-0123456789abcdef"
FINAL = {"succeeded", "not_drivable", "failed", "canceled"}
# What a worker logs once it can plan at full speed: this design warms up at start; the
# baseline warms up in its first job and only says it started.
READY_CURRENT = "worker warmed up"
READY_BASELINE = "worker started"
# Makes every Python process started with it on PYTHONPATH (the server and the worker it
# starts) import voltroute from VOLTROUTE_BENCH_SOURCES instead of the installed package.
SITECUSTOMIZE = """import os, sys
_sources = os.environ.get("VOLTROUTE_BENCH_SOURCES")
if _sources:
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__module__]
    sys.path.insert(0, _sources)
"""


@dataclass(frozen=True)
class Design:
    """How to run one version of voltroute, and what its worker logs once it can plan."""

    env: dict[str, str]
    ready_line: str


@dataclass(frozen=True)
class Scenario:
    name: str
    extract: str
    tour: Path
    stations: tuple[tuple[str, Path], ...]  # (format, file)


SCENARIOS = (
    Scenario(
        "berlin-brandenburg",
        "berlin-brandenburg.osm.pbf",
        REPO / "examples" / "berlin-brandenburg-tour.json",
        (("bnetza", SHARED_DATA / "charging" / "bnetza_ladesaeulenregister_berlin_2026.csv"),),
    ),
    Scenario(
        "denmark",
        "denmark.osm.pbf",
        REPO / "examples" / "denmark-long-haul-tour.json",
        (("overlay", REPO / "src" / "voltroute" / "stations" / "data" / "denmark_scenario.json"),),
    ),
)


def build_region(scenario: Scenario, into: Path) -> Path:
    """A region directory with the scenario's stations, built once and kept in .cache/bench."""
    region_dir = into / scenario.name
    if not (region_dir / "manifest.json").is_file():
        command = [
            sys.executable,
            "-m",
            "voltroute",
            "region",
            "build",
            str(SHARED_DATA / "osm" / scenario.extract),
            "--out",
            str(region_dir),
        ]
        for file_format, path in scenario.stations:
            command += ["--stations", f"{file_format}:{path}"]
        subprocess.run(command, check=True, capture_output=True)
    return region_dir


def serve(
    design: Design, region_dir: Path, source: Path, data_dir: Path, port: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **design.env,
        "VOLTROUTE_REGION_DIR": str(region_dir),
        "VOLTROUTE_REGION_SOURCE": str(source),
        "VOLTROUTE_DATA_DIR": str(data_dir),
        "VOLTROUTE_DEMO_TOKEN": TOKEN,
        "VOLTROUTE_RATE_LIMIT_PER_MIN": "100000",
    }
    log = (data_dir / "serve.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "voltroute", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited: {(data_dir / 'serve.log').read_text()[-2000:]}")
        try:
            up = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            up = False
        if up and design.ready_line in (data_dir / "serve.log").read_text(errors="replace"):
            return process
        time.sleep(0.1)
    raise RuntimeError("serve did not come up within 120 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def post_to_result(client: httpx.Client, body: dict[str, object]) -> tuple[float, str]:
    """Seconds from POST to the fetched result, and the job's status with the count of
    candidate stations (poi_list), so that a run that lost its stations shows."""
    started = time.perf_counter()
    submitted = client.post("/planner/v2", json=body)
    submitted.raise_for_status()
    job_id = submitted.json()["job_id"]
    while True:
        job = client.get(f"/planner/jobs/{job_id}").json()
        if job["status"] in FINAL:
            break
        time.sleep(0.01)
    result = client.get(f"/planner/optimizations/{job['optimization_id']}/result")
    result.raise_for_status()
    elapsed = time.perf_counter() - started
    pois = len(result.json().get("poi_list") or [])
    return elapsed, f"{job['status']} with {pois} candidate stations"


def measure(design: Design, region_dir: Path, scenario: Scenario, runs: int) -> dict[str, object]:
    tour = scenario.tour
    body: dict[str, Any] = json.loads(tour.read_text())
    port = _free_port()
    with tempfile.TemporaryDirectory() as data:
        source = SHARED_DATA / "osm" / scenario.extract
        process = serve(design, region_dir, source, Path(data), port)
        try:
            with httpx.Client(
                base_url=f"http://127.0.0.1:{port}",
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=300,
            ) as client:
                first_s, status = post_to_result(client, body)
                # Each warm job carries another payload: another truck to the engine and the
                # detour cache, so that no job is answered from what an earlier one computed.
                warm = [post_to_result(client, _with_payload(body, run))[0] for run in range(runs)]
        finally:
            stop(process)
    return {"status": status, "first_s": first_s, "warm": warm}


def _with_payload(body: dict[str, Any], run: int) -> dict[str, Any]:
    sections = [
        {**section, "payload_kg": section["payload_kg"] + 10 * (run + 1)}
        for section in body["section_list"]
    ]
    return {**body, "section_list": sections}


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _line(label: str, figures: dict[str, object]) -> str:
    warm = figures["warm"]
    assert isinstance(warm, list)
    first = figures["first_s"]
    assert isinstance(first, float)
    return (
        f"  {label:9s} {figures['status']}: first job {first:6.2f} s, warm p50 "
        f"{statistics.median(warm):6.3f} s, p95 {_p95(warm):6.3f} s"
    )


def baseline_design(checkout: Checkout) -> Design:
    """voltroute from the checkout's sources (its own compiled core), server and worker alike."""
    hook = checkout.path.parent / "bench-site"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {"PYTHONPATH": str(hook), "VOLTROUTE_BENCH_SOURCES": str(checkout.sources)}
    return Design(env, READY_BASELINE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="warm jobs per tour and server")
    parser.add_argument("--baseline-ref", default=BASELINE_REF)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--only", choices=[s.name for s in SCENARIOS], action="append")
    args = parser.parse_args()
    cache = REPO / ".cache" / "bench"
    current = Design({}, READY_CURRENT)
    with tempfile.TemporaryDirectory() as temp:
        checkout = None if args.no_baseline else check_out(args.baseline_ref, Path(temp) / "old")
        old = None if checkout is None else baseline_design(checkout)
        try:
            for scenario in SCENARIOS:
                if args.only and scenario.name not in args.only:
                    continue
                region_dir = build_region(scenario, cache)
                sections = len(json.loads(scenario.tour.read_text())["section_list"])
                print(f"{scenario.name}: {scenario.tour.name} ({sections} sections)")
                now = measure(current, region_dir, scenario, args.runs)
                print(_line("current", now))
                if old is not None:
                    # The baseline gets a copy: it rebuilt regions it did not recognise.
                    copy = Path(temp) / f"{scenario.name}-baseline"
                    shutil.copytree(region_dir, copy, dirs_exist_ok=True)
                    before = measure(old, copy, scenario, args.runs)
                    print(_line("baseline", before))
                    now_warm, old_warm = now["warm"], before["warm"]
                    assert isinstance(now_warm, list)
                    assert isinstance(old_warm, list)
                    print(
                        f"  current / baseline: first job "
                        f"{float(now['first_s']) / float(before['first_s']):.2f}, warm p50 "  # type: ignore[arg-type]
                        f"{statistics.median(now_warm) / statistics.median(old_warm):.2f}"
                    )
        finally:
            if checkout is not None:
                remove(checkout.path)


if __name__ == "__main__":
    main()
