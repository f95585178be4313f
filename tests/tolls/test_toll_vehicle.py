"""The toll class of a vehicle: documented defaults with warnings, emission-free is CO2 class 5."""

from __future__ import annotations

import pytest

from voltroute.tolls import (
    DEFAULT_AXLE_COUNT,
    DEFAULT_GROSS_MASS_KG,
    EuroClass,
    TollVehicle,
    diesel_equivalent,
    toll_vehicle,
)


def test_a_fully_described_electric_truck_needs_no_default() -> None:
    vehicle, warnings = toll_vehicle(40_000, 5, emission_free=True)

    assert vehicle == TollVehicle(40_000, 5, emission_free=True, euro_class=None, co2_class=5)
    assert warnings == ()


def test_a_missing_axle_count_defaults_to_five_and_says_so() -> None:
    vehicle, warnings = toll_vehicle(40_000, None, emission_free=True)

    assert vehicle.axle_count == DEFAULT_AXLE_COUNT == 5
    assert len(warnings) == 1
    assert "axle count is unknown" in warnings[0]


def test_a_missing_mass_defaults_to_40_t_and_cites_section_5() -> None:
    vehicle, warnings = toll_vehicle(None, 5, emission_free=True)

    assert vehicle.gross_mass_kg == DEFAULT_GROSS_MASS_KG == 40_000
    assert len(warnings) == 1
    assert "gross mass is unknown" in warnings[0]
    assert "section 5" in warnings[0]


def test_missing_mass_and_axles_give_two_warnings() -> None:
    _, warnings = toll_vehicle(None, None, emission_free=True)

    assert len(warnings) == 2


def test_a_combustion_truck_without_euro_or_co2_class_is_warned_about_both() -> None:
    vehicle, warnings = toll_vehicle(18_000, 2, emission_free=False)

    assert vehicle.euro_class is None
    assert vehicle.co2_class is None
    assert any("category F" in w for w in warnings)
    assert any("class 1" in w for w in warnings)


def test_the_diesel_equivalent_keeps_mass_and_axles_and_is_euro_vi_co2_class_1() -> None:
    electric, _ = toll_vehicle(26_000, 3, emission_free=True)

    assert diesel_equivalent(electric) == TollVehicle(
        26_000, 3, emission_free=False, euro_class=EuroClass.VI, co2_class=1
    )


@pytest.mark.parametrize(
    ("mass_kg", "axles", "emission_free", "co2_class", "message"),
    [
        (0.0, 5, False, 1, "gross_mass_kg must be > 0"),
        (40_000, 1, False, 1, "axle_count must be >= 2"),
        (40_000, 5, False, 6, "co2_class must be within 1..5"),
        (40_000, 5, True, 1, "emission-free vehicle is in CO2 class 5"),
    ],
)
def test_impossible_toll_vehicles_are_rejected(
    mass_kg: float, axles: int, emission_free: bool, co2_class: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        TollVehicle(mass_kg, axles, emission_free, EuroClass.VI, co2_class)
