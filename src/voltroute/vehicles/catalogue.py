"""The vehicle catalogue: vehicles by their contract vehicle_id, loaded from a packaged data file.

data/catalogue.json holds one entry per vehicle; each figure is {"value", "source", "date",
"note"}, where source is a key of the file's "sources" table, so every number can be traced.
A well-formed ID that is not in the catalogue resolves to a vehicle built from the ID's figures
on the defaults of the same model (or else the same manufacturer).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields, replace
from functools import cache
from importlib import resources
from typing import Any

from voltroute.vehicles.vehicle import ChargingCurve, InletSide, Vehicle
from voltroute.vehicles.vehicle_id import MANUFACTURERS, VehicleCode, parse_vehicle_id

DEFAULT_VEHICLE_ID = "010160700001"
CATALOGUE_RESOURCE = "data/catalogue.json"
CATALOGUE_FORMAT = "voltroute-vehicle-catalogue/1"
# Battery pack mass per installed kWh, for IDs whose battery differs from the model's: MAN's
# packs weigh about 800 kg for 89 kWh gross (three packs fewer save 2.4 t).
PACK_MASS_KG_PER_KWH = 9.0

_VEHICLE_FIELDS = {f.name for f in fields(Vehicle)}


class UnknownVehicleError(LookupError):
    """The requested vehicle_id is not in the catalogue."""

    def __init__(self, vehicle_id: str, known_ids: Iterable[str] = (), reason: str = "") -> None:
        self.vehicle_id = vehicle_id
        known = ", ".join(sorted(known_ids)) or "none"
        because = f": {reason}" if reason else ""
        super().__init__(f"unknown vehicle_id {vehicle_id!r}{because} (known vehicle ids: {known})")


class CatalogueFormatError(ValueError):
    """The catalogue data is malformed: missing or unknown figures, bad values or sources."""


def _figure_value(name: str, raw: Any) -> object:
    if name == "inlet_side":
        return InletSide(raw)
    if name == "charging_curve":
        return ChargingCurve(tuple((float(soc), float(kw)) for soc, kw in raw))
    if name == "axle_count":
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise CatalogueFormatError(f"axle_count must be an integer, got {raw!r}")
        return raw
    if name in {"manufacturer", "model"}:
        if not isinstance(raw, str):
            raise CatalogueFormatError(f"{name} must be a string, got {raw!r}")
        return raw
    if not isinstance(raw, int | float) or isinstance(raw, bool):
        raise CatalogueFormatError(f"{name} must be a number, got {raw!r}")
    return float(raw)


def _parse_vehicle(entry: Mapping[str, Any], sources: Mapping[str, Any]) -> Vehicle:
    vehicle_id = entry.get("vehicle_id")
    if not isinstance(vehicle_id, str):
        raise CatalogueFormatError(f"vehicle entry without a string vehicle_id: {entry!r:.80}")
    figures = entry.get("figures")
    if not isinstance(figures, Mapping):
        raise CatalogueFormatError(f"vehicle {vehicle_id}: 'figures' must be an object")
    unknown = set(figures) - _VEHICLE_FIELDS
    if unknown:
        raise CatalogueFormatError(f"vehicle {vehicle_id}: unknown figures {sorted(unknown)}")
    kwargs: dict[str, object] = {"vehicle_id": vehicle_id}
    for name, figure in figures.items():
        if not isinstance(figure, Mapping) or "value" not in figure:
            raise CatalogueFormatError(f"vehicle {vehicle_id}: figure {name} needs a 'value'")
        if figure.get("source") not in sources or not figure.get("date"):
            raise CatalogueFormatError(
                f"vehicle {vehicle_id}: figure {name} needs a known 'source' and a 'date'"
            )
        try:
            kwargs[name] = _figure_value(name, figure["value"])
        except (TypeError, ValueError) as exc:
            raise CatalogueFormatError(f"vehicle {vehicle_id}: figure {name}: {exc}") from exc
    try:
        return Vehicle(**kwargs)  # type: ignore[arg-type]  # types checked by _figure_value
    except (TypeError, ValueError) as exc:
        raise CatalogueFormatError(f"vehicle {vehicle_id}: {exc}") from exc


def parse_catalogue(data: Mapping[str, Any]) -> tuple[Vehicle, ...]:
    """Vehicles from parsed catalogue JSON; raises CatalogueFormatError when malformed."""
    if data.get("format") != CATALOGUE_FORMAT:
        raise CatalogueFormatError(
            f"expected format {CATALOGUE_FORMAT!r}, got {data.get('format')!r}"
        )
    sources = data.get("sources")
    entries = data.get("vehicles")
    if not isinstance(sources, Mapping) or not isinstance(entries, list):
        raise CatalogueFormatError("catalogue needs a 'sources' object and a 'vehicles' list")
    return tuple(_parse_vehicle(entry, sources) for entry in entries)


def catalogue_data() -> dict[str, Any]:
    """The packaged catalogue file, parsed but not converted (figures with their sources)."""
    text = resources.files("voltroute.vehicles").joinpath(CATALOGUE_RESOURCE).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def builtin_vehicles() -> tuple[Vehicle, ...]:
    """The vehicles shipped with Voltroute (read once; vehicles are immutable)."""
    return parse_catalogue(catalogue_data())


class Catalogue:
    """Vehicles by vehicle_id; without arguments, the built-in catalogue."""

    def __init__(self, vehicles: Iterable[Vehicle] | None = None) -> None:
        self._by_id: dict[str, Vehicle] = {}
        for vehicle in builtin_vehicles() if vehicles is None else vehicles:
            if vehicle.vehicle_id in self._by_id:
                raise ValueError(f"duplicate vehicle_id {vehicle.vehicle_id!r} in catalogue")
            self._by_id[vehicle.vehicle_id] = vehicle

    def get(self, vehicle_id: str) -> Vehicle:
        """The vehicle with this id; raises UnknownVehicleError if there is none."""
        try:
            return self._by_id[vehicle_id]
        except KeyError:
            raise UnknownVehicleError(vehicle_id, self._by_id) from None

    def resolve(self, vehicle_id: str) -> Vehicle:
        """The catalogue vehicle, or one decoded from a well-formed ID on its model's defaults.

        Raises MalformedVehicleIdError for a malformed ID, UnknownVehicleError when neither the
        model nor the manufacturer is known.
        """
        if vehicle_id in self._by_id:
            return self._by_id[vehicle_id]
        code = parse_vehicle_id(vehicle_id)
        return vehicle_from_code(vehicle_id, code, self.model_defaults(vehicle_id, code))

    def model_defaults(self, vehicle_id: str, code: VehicleCode) -> Vehicle:
        """The catalogue vehicle whose figures fill in what an ID does not encode.

        The same model's entry with the nearest battery, else the manufacturer's.
        """
        by_code = [(parse_code(v.vehicle_id), v) for v in self]
        same_maker = [
            (c, v) for c, v in by_code if c and c.manufacturer_code == code.manufacturer_code
        ]
        same_model = [(c, v) for c, v in same_maker if c and c.model_code == code.model_code]
        candidates = same_model or same_maker
        if not candidates:
            maker = MANUFACTURERS.get(code.manufacturer_code)
            reason = (
                f"manufacturer code {code.manufacturer_code:02d} is not known"
                if maker is None
                else f"no catalogue vehicle of {maker.name} to take defaults from"
            )
            raise UnknownVehicleError(vehicle_id, self._by_id, reason)
        return min(
            (v for _, v in candidates),
            key=lambda v: (abs(v.battery_usable_kwh - code.battery_kwh), v.vehicle_id),
        )

    def ids(self) -> list[str]:
        """All vehicle ids, sorted."""
        return sorted(self._by_id)

    def __contains__(self, vehicle_id: object) -> bool:
        return vehicle_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Vehicle]:
        return iter(self._by_id[vehicle_id] for vehicle_id in self.ids())


def parse_code(vehicle_id: str) -> VehicleCode | None:
    """The code of a 12-digit ID, None for other ids (test or legacy vehicles)."""
    try:
        return parse_vehicle_id(vehicle_id)
    except ValueError:
        return None


def vehicle_from_code(vehicle_id: str, code: VehicleCode, base: Vehicle) -> Vehicle:
    """base with the ID's battery, charging powers and inlet; what scales with the pack, scales.

    The gross/usable ratio and the charging curve's C-rate stay the model's; the curb mass
    changes by the pack mass of the capacity difference.
    """
    usable_kwh = code.battery_kwh
    ratio = usable_kwh / base.battery_usable_kwh
    installed_kwh = base.battery_installed_kwh * ratio
    curb_kg = max(
        1000.0,
        base.curb_mass_kg + (installed_kwh - base.battery_installed_kwh) * PACK_MASS_KG_PER_KWH,
    )
    curve = ChargingCurve(tuple((soc, kw * ratio) for soc, kw in base.charging_curve.points))
    return replace(
        base,
        vehicle_id=vehicle_id,
        model=f"{base.model} (decoded from the ID)",
        battery_usable_kwh=usable_kwh,
        battery_gross_kwh=None if base.battery_gross_kwh is None else installed_kwh,
        ccs_max_kw=code.ccs_kw,
        mcs_max_kw=code.mcs_kw,
        inlet_side=code.inlet_side,
        charging_curve=curve,
        curb_mass_kg=curb_kg,
        max_gross_mass_kg=max(base.max_gross_mass_kg, curb_kg),
    )
