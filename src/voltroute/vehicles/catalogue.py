"""The vehicle catalogue: vehicles by their contract vehicle_id, loaded from a packaged data file.

data/catalogue.json holds one entry per vehicle; each figure is {"value", "source", "date",
"note"}, where source is a key of the file's "sources" table, so every number can be traced.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields
from functools import cache
from importlib import resources
from typing import Any

from voltroute.vehicles.vehicle import ChargingCurve, InletSide, Vehicle

DEFAULT_VEHICLE_ID = "010160700001"
CATALOGUE_RESOURCE = "data/catalogue.json"
CATALOGUE_FORMAT = "voltroute-vehicle-catalogue/1"

_VEHICLE_FIELDS = {f.name for f in fields(Vehicle)}


class UnknownVehicleError(LookupError):
    """The requested vehicle_id is not in the catalogue."""

    def __init__(self, vehicle_id: str, known_ids: Iterable[str] = ()) -> None:
        self.vehicle_id = vehicle_id
        known = ", ".join(sorted(known_ids)) or "none"
        super().__init__(f"unknown vehicle_id {vehicle_id!r} (known vehicle ids: {known})")


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

    def ids(self) -> list[str]:
        """All vehicle ids, sorted."""
        return sorted(self._by_id)

    def __contains__(self, vehicle_id: object) -> bool:
        return vehicle_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Vehicle]:
        return iter(self._by_id[vehicle_id] for vehicle_id in self.ids())
