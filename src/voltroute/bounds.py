"""The one table of bounds on what a client may send: physical quantities, sizes, the horizon.

Every number a request carries is finite and within the range of its quantity here; a value
outside is refused at the door with a 422 that names the field and the bound, never clamped.
The ranges are physical (what a truck, a charger or a tour can be), wide enough for any real
tour and narrow enough that nothing downstream can overflow, loop or allocate without end.
The contract's own published bounds (SoC 0.1..1.0, corridor 1000..20000 m, ...) are checked
by the schema as published; these add what the contract leaves open.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True, slots=True)
class Bound:
    """The range of one quantity: min_value..max_value in unit (min exclusive when flagged)."""

    quantity: str
    unit: str
    min_value: float
    max_value: float
    why: str
    min_exclusive: bool = False

    def contains(self, value: float) -> bool:
        """True when value is a finite number within the range."""
        if not math.isfinite(value):
            return False
        above = value > self.min_value if self.min_exclusive else value >= self.min_value
        return above and value <= self.max_value

    def text(self) -> str:
        """`0..10080 min`, as the README and the messages show it."""
        unit = f" {self.unit}" if self.unit else ""
        low = f"more than {self.min_value:g}" if self.min_exclusive else f"{self.min_value:g}"
        return f"{low}..{self.max_value:g}{unit}"


# --- Quantities of a planner request -----------------------------------------------------------

SOC = Bound("state of charge", "", 0.0, 1.0, "a share of the usable battery")
LATITUDE_DEG = Bound("latitude", "deg", -90.0, 90.0, "WGS84")
LONGITUDE_DEG = Bound("longitude", "deg", -180.0, 180.0, "WGS84")
PAYLOAD_KG = Bound(
    "payload", "kg", 0.0, 80_000.0, "the largest permissible gross mass a vehicle may have"
)
CHARGING_POWER_KW = Bound(
    "charging power", "kW", 0.0, 5_000.0, "above the 3.75 MW of the MCS standard's largest inlet"
)
STOP_DURATION_MIN = Bound(
    "stop duration", "min", 0.0, 10_080.0, "one week: a truck parked over a long weekend"
)
DRIVER_TIME_MIN = Bound(
    "driver's time before the tour", "min", 0.0, 10_080.0, "one week (driver_state, extension)"
)
DRIVER_WEEK_H = Bound(
    "driver's driving in a week", "h", 0.0, 168.0, "the hours of a week (driver_state, extension)"
)
DRIVER_DAY_COUNT = Bound(
    "days or rests counted before the tour", "", 0.0, 7.0, "the days of a week (driver_state)"
)

# --- Sizes of a planner request ----------------------------------------------------------------

MAX_SECTIONS_PER_TOUR = 200
"""Legs per tour: a long delivery day has tens; each leg is routed, so this bounds the job."""
MAX_TOUR_DURATION_MIN = 20_160.0
"""14 days (EU 561/2006 limits driving per fortnight): the requested stops plus the least
driving the straight-line distances need at MAX_SPEED_KPH must fit."""
MAX_SPEED_KPH = 130.0
"""The fastest a truck may be limited to (a custom vehicle's speed_limiter_kph maximum)."""
MAX_POSITION_VALUES = 3
"""[lat, lon] and an optional third value (results carry the SoC there); more is not a position."""
MAX_ID_CHARS = 256
"""section_id and other client-chosen names."""
MAX_CLOCK_TEXT_CHARS = 64
"""start_time_tour and opening_time entries (an ISO-8601 date-time has at most ~35)."""
MAX_POLYLINE_CHARS = 400_000
"""A HERE Flexible Polyline's text (dense shapes pack 3 characters a point: MAX_POLYLINE_POINTS
bounds the points)."""
MAX_POLYLINE_POINTS = 10_000
"""Points of one polyline: each polyline is map-matched in one engine call, which neither a
cancel nor the time limit can interrupt, and whose memory grows with the points (about 10 kB
a point). On the demo region 130,000 points (which 400,000 characters can hold) took 1.4 GB and
4 s; 10,000 take about 0.1 GB and 0.3 s (0.7 s on a loaded machine), so a cancel still ends a
job within a second. A matched shape has about 25 points a km: 400 km a section; longer legs
are split into sections."""
MAX_FILTER_NAMES = 50
"""Operator names in poi_info.cpo."""
MAX_NAME_CHARS = 100
"""One operator name, vehicle model or manufacturer."""
MAX_CANDIDATE_STATIONS = 300
"""Stations per tour whose detour is routed and which the optimizer considers; beyond that the
nearest accepted ones are kept."""
HOP_MAX_ALONG_LEG_M = 10_000.0
"""Station hops (a chain: charge at A, drive straight to B, charge again) join stations whose
junctions lie at most this far apart along the leg (and see HOP_MAX_STRAIGHT_M)."""
HOP_MAX_STRAIGHT_M = 5_000.0
"""... and which lie at most this far apart as the crow flies: "nearby" in issue 21, a few
minutes of driving off the route (the median hop on the Berlin tour: 6.4 min, 5.2 km), well
under a detour to a station and back (median 19 min there). Four pairs in five are quicker as
a hop than by rejoining the route in between at any distance (the engine's path may take the
route itself), so these bounds, not that test, decide which pairs are asked; 30 km along and
20 km straight add 4 hops to that tour's 173 (HOP_MAX_PARTNERS binds first)."""
HOP_MAX_PARTNERS = 4
"""Hops from one site (one group of stations) to the nearest following sites within the bounds
above, straight line: on the Berlin tour a site has a median 9 such sites (21 without its 150 kW
filter), and the nearest make the chains."""
MAX_STATION_HOPS = 2 * MAX_CANDIDATE_STATIONS
"""Station hops per tour, those saving the most time over rejoining the route kept: each is a
way the optimizer's search may go, so at most two per candidate (the Berlin tour has 1.1 per
candidate with its 150 kW filter and 1.3 without one)."""

# --- Station imports (POST /stations/import) ---------------------------------------------------

MAX_CSV_LINE_CHARS = 10_000
"""One CSV line, the header included: an overlay row has ~20 short columns."""
MAX_POWER_CURVE_POINTS = 32
"""Breakpoints of a station's power curve: a measured taper needs about ten; every point is a
piece of each charge table the optimizer lays out for the station."""
POWER_CURVE_KW = Bound(
    "power of a station's power curve",
    "kW",
    1.0,
    5_000.0,
    "not 0: the optimizer cannot plan a session that starts where no power flows; a charger "
    "that stops at some SoC tapers to 1 kW there, which charges nothing within a tour",
)

# --- Dates -------------------------------------------------------------------------------------

EARLIEST_START = datetime(2000, 1, 1, tzinfo=UTC)
"""start_time_tour may lie in the past (re-planning a driven tour), but not before this."""
PLANNING_HORIZON_DAYS = 5 * 366
"""start_time_tour at most this far ahead: tariffs and exemptions are known about that far."""


def latest_start(now: datetime) -> datetime:
    """The latest start_time_tour accepted when the request arrives at now."""
    return now + timedelta(days=PLANNING_HORIZON_DAYS)


# --- Vehicle figures (POST/PUT /vehicles), published as the schema's bounds --------------------

BATTERY_USABLE_KWH = Bound("usable battery", "kWh", 0.0, 2_000.0, "", min_exclusive=True)
BATTERY_GROSS_KWH = Bound("installed battery", "kWh", 0.0, 2_500.0, "", min_exclusive=True)
CCS_INLET_KW = Bound("CCS inlet power", "kW", 0.0, 1_500.0, "0: no CCS inlet")
MCS_INLET_KW = Bound("MCS inlet power", "kW", 0.0, 3_750.0, "0: no MCS inlet")
CURB_MASS_KG = Bound("curb mass", "kg", 2_000.0, 40_000.0, "")
GROSS_MASS_KG = Bound("permissible gross mass", "kg", 3_500.0, 80_000.0, "")
AXLE_COUNT = Bound("axles", "", 2, 12, "")
HEIGHT_M = Bound("height", "m", 1.5, 5.0, "")
WIDTH_M = Bound("width", "m", 1.5, 3.0, "")
LENGTH_M = Bound("length", "m", 4.0, 30.0, "")
DRAG_AREA_M2 = Bound("drag area (Cd x frontal area)", "m2", 1.0, 15.0, "")
ROLLING_RESISTANCE = Bound("rolling resistance coefficient", "", 0.002, 0.02, "")
DRIVETRAIN_EFFICIENCY = Bound("drivetrain efficiency", "", 0.5, 1.0, "")
RECUPERATION_EFFICIENCY = Bound("recuperation efficiency", "", 0.0, 1.0, "")
RECUPERATION_KW = Bound("recuperation power", "kW", 0.0, 2_000.0, "")
AUXILIARY_KW = Bound("auxiliary power", "kW", 0.0, 50.0, "")
SPEED_LIMITER_KPH = Bound("speed limiter", "km/h", 30.0, MAX_SPEED_KPH, "")
CHARGING_EFFICIENCY = Bound("charging efficiency", "", 0.5, 1.0, "")
PLUG_OVERHEAD_MIN = Bound("plug-in and plug-out time", "min", 0.0, 120.0, "")
COMFORT_C = Bound("cabin comfort temperature", "C", -30.0, 40.0, "")
HEATING_KW_PER_K = Bound("heating power per kelvin", "kW/K", 0.0, 5.0, "")
COOLING_KW_PER_K = Bound("cooling power per kelvin", "kW/K", 0.0, 5.0, "")
