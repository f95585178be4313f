"""Station endpoints (extension): search the region's and the tenant's stations, import and
delete the tenant's own (depot chargers), which only that tenant sees and plans with."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool

from voltroute.api.deps import BackendDep, PrincipalDep, rate_limited_router
from voltroute.api.openapi import AUTH_OPENAPI_EXTRA
from voltroute.api.schemas.stations import (
    StationImportFormat,
    StationImportReport,
    StationInfo,
    StationList,
)
from voltroute.api.station_query import StationSearchQuery
from voltroute.composition import Backend
from voltroute.stations import ImportFileError, Station
from voltroute.tenancy.tenant_stations import (
    TenantStationLimitError,
    TenantUploadFormat,
    parse_tenant_upload,
)
from voltroute.tenancy.tenants import Principal

STATIONS_TAG = "stations"
MAX_BBOX_AREA_DEG2 = 25.0  # e.g. 5 x 5 degrees, a large German state; page through smaller boxes
CSV_MEDIA_TYPES = frozenset({"text/csv", "application/csv"})
JSON_MEDIA_TYPES = frozenset({"application/json"})

router = rate_limited_router(STATIONS_TAG)

StationIdPath = Annotated[
    str, Path(min_length=1, max_length=200, description="station_id as GET /stations gives it")
]

_IMPORT_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The file itself: overlay JSON or CSV (docs/stations-overlay.md), or an "
        "OCPI 2.2.1 Locations JSON list (or module response with `data`).",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


def _invalid(where: tuple[str, ...], message: str, value: object = None) -> RequestValidationError:
    return RequestValidationError(
        [{"loc": where, "msg": message, "type": "value_error", "input": value}]
    )


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """min_lon,min_lat,max_lon,max_lat -> (min_lat, min_lon, max_lat, max_lon); 422 if bad."""
    where = ("query", "bbox")
    parts = text.split(",")
    if len(parts) != 4:
        raise _invalid(where, "bbox must be four numbers: min_lon,min_lat,max_lon,max_lat", text)
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise _invalid(where, "bbox values must be numbers", text) from None
    if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
        raise _invalid(where, "bbox values must be finite numbers", text)
    if not (-180.0 <= min_lon <= 180.0 and -180.0 <= max_lon <= 180.0):
        raise _invalid(where, "bbox longitudes must be within -180..180", text)
    if not (-90.0 <= min_lat <= 90.0 and -90.0 <= max_lat <= 90.0):
        raise _invalid(where, "bbox latitudes must be within -90..90", text)
    if not (min_lon < max_lon and min_lat < max_lat):
        raise _invalid(where, "bbox minimum must be below its maximum (min_lon < max_lon, "
                       "min_lat < max_lat)", text)  # fmt: skip
    area = (max_lon - min_lon) * (max_lat - min_lat)
    if area > MAX_BBOX_AREA_DEG2:
        raise _invalid(
            where, f"bbox covers {area:.1f} square degrees; at most {MAX_BBOX_AREA_DEG2:g}", text
        )
    return min_lat, min_lon, max_lat, max_lon


def _visible(backend: Backend, principal: Principal, bbox: tuple[float, ...]) -> list[Station]:
    """Stations of every served region plus the tenant's own in the box (so the box picks the
    regions); an own station replaces a same-id one, a region's one of a later region."""
    min_lat, min_lon, max_lat, max_lon = bbox
    own = backend.tenant_stations.in_bbox(principal.tenant_id, min_lat, min_lon, max_lat, max_lon)
    found = {s.station_id: s for s in own}
    for catalogue in backend.region_stations.values():
        for station in catalogue.in_bbox(min_lat, min_lon, max_lat, max_lon):
            found.setdefault(station.station_id, station)
    return sorted(found.values(), key=lambda s: s.station_id)


@router.get(
    "/stations",
    summary="Search charging stations",
    response_model=StationList,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def list_stations(
    bbox: Annotated[
        str,
        Query(
            max_length=200,
            description=f"min_lon,min_lat,max_lon,max_lat in WGS84 degrees; at most "
            f"{MAX_BBOX_AREA_DEG2:g} square degrees",
            examples=["8.55,49.35,8.75,49.45"],
        ),
    ],
    # Before the principal: FastAPI lists the dependencies' parameters in this order.
    query: Annotated[StationSearchQuery, Depends()],
    principal: PrincipalDep,
    backend: BackendDep,
) -> StationList:
    """Stations in the box (the region's and this tenant's own) that pass every filter."""
    box = parse_bbox(bbox)
    query.check()
    station_filter = query.station_filter()
    sources = {s.value for s in query.source} if query.source else None
    matches = [
        s
        for s in _visible(backend, principal, box)
        if station_filter.accepts(s)
        and (sources is None or s.source.value in sources)
        and (query.scenario is None or s.scenario is query.scenario)
    ]
    offset, limit = query.offset, query.limit
    page = matches[offset : offset + limit]
    return StationList(
        total=len(matches),
        offset=offset,
        limit=limit,
        next_offset=offset + limit if offset + limit < len(matches) else None,
        stations=[StationInfo.of(s) for s in page],
    )


@router.post(
    "/stations/import",
    summary="Import the tenant's own stations",
    response_model=StationImportReport,
    openapi_extra={**AUTH_OPENAPI_EXTRA, **_IMPORT_BODY_DOC},
)
async def import_stations(
    request: Request,
    principal: PrincipalDep,
    backend: BackendDep,
    file_format: Annotated[
        StationImportFormat,
        Query(alias="format", description="overlay (JSON or CSV) or ocpi (JSON)"),
    ] = StationImportFormat.OVERLAY,
    source_key: Annotated[
        str,
        Query(
            min_length=1,
            max_length=64,
            pattern=r"^[A-Za-z0-9._:-]+$",
            description="the import replaces the tenant's stations of this key (others stay)",
        ),
    ] = "default",
) -> StationImportReport:
    """Re-importing is idempotent; bad rows are rejected with reasons, the rest imported."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in CSV_MEDIA_TYPES | JSON_MEDIA_TYPES:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            detail=f"Send the file as application/json or text/csv, not {media_type or 'nothing'}.",
        )
    raw = await request.body()
    return await run_in_threadpool(
        _import, backend, principal, raw, file_format, media_type in CSV_MEDIA_TYPES, source_key
    )


def _import(
    backend: Backend,
    principal: Principal,
    raw: bytes,
    file_format: StationImportFormat,
    is_csv: bool,
    source_key: str,
) -> StationImportReport:
    upload_format = TenantUploadFormat(file_format.value)
    try:
        parsed = parse_tenant_upload(raw, upload_format, is_csv, datetime.now(UTC))
    except ImportFileError as error:
        raise _invalid(("body",), str(error)) from None
    try:
        result = backend.tenant_stations.import_stations(
            principal.tenant_id, parsed, source_key, upload_format.value
        )
    except TenantStationLimitError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(error)) from None
    return StationImportReport.of(
        result, file_format, backend.tenant_stations.count(principal.tenant_id)
    )


@router.get(
    "/stations/{station_id}",
    summary="A station",
    response_model=StationInfo,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def get_station(
    station_id: StationIdPath, principal: PrincipalDep, backend: BackendDep
) -> StationInfo:
    """A station of a served region or one of this tenant's own; 404 for anything else."""
    station = backend.tenant_stations.get(principal.tenant_id, station_id)
    for catalogue in backend.region_stations.values():
        if station is None:
            station = catalogue.by_id.get(station_id)
    if station is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"No station {station_id}.")
    return StationInfo.of(station)


@router.delete(
    "/stations/{station_id}",
    summary="Delete one of the tenant's own stations",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def delete_station(station_id: StationIdPath, principal: PrincipalDep, backend: BackendDep) -> None:
    """Delete a station this tenant imported; region stations cannot be deleted here (404)."""
    if not backend.tenant_stations.delete(principal.tenant_id, station_id):
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=f"No station {station_id} of this tenant (only imported ones can be deleted).",
        )
