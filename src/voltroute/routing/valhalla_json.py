"""Valhalla request JSON and response parsing, pure functions shared by both adapters."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from voltroute.domain import LatLon
from voltroute.routing.edge_alignment import EdgeSpan, TracedEdge
from voltroute.routing.route import Edge, Maneuver, ShapePoint, TravelCost, TruckProfile

Json = dict[str, Any]

UNITS: Final = "kilometers"
LANGUAGE: Final = "en-US"
KM_TO_M: Final = 1000.0

TRACE_ATTRIBUTES: Final = (
    "edge.length",
    "edge.speed",
    "edge.road_class",
    "edge.names",
    "edge.way_id",
    "edge.toll",
    "edge.use",
    "edge.begin_shape_index",
    "edge.end_shape_index",
    "node.elapsed_time",
    "node.admin_index",
    "admin.country_code",
    "shape",
)

# Road numbers as OSM writes them: "A 5", "B 37", "L 600a", "K 4141", "E 35", Bavarian "St 2240",
# Dutch "N279". Street names never start with one to three capitals followed by a bare number.
_ROAD_NUMBER: Final = re.compile(r"^(?:[A-Z]{1,3}|St) ?\d{1,5}[a-z]?$")


def truck_costing(truck: TruckProfile) -> Json:
    """Valhalla truck costing options (tonnes and metres) for a truck profile."""
    options: Json = {
        "weight": round(truck.gross_mass_kg / 1000.0, 3),
        "axle_count": truck.axle_count,
        "height": truck.height_m,
        "width": truck.width_m,
        "length": truck.length_m,
        "top_speed": truck.top_speed_kph,
        "hazmat": truck.hazmat,
    }
    if truck.axle_load_kg is not None:
        options["axle_load"] = round(truck.axle_load_kg / 1000.0, 3)
    return options


def _costing(truck: TruckProfile) -> Json:
    return {"costing": "truck", "costing_options": {"truck": truck_costing(truck)}}


def _directions() -> Json:
    return {"units": UNITS, "language": LANGUAGE}


def route_request(locations: Sequence[LatLon], truck: TruckProfile) -> Json:
    """/route request: fastest truck route through the locations, English narrative, km."""
    return {
        "locations": [{"lat": p.lat, "lon": p.lon, "type": "break"} for p in locations],
        **_costing(truck),
        "directions_options": _directions(),
    }


def trace_route_request(shape: Sequence[LatLon], truck: TruckProfile) -> Json:
    """/trace_route request: map-match a free geometry (map_snap) and narrate it."""
    return {
        "shape": [{"lat": p.lat, "lon": p.lon} for p in shape],
        "shape_match": "map_snap",
        **_costing(truck),
        "directions_options": _directions(),
    }


def trace_attributes_request(
    encoded_shape6: str, truck: TruckProfile, shape_match: str = "edge_walk"
) -> Json:
    """/trace_attributes request: walk a Valhalla-made shape edge by edge (edge_walk), or
    map-match it (map_snap) where the walk fails; the shape lies on the roads, so the matcher
    is told to trust it to the metre."""
    request: Json = {
        "encoded_polyline": encoded_shape6,
        "shape_match": shape_match,
        **_costing(truck),
        "units": UNITS,
        "filters": {"attributes": list(TRACE_ATTRIBUTES), "action": "include"},
    }
    if shape_match != "edge_walk":
        request["trace_options"] = {"gps_accuracy": 1.0, "search_radius": 10.0}
    return request


def height_request(encoded_shape6: str) -> Json:
    """/height request: elevation at every shape point (no cumulative range)."""
    return {"encoded_polyline": encoded_shape6, "range": False}


def heights_request(points: Sequence[LatLon]) -> Json:
    """/height request: elevation at each of some points."""
    return {"shape": [{"lat": p.lat, "lon": p.lon} for p in points], "range": False}


def matrix_request(
    sources: Sequence[LatLon], targets: Sequence[LatLon], truck: TruckProfile
) -> Json:
    """/sources_to_targets request: truck time and distance from every source to every target."""
    return {
        "sources": [{"lat": p.lat, "lon": p.lon} for p in sources],
        "targets": [{"lat": p.lat, "lon": p.lon} for p in targets],
        **_costing(truck),
        "units": UNITS,
    }


def parse_matrix(
    answer: Mapping[str, Any], source_count: int, target_count: int
) -> list[list[TravelCost | None]]:
    """Rows per source, a cost per target; None where no truck path joins them."""
    rows = answer["sources_to_targets"]
    if len(rows) != source_count:
        raise ValueError(f"the matrix has {len(rows)} rows for {source_count} sources")
    out: list[list[TravelCost | None]] = []
    for row in rows:
        if len(row) != target_count:
            raise ValueError(f"a matrix row has {len(row)} cells for {target_count} targets")
        cells: list[TravelCost | None] = [None] * target_count
        for cell in row:
            distance, time = cell.get("distance"), cell.get("time")
            if distance is None or time is None:
                continue
            cells[int(cell["to_index"])] = TravelCost(float(distance) * KM_TO_M, float(time))
        out.append(cells)
    return out


def locate_request(position: LatLon, truck: TruckProfile) -> Json:
    """/locate request: which truck-usable edges lie near a position."""
    return {"locations": [{"lat": position.lat, "lon": position.lon}], **_costing(truck)}


def decode_polyline6(encoded: str) -> list[tuple[float, float]]:
    """Decode Google's polyline algorithm at precision 6 (Valhalla's shape) into (lat, lon)."""
    points: list[tuple[float, float]] = []
    index, lat, lon = 0, 0, 0
    while index < len(encoded):
        deltas = []
        for _ in range(2):
            shift, result = 0, 0
            while True:
                byte = ord(encoded[index]) - 63
                index += 1
                result |= (byte & 0x1F) << shift
                shift += 5
                if byte < 0x20:
                    break
            deltas.append(~(result >> 1) if result & 1 else result >> 1)
        lat += deltas[0]
        lon += deltas[1]
        points.append((lat / 1e6, lon / 1e6))
    return points


def encode_polyline6(points: Sequence[tuple[float, float]]) -> str:
    """Encode (lat, lon) points with Google's polyline algorithm at precision 6."""
    out: list[str] = []
    last_lat, last_lon = 0, 0
    for lat_deg, lon_deg in points:
        lat, lon = round(lat_deg * 1e6), round(lon_deg * 1e6)
        for delta in (lat - last_lat, lon - last_lon):
            value = ~(delta << 1) if delta < 0 else delta << 1
            while value >= 0x20:
                out.append(chr((0x20 | (value & 0x1F)) + 63))
                value >>= 5
            out.append(chr(value + 63))
        last_lat, last_lon = lat, lon
    return "".join(out)


def first_leg(response: Mapping[str, Any]) -> Json:
    """The single leg of a /route or /trace_route answer."""
    legs = response["trip"]["legs"]
    if len(legs) != 1:
        raise ValueError(f"expected one leg, Valhalla returned {len(legs)}")
    leg: Json = legs[0]
    return leg


def leg_length_m(leg: Mapping[str, Any]) -> float:
    """Leg length in metres from a leg summary (kilometres)."""
    return float(leg["summary"]["length"]) * KM_TO_M


def leg_duration_s(leg: Mapping[str, Any]) -> float:
    """Leg duration in seconds from a leg summary."""
    return float(leg["summary"]["time"])


def parse_maneuvers(leg: Mapping[str, Any]) -> tuple[Maneuver, ...]:
    """Turn-by-turn manoeuvres of a leg (lengths in metres)."""
    maneuvers = []
    for m in leg.get("maneuvers", []):
        sign = m.get("sign", {})
        maneuvers.append(
            Maneuver(
                type=int(m["type"]),
                instruction=str(m.get("instruction", "")),
                length_m=float(m.get("length", 0.0)) * KM_TO_M,
                duration_s=float(m.get("time", 0.0)),
                begin_shape_index=int(m["begin_shape_index"]),
                end_shape_index=int(m["end_shape_index"]),
                street_names=tuple(m.get("street_names", ())),
                bearing_before=m.get("bearing_before"),
                bearing_after=m.get("bearing_after"),
                roundabout_exit_count=m.get("roundabout_exit_count"),
                exit_numbers=_sign_texts(sign, "exit_number_elements"),
                exit_branches=_sign_texts(sign, "exit_branch_elements"),
                exit_towards=_sign_texts(sign, "exit_toward_elements"),
            )
        )
    return tuple(maneuvers)


def _sign_texts(sign: Mapping[str, Any], key: str) -> tuple[str, ...]:
    texts = (str(e.get("text", "")).strip() for e in sign.get(key, ()))
    return tuple(t for t in texts if t)


def split_names(names: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split Valhalla's edge names into (street names, road numbers such as "A 5")."""
    streets = tuple(n for n in names if not _ROAD_NUMBER.match(n))
    refs = tuple(n for n in names if _ROAD_NUMBER.match(n))
    return streets, refs


def parse_heights(response: Mapping[str, Any], point_count: int) -> list[float | None]:
    """Elevations in metres per shape point; None where the region has no elevation data."""
    heights = list(response.get("height", []))
    if len(heights) != point_count:
        raise ValueError(f"height returned {len(heights)} values for {point_count} shape points")
    return [None if h is None else float(h) for h in heights]


def build_shape(
    points: Sequence[tuple[float, float]], heights: Sequence[float | None]
) -> tuple[ShapePoint, ...]:
    """Shape points with elevation; missing elevation becomes 0 m (and grade 0 on its edges)."""
    return tuple(
        ShapePoint(lat=lat, lon=lon, elevation_m=0.0 if h is None else h)
        for (lat, lon), h in zip(points, heights, strict=True)
    )


def trace_points(trace: Mapping[str, Any]) -> list[tuple[float, float]]:
    """The shape a trace_attributes answer walked, as (lat, lon)."""
    return decode_polyline6(str(trace.get("shape", "")))


def traced_edges(trace: Mapping[str, Any], leg_duration_s: float) -> list[TracedEdge]:
    """Each edge of a trace_attributes answer: its span on the traced shape, length and time.

    Durations are differences of Valhalla's elapsed time at each edge's end node; edges without
    it fall back to length / speed, scaled to the leg's time.
    """
    raw_edges = list(trace.get("edges", []))
    elapsed = [e.get("end_node", {}).get("elapsed_time") for e in raw_edges]
    durations = _durations_s(raw_edges, elapsed, leg_duration_s)
    return [
        TracedEdge(
            begin_trace_index=int(e["begin_shape_index"]),
            end_trace_index=int(e["end_shape_index"]),
            length_m=float(e["length"]) * KM_TO_M,
            duration_s=duration_s,
        )
        for e, duration_s in zip(raw_edges, durations, strict=True)
    ]


def parse_edges(
    trace: Mapping[str, Any], heights: Sequence[float | None], spans: Sequence[EdgeSpan]
) -> tuple[Edge, ...]:
    """The leg's edges: attributes from a trace_attributes answer, placed by `spans` on the
    route's shape (see edge_alignment), elevations from the shape's heights."""
    admins = [a.get("country_code") for a in trace.get("admins", [])]
    raw_edges = list(trace.get("edges", []))
    edges = []
    for span in spans:
        e = raw_edges[span.traced]
        begin, end = span.begin_shape_index, span.end_shape_index
        start_m, end_m = _edge_elevations(heights, begin, end)
        names, refs = split_names(e.get("names", ()))
        admin_index = e.get("end_node", {}).get("admin_index")
        known = admin_index is not None and 0 <= admin_index < len(admins)
        country = admins[admin_index] if known else None
        edges.append(
            Edge(
                length_m=span.length_m,
                duration_s=span.duration_s,
                speed_kph=float(e.get("speed", 0.0)),
                road_class=str(e.get("road_class", "service_other")),
                elevation_start_m=start_m,
                elevation_end_m=end_m,
                names=names,
                refs=refs,
                toll=bool(e.get("toll", False)),
                way_id=int(e.get("way_id", 0)),
                # Valhalla writes the string "None" when the admin database had no country there.
                country_code=country if country and country != "None" else None,
                begin_shape_index=begin,
                end_shape_index=end,
                use=str(e.get("use", "road")),
            )
        )
    return tuple(edges)


def _durations_s(
    raw_edges: Sequence[Mapping[str, Any]], elapsed: Sequence[Any], leg_duration_s: float
) -> list[float]:
    if raw_edges and all(t is not None for t in elapsed):
        times = [0.0, *(float(t) for t in elapsed)]
        return [round(max(0.0, b - a), 3) for a, b in itertools.pairwise(times)]
    naive = [
        float(e["length"]) / float(e["speed"]) * 3600.0 if e.get("speed") else 0.0
        for e in raw_edges
    ]
    total = sum(naive)
    scale = leg_duration_s / total if total > 0 else 0.0
    return [t * scale for t in naive]


def _edge_elevations(heights: Sequence[float | None], begin: int, end: int) -> tuple[float, float]:
    start = heights[begin] if 0 <= begin < len(heights) else None
    stop = heights[end] if 0 <= end < len(heights) else None
    if start is None or stop is None:
        # Half-known elevation would invent a grade; flat is the honest default.
        known = start if start is not None else stop
        level = 0.0 if known is None else known
        return level, level
    return start, stop
