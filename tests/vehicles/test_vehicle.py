"""The Vehicle and ChargingCurve value types reject meaningless figures."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from voltroute.vehicles import ChargingCurve, Connector, Vehicle


@pytest.mark.parametrize(
    "points",
    [
        ((0.0, 100.0),),
        ((0.1, 100.0), (1.0, 50.0)),
        ((0.0, 100.0), (0.9, 50.0)),
        ((0.0, 100.0), (0.5, 80.0), (0.5, 70.0), (1.0, 50.0)),
        ((0.0, 100.0), (1.0, -1.0)),
        ((0.0, math.nan), (1.0, 50.0)),
    ],
    ids=["single point", "not from zero", "not to one", "soc repeats", "negative", "nan"],
)
def test_a_malformed_charging_curve_is_rejected(points: tuple[tuple[float, float], ...]) -> None:
    with pytest.raises(ValueError, match="charging curve"):
        ChargingCurve(points)


def test_a_charging_curve_interpolates_linearly_and_hits_its_points_exactly() -> None:
    curve = ChargingCurve(((0.0, 100.0), (0.3, 400.0), (1.0, 50.0)))
    assert curve.power_kw(0.15) == pytest.approx(250.0)
    assert [curve.power_kw(soc) for soc, _ in curve.points] == [100.0, 400.0, 50.0]
    with pytest.raises(ValueError, match="soc"):
        curve.power_kw(1.01)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("curb_mass_kg", 0.0),
        ("curb_mass_kg", math.nan),
        ("max_gross_mass_kg", 1000.0),
        ("battery_usable_kwh", -5.0),
        ("drivetrain_efficiency", 0.0),
        ("drivetrain_efficiency", 1.2),
        ("recuperation_efficiency", -0.1),
        ("charging_efficiency", 1.5),
        ("ccs_max_kw", -1.0),
        ("recuperation_max_kw", math.nan),
        ("axle_count", 1),
        ("speed_limiter_kph", 0.0),
        ("comfort_min_c", 30.0),
        ("vehicle_id", " "),
    ],
)
def test_a_vehicle_with_a_meaningless_figure_is_rejected(
    eactros: Vehicle, field: str, value: Any
) -> None:
    with pytest.raises(ValueError, match=field.split("_")[0]):
        dataclasses.replace(eactros, **{field: value})


def test_power_caps_may_be_unlimited(eactros: Vehicle) -> None:
    unlimited = dataclasses.replace(eactros, ccs_max_kw=math.inf, recuperation_max_kw=math.inf)
    assert unlimited.inlet_max_kw(Connector.CCS) == math.inf


def test_derived_units_follow_from_the_stored_figures(eactros: Vehicle) -> None:
    assert eactros.speed_limiter_mps == pytest.approx(eactros.speed_limiter_kph / 3.6)
    assert eactros.plug_overhead_s == eactros.plug_overhead_min * 60.0
