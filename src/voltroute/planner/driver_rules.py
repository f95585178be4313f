"""EU Regulation 561/2006 driving times as the optimizer models them: breaks, daily driving, rests.

The model: a 45-minute break is due after at most 4.5 h of driving; it may be split into a first
part of at least 15 minutes and a second of at least 30. At most 9 h of driving between two daily
rests, 10 h on at most two days of the tour. A daily rest of 11 h must start within 13 h of the
end of the previous one (the 24-hour period). The driver starts the tour rested. Any time the truck
stands still at a stop (waiting, service, charging, plugging) can host a break or a rest, as the
issue asks; reduced rests (9 h) and the weekly limits are not used.
"""

from __future__ import annotations

from dataclasses import dataclass

H = 3600.0
MIN = 60.0


@dataclass(frozen=True, slots=True)
class DriverRules:
    """The limits, in seconds. Construction rejects values outside [min, max] (never clamps).

    field                     min     default  max
    break_after_driving_s     1 h     4.5 h    4.5 h
    break_s                   45 min  45 min   2 h
    split_first_s             15 min  15 min   45 min
    split_second_s            30 min  30 min   45 min
    daily_driving_s           1 h     9 h      9 h
    extended_daily_driving_s  (daily) 10 h     10 h
    extended_days             0       2        2
    daily_rest_s              11 h    11 h     24 h
    duty_spread_s             1 h     13 h     13 h   (24 h minus the daily rest)
    """

    break_after_driving_s: float = 4.5 * H
    break_s: float = 45 * MIN
    split_first_s: float = 15 * MIN
    split_second_s: float = 30 * MIN
    daily_driving_s: float = 9 * H
    extended_daily_driving_s: float = 10 * H
    extended_days: int = 2
    daily_rest_s: float = 11 * H
    duty_spread_s: float = 13 * H

    def __post_init__(self) -> None:
        bounds = {
            "break_after_driving_s": (1 * H, self.break_after_driving_s, 4.5 * H),
            "break_s": (45 * MIN, self.break_s, 2 * H),
            "split_first_s": (15 * MIN, self.split_first_s, 45 * MIN),
            "split_second_s": (30 * MIN, self.split_second_s, 45 * MIN),
            "daily_driving_s": (1 * H, self.daily_driving_s, 9 * H),
            "extended_daily_driving_s": (
                self.daily_driving_s,
                self.extended_daily_driving_s,
                10 * H,
            ),
            "extended_days": (0, self.extended_days, 2),
            "daily_rest_s": (11 * H, self.daily_rest_s, 24 * H),
            "duty_spread_s": (1 * H, self.duty_spread_s, 13 * H),
        }
        for name, (low, value, high) in bounds.items():
            if not low <= value <= high:
                raise ValueError(f"{name} must be within {low}..{high}, got {value}")


EU_561 = DriverRules()


@dataclass(frozen=True, slots=True)
class DriverState:
    """Counters since the last break and the last daily rest; times are tour seconds."""

    since_break_s: float = 0.0
    first_part_taken: bool = False  # the 15-minute part of a split break
    today_s: float = 0.0  # driving since the last daily rest
    day_start_s: float = 0.0  # when the last daily rest ended (the tour start counts)
    extended_used: int = 0  # days with more than the regular daily driving


def daily_limit_s(rules: DriverRules, state: DriverState) -> float:
    """Driving allowed today: the extended limit while extensions remain."""
    if state.extended_used < rules.extended_days:
        return rules.extended_daily_driving_s
    return rules.daily_driving_s


def break_needed_s(rules: DriverRules, state: DriverState) -> float:
    """Standstill that completes the break: 45 min, or 30 once the 15-minute part is taken."""
    return rules.split_second_s if state.first_part_taken else rules.break_s


def after_rest(rules: DriverRules, state: DriverState, rest_end_s: float) -> DriverState:
    """The counters once a daily rest ends at rest_end_s."""
    extended = state.extended_used + (1 if state.today_s > rules.daily_driving_s + 1e-6 else 0)
    return DriverState(0.0, False, 0.0, rest_end_s, extended)


def after_standstill(
    rules: DriverRules, state: DriverState, standstill_s: float, end_s: float
) -> DriverState:
    """The counters after the truck stood still for standstill_s, ending at end_s."""
    if standstill_s >= rules.daily_rest_s:
        return after_rest(rules, state, end_s)
    if standstill_s >= break_needed_s(rules, state):
        return DriverState(0.0, False, state.today_s, state.day_start_s, state.extended_used)
    if standstill_s >= rules.split_first_s and not state.first_part_taken:
        return DriverState(
            state.since_break_s, True, state.today_s, state.day_start_s, state.extended_used
        )
    return state


def after_driving(state: DriverState, driving_s: float) -> DriverState:
    """The counters after driving_s more of driving without a stop."""
    return DriverState(
        state.since_break_s + driving_s,
        state.first_part_taken,
        state.today_s + driving_s,
        state.day_start_s,
        state.extended_used,
    )


def drive_slack_s(rules: DriverRules, state: DriverState, now_s: float) -> tuple[float, str]:
    """How long the driver may drive on from now_s, and what stops him ("break" or "rest")."""
    to_break = rules.break_after_driving_s - state.since_break_s
    to_rest = min(
        daily_limit_s(rules, state) - state.today_s,
        state.day_start_s + rules.duty_spread_s - now_s,
    )
    return (to_break, "break") if to_break < to_rest else (to_rest, "rest")
