"""The embedded router fails at construction, with a clear error, when its engine cannot start."""

from __future__ import annotations

from pathlib import Path

import pytest

from voltroute.routing import EmbeddedValhallaRouter, RoutingError


def test_a_missing_config_file_fails_at_construction(tmp_path: Path) -> None:
    with pytest.raises(RoutingError, match="cannot read the Valhalla config"):
        EmbeddedValhallaRouter(tmp_path / "nope.json")


def test_a_config_without_tiles_fails_at_construction(tmp_path: Path) -> None:
    config = {"mjolnir": {"tile_extract": str(tmp_path / "tiles.tar")}}
    with pytest.raises(RoutingError, match="cannot start the Valhalla engine"):
        EmbeddedValhallaRouter(config)
