"""Which vehicle a vehicle_id means for a tenant: its custom vehicle, the catalogue, or the ID."""

from __future__ import annotations

from collections.abc import Sequence

from voltroute.planning.tour_request import SectionSpec
from voltroute.tenancy.custom_vehicles import CustomVehicleStore, slot_of
from voltroute.vehicles import Catalogue, UnknownVehicleError, Vehicle
from voltroute.vehicles.catalogue import vehicle_from_code
from voltroute.vehicles.vehicle_id import parse_vehicle_id


class VehicleDirectory:
    """Resolves vehicle IDs for planning and the vehicle endpoints."""

    def __init__(self, catalogue: Catalogue, custom: CustomVehicleStore | None = None) -> None:
        self.catalogue = catalogue
        self.custom = custom

    def get(self, vehicle_id: str, tenant_id: int | None = None) -> Vehicle:
        """The tenant's custom vehicle, else the catalogue's, else one decoded from the ID.

        Raises MalformedVehicleIdError (a ValueError naming the wrong part) for a malformed ID
        and UnknownVehicleError when nothing matches (another tenant's vehicle included).
        """
        if vehicle_id in self.catalogue:
            return self.catalogue.get(vehicle_id)
        code = parse_vehicle_id(vehicle_id)
        slot = slot_of(code)
        if slot is None:
            return self.catalogue.resolve(vehicle_id)
        vehicle = None
        if tenant_id is not None and self.custom is not None:
            vehicle = self.custom.get(tenant_id, slot)
        if vehicle is None:
            raise UnknownVehicleError(
                vehicle_id, self.catalogue.ids(), "no custom vehicle with this ID in this tenant"
            )
        # An ID written when the vehicle had other figures still names it; its digits then
        # override the stored battery and charging figures, as for any decoded ID.
        return (
            vehicle
            if vehicle.vehicle_id == vehicle_id
            else vehicle_from_code(vehicle_id, code, vehicle)
        )


def payload_problems(
    sections: Sequence[SectionSpec], vehicle: Vehicle
) -> list[tuple[tuple[str | int, ...], str]]:
    """Sections whose payload exceeds what the vehicle may carry (gross minus curb mass)."""
    capacity_kg = vehicle.max_gross_mass_kg - vehicle.curb_mass_kg
    return [
        (
            ("section_list", index, "payload_kg"),
            f"payload {section.payload_kg:.0f} kg exceeds the {capacity_kg:.0f} kg vehicle "
            f"{vehicle.vehicle_id} may carry ({vehicle.max_gross_mass_kg:.0f} kg permissible "
            f"gross mass minus {vehicle.curb_mass_kg:.0f} kg curb mass)",
        )
        for index, section in enumerate(sections)
        if section.payload_kg > capacity_kg
    ]
