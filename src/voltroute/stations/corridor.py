"""Stations within a corridor of a route: a grid index and an exact, pruned distance search.

Distance from a station to the route is the minimum over the route's segments of the planar
distance in the segment's local equirectangular frame (x scaled by cos of the segment's start
latitude); segments are tens of metres long, so this is the geodesic distance to well under a
metre. The index never changes that answer, it only avoids computing most of it: the grid finds
stations near chunks of consecutive segments, and a chunk is evaluated exactly only when its
bounding box is nearer than the nearest route vertex found so far.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from voltroute.domain import EARTH_RADIUS_M, LatLon
from voltroute.stations.model import Station

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CELL_DEG = 0.02  # about 2.2 km north-south: a few stations per cell even in cities
CHUNK_SEGMENTS = 16
_M_PER_RAD = EARTH_RADIUS_M


@dataclass(frozen=True, slots=True)
class CorridorHit:
    """A station near one leg: how far, where the nearest route point is, how far along."""

    station_index: int  # into the index's station list
    distance_m: float  # to the route geometry
    distance_from_start_m: float  # along the leg to the nearest route point
    route_point: LatLon  # nearest point on the route geometry
    segment_index: int  # the route segment (shape point i -> i+1) the nearest point is on


class StationIndex:
    """Stations bucketed in a lat/lon grid (dense CSR arrays over the stations' bounding box)."""

    def __init__(self, stations: Sequence[Station], cell_deg: float = CELL_DEG) -> None:
        self.stations = tuple(stations)
        self.cell_deg = cell_deg
        count = len(self.stations)
        self.lat = np.fromiter((s.position.lat for s in self.stations), np.float64, count)
        self.lon = np.fromiter((s.position.lon for s in self.stations), np.float64, count)
        self._build()

    @classmethod
    def from_arrays(
        cls, lat: FloatArray, lon: FloatArray, cell_deg: float = CELL_DEG
    ) -> StationIndex:
        """An index over bare positions (benchmarks, tests); `stations` stays empty."""
        index = cls.__new__(cls)
        index.stations = ()
        index.cell_deg = cell_deg
        index.lat, index.lon = np.asarray(lat, np.float64), np.asarray(lon, np.float64)
        index._build()
        return index

    def __len__(self) -> int:
        return int(self.lat.size)

    def _build(self) -> None:
        if self.lat.size == 0:
            self.lat0 = self.lon0 = 0.0
            self.rows = self.cols = 1
            self.cell_start = np.zeros(2, np.int64)
            self.order = np.zeros(0, np.int64)
            return
        self.lat0 = float(self.lat.min())
        self.lon0 = float(self.lon.min())
        # A grid of more than ~4M cells is mostly empty: coarsen it instead.
        span = max(float(self.lat.max()) - self.lat0, float(self.lon.max()) - self.lon0)
        self.cell_deg = max(self.cell_deg, span / 2000.0)
        row = ((self.lat - self.lat0) / self.cell_deg).astype(np.int64)
        col = ((self.lon - self.lon0) / self.cell_deg).astype(np.int64)
        self.rows, self.cols = int(row.max()) + 1, int(col.max()) + 1
        key = row * self.cols + col
        self.order = np.argsort(key, kind="stable").astype(np.int64)
        counts = np.bincount(key, minlength=self.rows * self.cols)
        self.cell_start = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    def near_boxes(
        self, min_lat: FloatArray, max_lat: FloatArray, min_lon: FloatArray, max_lon: FloatArray
    ) -> tuple[IntArray, IntArray]:
        """(box index, station index) for every station in a grid cell touching each box."""
        if len(self) == 0 or min_lat.size == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        r0 = np.clip(np.floor((min_lat - self.lat0) / self.cell_deg), 0, self.rows - 1)
        r1 = np.clip(np.floor((max_lat - self.lat0) / self.cell_deg), -1, self.rows - 1)
        c0 = np.clip(np.floor((min_lon - self.lon0) / self.cell_deg), 0, self.cols - 1)
        c1 = np.clip(np.floor((max_lon - self.lon0) / self.cell_deg), -1, self.cols - 1)
        # Rows of cells: each (box, row) pair covers the contiguous key range c0..c1.
        n_rows = np.maximum(r1 - r0 + 1, 0).astype(np.int64)
        box = np.repeat(np.arange(min_lat.size, dtype=np.int64), n_rows)
        row = r0.astype(np.int64)[box] + _ranks(n_rows)
        first = self.cell_start[row * self.cols + c0.astype(np.int64)[box]]
        last = self.cell_start[row * self.cols + c1.astype(np.int64)[box] + 1]
        valid = c1[box] >= c0[box]
        first, last, box = first[valid], last[valid], box[valid]
        lengths = last - first
        pair_box = np.repeat(box, lengths)
        slot = np.repeat(first, lengths) + _ranks(lengths)
        return pair_box, self.order[slot]


def corridor_search(
    index: StationIndex, shape: Sequence[LatLon], corridor_m: float
) -> list[CorridorHit]:
    """Every indexed station within corridor_m of the polyline, nearest route point included."""
    if len(shape) < 2 or len(index) == 0:
        return []
    lat = np.fromiter((p.lat for p in shape), np.float64, len(shape))
    lon = np.fromiter((p.lon for p in shape), np.float64, len(shape))
    return corridor_search_arrays(index, lat, lon, corridor_m)


def corridor_search_arrays(
    index: StationIndex, lat: FloatArray, lon: FloatArray, corridor_m: float
) -> list[CorridorHit]:
    """corridor_search on bare arrays of shape latitudes and longitudes (degrees)."""
    n_seg = lat.size - 1
    cos_a = np.cos(np.radians(lat[:-1]))
    cumulative_m = np.concatenate(([0.0], np.cumsum(_segment_lengths_m(lat, lon, cos_a))))
    n_chunks = -(-n_seg // CHUNK_SEGMENTS)
    # Segment ids per chunk, the last chunk padded with its last segment (harmless duplicate).
    seg_of = np.minimum(
        np.arange(n_chunks * CHUNK_SEGMENTS).reshape(n_chunks, CHUNK_SEGMENTS), n_seg - 1
    )
    vertex_of = np.concatenate((seg_of, seg_of[:, -1:] + 1), axis=1)
    chunk_lat, chunk_lon = lat[vertex_of], lon[vertex_of]
    min_lat, max_lat = chunk_lat.min(axis=1), chunk_lat.max(axis=1)
    min_lon, max_lon = chunk_lon.min(axis=1), chunk_lon.max(axis=1)
    # Every segment of a chunk measures x with cos(start lat) >= this, so boxes stay conservative.
    lowest_cos = np.cos(np.radians(np.maximum(np.abs(min_lat), np.abs(max_lat))))
    pad_lat = math.degrees(corridor_m / _M_PER_RAD)
    pad_lon = np.degrees(corridor_m / (_M_PER_RAD * np.maximum(lowest_cos, 1e-9)))
    chunk, station = index.near_boxes(
        min_lat - pad_lat, max_lat + pad_lat, min_lon - pad_lon, max_lon + pad_lon
    )
    if chunk.size == 0:
        return []
    s_lat, s_lon = index.lat[station], index.lon[station]
    # Lower bound: distance to the chunk's box. Upper bound: distance to its middle vertex.
    out_lat = np.maximum(np.maximum(min_lat[chunk] - s_lat, s_lat - max_lat[chunk]), 0.0)
    out_lon = np.maximum(np.maximum(min_lon[chunk] - s_lon, s_lon - max_lon[chunk]), 0.0)
    lower_m = _M_PER_RAD * np.hypot(np.radians(out_lat), np.radians(out_lon) * lowest_cos[chunk])
    mid = seg_of[chunk, CHUNK_SEGMENTS // 2]
    upper_m = _M_PER_RAD * np.hypot(
        np.radians(s_lat - lat[mid]), np.radians(s_lon - lon[mid]) * cos_a[mid]
    )
    best_upper = np.full(len(index), np.inf)
    np.minimum.at(best_upper, station, upper_m)
    keep = lower_m <= np.minimum(best_upper[station], corridor_m)
    chunk, station = chunk[keep], station[keep]
    if chunk.size == 0:
        return []
    # Exact stage: every segment of every surviving (station, chunk) pair, as a matrix.
    segs = seg_of[chunk]  # (pairs, CHUNK_SEGMENTS)
    distance_m, t = _point_segment_m(
        index.lat[station][:, None], index.lon[station][:, None], lat, lon, cos_a, segs
    )
    best_col = np.argmin(distance_m, axis=1)
    rows = np.arange(segs.shape[0])
    pair_m = distance_m[rows, best_col]
    pair_seg, pair_t = segs[rows, best_col], t[rows, best_col]
    # Per station, the pair with the smallest distance (ties: the earliest segment).
    order = np.lexsort((pair_seg, pair_m, station))
    station_sorted = station[order]
    first = np.ones(order.size, bool)
    first[1:] = station_sorted[1:] != station_sorted[:-1]
    pick = order[first]
    hits = []
    for p in pick[pair_m[pick] <= corridor_m]:
        seg, frac = int(pair_seg[p]), float(pair_t[p])
        route_lat = lat[seg] + frac * (lat[seg + 1] - lat[seg])
        route_lon = lon[seg] + frac * (lon[seg + 1] - lon[seg])
        hits.append(
            CorridorHit(
                station_index=int(station[p]),
                distance_m=float(pair_m[p]),
                distance_from_start_m=float(
                    cumulative_m[seg] + frac * (cumulative_m[seg + 1] - cumulative_m[seg])
                ),
                route_point=LatLon(float(route_lat), float(route_lon)),
                segment_index=seg,
            )
        )
    hits.sort(key=lambda h: (h.distance_from_start_m, h.station_index))
    return hits


def route_distance_m(lat: float, lon: float, shape: Sequence[LatLon]) -> float:
    """The corridor metric, brute force: distance from a point to the polyline (for checks)."""
    if len(shape) < 2:
        raise ValueError("a route needs at least two points")
    r_lat = np.array([p.lat for p in shape])
    r_lon = np.array([p.lon for p in shape])
    cos_a = np.cos(np.radians(r_lat[:-1]))
    segs = np.arange(len(shape) - 1)[None, :]
    distance_m, _ = _point_segment_m(
        np.array([[lat]]), np.array([[lon]]), r_lat, r_lon, cos_a, segs
    )
    return float(distance_m.min())


def _point_segment_m(
    p_lat: FloatArray,
    p_lon: FloatArray,
    lat: FloatArray,
    lon: FloatArray,
    cos_a: FloatArray,
    segs: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """Distance (m) and position t in 0..1 along segment, from points to segments (broadcast)."""
    a_lat, a_lon, c = lat[segs], lon[segs], cos_a[segs]
    dx = np.radians(lon[segs + 1] - a_lon) * c
    dy = np.radians(lat[segs + 1] - a_lat)
    px = np.radians(p_lon - a_lon) * c
    py = np.radians(p_lat - a_lat)
    length2 = dx * dx + dy * dy
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(length2 > 0, (px * dx + py * dy) / length2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    distance_m = _M_PER_RAD * np.hypot(px - t * dx, py - t * dy)
    return distance_m, t


def _segment_lengths_m(lat: FloatArray, lon: FloatArray, cos_a: FloatArray) -> FloatArray:
    dy = np.radians(np.diff(lat))
    dx = np.radians(np.diff(lon)) * cos_a
    lengths: FloatArray = _M_PER_RAD * np.hypot(dx, dy)
    return lengths


def _ranks(lengths: IntArray) -> IntArray:
    """0..n-1 for each run: _ranks([2, 3]) == [0, 1, 0, 1, 2]."""
    total = int(lengths.sum())
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    ranks: IntArray = np.arange(total, dtype=np.int64) - starts
    return ranks
