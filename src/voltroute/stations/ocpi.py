"""OCPI 2.2.1 Locations (a JSON list, or a module response with `data`) -> stations.

Connector power is `max_electric_power` (W) when given, else voltage x amperage, times three
for AC_3_PHASE (OCPI gives the phase voltage). `opening_times.regular_hours` become OSM syntax;
exceptional openings and closings are not modelled yet and are kept in `extra`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from voltroute.stations.hours import ALWAYS_OPEN, weekly_hours_to_osm
from voltroute.stations.importing import (
    ImportFileError,
    ParsedStations,
    RejectedRow,
    RowError,
    checked_position,
)
from voltroute.stations.model import (
    ChargePoint,
    ConnectorType,
    CurrentType,
    Station,
    StationSource,
    merge_charge_points,
)

_STANDARDS: dict[str, ConnectorType] = {
    "IEC_62196_T1_COMBO": ConnectorType.CCS,
    "IEC_62196_T2_COMBO": ConnectorType.CCS,
    "CHADEMO": ConnectorType.CHADEMO,
    "IEC_62196_T2": ConnectorType.TYPE2,
    "DOMESTIC_F": ConnectorType.SCHUKO,
    # Not in OCPI 2.2.1 (it predates MCS); some CPOs already send it.
    "MCS": ConnectorType.MCS,
}
_OTHER_STANDARDS = frozenset(
    {
        "CHAOJI", "DOMESTIC_A", "DOMESTIC_B", "DOMESTIC_C", "DOMESTIC_D", "DOMESTIC_E",
        "DOMESTIC_G", "DOMESTIC_H", "DOMESTIC_I", "DOMESTIC_J", "DOMESTIC_K", "DOMESTIC_L",
        "GBT_AC", "GBT_DC", "IEC_60309_2_single_16", "IEC_60309_2_three_16",
        "IEC_60309_2_three_32", "IEC_60309_2_three_64", "IEC_62196_T1", "IEC_62196_T3A",
        "IEC_62196_T3C", "NEMA_5_20", "NEMA_6_30", "NEMA_6_50", "NEMA_10_30", "NEMA_10_50",
        "NEMA_14_30", "NEMA_14_50", "PANTOGRAPH_BOTTOM_UP", "PANTOGRAPH_TOP_DOWN", "TESLA_R",
        "TESLA_S",
    }
)  # fmt: skip
_PHASES = {"AC_1_PHASE": 1, "AC_2_PHASE": 2, "AC_2_PHASE_SPLIT": 2, "AC_3_PHASE": 3, "DC": 1}


def read_ocpi(path: Path, imported_at: datetime) -> ParsedStations:
    """Parse an OCPI Locations file; a bad location is rejected with its index and reason."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(f"{path.name} is not JSON: {error}") from None
    return parse_ocpi(document, imported_at)


def parse_ocpi(document: Any, imported_at: datetime) -> ParsedStations:
    """Parse OCPI Locations already decoded from JSON (see read_ocpi)."""
    locations = document.get("data") if isinstance(document, dict) else document
    if not isinstance(locations, list):
        raise ImportFileError("expected a JSON list of OCPI Locations (or an object with 'data')")
    stations: list[Station] = []
    rejected: list[RejectedRow] = []
    seen: set[str] = set()
    for index, location in enumerate(locations):
        try:
            if not isinstance(location, dict):
                raise RowError("location is not a JSON object")
            station = location_to_station(location, imported_at)
            if station.station_id in seen:
                raise RowError(f"duplicate location {station.station_id}")
            seen.add(station.station_id)
            stations.append(station)
        except (RowError, ValueError, TypeError) as error:
            rejected.append(RejectedRow(row=f"location {index}", reason=str(error)))
        except (KeyError, AttributeError) as error:  # a field missing, or not an object
            reason = f"malformed location: {type(error).__name__} {error}"
            rejected.append(RejectedRow(row=f"location {index}", reason=reason))
    return ParsedStations(tuple(stations), tuple(rejected), len(locations))


def location_to_station(location: dict[str, Any], imported_at: datetime) -> Station:
    """One OCPI Location object -> a station; RowError with the reason if it is unusable."""
    location_id = _text(location, "id")
    country, party = location.get("country_code") or "", location.get("party_id") or ""
    coordinates = location.get("coordinates")
    if not isinstance(coordinates, dict):
        raise RowError("coordinates are missing")
    try:
        lat, lon = float(coordinates["latitude"]), float(coordinates["longitude"])
    except (KeyError, TypeError, ValueError):
        raise RowError(f"coordinates are not numbers: {coordinates!r}") from None
    position = checked_position(lat, lon)
    points: list[ChargePoint] = []
    bookable = False
    for evse in location.get("evses") or []:
        if evse.get("status") == "REMOVED":
            continue
        bookable |= "RESERVABLE" in (evse.get("capabilities") or [])
        points += [_charge_point(connector) for connector in evse.get("connectors") or []]
    if not points:
        raise RowError("no connectors (no EVSE with connectors)")
    hours, raw_hours = _opening_times(location.get("opening_times"))
    operator = location.get("operator")
    address = ", ".join(
        p for p in (location.get("address"), _join(location, "postal_code", "city")) if p
    )
    return Station(
        station_id=f"ocpi:{country}*{party}*{location_id}",
        name=location.get("name") or location_id,
        position=position,
        charge_points=merge_charge_points(points),
        source=StationSource.OCPI,
        imported_at=imported_at,
        operator=operator.get("name") if isinstance(operator, dict) else None,
        address=address or None,
        bookable=bookable,
        location_id=location_id,
        amenities=tuple(location.get("facilities") or ()),
        opening_hours=hours,
        opening_hours_raw=raw_hours,
        time_zone=location.get("time_zone"),
        extra={"parking_type": str(location["parking_type"])}
        if location.get("parking_type")
        else {},
    )


def _charge_point(connector: dict[str, Any]) -> ChargePoint:
    standard = connector.get("standard")
    if standard in _STANDARDS:
        kind = _STANDARDS[standard]
    elif standard in _OTHER_STANDARDS:
        kind = ConnectorType.OTHER
    else:
        raise RowError(f"unknown connector standard {standard!r}")
    power_type = connector.get("power_type")
    if power_type not in _PHASES:
        raise RowError(f"unknown power_type {power_type!r}")
    if connector.get("max_electric_power"):
        power_w = float(connector["max_electric_power"])
    else:
        try:
            power_w = (
                float(connector["max_voltage"])
                * float(connector["max_amperage"])
                * _PHASES[power_type]
            )
        except (KeyError, TypeError, ValueError):
            raise RowError(f"connector {connector.get('id')!r}: no voltage/amperage") from None
    current = CurrentType.DC if power_type == "DC" else CurrentType.AC
    return ChargePoint(kind, round(power_w / 1000.0, 3), 1, current)


def _opening_times(value: Any) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict):
        raise RowError("opening_times is not an object")
    raw = json.dumps(value, sort_keys=True)
    if value.get("twentyfourseven"):
        return ALWAYS_OPEN, raw
    periods = [
        (int(p["weekday"]), str(p["period_begin"]), str(p["period_end"]))
        for p in value.get("regular_hours") or []
    ]
    return weekly_hours_to_osm(periods), raw


def _text(location: dict[str, Any], key: str) -> str:
    value = location.get(key)
    if not isinstance(value, str) or not value:
        raise RowError(f"{key} is missing")
    return value


def _join(location: dict[str, Any], *keys: str) -> str:
    return " ".join(str(location[k]) for k in keys if location.get(k))
