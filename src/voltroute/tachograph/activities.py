"""A driver's activities as a tachograph records them, and the contiguous timeline they form.

Instants are timezone-aware datetimes (any zone; the checker reads them in UTC). A timeline must
be contiguous: a gap between two activities is an error, not a rest, because a roadside check
cannot tell what the driver did then; fill it with what the driver did (availability, a break).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import pairwise

from voltroute.tachograph._units import format_duration


class ActivityKind(StrEnum):
    """What the driver does; rests are told apart by what the planner meant them to be."""

    DRIVING = "driving"
    OTHER_WORK = "other_work"  # service at a customer, plugging in or out, loading
    AVAILABILITY = "availability"  # waiting of known length: neither work nor a break
    BREAK = "break"
    DAILY_REST = "daily_rest"
    WEEKLY_REST = "weekly_rest"


def _is_aware(instant: datetime) -> bool:
    return instant.tzinfo is not None and instant.utcoffset() is not None


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity from start (inclusive) to end (exclusive); place is for reports only."""

    kind: ActivityKind
    start: datetime
    end: datetime
    place: str | None = None

    def __post_init__(self) -> None:
        # A plain string ("driving") is accepted; anything else fails here, naming the value.
        object.__setattr__(self, "kind", ActivityKind(self.kind))
        for name in ("start", "end"):
            if not _is_aware(getattr(self, name)):
                raise ValueError(f"{self.kind} {name} {getattr(self, name)} has no time zone")
        if self.end <= self.start:
            raise ValueError(
                f"{self.kind} from {self.start.isoformat()} ends at {self.end.isoformat()}: "
                "the end must be after the start"
            )

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True, slots=True)
class Timeline:
    """A driver's activities in order, each starting where the previous one ends (no gaps)."""

    activities: tuple[Activity, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "activities", tuple(self.activities))
        for index, (before, after) in enumerate(pairwise(self.activities), start=1):
            if after.start < before.end:
                raise ValueError(
                    f"activity {index} ({after.kind}) starts at {after.start.isoformat()}, before "
                    f"activity {index - 1} ({before.kind}) ends at {before.end.isoformat()}: "
                    "activities overlap or are out of order"
                )
            if after.start > before.end:
                gap = format_duration((after.start - before.end).total_seconds())
                raise ValueError(
                    f"gap of {gap} between activity {index - 1} ({before.kind}) ending at "
                    f"{before.end.isoformat()} and activity {index} ({after.kind}): the timeline "
                    "must be contiguous"
                )

    @classmethod
    def from_durations(
        cls, start: datetime, steps: Iterable[tuple[ActivityKind | str, float]]
    ) -> Timeline:
        """Lay (kind, duration_s) steps end to end from start."""
        activities: list[Activity] = []
        at = start
        for kind, duration_s in steps:
            end = at + timedelta(seconds=duration_s)
            activities.append(Activity(ActivityKind(kind), at, end))
            at = end
        return cls(tuple(activities))

    @property
    def start(self) -> datetime:
        """When the first activity starts; an empty timeline has none."""
        if not self.activities:
            raise ValueError("an empty timeline has no start")
        return self.activities[0].start

    @property
    def end(self) -> datetime:
        """When the last activity ends; an empty timeline has none."""
        if not self.activities:
            raise ValueError("an empty timeline has no end")
        return self.activities[-1].end
