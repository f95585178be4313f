"""The shared value types: a station's power curve over SoC (validation and evaluation)."""

from __future__ import annotations

import math
import re

import pytest

from voltroute import bounds
from voltroute.domain import StationPowerCurve


def test_the_limit_is_linear_between_points_and_flat_beyond_the_ends() -> None:
    curve = StationPowerCurve(((0.2, 100.0), (0.6, 300.0), (0.9, 60.0)))
    assert [curve.max_kw(s) for s in (0.0, 0.2, 0.4, 0.6, 0.75, 0.9, 1.0)] == pytest.approx(
        [100.0, 100.0, 200.0, 300.0, 180.0, 60.0, 60.0]
    )
    assert curve.peak_kw == 300.0


def test_one_point_is_a_flat_limit() -> None:
    curve = StationPowerCurve(((0.5, 80.0),))
    assert (curve.max_kw(0.0), curve.max_kw(1.0)) == (80.0, 80.0)


def test_a_breakpoint_s_power_is_returned_exactly() -> None:
    curve = StationPowerCurve(((0.1, 333.3), (0.7, 1.0)))
    assert curve.max_kw(0.7) == 1.0


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ((), "a power curve needs 1 to 32 points, got 0"),
        (tuple((i / 40, 100.0) for i in range(33)), "a power curve needs 1 to 32 points, got 33"),
        (((0.0, 100.0), (1.2, 50.0)), "point 1: soc 1.2 is outside 0..1"),
        (((-0.1, 100.0),), "point 0: soc -0.1 is outside 0..1"),
        (((math.nan, 100.0),), "point 0: soc nan is outside 0..1"),
        (((0.0, 100.0), (0.5, -1.0)), "point 1: -1.0 kW is outside 1..5000 kW"),
        (((0.0, 100.0), (0.9, 0.0)), "point 1: 0.0 kW is outside 1..5000 kW"),
        (((0.0, math.inf),), "point 0: inf kW is outside 1..5000 kW"),
        (((0.0, math.nan),), "point 0: nan kW is outside 1..5000 kW"),
        (((0.0, 6000.0),), "point 0: 6000.0 kW is outside 1..5000 kW"),
        (
            ((0.2, 100.0), (0.8, 90.0), (0.8, 50.0)),
            "point 2: soc 0.8 is not above point 1's 0.8 (soc must increase strictly)",
        ),
        (
            ((0.9, 100.0), (0.5, 50.0)),
            "point 1: soc 0.5 is not above point 0's 0.9 (soc must increase strictly)",
        ),
    ],
)
def test_a_bad_curve_is_refused_naming_the_point_and_the_rule(
    points: tuple[tuple[float, float], ...], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        StationPowerCurve(points)


def test_the_most_points_allowed_are_accepted() -> None:
    points = tuple((i / 31, 100.0 + i) for i in range(bounds.MAX_POWER_CURVE_POINTS))
    assert len(StationPowerCurve(points).points) == 32
