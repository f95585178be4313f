"""Tolls: dated tariffs per toll system (data files), tolled edges, cost per section and system."""

from voltroute.tolls.country import TimeZoneLookup, country_at, country_of_time_zone
from voltroute.tolls.rates import TollComponent, VehicleRate, cost_cents, vehicle_rate
from voltroute.tolls.section_tolls import (
    SectionTolls,
    SystemToll,
    TollTotal,
    TourTolls,
    section_tolls,
    tour_tolls,
)
from voltroute.tolls.tariff import (
    Exemption,
    ExemptSection,
    Tariff,
    TariffFileError,
    WeightClass,
    find_tariff,
    packaged_tariffs,
    tariff_from_json,
)
from voltroute.tolls.toll_vehicle import (
    DEFAULT_AXLE_COUNT,
    DEFAULT_GROSS_MASS_KG,
    EuroClass,
    TollVehicle,
    diesel_equivalent,
    toll_vehicle,
)
from voltroute.tolls.tolled_roads import TollEdge, TollLeg, edge_countries, is_tolled

__all__ = [
    "DEFAULT_AXLE_COUNT",
    "DEFAULT_GROSS_MASS_KG",
    "EuroClass",
    "ExemptSection",
    "Exemption",
    "SectionTolls",
    "SystemToll",
    "Tariff",
    "TariffFileError",
    "TimeZoneLookup",
    "TollComponent",
    "TollEdge",
    "TollLeg",
    "TollTotal",
    "TollVehicle",
    "TourTolls",
    "VehicleRate",
    "WeightClass",
    "cost_cents",
    "country_at",
    "country_of_time_zone",
    "diesel_equivalent",
    "edge_countries",
    "find_tariff",
    "is_tolled",
    "packaged_tariffs",
    "section_tolls",
    "tariff_from_json",
    "toll_vehicle",
    "tour_tolls",
    "vehicle_rate",
]
