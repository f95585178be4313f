"""A plan's tolls -> the result body: per-section `tolls` objects and the `toll_summary` list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from voltroute.planner import Plan
from voltroute.tolls import SystemToll, TollTotal

CENTS_PER_UNIT = 100


def toll_summary(plan: Plan) -> list[dict[str, Any]] | None:
    """The contract's TollSummary list; null when no section drives a tolled road (or the plan
    predates tolls). TollSummary is closed, so extensions go into the section `tolls`."""
    if plan.tolls is None:
        return None
    totals = plan.tolls.totals()
    return [_summary_entry(total) for total in totals] if totals else None


def section_tolls(plan: Plan, index: int) -> list[dict[str, Any]] | None:
    """A section's `tolls`: one object per toll system or country without a tariff."""
    if plan.tolls is None or index >= len(plan.tolls.sections):
        return None
    section = plan.tolls.sections[index]
    return [_system(system, section.on_date.isoformat()) for system in section.systems]


def toll_warnings(plan: Plan, index: int) -> list[str]:
    """Warnings about tolls for a section; the vehicle's toll-class defaults go with the first."""
    if plan.tolls is None or index >= len(plan.tolls.sections):
        return []
    vehicle = list(plan.tolls.warnings) if index == 0 else []
    return vehicle + list(plan.tolls.sections[index].warnings)


def _summary_entry(total: TollTotal) -> dict[str, Any]:
    return {
        "tollSystem": total.toll_system,
        "currency": total.currency,
        "total": _money(total.total_cents),
    }


def _system(system: SystemToll, on_date: str) -> dict[str, Any]:
    return {
        "tollSystem": system.summary_name,
        "country": system.country_code,
        "currency": system.currency,
        "date": on_date,
        "distance_km": round(system.distance_m / 1000.0, 3),
        "tolled_km": round(system.tolled_m / 1000.0, 3) if system.tolled_m is not None else None,
        "weight_class": system.weight_class,
        "rate_components": [
            {"name": c.name, "category": c.category, "rate_per_km": _rate(c.rate_eur_per_km)}
            for c in system.components
        ],
        "rate_per_km": _rate(system.rate_eur_per_km),
        "cost": _money(system.cost_cents),
        "exemption": system.exemption,
        "diesel_equivalent": _money(system.diesel_equivalent_cents),
        "source": system.tariff_source,
        "warnings": list(system.warnings),
    }


def _money(cents: int | None) -> float | None:
    # JSON has no decimal type; cents / 100 is the nearest float to the exact amount.
    return cents / CENTS_PER_UNIT if cents is not None else None


def _rate(rate: Decimal | None) -> float | None:
    return float(rate) if rate is not None else None
