"""Checks made when a tour is submitted, so bad input is answered at once instead of by a job."""

from __future__ import annotations

from voltroute.domain import LatLon
from voltroute.jobs.tour_request import TourRequest
from voltroute.regions import Region
from voltroute.routing.flexpolyline import decode_polyline

REGION_MARGIN_M = 2_000.0

Problem = tuple[tuple[str | int, ...], str]


def tour_problems(request: TourRequest, region: Region | None) -> list[Problem]:
    """Positions outside the served region and polylines that do not decode, with their location."""
    problems: list[Problem] = []
    for index, section in enumerate(request.sections):
        loc: tuple[str | int, ...] = ("section_list", index)
        named: list[tuple[str, LatLon]] = []
        if section.start is not None:
            named.append(("start_pos", section.start))
        if section.stop is not None:
            named.append(("stop_pos", section.stop))
        if section.polyline is not None and section.start is None and section.stop is None:
            try:
                points = decode_polyline(section.polyline)
            except ValueError as error:
                problems.append(((*loc, "polyline"), f"not a HERE Flexible Polyline: {error}"))
                continue
            if len(points) < 2:
                problems.append(((*loc, "polyline"), "a polyline needs at least two points"))
                continue
            named += [("polyline", LatLon(p[0], p[1])) for p in (points[0], points[-1])]
        for field, position in named:
            if region is not None and not region.contains(
                position.lat, position.lon, REGION_MARGIN_M
            ):
                min_lat, min_lon, max_lat, max_lon = region.manifest.bbox
                problems.append(
                    (
                        (*loc, field),
                        f"position {position.lat:.5f}, {position.lon:.5f} is outside the served "
                        f"region '{region.name}' (lat {min_lat:.3f}..{max_lat:.3f}, "
                        f"lon {min_lon:.3f}..{max_lon:.3f})",
                    )
                )
    return problems
