"""A vehicle's toll rate under a tariff: its weight class, the rate components, exemptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from voltroute.tolls.tariff import Exemption, Tariff
from voltroute.tolls.toll_vehicle import TollVehicle

CENTS_PER_UNIT = 100  # EUR and the other currencies we know have 100 minor units


@dataclass(frozen=True, slots=True)
class TollComponent:
    """One part of the rate (BFStrMG: Mautteilsatz), e.g. infrastructure for >18 t, 5+ axles."""

    name: str  # infrastructure, air_pollution, noise, co2
    category: str  # the row or column of the tariff table it comes from
    rate_eur_per_km: Decimal


@dataclass(frozen=True, slots=True)
class VehicleRate:
    """What the law sets for a vehicle on a date: components, their sum, an exemption if any."""

    weight_class: str
    components: tuple[TollComponent, ...]
    exemption: Exemption | None

    @property
    def tariff_rate_eur_per_km(self) -> Decimal:
        """The sum of the components (the law's Mautsatz), before any exemption."""
        return sum((c.rate_eur_per_km for c in self.components), Decimal(0))

    @property
    def charged_rate_eur_per_km(self) -> Decimal:
        """The rate actually charged: zero for an exempt vehicle."""
        return Decimal(0) if self.exemption is not None else self.tariff_rate_eur_per_km


def vehicle_rate(tariff: Tariff, vehicle: TollVehicle, on: date) -> VehicleRate | None:
    """The vehicle's rate under the tariff; None when the vehicle is below the toll threshold."""
    if vehicle.gross_mass_kg <= tariff.above_gross_mass_kg:
        return None
    weight = tariff.weight_class(vehicle.gross_mass_kg, vehicle.axle_count)
    if weight is None:
        return None
    air = tariff.air_category(vehicle.euro_class, vehicle.emission_free)
    co2_class = vehicle.co2_class if vehicle.co2_class is not None else tariff.co2_default_class
    co2_row = tariff.co2_row(co2_class, vehicle.euro_class)
    components = (
        TollComponent("infrastructure", weight.key, tariff.infrastructure[weight.key]),
        TollComponent("air_pollution", air, tariff.air_pollution[air][weight.key]),
        TollComponent("noise", weight.key, tariff.noise[weight.key]),
        TollComponent("co2", co2_row, tariff.co2[co2_row][weight.key]),
    )
    exemption = next(
        (
            e
            for e in tariff.exemptions
            if e.applies(vehicle.emission_free, vehicle.gross_mass_kg, on)
        ),
        None,
    )
    return VehicleRate(weight_class=weight.key, components=components, exemption=exemption)


def cost_cents(rate_eur_per_km: Decimal, distance_m: float) -> int:
    """Rate times distance in whole cents, rounded half up (BFStrMG section 3(4))."""
    euros = rate_eur_per_km * Decimal(repr(distance_m)) / Decimal(1000)
    return int((euros * CENTS_PER_UNIT).quantize(Decimal(1), rounding=ROUND_HALF_UP))
