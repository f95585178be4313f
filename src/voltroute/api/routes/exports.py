"""Extension: a result as GeoJSON and GPX (`/planner/optimizations/{id}/result.geojson`, `.gpx`).

Same token, tenant scope and answers as `/result`: 404 for another tenant's or an unknown
optimization, and 404 naming the job status while the job has no result yet.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Response

from voltroute.api.deps import JobsDep, PrincipalDep, rate_limited_router
from voltroute.api.openapi import AUTH_MARKER
from voltroute.api.routes.jobs import get_optimization_result
from voltroute.api.schemas import operations as ops
from voltroute.api.schemas.params import OptimizationId
from voltroute.exports import (
    GEOJSON_MEDIA_TYPE,
    GPX_MEDIA_TYPE,
    read_result,
    result_geojson,
    result_gpx,
)

router = rate_limited_router(ops.PLANNER_TAG)

_NO_RESULT = {"description": "Unknown optimization, another tenant's, or no result yet."}


def _document(media_type: str, what: str) -> dict[str, Any]:
    return {
        AUTH_MARKER: True,
        "responses": {"200": {"description": what, "content": {media_type: {"schema": {}}}}},
    }


@router.get(
    "/planner/optimizations/{optimization_id}/result.geojson",
    summary="Optimization result as GeoJSON (extension)",
    response_class=Response,
    responses={404: _NO_RESULT},
    openapi_extra=_document(GEOJSON_MEDIA_TYPE, "RFC 7946 FeatureCollection"),
)
def get_result_geojson(
    optimization_id: OptimizationId, principal: PrincipalDep, jobs: JobsDep
) -> Response:
    """Route lines per section, stops and corridor stations as one FeatureCollection."""
    body = get_optimization_result(optimization_id, principal, jobs)
    document = result_geojson(read_result(body))
    return Response(
        json.dumps(document, separators=(",", ":")),
        media_type=GEOJSON_MEDIA_TYPE,
        headers=_attachment(optimization_id, "geojson"),
    )


@router.get(
    "/planner/optimizations/{optimization_id}/result.gpx",
    summary="Optimization result as GPX 1.1 (extension)",
    response_class=Response,
    responses={404: _NO_RESULT},
    openapi_extra=_document(GPX_MEDIA_TYPE, "GPX 1.1: the route as a track, stops as waypoints"),
)
def get_result_gpx(
    optimization_id: OptimizationId, principal: PrincipalDep, jobs: JobsDep
) -> Response:
    """The route as a track with elevation and every stop as a waypoint."""
    body = get_optimization_result(optimization_id, principal, jobs)
    return Response(
        result_gpx(read_result(body)),
        media_type=GPX_MEDIA_TYPE,
        headers=_attachment(optimization_id, "gpx"),
    )


def _attachment(optimization_id: int, extension: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="voltroute-{optimization_id}.{extension}"'
    }
