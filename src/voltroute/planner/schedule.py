"""Clock times: arrival windows in local time, waiting, and the departure that wastes no time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from voltroute.planner.problem import ArrivalWindow


@dataclass(frozen=True, slots=True)
class StopTiming:
    """The driving time to a stop and the time spent there, fixed before the clock is set."""

    driving_s: float
    dwell_s: float  # service (and anything else that does not depend on the clock)
    window: ArrivalWindow | None
    time_zone: str


@dataclass(frozen=True, slots=True)
class TimedStop:
    arrival: datetime
    waiting_s: float
    departure: datetime
    window_met: bool | None


def window_bounds(
    window: ArrivalWindow, arrival: datetime, tz_name: str
) -> tuple[datetime, datetime]:
    """The window that applies to an arrival: the one of its local day, or yesterday's when that
    one runs past midnight and is still open."""
    tz = ZoneInfo(tz_name)
    day = arrival.astimezone(tz).date()
    for start_day in (day - timedelta(days=1), day):
        opens = datetime.combine(start_day, window.opens, tzinfo=tz)
        closes = datetime.combine(start_day, window.closes, tzinfo=tz)
        if closes <= opens:
            closes += timedelta(days=1)
        if start_day == day or opens <= arrival <= closes:
            return opens, closes
    raise AssertionError("unreachable: the arrival day's window is always returned")


def run_clock(drive_off: datetime, stops: list[StopTiming]) -> list[TimedStop]:
    """Arrival, waiting and departure at every stop when the truck drives off at drive_off."""
    timed: list[TimedStop] = []
    now = drive_off
    for stop in stops:
        arrival = now + timedelta(seconds=stop.driving_s)
        waiting_s = 0.0
        met: bool | None = None
        if stop.window is not None:
            opens, closes = window_bounds(stop.window, arrival, stop.time_zone)
            waiting_s = max(0.0, (opens - arrival).total_seconds())
            met = arrival <= closes
        departure = arrival + timedelta(seconds=waiting_s + stop.dwell_s)
        timed.append(TimedStop(arrival, waiting_s, departure, met))
        now = departure
    return timed


def best_drive_off(earliest_drive_off: datetime, stops: list[StopTiming]) -> datetime:
    """Latest drive-off that keeps every window that can be met and removes the most waiting.

    Delaying by d removes min(d, total waiting) of tour time; it stays feasible while d does not
    exceed, for each windowed stop that is met, its slack to closing plus the waiting before it.
    """
    timed = run_clock(earliest_drive_off, stops)
    total_wait_s = sum(t.waiting_s for t in timed)
    if total_wait_s <= 0:
        return earliest_drive_off
    slack_s = total_wait_s
    waited_before_s = 0.0
    for stop, t in zip(stops, timed, strict=True):
        if stop.window is not None and t.window_met:
            _, closes = window_bounds(stop.window, t.arrival, stop.time_zone)
            slack_s = min(slack_s, waited_before_s + (closes - t.arrival).total_seconds())
        waited_before_s += t.waiting_s
    candidate = earliest_drive_off + timedelta(seconds=max(0.0, slack_s))
    # A shift can move an arrival across local midnight onto another day's window: keep it only
    # when every window met before is still met and the tour is not longer.
    shifted = run_clock(candidate, stops)
    kept = all(
        after.window_met for before, after in zip(timed, shifted, strict=True) if before.window_met
    )
    shorter = shifted[-1].arrival - candidate <= timed[-1].arrival - earliest_drive_off
    return candidate if kept and shorter else earliest_drive_off
