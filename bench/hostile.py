"""What a hostile tenant's absurd jobs cost everyone else, against a real `voltroute serve`.

Starts `voltroute serve` (API + one worker with its planning threads, embedded SQLite and
Valhalla) on the cached Heidelberg region twice, each time with two tenants:

- baseline: the normal tenant submits N demo tours (tests/contract_schema.py demo_tour()) from
  C concurrent clients and polls each to its result; nothing else runs;
- hostile: the same, while the hostile tenant first submits 4 absurd jobs, the most expensive
  requests the door still accepts: two of 200 sections over 14 days across the region (time
  windows, the widest corridor, every corridor station listed) and two of as many polylines
  at the point bound (10,000) as a body under 2 MB holds (each polyline is map-matched).

In both runs /health is sampled every 50 ms. Printed: /health p50/p95, the normal tenant's
POST-to-result p50/p95 and the hostile/baseline ratios (both measured in this run), what became
of the absurd jobs, the worker's peak memory, and how long a cancel of a running absurd job
takes to end it.

    .venv/bin/python bench/hostile.py --normal 200 --concurrency 4
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.contract_schema import demo_tour  # noqa: E402
from tests.e2e.processes import FINAL_STATUSES, Server, child_pids  # noqa: E402

from voltroute import bounds  # noqa: E402
from voltroute.composition import Backend  # noqa: E402
from voltroute.config import Settings  # noqa: E402
from voltroute.domain import LatLon  # noqa: E402
from voltroute.planning.pipeline import truck_profile  # noqa: E402
from voltroute.regions import Region, ensure_region  # noqa: E402
from voltroute.routing.embedded import EmbeddedValhallaRouter  # noqa: E402
from voltroute.routing.flexpolyline import encode_latlon  # noqa: E402
from voltroute.stations.sources import seed_region_stations  # noqa: E402
from voltroute.vehicles import Catalogue  # noqa: E402

SHARED_DATA = REPO.parent / "shared" / "data"
POLL_INTERVAL_S = 0.02
HEALTH_INTERVAL_S = 0.05
# Far apart on the demo region's connected road network (the extract is clipped elsewhere).
CORNERS = [(49.35, 8.45), (49.35, 9.05), (49.50, 9.05), (49.35, 8.55)]
ABSURD_PATH = "/planner/v2?corridor=20000"  # the widest corridor the contract allows
MAX_BODY_BYTES = 2_000_000  # VOLTROUTE_MAX_REQUEST_BYTES' default


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def absurd_sections_tour() -> dict[str, Any]:
    """200 sections zigzagging across the region, stops filling the 14 days the door allows."""
    sections = []
    count = bounds.MAX_SECTIONS_PER_TOUR
    for index in range(count):
        start, stop = CORNERS[index % 4], CORNERS[(index + 1) % 4]
        sections.append(
            {
                "section_id": f"s{index:03d}-".ljust(bounds.MAX_ID_CHARS, "x"),
                "start_pos": list(start),
                "stop_pos": list(stop),
                "payload_kg": 20_000,
                "service_time_min": 60,
                "opening_time": ["22:00:00", "06:00:00"] if index % 2 else ["08:00:00", "09:00:00"],
            }
        )
    return {
        "vehicle_id": "010160700001",
        "battery_level_start": 0.3,
        "battery_level_end": 0.8,
        "start_time_tour": "08:00:00",
        "include_available_charging_stations": True,
        "poi_info": {},
        "section_list": sections,
    }


def absurd_polyline_tour(region: Region) -> dict[str, Any]:
    """Polylines of real roads at the point bound, as many as the body limit holds: each one is
    map-matched in one engine call."""
    router = EmbeddedValhallaRouter(region.valhalla_config_path())
    truck = truck_profile(Catalogue().resolve("010160700001"), 20_000)
    loop: list[tuple[float, float]] = []
    for index in range(4):
        leg = router.route(LatLon(*CORNERS[index]), LatLon(*CORNERS[(index + 1) % 4]), truck)
        loop += [(point.lat, point.lon) for point in leg.shape]
    points = (loop * (bounds.MAX_POLYLINE_POINTS // len(loop) + 1))[: bounds.MAX_POLYLINE_POINTS]
    polyline = encode_latlon(points)
    count = min(bounds.MAX_SECTIONS_PER_TOUR, (MAX_BODY_BYTES - 1_000) // (len(polyline) + 60))
    return {
        "vehicle_id": "010160700001",
        "battery_level_start": 0.8,
        "poi_info": {},
        "section_list": [
            {"section_id": f"p{index}", "polyline": polyline, "payload_kg": 20_000}
            for index in range(count)
        ],
    }


@dataclass
class Figures:
    """What one run measured."""

    normal_s: list[float] = field(default_factory=list)
    health_s: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    absurd: list[str] = field(default_factory=list)  # one line per absurd job
    worker_peak_mb: float = 0.0
    cancel_s: list[tuple[str, float]] = field(default_factory=list)


async def one_tour(client: httpx.AsyncClient, body: dict[str, Any]) -> tuple[float, str]:
    started = time.perf_counter()
    submitted = await client.post("/planner/v2", json=body)
    if submitted.status_code != 202:
        return time.perf_counter() - started, f"http {submitted.status_code}"
    job_id = submitted.json()["job_id"]
    while True:
        job = (await client.get(f"/planner/jobs/{job_id}")).json()
        if job["status"] in FINAL_STATUSES:
            break
        await asyncio.sleep(POLL_INTERVAL_S)
    await client.get(f"/planner/optimizations/{job['optimization_id']}/result")
    return time.perf_counter() - started, job["status"]


async def sample_health(base_url: str, stop: asyncio.Event, into: list[float]) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        while not stop.is_set():
            started = time.perf_counter()
            response = await client.get("/health")
            response.raise_for_status()
            into.append(time.perf_counter() - started)
            await asyncio.sleep(HEALTH_INTERVAL_S)


async def load(
    server: Server,
    tokens: dict[str, str],
    absurd: list[dict[str, Any]],
    runs: int,
    concurrency: int,
    figures: Figures,
) -> list[str]:
    """The normal tenant's tours (after the absurd ones are submitted); the absurd job ids."""

    def client(token: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=server.base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=300,
            limits=httpx.Limits(max_connections=concurrency * 2),
        )

    normal, hostile = client(tokens["normal"]), client(tokens["hostile"])
    stop = asyncio.Event()
    try:
        for _ in range(3):
            await one_tour(normal, demo_tour())  # warm the worker's threads
        sampler = asyncio.create_task(sample_health(server.base_url, stop, figures.health_s))
        absurd_ids = []
        for body in absurd:
            response = await hostile.post(ABSURD_PATH, json=body)
            assert response.status_code == 202, response.text[:500]
            absurd_ids.append(response.json()["job_id"])
        gate = asyncio.Semaphore(concurrency)

        async def bounded() -> float:
            async with gate:
                seconds, status = await one_tour(normal, demo_tour())
                figures.statuses[status] = figures.statuses.get(status, 0) + 1
                return seconds

        figures.normal_s = list(await asyncio.gather(*(bounded() for _ in range(runs))))
        stop.set()
        await sampler
        return absurd_ids
    finally:
        stop.set()
        await normal.aclose()
        await hostile.aclose()


def tenant_tokens(server: Server) -> tuple[Backend, dict[str, str]]:
    backend = Backend(Settings(data_dir=server.data_dir))
    tokens = {
        name: backend.tenants.create_token(name, "dispatcher")[0] for name in ("normal", "hostile")
    }
    return backend, tokens


def wait_final(server: Server, job_id: str, token: str, timeout_s: float = 600) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = dict(httpx.get(f"{server.base_url}/planner/jobs/{job_id}", headers=headers).json())
        if job["status"] in FINAL_STATUSES:
            return job
        time.sleep(POLL_INTERVAL_S)
    raise TimeoutError(f"job {job_id} not final after {timeout_s} s")


def describe_absurd(backend: Backend, server: Server, job_id: str, token: str, kind: str) -> str:
    wait_final(server, job_id, token)
    job = backend.store.get(job_id)
    assert job is not None
    assert job.started_at is not None
    assert job.finished_at is not None
    ran_s = (job.finished_at - job.started_at).total_seconds()
    reason = f" ({job.error[:120]})" if job.error else ""
    return f"{kind}: {job.status} after {ran_s:.1f} s of planning{reason}"


def worker_peak_mb(server: Server) -> float:
    """VmHWM of the worker process `serve` started."""
    peak_kb = 0
    for pid in child_pids(server.apis[0].popen.pid, "worker"):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak_kb = max(peak_kb, int(line.split()[1]))
    return peak_kb / 1024


def cancel_latency(
    server: Server, token: str, body: dict[str, Any], after_s: float
) -> tuple[str, float]:
    """Seconds from the cancel POST to the job's final state, canceled after_s into its run."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as client:
        job_id = client.post(ABSURD_PATH, json=body).json()["job_id"]
        while client.get(f"/planner/jobs/{job_id}").json()["status"] == "queued":
            time.sleep(POLL_INTERVAL_S)
        time.sleep(after_s)
        started = time.perf_counter()
        client.post(f"/planner/jobs/{job_id}/cancel")
        status = wait_final(server, job_id, token)["status"]
        return status, time.perf_counter() - started


def run(
    region: Region,
    absurd: list[tuple[str, dict[str, Any]]],
    args: argparse.Namespace,
    data_dir: Path,
) -> Figures:
    env = {
        "VOLTROUTE_REGION_DIR": str(region.path),
        "VOLTROUTE_REGION_SOURCE": str(SHARED_DATA / "osm" / "heidelberg.osm.pbf"),
        "VOLTROUTE_RATE_LIMIT_PER_MIN": "100000",  # the clients poll far faster than people
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    server = Server(data_dir, env, with_worker=True)
    figures = Figures()
    try:
        backend, tokens = tenant_tokens(server)
        bodies = [body for _, body in absurd]
        ids = asyncio.run(load(server, tokens, bodies, args.normal, args.concurrency, figures))
        for job_id, (kind, _) in zip(ids, absurd, strict=True):
            figures.absurd.append(describe_absurd(backend, server, job_id, tokens["hostile"], kind))
        if absurd:
            for kind, body in absurd[:2]:  # one of each kind, early and late in its run
                for after_s in (0.5, 2.5):
                    status, seconds = cancel_latency(server, tokens["hostile"], body, after_s)
                    figures.cancel_s.append((f"{kind}, {after_s} s in: {status}", seconds))
        figures.worker_peak_mb = worker_peak_mb(server)
    finally:
        server.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--normal", type=int, default=200, help="normal tours per run")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--data-dir", type=Path, help="keep logs here")
    args = parser.parse_args()

    region = ensure_region(
        SHARED_DATA / "osm" / "heidelberg.osm.pbf",
        REPO / ".cache" / "regions" / "heidelberg",
        replace=True,
    )
    seed_region_stations(region.path, region.name)
    sections, polylines = absurd_sections_tour(), absurd_polyline_tour(region)
    polyline_kind = (
        f"{len(polylines['section_list'])} polylines of {bounds.MAX_POLYLINE_POINTS:,} points"
    )
    absurd = [
        ("200 sections, 14 days", sections),
        (polyline_kind, polylines),
        ("200 sections, 14 days", sections),
        (polyline_kind, polylines),
    ]
    with tempfile.TemporaryDirectory() as temp_dir:
        root = args.data_dir or Path(temp_dir)
        baseline = run(region, [], args, root / "baseline")
        hostile = run(region, absurd, args, root / "hostile")

    print(
        f"embedded serve, 1 worker; normal tenant: {args.normal} demo tours, "
        f"{args.concurrency} concurrent clients; hostile tenant: {len(absurd)} absurd jobs"
    )
    print(f"statuses: baseline {baseline.statuses}, hostile {hostile.statuses}")
    for name, figures in (("baseline", baseline), ("hostile ", hostile)):
        p50, p95 = (percentile(figures.normal_s, q) for q in (0.5, 0.95))
        h50, h95 = (percentile(figures.health_s, q) for q in (0.5, 0.95))
        print(
            f"{name}: normal POST-to-result p50 {p50 * 1000:.0f} ms  p95 {p95 * 1000:.0f} ms  |  "
            f"/health p50 {h50 * 1000:.1f} ms  p95 {h95 * 1000:.1f} ms "
            f"({len(figures.health_s)} samples)  |  worker peak {figures.worker_peak_mb:.0f} MB"
        )

    def ratio(hostile_s: list[float], baseline_s: list[float], share: float) -> str:
        return f"{percentile(hostile_s, share) / percentile(baseline_s, share):.2f}x"

    print(
        f"ratio hostile/baseline: normal p95 {ratio(hostile.normal_s, baseline.normal_s, 0.95)}, "
        f"normal p50 {ratio(hostile.normal_s, baseline.normal_s, 0.5)}, "
        f"/health p95 {ratio(hostile.health_s, baseline.health_s, 0.95)}"
    )
    for line in hostile.absurd:
        print(f"absurd job: {line}")
    for what, seconds in hostile.cancel_s:
        print(
            f"cancel of a running absurd job ({what}): ended {seconds * 1000:.0f} ms after the POST"
        )


if __name__ == "__main__":
    main()
