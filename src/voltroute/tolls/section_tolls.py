"""Tolls per route section and per toll system; money in integer cents with its currency."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from voltroute.tolls.country import TimeZoneLookup
from voltroute.tolls.rates import TollComponent, cost_cents, vehicle_rate
from voltroute.tolls.tariff import Tariff, find_tariff, packaged_tariffs
from voltroute.tolls.toll_vehicle import TollVehicle, diesel_equivalent
from voltroute.tolls.tolled_roads import TollLeg, edge_countries, is_tolled


@dataclass(frozen=True, slots=True)
class SystemToll:
    """A section's toll in one toll system, or the km driven in a country without a tariff."""

    toll_system: str | None  # None: no tariff for this country and date in the data
    country_code: str | None  # None: the country could not be determined
    currency: str | None
    distance_m: float  # driven in this country in this section
    tolled_m: float | None  # on the tariff's tolled network; None without a tariff
    weight_class: str | None
    components: tuple[TollComponent, ...]  # what the tariff sets for this vehicle
    rate_eur_per_km: Decimal | None  # charged: the components' sum, or 0 when exempt
    cost_cents: int | None  # None: unknown (no tariff), never a guess
    exemption: str | None  # the law that exempts the vehicle, when it does
    diesel_equivalent_cents: int | None  # emission-free vehicles: what a diesel would pay
    tariff_source: str | None
    warnings: tuple[str, ...] = ()

    @property
    def summary_name(self) -> str:
        """The toll system's name, or a plain statement that the data has none."""
        if self.toll_system is not None:
            return self.toll_system
        return f"{self.country_code or 'unknown country'}: no tariff data"


@dataclass(frozen=True, slots=True)
class SectionTolls:
    """The tolls of one driven section on the date it is driven."""

    section_index: int
    on_date: date
    systems: tuple[SystemToll, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every warning of the section's toll systems."""
        return tuple(w for s in self.systems for w in s.warnings)


@dataclass(frozen=True, slots=True)
class TollTotal:
    """One toll system's total over the tour (the contract's TollSummary, in cents)."""

    toll_system: str
    currency: str | None
    total_cents: int | None
    diesel_equivalent_cents: int | None


@dataclass(frozen=True, slots=True)
class TourTolls:
    """Tolls of every section of a tour, plus warnings about the vehicle's toll class."""

    sections: tuple[SectionTolls, ...]
    warnings: tuple[str, ...] = ()

    def totals(self) -> tuple[TollTotal, ...]:
        """Totals per toll system in order of first appearance; None when any part is unknown."""
        order: list[str] = []
        groups: dict[str, list[SystemToll]] = {}
        for section in self.sections:
            for system in section.systems:
                name = system.summary_name
                if name not in groups:
                    order.append(name)
                    groups[name] = []
                groups[name].append(system)
        return tuple(
            TollTotal(
                toll_system=name,
                currency=groups[name][0].currency,
                total_cents=_sum_or_none([s.cost_cents for s in groups[name]]),
                diesel_equivalent_cents=_sum_or_none(
                    [s.diesel_equivalent_cents for s in groups[name]]
                ),
            )
            for name in order
        )


def section_tolls(
    index: int,
    leg: TollLeg,
    vehicle: TollVehicle,
    on: date,
    tariffs: Sequence[Tariff] | None = None,
    lookup: TimeZoneLookup | None = None,
) -> SectionTolls:
    """Toll of one leg per country it crosses, under the tariffs in force on that date."""
    known = tuple(tariffs) if tariffs is not None else packaged_tariffs()
    countries = edge_countries(leg, lookup)
    order: list[str | None] = list(dict.fromkeys(countries))
    systems: list[SystemToll] = []
    for country in order:
        edges = [e for e, c in zip(leg.edges, countries, strict=True) if c == country]
        distance_m = sum(e.length_m for e in edges)
        tariff = find_tariff(known, country, on) if country is not None else None
        if tariff is None:
            systems.append(_without_tariff(country, distance_m, on))
            continue
        tolled_m = sum(e.length_m for e in edges if is_tolled(e, tariff))
        toll = _with_tariff(tariff, vehicle, on, distance_m, tolled_m)
        if toll is not None:
            systems.append(toll)
    return SectionTolls(section_index=index, on_date=on, systems=tuple(systems))


def _with_tariff(
    tariff: Tariff, vehicle: TollVehicle, on: date, distance_m: float, tolled_m: float
) -> SystemToll | None:
    rate = vehicle_rate(tariff, vehicle, on)
    if rate is None or tolled_m <= 0:
        return None  # not a tolled vehicle, or no tolled road driven
    diesel_cents = None
    if vehicle.emission_free:
        diesel = vehicle_rate(tariff, diesel_equivalent(vehicle), on)
        if diesel is not None:
            diesel_cents = cost_cents(diesel.charged_rate_eur_per_km, tolled_m)
    exemption = rate.exemption
    return SystemToll(
        toll_system=tariff.toll_system,
        country_code=tariff.country_code,
        currency=tariff.currency,
        distance_m=distance_m,
        tolled_m=tolled_m,
        weight_class=rate.weight_class,
        components=rate.components,
        rate_eur_per_km=rate.charged_rate_eur_per_km,
        cost_cents=cost_cents(rate.charged_rate_eur_per_km, tolled_m),
        exemption=(
            f"{exemption.citation}: {exemption.description}" if exemption is not None else None
        ),
        diesel_equivalent_cents=diesel_cents,
        tariff_source=tariff.source,
    )


def _without_tariff(country: str | None, distance_m: float, on: date) -> SystemToll:
    where = country or "a country that could not be determined"
    warning = (
        f"toll: {distance_m / 1000:.1f} km of this section are in {where}, for which Voltroute "
        f"has no toll tariff valid on {on.isoformat()}; its toll is not included (total null)"
    )
    return SystemToll(
        toll_system=None,
        country_code=country,
        currency=None,
        distance_m=distance_m,
        tolled_m=None,
        weight_class=None,
        components=(),
        rate_eur_per_km=None,
        cost_cents=None,
        exemption=None,
        diesel_equivalent_cents=None,
        tariff_source=None,
        warnings=(warning,),
    )


def _sum_or_none(values: Sequence[int | None]) -> int | None:
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def tour_tolls(
    legs: Sequence[tuple[TollLeg, date]],
    vehicle: TollVehicle,
    vehicle_warnings: tuple[str, ...] = (),
    tariffs: Sequence[Tariff] | None = None,
    lookup: TimeZoneLookup | None = None,
) -> TourTolls:
    """Tolls of each (leg, date driven) in order; vehicle_warnings say which defaults were used."""
    sections = tuple(
        section_tolls(index, leg, vehicle, on, tariffs, lookup)
        for index, (leg, on) in enumerate(legs)
    )
    return TourTolls(sections=sections, warnings=vehicle_warnings)
