"""The contract's 12-digit vehicle ID: parse, format, and encode a vehicle's figures.

Layout (contract README, "Vehicles"): manufacturer (2 digits), model (2), battery capacity in
10 kWh (2), CCS power in 10 kW (2), MCS power in 10 kW (2), MCS flag (1: 0 or 1), CCS inlet
position (1: 1 right, 2 left, 3 both). Example 010160700001: Daimler eActros, 600 kWh, 700 kW CCS,
no MCS, inlet right. The battery digits are the usable capacity, as in the contract's example.
"""

from __future__ import annotations

from dataclasses import dataclass

from voltroute.vehicles.vehicle import InletSide, Vehicle

VEHICLE_ID_LENGTH = 12
MAX_ENCODED_TENS = 99  # two digits of tens: 990 kWh or 990 kW at most
CUSTOM_MANUFACTURER_CODES = range(90, 100)
"""Codes 90..99 are Voltroute's: each tenant numbers its own custom vehicles in them."""

CUSTOM_MODEL_CODES = range(1, 100)

_INLET_BY_DIGIT = {"1": InletSide.RIGHT, "2": InletSide.LEFT, "3": InletSide.BOTH}
_DIGIT_BY_INLET = {side: digit for digit, side in _INLET_BY_DIGIT.items()}


@dataclass(frozen=True, slots=True)
class Manufacturer:
    """A manufacturer code; published codes come from the contract, the others are ours."""

    code: int
    name: str
    published: bool  # False: a code Voltroute assigned, not the original service


MANUFACTURERS: dict[int, Manufacturer] = {
    m.code: m
    for m in (
        Manufacturer(1, "Daimler Truck (Mercedes-Benz)", True),
        Manufacturer(2, "MAN", True),
        Manufacturer(3, "Volvo", True),
        Manufacturer(5, "Scania", True),
        Manufacturer(6, "DAF", True),
        Manufacturer(7, "Iveco", True),
        Manufacturer(8, "Renault Trucks", True),
        # The contract publishes no code for Tesla. We take 50 (codes 50..89 are ours for makers
        # the original service does not list), far from the published range so a code the
        # original service assigns later cannot collide.
        Manufacturer(50, "Tesla", False),
    )
}


class MalformedVehicleIdError(ValueError):
    """The text is not a well-formed 12-digit vehicle ID; `part` names the wrong part."""

    def __init__(self, vehicle_id: str, part: str, reason: str) -> None:
        self.vehicle_id = vehicle_id
        self.part = part
        super().__init__(f"vehicle_id {vehicle_id!r} is malformed: {part}: {reason}")


@dataclass(frozen=True, slots=True)
class VehicleCode:
    """The fields of a vehicle ID; powers and capacity in the ID's units of ten."""

    manufacturer_code: int
    model_code: int
    battery_tens_kwh: int
    ccs_tens_kw: int
    mcs_tens_kw: int
    mcs: bool
    inlet_side: InletSide

    @property
    def battery_kwh(self) -> float:
        return self.battery_tens_kwh * 10.0

    @property
    def ccs_kw(self) -> float:
        return self.ccs_tens_kw * 10.0

    @property
    def mcs_kw(self) -> float:
        return self.mcs_tens_kw * 10.0

    @property
    def is_custom(self) -> bool:
        """True for the code range tenants' custom vehicles use."""
        return self.manufacturer_code in CUSTOM_MANUFACTURER_CODES


def parse_vehicle_id(text: str) -> VehicleCode:
    """The fields of a vehicle ID; MalformedVehicleIdError naming the first wrong part."""
    if len(text) != VEHICLE_ID_LENGTH:
        raise MalformedVehicleIdError(
            text, "length", f"expected {VEHICLE_ID_LENGTH} digits, got {len(text)} characters"
        )
    if not (text.isascii() and text.isdigit()):
        bad = sorted({c for c in text if not ("0" <= c <= "9")})
        raise MalformedVehicleIdError(text, "digits", f"only 0-9 allowed, found {bad}")
    manufacturer, model = int(text[0:2]), int(text[2:4])
    battery, ccs, mcs_power = int(text[4:6]), int(text[6:8]), int(text[8:10])
    flag, inlet = text[10], text[11]
    if manufacturer == 0:
        raise MalformedVehicleIdError(text, "manufacturer code", "00 is not a manufacturer")
    if model == 0:
        raise MalformedVehicleIdError(text, "model code", "00 is not a model")
    if battery == 0:
        raise MalformedVehicleIdError(text, "battery capacity", "00 x 10 kWh: no battery")
    if flag not in "01":
        raise MalformedVehicleIdError(text, "MCS flag", f"must be 0 or 1, got {flag}")
    if flag == "0" and mcs_power:
        raise MalformedVehicleIdError(
            text, "MCS flag", f"0 (no MCS inlet) but MCS power is {mcs_power} x 10 kW"
        )
    if flag == "1" and not mcs_power:
        raise MalformedVehicleIdError(text, "MCS power", "MCS flag is 1 but MCS power is 00")
    if not ccs and not mcs_power:
        raise MalformedVehicleIdError(text, "CCS power", "00 and no MCS: the truck cannot charge")
    if inlet not in _INLET_BY_DIGIT:
        raise MalformedVehicleIdError(
            text, "inlet position", f"must be 1 (right), 2 (left) or 3 (both), got {inlet}"
        )
    return VehicleCode(
        manufacturer_code=manufacturer,
        model_code=model,
        battery_tens_kwh=battery,
        ccs_tens_kw=ccs,
        mcs_tens_kw=mcs_power,
        mcs=flag == "1",
        inlet_side=_INLET_BY_DIGIT[inlet],
    )


def format_vehicle_id(code: VehicleCode) -> str:
    """The 12-digit text of a code (the inverse of parse_vehicle_id)."""
    for name, value in {
        "manufacturer_code": code.manufacturer_code,
        "model_code": code.model_code,
        "battery_tens_kwh": code.battery_tens_kwh,
        "ccs_tens_kw": code.ccs_tens_kw,
        "mcs_tens_kw": code.mcs_tens_kw,
    }.items():
        if not 0 <= value <= MAX_ENCODED_TENS:
            raise ValueError(f"{name} must be within 0..99, got {value}")
    text = (
        f"{code.manufacturer_code:02d}{code.model_code:02d}{code.battery_tens_kwh:02d}"
        f"{code.ccs_tens_kw:02d}{code.mcs_tens_kw:02d}{int(code.mcs)}"
        f"{_DIGIT_BY_INLET[code.inlet_side]}"
    )
    parse_vehicle_id(text)  # refuse to write what we would not read back
    return text


def _tens(value: float) -> int:
    """A figure in units of ten, rounded half up and clamped to what two digits hold."""
    return int(max(0.0, min(float(MAX_ENCODED_TENS), value / 10.0 + 0.5)))


def encode_vehicle(vehicle: Vehicle, manufacturer_code: int, model_code: int) -> VehicleCode:
    """The code describing a vehicle's figures (rounded to tens; 990 for anything larger)."""
    mcs = vehicle.mcs_max_kw > 0.0
    return VehicleCode(
        manufacturer_code=manufacturer_code,
        model_code=model_code,
        battery_tens_kwh=max(1, _tens(vehicle.battery_usable_kwh)),
        ccs_tens_kw=_tens(vehicle.ccs_max_kw),
        mcs_tens_kw=max(1, _tens(vehicle.mcs_max_kw)) if mcs else 0,
        mcs=mcs,
        inlet_side=vehicle.inlet_side,
    )
