"""Edges tied to the route's own shape by distance along it, whatever shape the trace returns."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voltroute.routing.edge_alignment import (
    AlignmentError,
    EdgeSpan,
    TracedEdge,
    align_edges,
    cumulative_m,
)

# A road going east then north-east, about 100 m between points (50 N, 10 E).
ROUTE = [(50.0, 10.0 + 0.0014 * i) for i in range(6)] + [
    (50.0 + 0.0009 * i, 10.007 + 0.0014 * i) for i in range(1, 5)
]


def _edges_on(points: list[tuple[float, float]], ends: list[int]) -> list[TracedEdge]:
    along = cumulative_m(points)
    begins = [0, *ends[:-1]]
    return [
        TracedEdge(b, e, along[e] - along[b], 10.0 * (e - b))
        for b, e in zip(begins, ends, strict=True)
    ]


def _assert_whole(
    spans: list[EdgeSpan], point_count: int, length_m: float, duration_s: float
) -> None:
    assert spans[0].begin_shape_index == 0
    assert spans[-1].end_shape_index == point_count - 1
    for a, b in itertools.pairwise(spans):
        assert a.end_shape_index == b.begin_shape_index
    assert all(s.end_shape_index > s.begin_shape_index for s in spans)
    assert sum(s.length_m for s in spans) == pytest.approx(length_m, abs=1e-6)
    assert sum(s.duration_s for s in spans) == pytest.approx(duration_s, abs=1e-6)


def test_a_trace_with_the_routes_shape_keeps_its_indices() -> None:
    edges = _edges_on(ROUTE, [3, 5, 9])
    spans = align_edges(ROUTE, ROUTE, edges, 1000.0, 90.0)
    assert [(s.begin_shape_index, s.end_shape_index) for s in spans] == [(0, 3), (3, 5), (5, 9)]
    _assert_whole(spans, len(ROUTE), 1000.0, 90.0)


def test_a_repeated_first_and_last_point_folds_into_the_neighbouring_edge() -> None:
    # What edge_walk returns for a route from node to node: the end points twice.
    traced = [ROUTE[0], *ROUTE, ROUTE[-1]]
    edges = _edges_on(traced, [1, 4, 6, 10, 11])
    spans = align_edges(ROUTE, traced, edges, 1000.0, 90.0)
    assert [(s.begin_shape_index, s.end_shape_index) for s in spans] == [(0, 3), (3, 5), (5, 9)]
    assert [s.traced for s in spans] == [1, 2, 3]
    _assert_whole(spans, len(ROUTE), 1000.0, 90.0)


def test_a_matched_trace_with_other_points_is_placed_by_distance() -> None:
    # The matcher drew the same road with points of its own, a third of the way between ours.
    traced = (
        [ROUTE[0]]
        + [((2 * a[0] + b[0]) / 3, (2 * a[1] + b[1]) / 3) for a, b in itertools.pairwise(ROUTE)]
        + [ROUTE[-1]]
    )
    edges = _edges_on(traced, [4, 10])
    spans = align_edges(ROUTE, traced, edges, 950.0, 80.0)
    assert [(s.begin_shape_index, s.end_shape_index) for s in spans] == [(0, 3), (3, 9)]
    _assert_whole(spans, len(ROUTE), 950.0, 80.0)


def test_a_trace_of_another_length_is_not_the_same_path() -> None:
    edges = _edges_on(ROUTE[:5], [2, 4])
    with pytest.raises(AlignmentError, match="not the same path"):
        align_edges(ROUTE, ROUTE[:5], edges, 1000.0, 90.0)


def test_edges_out_of_order_are_refused() -> None:
    edges = [TracedEdge(0, 5, 500.0, 40.0), TracedEdge(3, 9, 500.0, 50.0)]
    with pytest.raises(AlignmentError, match="begins at point 3"):
        align_edges(ROUTE, ROUTE, edges, 1000.0, 90.0)


def test_edges_that_stop_short_of_the_shape_are_refused() -> None:
    with pytest.raises(AlignmentError, match="end at point 5"):
        align_edges(ROUTE, ROUTE, [TracedEdge(0, 5, 500.0, 40.0)], 1000.0, 90.0)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    ends=st.lists(st.integers(1, len(ROUTE) - 1), min_size=1, max_size=12).map(
        lambda xs: sorted(set(xs) | {len(ROUTE) - 1})
    ),
    repeats=st.lists(st.integers(0, len(ROUTE) - 1), max_size=6),
    length_m=st.floats(1.0, 5_000.0),
    duration_s=st.floats(0.0, 600.0),
)
def test_any_repeated_points_give_whole_contiguous_edges(
    ends: list[int], repeats: list[int], length_m: float, duration_s: float
) -> None:
    # The trace repeats some of the route's points (edge boundaries at nodes, trimmed edges).
    traced: list[tuple[float, float]] = []
    index_of: dict[int, int] = {}
    for i, point in enumerate(ROUTE):
        traced.extend([point] * (1 + repeats.count(i)))
        index_of[i] = len(traced) - 1
    edges = _edges_on(traced, [index_of[e] for e in ends])
    spans = align_edges(ROUTE, traced, edges, length_m, duration_s)
    _assert_whole(spans, len(ROUTE), length_m, duration_s)
    assert [s.end_shape_index for s in spans] == ends
