"""Schemas of the vehicle endpoints (extension): custom vehicles and catalogue lookups.

Every input figure has a minimum, a default and a maximum; values outside are rejected with a
422 naming the field (never clamped). Defaults are the eActros 600's engineering defaults.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from voltroute import bounds
from voltroute.api.schemas.door import plain_text, published
from voltroute.vehicles import ChargingCurve, InletSide, Vehicle

SocPowerPoint = tuple[
    Annotated[float, published(bounds.SOC), Field(description="state of charge 0..1")],
    Annotated[
        float, published(bounds.CHARGING_POWER_KW), Field(description="battery-side power, kW")
    ],
]
Name = Annotated[str, plain_text(bounds.MAX_NAME_CHARS)]

DEFAULT_CURVE_SHAPE = ((0.0, 1.0), (0.8, 1.0), (0.9, 0.6), (1.0, 0.2))
"""Fractions of the larger inlet power over SoC, used when no curve is given."""


MIN_ENCODABLE_POWER_KW = 10.0
MIN_CURVE_POWER_KW = 1.0
"""Below full, a curve point under this strands the truck: no session charges past it in a tour."""

AT_LEAST_ANOTHER_FIGURE: dict[str, tuple[str, str]] = {
    "battery_gross_kwh": ("battery_usable_kwh", "kWh"),  # installed holds the usable
    "max_gross_mass_kg": ("curb_mass_kg", "kg"),  # the permissible mass holds the truck
    "comfort_max_c": ("comfort_min_c", "C"),  # the comfort band is ordered
}
"""A figure -> the one declared before it that it may not be below, and their unit."""


class VehicleParameters(BaseModel):
    """A custom vehicle as the client gives it (POST and PUT /vehicles)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    manufacturer: Name = Field("Custom", min_length=1, max_length=bounds.MAX_NAME_CHARS)
    model: Name = Field(
        ..., min_length=1, max_length=bounds.MAX_NAME_CHARS, description="A name for the vehicle."
    )
    battery_usable_kwh: Annotated[float, published(bounds.BATTERY_USABLE_KWH)]
    battery_gross_kwh: Annotated[float, published(bounds.BATTERY_GROSS_KWH)] | None = Field(
        None,
        description="Installed capacity; default: the usable one.",
    )
    ccs_max_kw: Annotated[float, published(bounds.CCS_INLET_KW)] = 400.0
    mcs_max_kw: Annotated[float, published(bounds.MCS_INLET_KW)] = Field(
        # Validated when defaulted too: the check that some inlet exists runs on this field.
        0.0,
        description="0: no MCS inlet.",
        validate_default=True,
    )
    inlet_side: InletSide = InletSide.RIGHT
    charging_curve: list[SocPowerPoint] | None = Field(
        None,
        min_length=2,
        max_length=100,
        description="[[soc, kW], ...] from soc 0.0 to 1.0, soc strictly increasing, "
        "at least 1 kW but at soc 1.0. "
        "Default: the larger inlet power up to 80 %, tapering to 20 % of it at full.",
    )
    curb_mass_kg: Annotated[float, published(bounds.CURB_MASS_KG)] = 18_500.0
    max_gross_mass_kg: Annotated[float, published(bounds.GROSS_MASS_KG)] = 40_000.0
    axle_count: Annotated[int, published(bounds.AXLE_COUNT)] = 5
    height_m: Annotated[float, published(bounds.HEIGHT_M)] = 4.0
    width_m: Annotated[float, published(bounds.WIDTH_M)] = 2.55
    length_m: Annotated[float, published(bounds.LENGTH_M)] = 16.5
    drag_area_m2: Annotated[float, published(bounds.DRAG_AREA_M2)] = Field(
        5.4, description="Cd x frontal area."
    )
    rolling_resistance: Annotated[float, published(bounds.ROLLING_RESISTANCE)] = 0.0045
    drivetrain_efficiency: Annotated[float, published(bounds.DRIVETRAIN_EFFICIENCY)] = 0.9
    recuperation_efficiency: Annotated[float, published(bounds.RECUPERATION_EFFICIENCY)] = 0.7
    recuperation_max_kw: Annotated[float, published(bounds.RECUPERATION_KW)] = 350.0
    auxiliary_kw: Annotated[float, published(bounds.AUXILIARY_KW)] = 3.5
    speed_limiter_kph: Annotated[float, published(bounds.SPEED_LIMITER_KPH)] = 85.0
    charging_efficiency: Annotated[float, published(bounds.CHARGING_EFFICIENCY)] = 0.95
    plug_overhead_min: Annotated[float, published(bounds.PLUG_OVERHEAD_MIN)] = 5.0
    comfort_min_c: Annotated[float, published(bounds.COMFORT_C)] = 15.0
    comfort_max_c: Annotated[float, published(bounds.COMFORT_C)] = 25.0
    heating_kw_per_k: Annotated[float, published(bounds.HEATING_KW_PER_K)] = 0.25
    cooling_kw_per_k: Annotated[float, published(bounds.COOLING_KW_PER_K)] = 0.15

    @field_validator(*AT_LEAST_ANOTHER_FIGURE)
    @classmethod
    def _at_least_the_other_figure(cls, value: float | None, info: ValidationInfo) -> float | None:
        assert info.field_name is not None
        other, unit = AT_LEAST_ANOTHER_FIGURE[info.field_name]
        low = info.data.get(other)
        if value is not None and low is not None and value < low:
            raise ValueError(f"must be at least {other} ({low} {unit})")
        return value

    @field_validator("ccs_max_kw", "mcs_max_kw")
    @classmethod
    def _encodable_power(cls, value: float) -> float:
        # The vehicle ID carries charging power in 10 kW steps: below that it would read as none.
        if 0.0 < value < MIN_ENCODABLE_POWER_KW:
            raise ValueError(f"must be 0 (no such inlet) or at least {MIN_ENCODABLE_POWER_KW} kW")
        return value

    @field_validator("mcs_max_kw")
    @classmethod
    def _some_charging_inlet(cls, value: float, info: ValidationInfo) -> float:
        if value == 0.0 and info.data.get("ccs_max_kw") == 0.0:
            raise ValueError("ccs_max_kw and mcs_max_kw are both 0: the vehicle cannot charge")
        return value

    @field_validator("charging_curve")
    @classmethod
    def _curve_is_a_function_of_soc(
        cls, value: list[tuple[float, float]] | None
    ) -> list[tuple[float, float]] | None:
        if value is None:
            return None
        try:
            ChargingCurve(tuple(value))
        except ValueError as error:
            raise ValueError(str(error)) from None
        # The domain curve takes any power >= 0 (stored vehicles keep loading); a new one may
        # taper to 0 kW only at full.
        if any(kw < MIN_CURVE_POWER_KW for _, kw in value[:-1]):
            raise ValueError(
                f"charging curve power must be at least {MIN_CURVE_POWER_KW:g} kW below soc 1.0:"
                " the truck could never charge past a 0 kW stretch"
            )
        return value

    def to_vehicle(self, vehicle_id: str) -> Vehicle:
        """The domain vehicle (the store gives it its final ID)."""
        figures = self.model_dump(exclude={"charging_curve", "inlet_side"})
        peak_kw = max(self.ccs_max_kw, self.mcs_max_kw)
        points = (
            tuple((soc, kw) for soc, kw in self.charging_curve)
            if self.charging_curve is not None
            else tuple((soc, share * peak_kw) for soc, share in DEFAULT_CURVE_SHAPE)
        )
        return Vehicle(
            vehicle_id=vehicle_id,
            inlet_side=self.inlet_side,
            charging_curve=ChargingCurve(points),
            **figures,
        )


class VehicleInfo(BaseModel):
    """A vehicle with every figure the planner uses."""

    vehicle_id: str
    origin: Literal["catalogue", "custom", "decoded"] = Field(
        ..., description="catalogue entry, this tenant's custom vehicle, or decoded from the ID"
    )
    manufacturer: str
    model: str
    battery_usable_kwh: float
    battery_gross_kwh: float | None
    ccs_max_kw: float
    mcs_max_kw: float
    inlet_side: InletSide
    charging_curve: list[tuple[float, float]]
    curb_mass_kg: float
    max_gross_mass_kg: float
    max_payload_kg: float
    axle_count: int
    height_m: float
    width_m: float
    length_m: float
    drag_area_m2: float
    rolling_resistance: float
    drivetrain_efficiency: float
    recuperation_efficiency: float
    recuperation_max_kw: float
    auxiliary_kw: float
    speed_limiter_kph: float
    charging_efficiency: float
    plug_overhead_min: float
    comfort_min_c: float
    comfort_max_c: float
    heating_kw_per_k: float
    cooling_kw_per_k: float
    figure_sources: dict[str, dict[str, Any]] | None = Field(
        None, description="catalogue vehicles: per figure its source, date and note"
    )

    @classmethod
    def of(
        cls,
        vehicle: Vehicle,
        origin: Literal["catalogue", "custom", "decoded"],
        figure_sources: dict[str, dict[str, Any]] | None = None,
    ) -> VehicleInfo:
        """The response body of a domain vehicle: each of its figures, the curve as a list."""
        figures = {f.name: getattr(vehicle, f.name) for f in dataclasses.fields(vehicle)}
        figures["charging_curve"] = [(soc, kw) for soc, kw in vehicle.charging_curve.points]
        return cls(
            **figures,
            origin=origin,
            max_payload_kg=vehicle.max_gross_mass_kg - vehicle.curb_mass_kg,
            figure_sources=figure_sources,
        )


class OemInfo(BaseModel):
    """A manufacturer code."""

    code: str = Field(..., description="two digits, the first part of a vehicle_id")
    name: str
    code_published: bool = Field(
        ..., description="true: published for the original service; false: assigned by Voltroute"
    )
    model_count: int


class ModelInfo(BaseModel):
    """A catalogue vehicle in a model list."""

    vehicle_id: str
    manufacturer_code: str
    model_code: str
    manufacturer: str
    model: str
    battery_usable_kwh: float
    ccs_max_kw: float
    mcs_max_kw: float
    inlet_side: InletSide
