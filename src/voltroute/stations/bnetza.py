"""The Bundesnetzagentur charging register (Ladesaeulenregister) CSV -> stations.

The published file is `;`-separated with decimal commas and some lines before the header; each
row is one charging unit with up to six plugs (type list, power list, EVSE id).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

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

PLUG_BLOCKS = 6
_HEADER_MARKERS = ("Betreiber", "Breitengrad")
_WEEKDAYS_DE = {
    "montag": 1,
    "dienstag": 2,
    "mittwoch": 3,
    "donnerstag": 4,
    "freitag": 5,
    "samstag": 6,
    "sonntag": 7,
}
# Plug names as the register writes them; anything else is rejected, so that a new plug type
# shows up in the import report instead of silently becoming a car plug.
_PLUGS: tuple[tuple[str, ConnectorType, CurrentType], ...] = (
    ("megawatt", ConnectorType.MCS, CurrentType.DC),
    ("mcs", ConnectorType.MCS, CurrentType.DC),
    ("ccs", ConnectorType.CCS, CurrentType.DC),
    ("combo", ConnectorType.CCS, CurrentType.DC),
    ("chademo", ConnectorType.CHADEMO, CurrentType.DC),
    ("ac typ 2", ConnectorType.TYPE2, CurrentType.AC),
    ("dc typ 2", ConnectorType.TYPE2, CurrentType.DC),
    ("schuko", ConnectorType.SCHUKO, CurrentType.AC),
    ("ac typ 1", ConnectorType.OTHER, CurrentType.AC),
    ("cee", ConnectorType.OTHER, CurrentType.AC),
    ("tesla", ConnectorType.OTHER, CurrentType.DC),
)


def read_bnetza(path: Path, imported_at: datetime) -> ParsedStations:
    """Parse a register CSV; a bad row is rejected with its line number and reason."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older register exports are Windows-1252.
        text = path.read_bytes().decode("cp1252")
    return parse_bnetza(text, imported_at)


def parse_bnetza(text: str, imported_at: datetime) -> ParsedStations:
    """Parse register CSV text (see read_bnetza)."""
    lines = text.splitlines(keepends=True)
    header_index = next(
        (i for i, line in enumerate(lines) if all(m in line for m in _HEADER_MARKERS)), None
    )
    if header_index is None:
        raise ImportFileError("no BNetzA header line (with 'Betreiber' and 'Breitengrad') found")
    reader = csv.reader(io.StringIO("".join(lines[header_index:])), delimiter=";")
    header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    columns = {name: index for index, name in enumerate(header)}
    for required in ("Ladeeinrichtungs-ID", "Betreiber", "Breitengrad", "Längengrad"):
        if required not in columns:
            raise ImportFileError(f"BNetzA header lacks the column {required!r}")
    stations: list[Station] = []
    rejected: list[RejectedRow] = []
    seen: set[str] = set()
    rows = 0
    end_line = 1
    for record in reader:
        # Quoted fields may hold line breaks: a record starts after the previous one ended.
        line, end_line = header_index + end_line + 1, reader.line_num
        if not any(field.strip() for field in record):
            continue
        rows += 1
        try:
            if len(record) != len(header):
                raise RowError(f"row has {len(record)} fields, the header {len(header)}")
            station = _station(record, columns, imported_at)
            if station.station_id in seen:
                raise RowError(f"duplicate Ladeeinrichtungs-ID {station.station_id}")
            seen.add(station.station_id)
            stations.append(station)
        except (RowError, ValueError) as error:
            unit = record[0].strip() if record else ""
            where = f"line {line}, id {unit}" if unit else f"line {line}"
            rejected.append(RejectedRow(row=where, reason=str(error)))
    return ParsedStations(tuple(stations), tuple(rejected), rows)


def _station(record: list[str], columns: dict[str, int], imported_at: datetime) -> Station:
    def get(name: str) -> str:
        index = columns.get(name)
        return record[index].strip() if index is not None else ""

    unit_id = get("Ladeeinrichtungs-ID")
    if not unit_id:
        raise RowError("Ladeeinrichtungs-ID is empty")
    position = checked_position(
        _number(get("Breitengrad"), "Breitengrad"), _number(get("Längengrad"), "Längengrad")
    )
    rated_kw = _number(get("Nennleistung Ladeeinrichtung [kW]"), "Nennleistung")
    charge_points: list[ChargePoint] = []
    for block in range(1, PLUG_BLOCKS + 1):
        charge_points += _plug_block(
            get(f"Steckertypen{block}"), get(f"Nennleistung Stecker{block}")
        )
    if not charge_points:
        raise RowError("no plug (Steckertypen1..6 are all empty)")
    operator = get("Betreiber") or None
    street = " ".join(p for p in (get("Straße"), get("Hausnummer")) if p)
    town = " ".join(p for p in (get("Postleitzahl"), get("Ort")) if p)
    address = ", ".join(p for p in (street, town) if p) or None
    raw_hours = get("Öffnungszeiten")
    return Station(
        station_id=f"bnetza:{unit_id}",
        name=get("Anzeigename (Karte)") or operator or f"Ladeeinrichtung {unit_id}",
        position=position,
        charge_points=merge_charge_points(charge_points),
        source=StationSource.BNETZA,
        imported_at=imported_at,
        operator=operator,
        address=address,
        opening_hours=_hours(
            raw_hours, get("Öffnungszeiten: Wochentage"), get("Öffnungszeiten: Tageszeiten")
        ),
        opening_hours_raw=raw_hours or None,
        rated_power_kw=rated_kw,
        extra={
            k: v
            for k, v in (
                ("status", get("Status")),
                ("kind", get("Art der Ladeeinrichtung")),
                ("payment", get("Bezahlsysteme")),
                ("parking", get("Informationen zum Parkraum")),
            )
            if v
        },
    )


def _plug_block(types_text: str, powers_text: str) -> list[ChargePoint]:
    if not types_text:
        return []
    names = [t.strip() for t in types_text.split(";") if t.strip()]
    powers = [p.strip() for p in powers_text.split(";") if p.strip()]
    if len(powers) not in (1, len(names)):
        raise RowError(f"{len(names)} plug types but {len(powers)} plug powers: {powers_text!r}")
    points = []
    for index, name in enumerate(names):
        connector, current = _plug(name)
        power = _number(powers[index if len(powers) > 1 else 0], "Nennleistung Stecker")
        points.append(ChargePoint(connector, power, 1, current))
    return points


def _plug(name: str) -> tuple[ConnectorType, CurrentType]:
    lowered = name.lower()
    for marker, connector, current in _PLUGS:
        if marker in lowered:
            return connector, current
    raise RowError(f"unknown connector type {name!r}")


def _hours(summary: str, weekdays: str, day_times: str) -> str | None:
    if summary == "247":
        return ALWAYS_OPEN
    if summary != "Eingeschränkt":
        return None  # "Keine Angabe": nothing is known, so nothing is restricted
    days = [d.strip().lower() for d in weekdays.split(";") if d.strip()]
    spans = [s.strip() for s in day_times.split(";") if s.strip()]
    if not days and not spans:
        raise RowError("opening hours 'Eingeschränkt' (restricted) without weekdays and times")
    if len(days) != len(spans):
        raise RowError(f"opening hours: {len(days)} weekdays but {len(spans)} day times")
    periods = []
    for day, span in zip(days, spans, strict=True):
        if day not in _WEEKDAYS_DE or span.count("-") != 1:
            raise RowError(f"opening hours: cannot read {day!r} {span!r}")
        begin, end = span.split("-")
        periods.append((_WEEKDAYS_DE[day], begin, end))
    return weekly_hours_to_osm(periods)


def _number(text: str, column: str) -> float:
    try:
        return float(text.replace(".", "").replace(",", ".") if "," in text else text)
    except ValueError:
        raise RowError(f"{column} is not a number: {text!r}") from None
