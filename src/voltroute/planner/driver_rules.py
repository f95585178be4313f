"""The driver rules as the optimizer applies them: Regulation (EC) 561/2006 and 2002/15/EC.

The law's limits, their bounds and defaults are one table, `tachograph.RuleOptions`; the driver's
state at the start is `tachograph.DriverStartState`. Here they become the optimizer's limits
(`DriverRules`, what cpp/driver_rules.h is given) and its counters (`DriverState`, read back with
each label). The model, in short (cpp/driver_rules.h has it in full):

- A break or a rest is time free of driving and other work. Service at a customer stop and
  plugging in and out are work unless the request says the driver is free during service.
  A free block counts by its length: 45 min (or 15 + 30) a break, 3 h the first part of a split
  daily rest, 9 h a reduced daily rest or a split's second part, 11 h a regular one, 45 h a
  weekly rest.
- The optimizer chooses: a 10-hour day or a rest at 9 h, an 11-hour rest or driving on to a
  9-hour one (reduced, at most three between weekly rests, or the second part of a split), a
  3-hour first part at a stop where it helps, a weekly rest where the week asks for one.
- 2002/15 art. 5, as the roadside check reads it: any free block of 15 min or more is a part of
  a break and ends `work_before_break_s` of consecutive working time; the day's parts between
  its first and last work must reach 30 min over 6 h of working time, 45 min over 9 h. The
  optimizer chooses how long such a break is (a part, the day's total, the 561 break) and
  whether the day's breaks are made up by the road or at a stop ahead.
- A daily rest may be taken wherever a break falls due by the road.
- Team driving: breaks are taken in the moving truck; each driver may drive a day's limit, so
  the truck drives twice as long between the daily rests of 9 h within 30 h.
- Left out: reduced weekly rests (their compensation falls outside a tour), so every weekly rest
  is a regular one of 45 h.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta

from voltroute.tachograph import LAW, RESTED, DriverStartState, RuleOptions

WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DriverRules:
    """The law's options, the driver's state at the start and the planning choices."""

    law: RuleOptions = LAW
    start: DriverStartState = RESTED

    def __post_init__(self) -> None:
        self.start.validate(self.law)

    @property
    def team(self) -> bool:
        return self.law.team_driving

    @property
    def break_after_driving_s(self) -> float:
        return self.law.break_after_driving_s

    @property
    def daily_rest_s(self) -> float:
        return self.law.team_daily_rest_s if self.team else self.law.daily_rest_s

    @property
    def rest_window_s(self) -> float:
        return self.law.team_rest_window_s if self.team else self.law.rest_window_s

    @property
    def duty_spread_s(self) -> float:
        """From the end of a daily rest to the latest start of a regular next one."""
        return self.rest_window_s - self.daily_rest_s

    @property
    def extended_daily_driving_s(self) -> float:
        """The most the truck drives between two daily rests (a team: both drivers' days)."""
        return self.law.extended_daily_driving_s * (2 if self.team else 1)

    def core_limits(self, drive_off: datetime) -> dict[str, float | int | bool]:
        """The limits as the compiled search takes them (cpp/driver_rules.h DriverRules)."""
        law, drivers = self.law, 2 if self.team else 1
        return {
            "breaks": not self.team,
            "break_after_driving_s": law.break_after_driving_s,
            "break_s": law.break_s,
            "split_first_s": law.split_first_s,
            "split_second_s": law.split_second_s,
            "daily_driving_s": law.daily_driving_s * drivers,
            "extended_daily_driving_s": law.extended_daily_driving_s * drivers,
            "extended_days": law.extended_days_per_week,
            "weekly_driving_s": law.weekly_driving_s * drivers,
            "fortnight_driving_s": law.fortnight_driving_s * drivers,
            "daily_rest_s": self.daily_rest_s,
            "reduced_rest_s": law.reduced_daily_rest_s,
            "reduced_rests": 0 if self.team else law.reduced_rests_between_weekly,
            "split_rests": not self.team,
            "split_rest_first_s": law.split_rest_first_s,
            "split_rest_second_s": law.split_rest_second_s,
            "rest_window_s": self.rest_window_s,
            "weekly_rest_s": law.weekly_rest_s,
            "weekly_rest_after_s": law.weekly_rest_after_s,
            "working_time": law.working_time and not self.team,
            "work_before_break_s": law.work_before_break_s,
            "work_break_part_s": law.work_break_part_s,
            "work_break_6_9_s": law.work_break_6_9_s,
            "work_break_over_9_s": law.work_break_over_9_s,
            "first_week_end_s": (_next_monday(drive_off) - drive_off).total_seconds(),
        }

    def core_start(
        self, drive_off: datetime, tour_start: datetime, origin_work_s: float
    ) -> DriverState:
        """The counters at the drive-off (search seconds), from the state at the tour start and
        the work at the origin before driving off."""
        s = self.start
        daily_limit_s = self.law.daily_driving_s * (2 if self.team else 1)
        extended_today = s.driving_today_s > daily_limit_s + 1e-6
        rest_end = s.last_daily_rest_end or tour_start
        weekly_start = s.weekly_period_start or tour_start
        return DriverState(
            since_break_s=s.driving_since_break_s,
            first_part_taken=s.first_break_part_taken,
            work_since_break_s=s.work_since_break_s + origin_work_s,
            today_s=s.driving_today_s,
            day_start_s=(rest_end - drive_off).total_seconds(),
            extended_today=extended_today,
            extended_used=s.extended_days_used + (1 if extended_today else 0),
            reduced_used=s.reduced_rests_used,
            week_s=s.driving_this_week_s,
            last_week_s=s.driving_last_week_s,
            weekly_due_s=(weekly_start - drive_off).total_seconds() + self.law.weekly_rest_after_s,
            work_today_s=s.work_today_s + origin_work_s,
            day_breaks_s=s.work_breaks_today_s,
        )


EU_561 = DriverRules()


@dataclass(frozen=True, slots=True)
class DriverState:
    """The driver's counters at a label (cpp/driver_rules.h DriverState); times: search seconds."""

    since_break_s: float = 0.0
    first_part_taken: bool = False  # the 15-minute part of a split break
    work_since_break_s: float = 0.0  # working time since the last break of 15 min (2002/15)
    today_s: float = 0.0  # driving since the last daily rest
    day_start_s: float = 0.0  # when the last daily rest ended (the tour start counts)
    extended_today: bool = False  # today is one of the week's 10-hour days
    extended_used: int = 0  # 10-hour days this fixed week, today's included
    rest_part_taken: bool = False  # the 3-hour first part of a split daily rest, today
    reduced_used: int = 0  # reduced daily rests since the last weekly rest
    week_s: float = 0.0  # driving in this fixed week (Monday 00:00 UTC on)
    last_week_s: float = 0.0
    week: int = 0  # fixed weeks ended since the drive-off
    weekly_due_s: float = field(default=float("inf"))  # a weekly rest must start by then
    work_today_s: float = 0.0  # working time since the last daily rest (2002/15)
    day_breaks_s: float = 0.0  # the day's breaks of 15 min or more with work after them
    open_break_s: float = 0.0  # such breaks since the last work: the day's once work follows
    short_breaks: bool = False  # a day ended with fewer breaks than 2002/15 asks (never kept)


STATE_FIELDS = tuple(f.name for f in fields(DriverState))


def _next_monday(moment: datetime) -> datetime:
    """The end of the fixed week (Monday 00:00 UTC) that moment falls in."""
    utc = moment.astimezone(UTC)
    monday = datetime(utc.year, utc.month, utc.day, tzinfo=UTC) - timedelta(days=utc.weekday())
    return monday + WEEK
