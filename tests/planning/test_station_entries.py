from __future__ import annotations

from datetime import UTC, datetime

from tests.contract_schema import contract_errors

from voltroute.domain import LatLon
from voltroute.planning.station_feed import available_station_entry, poi_entry
from voltroute.stations import (
    ChargePoint,
    ConnectorType,
    GroupInfo,
    Station,
    StationCatalogue,
    StationFilter,
    StationSource,
    TruckAccess,
)
from voltroute.stations.detour import Detour


def _scenario_station() -> Station:
    return Station(
        station_id="overlay:hd-1",
        name="Scenario: P+M Sandhausen",
        position=LatLon(49.0005, 8.05),
        charge_points=(ChargePoint(ConnectorType.CCS, 400.0, 4),),
        source=StationSource.OVERLAY,
        imported_at=datetime(2026, 1, 1, tzinfo=UTC),
        truck_access=TruckAccess.TT,
        scenario=True,
    )


def test_poi_and_available_station_entries_follow_the_contract_and_say_scenario() -> None:
    station = _scenario_station()
    shape = [LatLon(49.0, 8.0), LatLon(49.0, 8.1)]
    (hit,) = StationCatalogue([station]).corridor([shape], 1000, StationFilter())
    detour = Detour(None, None, 700.0, 60.0, 650.0, 55.0)
    poi = poi_entry(hit, GroupInfo(1, True, False), detour, poi_id=1)
    available = available_station_entry(station)
    assert contract_errors(poi, "ResultPOI") == []
    assert contract_errors(available, "ResultAvailableStation") == []
    assert poi["detour_from_route"] == 1350.0
    assert poi["represents"] == 1
    assert poi["scenario"] is True
    assert available["truck_approved"] == "TT"
    assert available["scenario"] is True
