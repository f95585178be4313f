"""The tolls package's public names are exactly its __all__, and all of them resolve."""

from __future__ import annotations

import voltroute.tolls as tolls

PUBLIC = {
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
}


def test_all_lists_the_public_names() -> None:
    assert set(tolls.__all__) == PUBLIC


def test_every_public_name_resolves() -> None:
    for name in tolls.__all__:
        assert getattr(tolls, name) is not None
