"""The served regions: region directories and directories of regions, names, lookups."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.regions.test_region import _fake_region, _manifest

from voltroute.regions import ServedRegions, region_dirs_in


def _named(path: Path, name: str, bbox: tuple[float, float, float, float]) -> Path:
    return _fake_region(path, _manifest(name=name, bbox=bbox))


BERLIN_BBOX = (52.0, 12.6, 53.0, 14.2)
DENMARK_BBOX = (54.5, 8.1, 57.8, 15.2)


def test_a_region_directory_is_itself(tmp_path: Path) -> None:
    region = _named(tmp_path / "berlin", "berlin", BERLIN_BBOX)
    assert region_dirs_in(region) == [region.resolve()]


def test_a_directory_of_regions_gives_its_regions_by_name(tmp_path: Path) -> None:
    denmark = _named(tmp_path / "regions" / "denmark", "denmark", DENMARK_BBOX)
    berlin = _named(tmp_path / "regions" / "berlin", "berlin", BERLIN_BBOX)
    (tmp_path / "regions" / "notes").mkdir()  # not a region: skipped

    assert region_dirs_in(tmp_path / "regions") == [berlin.resolve(), denmark.resolve()]


def test_a_directory_without_regions_is_refused_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="empty: it is neither a region directory"):
        region_dirs_in(tmp_path / "empty")


def test_regions_keep_the_order_given_and_each_is_loaded_once(tmp_path: Path) -> None:
    denmark = _named(tmp_path / "regions" / "denmark", "denmark", DENMARK_BBOX)
    berlin = _named(tmp_path / "berlin", "berlin", BERLIN_BBOX)

    served = ServedRegions.load([berlin, tmp_path / "regions", denmark])

    assert served.names == ("berlin", "denmark")
    assert served.default.name == "berlin"
    assert served.get("denmark") is served.regions[1]
    assert served.get("heidelberg") is None


def test_two_regions_of_one_name_are_refused(tmp_path: Path) -> None:
    first = _named(tmp_path / "a", "berlin", BERLIN_BBOX)
    second = _named(tmp_path / "b", "berlin", BERLIN_BBOX)
    with pytest.raises(ValueError, match="two served regions are named 'berlin'"):
        ServedRegions.load([first, second])


def test_a_position_is_held_by_the_regions_around_it_in_served_order(tmp_path: Path) -> None:
    wide = _named(tmp_path / "wide", "wide", (50.0, 10.0, 56.0, 16.0))
    berlin = _named(tmp_path / "berlin", "berlin", BERLIN_BBOX)
    served = ServedRegions.load([wide, berlin])

    assert [r.name for r in served.holding(52.5, 13.4)] == ["wide", "berlin"]
    assert [r.name for r in served.holding(55.0, 11.0)] == ["wide"]
    assert served.holding(48.0, 2.0) == ()
    # 2 km beyond Berlin's northern edge, held only with a margin.
    assert [r.name for r in served.holding(53.018, 13.0, margin_m=2_500)] == ["wide", "berlin"]
