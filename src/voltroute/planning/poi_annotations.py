"""What the stations on route can say only once the plan exists: when the truck would arrive at
each station, whether it is open then, which ones the plan chose and their alternatives.

Arrival at a station is estimated from the plan's timeline: the truck passes the station's
route point at a time interpolated along its section by the routed edge durations (scaled to the
planner's driving time), then drives the routed detour. For a chosen station it is the plan's
own arrival.

Alternatives of a chosen station: other candidates of the same leg that could be reached by a
detour at most ALTERNATIVE_EXTRA_DETOUR_M longer than the chosen one's, accept the request's
filters, give at least ALTERNATIVE_MIN_POWER_SHARE of the chosen station's power, are open for
the stop's duration, and lie in the same group or within ALTERNATIVE_RANGE_M along the route.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from voltroute.domain import LatLon
from voltroute.planner import AlternativeStation, Plan, PlannedSection, StationOnRoute, StopKind
from voltroute.planning.station_feed import PoiSource
from voltroute.stations import is_open, open_intervals

ALTERNATIVE_RANGE_M = 5000.0
ALTERNATIVE_EXTRA_DETOUR_M = 5000.0  # there and back, beyond the chosen station's detour
ALTERNATIVE_MIN_POWER_SHARE = 0.8
MAX_ALTERNATIVES = 5
HOURS_LOOKBACK = timedelta(days=1)  # an opening before arrival is found this far back
HOURS_LOOKAHEAD = timedelta(days=7)  # a closing (or the next opening) this far ahead

TimeZoneOf = Callable[[LatLon], str]
_REQUEST_STOPS = (StopKind.CUSTOMER, StopKind.DESTINATION)


@dataclass(frozen=True, slots=True)
class _Span:
    """A result section on the timeline of its request leg."""

    index: int
    leg_index: int
    from_m: float
    to_m: float
    start: datetime  # leaving the previous stop
    section: PlannedSection


def annotate_stations_on_route(
    plan: Plan,
    stations: Sequence[StationOnRoute],
    sources: Sequence[PoiSource],
    time_zone_of: TimeZoneOf,
) -> tuple[StationOnRoute, ...]:
    """The stations with their arrival, opening span, used sections and alternatives."""
    if len(sources) != len(stations):
        return tuple(stations)  # nothing to annotate from (a list made elsewhere)
    spans = _spans(plan)
    arrivals = [_arrival(source, spans) for source in sources]
    used: dict[int, list[int]] = {}
    for span in spans:
        stop = span.section.planned_stop
        if stop.station_id is None or stop.kind in _REQUEST_STOPS:
            continue
        chosen = _find(sources, stop.station_id, span.leg_index)
        if chosen is not None:
            used.setdefault(chosen, []).append(span.index)
            arrivals[chosen] = stop.arrival
    numbers = [station.corridor_number for station in stations]
    out = []
    for i, (station, source) in enumerate(zip(stations, sources, strict=True)):
        opens, closes = _hours_around(source, arrivals[i], time_zone_of)
        others: tuple[AlternativeStation, ...] = ()
        if i in used:
            stop = spans[used[i][0]].section.planned_stop
            others = alternatives(
                i, sources, numbers, arrivals, stop.departure - stop.arrival, time_zone_of
            )
        out.append(
            replace(
                station,
                arrival=arrivals[i],
                opens=opens,
                closes=closes,
                used_in_sections=tuple(used.get(i, ())),
                alternatives=others,
            )
        )
    return tuple(out)


def alternatives(
    chosen: int,
    sources: Sequence[PoiSource],
    corridor_numbers: Sequence[int],
    arrivals: Sequence[datetime | None],
    stay: timedelta,
    time_zone_of: TimeZoneOf,
) -> tuple[AlternativeStation, ...]:
    """The stations that could replace sources[chosen], best first."""
    pick = sources[chosen]
    found: list[tuple[tuple[bool, float], AlternativeStation]] = []
    for i, other in enumerate(sources):
        if i == chosen or other.detour is None or other.leg_index != pick.leg_index:
            continue
        if other.station.station_id == pick.station.station_id:
            continue
        same_group = other.mapping == pick.mapping
        along_m = other.distance_along_leg_m - pick.distance_along_leg_m
        if not same_group and abs(along_m) > ALTERNATIVE_RANGE_M:
            continue
        if other.power_kw < ALTERNATIVE_MIN_POWER_SHARE * pick.power_kw:
            continue
        chosen_detour_m = pick.detour.distance_m if pick.detour is not None else 0.0
        if other.detour.distance_m > chosen_detour_m + ALTERNATIVE_EXTRA_DETOUR_M:
            continue
        arrival = arrivals[i]
        if other.station.opening_hours and (
            arrival is None
            or not is_open(
                other.station.opening_hours,
                _zone(other, time_zone_of),
                arrival,
                arrival + stay,
            )
        ):
            continue
        station = other.station
        alternative = AlternativeStation(
            station_id=station.station_id,
            name=station.name,
            address=station.address,
            position=station.position,
            corridor_number=corridor_numbers[i],
            power_kw=other.power_kw,
            detour_m=other.detour.distance_m,
            along_from_chosen_m=along_m,
            same_group=same_group,
            scenario=station.scenario,
        )
        found.append(((not same_group, abs(along_m) + other.detour.distance_m), alternative))
    found.sort(key=lambda item: item[0])
    return tuple(alternative for _, alternative in found[:MAX_ALTERNATIVES])


def _spans(plan: Plan) -> list[_Span]:
    spans = []
    leg, from_m, start = 0, 0.0, plan.departure
    for index, section in enumerate(plan.sections):
        to_m = from_m + section.route.length_m
        spans.append(_Span(index, leg, from_m, to_m, start, section))
        stop = section.planned_stop
        start = stop.departure
        if stop.kind in _REQUEST_STOPS:
            leg, from_m = leg + 1, 0.0
        else:
            from_m = to_m
    return spans


def _arrival(source: PoiSource, spans: Sequence[_Span]) -> datetime | None:
    """When the truck would reach the station leaving its route point, per the plan."""
    if source.detour is None:
        return None
    d = source.distance_along_leg_m
    for span in spans:
        if span.leg_index == source.leg_index and span.from_m - 1.0 <= d <= span.to_m + 1.0:
            return _passing(span, d) + timedelta(seconds=source.detour.to_s)
    return None


def _passing(span: _Span, d: float) -> datetime:
    """When the plan's truck passes distance d of the leg inside this section."""
    route = span.section.route
    offset_m = min(max(d - span.from_m, 0.0), route.length_m)
    elapsed_s = total_s = 0.0
    covered_m = 0.0
    for edge in route.edges:
        total_s += edge.duration_s
        if covered_m + edge.length_m <= offset_m:
            elapsed_s += edge.duration_s
        elif covered_m < offset_m and edge.length_m > 0:
            elapsed_s += edge.duration_s * (offset_m - covered_m) / edge.length_m
        covered_m += edge.length_m
    # The planner's driving time (speed cap, detours) differs from the router's: scale to it.
    share = elapsed_s / total_s if total_s > 0 else 0.0
    return span.start + timedelta(seconds=span.section.driving_s * share)


def _hours_around(
    source: PoiSource, arrival: datetime | None, time_zone_of: TimeZoneOf
) -> tuple[datetime | None, datetime | None]:
    """The opening span the arrival falls in (else the next one); None ends are not bounded
    within the horizon looked at, so an always-open station has neither."""
    hours = source.station.opening_hours
    if hours is None or arrival is None:
        return None, None
    window_start, window_end = arrival - HOURS_LOOKBACK, arrival + HOURS_LOOKAHEAD
    zone = _zone(source, time_zone_of)
    for opens, closes in open_intervals(hours, zone, window_start, window_end):
        if closes <= arrival:
            continue
        return (
            None if opens <= window_start else opens,
            None if closes >= window_end else closes,
        )
    return None, None


def _zone(source: PoiSource, time_zone_of: TimeZoneOf) -> str:
    return source.station.time_zone or time_zone_of(source.station.position)


def _find(sources: Sequence[PoiSource], station_id: str, leg_index: int) -> int | None:
    for i, source in enumerate(sources):
        if source.station.station_id == station_id and source.leg_index == leg_index:
            return i
    return None
