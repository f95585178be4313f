"""The station value types: a charging site, its charge points, access and opening hours."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from voltroute.domain import LatLon, StationPowerCurve


class ConnectorType(StrEnum):
    """Plug standards; CCS and MCS are the truck-relevant DC ones, the rest are kept for display."""

    CCS = "CCS"
    MCS = "MCS"
    CHADEMO = "CHADEMO"
    TYPE2 = "TYPE2"
    SCHUKO = "SCHUKO"
    OTHER = "OTHER"


class CurrentType(StrEnum):
    AC = "AC"
    DC = "DC"


class InletSide(StrEnum):
    """Which vehicle inlet side a charging bay suits."""

    LEFT = "LEFT"
    RIGHT = "RIGHT"
    BOTH = "BOTH"
    UNKNOWN = "UNKNOWN"


class TruckAccess(StrEnum):
    """T: reachable with a tractor unit; TT: with tractor and trailer (every TT site is also T)."""

    T = "T"
    TT = "TT"
    UNKNOWN = "UNKNOWN"


class StationSource(StrEnum):
    BNETZA = "bnetza"
    OCPI = "ocpi"
    OSM = "osm"
    OVERLAY = "overlay"
    TENANT = "tenant"


MAX_POWER_KW = 4000.0  # beyond any MCS specification: a larger figure is a data error


@dataclass(frozen=True, slots=True)
class ChargePoint:
    """`count` identical connectors of one type and rated power at a site."""

    connector: ConnectorType
    power_kw: float
    count: int = 1
    current: CurrentType = CurrentType.DC

    def __post_init__(self) -> None:
        if not 0.0 < self.power_kw <= MAX_POWER_KW:
            raise ValueError(f"charge point power must be in (0, {MAX_POWER_KW:g}] kW")
        if self.count < 1:
            raise ValueError("charge point count must be at least 1")


def merge_charge_points(points: list[ChargePoint]) -> tuple[ChargePoint, ...]:
    """Equal (connector, power, current) points folded into one with the summed count."""
    counts: dict[tuple[ConnectorType, float, CurrentType], int] = {}
    for point in points:
        key = (point.connector, point.power_kw, point.current)
        counts[key] = counts.get(key, 0) + point.count
    return tuple(ChargePoint(c, p, n, cur) for (c, p, cur), n in counts.items())


@dataclass(frozen=True, slots=True)
class Station:
    """A charging site as Voltroute knows it, whichever source it came from.

    `opening_hours` is OSM opening_hours syntax (the common form every importer converts to;
    None means no restriction is known); `opening_hours_raw` is the text as the source published it.
    """

    station_id: str
    name: str
    position: LatLon
    charge_points: tuple[ChargePoint, ...]
    source: StationSource
    imported_at: datetime
    operator: str | None = None
    address: str | None = None
    inlet_side: InletSide = InletSide.UNKNOWN
    truck_access: TruckAccess = TruckAccess.UNKNOWN
    bookable: bool | None = None
    location_id: str | None = None  # OCPI location id
    amenities: tuple[str, ...] = ()
    opening_hours: str | None = None
    opening_hours_raw: str | None = None
    time_zone: str | None = None  # IANA name when the source gives it (OCPI)
    bays: int | None = None
    rated_power_kw: float | None = None  # the unit's rated total, where the source states it
    # The bay must be vacated when charging ends (e.g. Milence): a rest there lasts no longer
    # than the session. Only the overlay format carries it; other sources: False.
    vacate_when_charged: bool = False
    # The site's own power limit over the vehicle's SoC (derated or shared cabinets, slow
    # legacy units), for every charge point. Only the overlay format carries it; other
    # sources: None, the charge points' power alone.
    power_curve: StationPowerCurve | None = None
    scenario: bool = False  # a planned site from a scenario file, not a real one
    tenant_id: int | None = None  # set for a tenant's own stations (depot chargers)
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.station_id:
            raise ValueError("station_id must not be empty")
        if self.bays is not None and self.bays < 0:
            raise ValueError("bays must not be negative")

    @property
    def max_power_kw(self) -> float:
        """The most powerful charge point's power, 0 without charge points."""
        return max((cp.power_kw for cp in self.charge_points), default=0.0)

    def power_kw_for(self, connectors: frozenset[ConnectorType]) -> float:
        """The best power over the given connector types, 0 when the site has none of them."""
        return max(
            (cp.power_kw for cp in self.charge_points if cp.connector in connectors), default=0.0
        )

    @property
    def connectors(self) -> frozenset[ConnectorType]:
        return frozenset(cp.connector for cp in self.charge_points)

    @property
    def truck_approved(self) -> str | None:
        """The contract's `truck_approved` string: "T", "TT" or None when unknown."""
        return None if self.truck_access is TruckAccess.UNKNOWN else self.truck_access.value
