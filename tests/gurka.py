"""A gurka-style harness: draw a road map as letters on a grid, build real Valhalla tiles from it.

    drawn = build_map('''
        A----B----C
             |    |
             D----E
    ''', grid_m=100, ways={"ABC": {"highway": "motorway"}, "BDEC": {"highway": "residential"}},
    workdir=tmp_path)
    drawn.way_names("A", "C")  # ["ABC"]

Letters (and digits) are nodes, one character is grid_m metres, the grid's top-left character
sits at `origin`. A way is named by the letters it joins in order and gets name=<that string>
unless its tags say otherwise. Modelled on Valhalla's test/gurka/gurka.h.
"""

from __future__ import annotations

import json
import math
import tempfile
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import osmium
import valhalla

from voltroute.domain import EARTH_RADIUS_M
from voltroute.regions import Region, build_region
from voltroute.routing import EmbeddedValhallaRouter

DEFAULT_ORIGIN = (50.0, 10.0)


@dataclass
class GurkaMap:
    """A built test map: the region, node positions by letter, and routing helpers."""

    region: Region
    positions: Mapping[str, tuple[float, float]]
    workdir: Path

    def node(self, letter: str) -> tuple[float, float]:
        """The (lat, lon) of a letter on the map."""
        try:
            return self.positions[letter]
        except KeyError:
            raise KeyError(
                f"no node {letter!r} on the map; nodes: {sorted(self.positions)}"
            ) from None

    @cached_property
    def actor(self) -> valhalla.Actor:
        """A Valhalla Actor on the map's tiles that accepts locations on tiny road networks."""
        config = self.region.valhalla_config()
        # Loki normally refuses to snap to islands of fewer than 50 nodes; every gurka map is one.
        config["loki"]["service_defaults"]["minimum_reachability"] = 0
        config_path = self.workdir / "valhalla-gurka.json"
        config_path.write_text(json.dumps(config), encoding="utf-8")
        return valhalla.Actor(str(config_path))

    def router(self) -> EmbeddedValhallaRouter:
        """The project's own router on the map's tiles, accepting locations on tiny networks."""
        config = self.region.valhalla_config()
        config["loki"]["service_defaults"]["minimum_reachability"] = 0
        return EmbeddedValhallaRouter(config)

    def between(self, a: str, b: str, share: float) -> tuple[float, float]:
        """The point `share` of the way from letter a to letter b (straight, as drawn)."""
        (lat_a, lon_a), (lat_b, lon_b) = self.node(a), self.node(b)
        return lat_a + share * (lat_b - lat_a), lon_a + share * (lon_b - lon_a)

    def location(self, letter: str) -> dict[str, float]:
        lat, lon = self.node(letter)
        return {"lat": lat, "lon": lon}

    def route(self, *letters: str, costing: str = "truck", **options: Any) -> dict[str, Any]:
        """Route through the given letters in order; options go into the request as-is."""
        request = {"locations": [self.location(x) for x in letters], "costing": costing, **options}
        result: dict[str, Any] = self.actor.route(request)
        return result

    def way_names(self, *letters: str, costing: str = "truck", **options: Any) -> list[str]:
        """The names of the ways a route through the letters drives, merged where repeated."""
        trip = self.route(*letters, costing=costing, **options)["trip"]
        names: list[str] = []
        for leg in trip["legs"]:
            attributes = self.actor.trace_attributes(
                {"encoded_polyline": leg["shape"], "shape_match": "edge_walk", "costing": costing}
            )
            for edge in attributes["edges"]:
                name = "/".join(edge.get("names", [])) or "<unnamed>"
                if not names or names[-1] != name:
                    names.append(name)
        return names


def build_map(
    ascii_map: str,
    grid_m: float,
    ways: Mapping[str, Mapping[str, str]],
    nodes: Mapping[str, Mapping[str, str]] | None = None,
    origin: tuple[float, float] = DEFAULT_ORIGIN,
    *,
    workdir: Path | None = None,
    places: Mapping[str, tuple[float, float]] | None = None,
) -> GurkaMap:
    """Turn a letter drawing into an .osm.pbf and a built region (no elevation) in workdir.

    Without a workdir the map goes to a fresh temporary directory that is left behind. `places`
    puts drawn letters at given (lat, lon) instead of their cell: a node on top of another (a
    zero-length edge) or a metre from it (a very short one).
    """
    positions = grid_positions(ascii_map, grid_m, origin)
    for letter, place in (places or {}).items():
        if letter not in positions:
            raise ValueError(f"placed node {letter!r} is not on the map")
        positions[letter] = place
    for letter in nodes or {}:
        if letter not in positions:
            raise ValueError(f"tagged node {letter!r} is not on the map")
    for way in ways:
        missing = [letter for letter in way if letter not in positions]
        if len(way) < 2 or missing:
            raise ValueError(f"way {way!r} needs two or more letters on the map; missing {missing}")
    workdir = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="gurka-"))
    workdir.mkdir(parents=True, exist_ok=True)
    pbf = workdir / "map.osm.pbf"
    write_osm(pbf, positions, ways, nodes or {})
    region = build_region(pbf, workdir / "region", name="gurka", elevation_fallback=False)
    return GurkaMap(region=region, positions=positions, workdir=workdir)


def grid_positions(
    ascii_map: str, grid_m: float, origin: tuple[float, float]
) -> dict[str, tuple[float, float]]:
    """The (lat, lon) of each letter or digit; the first drawn row is the northernmost."""
    if grid_m <= 0:
        raise ValueError(f"grid_m must be positive, got {grid_m}")
    lines = textwrap.dedent(ascii_map).strip("\n").splitlines()
    origin_lat, origin_lon = origin
    metres_per_lon_deg = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(origin_lat))
    metres_per_lat_deg = math.radians(1) * EARTH_RADIUS_M
    positions: dict[str, tuple[float, float]] = {}
    for row, line in enumerate(lines):
        for col, char in enumerate(line):
            if not char.isalnum():
                continue
            if char in positions:
                raise ValueError(f"node {char!r} appears twice on the map")
            positions[char] = (
                origin_lat - row * grid_m / metres_per_lat_deg,
                origin_lon + col * grid_m / metres_per_lon_deg,
            )
    if not positions:
        raise ValueError("the map has no nodes (letters or digits)")
    return positions


def write_osm(
    path: Path,
    positions: Mapping[str, tuple[float, float]],
    ways: Mapping[str, Mapping[str, str]],
    nodes: Mapping[str, Mapping[str, str]],
) -> None:
    """Write the nodes and ways as OSM PBF, ids in drawing order (nodes first, as OSM sorts)."""
    node_ids = {letter: index for index, letter in enumerate(positions, start=1)}
    with osmium.SimpleWriter(str(path)) as writer:
        for letter, (lat, lon) in positions.items():
            writer.add_node(
                osmium.osm.mutable.Node(
                    id=node_ids[letter],
                    location=osmium.osm.Location(lon, lat),
                    tags=dict(nodes.get(letter, {})),
                    version=1,
                )
            )
        for way_id, (letters, tags) in enumerate(ways.items(), start=1):
            writer.add_way(
                osmium.osm.mutable.Way(
                    id=way_id,
                    nodes=[node_ids[letter] for letter in letters],
                    tags={"name": letters, **tags},
                    version=1,
                )
            )
