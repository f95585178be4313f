"""Synthetic edges and legs for toll tests: no routing engine involved."""

from __future__ import annotations

from dataclasses import dataclass, field

HEIDELBERG = (49.41, 8.69)
STRASBOURG = (48.58, 7.75)


@dataclass(frozen=True, slots=True)
class FakeEdge:
    """The attributes tolls reads from routing.Edge."""

    length_m: float
    road_class: str = "residential"
    refs: tuple[str, ...] = ()
    country_code: str | None = None
    begin_shape_index: int = 0
    end_shape_index: int = 0


@dataclass(frozen=True, slots=True)
class FakePoint:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class FakeLeg:
    edges: tuple[FakeEdge, ...]
    shape: tuple[FakePoint, ...] = field(default=(FakePoint(*HEIDELBERG),))


def motorway(length_m: float, ref: str = "A 5", country: str | None = "DE") -> FakeEdge:
    return FakeEdge(length_m, "motorway", (ref,), country)


def street(length_m: float, country: str | None = "DE") -> FakeEdge:
    return FakeEdge(length_m, "residential", (), country)
