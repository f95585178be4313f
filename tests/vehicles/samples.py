"""Tiny named vehicles shared by the vehicles tests (plain constants, usable with Hypothesis)."""

from __future__ import annotations

import dataclasses
import math

from voltroute.vehicles import DEFAULT_VEHICLE_ID, Catalogue, ChargingCurve, InletSide, Vehicle

# Module constants rather than fixtures so Hypothesis tests can use them too.
EACTROS = Catalogue().get(DEFAULT_VEHICLE_ID)

# A 500 kWh truck whose curve ramps up, holds, and tapers to 50 kW: every piece type appears.
TOY = Vehicle(
    vehicle_id="toy",
    manufacturer="Test",
    model="Toy",
    battery_usable_kwh=500.0,
    ccs_max_kw=250.0,
    mcs_max_kw=0.0,
    inlet_side=InletSide.LEFT,
    charging_curve=ChargingCurve(((0.0, 100.0), (0.5, 300.0), (0.8, 300.0), (1.0, 50.0))),
    curb_mass_kg=15_000.0,
    max_gross_mass_kg=40_000.0,
    axle_count=5,
    height_m=4.0,
    width_m=2.55,
    length_m=16.5,
    drag_area_m2=5.0,
    rolling_resistance=0.005,
    drivetrain_efficiency=0.9,
    recuperation_efficiency=0.7,
    recuperation_max_kw=300.0,
    auxiliary_kw=4.0,
    speed_limiter_kph=85.0,
    charging_efficiency=0.95,
    plug_overhead_min=5.0,
)

# The same toy with an MCS inlet and no CCS limit, for connector tests.
TOY_MCS = dataclasses.replace(TOY, vehicle_id="toy-mcs", ccs_max_kw=math.inf, mcs_max_kw=1000.0)
