"""Energy on real SRTM grades: the A70 between Bayreuth Nord and Kulmbach, driven both ways."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator

import pytest

from voltroute.domain import LatLon
from voltroute.regions import Region
from voltroute.routing import RouteLeg, TruckProfile
from voltroute.routing.embedded import EmbeddedValhallaRouter
from voltroute.vehicles import Catalogue, EdgeLike, Vehicle, edge_energy_kwh, leg_energy_kwh
from voltroute.vehicles.energy import G_MPS2, J_PER_KWH, S_PER_H, flat_consumption_kwh_per_km

pytestmark = pytest.mark.integration

BAYREUTH_NORD = LatLon(50.026339, 11.596791)  # A9/A70 junction, about 100 m above the far end
TOWARDS_KULMBACH = LatLon(50.06, 11.45)
PAYLOAD_KG = 21_500.0  # 40 t with the eActros 600
EACTROS = Catalogue().get("010160700001")
IDEAL = dataclasses.replace(
    EACTROS,
    drivetrain_efficiency=1.0,
    recuperation_efficiency=1.0,
    recuperation_max_kw=math.inf,
    auxiliary_kw=0.0,
)


@pytest.fixture(scope="module")
def router(north_bayreuth_region: Region) -> Iterator[EmbeddedValhallaRouter]:
    engine = EmbeddedValhallaRouter(north_bayreuth_region.valhalla_config_path())
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def both_ways(router: EmbeddedValhallaRouter) -> tuple[RouteLeg, RouteLeg]:
    truck = TruckProfile(gross_mass_kg=EACTROS.curb_mass_kg + PAYLOAD_KG)
    return router.route(BAYREUTH_NORD, TOWARDS_KULMBACH, truck), router.route(
        TOWARDS_KULMBACH, BAYREUTH_NORD, truck
    )


def _length_m(leg: RouteLeg) -> float:
    return sum(edge.length_m for edge in leg.edges)


def _climb_m(leg: RouteLeg) -> float:
    return leg.edges[-1].elevation_end_m - leg.edges[0].elevation_start_m


def _potential_kwh(vehicle: Vehicle, climb_m: float) -> float:
    return (vehicle.curb_mass_kg + PAYLOAD_KG) * G_MPS2 * climb_m / J_PER_KWH


def _carriageway_tolerance_kwh(vehicle: Vehicle, outward: RouteLeg, back: RouteLeg) -> float:
    # The two directions run on separate carriageways and ramps: their lengths differ, and each
    # metre of difference costs about the level-road consumption. Speeds differ a little too,
    # which moves air drag by a few percent of the climb energy.
    length_gap_km = abs(_length_m(outward) - _length_m(back)) / 1000.0
    level_kwh_per_km = flat_consumption_kwh_per_km(vehicle, PAYLOAD_KG, 80.0)
    return length_gap_km * level_kwh_per_km + 0.05 * abs(_potential_kwh(vehicle, _climb_m(back)))


def test_the_route_climbs_about_80_m_on_sound_elevation(
    both_ways: tuple[RouteLeg, RouteLeg],
) -> None:
    outward, back = both_ways
    assert _climb_m(back) == pytest.approx(-_climb_m(outward), abs=5.0)
    assert 60.0 <= _climb_m(back) <= 120.0
    assert abs(_length_m(outward) - _length_m(back)) < 500.0


def test_without_losses_the_two_directions_differ_by_twice_the_potential_energy(
    both_ways: tuple[RouteLeg, RouteLeg],
) -> None:
    # Lossless: climbing stores m g dh, descending returns it, so up minus down is 2 m g dh.
    outward, back = both_ways
    uphill_kwh = leg_energy_kwh(IDEAL, PAYLOAD_KG, back.edges)
    downhill_kwh = leg_energy_kwh(IDEAL, PAYLOAD_KG, outward.edges)
    expected_kwh = 2.0 * _potential_kwh(IDEAL, _climb_m(back))
    assert uphill_kwh - downhill_kwh == pytest.approx(
        expected_kwh, abs=_carriageway_tolerance_kwh(IDEAL, outward, back)
    )


def test_with_losses_the_difference_lies_between_the_efficiency_bounds(
    both_ways: tuple[RouteLeg, RouteLeg],
) -> None:
    # Up costs at least m g dh / drivetrain efficiency more than level; down saves between
    # nothing and m g dh / drivetrain efficiency (recuperating, or just coasting with less
    # traction). So up minus down lies in [1, 2] x m g dh / efficiency, plus the carriageways.
    outward, back = both_ways
    difference_kwh = leg_energy_kwh(EACTROS, PAYLOAD_KG, back.edges) - leg_energy_kwh(
        EACTROS, PAYLOAD_KG, outward.edges
    )
    through_drivetrain_kwh = _potential_kwh(EACTROS, _climb_m(back)) / (
        EACTROS.drivetrain_efficiency
    )
    slack_kwh = _carriageway_tolerance_kwh(EACTROS, outward, back)
    assert through_drivetrain_kwh - slack_kwh <= difference_kwh
    assert difference_kwh <= 2.0 * through_drivetrain_kwh + slack_kwh


def _edge_kwh(vehicle: Vehicle, edge: EdgeLike) -> float:
    delta_m = edge.elevation_end_m - edge.elevation_start_m
    return edge_energy_kwh(vehicle, PAYLOAD_KG, edge.length_m, edge.duration_s, delta_m)


def test_steep_downhill_edges_recuperate_within_the_power_limit(
    both_ways: tuple[RouteLeg, RouteLeg],
) -> None:
    outward, _ = both_ways
    steep = [
        edge
        for edge in outward.edges
        if edge.length_m >= 50.0
        and (edge.elevation_end_m - edge.elevation_start_m) / edge.length_m <= -0.02
    ]
    assert len(steep) >= 3
    for edge in steep:
        assert _edge_kwh(EACTROS, edge) < 0.0
    for edge in outward.edges:
        time_h = max(edge.duration_s, edge.length_m / EACTROS.speed_limiter_mps) / S_PER_H
        assert _edge_kwh(EACTROS, edge) >= -EACTROS.recuperation_max_kw * time_h


def test_a_weaker_recuperation_limit_caps_the_steep_edges_exactly(
    both_ways: tuple[RouteLeg, RouteLeg],
) -> None:
    outward, _ = both_ways
    weak = dataclasses.replace(EACTROS, recuperation_max_kw=20.0)
    capped = 0
    for edge in outward.edges:
        time_h = max(edge.duration_s, edge.length_m / weak.speed_limiter_mps) / S_PER_H
        floor_kwh = (weak.auxiliary_kw - weak.recuperation_max_kw) * time_h
        assert _edge_kwh(weak, edge) >= floor_kwh - 1e-9
        capped += math.isclose(_edge_kwh(weak, edge), floor_kwh, abs_tol=1e-9)
    assert capped >= 1
