"""How big a tour is before it is planned: sections, stop time, the least driving, days.

The door refuses tours longer than `bounds.MAX_TOUR_DURATION_MIN` on this measure, and the
worker derives a job's time limit from it: both read the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from voltroute import bounds
from voltroute.domain import LatLon, haversine_m
from voltroute.planning.tour_request import TourRequest
from voltroute.polyline_size import polyline_points

MIN_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class TourSize:
    """A tour's size as the request states it (no routing)."""

    sections: int
    stops_min: float  # service at the stops and before departure
    driving_min: float  # the straight-line distances at bounds.MAX_SPEED_KPH: a lower bound
    polyline_points: int = 0  # points of the polylines to map-match

    @property
    def duration_min(self) -> float:
        """The least time the tour can take."""
        return self.stops_min + self.driving_min

    @property
    def days(self) -> float:
        """duration_min in days."""
        return self.duration_min / MIN_PER_DAY


def tour_size(request: TourRequest) -> TourSize:
    """Sections, stop minutes, the least driving minutes (polylines count 0 km) and the points of
    the polylines to match."""
    stops_min = request.service_time_departure_min + sum(
        section.service_time_min for section in request.sections
    )
    distance_m = 0.0
    previous: LatLon | None = None
    for section in request.sections:
        start = section.start or previous
        if start is not None and section.stop is not None:
            distance_m += haversine_m(start, section.stop)
        previous = section.stop
    driving_min = distance_m / 1000.0 / bounds.MAX_SPEED_KPH * 60.0
    points = sum(
        polyline_points(section.polyline)
        for section in request.sections
        if section.polyline is not None and section.start is None and section.stop is None
    )
    return TourSize(len(request.sections), stops_min, driving_min, points)
