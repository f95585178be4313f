"""Schemas of the station endpoints (extension): the station search and a tenant's own stations.

Class names carry a `Station` prefix: FastAPI names components after classes, and a second
`ConnectorType` would rename the contract's one. The enums are made from the domain's and the
contract's enums, so that each list of values is written once.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from voltroute.api.schemas.poi import ConnectorPos, TruckApproved
from voltroute.stations import ConnectorType, ImportResult, Station, StationSource

StationLabel = Literal["public", "scenario", "tenant"]


# Made by a call from the domain's enums (every connector and source) and from the contract's
# `poi_info` ones (the filter values), which mypy cannot list the members of: they are used as
# types only. The component name is the name given.
StationConnectorType = StrEnum(  # type: ignore[misc]
    "StationConnectorType", [(member.name, member.value) for member in ConnectorType]
)
StationConnectorType.__doc__ = (
    "Every connector type the registry knows (the planner request filters CCS and MCS)."
)
StationSourceName = StrEnum(  # type: ignore[misc]
    "StationSourceName", [(member.name, member.value) for member in StationSource]
)
StationTruckAccess = StrEnum(  # type: ignore[misc]
    "StationTruckAccess", [(member.name, member.value) for member in TruckApproved]
)
StationInletSide = StrEnum(  # type: ignore[misc]
    "StationInletSide", [(member.name, member.value) for member in ConnectorPos]
)


class StationImportFormat(StrEnum):
    OVERLAY = "overlay"
    OCPI = "ocpi"


class StationChargePoint(BaseModel):
    connector: str
    power_kW: float  # noqa: N815 (the contract's unit spelling)
    count: int
    current: str


class StationInfo(BaseModel):
    """A station of the region registry or of the caller's tenant."""

    station_id: str
    name: str
    label: StationLabel = Field(
        description="scenario: a planned site of a scenario file, not a real one; tenant: one "
        "of the caller's own stations; public: from a public source."
    )
    source: str = Field(description="bnetza, ocpi, osm, overlay or tenant")
    scenario: bool
    operator: str | None
    address: str | None
    latitude: float
    longitude: float
    charge_points: list[StationChargePoint]
    max_power_kW: float  # noqa: N815
    truck_approved: StationTruckAccess | None
    inlet_side: str
    bookable: bool | None
    location_id: str | None
    amenities: list[str]
    opening_hours: str | None = Field(description="OSM opening_hours syntax; null: not known")
    time_zone: str | None
    bays: int | None
    vacate_when_charged: bool = Field(
        False,
        description="The bay must be vacated when charging ends (from the overlay or the "
        "tenant's import): a rest there lasts no longer than the charging session.",
    )
    power_curve: list[tuple[float, float]] | None = Field(
        None,
        description="The site's own power limit over the vehicle's state of charge, [[soc, kW], "
        "...] (from the overlay or the tenant's import): linear between points, flat beyond "
        "the first and last; a session charges at the least of it, the charge point's power "
        "and the vehicle's curve. null: the charge point's power alone.",
    )
    imported_at: str

    @classmethod
    def of(cls, station: Station) -> StationInfo:
        """The API view of a station."""
        label: StationLabel = (
            "scenario"
            if station.scenario
            else "tenant"
            if station.source is StationSource.TENANT
            else "public"
        )
        return cls(
            station_id=station.station_id,
            name=station.name,
            label=label,
            source=station.source.value,
            scenario=station.scenario,
            operator=station.operator,
            address=station.address,
            latitude=station.position.lat,
            longitude=station.position.lon,
            charge_points=[
                StationChargePoint(
                    connector=cp.connector.value,
                    power_kW=cp.power_kw,
                    count=cp.count,
                    current=cp.current.value,
                )
                for cp in station.charge_points
            ],
            max_power_kW=station.max_power_kw,
            truck_approved=(
                StationTruckAccess(station.truck_approved) if station.truck_approved else None
            ),
            inlet_side=station.inlet_side.value,
            bookable=station.bookable,
            location_id=station.location_id,
            amenities=list(station.amenities),
            opening_hours=station.opening_hours,
            time_zone=station.time_zone,
            bays=station.bays,
            vacate_when_charged=station.vacate_when_charged,
            power_curve=None if station.power_curve is None else list(station.power_curve.points),
            imported_at=station.imported_at.isoformat(),
        )


class StationList(BaseModel):
    """One page of a station search, in station_id order."""

    total: int = Field(description="stations matching the search, over all pages")
    offset: int
    limit: int
    next_offset: int | None = Field(description="offset of the next page; null on the last")
    stations: list[StationInfo]


class StationRejectedRow(BaseModel):
    row: str = Field(description="line number, array index or record id, as the format counts")
    reason: str


class StationImportReport(BaseModel):
    """What an import changed in the tenant's stations of one source key."""

    source_key: str
    format: StationImportFormat
    rows_read: int
    added: int
    updated: int
    removed: int
    unchanged: int
    rejected: list[StationRejectedRow]
    tenant_station_count: int = Field(description="the tenant's stations after the import")

    @classmethod
    def of(
        cls, result: ImportResult, file_format: StationImportFormat, tenant_station_count: int
    ) -> StationImportReport:
        """The import's counts and rejected rows, with its format and the tenant's count after."""
        return cls.model_validate(
            dataclasses.asdict(result)
            | {"format": file_format, "tenant_station_count": tenant_station_count}
        )
