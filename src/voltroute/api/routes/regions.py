"""GET /regions (extension): the regions this server plans on, for clients and the web page;
GET /regions/{name}/station-coverage: what their stations carry, per `poi_info` filter."""

from __future__ import annotations

from typing import Annotated
from weakref import WeakKeyDictionary

from fastapi import Depends, HTTPException, Path, status

from voltroute.api.deps import BackendDep, rate_limited_router
from voltroute.api.schemas.regions import ServedRegionInfo, ServedRegionList, StationCoverageInfo
from voltroute.api.station_query import CoverageQuery
from voltroute.stations import StationCatalogue
from voltroute.stations.coverage import StationCoverage, station_coverage

router = rate_limited_router("regions")

RegionName = Annotated[
    str, Path(min_length=1, max_length=200, description="A served region's name (GET /regions)")
]

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
    name: RegionName, backend: BackendDep, query: Annotated[CoverageQuery, Depends()]
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
    query.check()
    catalogue = backend.region_stations[region.name]
    coverage = _coverages.get(catalogue)
    if coverage is None:
        coverage = _coverages[catalogue] = station_coverage(catalogue.stations)
    passing = None
    if any(value is not None for value in query.poi_info().values()):
        station_filter = query.station_filter(accept_unknown=query.unknown_station_data == "accept")
        passing = sum(1 for s in catalogue.stations if station_filter.accepts(s))
    return StationCoverageInfo.of(region.name, coverage, passing)
