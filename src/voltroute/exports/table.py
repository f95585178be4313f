"""A result as rich tables for the terminal: a summary, the legs, the stops, and each driver's
activity timeline when the result has one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from voltroute.exports.activity_text import activity_label, local_clock
from voltroute.exports.gpx import STOP_LABELS, rule_finding_text
from voltroute.exports.result_view import DriverTimelineView, ResultView
from voltroute.timefmt import clock, parse_iso

_MISSING = "-"
NAME_WIDTH = 36


def result_tables(body: Mapping[str, Any], view: ResultView) -> Group:
    """Summary line(s), a table of legs and a table of stops, ready for `Console.print`; then a
    table per driver of the activity timeline (results with the extension)."""
    drivers = [_driver(view, timeline) for timeline in view.driver_timelines]
    return Group(_summary(body, view), _legs(view), _stops(view), *drivers)


def _summary(body: Mapping[str, Any], view: ResultView) -> Text:
    text = Text()
    text.append(f"{body.get('qualification')}", style="bold")
    text.append(f"  status {body.get('status')}")
    end = body.get("battery_level_end")
    if isinstance(end, int | float):
        text.append(f"  end SoC {end:.0%}")
    departure = body.get("optimal_departure_time")
    if departure:
        text.append(f"  optimal departure {departure}")
    text.append(f"  time windows {body.get('time_windows_reachable')}")
    optimality = body.get("optimality")
    if isinstance(optimality, Mapping):
        if optimality.get("exhaustive"):
            text.append("  optimal (exhaustive search)")
        elif optimality.get("gap_min") is not None:
            text.append(f"  at most {optimality['gap_min']} min from the optimum")
        else:
            text.append("  optimality not proven")
    for toll in body.get("toll_summary") or []:
        total = toll.get("total")
        amount = f"{total:.2f} {toll.get('currency')}" if total is not None else "not priced"
        text.append(f"\ntoll {toll.get('tollSystem')}: {amount}")
    reason = body.get("not_drivable_reason")
    if isinstance(reason, Mapping):
        text.append(f"\nnot drivable ({reason.get('code')}): {reason.get('message')}", style="red")
    for finding in view.rule_check:
        text.append(f"\n{rule_finding_text(finding)}", style="red")
    return text


def _legs(view: ResultView) -> Table:
    table = Table(title="Legs", title_justify="left")
    for column in ("#", "section", "km", "drive min", "kWh", "kWh/km", "SoC", "payload kg"):
        table.add_column(column, justify="left" if column == "section" else "right")
    for section in view.sections:
        km = section.length_m / 1000.0
        per_km = section.energy_kwh / km if section.energy_kwh is not None and km > 0 else None
        table.add_row(
            str(section.index + 1),
            section.section_id or _MISSING,
            f"{km:.1f}",
            _number(section.duration_min, "{:.0f}"),
            _number(section.energy_kwh, "{:.1f}"),
            _number(per_km, "{:.2f}"),
            _soc_span(section.soc_start, section.soc_end),
            _number(section.payload_kg, "{:.0f}"),
        )
    return table


def _stops(view: ResultView) -> Table:
    table = Table(title="Stops (local times)", title_justify="left")
    table.add_column("#", justify="right", min_width=2)
    table.add_column("type", no_wrap=True)
    table.add_column("name", no_wrap=True, max_width=NAME_WIDTH, overflow="ellipsis")
    for column in ("arrival", "departure", "SoC", "kWh", "chg min", "wait min", "stop min"):
        table.add_column(column, justify="right", no_wrap=True)
    zones = [_offset_of(stop.arrival_time_local) for stop in view.stops]
    if len(zones) > 1 and zones[0] is None:
        zones[0] = zones[1]  # the origin has no arrival: its departure in the next stop's zone
    for stop, zone in zip(view.stops, zones, strict=True):
        table.add_row(
            str(stop.sequence),
            STOP_LABELS.get(stop.stop_type, stop.stop_type),
            stop.name,
            _clock(stop.arrival_time, zone),
            _clock(stop.departure_time, zone),
            _soc_span(stop.soc_arrival, stop.soc_departure),
            _number(stop.energy_kwh, "{:.1f}"),
            _number(stop.charge_time_min, "{:.0f}"),
            _number(stop.waiting_time_min, "{:.0f}"),
            _number(stop.service_time_min, "{:.0f}"),
        )
    return table


def _driver(view: ResultView, timeline: DriverTimelineView) -> Table:
    """The driver's activities in order, at local times: from, to, what, minutes, where."""
    who = f"Driver {timeline.driver}" if len(view.driver_timelines) > 1 else "Driver"
    table = Table(title=f"{who}: activities (local times)", title_justify="left")
    for column in ("from", "to", "activity", "min", "place"):
        table.add_column(
            column,
            justify="right" if column == "min" else "left",
            no_wrap=column != "place",
            max_width=NAME_WIDTH if column == "place" else None,
            overflow="ellipsis",
        )
    for part in timeline.activities:
        stop = view.stop_during(part)
        table.add_row(
            local_clock(part.start, part.start_local),
            local_clock(part.end, part.end_local),
            activity_label(part.activity, stop.stop_type if stop else None),
            f"{part.duration_min:.0f}",
            part.place or (stop.name if stop else _MISSING),
        )
    return table


def _offset_of(iso_local: str | None) -> tzinfo | None:
    """The UTC offset of a stop's local arrival time."""
    return parse_iso(iso_local).tzinfo if iso_local else None


def _clock(iso: str | None, zone: tzinfo | None) -> str:
    """`2026-05-04T07:11:40Z` -> `05-04 09:12` at the stop's local offset (rounded)."""
    return clock(parse_iso(iso), zone) if iso else _MISSING


def _soc_span(first: float | None, second: float | None) -> str:
    if first is None and second is None:
        return _MISSING
    if first is None or second is None:
        return f"{(first if first is not None else second):.0%}"
    return f"{first:.0%} → {second:.0%}"


def _number(value: float | None, pattern: str) -> str:
    return _MISSING if value is None else pattern.format(value)
