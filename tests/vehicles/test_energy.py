"""Energy model: calibration, physics directions, recuperation cap, degenerate edges."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voltroute.vehicles import Vehicle, edge_energy_kwh, leg_energy_kwh
from voltroute.vehicles.energy import (
    G_MPS2,
    J_PER_KWH,
    air_density_kg_m3,
    auxiliary_power_kw,
    driving_time_s,
    flat_consumption_kwh_per_km,
)

from .samples import EACTROS

KPH_80_S_PER_KM = 1000.0 / (80.0 / 3.6)


def payload_for_gross_kg(vehicle: Vehicle, gross_mass_kg: float) -> float:
    return gross_mass_kg - vehicle.curb_mass_kg


def test_forty_tonnes_on_a_flat_motorway_at_80_kph_uses_1_0_to_1_15_kwh_per_km(
    eactros: Vehicle,
) -> None:
    kwh = edge_energy_kwh(
        eactros, payload_for_gross_kg(eactros, 40_000), 10_000.0, 10 * KPH_80_S_PER_KM, 0.0
    )
    assert 1.0 <= kwh / 10.0 <= 1.15


def test_thirty_tonnes_uses_less_than_forty_but_more_than_the_empty_truck(eactros: Vehicle) -> None:
    per_km = {
        gross: flat_consumption_kwh_per_km(eactros, payload_for_gross_kg(eactros, gross), 80.0)
        for gross in (eactros.curb_mass_kg, 30_000.0, 40_000.0)
    }
    assert per_km[eactros.curb_mass_kg] < per_km[30_000.0] < per_km[40_000.0]
    assert 0.85 <= per_km[30_000.0] <= 1.05


@pytest.mark.parametrize("elevation_delta_m", [0.0, 5.0, 40.0])
@given(light_kg=st.floats(0, 25_000), extra_kg=st.floats(1, 10_000))
def test_more_payload_needs_more_energy_on_level_and_uphill_roads(
    elevation_delta_m: float, light_kg: float, extra_kg: float
) -> None:
    light = edge_energy_kwh(EACTROS, light_kg, 1000.0, 45.0, elevation_delta_m)
    heavy = edge_energy_kwh(EACTROS, light_kg + extra_kg, 1000.0, 45.0, elevation_delta_m)
    assert heavy > light


def test_uphill_needs_more_than_level_and_level_more_than_downhill(eactros: Vehicle) -> None:
    payload_kg = payload_for_gross_kg(eactros, 40_000)
    uphill, level, downhill = (
        edge_energy_kwh(eactros, payload_kg, 1000.0, 45.0, delta_m)
        for delta_m in (20.0, 0.0, -20.0)
    )
    assert uphill > level > downhill


def test_climbing_costs_the_potential_energy_through_the_drivetrain(eactros: Vehicle) -> None:
    payload_kg = payload_for_gross_kg(eactros, 40_000)
    level = edge_energy_kwh(eactros, payload_kg, 1000.0, 45.0, 0.0)
    uphill = edge_energy_kwh(eactros, payload_kg, 1000.0, 45.0, 20.0)
    potential_kwh = 40_000 * G_MPS2 * 20.0 / J_PER_KWH / eactros.drivetrain_efficiency
    # The only other change is cos(grade) in rolling resistance: 0.02 % at a 2 % grade.
    assert uphill - level == pytest.approx(potential_kwh, rel=1e-3)


def test_a_steep_long_descent_recovers_energy(eactros: Vehicle) -> None:
    # 5 % down over 5 km at 70 km/h with 40 t.
    kwh = edge_energy_kwh(
        eactros, payload_for_gross_kg(eactros, 40_000), 5000.0, 5000.0 / (70 / 3.6), -250.0
    )
    assert kwh < 0.0


def _descent_parts_kwh(
    vehicle: Vehicle, payload_kg: float, length_m: float, duration_s: float, drop_m: float
) -> tuple[float, float]:
    """(uncapped recoverable energy, auxiliary energy) for a descent, computed independently."""
    mass_kg = vehicle.curb_mass_kg + payload_kg
    sin_grade = drop_m / length_m
    speed_mps = length_m / duration_s
    force_n = (
        mass_kg * G_MPS2 * vehicle.rolling_resistance * math.sqrt(1 - sin_grade**2)
        + 0.5 * air_density_kg_m3() * vehicle.drag_area_m2 * speed_mps**2
        - mass_kg * G_MPS2 * sin_grade
    )
    assert force_n < 0, "the test descent must need braking"
    recoverable_kwh = -force_n * length_m / J_PER_KWH * vehicle.recuperation_efficiency
    return recoverable_kwh, vehicle.auxiliary_kw * duration_s / 3600.0


def test_a_fast_steep_descent_recovers_only_the_power_cap_times_the_time(eactros: Vehicle) -> None:
    payload_kg = payload_for_gross_kg(eactros, 40_000)
    # 10 % down over 2 km at 80 km/h: ~800 kW of braking power, far above the 350 kW cap.
    length_m, duration_s, drop_m = 2000.0, 90.0, 200.0
    recoverable_kwh, auxiliary_kwh = _descent_parts_kwh(
        eactros, payload_kg, length_m, duration_s, drop_m
    )
    cap_kwh = eactros.recuperation_max_kw * duration_s / 3600.0
    assert recoverable_kwh > cap_kwh
    kwh = edge_energy_kwh(eactros, payload_kg, length_m, duration_s, -drop_m)
    assert kwh == pytest.approx(auxiliary_kwh - cap_kwh, rel=1e-12)


def test_a_gentle_descent_below_the_cap_recovers_through_the_recuperation_efficiency(
    eactros: Vehicle,
) -> None:
    payload_kg = payload_for_gross_kg(eactros, 40_000)
    length_m, duration_s, drop_m = 5000.0, 5000.0 / (70 / 3.6), 150.0  # 3 % at 70 km/h
    recoverable_kwh, auxiliary_kwh = _descent_parts_kwh(
        eactros, payload_kg, length_m, duration_s, drop_m
    )
    assert recoverable_kwh < eactros.recuperation_max_kw * duration_s / 3600.0
    kwh = edge_energy_kwh(eactros, payload_kg, length_m, duration_s, -drop_m)
    assert kwh == pytest.approx(auxiliary_kwh - recoverable_kwh, rel=1e-12)


def test_the_same_drop_recovers_less_when_driven_fast_enough_to_hit_the_power_cap(
    eactros: Vehicle,
) -> None:
    payload_kg = payload_for_gross_kg(eactros, 40_000)
    # Auxiliary energy is excluded so that only recuperation is compared.
    no_aux = dataclasses.replace(eactros, auxiliary_kw=0.0)
    uncapped = dataclasses.replace(no_aux, recuperation_max_kw=math.inf)
    fast = edge_energy_kwh(no_aux, payload_kg, 2000.0, 90.0, -200.0)  # 80 km/h: capped
    slow = edge_energy_kwh(no_aux, payload_kg, 2000.0, 240.0, -200.0)  # 30 km/h: not capped
    assert slow < fast < 0.0
    assert fast > edge_energy_kwh(uncapped, payload_kg, 2000.0, 90.0, -200.0)
    assert slow == edge_energy_kwh(uncapped, payload_kg, 2000.0, 240.0, -200.0)


def test_a_zero_length_edge_uses_only_auxiliary_energy(eactros: Vehicle) -> None:
    kwh = edge_energy_kwh(eactros, 20_000.0, 0.0, 30.0, 12.0)
    assert kwh == pytest.approx(eactros.auxiliary_kw * 30.0 / 3600.0, rel=1e-12)
    assert edge_energy_kwh(eactros, 20_000.0, 0.0, 0.0, 0.0) == 0.0


def test_a_zero_duration_edge_is_driven_at_the_speed_limiter(eactros: Vehicle) -> None:
    at_limiter_s = 1000.0 / eactros.speed_limiter_mps
    zero = edge_energy_kwh(eactros, 20_000.0, 1000.0, 0.0, 5.0)
    assert math.isfinite(zero)
    assert zero == pytest.approx(edge_energy_kwh(eactros, 20_000.0, 1000.0, at_limiter_s, 5.0))


def test_speeds_above_the_limiter_are_capped(eactros: Vehicle) -> None:
    at_limiter_s = 1000.0 / eactros.speed_limiter_mps
    assert driving_time_s(eactros, 1000.0, 20.0) == pytest.approx(at_limiter_s)
    too_fast = edge_energy_kwh(eactros, 20_000.0, 1000.0, 20.0, 0.0)  # 180 km/h on the map
    assert too_fast == pytest.approx(edge_energy_kwh(eactros, 20_000.0, 1000.0, at_limiter_s, 0.0))


def test_mild_weather_draws_the_base_auxiliary_power(eactros: Vehicle) -> None:
    assert auxiliary_power_kw(eactros) == eactros.auxiliary_kw
    assert auxiliary_power_kw(eactros, 20.0) == eactros.auxiliary_kw


def test_auxiliary_power_rises_away_from_the_comfort_band(eactros: Vehicle) -> None:
    temperatures_c = [-20.0, -10.0, 0.0, 10.0, 15.0]
    heating = [auxiliary_power_kw(eactros, t) for t in temperatures_c]
    assert heating == sorted(heating, reverse=True)
    assert heating[1] == pytest.approx(eactros.auxiliary_kw + 25 * eactros.heating_kw_per_k)
    assert auxiliary_power_kw(eactros, 35.0) == pytest.approx(
        eactros.auxiliary_kw + 10 * eactros.cooling_kw_per_k
    )


def test_cold_air_is_denser_and_a_cold_day_costs_more(eactros: Vehicle) -> None:
    assert air_density_kg_m3(-10.0) > air_density_kg_m3() > air_density_kg_m3(30.0)
    assert air_density_kg_m3(15.0) == pytest.approx(1.225, abs=1e-3)  # ISA sea level
    payload_kg = payload_for_gross_kg(eactros, 40_000)
    cold = flat_consumption_kwh_per_km(eactros, payload_kg, 80.0, ambient_c=-10.0)
    mild = flat_consumption_kwh_per_km(eactros, payload_kg, 80.0)
    assert cold > mild


@pytest.mark.parametrize(
    ("payload_kg", "length_m", "duration_s", "elevation_delta_m"),
    [
        (-1.0, 100.0, 5.0, 0.0),
        (0.0, -1.0, 5.0, 0.0),
        (0.0, 100.0, -5.0, 0.0),
        (0.0, 100.0, 5.0, math.nan),
        (math.inf, 100.0, 5.0, 0.0),
    ],
)
def test_negative_or_non_finite_edge_inputs_are_rejected(
    eactros: Vehicle,
    payload_kg: float,
    length_m: float,
    duration_s: float,
    elevation_delta_m: float,
) -> None:
    with pytest.raises(ValueError, match="must be finite"):
        edge_energy_kwh(eactros, payload_kg, length_m, duration_s, elevation_delta_m)


@dataclass(frozen=True)
class _Edge:
    length_m: float
    duration_s: float
    elevation_start_m: float
    elevation_end_m: float


def test_leg_energy_is_the_sum_of_its_edges(eactros: Vehicle) -> None:
    edges = [
        _Edge(1000.0, 45.0, 100.0, 120.0),
        _Edge(0.0, 10.0, 120.0, 120.0),
        _Edge(3000.0, 140.0, 120.0, 20.0),
    ]
    expected = sum(
        edge_energy_kwh(
            eactros,
            10_000.0,
            e.length_m,
            e.duration_s,
            e.elevation_end_m - e.elevation_start_m,
            5.0,
        )
        for e in edges
    )
    assert leg_energy_kwh(eactros, 10_000.0, edges, ambient_c=5.0) == pytest.approx(expected)
    assert leg_energy_kwh(eactros, 10_000.0, []) == 0.0
