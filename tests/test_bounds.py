"""The bounds table: ranges hold finite numbers only, and the horizon moves with the clock."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from voltroute import bounds
from voltroute.bounds import Bound

QUANTITIES = [value for value in vars(bounds).values() if isinstance(value, Bound)]


@pytest.mark.parametrize("bound", QUANTITIES, ids=lambda b: b.quantity)
def test_every_bound_holds_its_ends_and_nothing_beyond_or_non_finite(bound: Bound) -> None:
    assert bound.min_value < bound.max_value
    assert bound.contains(bound.max_value)
    assert bound.contains(bound.min_value) is not bound.min_exclusive
    assert not bound.contains(math.nextafter(bound.max_value, math.inf))
    assert not bound.contains(math.nextafter(bound.min_value, -math.inf))
    for value in (math.nan, math.inf, -math.inf):
        assert not bound.contains(value)


def test_a_bound_reads_as_its_range_with_the_unit() -> None:
    assert bounds.STOP_DURATION_MIN.text() == "0..10080 min"
    assert bounds.BATTERY_USABLE_KWH.text() == "more than 0..2000 kWh"
    assert bounds.SOC.text() == "0..1"


def test_the_latest_start_is_the_horizon_after_now() -> None:
    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    assert bounds.latest_start(now) == datetime(2031, 12, 10, 12, 0, tzinfo=UTC)
    assert now > bounds.EARLIEST_START


def test_a_stop_of_the_longest_duration_fits_a_tour_of_the_longest_duration() -> None:
    assert bounds.STOP_DURATION_MIN.max_value <= bounds.MAX_TOUR_DURATION_MIN
