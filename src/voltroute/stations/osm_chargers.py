"""OSM `amenity=charging_station` nodes and ways (from a region's pbf) -> stations.

Plugs come from `socket:<type>=<count>` and `socket:<type>:output=<power>`. Where a socket has
no output tag, the plug's usual rating is assumed (table below) and `extra["power_assumed"]`
says so. Bicycle sockets are skipped; a socket type not listed at all rejects the element.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import osmium

from voltroute.stations.hours import checked_osm_hours
from voltroute.stations.importing import ParsedStations, RejectedRow, RowError, checked_position
from voltroute.stations.model import (
    ChargePoint,
    ConnectorType,
    CurrentType,
    Station,
    StationSource,
    TruckAccess,
    merge_charge_points,
)

# socket type -> (connector, current, power assumed when no :output is tagged, kW)
_SOCKETS: dict[str, tuple[ConnectorType, CurrentType, float]] = {
    "mcs": (ConnectorType.MCS, CurrentType.DC, 1000.0),
    "type2_combo": (ConnectorType.CCS, CurrentType.DC, 50.0),
    "type1_combo": (ConnectorType.CCS, CurrentType.DC, 50.0),
    "chademo": (ConnectorType.CHADEMO, CurrentType.DC, 50.0),
    "type2": (ConnectorType.TYPE2, CurrentType.AC, 22.0),
    "type2_cable": (ConnectorType.TYPE2, CurrentType.AC, 22.0),
    "schuko": (ConnectorType.SCHUKO, CurrentType.AC, 3.7),
    "type1": (ConnectorType.OTHER, CurrentType.AC, 7.4),
    "cee_blue": (ConnectorType.OTHER, CurrentType.AC, 3.7),
    "cee_red_16a": (ConnectorType.OTHER, CurrentType.AC, 11.0),
    "cee_red_32a": (ConnectorType.OTHER, CurrentType.AC, 22.0),
    "cee_red_63a": (ConnectorType.OTHER, CurrentType.AC, 43.0),
    "tesla_supercharger": (ConnectorType.OTHER, CurrentType.DC, 120.0),
    "nacs": (ConnectorType.OTHER, CurrentType.DC, 120.0),
}
_BICYCLE_SOCKETS = frozenset({"bosch_3pin", "bosch_5pin", "shimano_steps_5pin", "panasonic"})
_POWER = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(kw|w|mw)?\s*$", re.IGNORECASE)
_TRUCK_YES = frozenset({"yes", "designated"})


def read_osm(path: Path, imported_at: datetime) -> ParsedStations:
    """Every charging station in an OSM file; a bad element is rejected with its id and reason."""
    handler = _Handler(imported_at)
    handler.apply_file(str(path), locations=True)
    return ParsedStations(tuple(handler.stations), tuple(handler.rejected), handler.rows)


def tags_to_station(
    osm_id: str, lat: float, lon: float, tags: dict[str, str], imported_at: datetime
) -> Station:
    """One tagged element -> a station; RowError with the reason if it is unusable."""
    position = checked_position(lat, lon)
    points: list[ChargePoint] = []
    assumed = False
    for key, value in tags.items():
        if not key.startswith("socket:") or key.count(":") != 1:
            continue
        socket = key.removeprefix("socket:")
        if socket in _BICYCLE_SOCKETS:
            continue
        if socket not in _SOCKETS:
            raise RowError(f"unknown connector type {key}")
        connector, current, default_kw = _SOCKETS[socket]
        count = _count(value, key)
        if count == 0:
            continue
        output = tags.get(f"{key}:output")
        assumed |= output is None
        power_kw = _power_kw(output, key) if output is not None else default_kw
        points.append(ChargePoint(connector, power_kw, count, current))
    if not points:
        raise RowError("no usable socket:* tags: plugs and power unknown")
    hours_raw = tags.get("opening_hours")
    street = " ".join(t for t in (tags.get("addr:street"), tags.get("addr:housenumber")) if t)
    town = " ".join(t for t in (tags.get("addr:postcode"), tags.get("addr:city")) if t)
    hgv = tags.get("hgv")
    return Station(
        station_id=f"osm:{osm_id}",
        name=tags.get("name") or tags.get("operator") or "Charging station",
        position=position,
        charge_points=merge_charge_points(points),
        source=StationSource.OSM,
        imported_at=imported_at,
        operator=tags.get("operator") or tags.get("network"),
        address=", ".join(t for t in (street, town) if t) or None,
        truck_access=TruckAccess.T if hgv in _TRUCK_YES else TruckAccess.UNKNOWN,
        opening_hours=checked_osm_hours(hours_raw) if hours_raw is not None else None,
        opening_hours_raw=hours_raw,
        extra={k: v for k, v in (("hgv", hgv), ("power_assumed", "yes" if assumed else None)) if v},
    )


class _Handler(osmium.SimpleHandler):
    def __init__(self, imported_at: datetime) -> None:
        super().__init__()
        self.imported_at = imported_at
        self.stations: list[Station] = []
        self.rejected: list[RejectedRow] = []
        self.rows = 0

    def node(self, node: osmium.osm.Node) -> None:
        if node.tags.get("amenity") == "charging_station":
            location = node.location
            lat, lon = (location.lat, location.lon) if location.valid() else (float("nan"),) * 2
            self._add(f"n{node.id}", lat, lon, node.tags)

    def way(self, way: osmium.osm.Way) -> None:
        if way.tags.get("amenity") != "charging_station":
            return
        try:
            points = [(n.lat, n.lon) for n in way.nodes if n.location.valid()]
        except osmium.InvalidLocationError:
            points = []
        if not points:
            self._reject(f"w{way.id}", "way has no node locations")
            return
        # The mean of the outline's nodes: good enough for a site of a few bays.
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        self._add(f"w{way.id}", lat, lon, way.tags)

    def _add(self, osm_id: str, lat: float, lon: float, tag_list: osmium.osm.TagList) -> None:
        self.rows += 1
        tags = {tag.k: tag.v for tag in tag_list}
        try:
            self.stations.append(tags_to_station(osm_id, lat, lon, tags, self.imported_at))
        except (RowError, ValueError) as error:
            self.rejected.append(RejectedRow(row=osm_id, reason=str(error)))

    def _reject(self, osm_id: str, reason: str) -> None:
        self.rows += 1
        self.rejected.append(RejectedRow(row=osm_id, reason=reason))


def _count(value: str, key: str) -> int:
    if value == "yes":
        return 1
    if not value.isdigit():
        raise RowError(f"{key}={value!r} is not a count")
    return int(value)


def _power_kw(text: str, key: str) -> float:
    # Several outputs ("22;11") describe alternative modes: the largest is the socket's rating.
    values = []
    for part in text.split(";"):
        match = _POWER.match(part)
        if not match:
            raise RowError(f"{key}:output={text!r} is not a power")
        number = float(match[1].replace(",", "."))
        unit = (match[2] or "kw").lower()
        values.append(
            number / 1000.0 if unit == "w" else number * 1000.0 if unit == "mw" else number
        )
    return max(values)
