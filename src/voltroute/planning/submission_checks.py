"""Checks made when a tour is submitted, so bad input is answered at once instead of by a job:
the positions a tour names, and polylines that do not decode."""

from __future__ import annotations

from dataclasses import dataclass

from voltroute.domain import LatLon
from voltroute.planning.tour_request import TourRequest
from voltroute.routing.flexpolyline import decode_polyline

Location = tuple[str | int, ...]
Problem = tuple[Location, str]


@dataclass(frozen=True, slots=True)
class TourPosition:
    """A position the tour names, with its place in the request (without the leading "body")."""

    loc: Location  # e.g. ("section_list", 0, "start_pos")
    position: LatLon

    def label(self) -> str:
        """section_list[0].start_pos (52.39060, 13.06450)"""
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in self.loc)
        return f"{path.lstrip('.')} ({self.position.lat:.5f}, {self.position.lon:.5f})"


def tour_positions(request: TourRequest) -> tuple[list[TourPosition], list[Problem]]:
    """Every start and stop the tour names (a polyline's first and last point), in order, and
    the polylines that do not decode."""
    positions: list[TourPosition] = []
    problems: list[Problem] = []
    for index, section in enumerate(request.sections):
        loc: Location = ("section_list", index)
        if section.start is not None:
            positions.append(TourPosition((*loc, "start_pos"), section.start))
        if section.stop is not None:
            positions.append(TourPosition((*loc, "stop_pos"), section.stop))
        if section.polyline is not None and section.start is None and section.stop is None:
            try:
                points = decode_polyline(section.polyline)
            except ValueError as error:
                problems.append(((*loc, "polyline"), f"not a HERE Flexible Polyline: {error}"))
                continue
            if len(points) < 2:
                problems.append(((*loc, "polyline"), "a polyline needs at least two points"))
                continue
            positions += [
                TourPosition((*loc, "polyline"), LatLon(p[0], p[1]))
                for p in (points[0], points[-1])
            ]
    return positions, problems
