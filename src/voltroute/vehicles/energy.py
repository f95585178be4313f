"""Energy model: battery energy for driving a road edge, from longitudinal dynamics.

Each edge is driven at its mean speed (length / duration, capped by the speed limiter). The
tractive force is rolling resistance + air drag + grade force; acceleration within an edge is not
modelled (the router's mean speeds already include it, and the published consumption figures we
calibrate against are averages over real driving). Traction energy is drawn through the drivetrain
efficiency; braking energy is recovered through the recuperation efficiency and capped by the
recuperation power limit, the rest goes to the friction brakes and retarder. Auxiliary power
(HVAC, compressor, electronics) runs for the whole driving time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Protocol

from voltroute.vehicles.vehicle import Vehicle

G_MPS2 = 9.80665
J_PER_KWH = 3.6e6
S_PER_H = 3600.0
STANDARD_PRESSURE_PA = 101_325.0
DRY_AIR_GAS_CONSTANT_J_PER_KG_K = 287.05
ZERO_CELSIUS_K = 273.15
# "Mild weather": the ambient temperature assumed when none is known. Daimler's 500 km range
# figure for the eActros 600 was measured at 20 C.
MILD_AMBIENT_C = 20.0


class EdgeLike(Protocol):
    """What leg_energy_kwh needs from an edge; voltroute.routing.Edge fits it structurally."""

    @property
    def length_m(self) -> float: ...

    @property
    def duration_s(self) -> float: ...

    @property
    def elevation_start_m(self) -> float: ...

    @property
    def elevation_end_m(self) -> float: ...


def _check_ambient(ambient_c: float | None) -> float:
    if ambient_c is None:
        return MILD_AMBIENT_C
    if not (math.isfinite(ambient_c) and ambient_c > -ZERO_CELSIUS_K):
        raise ValueError(f"ambient_c must be a finite temperature above absolute zero: {ambient_c}")
    return ambient_c


def air_density_kg_m3(ambient_c: float | None = None) -> float:
    """Dry-air density at sea-level standard pressure and the given temperature (None: 20 C)."""
    # Pressure also falls with altitude (about -1 % per 100 m), but edge_energy_kwh gets only an
    # elevation difference, not an altitude; sea-level pressure errs on the heavy side.
    temperature_k = _check_ambient(ambient_c) + ZERO_CELSIUS_K
    return STANDARD_PRESSURE_PA / (DRY_AIR_GAS_CONSTANT_J_PER_KG_K * temperature_k)


def auxiliary_power_kw(vehicle: Vehicle, ambient_c: float | None = None) -> float:
    """Auxiliary power at an ambient temperature; None means mild weather (the base load).

    Inside the vehicle's comfort band (15-25 C by default) only the base auxiliary_kw is drawn.
    Below it, cab heating and battery warming add heating_kw_per_k per kelvin; above it, cab A/C
    and the battery chiller add cooling_kw_per_k per kelvin. Linear is crude but monotone and
    keeps every parameter overridable per vehicle.
    """
    if ambient_c is None:
        return vehicle.auxiliary_kw
    t_c = _check_ambient(ambient_c)
    below_k = max(0.0, vehicle.comfort_min_c - t_c)
    above_k = max(0.0, t_c - vehicle.comfort_max_c)
    return (
        vehicle.auxiliary_kw
        + vehicle.heating_kw_per_k * below_k
        + vehicle.cooling_kw_per_k * above_k
    )


def driving_time_s(vehicle: Vehicle, length_m: float, duration_s: float) -> float:
    """Time the truck needs for an edge: the router's duration, or longer if the limiter binds."""
    if length_m <= 0.0:
        return duration_s
    return max(duration_s, length_m / vehicle.speed_limiter_mps)


def edge_energy_kwh(
    vehicle: Vehicle,
    payload_kg: float,
    length_m: float,
    duration_s: float,
    elevation_delta_m: float,
    ambient_c: float | None = None,
) -> float:
    """Battery energy (kWh) to drive one edge; negative means net recuperation.

    length_m is the distance driven; elevation_delta_m is end minus start elevation.
    """
    for name, value in {
        "payload_kg": payload_kg,
        "length_m": length_m,
        "duration_s": duration_s,
    }.items():
        if not (math.isfinite(value) and value >= 0.0):
            raise ValueError(f"{name} must be finite and >= 0, got {value}")
    if not math.isfinite(elevation_delta_m):
        raise ValueError(f"elevation_delta_m must be finite, got {elevation_delta_m}")

    time_s = driving_time_s(vehicle, length_m, duration_s)
    auxiliary_kwh = auxiliary_power_kw(vehicle, ambient_c) * time_s / S_PER_H
    if length_m == 0.0:
        # A degenerate edge (a node pair at the same place): no distance, so no traction, and a
        # grade over zero length is undefined; only the time-based load remains.
        return auxiliary_kwh

    speed_mps = length_m / time_s  # time_s > 0: the limiter bounds the speed
    mass_kg = vehicle.curb_mass_kg + payload_kg
    # length_m is the distance along the road, so the climb angle's sine is rise over length; a
    # rise longer than the edge is bad elevation data and is clamped to a vertical edge.
    sin_grade = max(-1.0, min(1.0, elevation_delta_m / length_m))
    cos_grade = math.sqrt(1.0 - sin_grade * sin_grade)

    rolling_n = mass_kg * G_MPS2 * vehicle.rolling_resistance * cos_grade
    drag_n = 0.5 * air_density_kg_m3(ambient_c) * vehicle.drag_area_m2 * speed_mps * speed_mps
    grade_n = mass_kg * G_MPS2 * sin_grade
    wheel_kwh = (rolling_n + drag_n + grade_n) * length_m / J_PER_KWH

    if wheel_kwh >= 0.0:
        traction_kwh = wheel_kwh / vehicle.drivetrain_efficiency
    else:
        recoverable_kwh = -wheel_kwh * vehicle.recuperation_efficiency
        # The battery and e-axle accept at most recuperation_max_kw; at a steady speed the
        # braking power is spread evenly over the edge, so the cap is power x time.
        cap_kwh = vehicle.recuperation_max_kw * time_s / S_PER_H
        traction_kwh = -min(recoverable_kwh, cap_kwh)
    return traction_kwh + auxiliary_kwh


def leg_energy_kwh(
    vehicle: Vehicle,
    payload_kg: float,
    edges: Iterable[EdgeLike],
    ambient_c: float | None = None,
) -> float:
    """Battery energy (kWh) to drive a sequence of edges: the sum of edge_energy_kwh."""
    return math.fsum(
        edge_energy_kwh(
            vehicle,
            payload_kg,
            edge.length_m,
            edge.duration_s,
            edge.elevation_end_m - edge.elevation_start_m,
            ambient_c,
        )
        for edge in edges
    )


def flat_consumption_kwh_per_km(
    vehicle: Vehicle, payload_kg: float, speed_kph: float, ambient_c: float | None = None
) -> float:
    """Steady-state consumption on a level road at a constant speed, in kWh per km."""
    if not (math.isfinite(speed_kph) and speed_kph > 0.0):
        raise ValueError(f"speed_kph must be finite and > 0, got {speed_kph}")
    length_m = 1000.0
    return edge_energy_kwh(
        vehicle, payload_kg, length_m, length_m / (speed_kph / 3.6), 0.0, ambient_c
    )
