"""The vehicle catalogue, its data file and the package's public names."""

from __future__ import annotations

import copy
import dataclasses
import re
from typing import Any

import pytest

import voltroute.vehicles
from voltroute.vehicles import (
    DEFAULT_VEHICLE_ID,
    Catalogue,
    Connector,
    InletSide,
    UnknownVehicleError,
    Vehicle,
)
from voltroute.vehicles.catalogue import CatalogueFormatError, catalogue_data, parse_catalogue

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")  # a year alone when the month is unknown


def test_the_default_vehicle_is_the_eactros_600() -> None:
    catalogue = Catalogue()
    assert DEFAULT_VEHICLE_ID in catalogue
    vehicle = catalogue.get(DEFAULT_VEHICLE_ID)
    assert vehicle.vehicle_id == DEFAULT_VEHICLE_ID
    assert "eActros 600" in vehicle.model
    assert vehicle.battery_usable_kwh == 600.0
    assert vehicle.inlet_max_kw(Connector.MCS) == 0.0


def test_the_default_vehicle_agrees_with_the_digits_of_its_id(eactros: Vehicle) -> None:
    # manufacturer, model, battery x10 kWh, CCS x10 kW, MCS x10 kW, MCS flag, inlet side
    digits = DEFAULT_VEHICLE_ID
    assert int(digits[4:6]) * 10 == eactros.battery_usable_kwh
    assert int(digits[6:8]) * 10 == eactros.ccs_max_kw
    assert int(digits[8:10]) * 10 == eactros.mcs_max_kw
    assert digits[10] == "0"
    assert eactros.mcs_max_kw == 0.0
    assert {"1": InletSide.RIGHT, "2": InletSide.LEFT, "3": InletSide.BOTH}[
        digits[11]
    ] is eactros.inlet_side


def test_an_unknown_vehicle_id_raises_unknown_vehicle_error_naming_the_id() -> None:
    with pytest.raises(UnknownVehicleError, match="999999999999") as caught:
        Catalogue().get("999999999999")
    assert caught.value.vehicle_id == "999999999999"
    assert DEFAULT_VEHICLE_ID in str(caught.value)  # says what would have worked
    assert isinstance(caught.value, LookupError)
    assert "999999999999" not in Catalogue()


@pytest.mark.parametrize(
    "model",
    [
        "eActros 600",
        "eActros 300",
        "eActros 400",
        "FH Electric",
        "eTGX",
        "40 R",
        "45 R",
        "XF Electric",
        "XD Electric",
        "E-Tech T",
        "S-eWay",
        "Semi",
    ],
)
def test_the_catalogue_holds_the_heavy_electric_trucks_on_the_market(model: str) -> None:
    matches = [v for v in Catalogue() if model in v.model]
    assert len(matches) == 1, model
    vehicle = matches[0]
    assert vehicle.battery_installed_kwh >= vehicle.battery_usable_kwh
    # The contract's default payload must fit every catalogue truck.
    assert vehicle.max_gross_mass_kg - vehicle.curb_mass_kg >= 19_300


def test_figures_that_were_not_published_say_so() -> None:
    for entry in catalogue_data()["vehicles"]:
        for name, figure in entry["figures"].items():
            if figure["source"] == "engineering-default" and name in {
                "battery_usable_kwh",
                "battery_gross_kwh",
                "curb_mass_kg",
                "charging_curve",
            }:
                assert "not published" in figure["note"] or "assum" in figure["note"], name


def test_every_figure_in_the_data_file_has_a_known_source_and_a_date() -> None:
    data = catalogue_data()
    sources = data["sources"]
    for key, source in sources.items():
        assert source["title"], key
        assert DATE.match(source["published"]), key
        assert source["url"] or key == "engineering-default", key
    for entry in data["vehicles"]:
        assert entry["vehicle_id_source"] in sources
        for name, figure in entry["figures"].items():
            assert figure["source"] in sources, name
            assert DATE.match(figure["date"]), name
            if figure["source"] == "engineering-default":
                assert figure.get("note"), f"engineering default {name} must say how it was chosen"


def test_every_vehicle_field_comes_from_the_data_file_not_a_code_default() -> None:
    expected = {f.name for f in dataclasses.fields(Vehicle)} - {"vehicle_id"}
    for entry in catalogue_data()["vehicles"]:
        assert set(entry["figures"]) == expected


def _data_with(change: str) -> dict[str, Any]:
    data = copy.deepcopy(catalogue_data())
    figures = data["vehicles"][0]["figures"]
    if change == "no source":
        del figures["curb_mass_kg"]["source"]
    elif change == "unknown source":
        figures["curb_mass_kg"]["source"] = "a blog somewhere"
    elif change == "missing figure":
        del figures["drag_area_m2"]
    elif change == "unknown figure":
        figures["flux_capacitor_kw"] = {
            "value": 1.21,
            "source": "engineering-default",
            "date": "1985",
        }
    elif change == "bad value":
        figures["rolling_resistance"]["value"] = "low"
    elif change == "impossible value":
        figures["drivetrain_efficiency"]["value"] = 1.3
    return data


@pytest.mark.parametrize(
    "change",
    [
        "no source",
        "unknown source",
        "missing figure",
        "unknown figure",
        "bad value",
        "impossible value",
    ],
)
def test_malformed_catalogue_data_is_rejected(change: str) -> None:
    with pytest.raises(CatalogueFormatError):
        parse_catalogue(_data_with(change))


def test_a_catalogue_rejects_duplicate_ids(eactros: Vehicle) -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Catalogue([eactros, eactros])


def test_a_catalogue_can_hold_custom_vehicles(eactros: Vehicle) -> None:
    custom = dataclasses.replace(eactros, vehicle_id="custom-1", auxiliary_kw=5.0)
    catalogue = Catalogue([eactros, custom])
    assert catalogue.ids() == [DEFAULT_VEHICLE_ID, "custom-1"]
    assert catalogue.get("custom-1").auxiliary_kw == 5.0
    assert list(catalogue) == [eactros, custom]
    assert len(catalogue) == 2


def test_the_package_exports_exactly_its_public_names() -> None:
    assert sorted(voltroute.vehicles.__all__) == [
        "Catalogue",
        "ChargingCurve",
        "Connector",
        "DEFAULT_VEHICLE_ID",
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
    for name in voltroute.vehicles.__all__:
        assert hasattr(voltroute.vehicles, name), name
