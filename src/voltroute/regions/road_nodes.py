"""The nodes of truck-usable roads in a region's OSM extract: where real stops and depots lie."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import osmium

# Road classes a truck may use, motorway down to residential (Valhalla's truck costing also
# takes service roads, but depots and customers on them are not what a sweep should sample).
TRUCK_HIGHWAYS: Final = frozenset(
    {
        "motorway",
        "motorway_link",
        "trunk",
        "trunk_link",
        "primary",
        "primary_link",
        "secondary",
        "secondary_link",
        "tertiary",
        "tertiary_link",
        "unclassified",
        "residential",
    }
)


def truck_road_nodes(extract: Path) -> list[tuple[float, float]]:
    """(lat, lon) of every node on a truck-usable way of the extract, in node id order."""
    node_ids: set[int] = set()
    for way in osmium.FileProcessor(str(extract), osmium.osm.WAY):
        if isinstance(way, osmium.osm.Way) and way.tags.get("highway") in TRUCK_HIGHWAYS:
            node_ids.update(node.ref for node in way.nodes)
    positions: dict[int, tuple[float, float]] = {}
    for node in osmium.FileProcessor(str(extract), osmium.osm.NODE):
        if not isinstance(node, osmium.osm.Node):
            continue
        if node.id in node_ids and node.location.valid():
            positions[node.id] = (node.location.lat, node.location.lon)
    return [positions[i] for i in sorted(positions)]
