"""What is left of the tour from a route point: driving and service time, as lower bounds.

The driver counters only matter for what is still to come. A break or a daily rest taken where
the rest of the tour needs neither is wasted time, and two labels whose counters both cover the
rest of the tour are equally free. Both tests use these lower bounds plus a detour allowance
(driving that inserted charging stops may still add).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voltroute.planner.corridor import LegProfile
from voltroute.planner.driver_rules import DriverRules, DriverState, daily_limit_s
from voltroute.planner.labels import EPS
from voltroute.planner.problem import PlanningProblem

DETOUR_TRIPS_ALLOWED = 2  # round trips to stations counted into the allowance


@dataclass(frozen=True, slots=True)
class Remaining:
    """Driving and standstill still ahead of a label (the latter at least the services)."""

    drive_s: float
    service_s: float
    # A window ahead may call for a rest taken early (to arrive in tomorrow's window), and its
    # waiting makes the time left unknown: every rest counter then matters.
    windows_ahead: bool = False

    def needs_break(self, rules: DriverRules, state: DriverState) -> bool:
        """Whether the rest of the tour needs a (further) break."""
        return state.since_break_s + self.drive_s > rules.break_after_driving_s + EPS

    def needs_rest(self, rules: DriverRules, state: DriverState, now_s: float) -> bool:
        """Whether the rest of the tour needs (or may use) a daily rest."""
        return (
            self.windows_ahead
            or state.today_s + self.drive_s > daily_limit_s(rules, state) + EPS
            or now_s + self.drive_s + self.service_s > state.day_start_s + rules.duty_spread_s + EPS
        )


class AheadTable:
    """Remaining bounds for any point of a tour."""

    def __init__(
        self, problem: PlanningProblem, profiles: Sequence[LegProfile], allowance_s: float
    ) -> None:
        legs = problem.legs
        self._profiles = profiles
        self._service = [leg.service_time_s for leg in legs]
        self._drive_after = [0.0] * len(legs)
        self._service_after = [0.0] * len(legs)
        for k in range(len(legs) - 2, -1, -1):
            self._drive_after[k] = self._drive_after[k + 1] + profiles[k + 1].cum_s[-1]
            self._service_after[k] = self._service_after[k + 1] + self._service[k + 1]
        self._allowance_s = allowance_s
        # _window_from[k]: a window at the stop ending leg k or later.
        self._window_from = [False] * (len(legs) + 1)
        for k in range(len(legs) - 1, -1, -1):
            self._window_from[k] = self._window_from[k + 1] or legs[k].window is not None

    def at(self, leg: int, distance_m: float, before_stop: bool) -> Remaining:
        """What is left from a distance along a leg (before or after the stop at its end)."""
        profile = self._profiles[leg]
        drive_s = profile.cum_s[-1] - profile.time_at(distance_m) + self._drive_after[leg]
        service_s = self._service_after[leg] + (self._service[leg] if before_stop else 0.0)
        windows = self._window_from[leg if before_stop else leg + 1]
        return Remaining(drive_s + self._allowance_s, service_s, windows)
