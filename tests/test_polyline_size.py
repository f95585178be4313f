"""Points of a flexible polyline, counted without decoding, agree with decoding."""

from __future__ import annotations

import flexpolyline
from hypothesis import given, settings
from hypothesis import strategies as st

from voltroute.polyline_size import polyline_points

latitudes = st.floats(min_value=-90, max_value=90, allow_nan=False)
longitudes = st.floats(min_value=-180, max_value=180, allow_nan=False)
heights = st.floats(min_value=-500, max_value=9000, allow_nan=False)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.tuples(latitudes, longitudes), max_size=300), st.integers(0, 10))
def test_a_2d_polyline_counts_its_points(points: list[tuple[float, float]], precision: int) -> None:
    assert polyline_points(flexpolyline.encode(points, precision=precision)) == len(points)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    st.lists(st.tuples(latitudes, longitudes, heights), max_size=300),
    st.sampled_from([flexpolyline.ALTITUDE, flexpolyline.ELEVATION, flexpolyline.LEVEL]),
)
def test_a_polyline_with_a_third_dimension_counts_its_points(
    points: list[tuple[float, float, float]], third_dim: int
) -> None:
    encoded = flexpolyline.encode(points, third_dim=third_dim, third_dim_precision=2)
    assert polyline_points(encoded) == len(points)


def test_garbage_counts_something_and_never_raises() -> None:
    assert polyline_points("") == 0
    assert polyline_points("!!!") == 0
    assert polyline_points("BFoz5xJ67i1B1B7PzIhaxL7Y") >= 0
