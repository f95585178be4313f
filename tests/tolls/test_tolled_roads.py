"""German truck toll network from road numbers and class; country per edge, offline."""

from __future__ import annotations

from datetime import date

import pytest

from voltroute.tolls import Tariff, edge_countries, find_tariff, is_tolled, packaged_tariffs

from .samples import STRASBOURG, FakeEdge, FakeLeg, FakePoint


def german() -> Tariff:
    tariff = find_tariff(packaged_tariffs(), "DE", date(2026, 9, 1))
    assert tariff is not None
    return tariff


@pytest.mark.parametrize(
    ("road_class", "refs", "tolled"),
    [
        ("motorway", ("A 5",), True),
        ("motorway", (), True),  # interchange ramps and ref-less Autobahn pieces
        ("trunk", ("B 535",), True),
        ("primary", ("B 37",), True),
        ("secondary", ("B 3",), True),  # a Bundesstrasse through town is still one
        ("primary", ("L 600", "B 3"), True),
        ("primary", ("A5",), True),
        ("primary", ("B 27a",), True),
        ("secondary", ("L 600",), False),
        ("tertiary", ("K 4161",), False),
        ("trunk", ("E 35",), False),
        ("residential", (), False),
        ("primary", ("Bahnhofstraße B",), False),
    ],
)
def test_autobahn_and_bundesstrasse_edges_are_tolled_others_not(
    road_class: str, refs: tuple[str, ...], tolled: bool
) -> None:
    edge = FakeEdge(100.0, road_class, refs)

    assert is_tolled(edge, german()) is tolled


def test_the_routing_engines_country_wins_over_coordinates() -> None:
    leg = FakeLeg((FakeEdge(100.0, country_code="fr"),), (FakePoint(49.41, 8.69),))

    assert edge_countries(leg) == ["FR"]


def test_without_admin_data_the_country_comes_from_the_edge_middle() -> None:
    heidelberg, strasbourg = FakePoint(49.41, 8.69), FakePoint(*STRASBOURG)
    shape = (heidelberg, heidelberg, strasbourg, strasbourg)
    leg = FakeLeg(
        (
            FakeEdge(100.0, begin_shape_index=0, end_shape_index=1),
            FakeEdge(100.0, begin_shape_index=2, end_shape_index=3),
        ),
        shape,
    )

    assert edge_countries(leg) == ["DE", "FR"]


def test_a_position_at_sea_has_no_country() -> None:
    leg = FakeLeg((FakeEdge(100.0),), (FakePoint(54.5, 5.0),))

    assert edge_countries(leg) == [None]
