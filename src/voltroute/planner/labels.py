"""Labels of the optimizer's search: a partial plan's state at a route point, and dominance."""

from __future__ import annotations

from dataclasses import dataclass

from voltroute.planner.driver_rules import (
    DriverRules,
    DriverState,
    after_driving,
    after_rest,
    after_standstill,
    break_needed_s,
    drive_slack_s,
)
from voltroute.planner.problem import CandidateStation

EPS = 1e-9


@dataclass(frozen=True, slots=True)
class RoadsideStop:
    """A break or rest taken where the driving limit falls, not at a planned stop."""

    kind: str  # "break" or "rest"
    drive_offset_s: float  # driving seconds into the piece where the truck stops
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class DriveStep:
    """Driving along leg `leg` from one distance to another."""

    leg: int
    from_m: float
    to_m: float
    start_s: float
    soc_start: float
    roadside: tuple[RoadsideStop, ...]


@dataclass(frozen=True, slots=True)
class StopStep:
    """A stop: an inserted charging stop at a station, or the request's stop at a leg end."""

    leg: int
    station: CandidateStation | None  # None: the customer stop at the end of the leg
    arrival_s: float
    waiting_s: float  # for a window or a closed station
    charge_s: float  # pure charging time
    standstill_s: float  # whole stop, arrival to departure
    soc_arrival: float
    soc_departure: float
    window_met: bool | None
    kind: str  # "charging", "break", "rest" (what the standstill counts as), or "none"
    before: tuple[RoadsideStop, ...] = ()  # forced before the detour to the station
    after: tuple[RoadsideStop, ...] = ()  # forced before the detour back


Step = DriveStep | StopStep


class Label:
    """A partial plan at a route point: its time, SoC, driver counters and tie-breakers."""

    __slots__ = ("charged_kwh", "driver", "missed", "parent", "soc", "step", "stops", "t", "wait")

    def __init__(
        self,
        t: float,
        soc: float,
        driver: DriverState,
        missed: int,
        wait: float,
        stops: int,
        charged_kwh: float,
        parent: Label | None,
        step: Step | None,
    ) -> None:
        self.t = t
        self.soc = soc
        self.driver = driver
        self.missed = missed
        self.wait = wait
        self.stops = stops
        self.charged_kwh = charged_kwh
        self.parent = parent
        self.step = step

    def steps(self) -> list[Step]:
        """The steps from the tour start to this label, in order."""
        out: list[Step] = []
        label: Label | None = self
        while label is not None:
            if label.step is not None:
                out.append(label.step)
            label = label.parent
        out.reverse()
        return out


def drive(
    rules: DriverRules, t: float, state: DriverState, duration_s: float, splittable: bool
) -> tuple[float, DriverState, tuple[RoadsideStop, ...]] | None:
    """Drive for duration_s from time t, stopping for breaks and rests where the limits fall.

    A splittable piece (the route) stops at the exact point; an unsplittable one (a detour)
    stops before it starts. None when no legal schedule exists (a detour longer than a limit).
    """
    if not splittable and duration_s > rules.break_after_driving_s:
        return None
    stops: list[RoadsideStop] = []
    done = 0.0
    while True:
        slack_s, kind = drive_slack_s(rules, state, t)
        remaining = duration_s - done
        if remaining <= slack_s + EPS:
            return t + remaining, after_driving(state, remaining), tuple(stops)
        x = max(0.0, slack_s) if splittable else 0.0
        state = after_driving(state, x)
        t += x
        done += x
        start = t
        if kind == "break":
            t += break_needed_s(rules, state)
            state = after_standstill(rules, state, t - start, t)
        else:
            t += rules.daily_rest_s
            state = after_rest(rules, state, t)
        stops.append(RoadsideStop(kind, done, start, t))
