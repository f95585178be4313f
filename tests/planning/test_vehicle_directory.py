"""Custom vehicles in the job database, and the directory that resolves a tenant's vehicle IDs."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy.orm import Session, sessionmaker

from voltroute.planning.tour_request import SectionSpec, tour_request_from_json
from voltroute.planning.vehicle_directory import VehicleDirectory, payload_problems
from voltroute.tenancy.custom_vehicles import CustomVehicleStore
from voltroute.tenancy.tenants import Principal
from voltroute.vehicles import DEFAULT_VEHICLE_ID, Catalogue, UnknownVehicleError, Vehicle
from voltroute.vehicles.vehicle_id import MalformedVehicleIdError, parse_vehicle_id

BASE = Catalogue().get(DEFAULT_VEHICLE_ID)
MINE = dataclasses.replace(BASE, vehicle_id="ignored", model="Reefer 500", battery_usable_kwh=500.0)


@pytest.fixture
def custom(sessions: sessionmaker[Session]) -> CustomVehicleStore:
    return CustomVehicleStore(sessions)


@pytest.fixture
def vehicles(custom: CustomVehicleStore) -> VehicleDirectory:
    return VehicleDirectory(Catalogue(), custom)


def test_a_created_vehicle_gets_a_custom_id_encoding_its_figures(
    custom: CustomVehicleStore, acme: Principal
) -> None:
    stored = custom.create(acme.tenant_id, MINE)
    assert stored.vehicle_id == "900150700001"
    code = parse_vehicle_id(stored.vehicle_id)
    assert code.is_custom
    assert custom.list(acme.tenant_id) == [stored]
    second = custom.create(acme.tenant_id, MINE)
    assert second.vehicle_id == "900250700001"


def test_tenants_number_their_vehicles_independently_and_never_see_each_other(
    vehicles: VehicleDirectory, custom: CustomVehicleStore, acme: Principal, globex: Principal
) -> None:
    ours = custom.create(acme.tenant_id, MINE)
    theirs = custom.create(globex.tenant_id, dataclasses.replace(MINE, model="Other"))
    assert ours.vehicle_id == theirs.vehicle_id  # same slot, different tenants
    assert vehicles.get(ours.vehicle_id, acme.tenant_id).model == "Reefer 500"
    assert vehicles.get(ours.vehicle_id, globex.tenant_id).model == "Other"
    assert custom.delete(globex.tenant_id, 0)
    with pytest.raises(UnknownVehicleError):
        vehicles.get(ours.vehicle_id, globex.tenant_id)
    with pytest.raises(UnknownVehicleError):
        vehicles.get(ours.vehicle_id, None)


def test_replacing_a_vehicle_keeps_its_slot_and_recodes_its_figures(
    vehicles: VehicleDirectory, custom: CustomVehicleStore, acme: Principal
) -> None:
    old = custom.create(acme.tenant_id, MINE)
    new = custom.replace(acme.tenant_id, 0, dataclasses.replace(MINE, battery_usable_kwh=300.0))
    assert new is not None
    assert new.vehicle_id == "900130700001"
    assert vehicles.get(new.vehicle_id, acme.tenant_id) == new
    # The old ID still names the vehicle, with its own battery digits, like any decoded ID.
    assert vehicles.get(old.vehicle_id, acme.tenant_id).battery_usable_kwh == 500.0
    assert custom.replace(acme.tenant_id, 5, MINE) is None
    assert not custom.delete(acme.tenant_id, 5)


def test_the_directory_prefers_the_catalogue_then_decodes(
    vehicles: VehicleDirectory, acme: Principal
) -> None:
    assert vehicles.get(DEFAULT_VEHICLE_ID, acme.tenant_id) == BASE
    assert vehicles.get("010150400001", acme.tenant_id).battery_usable_kwh == 500.0
    with pytest.raises(MalformedVehicleIdError, match="inlet position"):
        vehicles.get("010150400009", acme.tenant_id)
    with pytest.raises(UnknownVehicleError, match="manufacturer code 42"):
        vehicles.get("420150400001", acme.tenant_id)


def _section(payload_kg: float) -> SectionSpec:
    return SectionSpec(None, None, None, "poly", payload_kg, 0.0, 0.0, None)


def test_a_payload_above_the_permissible_gross_mass_is_named_by_section() -> None:
    vehicle: Vehicle = BASE
    capacity_kg = vehicle.max_gross_mass_kg - vehicle.curb_mass_kg
    problems = payload_problems([_section(capacity_kg), _section(capacity_kg + 1)], vehicle)
    assert [loc for loc, _ in problems] == [("section_list", 1, "payload_kg")]
    assert f"{capacity_kg:.0f} kg" in problems[0][1]


def test_a_job_stored_before_tenants_were_recorded_still_loads() -> None:
    stored = {
        "vehicle_id": DEFAULT_VEHICLE_ID,
        "battery_level_start": 0.9,
        "battery_level_end": 0.2,
        "sections": [],
        "service_time_departure_min": 0.0,
        "start_time": None,
        "corridor_m": 8000,
        "min_charge_duration_min": 0,
        "include_available_charging_stations": False,
        "poi_info": None,
    }
    assert tour_request_from_json(stored).tenant_id is None
