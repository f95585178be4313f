"""The vehicle as a toll system sees it: permissible mass, axles, emission and CO2 class."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Defaults when a vehicle does not say; each follows BFStrMG section 5, which charges the
# highest applicable rate for a fact the owner cannot prove.
DEFAULT_GROSS_MASS_KG = 40_000.0  # EU limit for a 5-axle combination: the over-18 t classes
DEFAULT_AXLE_COUNT = 5  # tractor + semi-trailer; the 5+ axle class has the highest CO2 rate
EMISSION_FREE_CO2_CLASS = 5  # Directive 1999/62/EC Art. 7ga: zero-emission vehicles
MIN_CO2_CLASS = 1
MAX_CO2_CLASS = 5


class EuroClass(StrEnum):
    """EURO pollutant class of a combustion engine (EEV: enhanced environmentally friendly)."""

    NONE = "none"
    I = "I"  # noqa: E741 (the class is called I)
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"
    EEV = "EEV"
    VI = "VI"


@dataclass(frozen=True, slots=True)
class TollVehicle:
    """Toll-relevant facts of a vehicle or combination.

    gross_mass_kg is the technically permissible gross mass (the law's tzGm), not the loaded mass.
    """

    gross_mass_kg: float
    axle_count: int
    emission_free: bool
    euro_class: EuroClass | None  # None: unknown, or no combustion engine
    co2_class: int | None  # 1..5; None: unknown

    def __post_init__(self) -> None:
        if not self.gross_mass_kg > 0:
            raise ValueError(f"gross_mass_kg must be > 0, got {self.gross_mass_kg}")
        if self.axle_count < 2:
            raise ValueError(f"axle_count must be >= 2, got {self.axle_count}")
        if self.co2_class is not None and not MIN_CO2_CLASS <= self.co2_class <= MAX_CO2_CLASS:
            raise ValueError(f"co2_class must be within 1..5, got {self.co2_class}")
        if self.emission_free and self.co2_class not in (None, EMISSION_FREE_CO2_CLASS):
            raise ValueError("an emission-free vehicle is in CO2 class 5")


def toll_vehicle(
    gross_mass_kg: float | None,
    axle_count: int | None,
    *,
    emission_free: bool,
    euro_class: EuroClass | None = None,
    co2_class: int | None = None,
) -> tuple[TollVehicle, tuple[str, ...]]:
    """A TollVehicle from what is known, with documented defaults and a warning for each."""
    warnings: list[str] = []
    if gross_mass_kg is None or gross_mass_kg <= 0:
        warnings.append(
            "toll: the vehicle's permissible gross mass is unknown; assumed "
            f"{DEFAULT_GROSS_MASS_KG / 1000:g} t (BFStrMG section 5: highest rate by axles)"
        )
        gross_mass_kg = DEFAULT_GROSS_MASS_KG
    if axle_count is None or axle_count < 2:
        warnings.append(
            f"toll: the vehicle's axle count is unknown; assumed {DEFAULT_AXLE_COUNT} axles "
            "(tractor and semi-trailer, the highest rate class)"
        )
        axle_count = DEFAULT_AXLE_COUNT
    if emission_free:
        co2_class = EMISSION_FREE_CO2_CLASS
    else:
        if euro_class is None:
            warnings.append(
                "toll: EURO class unknown; air-pollution category F applies (BFStrMG section 5)"
            )
        if co2_class is None:
            warnings.append("toll: CO2 class unknown; class 1 applies (BFStrMG section 5)")
    vehicle = TollVehicle(
        gross_mass_kg=gross_mass_kg,
        axle_count=axle_count,
        emission_free=emission_free,
        euro_class=euro_class,
        co2_class=co2_class,
    )
    return vehicle, tuple(warnings)


def diesel_equivalent(vehicle: TollVehicle) -> TollVehicle:
    """A new diesel truck of the same mass and axles: EURO VI, CO2 class 1 (no CO2 reduction)."""
    return TollVehicle(
        gross_mass_kg=vehicle.gross_mass_kg,
        axle_count=vehicle.axle_count,
        emission_free=False,
        euro_class=EuroClass.VI,
        co2_class=1,
    )
