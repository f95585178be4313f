from __future__ import annotations

import pytest

from voltroute.stations import ChargePoint, ConnectorType, InletSide, StationFilter, TruckAccess

from .conftest import make_station


def test_tt_stations_pass_a_t_filter_but_t_stations_fail_a_tt_filter() -> None:
    t_site = make_station("t", 49, 8, truck_access=TruckAccess.T)
    tt_site = make_station("tt", 49, 8, truck_access=TruckAccess.TT)
    unknown = make_station("car", 49, 8)
    wants_t = StationFilter.from_poi_info({"truck_approved": "T"})
    wants_tt = StationFilter.from_poi_info({"truck_approved": "TT"})
    assert [wants_t.accepts(s) for s in (t_site, tt_site, unknown)] == [True, True, False]
    assert [wants_tt.accepts(s) for s in (t_site, tt_site, unknown)] == [False, True, False]


@pytest.mark.parametrize(
    ("bay", "inlet", "suits"),
    [
        (InletSide.LEFT, "LEFT", True),
        (InletSide.LEFT, "RIGHT", False),
        (InletSide.BOTH, "RIGHT", True),
        (InletSide.UNKNOWN, "RIGHT", False),
    ],
)
def test_a_bay_must_suit_the_vehicles_inlet_side(bay: InletSide, inlet: str, suits: bool) -> None:
    station = make_station("s", 49, 8, inlet_side=bay)
    assert StationFilter.from_poi_info({"connector_pos": inlet}).accepts(station) is suits


def test_power_counts_only_the_requested_connectors() -> None:
    station = make_station(
        "mixed", 49, 8,
        charge_points=(ChargePoint(ConnectorType.CCS, 150), ChargePoint(ConnectorType.MCS, 1000)),
    )  # fmt: skip
    ccs_only = StationFilter.from_poi_info({"connector_type": ["CCS"], "min_kW": 300})
    mcs = StationFilter.from_poi_info({"connector_type": ["MCS"], "min_kW": 300})
    capped = StationFilter.from_poi_info({"max_kW": 200})
    assert not ccs_only.accepts(station)
    assert mcs.accepts(station)
    assert mcs.power_kw(station) == 1000
    assert capped.accepts(station)
    assert capped.power_kw(station) == 150


def test_operator_and_bookable_filters() -> None:
    station = make_station("s", 49, 8, operator="EnBW mobility+ AG und Co.KG", bookable=False)
    assert StationFilter.from_poi_info({"cpo": ["enbw"]}).accepts(station)
    assert not StationFilter.from_poi_info({"cpo": ["Ionity"]}).accepts(station)
    assert not StationFilter.from_poi_info({"bookable": True}).accepts(station)
    assert StationFilter.from_poi_info(None).accepts(station)
