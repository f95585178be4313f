"""Why a tour with station filters is not drivable: which filter removed the chargers.

When the battery runs out and the request's `poi_info` filters removed corridor stations, the
answer is `no_chargers_available` with a count per filter, what the data cannot say (open
registers carry no truck approval), and one more plan without the filter that binds most: if
that plan is drivable, the dispatcher learns with which charging stop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from voltroute.planner import Plan
from voltroute.planner.plan import NotDrivable, NotDrivableCode, PlanWarning, StopKind
from voltroute.planning.station_feed import PoiSource
from voltroute.stations import StationFilter, StationHit
from voltroute.stations.filter_report import SOURCE_GAPS, filter_report

Replan = Callable[[dict[str, Any]], Plan]


def explain_filters(
    plan: Plan,
    reason: NotDrivable,
    hits: Sequence[StationHit],
    poi_info: Mapping[str, Any],
    replan: Replan,
    accept_unknown: bool = False,
) -> Plan:
    """The plan with its reason naming the filters, when they removed corridor stations up to
    where the battery runs out; the plan unchanged otherwise."""
    reach = [h.station for h in hits if h.leg_index <= reason.section_index]
    # The request's own reading of its filters: with unknown data accepted, unknown passes.
    report = filter_report(reach, StationFilter.from_poi_info(poi_info, accept_unknown))
    if not report.effects:
        return plan
    binding = report.binding
    drivable_without: bool | None = None
    stop_without: str | None = None
    hint = ""
    if binding:
        relaxed = replan({k: v for k, v in poi_info.items() if k not in binding})
        drivable_without = relaxed.drivable
        stop_without = _first_charging_stop(relaxed)
        names = " and ".join(binding)
        if relaxed.drivable:
            with_stop = f", with a charging stop at {stop_without}" if stop_without else ""
            hint = f" Without {names} the tour is drivable{with_stop}."
        else:
            hint = f" Even without {names} the tour is not drivable."
    if report.accepted == 0 or drivable_without:
        code = NotDrivableCode.NO_CHARGERS_AVAILABLE
        message = (
            f"The battery falls below the reserve at km "
            f"{reason.distance_from_start_m / 1000.0:.1f} of the tour (section "
            f"{reason.section_index}, at {reason.position.lat:.5f}, {reason.position.lon:.5f}); "
            f"{reason.missing_energy_kwh:.1f} kWh are missing, and the station filters leave no "
            f"charger that helps before it. {report.describe()}{hint}"
        )
    else:  # the filters let chargers through and dropping them would not help: say so only
        code, message = reason.code, f"{reason.message} {report.describe()}{hint}"
    explained = replace(
        reason,
        code=code,
        message=message,
        removed_by_filter=tuple((e.name, e.removed) for e in report.effects),
        unknown_by_filter=tuple((e.name, e.unknown) for e in report.effects if e.unknown),
        binding_filters=binding,
        drivable_without_binding_filters=drivable_without,
        charging_without_binding_filters=stop_without,
    )
    return replace(plan, not_drivable=explained)


def warn_unknown_station_data(
    plan: Plan, sources: Sequence[PoiSource], poi_info: Mapping[str, Any] | None
) -> Plan:
    """The plan with a warning on every charging stop that passed a filter only because its
    station's source does not carry the field (`unknown_station_data=accept`)."""
    station_filter = StationFilter.from_poi_info(poi_info, accept_unknown=True)
    stations = {source.station.station_id: source.station for source in sources}
    warnings = list(plan.warnings)
    for index, section in enumerate(plan.sections):
        station = stations.get(section.planned_stop.station_id or "")
        if station is None:
            continue
        for name in station_filter.passed_unknown(station):
            gap = SOURCE_GAPS.get(station.source, {}).get(name)
            because = f" ({gap})" if gap else ""
            warnings.append(
                PlanWarning(
                    index,
                    f"{station.name}: {_UNKNOWN_READS[name]} unknown{because}; chosen because "
                    "unknown station data were accepted",
                )
            )
    return replace(plan, warnings=tuple(warnings))


_UNKNOWN_READS = {
    "truck_approved": "truck approval",
    "connector_pos": "inlet side of the bay",
    "bookable": "booking",
    "cpo": "operator",
}


def _first_charging_stop(plan: Plan) -> str | None:
    for section in plan.sections:
        stop = section.planned_stop
        if stop.kind is StopKind.CHARGING:
            minutes = round((stop.departure - stop.arrival).total_seconds() / 60.0)
            return f"{stop.name} ({minutes} min, {stop.charged_kwh:.0f} kWh)"
    return None
