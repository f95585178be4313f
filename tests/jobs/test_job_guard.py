"""A job's checkpoint: its time limit from its size, cancels polled; the clock is an argument."""

from __future__ import annotations

import dataclasses

import flexpolyline
import pytest
from sqlalchemy.exc import OperationalError

from voltroute import bounds
from voltroute.domain import LatLon
from voltroute.jobs.job_guard import (
    CANCEL_POLL_INTERVAL_S,
    JOB_TIME_BASE_S,
    JOB_TIME_PER_1000_POINTS_S,
    JOB_TIME_PER_DAY_S,
    JobCanceledError,
    JobGuard,
    JobTimeLimitError,
    TimeLimit,
)
from voltroute.planning.tour_request import SectionSpec, TourRequest
from voltroute.planning.tour_size import tour_size


class StepClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now_s = 0.0

    def __call__(self) -> float:
        return self.now_s


def tour(sections: int, service_time_min: float = 0.0) -> TourRequest:
    a, b = LatLon(49.40, 8.60), LatLon(49.40, 8.70)  # about 7.2 km apart
    return TourRequest(
        vehicle_id="010160700001",
        battery_level_start=0.8,
        battery_level_end=0.2,
        sections=tuple(
            SectionSpec(
                section_id=None,
                start=(a, b)[i % 2],
                stop=(b, a)[i % 2],
                polyline=None,
                payload_kg=0.0,
                service_time_min=service_time_min,
                power_available_kw=0.0,
                opening_time=None,
            )
            for i in range(sections)
        ),
        service_time_departure_min=0.0,
        start_time=None,
        corridor_m=8000,
        min_charge_duration_min=0,
        include_available_charging_stations=False,
        poi_info=None,
    )


def test_the_time_limit_grows_with_sections_and_days() -> None:
    small = TimeLimit.of(tour(3))
    more_sections = TimeLimit.of(tour(200))
    more_days = TimeLimit.of(tour(3, service_time_min=bounds.STOP_DURATION_MIN.max_value))
    assert JOB_TIME_BASE_S < small.limit_s < more_sections.limit_s
    assert small.limit_s < more_days.limit_s
    assert more_days.days == pytest.approx(tour_size(tour(3, 10_080.0)).duration_min / 1440)


def test_the_largest_tour_the_door_accepts_has_a_finite_limit() -> None:
    sections = bounds.MAX_SECTIONS_PER_TOUR
    driving_min = tour_size(tour(sections)).driving_min
    service_min = (bounds.MAX_TOUR_DURATION_MIN - driving_min) / sections
    largest = TimeLimit.of(tour(sections, service_min))
    assert largest.days == pytest.approx(14)
    assert largest.limit_s < 3_600  # an hour of one planning thread at the very most


def test_polyline_points_to_match_add_to_the_limit() -> None:
    plain = tour(1)
    dense = flexpolyline.encode(
        [(49.40 + (i % 2) * 1e-5, 8.68) for i in range(bounds.MAX_POLYLINE_POINTS)]
    )
    section = dataclasses.replace(plain.sections[0], start=None, stop=None, polyline=dense)
    matched = TimeLimit.of(dataclasses.replace(plain, sections=(section,)))
    assert matched.polyline_points == bounds.MAX_POLYLINE_POINTS
    assert matched.limit_s == pytest.approx(
        TimeLimit.of(plain).limit_s
        + bounds.MAX_POLYLINE_POINTS / 1000 * JOB_TIME_PER_1000_POINTS_S,
        abs=JOB_TIME_PER_DAY_S,
    )


def test_the_factor_scales_the_limit() -> None:
    assert TimeLimit.of(tour(3), 2.0).limit_s == pytest.approx(2 * TimeLimit.of(tour(3)).limit_s)


def test_past_the_limit_the_checkpoint_stops_the_job_with_the_reason() -> None:
    clock = StepClock()
    limit = TimeLimit.of(tour(3))
    guard = JobGuard(lambda: False, limit, clock)
    clock.now_s += limit.limit_s  # exactly at the limit: still allowed
    guard.checkpoint()
    clock.now_s += 0.5
    with pytest.raises(JobTimeLimitError, match=r"time limit of \d+ s for 3 sections"):
        guard.checkpoint()


def test_a_cancel_is_seen_at_the_first_checkpoint_and_then_polled_at_intervals() -> None:
    clock = StepClock()
    polls: list[float] = []
    canceled = False

    def cancel_requested() -> bool:
        polls.append(clock.now_s)
        return canceled

    guard = JobGuard(cancel_requested, TimeLimit.of(tour(3)), clock)
    guard.checkpoint()
    canceled = True
    guard.checkpoint()  # within the poll interval: the database is not asked
    assert len(polls) == 1
    clock.now_s += CANCEL_POLL_INTERVAL_S
    with pytest.raises(JobCanceledError):
        guard.checkpoint()
    assert len(polls) == 2


def test_a_database_away_for_a_moment_does_not_stop_the_job() -> None:
    def unreachable() -> bool:
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    JobGuard(unreachable, TimeLimit.of(tour(3)), StepClock()).checkpoint()


def test_no_limit_is_no_limit() -> None:
    clock = StepClock()
    guard = JobGuard(lambda: False, TimeLimit.NONE, clock)
    clock.now_s += 1e12
    guard.checkpoint()
