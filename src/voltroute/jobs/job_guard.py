"""The checkpoint a running job calls: it stops the job on a cancel request or past its time limit.

A job's time limit grows with its size: a base for what every job does (vehicle, the corridor's
stations, at most `bounds.MAX_CANDIDATE_STATIONS` of them with routed detours, tolls, the
result), time per section (each leg is routed and searched), per day of tour (breaks and rests
the search places) and per polyline point to map-match. The door bounds them all (200
sections, 14 days, 2 MB of polylines), so no job holds a planning thread longer than the
largest limit. The pipeline calls the checkpoint
between legs and phases, and the runner's `CheckpointedRouter` before every routing call, so a
cancel or the limit is noticed within the longest step between two checkpoints (well under a
second on the demo region's most expensive tour: `bench/hostile.py`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy.exc import OperationalError

from voltroute.planning.tour_request import TourRequest
from voltroute.planning.tour_size import tour_size

JOB_TIME_BASE_S = 30.0
JOB_TIME_PER_SECTION_S = 2.0
JOB_TIME_PER_DAY_S = 15.0
JOB_TIME_PER_1000_POINTS_S = 0.2  # matching 10,000 points took 0.3 s alone, 0.7 s under load
CANCEL_POLL_INTERVAL_S = 0.2
"""A checkpoint asks the database for a cancel at most this often (they come thousands a second
on long tours); a cancel is seen within this plus the step between two checkpoints."""


class JobCanceledError(Exception):
    """A cancel request reached a checkpoint."""


class JobTimeLimitError(Exception):
    """A job ran past its time limit; the message says which limit and why."""


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """How long a job may plan, and the size it was derived from."""

    limit_s: float
    sections: int
    days: float
    polyline_points: int = 0

    NONE: ClassVar[TimeLimit]  # no limit (fault injection's waits)

    @classmethod
    def of(cls, request: TourRequest, factor: float = 1.0) -> TimeLimit:
        """The limit for this tour; factor is the setting `job_time_limit_factor`."""
        size = tour_size(request)
        per_size_s = (
            JOB_TIME_PER_SECTION_S * size.sections
            + JOB_TIME_PER_DAY_S * size.days
            + JOB_TIME_PER_1000_POINTS_S * size.polyline_points / 1000
        )
        limit_s = factor * (JOB_TIME_BASE_S + per_size_s)
        return cls(limit_s, size.sections, size.days, size.polyline_points)

    def explain(self, elapsed_s: float) -> str:
        """The job's error once it ran elapsed_s past the limit."""
        points = f", {self.polyline_points} polyline points" if self.polyline_points else ""
        return (
            f"the job was stopped after {elapsed_s:.1f} s: longer than its time limit of "
            f"{self.limit_s:.0f} s for {self.sections} sections, {self.days:.1f} days of tour"
            f"{points} ({JOB_TIME_BASE_S:g} s + {JOB_TIME_PER_SECTION_S:g} s a section + "
            f"{JOB_TIME_PER_DAY_S:g} s a day + {JOB_TIME_PER_1000_POINTS_S:g} s per 1,000 "
            "points, times VOLTROUTE_JOB_TIME_LIMIT_FACTOR)"
        )


TimeLimit.NONE = TimeLimit(math.inf, 0, 0.0)


class JobGuard:
    """One job's checkpoint: raises JobCanceledError or JobTimeLimitError, else returns."""

    def __init__(
        self,
        cancel_requested: Callable[[], bool],
        limit: TimeLimit,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cancel_requested = cancel_requested
        self.limit = limit
        self._clock = clock
        self._started_s = clock()
        self._polled_s: float | None = None

    def checkpoint(self) -> None:
        """Stop here when the job is canceled or out of time."""
        now_s = self._clock()
        elapsed_s = now_s - self._started_s
        if elapsed_s > self.limit.limit_s:
            raise JobTimeLimitError(self.limit.explain(elapsed_s))
        if self._polled_s is not None and now_s - self._polled_s < CANCEL_POLL_INTERVAL_S:
            return
        self._polled_s = now_s
        try:
            canceled = self._cancel_requested()
        except OperationalError:
            return  # the database is away for a moment: look again at the next checkpoint
        if canceled:
            raise JobCanceledError
