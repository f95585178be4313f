"""Which rules apply and their limits: Regulation (EC) 561/2006 and Directive 2002/15/EC."""

from __future__ import annotations

from dataclasses import dataclass

from voltroute.tachograph._units import DAY, MIN, H, format_duration


@dataclass(frozen=True, slots=True)
class RuleOptions:
    """The rules a check applies, durations in seconds. Construction rejects values outside
    [min, max] with a ValueError naming the field; it never clamps.

    Defaults are the law's values. For a limit the law's value is also the maximum and for a
    rest or break length it is the minimum: a fleet may be stricter than the law, never laxer.

    field                          min               default  max
    team_driving                   -                 False    -      (art. 8(5) instead of 8(2))
    working_time                   -                 True     -      (2002/15; off: self-employed)
    break_after_driving_s          1 h               4.5 h    4.5 h  (561 art. 7)
    break_s                        45 min            45 min   2 h
    split_first_s                  15 min            15 min   1 h
    split_second_s                 30 min            30 min   2 h
    daily_driving_s                1 h               9 h      9 h    (art. 6(1))
    extended_daily_driving_s       daily_driving_s   10 h     10 h
    extended_days_per_week         0                 2        2
    weekly_driving_s               1 h               56 h     56 h   (art. 6(2))
    fortnight_driving_s            1 h               90 h     90 h   (art. 6(3))
    daily_rest_s                   11 h              11 h     24 h   (art. 8(2))
    reduced_daily_rest_s           9 h               9 h      daily_rest_s
    reduced_rests_between_weekly   0                 3        3      (art. 8(4))
    split_rest_first_s             3 h               3 h      9 h
    split_rest_second_s            9 h               9 h      24 h
    rest_window_s                  12 h              24 h     24 h
    team_rest_window_s             12 h              30 h     30 h   (art. 8(5))
    team_daily_rest_s              9 h               9 h      24 h
    weekly_rest_s                  45 h              45 h     72 h   (art. 8(6))
    reduced_weekly_rest_s          24 h              24 h     weekly_rest_s
    weekly_rest_after_s            1 day             6 days   6 days
    work_before_break_s            1 h               6 h      6 h    (2002/15 art. 5)
    work_break_6_9_s               30 min            30 min   2 h
    work_break_over_9_s            work_break_6_9_s  45 min   2 h    (and at least 45 min)
    work_break_part_s              15 min            15 min   work_break_6_9_s
    """

    team_driving: bool = False
    working_time: bool = True
    break_after_driving_s: float = 4.5 * H
    break_s: float = 45 * MIN
    split_first_s: float = 15 * MIN
    split_second_s: float = 30 * MIN
    daily_driving_s: float = 9 * H
    extended_daily_driving_s: float = 10 * H
    extended_days_per_week: int = 2
    weekly_driving_s: float = 56 * H
    fortnight_driving_s: float = 90 * H
    daily_rest_s: float = 11 * H
    reduced_daily_rest_s: float = 9 * H
    reduced_rests_between_weekly: int = 3
    split_rest_first_s: float = 3 * H
    split_rest_second_s: float = 9 * H
    rest_window_s: float = 24 * H
    team_rest_window_s: float = 30 * H
    team_daily_rest_s: float = 9 * H
    weekly_rest_s: float = 45 * H
    reduced_weekly_rest_s: float = 24 * H
    weekly_rest_after_s: float = 6 * DAY
    work_before_break_s: float = 6 * H
    work_break_6_9_s: float = 30 * MIN
    work_break_over_9_s: float = 45 * MIN
    work_break_part_s: float = 15 * MIN

    def __post_init__(self) -> None:
        for name, (low, high) in self._duration_bounds().items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise ValueError(
                    f"{name} must be within {format_duration(low)}..{format_duration(high)}, "
                    f"got {format_duration(value)} ({value:g} s)"
                )
        for name, high in (("extended_days_per_week", 2), ("reduced_rests_between_weekly", 3)):
            value = getattr(self, name)
            if not 0 <= value <= high:
                raise ValueError(f"{name} must be within 0..{high}, got {value}")

    def _duration_bounds(self) -> dict[str, tuple[float, float]]:
        # Some bounds are other fields: a limit that would make another one meaningless
        # (10 h extended below 9 h regular) is a mistake, not a stricter policy.
        return {
            "break_after_driving_s": (1 * H, 4.5 * H),
            "break_s": (45 * MIN, 2 * H),
            "split_first_s": (15 * MIN, 1 * H),
            "split_second_s": (30 * MIN, 2 * H),
            "daily_driving_s": (1 * H, 9 * H),
            "extended_daily_driving_s": (self.daily_driving_s, 10 * H),
            "weekly_driving_s": (1 * H, 56 * H),
            "fortnight_driving_s": (1 * H, 90 * H),
            "daily_rest_s": (11 * H, 24 * H),
            "reduced_daily_rest_s": (9 * H, self.daily_rest_s),
            "split_rest_first_s": (3 * H, 9 * H),
            "split_rest_second_s": (9 * H, 24 * H),
            "rest_window_s": (12 * H, 24 * H),
            "team_rest_window_s": (12 * H, 30 * H),
            "team_daily_rest_s": (9 * H, 24 * H),
            "weekly_rest_s": (45 * H, 72 * H),
            "reduced_weekly_rest_s": (24 * H, self.weekly_rest_s),
            "weekly_rest_after_s": (1 * DAY, 6 * DAY),
            "work_before_break_s": (1 * H, 6 * H),
            "work_break_6_9_s": (30 * MIN, 2 * H),
            "work_break_over_9_s": (max(45 * MIN, self.work_break_6_9_s), 2 * H),
            "work_break_part_s": (15 * MIN, self.work_break_6_9_s),
        }


LAW = RuleOptions()
"""The law's values, single driver, working time rules on."""
