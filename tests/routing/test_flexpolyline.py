"""HERE Flexible Polyline codec: round trips within precision, clear errors on garbage."""

from __future__ import annotations

import flexpolyline as reference
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voltroute.routing import ShapePoint, decode_polyline, encode_shape
from voltroute.routing.flexpolyline import encode_latlon

LATLON_TOLERANCE = 0.5e-5 + 1e-9
ELEVATION_TOLERANCE_M = 0.05 + 1e-9

shape_points = st.builds(
    ShapePoint,
    lat=st.floats(min_value=-90, max_value=90, allow_nan=False),
    lon=st.floats(min_value=-180, max_value=180, allow_nan=False),
    elevation_m=st.floats(min_value=-500, max_value=9000, allow_nan=False),
)


@given(st.lists(shape_points, min_size=1, max_size=60))
def test_random_shapes_round_trip_within_precision(points: list[ShapePoint]) -> None:
    decoded = decode_polyline(encode_shape(points))
    assert len(decoded) == len(points)
    for p, (lat, lon, elevation_m) in zip(points, decoded, strict=True):
        assert abs(lat - p.lat) <= LATLON_TOLERANCE
        assert abs(lon - p.lon) <= LATLON_TOLERANCE
        assert elevation_m is not None
        assert abs(elevation_m - p.elevation_m) <= ELEVATION_TOLERANCE_M


def test_shape_is_encoded_with_altitude_as_third_dimension() -> None:
    encoded = encode_shape([ShapePoint(49.41, 8.69, 114.0), ShapePoint(49.42, 8.70, 120.5)])
    assert reference.get_third_dimension(encoded) == reference.ALTITUDE


def test_heres_published_2d_example_decodes_without_third_dimension() -> None:
    assert decode_polyline("BFoz5xJ67i1B1B7PzIhaxL7Y") == [
        (50.10228, 8.69821, None),
        (50.10201, 8.69567, None),
        (50.10063, 8.6915, None),
        (50.09878, 8.68752, None),
    ]


def test_heres_published_3d_example_decodes_its_third_dimension() -> None:
    decoded = decode_polyline("BlBoz5xJ67i1BU1B7PUzIhaUxL7YU")
    assert [p[2] for p in decoded] == [10.0, 20.0, 30.0, 40.0]


def test_2d_encoding_round_trips() -> None:
    points = [(49.4437, 8.5869), (49.37, 8.6324)]
    assert decode_polyline(encode_latlon(points)) == [(lat, lon, None) for lat, lon in points]


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "hello world!",
        "BFoz5xJ 67i1B",
        "B",
        "AAAA",
        "BFoz5xJ67i1B1B7PzIhaxL",
        "BFoz5xJ67i1B1B7PzIhaxL7",
        "____________",
    ],
)
def test_garbage_raises_value_error(garbage: str) -> None:
    with pytest.raises(ValueError, match="polyline"):
        decode_polyline(garbage)


def test_points_outside_the_globe_are_rejected() -> None:
    encoded = reference.encode([(95.0, 8.0)], precision=5)
    with pytest.raises(ValueError, match="out of range"):
        decode_polyline(encoded)
