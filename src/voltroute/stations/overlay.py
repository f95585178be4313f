"""The project's own overlay format: what no public source carries (truck access, MCS, bays,
booking), merged onto stations by id or by proximity, or describing a new (e.g. scenario) site.

See docs/stations-overlay.md for the format.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from voltroute.domain import LatLon, StationPowerCurve, haversine_m
from voltroute.stations.hours import checked_osm_hours
from voltroute.stations.importing import ImportFileError, RejectedRow, RowError, checked_position
from voltroute.stations.model import (
    ChargePoint,
    ConnectorType,
    InletSide,
    Station,
    StationSource,
    TruckAccess,
)

OVERLAY_FORMAT = "voltroute-station-overlay"
DEFAULT_MATCH_RADIUS_M = 50.0
MAX_MATCH_RADIUS_M = 500.0
SCENARIO_PREFIX = "Scenario: "


@dataclass(frozen=True, slots=True)
class OverlayRecord:
    """One overlay entry; None fields leave the matched station's value as it is."""

    record_id: str
    station_id: str | None = None  # match by id
    position: LatLon | None = None  # match by proximity, or the new site's position
    match_radius_m: float = DEFAULT_MATCH_RADIUS_M
    name: str | None = None
    operator: str | None = None
    address: str | None = None
    truck_access: TruckAccess | None = None
    inlet_side: InletSide | None = None
    bookable: bool | None = None
    bays: int | None = None
    vacate_when_charged: bool | None = None  # the bay must be freed when charging ends
    power_curve: StationPowerCurve | None = None  # the site's power limit over SoC
    charge_points: tuple[ChargePoint, ...] = ()  # replace the station's points of these types
    amenities: tuple[str, ...] = ()
    opening_hours: str | None = None
    scenario: bool = False
    note: str | None = None  # provenance (e.g. the OSM object the scenario site sits on)


@dataclass(frozen=True, slots=True)
class ParsedOverlay:
    records: tuple[OverlayRecord, ...]
    rejected: tuple[RejectedRow, ...]
    rows_read: int


def read_overlay(path: Path) -> ParsedOverlay:
    """Parse an overlay file (.json or .csv); bad records are rejected with their reasons."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path.name} is not UTF-8 text: {error}") from None
    if path.suffix.lower() == ".csv":
        return parse_overlay_csv(text)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"{path.name} is not JSON: {error}") from None
    return parse_overlay_document(document)


def parse_overlay_csv(text: str) -> ParsedOverlay:
    """Parse overlay CSV text (header row, `,`-separated; see docs/stations-overlay.md)."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames  # reads the header row, which may be malformed too
        if not fieldnames or "id" not in fieldnames:
            raise ImportFileError("overlay CSV needs a header row with an 'id' column")
        rows: list[dict[str, Any]] = list(reader)
    except csv.Error as error:
        raise ImportFileError(f"overlay CSV is malformed: {error}") from None
    return _parse_records(rows, scenario=False)


def parse_overlay_document(document: Any) -> ParsedOverlay:
    """Parse a decoded overlay JSON document (see docs/stations-overlay.md)."""
    if not isinstance(document, dict) or document.get("format") != OVERLAY_FORMAT:
        raise ImportFileError(f'not an overlay document: needs "format": "{OVERLAY_FORMAT}"')
    records = document.get("records")
    if not isinstance(records, list):
        raise ImportFileError("overlay document needs a 'records' list")
    return _parse_records(records, scenario=document.get("label") == "scenario")


def apply_overlays(
    stations: Sequence[Station], records: Sequence[OverlayRecord], imported_at: datetime
) -> tuple[list[Station], list[RejectedRow]]:
    """Stations with the records merged on; unmatched records that describe a site become one."""
    by_id = {s.station_id: s for s in stations}
    order = [s.station_id for s in stations]
    rejected: list[RejectedRow] = []
    for record in records:
        target = _match(record, by_id)
        try:
            if target is not None:
                by_id[target.station_id] = _checked_curve(_merged(target, record))
                continue
            created = _checked_curve(_new_station(record, imported_at))
        except RowError as error:
            rejected.append(RejectedRow(row=record.record_id, reason=str(error)))
            continue
        if created.station_id not in by_id:
            order.append(created.station_id)
        by_id[created.station_id] = created
    return [by_id[i] for i in order], rejected


def _match(record: OverlayRecord, by_id: dict[str, Station]) -> Station | None:
    if record.station_id is not None:
        return by_id.get(record.station_id)
    if record.position is None:
        return None
    # Overlays are small (tens of records), so a linear scan per record is fine.
    best, best_m = None, record.match_radius_m
    for station in by_id.values():
        if station.source is StationSource.OVERLAY:
            continue
        distance_m = haversine_m(record.position, station.position)
        if distance_m <= best_m:
            best, best_m = station, distance_m
    return best


def _checked_curve(station: Station) -> Station:
    """The station, unless its power curve promises more than its best charge point gives (a
    curve only lowers the power: such a point is a unit or a typing error, not a limit)."""
    curve, top_kw = station.power_curve, station.max_power_kw
    if curve is not None and top_kw > 0.0:
        for index, (_, max_kw) in enumerate(curve.points):
            if max_kw > top_kw:
                raise RowError(
                    f"power_curve: point {index}: {max_kw:g} kW is above the station's most "
                    f"powerful charge point ({top_kw:g} kW)"
                )
    return station


def _merged(station: Station, record: OverlayRecord) -> Station:
    replaced = {cp.connector for cp in record.charge_points}
    points = tuple(cp for cp in station.charge_points if cp.connector not in replaced)
    return replace(
        station,
        name=_label(record.name or station.name, record.scenario or station.scenario),
        operator=record.operator or station.operator,
        address=record.address or station.address,
        truck_access=record.truck_access or station.truck_access,
        inlet_side=record.inlet_side or station.inlet_side,
        bookable=record.bookable if record.bookable is not None else station.bookable,
        bays=record.bays if record.bays is not None else station.bays,
        vacate_when_charged=(
            record.vacate_when_charged
            if record.vacate_when_charged is not None
            else station.vacate_when_charged
        ),
        power_curve=record.power_curve if record.power_curve is not None else station.power_curve,
        charge_points=points + record.charge_points,
        amenities=tuple(dict.fromkeys(station.amenities + record.amenities)),
        opening_hours=record.opening_hours or station.opening_hours,
        opening_hours_raw=record.opening_hours or station.opening_hours_raw,
        scenario=record.scenario or station.scenario,
    )


def _new_station(record: OverlayRecord, imported_at: datetime) -> Station:
    if record.station_id is not None:
        raise RowError(f"no station {record.station_id} to merge onto")
    if record.position is None or not record.name or not record.charge_points:
        raise RowError("matches no station and lacks name, position or charge points of its own")
    return Station(
        station_id=f"overlay:{record.record_id}",
        name=_label(record.name, record.scenario),
        position=record.position,
        charge_points=record.charge_points,
        source=StationSource.OVERLAY,
        imported_at=imported_at,
        operator=record.operator,
        address=record.address,
        inlet_side=record.inlet_side or InletSide.UNKNOWN,
        truck_access=record.truck_access or TruckAccess.UNKNOWN,
        bookable=record.bookable,
        amenities=record.amenities,
        opening_hours=record.opening_hours,
        opening_hours_raw=record.opening_hours,
        bays=record.bays,
        vacate_when_charged=bool(record.vacate_when_charged),
        power_curve=record.power_curve,
        scenario=record.scenario,
        extra={"note": record.note} if record.note else {},
    )


def _label(name: str, scenario: bool) -> str:
    if scenario and "scenario" not in name.lower():
        return SCENARIO_PREFIX + name
    return name


def _parse_records(rows: list[Any], *, scenario: bool) -> ParsedOverlay:
    records: list[OverlayRecord] = []
    rejected: list[RejectedRow] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        label = f"record {index}"
        try:
            if not isinstance(row, dict):
                raise RowError("record is not an object")
            # A bad record is named by its id where it has one, like a good one.
            label = str(row.get("id") or "").strip() or label
            record = _record(row, scenario)
            label = record.record_id
            if record.record_id in seen:
                raise RowError(f"duplicate record id {record.record_id!r}")
            seen.add(record.record_id)
            records.append(record)
        except (RowError, ValueError, TypeError) as error:  # TypeError: e.g. a number as a list
            rejected.append(RejectedRow(row=label, reason=str(error)))
    return ParsedOverlay(tuple(records), tuple(rejected), len(rows))


def _record(row: dict[str, Any], scenario: bool) -> OverlayRecord:
    def text(key: str) -> str | None:
        value = row.get(key)
        return str(value).strip() or None if value not in (None, "") else None

    record_id = text("id")
    if record_id is None:
        raise RowError("id is missing")
    position = None
    if text("lat") is not None or text("lon") is not None:
        position = checked_position(_float(row.get("lat"), "lat"), _float(row.get("lon"), "lon"))
    radius_m = _float(row.get("radius_m") or DEFAULT_MATCH_RADIUS_M, "radius_m")
    if not 0.0 < radius_m <= MAX_MATCH_RADIUS_M:
        raise RowError(f"radius_m must be in (0, {MAX_MATCH_RADIUS_M:g}]")
    points = [
        ChargePoint(
            connector, _float(row[f"{key}_kw"], f"{key}_kw"), _int(row, f"{key}_count") or 1
        )
        for key, connector in (("ccs", ConnectorType.CCS), ("mcs", ConnectorType.MCS))
        if text(f"{key}_kw") is not None
    ]
    hours = text("opening_hours")
    row_scenario = text("scenario")
    amenities = row.get("amenities") or ()
    if isinstance(amenities, str):
        amenities = [a.strip() for a in amenities.split(";") if a.strip()]
    return OverlayRecord(
        record_id=record_id,
        station_id=text("station_id"),
        position=position,
        match_radius_m=radius_m,
        name=text("name"),
        operator=text("operator"),
        address=text("address"),
        truck_access=_enum(TruckAccess, text("truck_access"), "truck_access"),
        inlet_side=_enum(InletSide, text("inlet_side"), "inlet_side"),
        bookable=_bool(text("bookable"), "bookable"),
        bays=_int(row, "bays"),
        vacate_when_charged=_bool(text("vacate_when_charged"), "vacate_when_charged"),
        power_curve=_power_curve(row.get("power_curve")),
        charge_points=tuple(points),
        amenities=tuple(str(a) for a in amenities),
        opening_hours=checked_osm_hours(hours) if hours else None,
        scenario=scenario or _bool(row_scenario, "scenario") is True,
        note=text("note"),
    )


def _enum[E: (TruckAccess, InletSide)](kind: type[E], value: str | None, key: str) -> E | None:
    if value is None:
        return None
    try:
        return kind(value.upper())
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise RowError(f"{key} {value!r} is not one of {allowed}") from None


def _bool(value: str | None, key: str) -> bool | None:
    if value is None:
        return None
    lowered = value.lower()
    if lowered in ("true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0"):
        return False
    raise RowError(f"{key} {value!r} is not true/false")


def _power_curve(value: Any) -> StationPowerCurve | None:
    """[[soc, kW], ...] in JSON, `soc:kW;soc:kW` in a CSV cell; None when not given."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        pairs: list[Any] = [p.split(":") for p in value.split(";") if p.strip()]
    elif isinstance(value, list):
        pairs = value
    else:
        raise RowError("power_curve must be a list of [soc, kW] points")
    points = []
    for index, pair in enumerate(pairs):
        if not isinstance(pair, list) or len(pair) != 2:
            raise RowError(f"power_curve: point {index}: {pair!r} is not a [soc, kW] pair")
        soc, max_kw = (_float(v, f"power_curve: point {index}:") for v in pair)
        points.append((soc, max_kw))
    try:
        return StationPowerCurve(tuple(points))
    except ValueError as error:
        raise RowError(f"power_curve: {error}") from None


def _float(value: Any, key: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise RowError(f"{key} {value!r} is not a number") from None


def _int(row: dict[str, Any], key: str) -> int | None:
    value = row.get(key)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise RowError(f"{key} {value!r} is not a whole number") from None
    if number < 0:
        raise RowError(f"{key} must not be negative")
    return number
