"""The vehicle value type: everything the energy model and the charging model need."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise


class InletSide(StrEnum):
    """The side of the truck where the charging inlet sits (a bay must suit it)."""

    RIGHT = "RIGHT"
    LEFT = "LEFT"
    BOTH = "BOTH"


class Connector(StrEnum):
    """DC charging connector standards for heavy trucks."""

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
        if any(b <= a for a, b in pairwise(socs)):
            raise ValueError("charging curve soc values must be strictly increasing")
        if any(not math.isfinite(p[1]) for p in self.points):
            raise ValueError("charging curve power must be finite")
        if any(p[1] < 0 for p in self.points):
            raise ValueError("charging curve power must not be negative")

    def power_kw(self, soc: float) -> float:
        """Curve power at a state of charge (0..1), interpolated linearly."""
        if not 0.0 <= soc <= 1.0:
            raise ValueError(f"soc must be within 0..1, got {soc}")
        for (s0, p0), (s1, p1) in pairwise(self.points):
            if soc <= s1:
                return lerp_kw(s0, p0, s1, p1, soc)
        return self.points[-1][1]


def lerp_kw(soc_0: float, power_0_kw: float, soc_1: float, power_1_kw: float, soc: float) -> float:
    """Linear interpolation that returns the end points exactly (a curve's zero must stay zero)."""
    if soc == soc_1:
        return power_1_kw
    return power_0_kw + (power_1_kw - power_0_kw) * ((soc - soc_0) / (soc_1 - soc_0))


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


# The range of each figure, checked in this order: (figures, test, what the message says).
_FIGURE_RANGES: tuple[tuple[tuple[str, ...], Callable[[float], bool], str], ...] = (
    (
        (
            "battery_usable_kwh",
            "curb_mass_kg",
            "max_gross_mass_kg",
            "height_m",
            "width_m",
            "length_m",
            "drag_area_m2",
            "rolling_resistance",
            "drivetrain_efficiency",
            "recuperation_efficiency",
            "auxiliary_kw",
            "speed_limiter_kph",
            "charging_efficiency",
            "plug_overhead_min",
            "comfort_min_c",
            "comfort_max_c",
            "heating_kw_per_k",
            "cooling_kw_per_k",
        ),
        math.isfinite,
        "finite",
    ),
    # Power caps may be infinite ("no limit"), never negative or NaN.
    (("ccs_max_kw", "mcs_max_kw", "recuperation_max_kw"), lambda value: value >= 0.0, ">= 0"),
    (
        (
            "battery_usable_kwh",
            "curb_mass_kg",
            "height_m",
            "width_m",
            "length_m",
            "speed_limiter_kph",
        ),
        lambda value: value > 0.0,
        "> 0",
    ),
    (
        (
            "drag_area_m2",
            "rolling_resistance",
            "auxiliary_kw",
            "plug_overhead_min",
            "heating_kw_per_k",
            "cooling_kw_per_k",
        ),
        lambda value: value >= 0.0,
        ">= 0",
    ),
    (
        ("drivetrain_efficiency", "charging_efficiency"),
        lambda value: 0.0 < value <= 1.0,
        "within (0, 1]",
    ),
    (("recuperation_efficiency",), lambda value: 0.0 <= value <= 1.0, "within [0, 1]"),
)


@dataclass(frozen=True, slots=True)
class Vehicle:
    """A battery-electric truck (tractor + trailer where applicable) with its model parameters.

    Every figure the energy and charging models use lives here, so a custom vehicle can override
    any of them. Construction rejects physically meaningless values (it never clamps).
    """

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
    recuperation_max_kw: float  # electrical power into the battery while recuperating
    auxiliary_kw: float  # HVAC, air compressor, electronics, mean, in mild weather
    speed_limiter_kph: float
    charging_efficiency: float  # grid -> battery
    plug_overhead_min: float  # parking, plugging in and out, per charging stop
    # Auxiliary load grows linearly with the distance of the ambient temperature from a comfort
    # band in which neither cab nor battery needs conditioning (see energy.auxiliary_power_kw).
    comfort_min_c: float = 15.0
    comfort_max_c: float = 25.0
    heating_kw_per_k: float = 0.25  # cab heating + battery warming, per kelvin below the band
    cooling_kw_per_k: float = 0.15  # cab A/C + battery chiller, per kelvin above the band
    # Installed (gross) capacity; None when not published, then taken equal to the usable one.
    battery_gross_kwh: float | None = None

    def __post_init__(self) -> None:
        _require(bool(self.vehicle_id.strip()), "vehicle_id must not be empty")
        for names, holds, must_be in _FIGURE_RANGES:
            for name in names:
                value = getattr(self, name)
                _require(holds(value), f"{name} must be {must_be}, got {value}")
        _require(
            self.max_gross_mass_kg >= self.curb_mass_kg,
            "max_gross_mass_kg must be at least curb_mass_kg",
        )
        _require(self.axle_count >= 2, f"axle_count must be >= 2, got {self.axle_count}")
        if self.battery_gross_kwh is not None:
            _require(
                math.isfinite(self.battery_gross_kwh)
                and self.battery_gross_kwh >= self.battery_usable_kwh,
                "battery_gross_kwh must be finite and at least battery_usable_kwh",
            )
        _require(
            self.comfort_min_c <= self.comfort_max_c,
            "comfort_min_c must not exceed comfort_max_c",
        )

    @property
    def battery_installed_kwh(self) -> float:
        """Gross battery capacity, or the usable one when the gross is not known."""
        return self.battery_usable_kwh if self.battery_gross_kwh is None else self.battery_gross_kwh

    @property
    def speed_limiter_mps(self) -> float:
        """The speed limiter in metres per second."""
        return self.speed_limiter_kph / 3.6

    @property
    def plug_overhead_s(self) -> float:
        """Fixed time per charging stop (parking, plugging in and out) in seconds."""
        return self.plug_overhead_min * 60.0

    def inlet_max_kw(self, connector: Connector) -> float:
        """Maximum power the vehicle's inlet accepts on this connector (0 when it has none)."""
        return self.ccs_max_kw if connector == Connector.CCS else self.mcs_max_kw
