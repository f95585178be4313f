"""Country from coordinates through the time zone: European countries, None elsewhere."""

from __future__ import annotations

import pytest

from voltroute.tolls import country_at, country_of_time_zone


@pytest.mark.parametrize(
    ("lat", "lon", "country"),
    [
        (49.41, 8.69, "DE"),  # Heidelberg
        (47.70, 8.68, "DE"),  # Büsingen, the German exclave in Switzerland
        (48.58, 7.75, "FR"),  # Strasbourg
        (47.56, 7.59, "CH"),  # Basel
        (48.21, 16.37, "AT"),  # Vienna
        (50.85, 4.35, "BE"),  # Brussels
        (55.68, 12.57, "DK"),  # Copenhagen
        (46.05, 14.51, "SI"),  # Ljubljana
        (40.71, -74.0, None),  # New York
        (54.5, 5.0, None),  # North Sea
    ],
)
def test_positions_map_to_their_country(lat: float, lon: float, country: str | None) -> None:
    assert country_at(lat, lon) == country


def test_an_unknown_or_missing_zone_has_no_country() -> None:
    assert country_of_time_zone("Asia/Tokyo") is None
    assert country_of_time_zone(None) is None
