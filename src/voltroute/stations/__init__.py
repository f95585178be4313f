"""Stations: the model, importers (BNetzA, OCPI 2.2.1, OSM, overlay), registry, corridor search,
detours and drives between nearby stations."""

from voltroute.stations.corridor import CorridorHit, StationIndex, corridor_search
from voltroute.stations.detour import Detour, DetourCache, DetourCalculator, DetourRequest
from voltroute.stations.filters import StationFilter, inlet_suits
from voltroute.stations.grouping import GroupInfo, group_stations
from voltroute.stations.hops import HopCalculator, HopEnd, StationDrive, nearby_pairs
from voltroute.stations.hours import is_open, open_intervals, time_zone_at
from voltroute.stations.importing import (
    ImportFileError,
    ImportResult,
    ParsedStations,
    RejectedRow,
    RowError,
)
from voltroute.stations.model import (
    ChargePoint,
    ConnectorType,
    CurrentType,
    InletSide,
    Station,
    StationSource,
    TruckAccess,
)
from voltroute.stations.registry import (
    STATIONS_FILE,
    StationRegistry,
    station_from_json,
    station_to_json,
)
from voltroute.stations.sources import ImportFormat, import_file, scenario_overlay
from voltroute.stations.station_catalogue import StationCatalogue, StationHit

__all__ = [
    "STATIONS_FILE",
    "ChargePoint",
    "ConnectorType",
    "CorridorHit",
    "CurrentType",
    "Detour",
    "DetourCache",
    "DetourCalculator",
    "DetourRequest",
    "GroupInfo",
    "HopCalculator",
    "HopEnd",
    "ImportFileError",
    "ImportFormat",
    "ImportResult",
    "InletSide",
    "ParsedStations",
    "RejectedRow",
    "RowError",
    "Station",
    "StationCatalogue",
    "StationDrive",
    "StationFilter",
    "StationHit",
    "StationIndex",
    "StationRegistry",
    "StationSource",
    "TruckAccess",
    "corridor_search",
    "group_stations",
    "import_file",
    "inlet_suits",
    "is_open",
    "nearby_pairs",
    "open_intervals",
    "scenario_overlay",
    "station_from_json",
    "station_to_json",
    "time_zone_at",
]
