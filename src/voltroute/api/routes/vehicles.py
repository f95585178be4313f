"""Vehicle endpoints (extension): a tenant's custom vehicles and read-only catalogue lookups."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import HTTPException, Path, Query, Response, status
from fastapi.exceptions import RequestValidationError

from voltroute.api.deps import BackendDep, PrincipalDep, rate_limited_router
from voltroute.api.openapi import AUTH_OPENAPI_EXTRA
from voltroute.api.schemas.vehicles import ModelInfo, OemInfo, VehicleInfo, VehicleParameters
from voltroute.composition import Backend
from voltroute.tenancy.custom_vehicles import CustomVehicleLimitError, slot_of
from voltroute.vehicles import UnknownVehicleError, Vehicle
from voltroute.vehicles.catalogue import catalogue_data, parse_code
from voltroute.vehicles.vehicle_id import (
    MANUFACTURERS,
    MalformedVehicleIdError,
    Manufacturer,
    parse_vehicle_id,
)

VEHICLES_TAG = "vehicles"
PLACEHOLDER_ID = "000000000000"  # replaced by the store's allocated ID

router = rate_limited_router(VEHICLES_TAG)

VehicleIdPath = Annotated[str, Path(description="12-digit vehicle ID", min_length=1, max_length=40)]


def _malformed(error: MalformedVehicleIdError, where: str) -> RequestValidationError:
    return RequestValidationError(
        [{"loc": (where, "vehicle_id"), "msg": str(error), "type": "value_error", "input": None}]
    )


def _vehicle_of(body: VehicleParameters) -> Vehicle:
    """The vehicle the body describes; figures that contradict each other are a 422."""
    try:
        return body.to_vehicle(PLACEHOLDER_ID)
    except ValueError as error:  # the Vehicle checks invariants across fields
        raise RequestValidationError(
            [{"loc": ("body",), "msg": str(error), "type": "value_error", "input": None}]
        ) from None


def _custom_slot(vehicle_id: str) -> int:
    """The custom slot a path ID names; 422 when malformed, 404 when not a custom vehicle ID."""
    try:
        code = parse_vehicle_id(vehicle_id)
    except MalformedVehicleIdError as error:
        raise _malformed(error, "path") from None
    slot = slot_of(code)
    if slot is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=f"{vehicle_id} is not a custom vehicle ID (custom IDs start with 90..99).",
        )
    return slot


def _not_found(vehicle_id: str) -> HTTPException:
    return HTTPException(
        status.HTTP_404_NOT_FOUND, detail=f"No custom vehicle {vehicle_id} in this tenant."
    )


@router.post(
    "/vehicles",
    summary="Create a custom vehicle",
    status_code=status.HTTP_201_CREATED,
    response_model=VehicleInfo,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def create_vehicle(
    body: VehicleParameters, principal: PrincipalDep, backend: BackendDep
) -> VehicleInfo:
    """Store a custom vehicle; its vehicle_id works in this tenant's planner requests."""
    try:
        stored = backend.custom_vehicles.create(principal.tenant_id, _vehicle_of(body))
    except CustomVehicleLimitError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(error)) from None
    return VehicleInfo.of(stored, "custom")


@router.get(
    "/vehicles",
    summary="List the tenant's custom vehicles",
    response_model=list[VehicleInfo],
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def list_vehicles(principal: PrincipalDep, backend: BackendDep) -> list[VehicleInfo]:
    """The tenant's custom vehicles."""
    return [VehicleInfo.of(v, "custom") for v in backend.custom_vehicles.list(principal.tenant_id)]


@router.get(
    "/vehicles/info/oems",
    summary="Manufacturer codes",
    response_model=list[OemInfo],
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def list_oems(principal: PrincipalDep, backend: BackendDep) -> list[OemInfo]:
    """Every manufacturer code with the number of its catalogue vehicles."""
    counts = _catalogue_by_manufacturer(backend)
    return [
        OemInfo(
            code=f"{m.code:02d}",
            name=m.name,
            code_published=m.published,
            model_count=len(counts.get(m.code, [])),
        )
        for m in MANUFACTURERS.values()
    ]


@router.get(
    "/vehicles/info/models",
    summary="Catalogue vehicles of a manufacturer",
    response_model=list[ModelInfo],
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def list_models(
    principal: PrincipalDep,
    backend: BackendDep,
    oem: Annotated[
        str | None,
        Query(max_length=100, description="manufacturer code (01) or name (case-insensitive)"),
    ] = None,
) -> list[ModelInfo]:
    """Catalogue vehicles, all or one manufacturer's; 404 for an unknown manufacturer."""
    by_maker = _catalogue_by_manufacturer(backend)
    if oem is None:
        makers = list(MANUFACTURERS.values())
    else:
        maker = _find_manufacturer(oem)
        if maker is None:
            known = ", ".join(f"{m.code:02d} {m.name}" for m in MANUFACTURERS.values())
            raise HTTPException(
                status.HTTP_404_NOT_FOUND, detail=f"Unknown manufacturer {oem!r} (known: {known})."
            )
        makers = [maker]
    return [_model_info(v) for m in makers for v in by_maker.get(m.code, [])]


@router.get(
    "/vehicles/info/{vehicle_id}",
    summary="Any vehicle by its ID",
    response_model=VehicleInfo,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def vehicle_info(
    vehicle_id: VehicleIdPath, principal: PrincipalDep, backend: BackendDep
) -> VehicleInfo:
    """A catalogue vehicle (with sources), this tenant's custom vehicle, or a decoded ID."""
    try:
        vehicle = backend.vehicles.get(vehicle_id, principal.tenant_id)
    except MalformedVehicleIdError as error:
        raise _malformed(error, "path") from None
    except UnknownVehicleError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(error)) from None
    if vehicle_id in backend.catalogue:
        return VehicleInfo.of(vehicle, "catalogue", _figure_sources(vehicle_id))
    code = parse_code(vehicle_id)
    origin: Literal["custom", "decoded"] = (
        "custom" if code is not None and code.is_custom else "decoded"
    )
    return VehicleInfo.of(vehicle, origin)


@router.get(
    "/vehicles/{vehicle_id}",
    summary="A custom vehicle",
    response_model=VehicleInfo,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def get_vehicle(
    vehicle_id: VehicleIdPath, principal: PrincipalDep, backend: BackendDep
) -> VehicleInfo:
    """The tenant's custom vehicle; 404 for anything else (other tenants' included)."""
    vehicle = backend.custom_vehicles.get(principal.tenant_id, _custom_slot(vehicle_id))
    if vehicle is None:
        raise _not_found(vehicle_id)
    return VehicleInfo.of(vehicle, "custom")


@router.put(
    "/vehicles/{vehicle_id}",
    summary="Replace a custom vehicle",
    response_model=VehicleInfo,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def replace_vehicle(
    vehicle_id: VehicleIdPath,
    body: VehicleParameters,
    principal: PrincipalDep,
    backend: BackendDep,
) -> VehicleInfo:
    """Replace every figure; the ID's figure digits follow, its first four digits stay."""
    slot = _custom_slot(vehicle_id)
    stored = backend.custom_vehicles.replace(principal.tenant_id, slot, _vehicle_of(body))
    if stored is None:
        raise _not_found(vehicle_id)
    return VehicleInfo.of(stored, "custom")


@router.delete(
    "/vehicles/{vehicle_id}",
    summary="Delete a custom vehicle",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    openapi_extra=AUTH_OPENAPI_EXTRA,
)
def delete_vehicle(vehicle_id: VehicleIdPath, principal: PrincipalDep, backend: BackendDep) -> None:
    """Delete the tenant's custom vehicle (jobs already queued with it then fail)."""
    if not backend.custom_vehicles.delete(principal.tenant_id, _custom_slot(vehicle_id)):
        raise _not_found(vehicle_id)


def _catalogue_by_manufacturer(backend: Backend) -> dict[int, list[Vehicle]]:
    grouped: dict[int, list[Vehicle]] = {}
    for vehicle in backend.catalogue:
        code = parse_code(vehicle.vehicle_id)
        if code is not None:
            grouped.setdefault(code.manufacturer_code, []).append(vehicle)
    return grouped


def _find_manufacturer(oem: str) -> Manufacturer | None:
    text = oem.strip()
    if text.isdigit():
        return MANUFACTURERS.get(int(text))
    matches = [m for m in MANUFACTURERS.values() if text.lower() in m.name.lower()]
    return matches[0] if len(matches) == 1 else None


def _model_info(vehicle: Vehicle) -> ModelInfo:
    code = parse_vehicle_id(vehicle.vehicle_id)
    return ModelInfo(
        vehicle_id=vehicle.vehicle_id,
        manufacturer_code=f"{code.manufacturer_code:02d}",
        model_code=f"{code.model_code:02d}",
        manufacturer=vehicle.manufacturer,
        model=vehicle.model,
        battery_usable_kwh=vehicle.battery_usable_kwh,
        ccs_max_kw=vehicle.ccs_max_kw,
        mcs_max_kw=vehicle.mcs_max_kw,
        inlet_side=vehicle.inlet_side,
    )


def _figure_sources(vehicle_id: str) -> dict[str, dict[str, Any]]:
    data = catalogue_data()
    sources = data["sources"]
    entry = next(e for e in data["vehicles"] if e["vehicle_id"] == vehicle_id)
    return {
        name: {
            "source": figure["source"],
            "title": sources[figure["source"]]["title"],
            "url": sources[figure["source"]]["url"],
            "date": figure["date"],
            "note": figure.get("note", ""),
        }
        for name, figure in entry["figures"].items()
    }
