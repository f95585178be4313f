"""The routed leg: geometry with elevation, per-edge attributes and manoeuvres."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TruckProfile:
    """What the routing engine needs to know about the truck (Valhalla truck costing)."""

    gross_mass_kg: float
    axle_count: int = 5
    height_m: float = 4.0
    width_m: float = 2.55
    length_m: float = 16.5
    axle_load_kg: float | None = None
    top_speed_kph: float = 85.0  # usual truck cruise (limit 80, limiter 90); Valhalla's default 120
    hazmat: bool = False


@dataclass(frozen=True, slots=True)
class ShapePoint:
    """A point of the leg's geometry; elevation in metres above sea level."""

    lat: float
    lon: float
    elevation_m: float


@dataclass(frozen=True, slots=True)
class Edge:
    """One graph edge of a leg, as Valhalla's trace_attributes reports it."""

    length_m: float
    duration_s: float
    speed_kph: float
    # motorway, trunk, primary, secondary, tertiary, unclassified, residential, service_other
    road_class: str
    elevation_start_m: float
    elevation_end_m: float
    names: tuple[str, ...]  # street names
    refs: tuple[str, ...]  # road numbers such as "A 5", "B 37", "L 543"
    toll: bool  # Valhalla's toll flag (OSM toll=yes); German truck toll is classified in tolls/
    way_id: int
    country_code: str | None
    begin_shape_index: int
    end_shape_index: int
    use: str = "road"

    @property
    def grade_pct(self) -> float:
        """Mean grade over the edge in percent (positive uphill)."""
        if self.length_m <= 0:
            return 0.0
        return 100.0 * (self.elevation_end_m - self.elevation_start_m) / self.length_m


@dataclass(frozen=True, slots=True)
class Maneuver:
    """A turn-by-turn instruction from Valhalla's narrative (odin)."""

    type: int  # Valhalla maneuver type number
    instruction: str
    length_m: float
    duration_s: float
    begin_shape_index: int
    end_shape_index: int
    street_names: tuple[str, ...] = ()
    bearing_before: int | None = None
    bearing_after: int | None = None
    roundabout_exit_count: int | None = None
    exit_numbers: tuple[str, ...] = ()
    exit_branches: tuple[str, ...] = ()  # roads the exit leads to, e.g. "A 5"
    exit_towards: tuple[str, ...] = ()  # destinations on the sign, e.g. "Karlsruhe"


@dataclass(frozen=True, slots=True)
class TravelCost:
    """Length and time of the fastest truck path between two points (one matrix cell)."""

    length_m: float
    duration_s: float


@dataclass(frozen=True, slots=True)
class RouteLeg:
    """A routed leg between two stops."""

    shape: tuple[ShapePoint, ...]
    edges: tuple[Edge, ...]
    maneuvers: tuple[Maneuver, ...]
    length_m: float
    duration_s: float

    # The leg in HERE's formats, derived when asked (the result writes them at the API edge,
    # `api/result_shapes.py`); nothing encoded is kept with the leg.
    @property
    def polyline(self) -> str:
        """The shape as a 3D HERE Flexible Polyline (elevation in metres); empty without one."""
        from voltroute.routing.flexpolyline import encode_shape  # imports this module

        return encode_shape(self.shape) if self.shape else ""

    @property
    def here_actions(self) -> tuple[dict[str, object], ...]:
        """The manoeuvres as HERE turn-by-turn actions, offsets into the polyline's points."""
        from voltroute.routing.here_actions import here_actions  # imports this module

        return here_actions(self.maneuvers, len(self.shape))
