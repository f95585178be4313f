"""Vehicles: the catalogue, the 12-digit ID codec, the energy model and charging curves."""

from voltroute.vehicles.catalogue import DEFAULT_VEHICLE_ID, Catalogue, UnknownVehicleError
from voltroute.vehicles.charging import (
    charge_time_s,
    charged_energy_kwh,
    charging_power_kw,
    grid_energy_kwh,
    soc_after_charging_s,
)
from voltroute.vehicles.energy import EdgeLike, edge_energy_kwh, leg_energy_kwh
from voltroute.vehicles.vehicle import ChargingCurve, Connector, InletSide, Vehicle

__all__ = [
    "DEFAULT_VEHICLE_ID",
    "Catalogue",
    "ChargingCurve",
    "Connector",
    "EdgeLike",
    "InletSide",
    "UnknownVehicleError",
    "Vehicle",
    "charge_time_s",
    "charged_energy_kwh",
    "charging_power_kw",
    "edge_energy_kwh",
    "grid_energy_kwh",
    "leg_energy_kwh",
    "soc_after_charging_s",
]
