"""Which edges of a leg lie in which country, and which of them a tariff's toll applies to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from voltroute.tolls.country import TimeZoneLookup, country_at
from voltroute.tolls.tariff import Tariff

_ROAD_REF = re.compile(r"^(?P<prefix>[A-Z]{1,3}) ?\d{1,5}[a-z]?$")


class TollEdge(Protocol):
    """The edge attributes tolls read (routing.Edge has them; tolls does not import routing)."""

    @property
    def length_m(self) -> float: ...
    @property
    def road_class(self) -> str: ...
    @property
    def refs(self) -> tuple[str, ...]: ...
    @property
    def country_code(self) -> str | None: ...
    @property
    def begin_shape_index(self) -> int: ...
    @property
    def end_shape_index(self) -> int: ...


class ShapePointLike(Protocol):
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


class TollLeg(Protocol):
    """A routed leg: its edges and the shape their indices point into (routing.RouteLeg)."""

    @property
    def edges(self) -> Sequence[TollEdge]: ...
    @property
    def shape(self) -> Sequence[ShapePointLike]: ...


def edge_countries(leg: TollLeg, lookup: TimeZoneLookup | None = None) -> list[str | None]:
    """Country per edge: the routing engine's admin data, else the country at the edge's middle."""
    countries: list[str | None] = []
    for edge in leg.edges:
        if edge.country_code:
            countries.append(edge.country_code.upper())
            continue
        if not leg.shape:
            countries.append(None)
            continue
        middle = (edge.begin_shape_index + edge.end_shape_index) // 2
        point = leg.shape[min(max(middle, 0), len(leg.shape) - 1)]
        countries.append(country_at(point.lat, point.lon, lookup))
    return countries


def is_tolled(edge: TollEdge, tariff: Tariff) -> bool:
    """True when the tariff's network contains the edge (by road number or road class).

    For Germany: A n (Autobahn) and B n (Bundesstrasse) refs, or road class motorway, which in
    Germany is used only for Autobahnen, their interchange ramps and motorway-grade Bundesstrassen.
    """
    if edge.road_class in tariff.road_classes:
        return True
    for ref in edge.refs:
        match = _ROAD_REF.match(ref.strip())
        if match and match.group("prefix") in tariff.road_ref_prefixes:
            return True
    return False
