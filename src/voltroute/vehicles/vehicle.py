"""The vehicle value type: everything the energy model and the charging model need."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class InletSide(StrEnum):
    RIGHT = "RIGHT"
    LEFT = "LEFT"
    BOTH = "BOTH"


class Connector(StrEnum):
    CCS = "CCS"
    MCS = "MCS"


@dataclass(frozen=True, slots=True)
class ChargingCurve:
    """Battery-side charging power limit over state of charge, piecewise linear.

    points: (soc 0..1, power_kw) pairs, soc strictly increasing, first at 0.0 and last at 1.0.
    """

    points: tuple[tuple[float, float], ...]

    def __post_init__(self) -> None:
        socs = [p[0] for p in self.points]
        if len(self.points) < 2 or socs[0] != 0.0 or socs[-1] != 1.0:
            raise ValueError("a charging curve needs points from soc 0.0 to 1.0")
        if any(b <= a for a, b in zip(socs, socs[1:], strict=False)):
            raise ValueError("charging curve soc values must be strictly increasing")
        if any(p[1] < 0 for p in self.points):
            raise ValueError("charging curve power must not be negative")


@dataclass(frozen=True, slots=True)
class Vehicle:
    """A battery-electric truck (tractor + trailer where applicable) with its model parameters."""

    vehicle_id: str
    manufacturer: str
    model: str
    battery_usable_kwh: float
    ccs_max_kw: float
    mcs_max_kw: float  # 0 when the truck has no MCS inlet
    inlet_side: InletSide
    charging_curve: ChargingCurve
    curb_mass_kg: float  # tractor + empty trailer
    max_gross_mass_kg: float
    axle_count: int
    height_m: float
    width_m: float
    length_m: float
    drag_area_m2: float  # cd x frontal area
    rolling_resistance: float  # dimensionless coefficient
    drivetrain_efficiency: float  # battery -> wheel, traction
    recuperation_efficiency: float  # wheel -> battery, braking
    recuperation_max_kw: float
    auxiliary_kw: float  # HVAC, air compressor, electronics, mean
    speed_limiter_kph: float
    charging_efficiency: float  # grid -> battery
    plug_overhead_min: float  # parking, plugging in and out, per charging stop
