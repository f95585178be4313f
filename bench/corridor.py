"""Corridor search benchmark: a 500 km route against 150,000 stations.

SYNTHETIC DATA: station positions are uniform random over Germany's bounding box and the route
is a random walk with a point every 100 m; neither is real. Fixed seed. Run:
    uv run python bench/corridor.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from voltroute.domain import LatLon
from voltroute.stations.corridor import StationIndex, corridor_search_arrays, route_distance_m

SEED = 20261122
STATIONS = 150_000
ROUTE_KM = 500.0
POINT_SPACING_M = 100.0
CORRIDOR_M = 8000.0
GERMANY_BBOX = (47.3, 5.9, 55.0, 15.0)  # min lat, min lon, max lat, max lon


def synthetic_route(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A wandering 500 km line from Hamburg towards Munich (synthetic)."""
    steps = int(ROUTE_KM * 1000 / POINT_SPACING_M)
    heading = np.radians(165.0) + np.cumsum(rng.normal(0.0, 0.02, steps))
    lat = 53.55 + np.concatenate(([0.0], np.cumsum(np.cos(heading)))) * POINT_SPACING_M / 111_195
    lon = 10.0 + np.concatenate(([0.0], np.cumsum(np.sin(heading) * POINT_SPACING_M))) / (
        111_195 * np.cos(np.radians(lat))
    )
    return lat, lon


def main() -> None:
    rng = np.random.default_rng(SEED)
    min_lat, min_lon, max_lat, max_lon = GERMANY_BBOX
    s_lat = rng.uniform(min_lat, max_lat, STATIONS)
    s_lon = rng.uniform(min_lon, max_lon, STATIONS)
    started = time.perf_counter()
    index = StationIndex.from_arrays(s_lat, s_lon)
    build_ms = (time.perf_counter() - started) * 1000
    r_lat, r_lon = synthetic_route(rng)
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        hits = corridor_search_arrays(index, r_lat, r_lon, CORRIDOR_M)
        timings.append((time.perf_counter() - started) * 1000)
    median_ms = statistics.median(timings)
    # Brute force on a sample of stations, timed and extrapolated to all of them.
    shape = [LatLon(a, b) for a, b in zip(r_lat, r_lon, strict=True)]
    sample = rng.choice(STATIONS, 200, replace=False)
    started = time.perf_counter()
    brute = {int(i) for i in sample if route_distance_m(s_lat[i], s_lon[i], shape) <= CORRIDOR_M}
    brute_ms = (time.perf_counter() - started) * 1000 * STATIONS / sample.size
    found = {h.station_index for h in hits} & {int(i) for i in sample}
    print(f"synthetic: {STATIONS} stations, {ROUTE_KM:.0f} km route, {r_lat.size} points")
    print(f"index build {build_ms:.0f} ms; corridor {CORRIDOR_M:.0f} m: {len(hits)} stations")
    print(f"corridor query median {median_ms:.1f} ms (min {min(timings):.1f}, target < 50)")
    print(
        f"brute force (extrapolated from {sample.size}) {brute_ms:.0f} ms: "
        f"{brute_ms / median_ms:.0f}x slower; sample agrees: {found == brute}"
    )


if __name__ == "__main__":
    main()
