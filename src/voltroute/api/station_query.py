"""Query parameters of the station endpoints (extension), as value objects for `Depends()`.

`StationFilterQuery` is the contract's `poi_info` filter as query parameters, named like its
fields; the station search (`StationSearchQuery`) and the station coverage (`CoverageQuery`) add
their own. FastAPI lists a dependency's parameters in field order, after the route's own.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Annotated, Any

from fastapi import Query
from fastapi.exceptions import RequestValidationError

from voltroute.api.schemas.stations import (
    StationConnectorType,
    StationInletSide,
    StationSourceName,
    StationTruckAccess,
)
from voltroute.api.submit_extras import UnknownStationDataQuery
from voltroute.stations import StationFilter

MAX_POWER_KW = 4000.0
MAX_NAME_LENGTH = 100
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000

PowerKw = Annotated[float | None, Query(ge=0.0, le=MAX_POWER_KW)]


def invalid_query(name: str, message: str, value: object = None) -> RequestValidationError:
    """The 422 of a query parameter FastAPI's validation lets through, in its shape."""
    return RequestValidationError(
        [{"loc": ("query", name), "msg": message, "type": "value_error", "input": value}]
    )


@dataclass(frozen=True, slots=True)
class StationFilterQuery:
    """A station filter as `poi_info` names it; every None lets everything through."""

    min_kW: PowerKw = None  # noqa: N815 (named like poi_info's filter)
    max_kW: PowerKw = None  # noqa: N815
    connector_type: Annotated[
        list[StationConnectorType] | None,
        Query(max_length=6, description="has one of these connectors; only they count for power"),
    ] = None
    truck_approved: Annotated[
        StationTruckAccess | None, Query(description="T accepts T and TT sites, TT only TT")
    ] = None
    connector_pos: Annotated[
        StationInletSide | None, Query(description="the vehicle's inlet side the bay must suit")
    ] = None
    cpo: Annotated[
        list[str] | None,
        Query(max_length=20, description="operator name contains one of these (any case)"),
    ] = None
    bookable: Annotated[bool | None, Query(description="true: only bookable sites")] = None

    def check(self) -> None:
        """Raise the 422 of what the parameters' own validation cannot see: blank or long
        operator names, and max_kW below min_kW."""
        for name in self.cpo or ():
            if not 0 < len(name.strip()) <= MAX_NAME_LENGTH:
                raise invalid_query("cpo", f"cpo names have 1..{MAX_NAME_LENGTH} characters", name)
        if self.min_kW is not None and self.max_kW is not None and self.min_kW > self.max_kW:
            raise invalid_query("max_kW", "max_kW must not be below min_kW", self.max_kW)

    def poi_info(self) -> dict[str, Any]:
        """The filter as a request's `poi_info` object, whose keys its fields are named after."""
        # This class's fields only: a subclass's own (source, limit, ...) are no filter.
        return {f.name: getattr(self, f.name) for f in fields(StationFilterQuery)}

    def station_filter(self, accept_unknown: bool = False) -> StationFilter:
        return StationFilter.from_poi_info(self.poi_info(), accept_unknown=accept_unknown)


@dataclass(frozen=True, slots=True)
class StationSearchQuery(StationFilterQuery):
    """GET /stations: the filter, the sources, scenario sites or real ones, and the page."""

    source: Annotated[
        list[StationSourceName] | None, Query(max_length=5, description="only these sources")
    ] = None
    scenario: Annotated[
        bool | None, Query(description="true: only scenario sites; false: only real ones")
    ] = None
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0


@dataclass(frozen=True, slots=True)
class CoverageQuery(StationFilterQuery):
    """GET /regions/{name}/station-coverage: the filter and how it treats unknown data."""

    unknown_station_data: UnknownStationDataQuery = "refuse"
