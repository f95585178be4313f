"""Schemas of the regions endpoints (extension): the regions this server plans on, and what
their stations carry."""

from __future__ import annotations

from pydantic import BaseModel, Field

from voltroute.regions import Region
from voltroute.stations.coverage import (
    TOP_OPERATORS,
    AttributeCoverage,
    StationCoverage,
)


class ServedRegionInfo(BaseModel):
    """A served region: its name, its bounding box and what it holds."""

    name: str = Field(description="Region name; tours are planned on the region holding every stop")
    min_lat: float = Field(description="South edge of the region's road network (degrees)")
    min_lon: float = Field(description="West edge (degrees)")
    max_lat: float = Field(description="North edge (degrees)")
    max_lon: float = Field(description="East edge (degrees)")
    center: list[float] = Field(description="[lat, lon] of the box's centre (positions' order)")
    built_at: str = Field(description="When the region was built (ISO-8601)")
    stations: int | None = Field(
        description="Stations in the region's registry (null when never counted)"
    )
    default: bool = Field(description="The first served region (old jobs are planned on it)")

    @classmethod
    def of(cls, region: Region, *, default: bool) -> ServedRegionInfo:
        """The region as the API shows it."""
        min_lat, min_lon, max_lat, max_lon = region.manifest.bbox
        return cls(
            name=region.name,
            min_lat=min_lat,
            min_lon=min_lon,
            max_lat=max_lat,
            max_lon=max_lon,
            center=[(min_lat + max_lat) / 2, (min_lon + max_lon) / 2],
            built_at=region.manifest.built_at,
            stations=region.manifest.counts.get("stations_total"),
            default=default,
        )


class ServedRegionList(BaseModel):
    """Every region this server plans on, in served order."""

    regions: list[ServedRegionInfo]


class AttributeCoverageInfo(BaseModel):
    """How many of a region's stations state one attribute, and with which values."""

    known: int = Field(description="Stations whose source states it")
    share_known: float = Field(description="known / stations, 0..1 (0 without stations)")
    values: dict[str, int] = Field(description="Stations per stated value")

    @classmethod
    def of(cls, coverage: AttributeCoverage, stations: int) -> AttributeCoverageInfo:
        share = round(coverage.known / stations, 4) if stations else 0.0
        return cls(known=coverage.known, share_known=share, values=dict(coverage.values))


class PowerBandInfo(BaseModel):
    """Stations whose most powerful charge point is at least min_kW and below max_kW."""

    min_kW: float  # noqa: N815 (the contract's unit spelling)
    max_kW: float | None = Field(description="null: no upper edge")  # noqa: N815
    stations: int


class StationCoverageInfo(BaseModel):
    """What a served region's stations carry, per `poi_info` filter (its registry only; a
    tenant's own stations are not counted)."""

    region: str
    stations: int = Field(description="Stations in the region's registry")
    sources: dict[str, int] = Field(description="Stations per source (bnetza, ocpi, ...)")
    truck_approved: AttributeCoverageInfo = Field(description="Truck approval: values T, TT")
    connector_pos: AttributeCoverageInfo = Field(
        description="The bay's side (for the vehicle's inlet): values LEFT, RIGHT, BOTH"
    )
    bookable: AttributeCoverageInfo = Field(description="Booking: values true, false")
    cpo: AttributeCoverageInfo = Field(
        description=f"The operator; values: the {TOP_OPERATORS} most frequent operators"
    )
    connector_type: dict[str, int] = Field(description="Stations with a connector of each type")
    max_power: list[PowerBandInfo] = Field(
        description="Stations per band of their most powerful charge point"
    )
    passing: int | None = Field(
        description="Stations passing the filters given as query parameters (as a plan's "
        "`poi_info` with the same `unknown_station_data`); null without filters"
    )

    @classmethod
    def of(
        cls, region_name: str, coverage: StationCoverage, passing: int | None
    ) -> StationCoverageInfo:
        count = coverage.stations
        return cls(
            region=region_name,
            stations=count,
            sources=dict(coverage.sources),
            truck_approved=AttributeCoverageInfo.of(coverage.truck_approved, count),
            connector_pos=AttributeCoverageInfo.of(coverage.connector_pos, count),
            bookable=AttributeCoverageInfo.of(coverage.bookable, count),
            cpo=AttributeCoverageInfo.of(coverage.cpo, count),
            connector_type=dict(coverage.connector_type),
            max_power=[
                PowerBandInfo(min_kW=b.min_kw, max_kW=b.max_kw, stations=b.stations)
                for b in coverage.max_power
            ],
            passing=passing,
        )
