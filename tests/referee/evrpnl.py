"""Seeded E-VRP-NL instances (Montoya et al. 2016) in their VRP-REP XML, for frvcpy's translator.

frvcpy ships one E-VRP-NL instance; a second one, drawn here, keeps the referee honest on
geography the optimizer was never tuned on. The format and the vehicle are Montoya's, as in
frvcpy's `test/data/vrprep-instance.xml`: nodes on a plane (km, Euclidean), 40 km/h, 125 Wh/km,
16 kWh, the three charging functions (fast, normal = 2x the time, slow = 4x; concave, with
breakpoints at 85 % and 95 %). What is drawn: the depot, the customers with service times of
15, 30 or 45 minutes, the stations and their types.

One change: max_travel_time is 24 h (Montoya: 10 h), so that a random route is compared on
its charging and not cut off by frvcpy's duration limit (our model has none).
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from pathlib import Path

SIDE_KM = 120.0  # Montoya's square
SPEED_KPH = 40.0
CONSUMPTION_WH_PER_KM = 125.0
BATTERY_WH = 16_000.0
MAX_TRAVEL_TIME_H = 24.0
SERVICE_TIMES_H = (0.25, 0.5, 0.75)
# (type, charging hours at each breakpoint); the battery levels are the same for all types.
CHARGING_FUNCTIONS = (
    ("fast", (0.0, 0.31, 0.39, 0.51)),
    ("normal", (0.0, 0.62, 0.77, 1.01)),
    ("slow", (0.0, 1.26, 1.54, 2.04)),
)
BATTERY_LEVELS_WH = (0.0, 13_600.0, 15_200.0, 16_000.0)


def write_instance(path: Path, seed: int, customers: int = 30, stations: int = 7) -> Path:
    """An instance drawn from seed, written to path (VRP-REP XML); returns path."""
    rng = random.Random(seed)
    root = ET.Element("instance")
    info = ET.SubElement(root, "info")
    ET.SubElement(info, "dataset").text = "voltroute E-VRP-NL draw"
    ET.SubElement(info, "name").text = f"seed{seed}c{customers}s{stations}"
    network = ET.SubElement(root, "network")
    nodes = ET.SubElement(network, "nodes")
    centre = SIDE_KM / 2
    _node(
        nodes, 0, "0", rng.uniform(centre - 20, centre + 20), rng.uniform(centre - 20, centre + 20)
    )
    for k in range(1, customers + 1):
        _node(nodes, k, "1", rng.uniform(0, SIDE_KM), rng.uniform(0, SIDE_KM))
    for k in range(customers + 1, customers + stations + 1):
        node = _node(nodes, k, "2", rng.uniform(0, SIDE_KM), rng.uniform(0, SIDE_KM))
        custom = ET.SubElement(node, "custom")
        ET.SubElement(custom, "cs_type").text = rng.choice(CHARGING_FUNCTIONS)[0]
    ET.SubElement(network, "euclidean")
    ET.SubElement(network, "decimals").text = "14"
    fleet = ET.SubElement(root, "fleet")
    profile = ET.SubElement(fleet, "vehicle_profile", type="0")
    ET.SubElement(profile, "departure_node").text = "0"
    ET.SubElement(profile, "arrival_node").text = "0"
    ET.SubElement(profile, "max_travel_time").text = f"{MAX_TRAVEL_TIME_H:g}"
    ET.SubElement(profile, "speed_factor").text = f"{SPEED_KPH:g}"
    custom = ET.SubElement(profile, "custom")
    ET.SubElement(custom, "consumption_rate").text = f"{CONSUMPTION_WH_PER_KM:g}"
    ET.SubElement(custom, "battery_capacity").text = f"{BATTERY_WH:g}"
    functions = ET.SubElement(custom, "charging_functions")
    for cs_type, hours in CHARGING_FUNCTIONS:
        function = ET.SubElement(functions, "function", cs_type=cs_type)
        for level_wh, time_h in zip(BATTERY_LEVELS_WH, hours, strict=True):
            breakpoint_ = ET.SubElement(function, "breakpoint")
            ET.SubElement(breakpoint_, "battery_level").text = f"{level_wh:g}"
            ET.SubElement(breakpoint_, "charging_time").text = f"{time_h}"
    requests = ET.SubElement(root, "requests")
    for k in range(1, customers + 1):
        request = ET.SubElement(requests, "request", id=str(k), node=str(k))
        ET.SubElement(request, "service_time").text = f"{rng.choice(SERVICE_TIMES_H)}"
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)
    return path


def _node(parent: ET.Element, node_id: int, kind: str, x_km: float, y_km: float) -> ET.Element:
    node = ET.SubElement(parent, "node", id=str(node_id), type=kind)
    ET.SubElement(node, "cx").text = f"{x_km:.2f}"
    ET.SubElement(node, "cy").text = f"{y_km:.2f}"
    return node
