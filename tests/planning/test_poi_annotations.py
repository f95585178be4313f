"""Alternatives of a chosen charging station: near it, as strong, reachable and open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.stations.conftest import make_station

from voltroute.api.result_shapes import alternative_entry
from voltroute.domain import LatLon
from voltroute.planning.poi_annotations import (
    ALTERNATIVE_EXTRA_DETOUR_M,
    ALTERNATIVE_RANGE_M,
    MAX_ALTERNATIVES,
    alternatives,
)
from voltroute.planning.station_feed import PoiSource
from voltroute.stations import Detour

ARRIVAL = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # 11:00 in Heidelberg
STAY = timedelta(minutes=40)


def detour(distance_m: float) -> Detour[Any]:
    half_m = distance_m / 2
    return Detour(None, None, half_m, half_m / 15, half_m, half_m / 15)


def source(
    station_id: str,
    along_m: float,
    power_kw: float = 400.0,
    mapping: int = 0,
    detour_m: float | None = 1000.0,
    leg: int = 0,
    **fields: object,
) -> PoiSource:
    return PoiSource(
        station=make_station(station_id, 49.4, 8.6, power_kw, **fields),
        leg_index=leg,
        distance_along_leg_m=along_m,
        power_kw=power_kw,
        mapping=mapping or hash(station_id),
        detour=detour(detour_m) if detour_m is not None else None,
    )


def alternative_ids(sources: list[PoiSource], chosen: int = 0) -> list[str]:
    corridor_numbers = [i + 1 for i in range(len(sources))]
    found = alternatives(
        chosen,
        sources,
        corridor_numbers,
        [ARRIVAL] * len(sources),
        STAY,
        lambda _p: "Europe/Berlin",
    )
    return [entry.station_id for entry in found]


def test_stations_that_serve_as_well_nearby_are_alternatives_nearest_first() -> None:
    sources = [
        source("chosen", 10_000.0),
        source("ahead", 12_000.0),
        source("behind", 9_500.0),
        source("stronger", 14_000.0, power_kw=1000.0),
    ]
    assert alternative_ids(sources) == ["behind", "ahead", "stronger"]


def test_the_same_group_counts_however_far_along_the_route() -> None:
    sources = [
        source("chosen", 10_000.0, mapping=7),
        source("far-same-site", 10_000.0 + 2 * ALTERNATIVE_RANGE_M, mapping=7),
        source("far", 10_000.0 + 2 * ALTERNATIVE_RANGE_M),
        source("near", 10_100.0),
    ]
    # Same group first, then by distance plus detour.
    assert alternative_ids(sources) == ["far-same-site", "near"]


def test_weaker_unreachable_detoured_closed_or_other_leg_stations_are_no_alternatives() -> None:
    sources = [
        source("chosen", 10_000.0),
        source("weak", 10_100.0, power_kw=150.0),
        source("unroutable", 10_100.0, detour_m=None),
        source("long-detour", 10_100.0, detour_m=1000.0 + ALTERNATIVE_EXTRA_DETOUR_M + 1),
        source("closed", 10_100.0, opening_hours="Mo-Su 20:00-22:00"),
        source("open", 10_200.0, opening_hours="Mo-Su 06:00-20:00"),
        source("next-leg", 10_100.0, leg=1),
    ]
    assert alternative_ids(sources) == ["open"]


def test_at_most_a_few_alternatives_are_named() -> None:
    sources = [source("chosen", 0.0)] + [
        source(f"s{i}", 100.0 * i) for i in range(1, MAX_ALTERNATIVES + 3)
    ]
    assert len(alternative_ids(sources)) == MAX_ALTERNATIVES


def test_an_alternative_has_the_contracts_fields_and_says_where_it_is() -> None:
    sources = [source("chosen", 10_000.0), source("ahead", 12_000.0, scenario=True)]
    [entry] = map(
        alternative_entry,
        alternatives(0, sources, [1, 2], [ARRIVAL, ARRIVAL], STAY, lambda _p: "Europe/Berlin"),
    )
    assert {"name", "address", "coordinate_lat", "coordinate_lon"} <= set(entry)
    assert (entry["coordinate_lat"], entry["coordinate_lon"]) == (49.4, 8.6)
    assert entry["distance_from_chosen_m"] == 2000.0
    assert entry["poi_id"] == 2
    assert entry["scenario"] is True
    assert LatLon(entry["coordinate_lat"], entry["coordinate_lon"]) == sources[1].station.position
