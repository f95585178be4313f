from __future__ import annotations

import voltroute.stations as stations


def test_every_public_name_is_exported_and_importable() -> None:
    assert len(set(stations.__all__)) == len(stations.__all__)
    for name in stations.__all__:
        assert getattr(stations, name) is not None
