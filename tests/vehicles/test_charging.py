"""Charging model: power limits, exact charge-time integration and its inverse."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from voltroute.domain import StationPowerCurve
from voltroute.vehicles import (
    Catalogue,
    ChargingCurve,
    Connector,
    Vehicle,
    charge_time_s,
    charged_energy_kwh,
    charging_power_kw,
    grid_energy_kwh,
    soc_after_charging_s,
)
from voltroute.vehicles.charging import ChargeProfile, charge_profile

from .samples import EACTROS, TOY, TOY_MCS

socs = st.floats(0.0, 1.0)
station_powers_kw = st.floats(1.0, 1500.0)
vehicles = st.sampled_from([TOY, EACTROS])


def riemann_time_s(vehicle: Vehicle, soc_from: float, soc_to: float, station_kw: float) -> float:
    """Midpoint-rule reference for the time integral, independent of the closed form."""
    n = 1_000_000
    width = (soc_to - soc_from) / n
    mid = soc_from + width * (np.arange(n) + 0.5)
    curve = vehicle.charging_curve.points
    curve_kw = np.interp(mid, [p[0] for p in curve], [p[1] for p in curve])
    power_kw = np.minimum(curve_kw, min(station_kw, vehicle.ccs_max_kw))
    return float(np.sum(vehicle.battery_usable_kwh * width / power_kw)) * 3600.0


def test_power_is_the_minimum_of_station_inlet_and_curve(toy: Vehicle) -> None:
    assert charging_power_kw(toy, 0.25, 1000.0) == pytest.approx(200.0)  # curve
    assert charging_power_kw(toy, 0.6, 1000.0) == 250.0  # CCS inlet
    assert charging_power_kw(toy, 0.6, 150.0) == 150.0  # station
    assert charging_power_kw(toy, 1.0, 1000.0) == 50.0  # curve taper


def test_mcs_power_is_zero_without_an_mcs_inlet(toy: Vehicle) -> None:
    assert charging_power_kw(toy, 0.5, 1000.0, Connector.MCS) == 0.0
    assert charge_time_s(toy, 0.2, 0.8, 1000.0, Connector.MCS) == math.inf
    assert soc_after_charging_s(toy, 0.2, 3600.0, 1000.0, Connector.MCS) == 0.2


def test_mcs_uses_the_mcs_inlet_limit() -> None:
    assert charging_power_kw(TOY_MCS, 0.6, 2000.0, Connector.MCS) == 300.0  # curve, not inlet
    slow_mcs = dataclasses.replace(TOY_MCS, mcs_max_kw=120.0)
    assert charging_power_kw(slow_mcs, 0.6, 2000.0, Connector.MCS) == 120.0


def test_a_constant_power_stretch_takes_energy_over_power(toy: Vehicle) -> None:
    # From 50 % to 80 % the curve holds 300 kW, above the 250 kW inlet: constant 250 kW.
    expected_s = 0.3 * 500.0 / 250.0 * 3600.0
    assert charge_time_s(toy, 0.5, 0.8, 1000.0) == pytest.approx(expected_s, rel=1e-12)


def test_a_linear_stretch_takes_the_logarithmic_closed_form(toy: Vehicle) -> None:
    # From 10 % to 40 % the curve rises linearly from 140 kW to 260 kW; the inlet caps at 250,
    # reached at 37.5 %.
    linear_h = 500.0 * (0.375 - 0.1) * math.log(250.0 / 140.0) / (250.0 - 140.0)
    constant_h = 500.0 * (0.4 - 0.375) / 250.0
    assert charge_time_s(toy, 0.1, 0.4, 1000.0) == pytest.approx(
        (linear_h + constant_h) * 3600.0, rel=1e-12
    )


@pytest.mark.parametrize("station_kw", [60.0, 120.0, 275.0, 1000.0])
@pytest.mark.parametrize(("soc_from", "soc_to"), [(0.0, 1.0), (0.13, 0.97), (0.45, 0.85)])
def test_charge_time_matches_a_fine_riemann_sum(
    toy: Vehicle, station_kw: float, soc_from: float, soc_to: float
) -> None:
    exact = charge_time_s(toy, soc_from, soc_to, station_kw)
    assert exact == pytest.approx(riemann_time_s(toy, soc_from, soc_to, station_kw), rel=1e-6)


def test_station_power_zero_takes_forever(toy: Vehicle) -> None:
    assert charge_time_s(toy, 0.2, 0.3, 0.0) == math.inf
    assert charging_power_kw(toy, 0.2, 0.0) == 0.0
    assert soc_after_charging_s(toy, 0.2, 3600.0, 0.0) == 0.2


def test_charging_to_a_lower_or_equal_soc_takes_no_time(toy: Vehicle) -> None:
    assert charge_time_s(toy, 0.6, 0.6, 150.0) == 0.0
    assert charge_time_s(toy, 0.6, 0.4, 150.0) == 0.0
    assert charge_time_s(toy, 0.6, 0.4, 0.0) == 0.0


def test_a_curve_reaching_zero_power_never_quite_fills_the_battery(toy: Vehicle) -> None:
    dead_end = dataclasses.replace(
        toy, charging_curve=ChargingCurve(((0.0, 100.0), (0.9, 100.0), (1.0, 0.0)))
    )
    assert charge_time_s(dead_end, 0.5, 1.0, 500.0) == math.inf
    assert math.isfinite(charge_time_s(dead_end, 0.5, 0.999, 500.0))
    # On the taper P = 1000 kW x (1 - s): after one more hour, 1 - s has shrunk by e^-2.
    one_hour_into_taper_s = charge_time_s(dead_end, 0.5, 0.9, 500.0) + 3600.0
    reached = soc_after_charging_s(dead_end, 0.5, one_hour_into_taper_s, 500.0)
    assert reached == pytest.approx(1.0 - 0.1 * math.exp(-2.0), rel=1e-12)


def test_long_charging_stops_at_full(toy: Vehicle) -> None:
    assert soc_after_charging_s(toy, 0.3, 1e7, 150.0) == 1.0
    assert soc_after_charging_s(toy, 1.0, 600.0, 150.0) == 1.0
    assert soc_after_charging_s(toy, 0.3, math.inf, 150.0) == 1.0


def test_invalid_soc_and_station_power_are_rejected(toy: Vehicle) -> None:
    with pytest.raises(ValueError, match="soc_to"):
        charge_time_s(toy, 0.2, 1.2, 150.0)
    with pytest.raises(ValueError, match="soc_from"):
        soc_after_charging_s(toy, math.nan, 60.0, 150.0)
    with pytest.raises(ValueError, match="station_kw"):
        charging_power_kw(toy, 0.5, -1.0)
    with pytest.raises(ValueError, match="duration_s"):
        soc_after_charging_s(toy, 0.2, -1.0, 150.0)


def test_grid_energy_includes_the_charging_losses(toy: Vehicle) -> None:
    assert charged_energy_kwh(toy, 0.2, 0.8) == pytest.approx(300.0)
    assert grid_energy_kwh(toy, 0.2, 0.8) == pytest.approx(300.0 / 0.95)
    assert charged_energy_kwh(toy, 0.8, 0.2) == 0.0


def test_the_default_truck_charges_20_to_80_percent_in_under_an_hour_at_400_kw(
    eactros: Vehicle,
) -> None:
    minutes = charge_time_s(eactros, 0.2, 0.8, 400.0) / 60.0
    assert 50.0 < minutes < 60.0  # Daimler: "just over an hour" at a 400 kW CCS charger


@given(vehicle=vehicles, a=socs, b=socs, c=socs, station_kw=station_powers_kw)
def test_charge_times_add_up_over_an_intermediate_soc(
    vehicle: Vehicle, a: float, b: float, c: float, station_kw: float
) -> None:
    a, b, c = sorted((a, b, c))
    whole = charge_time_s(vehicle, a, c, station_kw)
    parts = charge_time_s(vehicle, a, b, station_kw) + charge_time_s(vehicle, b, c, station_kw)
    assert parts == pytest.approx(whole, rel=1e-9, abs=1e-9)


@given(vehicle=vehicles, soc_from=socs, soc_to=socs, station_kw=station_powers_kw)
def test_charging_for_the_charge_time_reaches_the_target_soc(
    vehicle: Vehicle, soc_from: float, soc_to: float, station_kw: float
) -> None:
    assume(soc_to >= soc_from)
    duration_s = charge_time_s(vehicle, soc_from, soc_to, station_kw)
    reached = soc_after_charging_s(vehicle, soc_from, duration_s, station_kw)
    assert reached == pytest.approx(soc_to, rel=1e-9, abs=1e-9)


@given(
    vehicle=vehicles,
    soc_from=socs,
    duration_s=st.floats(0.0, 20_000.0),
    station_kw=station_powers_kw,
)
def test_the_charge_time_to_the_reached_soc_is_the_duration(
    vehicle: Vehicle, soc_from: float, duration_s: float, station_kw: float
) -> None:
    reached = soc_after_charging_s(vehicle, soc_from, duration_s, station_kw)
    assert soc_from <= reached <= 1.0
    if reached < 1.0:
        assert charge_time_s(vehicle, soc_from, reached, station_kw) == pytest.approx(
            duration_s, rel=1e-9, abs=1e-6
        )


@given(vehicle=vehicles, soc_from=socs, to_a=socs, to_b=socs, station_kw=station_powers_kw)
def test_charge_time_grows_with_the_target_soc(
    vehicle: Vehicle, soc_from: float, to_a: float, to_b: float, station_kw: float
) -> None:
    lower, higher = sorted((to_a, to_b))
    to_lower_s = charge_time_s(vehicle, soc_from, lower, station_kw)
    # Rounding may differ in the last bits when the targets are a few ulps apart.
    assert to_lower_s <= charge_time_s(vehicle, soc_from, higher, station_kw) * (1 + 1e-12)


@given(vehicle=vehicles, soc_from=socs, soc_to=socs, kw_a=station_powers_kw, kw_b=station_powers_kw)
def test_a_stronger_station_is_never_slower(
    vehicle: Vehicle, soc_from: float, soc_to: float, kw_a: float, kw_b: float
) -> None:
    weak, strong = sorted((kw_a, kw_b))
    strong_s = charge_time_s(vehicle, soc_from, soc_to, strong)
    assert strong_s <= charge_time_s(vehicle, soc_from, soc_to, weak) * (1 + 1e-12)
    assert charging_power_kw(vehicle, soc_from, strong) >= charging_power_kw(
        vehicle, soc_from, weak
    )


@given(
    vehicle=vehicles,
    soc_from=socs,
    short_s=st.floats(0, 10_000),
    extra_s=st.floats(0, 10_000),
    station_kw=station_powers_kw,
)
def test_charging_longer_never_ends_lower(
    vehicle: Vehicle, soc_from: float, short_s: float, extra_s: float, station_kw: float
) -> None:
    short_soc = soc_after_charging_s(vehicle, soc_from, short_s, station_kw)
    assert (
        short_soc <= soc_after_charging_s(vehicle, soc_from, short_s + extra_s, station_kw) + 1e-12
    )


CATALOGUE_VEHICLES = list(Catalogue())


def _best_connector(vehicle: Vehicle) -> Connector:
    return Connector.MCS if vehicle.mcs_max_kw > vehicle.ccs_max_kw else Connector.CCS


@given(st.sampled_from(CATALOGUE_VEHICLES), socs, socs, socs, station_powers_kw)
def test_every_catalogue_vehicle_charges_additively_and_invertibly(
    vehicle: Vehicle, a: float, b: float, c: float, station_kw: float
) -> None:
    low, mid, high = sorted((a, b, c))
    connector = _best_connector(vehicle)
    whole_s = charge_time_s(vehicle, low, high, station_kw, connector)
    parts_s = charge_time_s(vehicle, low, mid, station_kw, connector) + charge_time_s(
        vehicle, mid, high, station_kw, connector
    )
    assert whole_s == pytest.approx(parts_s, rel=1e-9, abs=1e-6)
    reached = soc_after_charging_s(vehicle, low, whole_s, station_kw, connector)
    assert reached == pytest.approx(high, abs=1e-9)


@pytest.mark.parametrize("vehicle", CATALOGUE_VEHICLES, ids=lambda v: v.vehicle_id)
def test_every_catalogue_vehicle_charges_20_to_80_percent_within_two_hours_at_its_inlet(
    vehicle: Vehicle,
) -> None:
    connector = _best_connector(vehicle)
    minutes = charge_time_s(vehicle, 0.2, 0.8, math.inf, connector) / 60.0
    assert 10.0 < minutes < 120.0, vehicle.model


# --- a station's own power curve ---------------------------------------------------------------

# Full power up to 60 %, tapering linearly to 30 kW at 90 %, flat beyond: a derated cabinet.
TAPERING = StationPowerCurve(((0.6, 150.0), (0.9, 30.0)))
station_curves = st.lists(
    st.tuples(socs, st.floats(1.0, 1500.0)), min_size=1, max_size=6, unique_by=lambda p: p[0]
).map(lambda points: StationPowerCurve(tuple(sorted(points))))


def riemann_curve_time_s(
    vehicle: Vehicle, soc_from: float, soc_to: float, station_kw: float, curve: StationPowerCurve
) -> float:
    """The midpoint rule again, with the station's curve (np.interp is flat beyond its ends)."""
    n = 1_000_000
    width = (soc_to - soc_from) / n
    mid = soc_from + width * (np.arange(n) + 0.5)
    points = vehicle.charging_curve.points
    power_kw = np.minimum(
        np.interp(mid, [p[0] for p in points], [p[1] for p in points]),
        np.interp(mid, [p[0] for p in curve.points], [p[1] for p in curve.points]),
    )
    power_kw = np.minimum(power_kw, min(station_kw, vehicle.ccs_max_kw))
    return float(np.sum(vehicle.battery_usable_kwh * width / power_kw)) * 3600.0


def test_a_tapering_station_caps_the_power_below_the_vehicle_s_curve(toy: Vehicle) -> None:
    assert charging_power_kw(toy, 0.5, 1000.0, station_curve=TAPERING) == 150.0  # flat before
    assert charging_power_kw(toy, 0.75, 1000.0, station_curve=TAPERING) == pytest.approx(90.0)
    assert charging_power_kw(toy, 0.95, 1000.0, station_curve=TAPERING) == 30.0  # flat after
    assert charging_power_kw(toy, 0.1, 1000.0, station_curve=TAPERING) == pytest.approx(140.0)
    assert charging_power_kw(toy, 0.75, 60.0, station_curve=TAPERING) == 60.0  # station power


def test_a_tapering_station_s_charge_time_is_the_hand_integrated_one(toy: Vehicle) -> None:
    # From 60 % the station's taper (150 -> 30 kW by 90 %) lies below the vehicle's curve and
    # inlet everywhere: its logarithmic closed form, then 30 kW flat to full.
    taper_h = 500.0 * 0.3 * math.log(150.0 / 30.0) / (150.0 - 30.0)
    flat_h = 500.0 * 0.1 / 30.0
    expected_s = (taper_h + flat_h) * 3600.0
    assert charge_time_s(toy, 0.6, 1.0, 1000.0, station_curve=TAPERING) == pytest.approx(
        expected_s, rel=1e-12
    )
    assert charge_time_s(toy, 0.6, 1.0, 1000.0) < expected_s / 2  # the vehicle alone is faster
    assert soc_after_charging_s(toy, 0.6, expected_s, 1000.0, station_curve=TAPERING) == (
        pytest.approx(1.0, abs=1e-12)
    )


def test_where_the_station_s_taper_crosses_the_vehicle_s_the_lower_one_rules(toy: Vehicle) -> None:
    # The station's 250 -> 150 kW (80 -> 100 %) lies below the vehicle's 300 -> 50 kW until
    # they cross at 80 % + 1/15 (650/3 kW); from there the vehicle's curve is the lower one.
    curve = StationPowerCurve(((0.8, 250.0), (1.0, 150.0)))
    cross_soc, cross_kw = 0.8 + 1.0 / 15.0, 650.0 / 3.0
    station_h = 500.0 * (cross_soc - 0.8) * math.log(250.0 / cross_kw) / (250.0 - cross_kw)
    vehicle_h = 500.0 * (1.0 - cross_soc) * math.log(cross_kw / 50.0) / (cross_kw - 50.0)
    assert charge_time_s(toy, 0.8, 1.0, 1000.0, station_curve=curve) == pytest.approx(
        (station_h + vehicle_h) * 3600.0, rel=1e-12
    )


def test_a_curve_above_the_flat_power_changes_nothing(toy: Vehicle) -> None:
    high = StationPowerCurve(((0.0, 400.0), (1.0, 260.0)))
    for soc_from, soc_to in ((0.0, 1.0), (0.3, 0.9)):
        assert charge_time_s(toy, soc_from, soc_to, 150.0, station_curve=high) == pytest.approx(
            charge_time_s(toy, soc_from, soc_to, 150.0), rel=1e-12
        )


def test_a_curve_down_to_1_kw_is_a_charger_that_stops_there(toy: Vehicle) -> None:
    curve = StationPowerCurve(((0.5, 200.0), (0.7, 1.0)))
    to_taper_end_s = charge_time_s(toy, 0.2, 0.7, 1000.0, station_curve=curve)
    assert to_taper_end_s < 4 * 3600.0
    # Six more hours at 1 kW: 6 kWh of the 500.
    reached = soc_after_charging_s(
        toy, 0.2, to_taper_end_s + 6 * 3600.0, 1000.0, station_curve=curve
    )
    assert reached == pytest.approx(0.7 + 6.0 / 500.0)
    assert charge_time_s(toy, 0.7, 0.8, 1000.0, station_curve=curve) == pytest.approx(
        500.0 * 0.1 / 1.0 * 3600.0
    )


@pytest.mark.parametrize(("soc_from", "soc_to"), [(0.0, 1.0), (0.13, 0.97), (0.55, 0.95)])
def test_a_curved_charge_time_matches_a_fine_riemann_sum(
    toy: Vehicle, soc_from: float, soc_to: float
) -> None:
    curve = StationPowerCurve(((0.2, 90.0), (0.4, 220.0), (0.85, 220.0), (0.95, 20.0)))
    exact = charge_time_s(toy, soc_from, soc_to, 200.0, station_curve=curve)
    assert exact == pytest.approx(
        riemann_curve_time_s(toy, soc_from, soc_to, 200.0, curve), rel=1e-6
    )


@given(vehicle=vehicles, a=socs, b=socs, c=socs, station_kw=station_powers_kw, curve=station_curves)
def test_curved_charge_times_add_up_invert_and_are_never_faster_than_without_the_curve(
    vehicle: Vehicle,
    a: float,
    b: float,
    c: float,
    station_kw: float,
    curve: StationPowerCurve,
) -> None:
    low, mid, high = sorted((a, b, c))
    whole_s = charge_time_s(vehicle, low, high, station_kw, station_curve=curve)
    parts_s = charge_time_s(vehicle, low, mid, station_kw, station_curve=curve) + charge_time_s(
        vehicle, mid, high, station_kw, station_curve=curve
    )
    assert parts_s == pytest.approx(whole_s, rel=1e-9, abs=1e-9)
    assert whole_s >= charge_time_s(vehicle, low, high, station_kw) * (1 - 1e-12)
    if math.isfinite(whole_s):
        reached = soc_after_charging_s(vehicle, low, whole_s, station_kw, station_curve=curve)
        assert reached == pytest.approx(high, rel=1e-9, abs=1e-9)
    for soc in (low, mid, high):
        assert charging_power_kw(vehicle, soc, station_kw, station_curve=curve) == min(
            charging_power_kw(vehicle, soc, station_kw), curve.max_kw(soc)
        )


@given(vehicle=vehicles, station_kw=station_powers_kw, curve=station_curves)
def test_a_station_curve_never_makes_a_stretch_without_power(
    vehicle: Vehicle, station_kw: float, curve: StationPowerCurve
) -> None:
    # A stretch of SoC at 0 kW stalls the optimizer's compiled search: where the vehicle's curve
    # gives power everywhere, the least of it and any station curve (1 kW at least) does too.
    assert all(kw > 0 for _, kw in vehicle.charging_curve.points)
    profile = ChargeProfile(vehicle, station_kw, Connector.CCS, curve)
    floor_kw = min(1.0, station_kw, min(kw for _, kw in vehicle.charging_curve.points))
    for _, _, power_a_kw, power_b_kw, _ in profile.pieces:
        assert min(power_a_kw, power_b_kw) >= floor_kw * (1 - 1e-9)


@given(vehicle=vehicles, station_kw=station_powers_kw, curve=st.none() | station_curves)
def test_a_kept_profile_is_the_profile_of_equal_inputs(
    vehicle: Vehicle, station_kw: float, curve: StationPowerCurve | None
) -> None:
    # Kept by value across plans (charge_profile): an equal vehicle and curve, other objects,
    # find the same profile, whose pieces are those a fresh one lays out.
    kept = charge_profile(vehicle, station_kw, Connector.CCS, curve)
    twin = dataclasses.replace(vehicle)
    twin_curve = None if curve is None else StationPowerCurve(tuple(curve.points))
    assert charge_profile(twin, station_kw, Connector.CCS, twin_curve) is kept
    assert kept.pieces == ChargeProfile(vehicle, station_kw, Connector.CCS, curve).pieces
    assert charge_profile(vehicle, station_kw * 0.5, Connector.CCS, curve) is not kept
