"""What the driver does, in words: a stop's activities as the GPX waypoints and the CLI's tables
say them ("service 60 min (work), break 45 min")."""

from __future__ import annotations

from collections.abc import Iterable

from voltroute.exports.result_view import ORIGIN, ActivityView, StopView
from voltroute.timefmt import clock, parse_iso

ACTIVITY_LABELS = {
    "driving": "driving",
    "other_work": "work",
    "availability": "waiting",
    "break": "break",
    "daily_rest": "daily rest",
    "weekly_rest": "weekly rest",
}
"""A word per activity kind; other work is named by the stop where it happens (work_label)."""

_SERVICE_STOPS = {ORIGIN, "customer", "destination"}


def activity_label(kind: str, stop_type: str | None = None) -> str:
    """`service (work)` at a customer, `plugging (work)` at a charger, `waiting (availability)`,
    `break`, `daily rest`, ...; an unknown kind as it is."""
    if kind == "other_work":
        if stop_type in _SERVICE_STOPS:
            return "service (work)"
        if stop_type == "charging":
            return "plugging (work)"
        return "work"
    if kind == "availability":
        return "waiting (availability)"
    return ACTIVITY_LABELS.get(kind, kind)


def stop_activity_summary(stop: StopView) -> str | None:
    """`service 60 min (work), break 45 min`: minutes per activity in the order they occur; None
    when the result gives no activities for the stop."""
    if stop.activities is None:
        return None
    parts = []
    for kind, minutes in stop.activity_minutes.items():
        label = activity_label(kind, stop.stop_type)
        word, _, note = label.partition(" (")
        parts.append(f"{word} {minutes:.0f} min" + (f" ({note}" if note else ""))
    if stop.driver_free_during_service:
        parts.append("driver free during service")
    return ", ".join(parts)


def local_clock(activity_time: str, local: str | None, with_date: bool = True) -> str:
    """The clock time of an activity's start or end at its place (UTC when the result gives no
    local time), rounded to the minute."""
    if local:
        moment = parse_iso(local)
        return clock(moment, moment.tzinfo, with_date)
    return clock(parse_iso(activity_time), None, with_date) + " UTC"


def activity_lines(
    activities: Iterable[ActivityView], stop_type: str | None = None, with_date: bool = False
) -> list[str]:
    """`09:50-10:50 service (work)` per activity, local times."""
    return [
        f"{local_clock(a.start, a.start_local, with_date)}-"
        f"{local_clock(a.end, a.end_local, with_date)} {activity_label(a.activity, stop_type)}"
        for a in activities
    ]
