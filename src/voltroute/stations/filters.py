"""The contract's `poi_info` filters applied to stations.

- `min_kW`/`max_kW`: some considered charge point has a power within [min, max];
- `cpo`: the operator's name contains one of the given names (case-insensitive), because
  register names carry legal suffixes ("EnBW mobility+ AG und Co.KG" for "EnBW");
- `truck_approved`: `T` accepts T and TT sites, `TT` only TT sites;
- `connector_type`: the site has one of these connectors; only they count for power;
- `connector_pos`: the vehicle's inlet side; the bay must suit it (BOTH suits either side, an
  unknown side cannot be verified and does not pass);
- `bookable`: true keeps only sites known to be bookable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from voltroute.stations.model import ChargePoint, ConnectorType, InletSide, Station, TruckAccess

# The contract's names of the filters, in the order a diagnosis lists them.
FILTER_NAMES: Final = (
    "connector_type",
    "min_kW",
    "max_kW",
    "truck_approved",
    "connector_pos",
    "bookable",
    "cpo",
)
_TRUCK_OK = {
    TruckAccess.T: frozenset({TruckAccess.T, TruckAccess.TT}),
    TruckAccess.TT: frozenset({TruckAccess.TT}),
}


@dataclass(frozen=True, slots=True)
class StationFilter:
    """Which stations a plan may use; every None field lets everything through."""

    min_kw: float | None = None
    max_kw: float | None = None
    operators: tuple[str, ...] | None = None
    truck_access: TruckAccess | None = None
    connectors: frozenset[ConnectorType] | None = None
    vehicle_inlet: InletSide | None = None
    bookable: bool | None = None
    # A station whose source does not carry a filtered field passes (see `unknown`).
    accept_unknown: bool = False

    @classmethod
    def from_poi_info(
        cls, poi_info: Mapping[str, Any] | None, accept_unknown: bool = False
    ) -> StationFilter:
        """The filter a request's `poi_info` object describes (as the contract names it)."""
        if not poi_info:
            return cls(accept_unknown=accept_unknown)
        truck = poi_info.get("truck_approved")
        connectors = poi_info.get("connector_type")
        position = poi_info.get("connector_pos")
        cpo = poi_info.get("cpo")
        return cls(
            min_kw=poi_info.get("min_kW"),
            max_kw=poi_info.get("max_kW"),
            operators=tuple(str(c).casefold() for c in cpo) if cpo else None,
            truck_access=TruckAccess(truck) if truck else None,
            connectors=frozenset(ConnectorType(c) for c in connectors) if connectors else None,
            vehicle_inlet=InletSide(position) if position else None,
            bookable=poi_info.get("bookable"),
            accept_unknown=accept_unknown,
        )

    def considered(self, station: Station) -> list[ChargePoint]:
        """The station's charge points of the allowed connector types."""
        if self.connectors is None:
            return list(station.charge_points)
        return [cp for cp in station.charge_points if cp.connector in self.connectors]

    def power_kw(self, station: Station) -> float:
        """The best power among the charge points this filter accepts (0 if none)."""
        return max((cp.power_kw for cp in self._in_power_range(station)), default=0.0)

    def accepts(self, station: Station) -> bool:
        """Whether the station passes every filter."""
        return not self.failed(station)

    def failed(self, station: Station) -> tuple[str, ...]:
        """The filters (by their contract names) the station does not pass, each on its own."""
        failed: list[str] = []
        considered = self.considered(station)
        if not considered:
            failed.append("connector_type")
        elif not self._in_power_range(station):
            if self.min_kw is not None and any(cp.power_kw < self.min_kw for cp in considered):
                failed.append("min_kW")
            if self.max_kw is not None and any(cp.power_kw > self.max_kw for cp in considered):
                failed.append("max_kW")
        if (
            self.truck_access is not None
            and station.truck_access not in _TRUCK_OK[self.truck_access]
        ):
            failed.append("truck_approved")
        if self.vehicle_inlet is not None and not inlet_suits(
            station.inlet_side, self.vehicle_inlet
        ):
            failed.append("connector_pos")
        if self.bookable and station.bookable is not True:
            failed.append("bookable")
        if self.operators is not None:
            operator = (station.operator or "").casefold()
            if not any(name in operator for name in self.operators):
                failed.append("cpo")
        if self.accept_unknown:
            return tuple(name for name in failed if not self.unknown(station, name))
        return tuple(failed)

    def passed_unknown(self, station: Station) -> tuple[str, ...]:
        """The filters the station passes only because its source does not say (with
        `accept_unknown`); a plan that uses it must say so."""
        if not self.accept_unknown:
            return ()
        strict = replace(self, accept_unknown=False)
        return tuple(name for name in strict.failed(station) if strict.unknown(station, name))

    def unknown(self, station: Station, name: str) -> bool:
        """Whether the station fails the filter only because its source does not say."""
        match name:
            case "truck_approved":
                return station.truck_access is TruckAccess.UNKNOWN
            case "connector_pos":
                return station.inlet_side is InletSide.UNKNOWN
            case "bookable":
                return station.bookable is None
            case "cpo":
                return station.operator is None
        return False

    def _in_power_range(self, station: Station) -> list[ChargePoint]:
        low = self.min_kw if self.min_kw is not None else 0.0
        high = self.max_kw if self.max_kw is not None else float("inf")
        return [cp for cp in self.considered(station) if low <= cp.power_kw <= high]


def inlet_suits(bay_side: InletSide, vehicle_inlet: InletSide) -> bool:
    """Whether a bay for bay_side serves a vehicle whose inlet is on vehicle_inlet."""
    if bay_side is InletSide.BOTH:
        return True
    if bay_side is InletSide.UNKNOWN:
        return False
    return vehicle_inlet is InletSide.BOTH or bay_side is vehicle_inlet
