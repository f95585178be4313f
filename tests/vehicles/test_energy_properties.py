"""Flat-ground physics for every catalogue vehicle: consumption rises with speed and mass."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from voltroute.vehicles import Catalogue, Vehicle
from voltroute.vehicles.energy import flat_consumption_kwh_per_km

CATALOGUE = list(Catalogue())
vehicles = st.sampled_from(CATALOGUE)
payloads_kg = st.floats(0.0, 19_000.0)
# Below ~30 km/h the auxiliary load per km (aux power / speed) outweighs the growth of air drag,
# so a crawling truck uses more per km than a slow one; above it drag dominates.
cruise_speeds_kph = st.floats(40.0, 85.0)


@given(vehicles, payloads_kg, cruise_speeds_kph, st.floats(1.0, 20.0))
def test_on_flat_ground_consumption_rises_with_speed(
    vehicle: Vehicle, payload_kg: float, speed_kph: float, faster_by_kph: float
) -> None:
    faster_kph = min(speed_kph + faster_by_kph, vehicle.speed_limiter_kph)
    slow = flat_consumption_kwh_per_km(vehicle, payload_kg, speed_kph)
    fast = flat_consumption_kwh_per_km(vehicle, payload_kg, faster_kph)
    assert fast >= slow if faster_kph > speed_kph else fast == slow


@given(vehicles, payloads_kg, cruise_speeds_kph, st.floats(100.0, 10_000.0))
def test_on_flat_ground_consumption_rises_with_mass(
    vehicle: Vehicle, payload_kg: float, speed_kph: float, heavier_by_kg: float
) -> None:
    light = flat_consumption_kwh_per_km(vehicle, payload_kg, speed_kph)
    heavy = flat_consumption_kwh_per_km(vehicle, payload_kg + heavier_by_kg, speed_kph)
    assert heavy > light


@given(vehicles, payloads_kg, st.floats(5.0, 40.0), st.floats(1.0, 40.0))
def test_without_auxiliary_load_consumption_rises_with_speed_at_any_speed(
    vehicle: Vehicle, payload_kg: float, speed_kph: float, faster_by_kph: float
) -> None:
    no_aux = dataclasses.replace(vehicle, auxiliary_kw=0.0)
    slow = flat_consumption_kwh_per_km(no_aux, payload_kg, speed_kph)
    fast = flat_consumption_kwh_per_km(no_aux, payload_kg, speed_kph + faster_by_kph)
    assert fast > slow


@given(vehicles, payloads_kg)
def test_the_mass_term_is_rolling_resistance_through_the_drivetrain(
    vehicle: Vehicle, payload_kg: float
) -> None:
    extra_kg = 1000.0
    delta = flat_consumption_kwh_per_km(
        vehicle, payload_kg + extra_kg, 80.0
    ) - flat_consumption_kwh_per_km(vehicle, payload_kg, 80.0)
    expected_kwh_per_km = (
        extra_kg * 9.80665 * vehicle.rolling_resistance / vehicle.drivetrain_efficiency / 3600.0
    )
    assert abs(delta - expected_kwh_per_km) < 1e-9
