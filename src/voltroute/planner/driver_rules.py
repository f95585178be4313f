"""EU Regulation 561/2006 driving times as the optimizer models them: breaks, daily driving, rests.

The model: a 45-minute break is due after at most 4.5 h of driving; it may be split into a first
part of at least 15 minutes and a second of at least 30. At most 9 h of driving between two daily
rests, 10 h on at most two days of the tour. A daily rest of 11 h must start within 13 h of the
end of the previous one (the 24-hour period). The driver starts the tour rested. Any time the truck
stands still at a stop (waiting, service, charging, plugging) can host a break or a rest, as the
issue asks; reduced rests (9 h) and the weekly limits are not used.

The rules are applied by the compiled search (cpp/driver_rules.h); here are the limits it is
given and the counters of the plan it returns.
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
