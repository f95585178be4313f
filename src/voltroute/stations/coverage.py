"""What a set of stations carries: for each attribute a `poi_info` filter tests, how many
stations' sources state it, and with which values.

A client (the planner page) learns here, before a plan fails on it, that the Bundesnetzagentur
register says nothing about truck approval or the bay's side, and presets only filters that
stations can pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from voltroute.stations.model import InletSide, Station, TruckAccess

# Lower edges of the bands of a station's most powerful charge point (kW): AC, slow DC, fast
# DC, the 150 kW trucks charge at, high-power CCS, megawatt charging.
POWER_BAND_EDGES_KW = (0.0, 22.0, 50.0, 150.0, 350.0, 1000.0)
TOP_OPERATORS = 10


@dataclass(frozen=True, slots=True)
class AttributeCoverage:
    """How many stations state an attribute, and how many of them have each value."""

    known: int
    values: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class PowerBand:
    """Stations whose most powerful charge point is in [min_kw, max_kw) (max_kw None: open)."""

    min_kw: float
    max_kw: float | None
    stations: int


@dataclass(frozen=True, slots=True)
class StationCoverage:
    """The attributes of a set of stations, per `poi_info` filter name."""

    stations: int
    sources: Mapping[str, int]
    truck_approved: AttributeCoverage  # values T, TT
    connector_pos: AttributeCoverage  # the bay's side: LEFT, RIGHT, BOTH
    bookable: AttributeCoverage  # values "true", "false"
    cpo: AttributeCoverage  # the operator; values: the most frequent operators
    connector_type: Mapping[str, int]  # stations with at least one such connector
    max_power: tuple[PowerBand, ...]


def station_coverage(stations: Iterable[Station]) -> StationCoverage:
    """Count what the stations carry (unknown values are not counted as known)."""
    sources: Counter[str] = Counter()
    truck: Counter[str] = Counter()
    sides: Counter[str] = Counter()
    bookable: Counter[str] = Counter()
    operators: Counter[str] = Counter()
    connectors: Counter[str] = Counter()
    bands = [0] * len(POWER_BAND_EDGES_KW)
    total = 0
    for station in stations:
        total += 1
        sources[station.source.value] += 1
        if station.truck_access is not TruckAccess.UNKNOWN:
            truck[station.truck_access.value] += 1
        if station.inlet_side is not InletSide.UNKNOWN:
            sides[station.inlet_side.value] += 1
        if station.bookable is not None:
            bookable["true" if station.bookable else "false"] += 1
        if station.operator:
            operators[station.operator] += 1
        for connector in station.connectors:
            connectors[connector.value] += 1
        bands[_band(station.max_power_kw)] += 1
    top = sorted(operators.items(), key=lambda item: (-item[1], item[0]))[:TOP_OPERATORS]
    return StationCoverage(
        stations=total,
        sources=dict(sorted(sources.items())),
        truck_approved=_coverage(truck),
        connector_pos=_coverage(sides),
        bookable=_coverage(bookable),
        cpo=AttributeCoverage(known=operators.total(), values=dict(top)),
        connector_type=dict(sorted(connectors.items())),
        max_power=tuple(
            PowerBand(
                min_kw=low,
                max_kw=POWER_BAND_EDGES_KW[i + 1] if i + 1 < len(POWER_BAND_EDGES_KW) else None,
                stations=bands[i],
            )
            for i, low in enumerate(POWER_BAND_EDGES_KW)
        ),
    )


def _coverage(counts: Counter[str]) -> AttributeCoverage:
    return AttributeCoverage(known=counts.total(), values=dict(sorted(counts.items())))


def _band(power_kw: float) -> int:
    """Index of the band holding power_kw (a station without charge points is in the first)."""
    index = 0
    for i, low in enumerate(POWER_BAND_EDGES_KW):
        if power_kw >= low:
            index = i
    return index
