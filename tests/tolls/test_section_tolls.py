"""Tolls per section and summary per system: km on the tolled network, unknown stays unknown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from voltroute.tolls import (
    EuroClass,
    TollTotal,
    TollVehicle,
    TourTolls,
    section_tolls,
    tour_tolls,
)

from .samples import FakeLeg, motorway, street

IN_2026 = date(2026, 9, 1)
DIESEL = TollVehicle(40_000, 5, emission_free=False, euro_class=EuroClass.VI, co2_class=1)
ELECTRIC = TollVehicle(40_000, 5, emission_free=True, euro_class=None, co2_class=5)


def test_tolled_km_are_the_autobahn_and_bundesstrasse_edges_only() -> None:
    leg = FakeLeg((street(300.0), motorway(60_000.0), motorway(40_000.0, "B 37"), street(700.0)))

    (toll,) = section_tolls(0, leg, DIESEL, IN_2026).systems

    assert toll.toll_system == "TOLL COLLECT GMBH"
    assert toll.tolled_m == 100_000.0
    assert toll.distance_m == 101_000.0
    assert toll.cost_cents == 3480
    assert toll.rate_eur_per_km == Decimal("0.348")
    assert toll.exemption is None
    assert toll.diesel_equivalent_cents is None


def test_an_electric_truck_pays_zero_and_sees_what_a_diesel_would_pay() -> None:
    leg = FakeLeg((motorway(100_000.0),))

    (toll,) = section_tolls(0, leg, ELECTRIC, IN_2026).systems

    assert toll.cost_cents == 0
    assert toll.exemption is not None
    assert "no. 7" in toll.exemption
    assert toll.diesel_equivalent_cents == 3480


def test_a_section_on_municipal_roads_has_no_toll() -> None:
    leg = FakeLeg((street(500.0), street(800.0)))

    assert section_tolls(0, leg, DIESEL, IN_2026).systems == ()


def test_a_country_without_tariff_gives_a_null_total_and_a_warning() -> None:
    leg = FakeLeg((motorway(20_000.0), motorway(30_000.0, "A 4", country="FR")))

    tolls = tour_tolls([(leg, IN_2026)], DIESEL)

    germany, france = tolls.sections[0].systems
    assert germany.cost_cents == 696
    assert (france.country_code, france.cost_cents, france.tolled_m) == ("FR", None, None)
    assert len(tolls.sections[0].warnings) == 1
    assert "FR" in tolls.sections[0].warnings[0]
    assert "30.0 km" in tolls.sections[0].warnings[0]
    assert tolls.totals() == (
        TollTotal("TOLL COLLECT GMBH", "EUR", 696, None),
        TollTotal("FR: no tariff data", None, None, None),
    )


def test_a_date_before_the_tariff_gives_a_null_total_never_an_old_rate() -> None:
    leg = FakeLeg((motorway(10_000.0),))

    (toll,) = section_tolls(0, leg, DIESEL, date(2024, 6, 30)).systems

    assert toll.cost_cents is None
    assert "2024-06-30" in toll.warnings[0]


def test_totals_add_the_sections_of_one_system_in_cents() -> None:
    legs = [
        (FakeLeg((motorway(1_437.5),)), IN_2026),  # 50.025 cents -> 50
        (FakeLeg((motorway(1_437.5),)), IN_2026),
        (FakeLeg((street(900.0),)), IN_2026),
    ]

    tolls = tour_tolls(legs, DIESEL)

    assert [len(s.systems) for s in tolls.sections] == [1, 1, 0]
    assert tolls.totals() == (TollTotal("TOLL COLLECT GMBH", "EUR", 100, None),)


def test_each_section_is_priced_on_its_own_date() -> None:
    legs = [
        (FakeLeg((motorway(100_000.0),)), date(2031, 6, 30)),
        (FakeLeg((motorway(100_000.0),)), date(2031, 7, 1)),
    ]

    tolls = tour_tolls(legs, ELECTRIC)

    assert [s.systems[0].cost_cents for s in tolls.sections] == [0, 1680]
    assert tolls.totals() == (TollTotal("TOLL COLLECT GMBH", "EUR", 1680, 6960),)


def test_vehicle_warnings_travel_with_the_tour_tolls() -> None:
    tolls = tour_tolls([], ELECTRIC, ("toll: the vehicle's axle count is unknown",))

    assert tolls == TourTolls(sections=(), warnings=("toll: the vehicle's axle count is unknown",))
    assert tolls.totals() == ()
