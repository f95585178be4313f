"""Rates from the law: the act's example truck, the electric exemption and its end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from voltroute.tolls import (
    EuroClass,
    Tariff,
    TollVehicle,
    cost_cents,
    find_tariff,
    packaged_tariffs,
    toll_vehicle,
    vehicle_rate,
)

IN_2026 = date(2026, 9, 1)
HUNDRED_KM_M = 100_000.0


def german(on: date = IN_2026) -> Tariff:
    tariff = find_tariff(packaged_tariffs(), "DE", on)
    assert tariff is not None
    return tariff


def diesel_40t() -> TollVehicle:
    return TollVehicle(40_000, 5, emission_free=False, euro_class=EuroClass.VI, co2_class=1)


def electric_40t() -> TollVehicle:
    return TollVehicle(40_000, 5, emission_free=True, euro_class=None, co2_class=5)


def test_40t_5_axles_euro_vi_co2_class_1_pays_34_80_eur_per_100_km() -> None:
    rate = vehicle_rate(german(), diesel_40t(), IN_2026)

    assert rate is not None
    assert [c.rate_eur_per_km for c in rate.components] == [
        Decimal("0.155"),
        Decimal("0.023"),
        Decimal("0.012"),
        Decimal("0.158"),
    ]
    assert rate.charged_rate_eur_per_km == Decimal("0.348")
    assert cost_cents(rate.charged_rate_eur_per_km, HUNDRED_KM_M) == 3480


def test_the_same_truck_battery_electric_pays_nothing_and_the_exemption_is_named() -> None:
    rate = vehicle_rate(german(), electric_40t(), IN_2026)

    assert rate is not None
    assert rate.exemption is not None
    assert rate.exemption.citation == "BFStrMG section 1(2) sentence 1 no. 7"
    assert cost_cents(rate.charged_rate_eur_per_km, HUNDRED_KM_M) == 0


def test_the_exemption_still_holds_on_30_june_2031() -> None:
    rate = vehicle_rate(german(), electric_40t(), date(2031, 6, 30))

    assert rate is not None
    assert rate.exemption is not None


def test_from_1_july_2031_the_electric_truck_pays_the_co2_class_5_rate() -> None:
    on = date(2031, 7, 1)
    rate = vehicle_rate(german(on), electric_40t(), on)

    assert rate is not None
    assert rate.exemption is None
    # Infrastructure 0.155 + air category G 0.001 + noise 0.012 + CO2 class 5 0.000
    assert {c.name: c.category for c in rate.components}["co2"] == "5"
    assert {c.name: c.category for c in rate.components}["air_pollution"] == "G"
    assert rate.charged_rate_eur_per_km == Decimal("0.168")
    assert cost_cents(rate.charged_rate_eur_per_km, HUNDRED_KM_M) == 1680


def test_a_light_electric_van_stays_exempt_after_2031_under_no_9() -> None:
    on = date(2032, 1, 1)
    van = TollVehicle(4_250, 2, emission_free=True, euro_class=None, co2_class=5)

    rate = vehicle_rate(german(on), van, on)

    assert rate is not None
    assert rate.exemption is not None
    assert rate.exemption.citation.endswith("no. 9")


def test_a_vehicle_of_3_5_t_is_not_tolled() -> None:
    van = TollVehicle(3_500, 2, emission_free=False, euro_class=EuroClass.VI, co2_class=1)

    assert vehicle_rate(german(), van, IN_2026) is None


def test_a_euro_v_truck_uses_category_b_and_the_class_1_row_for_euro_iv_v() -> None:
    truck = TollVehicle(26_000, 3, emission_free=False, euro_class=EuroClass.V, co2_class=1)

    rate = vehicle_rate(german(), truck, IN_2026)

    assert rate is not None
    assert [(c.category, c.rate_eur_per_km) for c in rate.components] == [
        (">18t_upto3axles", Decimal("0.141")),
        ("B", Decimal("0.062")),
        (">18t_upto3axles", Decimal("0.016")),
        ("1/EURO IV-V, EEV 1", Decimal("0.134")),
    ]


def test_unknown_euro_and_co2_class_cost_category_f_and_class_1_as_section_5_says() -> None:
    truck, _ = toll_vehicle(40_000, 5, emission_free=False)

    rate = vehicle_rate(german(), truck, IN_2026)

    assert rate is not None
    # 0.155 + F 0.187 + 0.012 + class 1, EURO I and worse, 0.162
    assert rate.charged_rate_eur_per_km == Decimal("0.516")


@pytest.mark.parametrize(
    ("rate", "distance_m", "cents"),
    [
        ("0.155", 100.0, 2),  # 1.55 cents: half rounds up
        ("0.155", 96.0, 1),  # 1.488 cents
        ("0.348", 1_437.5, 50),  # 50.025 cents
        ("0.348", 9_855.0, 343),
        ("0", 50_000.0, 0),
    ],
)
def test_costs_are_whole_cents_rounded_half_up(rate: str, distance_m: float, cents: int) -> None:
    assert cost_cents(Decimal(rate), distance_m) == cents
