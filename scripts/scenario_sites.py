"""Write a labelled scenario overlay of planned truck-charging sites at real motorway exits.

For a region whose extract carries no charger data: every site sits where a real, named
motorway exit (`highway=motorway_junction` with a `ref`) leaves the motorway, at the far end of
its exit ramp (the first node of a road that is not a motorway or ramp), at least --spacing-km
from every other site; rest areas tagged on the motorway are added as they are. Chargers,
powers, access and hours are invented and the file, every name and every result say so.

    .venv/bin/python scripts/scenario_sites.py ../shared/data/osm/denmark.osm.pbf \\
        --region denmark --out src/voltroute/stations/data/denmark_scenario.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import osmium

from voltroute.domain import haversine_deg_m

LINKS = {"motorway_link", "trunk_link", "primary_link"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract", type=Path)
    parser.add_argument("--region", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--spacing-km", type=float, default=35.0)
    args = parser.parse_args()

    junctions: dict[int, tuple[float, float, dict[str, str]]] = {}
    rest_areas: list[tuple[int, float, float, dict[str, str]]] = []
    positions: dict[int, tuple[float, float]] = {}
    for node in osmium.FileProcessor(str(args.extract), osmium.osm.NODE):
        if not isinstance(node, osmium.osm.Node):
            continue
        positions[node.id] = (node.location.lat, node.location.lon)
        tags = dict(node.tags)
        if tags.get("highway") == "motorway_junction" and tags.get("ref") and tags.get("name"):
            junctions[node.id] = (node.location.lat, node.location.lon, tags)
        elif tags.get("highway") == "rest_area":
            rest_areas.append((node.id, node.location.lat, node.location.lon, tags))
    ramps_from: dict[int, list[int]] = {}
    road_nodes: set[int] = set()
    for way in osmium.FileProcessor(str(args.extract), osmium.osm.WAY):
        if not isinstance(way, osmium.osm.Way):
            continue
        refs = [n.ref for n in way.nodes]
        highway = way.tags.get("highway")
        if highway in LINKS and way.tags.get("oneway", "yes") != "-1":
            ramps_from.setdefault(refs[0], []).append(refs[-1])
        elif highway in {"trunk", "primary"}:
            road_nodes.update(refs)

    sites = []
    for node_id in sorted(junctions):
        lat, lon, tags = junctions[node_id]
        end = _ramp_end(node_id, ramps_from, road_nodes)
        if end is None:
            continue
        site_lat, site_lon = positions[end]
        if any(
            haversine_deg_m(site_lat, site_lon, s["lat"], s["lon"]) < args.spacing_km * 1000
            for s in sites
        ):
            continue
        big = len(sites) % 3 == 0
        sites.append(
            {
                "id": f"{args.region}-exit-{node_id}",
                "name": f"Scenario: exit {tags['ref']} {tags['name']} - planned truck charging",
                "lat": round(site_lat, 7),
                "lon": round(site_lon, 7),
                "operator": "Scenario CPO",
                "truck_access": "TT",
                "ccs_kw": 400 if big else 350,
                "ccs_count": 4 if big else 2,
                **({"mcs_kw": 1000, "mcs_count": 2} if big else {}),
                "bays": 6 if big else 2,
                "bookable": big,
                "inlet_side": "BOTH",
                "opening_hours": "24/7" if len(sites) % 4 else "Mo-Sa 05:00-23:00",
                "note": (
                    f"end of the exit ramp (OSM node {end}) of motorway_junction node {node_id} "
                    f"ref {tags['ref']} {tags['name']!r}"
                ),
            }
        )
    for node_id, lat, lon, tags in rest_areas:
        name = tags.get("name") or f"rest area (OSM node {node_id})"
        sites.append(
            {
                "id": f"{args.region}-rest-{node_id}",
                "name": f"Scenario: {name} - planned truck charging",
                "lat": round(lat, 7),
                "lon": round(lon, 7),
                "operator": "Scenario CPO",
                "truck_access": "T",
                "ccs_kw": 300,
                "ccs_count": 2,
                "bays": 2,
                "bookable": False,
                "inlet_side": "UNKNOWN",
                "opening_hours": "24/7",
                "note": f"OSM node {node_id} (highway=rest_area) on the motorway",
            }
        )
    overlay = {
        "format": "voltroute-station-overlay",
        "version": 1,
        "label": "scenario",
        "description": (
            f"SCENARIO, NOT REAL: planned truck-charging sites for the {args.region} long-haul "
            f"region, whose extract has no charger data. Each site sits at the end of the exit "
            f"ramp of a real, named motorway exit (or on a real rest area) of {args.extract.name} "
            "(OpenStreetMap, ODbL, (c) OpenStreetMap contributors); the chargers, powers, truck "
            "access, hours and booking are invented so that long tours can plan charging stops. "
            "Made by scripts/scenario_sites.py."
        ),
        "records": sites,
    }
    args.out.write_text(json.dumps(overlay, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(sites)} sites written to {args.out}")


def _ramp_end(junction: int, ramps_from: dict[int, list[int]], road_nodes: set[int]) -> int | None:
    # Follow the exit ramp (possibly several link ways) to the first node on a trunk or primary.
    frontier, seen = [junction], {junction}
    for _ in range(6):
        following = []
        for node in frontier:
            for end in ramps_from.get(node, ()):
                if end in road_nodes:
                    return end
                if end not in seen:
                    seen.add(end)
                    following.append(end)
        frontier = following
    return None


if __name__ == "__main__":
    main()
