"""How many corridor stations each `poi_info` filter removed, and what the data cannot say.

Open data leaves many fields empty: the Bundesnetzagentur register has no truck approval, no
inlet side and no booking. A filter on such a field removes every station of that source, and a
plan that then finds no charger must say so rather than send the dispatcher after the battery.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from voltroute.stations.filters import FILTER_NAMES, StationFilter
from voltroute.stations.model import Station, StationSource

# What each source never carries, as a dispatcher reads it.
SOURCE_GAPS: Final = {
    StationSource.BNETZA: {
        "truck_approved": "the Bundesnetzagentur register has no truck-approval field",
        "connector_pos": "the Bundesnetzagentur register does not say on which side the bay is",
        "bookable": "the Bundesnetzagentur register does not say whether a charger can be booked",
    },
    StationSource.OSM: {
        "connector_pos": "OpenStreetMap does not say on which side the bay is",
        "bookable": "OpenStreetMap does not say whether a charger can be booked",
    },
    StationSource.OCPI: {
        "truck_approved": "OCPI 2.2.1 has no truck-approval field",
        "connector_pos": "OCPI 2.2.1 does not say on which side the bay is",
    },
}


@dataclass(frozen=True, slots=True)
class FilterEffect:
    """One filter's share: stations it removed, and how many only for want of data."""

    name: str
    removed: int
    unknown: int
    gaps: tuple[str, ...]  # what the removed stations' sources never carry for this field


@dataclass(frozen=True, slots=True)
class FilterReport:
    """The filters' effect on the stations of a corridor."""

    stations: int
    accepted: int
    effects: tuple[FilterEffect, ...]
    failures: tuple[frozenset[str], ...] = ()  # the filters each refused station fails

    @property
    def binding(self) -> tuple[str, ...]:
        """The fewest filters whose removal lets stations through (greedily: each step drops
        the filter that then lets most through, ties to the one that removed most)."""
        removed = {e.name: e.removed for e in self.effects}
        dropped: list[str] = []
        while len(dropped) < len(removed):

            def unlocked(name: str) -> int:
                keep = {*dropped, name}
                return sum(1 for failed in self.failures if failed <= keep)

            best = max(
                (n for n in FILTER_NAMES if n in removed and n not in dropped),
                key=lambda n: (unlocked(n), removed[n]),
            )
            dropped.append(best)
            if unlocked(best) > 0:
                return tuple(dropped)
        return ()

    def describe(self) -> str:
        """The report in a sentence or two, the filters that removed most first."""
        parts = []
        for effect in sorted(self.effects, key=lambda e: -e.removed):
            if effect.removed == 0:
                continue
            text = f"{effect.name} removed {effect.removed}"
            if effect.unknown:
                why = f"; {'; '.join(effect.gaps)}" if effect.gaps else ""
                text += f" ({effect.unknown} of them only because the data does not say{why})"
            parts.append(text)
        kept = f"{self.accepted} pass{'es' if self.accepted == 1 else ''} them all"
        return (
            f"The corridor holds {self.stations} station{'s' if self.stations != 1 else ''}; "
            + ", ".join(parts)
            + f"; {kept}."
        )


def filter_report(stations: Iterable[Station], station_filter: StationFilter) -> FilterReport:
    """Count, per filter, the stations it removes (each filter on its own)."""
    unique = list({s.station_id: s for s in stations}.values())
    removed = dict.fromkeys(FILTER_NAMES, 0)
    unknown = dict.fromkeys(FILTER_NAMES, 0)
    gaps: dict[str, dict[str, None]] = {name: {} for name in FILTER_NAMES}
    accepted = 0
    failures: list[frozenset[str]] = []
    for station in unique:
        failed = station_filter.failed(station)
        if not failed:
            accepted += 1
        else:
            failures.append(frozenset(failed))
        for name in failed:
            removed[name] += 1
            if station_filter.unknown(station, name):
                unknown[name] += 1
                gap = SOURCE_GAPS.get(station.source, {}).get(name)
                if gap is not None:
                    gaps[name][gap] = None
    effects = tuple(
        FilterEffect(name, removed[name], unknown[name], tuple(gaps[name]))
        for name in FILTER_NAMES
        if removed[name] > 0
    )
    return FilterReport(len(unique), accepted, effects, tuple(failures))
