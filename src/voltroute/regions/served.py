"""The regions one server serves: loaded once, looked up by name or by position."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from voltroute.regions.region import MANIFEST_FILE, Region


def region_dirs_in(path: Path) -> list[Path]:
    """A region directory itself, or the region directories directly inside a directory of
    regions (sorted by name); FileNotFoundError when the path holds neither."""
    path = Path(path).expanduser().resolve()
    if (path / MANIFEST_FILE).is_file():
        return [path]
    if path.is_dir():
        children = sorted(child for child in path.iterdir() if (child / MANIFEST_FILE).is_file())
        if children:
            return children
    raise FileNotFoundError(
        f"no region at {path}: it is neither a region directory (with {MANIFEST_FILE}) nor a "
        f"directory of regions"
    )


@dataclass(frozen=True, slots=True)
class ServedRegions:
    """The served regions in the order given; the first is the default (old jobs, `region`)."""

    regions: tuple[Region, ...]

    def __post_init__(self) -> None:
        if not self.regions:
            raise ValueError("a server serves at least one region")
        seen: dict[str, Path] = {}
        for region in self.regions:
            if region.name in seen:
                # Jobs record the region by name: two regions of one name could not be told apart.
                raise ValueError(
                    f"two served regions are named '{region.name}': {seen[region.name]} and "
                    f"{region.path} (rebuild one with `voltroute region build --name ... --force`)"
                )
            seen[region.name] = region.path

    @classmethod
    def load(cls, paths: Sequence[Path]) -> ServedRegions:
        """Load every region of paths (region directories or directories of regions), each once.

        FileNotFoundError or ValueError (from Region.load) name the directory at fault.
        """
        directories: list[Path] = []
        for path in paths:
            directories += [d for d in region_dirs_in(path) if d not in directories]
        return cls(tuple(Region.load(directory) for directory in directories))

    def __iter__(self) -> Iterator[Region]:
        return iter(self.regions)

    def __len__(self) -> int:
        return len(self.regions)

    @property
    def default(self) -> Region:
        """The first region: where jobs stored before regions were recorded are planned."""
        return self.regions[0]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(region.name for region in self.regions)

    def get(self, name: str) -> Region | None:
        """The served region of that name, or None."""
        return next((region for region in self.regions if region.name == name), None)

    def holding(self, lat: float, lon: float, margin_m: float = 0.0) -> tuple[Region, ...]:
        """The regions whose bbox, grown by margin_m, holds the position (in served order)."""
        return tuple(region for region in self.regions if region.contains(lat, lon, margin_m))
