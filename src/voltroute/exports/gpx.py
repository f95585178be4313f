"""A result as GPX 1.1 for truck navigation devices: the route as a track, every stop a waypoint."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from voltroute.exports.activity_text import activity_lines, stop_activity_summary
from voltroute.exports.result_view import ORIGIN, ResultView, RuleFinding, StopView

GPX_MEDIA_TYPE = "application/gpx+xml"
GPX_NAMESPACE = "http://www.topografix.com/GPX/1/1"
GPX_SCHEMA_LOCATION = f"{GPX_NAMESPACE} http://www.topografix.com/GPX/1/1/gpx.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
VOLTROUTE_GPX_NAMESPACE = "urn:voltroute:gpx:1"
"""Of the waypoints' `<extensions>`: `<voltroute:activity>` per interval of the driver's time."""
# Characters XML 1.0 cannot carry at all, not even escaped (section 2.2): most C0 controls,
# lone surrogates, U+FFFE and U+FFFF. ElementTree writes them as they are, leaving the document
# malformed, so text from a request or an import passes through xml_text first.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"

STOP_LABELS = {
    ORIGIN: "Start",
    "customer": "Customer",
    "destination": "Destination",
    "charging": "Charging",
    "break": "Break",
    "daily_rest": "Daily rest",
    "weekly_rest": "Weekly rest",
}


def result_gpx(view: ResultView, name: str | None = None) -> str:
    """The GPX 1.1 document (UTF-8 text): waypoints in stop order, one track segment per section.

    Track points carry the route's elevation; waypoints carry the arrival time (the departure at
    the origin), a name and a description of what happens at the stop. With the result's
    activity timeline, the description says what the driver does there, the comment when (local
    times), and `<extensions>` lists each activity; the rule check's findings, if any, are the
    document's description.
    """
    ET.register_namespace("", GPX_NAMESPACE)
    ET.register_namespace("voltroute", VOLTROUTE_GPX_NAMESPACE)
    root = ET.Element(
        _tag("gpx"),
        {
            "version": "1.1",
            "creator": "Voltroute",
            f"{{{_XSI}}}schemaLocation": GPX_SCHEMA_LOCATION,
        },
    )
    title = name or _title(view)
    metadata = ET.SubElement(root, _tag("metadata"))
    _text(metadata, "name", title)
    if view.rule_check:
        _text(metadata, "desc", "; ".join(rule_finding_text(f) for f in view.rule_check))
    for stop in view.stops:
        _waypoint(root, stop)
    track = ET.SubElement(root, _tag("trk"))
    _text(track, "name", title)
    for section in view.sections:
        segment = ET.SubElement(track, _tag("trkseg"))
        for point in section.points:
            trkpt = ET.SubElement(segment, _tag("trkpt"), _lat_lon(point.lat, point.lon))
            if point.elevation_m is not None:
                _text(trkpt, "ele", f"{point.elevation_m:.1f}")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def stop_title(stop: StopView) -> str:
    """`<sequence>. <kind>: <name>`, the waypoint name (also used by the CLI's table)."""
    label = STOP_LABELS.get(stop.stop_type, stop.stop_type)
    return f"{stop.sequence}. {label}: {stop.name}"


def stop_description(stop: StopView) -> str:
    """One line: times, SoC on arrival and departure, energy charged, the stop's minutes."""
    parts: list[str] = []
    if stop.arrival_time:
        parts.append(f"arrive {stop.arrival_time}")
    if stop.departure_time:
        parts.append(f"depart {stop.departure_time}")
    if stop.soc_arrival is not None and stop.soc_departure is not None:
        parts.append(f"SoC {stop.soc_arrival:.0%} -> {stop.soc_departure:.0%}")
    elif stop.soc_departure is not None:
        parts.append(f"SoC {stop.soc_departure:.0%}")
    if stop.energy_kwh:
        parts.append(f"charged {stop.energy_kwh:.1f} kWh in {stop.charge_time_min or 0:.0f} min")
    driver = stop_activity_summary(stop)
    if driver is not None:
        if driver:
            parts.append(f"driver: {driver}")
        return "; ".join(parts)
    for label, minutes in (
        ("waiting", stop.waiting_time_min),
        ("break", stop.break_time_min),
        ("rest", stop.rest_time_min),
        ("stop", stop.service_time_min),
    ):
        if minutes:
            parts.append(f"{label} {minutes:.0f} min")
    return "; ".join(parts)


def _waypoint(root: ET.Element, stop: StopView) -> None:
    # Child order is fixed by the GPX 1.1 schema: ele, time, ..., name, cmt, desc, ..., type.
    wpt = ET.SubElement(root, _tag("wpt"), _lat_lon(stop.lat, stop.lon))
    moment = stop.arrival_time or stop.departure_time
    if moment:
        _text(wpt, "time", moment)
    _text(wpt, "name", stop_title(stop))
    if stop.activities:
        _text(wpt, "cmt", "; ".join(activity_lines(stop.activities, stop.stop_type)))
    _text(wpt, "desc", stop_description(stop))
    _text(wpt, "type", stop.stop_type)
    if stop.activities:
        extensions = ET.SubElement(wpt, _tag("extensions"))
        for part in stop.activities:
            attributes = {
                "kind": part.activity,
                "start": part.start,
                "end": part.end,
                "start_local": part.start_local,
                "end_local": part.end_local,
                "duration_min": f"{part.duration_min:g}",
            }
            ET.SubElement(
                extensions,
                f"{{{VOLTROUTE_GPX_NAMESPACE}}}activity",
                {name: xml_text(value) for name, value in attributes.items() if value is not None},
            )


def rule_finding_text(finding: RuleFinding) -> str:
    """`Rule check: driver 1, Art. 7: <detail> (at <time>)` (the rule when it has no article)."""
    who = f"driver {finding.driver}, " if finding.driver is not None else ""
    at = f" (at {finding.at})" if finding.at else ""
    return f"Rule check: {who}{finding.article or finding.rule}: {finding.detail}{at}"


def _title(view: ResultView) -> str:
    if view.optimization_id:
        return f"Voltroute optimization {view.optimization_id}"
    return "Voltroute tour"


def _tag(name: str) -> str:
    return f"{{{GPX_NAMESPACE}}}{name}"


def xml_text(value: str) -> str:
    """value with every character XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, value)


def _text(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, _tag(name)).text = xml_text(value)


def _lat_lon(lat: float, lon: float) -> dict[str, str]:
    return {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}"}
