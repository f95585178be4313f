"""POST-to-result latency of the demo tour against a real server and worker.

Starts `voltroute serve` (API + worker, embedded SQLite and Valhalla) on the cached Heidelberg
region, submits the demo tour N times from C concurrent clients, polls each job until it ends,
and prints latency percentiles and plans/s. The baseline measured in the same run is the
synchronous planning of the same tour inside one process (routing + energy + planner, no HTTP,
no queue), so the ratio shows what the API and the queue add.

    uv run python bench/latency.py --runs 200 --concurrency 4
    uv run python bench/latency.py --mode distributed --runs 2000 --concurrency 50

--mode distributed runs two API processes (requests alternate between them), two workers,
PostgreSQL and Redis on this machine, and a valhalla_service, as docs/deploy.md describes.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.contract_schema import demo_tour  # noqa: E402
from tests.e2e.processes import (  # noqa: E402
    FINAL_STATUSES,
    DistributedResources,
    Server,
    VoltrouteProcess,
    free_port,
    wait_until,
)

from voltroute.api.schemas import PlannerRequest  # noqa: E402
from voltroute.api.translate_request import to_tour_request  # noqa: E402
from voltroute.planning.pipeline import PlanningServices, plan_request  # noqa: E402
from voltroute.regions import Region, ensure_region  # noqa: E402
from voltroute.routing.embedded import EmbeddedValhallaRouter  # noqa: E402
from voltroute.stations import StationCatalogue, StationRegistry  # noqa: E402
from voltroute.stations.sources import seed_region_stations  # noqa: E402
from voltroute.vehicles import Catalogue  # noqa: E402

SHARED_DATA = REPO.parent / "shared" / "data"
POLL_INTERVAL_S = 0.02


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def in_process_baseline(region: Region, runs: int) -> list[float]:
    """Seconds per plan of the demo tour (stations included) without HTTP, database or queue."""
    request, _ = to_tour_request(PlannerRequest.model_validate(demo_tour()), 8000, 0)
    services = PlanningServices(
        EmbeddedValhallaRouter(region.valhalla_config_path()),
        Catalogue(),
        stations=StationCatalogue.load(StationRegistry.in_region(region.path)),
    )
    plan_request(request, services, datetime.now(UTC))  # warm the router
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        plan_request(request, services, datetime.now(UTC))
        timings.append(time.perf_counter() - started)
    return timings


async def one_tour(client: httpx.AsyncClient, body: dict[str, object]) -> tuple[float, str]:
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
    result = await client.get(f"/planner/optimizations/{job['optimization_id']}/result")
    result.raise_for_status()
    return time.perf_counter() - started, job["status"]


async def load(
    server: Server, runs: int, concurrency: int
) -> tuple[list[float], float, dict[str, int]]:
    body = demo_tour()
    gate = asyncio.Semaphore(concurrency)
    headers = {"Authorization": f"Bearer {server.token}"}
    statuses: dict[str, int] = {}
    limits = httpx.Limits(max_connections=concurrency * 2)
    clients = [
        httpx.AsyncClient(base_url=url, headers=headers, timeout=120, limits=limits)
        for url in server.base_urls
    ]
    try:
        for client in clients:
            await one_tour(client, body)  # warm the workers' routers

        async def bounded(index: int) -> float:
            async with gate:
                # Tours alternate between the API processes, as behind a load balancer.
                seconds, status = await one_tour(clients[index % len(clients)], body)
                statuses[status] = statuses.get(status, 0) + 1
                return seconds

        started = time.perf_counter()
        latencies = await asyncio.gather(*(bounded(i) for i in range(runs)))
        wall_s = time.perf_counter() - started
    finally:
        for client in clients:
            await client.aclose()
    return list(latencies), wall_s, statuses


def distributed_run(
    data_dir: Path, env: dict[str, str], args: argparse.Namespace
) -> tuple[list[float], float, dict[str, int]]:
    """Two APIs, two workers, PostgreSQL, Redis and a valhalla_service on this machine."""
    resources = DistributedResources()
    port = free_port()
    service = VoltrouteProcess(
        ["routing", "serve", "--port", str(port), "--threads", "2"],
        {**env, "VOLTROUTE_DATA_DIR": str(data_dir)},
        data_dir / "valhalla.log",
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until(
            lambda: httpx.get(f"{url}/status", timeout=2).status_code == 200, "valhalla", service
        )
        server = Server(data_dir, env | resources.env(url), True, api_count=2, worker_count=2)
        try:
            return asyncio.run(load(server, args.runs, args.concurrency))
        finally:
            server.stop()
    finally:
        service.stop()
        resources.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--mode", choices=["embedded", "distributed"], default="embedded")
    parser.add_argument("--data-dir", type=Path, help="keep logs here")
    args = parser.parse_args()

    # The test cache is ours to rebuild when its inputs change (replace=True keeps stations).
    region = ensure_region(
        SHARED_DATA / "osm" / "heidelberg.osm.pbf",
        REPO / ".cache" / "regions" / "heidelberg",
        replace=True,
    )
    seed_region_stations(region.path, region.name)  # as `serve` does: the scenario stations
    baseline = in_process_baseline(region, args.runs)
    with tempfile.TemporaryDirectory() as temp_dir:
        data_dir = args.data_dir or Path(temp_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        env = {
            "VOLTROUTE_REGION_DIR": str(region.path),
            "VOLTROUTE_REGION_SOURCE": str(SHARED_DATA / "osm" / "heidelberg.osm.pbf"),
            "VOLTROUTE_RATE_LIMIT_PER_MIN": "100000",
        }
        if args.mode == "embedded":
            server = Server(data_dir, env, with_worker=True)
            try:
                latencies, wall_s, statuses = asyncio.run(load(server, args.runs, args.concurrency))
            finally:
                server.stop()
        else:
            latencies, wall_s, statuses = distributed_run(data_dir, env, args)

    base_p50 = statistics.median(baseline)
    p50, p90, p99 = (percentile(latencies, q) for q in (0.5, 0.9, 0.99))
    print(
        f"{args.mode} mode, demo tour (3 sections): {args.runs} submissions, "
        f"{args.concurrency} concurrent clients"
    )
    print(f"statuses: {statuses}")
    print(f"baseline (in-process plan, no HTTP/queue): p50 {base_p50 * 1000:.1f} ms")
    print(
        f"POST-to-result latency: p50 {p50 * 1000:.1f} ms  p90 {p90 * 1000:.1f} ms  "
        f"p99 {p99 * 1000:.1f} ms  max {max(latencies) * 1000:.1f} ms"
    )
    print(f"ratio p50 / baseline p50: {p50 / base_p50:.1f}x")
    print(
        f"throughput: {args.runs / wall_s:.1f} plans/s "
        f"(baseline single thread: {1 / base_p50:.1f} plans/s)"
    )
    print("target kept for later issues: p50 < 300 ms on this 2-core machine")


if __name__ == "__main__":
    main()
