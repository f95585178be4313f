"""The result's station entries and route encodings, as the contract shapes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.contract_schema import contract_errors
from tests.planner.conftest import make_leg

from voltroute.api.result_shapes import (
    available_station_entry,
    poi_entry,
    route_polyline,
    turn_by_turn_actions,
)
from voltroute.domain import LatLon
from voltroute.planner.route_slice import slice_leg
from voltroute.planning.station_feed import corridor_station, station_on_route
from voltroute.routing import RouteLeg, decode_polyline
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
    poi = poi_entry(station_on_route(hit, GroupInfo(1, True, False), detour, corridor_number=1))
    available = available_station_entry(corridor_station(station))
    assert contract_errors(poi, "ResultPOI") == []
    assert contract_errors(available, "ResultAvailableStation") == []
    assert poi["detour_from_route"] == 1350.0
    assert poi["represents"] == 1
    assert poi["scenario"] is True
    assert available["truck_approved"] == "TT"
    assert available["scenario"] is True


def test_a_section_cut_at_a_stop_writes_its_own_shape_and_actions() -> None:
    part = slice_leg(make_leg(10_000.0, 600.0, [1.0] * 4), 2_500.0, 7_500.0)
    decoded = decode_polyline(route_polyline(part))
    assert len(decoded) == len(part.shape)
    for (lat, lon, elevation_m), point in zip(decoded, part.shape, strict=True):
        assert (lat, lon) == pytest.approx((point.lat, point.lon), abs=1e-5)
        assert elevation_m == pytest.approx(point.elevation_m, abs=0.1)
    actions = turn_by_turn_actions(part)
    assert [actions[0]["action"], actions[-1]["action"]] == ["depart", "arrive"]
    assert actions[-1]["offset"] == len(part.shape) - 1


def test_a_route_without_a_shape_writes_an_empty_polyline() -> None:
    empty = RouteLeg(shape=(), edges=(), maneuvers=(), length_m=0.0, duration_s=0.0)
    assert route_polyline(empty) == ""
    assert turn_by_turn_actions(empty) == []
