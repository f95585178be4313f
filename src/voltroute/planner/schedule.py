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
    """The window on the local day of the arrival; a window past midnight closes the next day."""
    tz = ZoneInfo(tz_name)
    day = arrival.astimezone(tz).date()
    opens = datetime.combine(day, window.opens, tzinfo=tz)
    closes = datetime.combine(day, window.closes, tzinfo=tz)
    if closes <= opens:
        closes += timedelta(days=1)
    return opens, closes


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
    # when it meets at least the windows the earliest departure met.
    met_before = sum(1 for t in timed if t.window_met)
    met_after = sum(1 for t in run_clock(candidate, stops) if t.window_met)
    return candidate if met_after >= met_before else earliest_drive_off
