"""GET /regions (extension): the regions this server plans on, for clients and the web page;
GET /regions/{name}/station-coverage: what their stations carry, per `poi_info` filter."""

from __future__ import annotations

from typing import Annotated
from weakref import WeakKeyDictionary

from fastapi import APIRouter, Depends, HTTPException, Path, Query, status
from fastapi.exceptions import RequestValidationError

from voltroute.api.deps import BackendDep, rate_limited
from voltroute.api.schemas.regions import ServedRegionInfo, ServedRegionList, StationCoverageInfo
from voltroute.api.schemas.stations import (
    StationConnectorType,
    StationInletSide,
    StationTruckAccess,
)
from voltroute.api.strict_route import StrictJsonRoute
from voltroute.api.submit_extras import UnknownStationDataQuery
from voltroute.stations import StationCatalogue, StationFilter
from voltroute.stations.coverage import StationCoverage, station_coverage

MAX_POWER_KW = 4000.0
MAX_NAME_LENGTH = 100

router = APIRouter(
    tags=["regions"], dependencies=[Depends(rate_limited)], route_class=StrictJsonRoute
)

RegionName = Annotated[
    str, Path(min_length=1, max_length=200, description="A served region's name (GET /regions)")
]
PowerKw = Annotated[float | None, Query(ge=0.0, le=MAX_POWER_KW)]

# A served region's catalogue never changes in a process: its coverage is counted once.
_coverages: WeakKeyDictionary[StationCatalogue, StationCoverage] = WeakKeyDictionary()


@router.get("/regions", summary="Served regions (extension)", response_model=ServedRegionList)
def list_regions(backend: BackendDep) -> ServedRegionList:
    """Name, bounding box and station count of each served region; no token needed (as /health).

    A tour is planned on the first region that holds all its stops.
    """
    regions = backend.regions
    return ServedRegionList(
        regions=[
            ServedRegionInfo.of(region, default=region is regions.default) for region in regions
        ]
    )


@router.get(
    "/regions/{name}/station-coverage",
    summary="What a region's stations carry (extension)",
    response_model=StationCoverageInfo,
)
def station_coverage_of(
    name: RegionName,
    backend: BackendDep,
    min_kW: PowerKw = None,  # noqa: N803 (named like poi_info's filter)
    max_kW: PowerKw = None,  # noqa: N803
    connector_type: Annotated[
        list[StationConnectorType] | None,
        Query(max_length=6, description="has one of these connectors; only they count for power"),
    ] = None,
    truck_approved: Annotated[
        StationTruckAccess | None, Query(description="T accepts T and TT sites, TT only TT")
    ] = None,
    connector_pos: Annotated[
        StationInletSide | None, Query(description="the vehicle's inlet side the bay must suit")
    ] = None,
    cpo: Annotated[
        list[str] | None,
        Query(max_length=20, description="operator name contains one of these (any case)"),
    ] = None,
    bookable: Annotated[bool | None, Query(description="true: only bookable sites")] = None,
    unknown_station_data: UnknownStationDataQuery = "refuse",
) -> StationCoverageInfo:
    """For each attribute a `poi_info` filter tests (truck approval, the bay's side, booking,
    operator), how many of the region's stations state it and with which values, the
    connectors and the power bands; no token needed (as /regions).

    The Bundesnetzagentur register, for one, states no truck approval, no side and no booking:
    a filter on them passes none of its stations unless `unknown_station_data=accept`. With
    filters as query parameters, `passing` counts the stations that pass them all.
    """
    region = backend.regions.get(name)
    if region is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=f"No served region '{name}' (served: {', '.join(backend.regions.names)}).",
        )
    for operator in cpo or ():
        if not 0 < len(operator.strip()) <= MAX_NAME_LENGTH:
            raise _invalid("cpo", f"cpo names have 1..{MAX_NAME_LENGTH} characters", operator)
    if min_kW is not None and max_kW is not None and min_kW > max_kW:
        raise _invalid("max_kW", "max_kW must not be below min_kW", max_kW)
    catalogue = backend.region_stations[region.name]
    coverage = _coverages.get(catalogue)
    if coverage is None:
        coverage = _coverages[catalogue] = station_coverage(catalogue.stations)
    poi_info = {
        "min_kW": min_kW,
        "max_kW": max_kW,
        "cpo": cpo,
        "truck_approved": truck_approved,
        "connector_type": connector_type,
        "connector_pos": connector_pos,
        "bookable": bookable,
    }
    passing = None
    if any(value is not None for value in poi_info.values()):
        station_filter = StationFilter.from_poi_info(
            poi_info, accept_unknown=unknown_station_data == "accept"
        )
        passing = sum(1 for s in catalogue.stations if station_filter.accepts(s))
    return StationCoverageInfo.of(region.name, coverage, passing)


def _invalid(name: str, message: str, value: object) -> RequestValidationError:
    return RequestValidationError(
        [{"loc": ("query", name), "msg": message, "type": "value_error", "input": value}]
    )
