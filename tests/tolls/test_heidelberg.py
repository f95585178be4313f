"""Tolled km on the Heidelberg region: Autobahn and Bundesstrasse edges count, town streets not."""

from __future__ import annotations

from datetime import date

import pytest

from voltroute.domain import LatLon
from voltroute.routing import EmbeddedValhallaRouter, RouteLeg, TruckProfile
from voltroute.tolls import EuroClass, TollVehicle, section_tolls

pytestmark = pytest.mark.integration

TRUCK = TruckProfile(gross_mass_kg=40_000, axle_count=5, axle_load_kg=10_000)
DIESEL = TollVehicle(40_000, 5, emission_free=False, euro_class=EuroClass.VI, co2_class=1)
IN_2026 = date(2026, 9, 1)
# A 656 at its Mannheim end -> Heidelberg interchange -> A 656 -> B 37 along the Neckar -> B 3,
# the old-town tunnels (municipal) -> B 37 Schlierbacher Landstrasse -> a residential lane.
A656_WEST = LatLon(49.4437, 8.5869)
SCHLIERBACH_LANE = LatLon(49.4085, 8.72)
# Bahnhofstrasse to Vossstrasse, Bergheim: municipal streets only.
BERGHEIM_START = LatLon(49.405, 8.685)
BERGHEIM_STOP = LatLon(49.41, 8.69)


def federal_road_m(leg: RouteLeg, *prefixes: str) -> float:
    """Length of the edges carrying one of the road numbers, e.g. "A 656"."""
    return sum(e.length_m for e in leg.edges if any(r.startswith(prefixes) for r in e.refs))


@pytest.fixture(scope="module")
def federal_leg(hd_router: EmbeddedValhallaRouter) -> RouteLeg:
    return hd_router.route(A656_WEST, SCHLIERBACH_LANE, TRUCK)


def test_the_route_drives_a656_a5_and_b37_and_municipal_streets(federal_leg: RouteLeg) -> None:
    assert federal_road_m(federal_leg, "A 656") > 3_000
    assert federal_road_m(federal_leg, "A 5") > 100
    assert federal_road_m(federal_leg, "B 37") > 4_000
    assert federal_road_m(federal_leg, "A ", "B ") < 0.8 * federal_leg.length_m


def test_tolled_km_equal_the_summed_autobahn_and_bundesstrasse_edges(
    federal_leg: RouteLeg,
) -> None:
    # The interchange ramps between the A 656 halves are motorway edges without a road number.
    expected_m = sum(
        e.length_m
        for e in federal_leg.edges
        if e.road_class == "motorway" or any(r.startswith(("A ", "B ")) for r in e.refs)
    )

    (toll,) = section_tolls(0, federal_leg, DIESEL, IN_2026).systems

    assert all(e.country_code is None for e in federal_leg.edges)  # country from coordinates
    assert toll.country_code == "DE"
    assert toll.tolled_m == pytest.approx(expected_m, abs=1e-6)
    assert toll.tolled_m == pytest.approx(federal_road_m(federal_leg, "A ", "B ") + 1_049, abs=5)
    assert toll.cost_cents is not None
    assert toll.cost_cents > 0


def test_a_route_on_municipal_streets_has_no_toll(hd_router: EmbeddedValhallaRouter) -> None:
    leg = hd_router.route(BERGHEIM_START, BERGHEIM_STOP, TRUCK)

    assert federal_road_m(leg, "A ", "B ") == 0
    assert section_tolls(0, leg, DIESEL, IN_2026).systems == ()
