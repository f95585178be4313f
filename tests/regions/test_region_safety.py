"""A region is user data: nothing rebuilds or empties it unless asked, and stations survive.

Every case starts from a real region (Dreieich) whose registry holds the 4,514 stations of the
real BNetzA Berlin register, and checks its tiles (by inode: a rebuild writes a new file) and
its stations afterwards.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.gurka import write_osm
from typer.testing import CliRunner

from voltroute.cli import app
from voltroute.regions import (
    Region,
    RegionBuildError,
    RegionOutdatedError,
    build_region,
    ensure_region,
    open_or_build_region,
)
from voltroute.regions.station_counts import record_station_counts
from voltroute.stations import ImportFormat, StationRegistry, import_file

pytestmark = pytest.mark.integration

BNETZA_STATIONS = 4514


@pytest.fixture(scope="module")
def bnetza_registry(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A registry with the real BNetzA Berlin register imported, copied into each region."""
    registry = StationRegistry(tmp_path_factory.mktemp("registry") / "stations.sqlite")
    register = shared_data / "charging" / "bnetza_ladesaeulenregister_berlin_2026.csv"
    import_file(registry, register, ImportFormat.BNETZA)
    return registry.path


def _copy_input(shared_data: Path, tmp_path: Path, name: str) -> Path:
    copy = tmp_path / "input" / name
    copy.parent.mkdir(exist_ok=True)
    shutil.copyfile(shared_data / "osm" / name, copy)
    return copy


@pytest.fixture
def dreieich(shared_data: Path, tmp_path: Path) -> Path:
    return _copy_input(shared_data, tmp_path, "dreieich.osm.pbf")


@pytest.fixture
def other_extract(shared_data: Path, tmp_path: Path) -> Path:
    return _copy_input(shared_data, tmp_path, "badwildbad.osm.pbf")


@pytest.fixture
def region(dreieich: Path, tmp_path: Path, bnetza_registry: Path) -> Region:
    """A built region with 4,514 imported stations, counted in its manifest."""
    built = build_region(dreieich, tmp_path / "region", elevation_fallback=False)
    shutil.copyfile(bnetza_registry, built.path / "stations.sqlite")
    record_station_counts(built.path)
    return Region.load(built.path)


def _tiles_inode(region_dir: Path) -> int:
    return (region_dir / "tiles.tar").stat().st_ino


def _stations(region_dir: Path) -> int:
    return StationRegistry.in_region(region_dir).counts()["total"]


@pytest.fixture
def tiles_before(region: Region) -> int:
    """The region's tiles as built (inode)."""
    return _tiles_inode(region.path)


def _assert_untouched(region: Region, tiles_before: int) -> None:
    assert _tiles_inode(region.path) == tiles_before
    assert Region.load(region.path).manifest == region.manifest
    assert _stations(region.path) == BNETZA_STATIONS


def _run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stderr


def test_a_server_serves_a_region_built_from_another_source_as_it_is(
    region: Region, other_extract: Path, tiles_before: int
) -> None:
    served = open_or_build_region(other_extract, region.path, elevation_fallback=False)

    assert served.manifest == region.manifest
    _assert_untouched(region, tiles_before)


def test_a_name_other_than_the_file_name_is_no_reason_to_rebuild(
    dreieich: Path, tmp_path: Path, bnetza_registry: Path
) -> None:
    named = build_region(
        dreieich, tmp_path / "hessen", name="hessen-south", elevation_fallback=False
    )
    shutil.copyfile(bnetza_registry, named.path / "stations.sqlite")
    tiles = _tiles_inode(named.path)

    served = open_or_build_region(dreieich, named.path, elevation_fallback=False)
    ensured = ensure_region(dreieich, named.path, elevation_fallback=False)
    renamed = ensure_region(dreieich, named.path, name="dreieich", elevation_fallback=False)

    assert served.name == ensured.name == renamed.name == "hessen-south"
    assert _tiles_inode(named.path) == tiles
    assert _stations(named.path) == BNETZA_STATIONS


def test_a_built_region_serves_without_its_source_file(
    region: Region, dreieich: Path, tiles_before: int
) -> None:
    dreieich.unlink()

    served = open_or_build_region(dreieich, region.path)

    assert served.manifest == region.manifest
    _assert_untouched(region, tiles_before)


def test_building_another_source_into_a_region_without_replace_changes_nothing(
    region: Region, other_extract: Path, tiles_before: int
) -> None:
    with pytest.raises(RegionOutdatedError, match="an input file changed"):
        ensure_region(other_extract, region.path, elevation_fallback=False)

    _assert_untouched(region, tiles_before)


def test_region_build_refuses_another_source_without_force_and_says_what_it_would_replace(
    region: Region, other_extract: Path, tiles_before: int
) -> None:
    code, stderr = _run_cli("region", "build", str(other_extract), "--out", str(region.path))

    assert code == 1
    assert "Not rebuilt" in stderr
    assert "A rebuild replaces the tiles, elevation and manifest of region 'dreieich'" in stderr
    assert f"It keeps stations.sqlite with {BNETZA_STATIONS} stations (bnetza 4514)" in stderr
    assert "--force" in stderr
    _assert_untouched(region, tiles_before)


def test_a_forced_rebuild_from_a_new_extract_keeps_the_stations_and_says_so(
    region: Region, other_extract: Path, tiles_before: int
) -> None:
    code, stderr = _run_cli(
        "region", "build", str(other_extract), "--out", str(region.path), "--force"
    )

    assert code == 0, stderr
    assert "Replacing the tiles, elevation and manifest of region 'dreieich'" in stderr
    assert f"Keeping stations.sqlite with {BNETZA_STATIONS} stations (bnetza 4514)" in stderr
    rebuilt = Region.load(region.path)
    assert _tiles_inode(region.path) != tiles_before
    assert rebuilt.manifest.sources[0].path == str(other_extract)
    assert rebuilt.name == "dreieich"  # the region keeps its name; --name would rename it
    assert _stations(region.path) == BNETZA_STATIONS
    assert rebuilt.manifest.counts["stations_bnetza"] == BNETZA_STATIONS


@pytest.mark.parametrize(
    "rebuild",
    [
        pytest.param(lambda pbf, path: build_region(pbf, path), id="build_region"),
        pytest.param(
            lambda pbf, path: ensure_region(pbf, path, replace=True), id="ensure_region-replace"
        ),
    ],
)
def test_a_rebuild_keeps_the_registry_and_counts_it_in_the_new_manifest(
    region: Region, other_extract: Path, rebuild: Callable[[Path, Path], Region], tiles_before: int
) -> None:
    rebuilt = rebuild(other_extract, region.path)

    assert _tiles_inode(region.path) != tiles_before
    assert _stations(region.path) == BNETZA_STATIONS
    assert rebuilt.manifest.counts["stations_total"] == BNETZA_STATIONS
    assert [p.name for p in region.path.parent.iterdir() if ".old-" in p.name] == []


def test_a_failed_forced_rebuild_leaves_tiles_and_stations_in_place(
    region: Region, tmp_path: Path, tiles_before: int
) -> None:
    no_roads = tmp_path / "input" / "no-roads.osm.pbf"
    write_osm(no_roads, {"A": (50.0, 8.6), "B": (50.001, 8.6)}, {"AB": {"waterway": "river"}}, {})

    with pytest.raises(RegionBuildError, match="has no highway ways"):
        build_region(no_roads, region.path)

    _assert_untouched(region, tiles_before)


def test_two_servers_starting_on_one_empty_directory_build_it_once(
    dreieich: Path, other_extract: Path, tmp_path: Path
) -> None:
    target = tmp_path / "shared-region"
    opened: list[Region] = []

    def start_server(source: Path) -> None:
        opened.append(open_or_build_region(source, target, elevation_fallback=False))

    servers = [threading.Thread(target=start_server, args=(s,)) for s in (dreieich, other_extract)]
    for server in servers:
        server.start()
    for server in servers:
        server.join()

    assert len(opened) == 2
    assert opened[0].manifest == opened[1].manifest  # the second opened the first's build
    assert [p.name for p in tmp_path.iterdir() if ".building-" in p.name] == []


def test_two_servers_and_a_build_on_one_region_leave_it_untouched(
    region: Region, dreieich: Path, other_extract: Path, tiles_before: int
) -> None:
    errors: list[BaseException] = []

    def start_server(source: Path) -> None:
        open_or_build_region(source, region.path, elevation_fallback=False)

    def build_without_force() -> None:
        try:
            ensure_region(other_extract, region.path, elevation_fallback=False)
        except RegionOutdatedError as error:
            errors.append(error)

    calls = [
        threading.Thread(target=start_server, args=(dreieich,)),
        threading.Thread(target=start_server, args=(other_extract,)),
        threading.Thread(target=build_without_force),
    ]
    for call in calls:
        call.start()
    for call in calls:
        call.join()

    assert len(errors) == 1
    _assert_untouched(region, tiles_before)


def test_a_server_builds_into_a_directory_holding_only_imported_stations(
    dreieich: Path, tmp_path: Path, bnetza_registry: Path
) -> None:
    target = tmp_path / "imported-first"
    target.mkdir()
    shutil.copyfile(bnetza_registry, target / "stations.sqlite")

    built = open_or_build_region(dreieich, target, elevation_fallback=False)

    assert built.name == "dreieich"
    assert _stations(target) == BNETZA_STATIONS
    assert built.manifest.counts["stations_bnetza"] == BNETZA_STATIONS


def test_a_server_never_builds_into_a_directory_holding_other_things(
    dreieich: Path, tmp_path: Path
) -> None:
    (tmp_path / "important.txt").write_text("keep me", encoding="utf-8")

    with pytest.raises(RegionBuildError, match="exists and is not a region"):
        open_or_build_region(dreieich, tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["important.txt", "input"]
