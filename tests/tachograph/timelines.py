"""Builders for hand-written timelines: steps of (kind, seconds) laid end to end."""

from __future__ import annotations

from datetime import UTC, datetime

from voltroute.tachograph import ActivityKind, Infringement, Timeline

H = 3600.0
MIN = 60.0
MONDAY = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)  # Monday 06:00 UTC, early in a fixed week

Step = tuple[ActivityKind, float]


def _step(kind: ActivityKind, h: float, m: float) -> Step:
    return kind, h * H + m * MIN


def drive(h: float = 0, m: float = 0) -> Step:
    """Driving for h hours and m minutes."""
    return _step(ActivityKind.DRIVING, h, m)


def work(h: float = 0, m: float = 0) -> Step:
    """Other work (service at a customer, plugging in or out, loading)."""
    return _step(ActivityKind.OTHER_WORK, h, m)


def wait(h: float = 0, m: float = 0) -> Step:
    """Availability: waiting of known length."""
    return _step(ActivityKind.AVAILABILITY, h, m)


def pause(h: float = 0, m: float = 0) -> Step:
    """A break."""
    return _step(ActivityKind.BREAK, h, m)


def rest(h: float = 0, m: float = 0) -> Step:
    """A daily rest."""
    return _step(ActivityKind.DAILY_REST, h, m)


def weekly(h: float = 0, m: float = 0) -> Step:
    """A weekly rest."""
    return _step(ActivityKind.WEEKLY_REST, h, m)


def timeline(*steps: Step, start: datetime = MONDAY) -> Timeline:
    """The steps laid end to end from start."""
    return Timeline.from_durations(start, steps)


def codes(found: list[Infringement]) -> list[tuple[str, str]]:
    """(rule, article) of each infringement, in order."""
    return [(i.rule, i.article) for i in found]
