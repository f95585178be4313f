"""Which served region plans a tour: the first (in served order) that holds every stop.

A tour is routed on one region's network, so stops outside every region, or stops spread over
regions no one of which holds them all, are refused at submission with the stops and the
regions named.
"""

from __future__ import annotations

from dataclasses import dataclass

from voltroute.planning.submission_checks import Problem, TourPosition, tour_positions
from voltroute.planning.tour_request import TourRequest
from voltroute.regions import Region, ServedRegions

REGION_MARGIN_M = 2_000.0
MAX_STOPS_NAMED_PER_REGION = 3  # a 200-section tour would otherwise list 400 positions


@dataclass(frozen=True, slots=True)
class RegionChoice:
    """The region a tour is planned on, or (region None) the problems that leave none."""

    region: Region | None
    problems: list[Problem]


def choose_region(request: TourRequest, regions: ServedRegions) -> RegionChoice:
    """The first served region holding every position of the tour (within REGION_MARGIN_M);
    else problems: each position outside every region, the regions the stops are spread over,
    and polylines that do not decode."""
    positions, problems = tour_positions(request)
    inside: list[tuple[TourPosition, tuple[Region, ...]]] = []
    for named in positions:
        holding = regions.holding(named.position.lat, named.position.lon, REGION_MARGIN_M)
        if holding:
            inside.append((named, holding))
        else:
            problems.append((named.loc, _outside_message(named, regions)))
    common = [
        region
        for region in regions
        if all(region.name in {r.name for r in holding} for _, holding in inside)
    ]
    if inside and not common:
        problems.append((("section_list",), _spread_message(inside)))
    if problems:
        return RegionChoice(None, problems)
    return RegionChoice(common[0] if common else regions.default, [])


def tour_problems(request: TourRequest, region: Region | None) -> list[Problem]:
    """Positions outside the one served region and polylines that do not decode."""
    if region is None:
        return tour_positions(request)[1]
    return choose_region(request, ServedRegions((region,))).problems


def describe_region(region: Region) -> str:
    """'denmark' (lat 54.574..57.738, lon 8.117..15.128)"""
    min_lat, min_lon, max_lat, max_lon = region.manifest.bbox
    return f"'{region.name}' (lat {min_lat:.3f}..{max_lat:.3f}, lon {min_lon:.3f}..{max_lon:.3f})"


def _outside_message(named: TourPosition, regions: ServedRegions) -> str:
    where = f"position {named.position.lat:.5f}, {named.position.lon:.5f} is outside"
    if len(regions) == 1:
        return f"{where} the served region {describe_region(regions.default)}"
    return f"{where} every served region: " + ", ".join(describe_region(r) for r in regions)


def _spread_message(inside: list[tuple[TourPosition, tuple[Region, ...]]]) -> str:
    groups: dict[tuple[str, ...], list[TourPosition]] = {}
    for named, holding in inside:
        groups.setdefault(tuple(region.name for region in holding), []).append(named)
    parts = []
    for names, members in groups.items():
        listed = ", ".join(named.label() for named in members[:MAX_STOPS_NAMED_PER_REGION])
        if len(members) > MAX_STOPS_NAMED_PER_REGION:
            listed += f" and {len(members) - MAX_STOPS_NAMED_PER_REGION} more"
        parts.append(f"in {' and '.join(f"'{name}'" for name in names)}: {listed}")
    return (
        "the stops lie in different served regions and no one region holds them all (a tour "
        "is planned on one region's road network): " + "; ".join(parts)
    )
