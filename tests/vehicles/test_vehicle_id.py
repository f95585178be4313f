"""The 12-digit vehicle ID codec and decoding unknown IDs on their model's defaults."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voltroute.vehicles import Catalogue, InletSide, UnknownVehicleError
from voltroute.vehicles.vehicle_id import (
    MANUFACTURERS,
    MalformedVehicleIdError,
    VehicleCode,
    encode_vehicle,
    format_vehicle_id,
    parse_vehicle_id,
)


@st.composite
def codes(draw: st.DrawFn) -> VehicleCode:
    mcs = draw(st.booleans())
    ccs = draw(st.integers(0 if mcs else 1, 99))
    return VehicleCode(
        manufacturer_code=draw(st.integers(1, 99)),
        model_code=draw(st.integers(1, 99)),
        battery_tens_kwh=draw(st.integers(1, 99)),
        ccs_tens_kw=ccs,
        mcs_tens_kw=draw(st.integers(1, 99)) if mcs else 0,
        mcs=mcs,
        inlet_side=draw(st.sampled_from(list(InletSide))),
    )


@given(codes())
def test_formatting_then_parsing_gives_the_code_back(code: VehicleCode) -> None:
    text = format_vehicle_id(code)
    assert len(text) == 12
    assert text.isdigit()
    assert parse_vehicle_id(text) == code


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_id_that_parses_formats_back_to_itself(text: str) -> None:
    try:
        code = parse_vehicle_id(text)
    except MalformedVehicleIdError:
        return
    assert format_vehicle_id(code) == text


def test_the_contract_example_decodes_as_published() -> None:
    code = parse_vehicle_id("010160700001")
    assert (code.manufacturer_code, code.model_code) == (1, 1)
    assert (code.battery_kwh, code.ccs_kw, code.mcs_kw) == (600.0, 700.0, 0.0)
    assert code.mcs is False
    assert code.inlet_side is InletSide.RIGHT


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("01016070000", "length"),
        ("0101607000011", "length"),
        ("01016070000a", "digits"),
        ("０10160700001", "digits"),
        ("000160700001", "manufacturer code"),
        ("010060700001", "model code"),
        ("010100700001", "battery capacity"),
        ("010160700021", "MCS flag"),
        ("010160705001", "MCS flag"),
        ("010160700011", "MCS power"),
        ("010160000001", "CCS power"),
        ("010160700004", "inlet position"),
        ("010160700000", "inlet position"),
    ],
)
def test_a_malformed_id_is_rejected_naming_the_wrong_part(text: str, part: str) -> None:
    with pytest.raises(MalformedVehicleIdError) as caught:
        parse_vehicle_id(text)
    assert caught.value.part == part
    assert part in str(caught.value)
    assert text in str(caught.value)


def test_published_manufacturer_codes_are_the_contracts_and_tesla_is_ours() -> None:
    published = {code for code, maker in MANUFACTURERS.items() if maker.published}
    assert published == {1, 2, 3, 5, 6, 7, 8}
    tesla = [maker for maker in MANUFACTURERS.values() if maker.name == "Tesla"]
    assert len(tesla) == 1
    assert tesla[0].published is False


def test_every_catalogue_id_encodes_its_vehicles_figures() -> None:
    for vehicle in Catalogue():
        code = parse_vehicle_id(vehicle.vehicle_id)
        assert code.manufacturer_code in MANUFACTURERS
        encoded = encode_vehicle(vehicle, code.manufacturer_code, code.model_code)
        assert format_vehicle_id(encoded) == vehicle.vehicle_id, vehicle.model


def test_an_unknown_well_formed_id_is_its_model_with_the_ids_figures() -> None:
    catalogue = Catalogue()
    base = catalogue.get("010160700001")
    vehicle = catalogue.resolve("010150400002")
    assert vehicle.vehicle_id == "010150400002"
    assert (vehicle.battery_usable_kwh, vehicle.ccs_max_kw, vehicle.mcs_max_kw) == (500, 400, 0)
    assert vehicle.inlet_side is InletSide.LEFT
    # What the ID does not encode is the model's; what scales with the pack, scales.
    assert vehicle.drag_area_m2 == base.drag_area_m2
    assert vehicle.curb_mass_kg < base.curb_mass_kg
    assert vehicle.charging_curve.power_kw(0.5) == pytest.approx(
        base.charging_curve.power_kw(0.5) * 500 / 600
    )


def test_an_unknown_model_takes_its_manufacturers_defaults() -> None:
    vehicle = Catalogue().resolve("054160380001")  # Scania model 41 does not exist
    assert vehicle.manufacturer == "Scania"
    assert vehicle.battery_usable_kwh == 600.0


def test_an_unknown_manufacturer_is_an_unknown_vehicle_naming_the_code() -> None:
    with pytest.raises(UnknownVehicleError, match="manufacturer code 04"):
        Catalogue().resolve("040160700001")


def test_a_custom_vehicle_code_is_unknown_to_the_catalogue() -> None:
    with pytest.raises(UnknownVehicleError):
        Catalogue().resolve("900160700001")
