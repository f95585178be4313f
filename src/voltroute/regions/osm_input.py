"""OSM input: format detection, XML to PBF conversion, and a scan for counts and the road bbox."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import osmium

from voltroute.regions.errors import RegionBuildError

PBF_SUFFIXES = (".pbf",)
_OBJECTS = osmium.osm.NODE | osmium.osm.WAY | osmium.osm.RELATION
XML_SUFFIXES = (".osm", ".osm.gz", ".osm.bz2", ".xml", ".xml.gz", ".xml.bz2")


@dataclass(frozen=True, slots=True)
class OsmScan:
    """Counts of an OSM file and the bbox of the nodes that highway ways use."""

    nodes: int
    ways: int
    relations: int
    highway_ways: int
    highway_bbox: tuple[float, float, float, float] | None


def is_pbf(path: Path) -> bool:
    """Whether the file is OSM PBF (by name); XML inputs must be converted for Valhalla."""
    return path.name.lower().endswith(PBF_SUFFIXES)


def check_osm_input(path: Path) -> None:
    """Fail early and clearly on a missing file or an unsupported format."""
    if not path.is_file():
        raise FileNotFoundError(f"OSM input not found: {path}")
    name = path.name.lower()
    if not name.endswith(PBF_SUFFIXES + XML_SUFFIXES):
        raise RegionBuildError(
            f"unsupported OSM input {path.name}: expected .osm.pbf, .osm, .osm.gz or .osm.bz2"
        )


def convert_to_pbf(source: Path, target: Path) -> None:
    """Copy an OSM XML file (optionally gz/bz2) into PBF, which is all Valhalla can read."""
    try:
        with osmium.SimpleWriter(str(target)) as writer:
            for obj in osmium.FileProcessor(str(source), _OBJECTS):
                writer.add(obj)
    except RuntimeError as exc:
        raise RegionBuildError(f"cannot convert {source} to PBF: {exc}") from exc


def scan_osm(path: Path) -> OsmScan:
    """Count objects and find the bbox of highway way nodes (outlying stray nodes do not count)."""
    nodes = ways = relations = highway_ways = 0
    min_lat = min_lon = float("inf")
    max_lat = max_lon = float("-inf")
    try:
        for obj in osmium.FileProcessor(str(path), _OBJECTS).with_locations():
            if isinstance(obj, osmium.osm.Node):
                nodes += 1
            elif isinstance(obj, osmium.osm.Way):
                ways += 1
                if "highway" not in obj.tags:
                    continue
                highway_ways += 1
                for node in obj.nodes:
                    # Clipped extracts reference nodes outside the file; those have no location.
                    if node.location.valid():
                        lat, lon = node.location.lat, node.location.lon
                        min_lat, max_lat = min(min_lat, lat), max(max_lat, lat)
                        min_lon, max_lon = min(min_lon, lon), max(max_lon, lon)
            elif isinstance(obj, osmium.osm.Relation):
                relations += 1
    except RuntimeError as exc:
        raise RegionBuildError(f"cannot read OSM file {path}: {exc}") from exc
    bbox = (min_lat, min_lon, max_lat, max_lon) if min_lat <= max_lat else None
    return OsmScan(nodes, ways, relations, highway_ways, bbox)
