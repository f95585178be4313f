"""Which filter removed which station, what the data cannot say, and unknown that may pass."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voltroute.stations import (
    ChargePoint,
    ConnectorType,
    InletSide,
    Station,
    StationFilter,
    StationSource,
    TruckAccess,
)
from voltroute.stations.filter_report import SOURCE_GAPS, filter_report

from .conftest import make_station

TRUCK_RIGHT_150 = {"truck_approved": "T", "connector_pos": "RIGHT", "min_kW": 150}


def _register(i: int, power_kw: float = 300.0) -> Station:
    # A Bundesnetzagentur row: no truck approval, no inlet side, no booking.
    return make_station(f"bnetza-{i}", 52.0, 13.0, power_kw, source=StationSource.BNETZA)


def test_every_filter_counts_the_stations_it_removes_on_its_own() -> None:
    stations = [_register(i) for i in range(3)] + [_register(9, power_kw=50.0)]
    report = filter_report(stations, StationFilter.from_poi_info(TRUCK_RIGHT_150))
    effects = {e.name: e for e in report.effects}
    assert report.stations == 4
    assert report.accepted == 0
    assert effects["truck_approved"].removed == 4
    assert effects["truck_approved"].unknown == 4
    assert effects["truck_approved"].gaps == (
        "the Bundesnetzagentur register has no truck-approval field",
    )
    assert effects["connector_pos"].removed == 4
    assert effects["min_kW"].removed == 1
    assert effects["min_kW"].unknown == 0
    # Dropping truck_approved alone frees nothing; with connector_pos three stations pass.
    assert report.binding == ("truck_approved", "connector_pos")
    assert "truck_approved removed 4 (4 of them only because the data does not say" in (
        report.describe()
    )


def test_a_station_that_passes_is_counted_as_accepted_and_nothing_binds() -> None:
    known = make_station("tt", 52.0, 13.0, truck_access=TruckAccess.TT, inlet_side=InletSide.BOTH)
    report = filter_report([known, known], StationFilter.from_poi_info(TRUCK_RIGHT_150))
    assert report.stations == 1
    assert report.accepted == 1
    assert report.effects == ()
    assert report.binding == ()


def test_unknown_passes_when_accepted_and_is_named() -> None:
    strict = StationFilter.from_poi_info(TRUCK_RIGHT_150)
    lenient = StationFilter.from_poi_info(TRUCK_RIGHT_150, accept_unknown=True)
    station = _register(1)
    assert not strict.accepts(station)
    assert lenient.accepts(station)
    assert lenient.passed_unknown(station) == ("truck_approved", "connector_pos")
    assert strict.passed_unknown(station) == ()
    # Known to be wrong is still refused: a left-side bay for a right-side inlet.
    left = make_station("left", 52.0, 13.0, inlet_side=InletSide.LEFT, truck_access=TruckAccess.T)
    assert not lenient.accepts(left)
    assert lenient.failed(left) == ("connector_pos",)


_POWERS = st.sampled_from([22.0, 50.0, 150.0, 300.0, 400.0, 1000.0])


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    powers=st.lists(
        st.tuples(st.sampled_from(list(ConnectorType)), _POWERS), min_size=0, max_size=3
    ),
    truck=st.sampled_from(list(TruckAccess)),
    inlet=st.sampled_from(list(InletSide)),
    bookable=st.sampled_from([None, True, False]),
    operator=st.sampled_from([None, "EnBW mobility+ AG", "Ionity GmbH"]),
    poi_info=st.fixed_dictionaries(
        {},
        optional={
            "min_kW": _POWERS,
            "max_kW": _POWERS,
            "truck_approved": st.sampled_from(["T", "TT"]),
            "connector_pos": st.sampled_from(["LEFT", "RIGHT", "BOTH"]),
            "connector_type": st.lists(st.sampled_from(["CCS", "MCS"]), min_size=1),
            "bookable": st.booleans(),
            "cpo": st.lists(st.sampled_from(["EnBW", "Ionity"]), min_size=1),
        },
    ),
    accept_unknown=st.booleans(),
)
def test_a_station_is_accepted_exactly_when_it_fails_no_filter(
    powers: list[tuple[ConnectorType, float]],
    truck: TruckAccess,
    inlet: InletSide,
    bookable: bool | None,
    operator: str | None,
    poi_info: dict[str, object],
    accept_unknown: bool,
) -> None:
    station = make_station(
        "s",
        52.0,
        13.0,
        charge_points=tuple(ChargePoint(c, p) for c, p in powers),
        truck_access=truck,
        inlet_side=inlet,
        bookable=bookable,
        operator=operator,
    )
    station_filter = StationFilter.from_poi_info(poi_info, accept_unknown)
    failed = station_filter.failed(station)
    assert station_filter.accepts(station) == (not failed)
    assert (
        (station_filter.power_kw(station) > 0) or not station_filter.accepts(station) or not powers
    )
    strict = StationFilter.from_poi_info(poi_info)
    # Accepting unknown data only ever lets more through, and only what the data cannot say.
    assert set(failed) <= set(strict.failed(station))
    for name in set(strict.failed(station)) - set(failed):
        assert strict.unknown(station, name)


@pytest.mark.parametrize("name", ["truck_approved", "connector_pos", "bookable"])
def test_the_register_lacks_what_the_page_filters_on(name: str) -> None:
    assert name in SOURCE_GAPS[StationSource.BNETZA]
