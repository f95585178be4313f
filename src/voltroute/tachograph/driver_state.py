"""What the check needs to know about the driver before the timeline starts."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from voltroute.tachograph._units import TOLERANCE_S, format_instant
from voltroute.tachograph._units import format_duration as fmt
from voltroute.tachograph.rules import RuleOptions


@dataclass(frozen=True, slots=True)
class DriverStartState:
    """The driver's counters when the timeline starts; the defaults are a fully rested driver.

    The "day" is the time since the end of the last daily or weekly rest; the "week" is the
    fixed week (Monday 00:00 to Sunday 24:00 UTC) containing the timeline's start.
    """

    driving_since_break_s: float = 0.0
    first_break_part_taken: bool = False  # the 15-min first part of a split break
    work_since_break_s: float = 0.0  # 2002/15: working time since a break of 15 min or more
    driving_today_s: float = 0.0
    work_today_s: float = 0.0  # 2002/15: driving and other work of the day
    # 2002/15: breaks of 15 min or more that interrupted the day's working time.
    work_breaks_today_s: float = 0.0
    last_daily_rest_end: datetime | None = None  # of the last daily or weekly rest; None: start
    reduced_rests_used: int = 0  # since the last weekly rest
    extended_days_used: int = 0  # days over 9 h this week, not counting the current day
    driving_this_week_s: float = 0.0
    driving_last_week_s: float = 0.0
    weekly_period_start: datetime | None = None  # end of the last weekly rest; None: start

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                raise ValueError(f"{field.name} is {value}: it cannot be negative")
            if isinstance(value, datetime) and value.utcoffset() is None:
                raise ValueError(f"{field.name} {value} has no time zone")
        if self.driving_since_break_s > self.driving_today_s + TOLERANCE_S:
            raise ValueError(
                f"driving_since_break_s is {fmt(self.driving_since_break_s)}, more than "
                f"driving_today_s ({fmt(self.driving_today_s)}): a daily rest is also a break"
            )
        both = self.last_daily_rest_end, self.weekly_period_start
        if both[0] is not None and both[1] is not None and both[1] > both[0]:
            raise ValueError(
                f"weekly_period_start {format_instant(both[1])} is after last_daily_rest_end "
                f"{format_instant(both[0])}: a weekly rest is also the last daily rest"
            )

    def validate(self, options: RuleOptions, timeline_start: datetime | None = None) -> None:
        """Raise ValueError, naming the field, if this state already breaks a rule of options."""
        for name, value, limit, article in self._capped(options):
            seconds = name.endswith("_s")  # counts of days and rests are exact
            if value > limit + (TOLERANCE_S if seconds else 0):
                shown = (fmt(value), fmt(limit)) if seconds else (value, limit)
                raise ValueError(f"{name} is {shown[0]}: over the {shown[1]} of {article} already")
        if (
            self.driving_today_s > options.daily_driving_s + TOLERANCE_S
            and self.extended_days_used >= options.extended_days_per_week
        ):
            raise ValueError(
                f"driving_today_s is {fmt(self.driving_today_s)} with extended_days_used "
                f"{self.extended_days_used}: a day over {fmt(options.daily_driving_s)} beyond "
                f"the {options.extended_days_per_week} of 561/2006 art. 6(1) already"
            )
        if options.working_time:
            self._check_work_today()
        if timeline_start is not None:
            self._check_instants(options, timeline_start)

    def _capped(self, options: RuleOptions) -> list[tuple[str, float, float, str]]:
        """(field, value, limit, article) of each counter the rules cap."""
        o = options
        capped = [
            ("driving_since_break_s", self.driving_since_break_s, o.break_after_driving_s, ART_7),
            ("driving_today_s", self.driving_today_s, o.extended_daily_driving_s, ART_6_1),
            ("extended_days_used", self.extended_days_used, o.extended_days_per_week, ART_6_1),
            ("driving_this_week_s", self.driving_this_week_s, o.weekly_driving_s, ART_6_2),
            ("driving_last_week_s", self.driving_last_week_s, o.weekly_driving_s, ART_6_2),
            (
                "driving_this_week_s + driving_last_week_s",
                self.driving_this_week_s + self.driving_last_week_s,
                o.fortnight_driving_s,
                "561/2006 art. 6(3)",
            ),
            (
                "reduced_rests_used",
                self.reduced_rests_used,
                o.reduced_rests_between_weekly,
                "561/2006 art. 8(4)",
            ),
        ]
        if o.working_time:
            capped.append(
                (
                    "work_since_break_s",
                    self.work_since_break_s,
                    o.work_before_break_s,
                    "2002/15/EC art. 5",
                )
            )
        return capped

    def _check_work_today(self) -> None:
        # Driving is working time: the day's work includes its driving.
        for name, part in (
            ("driving_today_s", self.driving_today_s),
            ("work_since_break_s", self.work_since_break_s),
        ):
            if part > self.work_today_s + TOLERANCE_S:
                raise ValueError(
                    f"{name} is {fmt(part)}, more than work_today_s ({fmt(self.work_today_s)}): "
                    "it is part of the day's working time"
                )

    def _check_instants(self, options: RuleOptions, timeline_start: datetime) -> None:
        window_s = options.team_rest_window_s if options.team_driving else options.rest_window_s
        article = "8(5)" if options.team_driving else "8(2)"
        for name, limit_s, art in (
            ("last_daily_rest_end", window_s, article),
            ("weekly_period_start", options.weekly_rest_after_s, "8(6)"),
        ):
            instant: datetime | None = getattr(self, name)
            if instant is None:
                continue
            if instant > timeline_start:
                raise ValueError(
                    f"{name} {format_instant(instant)} is after the timeline's start "
                    f"{format_instant(timeline_start)}"
                )
            elapsed_s = (timeline_start - instant).total_seconds()
            if elapsed_s > limit_s + TOLERANCE_S:
                raise ValueError(
                    f"{name} is {fmt(elapsed_s)} before the timeline's start: over the "
                    f"{fmt(limit_s)} of 561/2006 art. {art} already"
                )


ART_7 = "561/2006 art. 7"
ART_6_1 = "561/2006 art. 6(1)"
ART_6_2 = "561/2006 art. 6(2)"

RESTED = DriverStartState()
"""A fully rested driver at the timeline's start, at the start of a weekly period too."""
