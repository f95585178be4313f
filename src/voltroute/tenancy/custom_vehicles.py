"""Tenants' custom vehicles in the job database, each under a 12-digit ID of its own.

A custom vehicle holds a slot 0..989 per tenant; the slot picks the ID's manufacturer code
(90..99) and model code (01..99), and the rest of the ID encodes the vehicle's current figures.
So two tenants may hold the same ID, each meaning their own vehicle.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from voltroute.db.json_codec import JsonCodec
from voltroute.db.models import CustomVehicle, utcnow
from voltroute.db.session_store import SessionStore
from voltroute.tenancy.tenant_rows import TenantKeyedRows
from voltroute.vehicles import Vehicle
from voltroute.vehicles.vehicle_id import (
    CUSTOM_MANUFACTURER_CODES,
    CUSTOM_MODEL_CODES,
    VehicleCode,
    encode_vehicle,
    format_vehicle_id,
)

SLOTS = len(CUSTOM_MANUFACTURER_CODES) * len(CUSTOM_MODEL_CODES)
_ALLOCATION_ATTEMPTS = 5  # a concurrent create may take the slot we picked; then pick again

_VEHICLE = JsonCodec(Vehicle)
_BY_SLOT = TenantKeyedRows(CustomVehicle, CustomVehicle.tenant_id, CustomVehicle.slot)


class CustomVehicleLimitError(RuntimeError):
    """The tenant already has every custom vehicle slot in use."""


def slot_of(code: VehicleCode) -> int | None:
    """The custom slot a code names, None when it is not a custom vehicle's code."""
    if not code.is_custom or code.model_code not in CUSTOM_MODEL_CODES:
        return None
    return (code.manufacturer_code - CUSTOM_MANUFACTURER_CODES.start) * len(CUSTOM_MODEL_CODES) + (
        code.model_code - CUSTOM_MODEL_CODES.start
    )


def custom_vehicle_id(slot: int, vehicle: Vehicle) -> str:
    """The ID of a custom vehicle in slot with these figures."""
    manufacturer, model = divmod(slot, len(CUSTOM_MODEL_CODES))
    code = encode_vehicle(
        vehicle,
        CUSTOM_MANUFACTURER_CODES.start + manufacturer,
        CUSTOM_MODEL_CODES.start + model,
    )
    return format_vehicle_id(code)


class CustomVehicleStore(SessionStore):
    """Create, read, replace and delete a tenant's custom vehicles."""

    def create(self, tenant_id: int, vehicle: Vehicle) -> Vehicle:
        """Store a vehicle in the tenant's first free slot; returns it with its new ID."""
        for _ in range(_ALLOCATION_ATTEMPTS):
            with self._sessions() as session:
                used = set(
                    session.scalars(
                        select(CustomVehicle.slot).where(CustomVehicle.tenant_id == tenant_id)
                    )
                )
            slot = next((s for s in range(SLOTS) if s not in used), None)
            if slot is None:
                raise CustomVehicleLimitError(
                    f"a tenant can hold at most {SLOTS} custom vehicles; delete one first"
                )
            stored = dataclasses.replace(vehicle, vehicle_id=custom_vehicle_id(slot, vehicle))
            now = utcnow()
            try:
                with self._sessions.begin() as session:
                    session.add(
                        CustomVehicle(
                            tenant_id=tenant_id,
                            slot=slot,
                            vehicle_id=stored.vehicle_id,
                            parameters=_VEHICLE.dump(stored),
                            created_at=now,
                            updated_at=now,
                        )
                    )
            except IntegrityError:
                continue
            return stored
        raise CustomVehicleLimitError("could not allocate a custom vehicle ID; try again")

    def list(self, tenant_id: int) -> list[Vehicle]:
        """The tenant's custom vehicles in slot order."""
        with self._sessions() as session:
            rows = _BY_SLOT.in_key_order(session, tenant_id)
            return [_VEHICLE.load(row.parameters) for row in rows]

    def get(self, tenant_id: int, slot: int) -> Vehicle | None:
        """The tenant's vehicle in slot, None if there is none."""
        with self._sessions() as session:
            row = _BY_SLOT.row(session, tenant_id, slot)
            return None if row is None else _VEHICLE.load(row.parameters)

    def replace(self, tenant_id: int, slot: int, vehicle: Vehicle) -> Vehicle | None:
        """Replace the vehicle in slot (its ID follows the new figures); None if there is none."""
        stored = dataclasses.replace(vehicle, vehicle_id=custom_vehicle_id(slot, vehicle))
        with self._sessions.begin() as session:
            row = _BY_SLOT.row(session, tenant_id, slot)
            if row is None:
                return None
            row.vehicle_id = stored.vehicle_id
            row.parameters = _VEHICLE.dump(stored)
            row.updated_at = utcnow()
        return stored

    def delete(self, tenant_id: int, slot: int) -> bool:
        """Delete the vehicle in slot; False if there was none."""
        return _BY_SLOT.delete(self._sessions, tenant_id, slot)
