"""Dated toll tariffs: one data file per toll system (data/*.json), rates as Decimal EUR/km."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from voltroute.tolls.toll_vehicle import EuroClass

TARIFF_FILES = ("data/de_toll_collect.json",)


class TariffFileError(ValueError):
    """A tariff data file is inconsistent (a missing class, rate or date)."""


@dataclass(frozen=True, slots=True)
class WeightClass:
    """A band of permissible gross mass and axle count; bounds are inclusive unless named so."""

    key: str
    label: str
    above_kg: float | None = None  # exclusive lower bound
    from_kg: float | None = None  # inclusive lower bound
    below_kg: float | None = None  # exclusive upper bound
    to_kg: float | None = None  # inclusive upper bound
    min_axles: int | None = None
    max_axles: int | None = None

    def contains(self, gross_mass_kg: float, axle_count: int) -> bool:
        """True when a vehicle of this mass and axle count falls into the class."""
        return not (
            (self.above_kg is not None and gross_mass_kg <= self.above_kg)
            or (self.from_kg is not None and gross_mass_kg < self.from_kg)
            or (self.below_kg is not None and gross_mass_kg >= self.below_kg)
            or (self.to_kg is not None and gross_mass_kg > self.to_kg)
            or (self.min_axles is not None and axle_count < self.min_axles)
            or (self.max_axles is not None and axle_count > self.max_axles)
        )


@dataclass(frozen=True, slots=True)
class Exemption:
    """A vehicle exemption written in the law, with its end date (None: open-ended)."""

    key: str
    citation: str
    description: str
    emission_free: bool
    valid_until: date | None
    max_gross_mass_kg: float | None

    def applies(self, emission_free: bool, gross_mass_kg: float, on: date) -> bool:
        """True when a vehicle with these properties is exempt on that date."""
        if self.emission_free and not emission_free:
            return False
        if self.max_gross_mass_kg is not None and gross_mass_kg > self.max_gross_mass_kg:
            return False
        return self.valid_until is None or on <= self.valid_until


@dataclass(frozen=True, slots=True)
class ExemptSection:
    """A road section the law exempts, by name (not matched to the map yet)."""

    citation: str
    ref: str | None
    name: str


@dataclass(frozen=True, slots=True)
class Tariff:
    """One toll system's rates in force from valid_from to valid_until (inclusive)."""

    toll_system: str
    country_code: str
    currency: str
    valid_from: date
    valid_until: date | None
    source: str
    road_ref_prefixes: tuple[str, ...]
    road_classes: tuple[str, ...]
    above_gross_mass_kg: float
    weight_classes: tuple[WeightClass, ...]
    infrastructure: Mapping[str, Decimal]  # by weight class
    air_category_by_euro_class: Mapping[str, str]
    air_emission_free_category: str
    air_default_category: str
    air_pollution: Mapping[str, Mapping[str, Decimal]]  # category -> weight class -> rate
    noise: Mapping[str, Decimal]
    co2_default_class: int
    co2_class_1_row_by_euro_class: Mapping[str, str]
    co2: Mapping[str, Mapping[str, Decimal]]  # row ("1/EURO VI", "2", ...) -> class -> rate
    exemptions: tuple[Exemption, ...]
    exempt_sections: tuple[ExemptSection, ...]

    def in_force(self, on: date) -> bool:
        """True when the tariff applies on that date."""
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    def weight_class(self, gross_mass_kg: float, axle_count: int) -> WeightClass | None:
        """The class a vehicle falls into; None at or below the toll's mass threshold."""
        return next((c for c in self.weight_classes if c.contains(gross_mass_kg, axle_count)), None)

    def air_category(self, euro_class: EuroClass | None, emission_free: bool) -> str:
        """The air-pollution category of a vehicle (the default when its class is unknown)."""
        if emission_free:
            return self.air_emission_free_category
        if euro_class is None:
            return self.air_default_category
        return self.air_category_by_euro_class[euro_class.value]

    def co2_row(self, co2_class: int, euro_class: EuroClass | None) -> str:
        """The row of the CO2 table: class 1 is split by EURO class, the others are not."""
        if co2_class != 1:
            return str(co2_class)
        return self.co2_class_1_row_by_euro_class[(euro_class or EuroClass.NONE).value]


@lru_cache(maxsize=1)
def packaged_tariffs() -> tuple[Tariff, ...]:
    """Every tariff shipped in the package's data directory."""
    package = resources.files("voltroute.tolls")
    return tuple(
        tariff_from_json(json.loads(package.joinpath(name).read_text("utf-8")))
        for name in TARIFF_FILES
    )


def find_tariff(tariffs: tuple[Tariff, ...], country_code: str, on: date) -> Tariff | None:
    """The tariff in force in a country on a date, if the data has one."""
    return next((t for t in tariffs if t.country_code == country_code and t.in_force(on)), None)


def tariff_from_json(data: Mapping[str, Any]) -> Tariff:
    """Parse one tariff file; every class must have every rate."""
    classes = tuple(WeightClass(key=key, **spec) for key, spec in data["weight_classes"].items())
    keys = [c.key for c in classes]
    network = data["tolled_network"]
    air = data["air_pollution"]
    co2 = data["co2"]
    tariff = Tariff(
        toll_system=data["toll_system"],
        country_code=data["country_code"],
        currency=data["currency"],
        valid_from=date.fromisoformat(data["valid_from"]),
        valid_until=_optional_date(data["valid_until"]),
        source=data["source"],
        road_ref_prefixes=tuple(network["road_ref_prefixes"]),
        road_classes=tuple(network["road_classes"]),
        above_gross_mass_kg=float(network["above_gross_mass_kg"]),
        weight_classes=classes,
        infrastructure=_rates(data["infrastructure"]["rates"], keys, "infrastructure"),
        air_category_by_euro_class=dict(air["category_by_euro_class"]),
        air_emission_free_category=air["emission_free_category"],
        air_default_category=air["default_category"],
        air_pollution={
            category: _rates(rates, keys, f"air pollution {category}")
            for category, rates in air["rates"].items()
        },
        noise=_rates(data["noise"]["rates"], keys, "noise"),
        co2_default_class=int(co2["default_class"]),
        co2_class_1_row_by_euro_class=dict(co2["class_1_row_by_euro_class"]),
        co2={row: _rates(rates, keys, f"CO2 {row}") for row, rates in co2["rates"].items()},
        exemptions=tuple(
            Exemption(
                key=e["id"],
                citation=e["citation"],
                description=e["description"],
                emission_free=bool(e["emission_free"]),
                valid_until=_optional_date(e["valid_until"]),
                max_gross_mass_kg=e["max_gross_mass_kg"],
            )
            for e in data["exemptions"]
        ),
        exempt_sections=tuple(ExemptSection(**s) for s in data["exempt_sections"]),
    )
    _check_references(tariff)
    return tariff


def _optional_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None


def _rates(rates: Mapping[str, str], keys: list[str], what: str) -> dict[str, Decimal]:
    # Strings, not JSON numbers: a float would turn 0.155 into 0.15499999...
    if sorted(rates) != sorted(keys):
        raise TariffFileError(f"{what}: rates for {sorted(rates)}, weight classes {sorted(keys)}")
    return {key: Decimal(str(rates[key])) for key in keys}


def _check_references(tariff: Tariff) -> None:
    categories = {
        *tariff.air_category_by_euro_class.values(),
        tariff.air_emission_free_category,
        tariff.air_default_category,
    }
    if missing := categories - set(tariff.air_pollution):
        raise TariffFileError(f"air-pollution categories without rates: {sorted(missing)}")
    # CO2 classes 1 to 5 are EU-wide (Directive 1999/62/EC Art. 7ga); class 1 has its own rows.
    rows = {*tariff.co2_class_1_row_by_euro_class.values(), "2", "3", "4", "5"}
    if missing := rows - set(tariff.co2):
        raise TariffFileError(f"CO2 rows without rates: {sorted(missing)}")
    if missing := {e.value for e in EuroClass} - set(tariff.air_category_by_euro_class):
        raise TariffFileError(f"EURO classes without an air-pollution category: {sorted(missing)}")
