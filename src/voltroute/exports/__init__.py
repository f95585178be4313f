"""Views of a planned tour for other tools: GeoJSON, GPX and the CLI's tables."""

from voltroute.exports.geojson import GEOJSON_MEDIA_TYPE, result_geojson
from voltroute.exports.gpx import GPX_MEDIA_TYPE, result_gpx
from voltroute.exports.result_view import (
    ActivityView,
    DriverTimelineView,
    ResultShapeError,
    ResultView,
    RoutePoint,
    RuleFinding,
    SectionView,
    StationView,
    StopView,
    read_result,
)

__all__ = [
    "GEOJSON_MEDIA_TYPE",
    "GPX_MEDIA_TYPE",
    "ActivityView",
    "DriverTimelineView",
    "ResultShapeError",
    "ResultView",
    "RoutePoint",
    "RuleFinding",
    "SectionView",
    "StationView",
    "StopView",
    "read_result",
    "result_geojson",
    "result_gpx",
]
