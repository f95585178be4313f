"""station_coverage: what a set of stations states per poi_info filter, unknown apart."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from voltroute.domain import LatLon
from voltroute.stations import (
    ChargePoint,
    ConnectorType,
    InletSide,
    Station,
    StationSource,
    TruckAccess,
)
from voltroute.stations.coverage import POWER_BAND_EDGES_KW, station_coverage

IMPORTED = datetime(2026, 1, 1, tzinfo=UTC)


def station(station_id: str, power_kw: float, **fields: Any) -> Station:
    return Station(
        station_id=station_id,
        name=station_id,
        position=LatLon(52.5, 13.4),
        charge_points=(ChargePoint(ConnectorType.CCS, power_kw),),
        source=StationSource.BNETZA,
        imported_at=IMPORTED,
        **fields,
    )


def test_unknown_attributes_are_not_counted_as_known() -> None:
    coverage = station_coverage(
        [
            station("a", 22.0, operator="EnBW"),
            station("b", 150.0, truck_access=TruckAccess.TT, inlet_side=InletSide.BOTH),
            station("c", 400.0, bookable=False, operator="EnBW"),
        ]
    )

    assert coverage.stations == 3
    assert coverage.sources == {"bnetza": 3}
    assert (coverage.truck_approved.known, coverage.truck_approved.values) == (1, {"TT": 1})
    assert (coverage.connector_pos.known, coverage.connector_pos.values) == (1, {"BOTH": 1})
    assert (coverage.bookable.known, coverage.bookable.values) == (1, {"false": 1})
    assert (coverage.cpo.known, coverage.cpo.values) == (2, {"EnBW": 2})
    assert coverage.connector_type == {"CCS": 3}


def test_each_station_is_in_the_band_of_its_most_powerful_charge_point() -> None:
    powers = [11.0, 22.0, 49.9, 50.0, 150.0, 349.0, 350.0, 1000.0, 1200.0]
    coverage = station_coverage(station(str(i), p) for i, p in enumerate(powers))

    bands = {(b.min_kw, b.max_kw): b.stations for b in coverage.max_power}
    assert [b.min_kw for b in coverage.max_power] == list(POWER_BAND_EDGES_KW)
    assert bands == {
        (0.0, 22.0): 1,
        (22.0, 50.0): 2,
        (50.0, 150.0): 1,
        (150.0, 350.0): 2,
        (350.0, 1000.0): 1,
        (1000.0, None): 2,
    }


def test_no_stations_cover_nothing() -> None:
    coverage = station_coverage([])
    assert coverage.stations == 0
    assert coverage.truck_approved.known == 0
    assert sum(b.stations for b in coverage.max_power) == 0
