"""Charging model: power over state of charge, and exact charge times and their inverse.

Power into the battery is min(station power, the vehicle's inlet limit for the connector, the
vehicle's charging curve at the current SoC, the station's own power curve where it has one).
Both curves are piecewise linear in SoC and the caps are constant, so the power is piecewise
linear too once the SoC axis is cut at every breakpoint of either curve and wherever two of
them cross. On a piece where P(s) is linear, dt = E ds / P(s) integrates in closed form to
E (s_b - s_a) ln(P_b / P_a) / (P_b - P_a) (E / P for constant power), which makes charge times
exact, additive over intermediate SoCs and exactly invertible.

The station's power is taken as what reaches the battery; the grid (and the bill) sees that
divided by the vehicle's charging_efficiency.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise

from voltroute.domain import StationPowerCurve
from voltroute.vehicles.vehicle import Connector, Vehicle, lerp_kw

S_PER_H = 3600.0
NO_POWER_KW = 1e-6  # less than this charges nothing within any tour (a milliwatt)
# Charge profiles kept for reuse (charge_profile): a fleet plans with a few vehicle models at a
# few kinds of chargers, and a profile is a few dozen numbers.
PROFILES_KEPT = 1024


def _check_soc(name: str, soc: float) -> None:
    if not 0.0 <= soc <= 1.0:  # also rejects NaN
        raise ValueError(f"{name} must be within 0..1, got {soc}")


def _cap_kw(vehicle: Vehicle, station_kw: float, connector: Connector) -> float:
    if not station_kw >= 0.0:  # also rejects NaN; inf means "no station limit"
        raise ValueError(f"station_kw must be >= 0, got {station_kw}")
    return min(station_kw, vehicle.inlet_max_kw(connector))


def charging_power_kw(
    vehicle: Vehicle,
    soc: float,
    station_kw: float,
    connector: Connector = Connector.CCS,
    station_curve: StationPowerCurve | None = None,
) -> float:
    """Power into the battery at a state of charge: min(station, inlet, both curves)."""
    _check_soc("soc", soc)
    power_kw = min(_cap_kw(vehicle, station_kw, connector), vehicle.charging_curve.power_kw(soc))
    return power_kw if station_curve is None else min(power_kw, station_curve.max_kw(soc))


# A limit that is linear on a stretch of SoC: its power at the stretch's start and end.
_Line = tuple[float, float]


def _pieces(
    vehicle: Vehicle, cap_kw: float, station_curve: StationPowerCurve | None
) -> Iterator[tuple[float, float, float, float]]:
    """Pieces (soc_a, soc_b, power_a_kw, power_b_kw) covering 0..1; P linear on each."""
    cuts = sorted(
        {soc for soc, _ in vehicle.charging_curve.points}
        | (set() if station_curve is None else {s for s, _ in station_curve.points if 0 < s < 1})
    )
    for a, b in pairwise(cuts):
        limits: list[_Line] = [
            (vehicle.charging_curve.power_kw(a), vehicle.charging_curve.power_kw(b)),
            (cap_kw, cap_kw),
        ]
        if station_curve is not None:
            limits.append((station_curve.max_kw(a), station_curve.max_kw(b)))
        yield from _lower_envelope(a, b, limits)


def _lower_envelope(
    a: float, b: float, limits: list[_Line]
) -> Iterator[tuple[float, float, float, float]]:
    """The least of lines over a..b, cut where two of them cross so each piece stays linear."""
    inner: set[float] = set()
    for index, (fa, fb) in enumerate(limits):
        for ga, gb in limits[index + 1 :]:
            da, db = fa - ga, fb - gb
            if da * db < 0.0:
                inner.add(a + da / (da - db) * (b - a))
    cuts = [a, *sorted(x for x in inner if a < x < b), b]
    for x, y in pairwise(cuts):
        yield x, y, _least_kw(a, b, limits, x), _least_kw(a, b, limits, y)


def _least_kw(a: float, b: float, limits: list[_Line], soc: float) -> float:
    # lerp_kw keeps the ends exact, so a zero or a cap at a cut is not lost to rounding; a
    # constant is taken as it is, since an infinite cap ("no limit") would interpolate to NaN.
    power_kw = min(pa if pa == pb else lerp_kw(a, pa, b, pb, soc) for pa, pb in limits)
    # A crossing next to a zero leaves a few ulps of power, whose 1/P the closed form (here
    # and in the compiled core) cannot take: that is no power at all.
    return 0.0 if power_kw < NO_POWER_KW else power_kw


def _hours_per_kwh(power_a_kw: float, power_b_kw: float) -> float:
    """Mean of 1/P over a piece where P runs linearly from power_a_kw to power_b_kw."""
    if power_a_kw <= 0.0 or power_b_kw <= 0.0:
        return math.inf  # 1/P is not integrable at a zero of a linear P
    if power_a_kw == power_b_kw:
        return 1.0 / power_a_kw
    ratio = (power_b_kw - power_a_kw) / power_a_kw
    # ln(P_b/P_a) / (P_b - P_a), written with log1p so nearly constant pieces keep full precision.
    return math.log1p(ratio) / (ratio * power_a_kw)


def charge_time_s(
    vehicle: Vehicle,
    soc_from: float,
    soc_to: float,
    station_kw: float,
    connector: Connector = Connector.CCS,
    station_curve: StationPowerCurve | None = None,
) -> float:
    """Exact time (s) to charge from soc_from to soc_to; 0 if soc_to <= soc_from, inf if stuck."""
    _check_soc("soc_from", soc_from)
    _check_soc("soc_to", soc_to)
    return charge_profile(vehicle, station_kw, connector, station_curve).time_s(soc_from, soc_to)


def soc_after_charging_s(
    vehicle: Vehicle,
    soc_from: float,
    duration_s: float,
    station_kw: float,
    connector: Connector = Connector.CCS,
    station_curve: StationPowerCurve | None = None,
) -> float:
    """State of charge reached after charging for duration_s (the exact inverse of charge_time_s).

    Capped at 1.0; stays at soc_from when no power flows.
    """
    _check_soc("soc_from", soc_from)
    if not duration_s >= 0.0:
        raise ValueError(f"duration_s must be >= 0, got {duration_s}")
    profile = charge_profile(vehicle, station_kw, connector, station_curve)
    return profile.soc_after(soc_from, duration_s)


class ChargeProfile:
    """Charge times and their inverse at one station power, connector and station power curve
    (None: the flat power alone), with the pieces of the power curve laid out once (the
    optimizer keeps one per station power and curve)."""

    def __init__(
        self,
        vehicle: Vehicle,
        station_kw: float,
        connector: Connector,
        station_curve: StationPowerCurve | None = None,
    ) -> None:
        cap_kw = _cap_kw(vehicle, station_kw, connector)
        self._energy_kwh = vehicle.battery_usable_kwh
        pieces = _pieces(vehicle, cap_kw, station_curve) if cap_kw > 0.0 else ()
        # (soc_a, soc_b, power_a_kw, power_b_kw, hours for the whole piece)
        self._pieces = [
            (a, b, pa, pb, self._energy_kwh * (b - a) * _hours_per_kwh(pa, pb))
            for a, b, pa, pb in pieces
        ]

    @property
    def energy_kwh(self) -> float:
        """The battery's usable energy, which the pieces' hours are for."""
        return self._energy_kwh

    @property
    def pieces(self) -> list[tuple[float, float, float, float, float]]:
        """(soc_a, soc_b, power_a_kw, power_b_kw, hours for the whole piece), by SoC."""
        return list(self._pieces)

    def time_s(self, soc_from: float, soc_to: float) -> float:
        """Time (s) from soc_from to soc_to (see charge_time_s)."""
        if soc_to <= soc_from:
            return 0.0
        if not self._pieces:
            return math.inf
        hours = 0.0
        for a, b, pa, pb, whole_h in self._pieces:
            if b <= soc_from:
                continue
            if a >= soc_to:
                break
            if soc_from <= a and b <= soc_to:
                hours += whole_h
                continue
            lo, hi = max(a, soc_from), min(b, soc_to)
            slope = (pb - pa) / (b - a)
            p_lo, p_hi = pa + slope * (lo - a), pa + slope * (hi - a)
            if hi == b:
                p_hi = pb  # keep a zero at the piece's end exact
            hours += self._energy_kwh * (hi - lo) * _hours_per_kwh(p_lo, p_hi)
        return hours * S_PER_H

    def soc_after(self, soc_from: float, duration_s: float) -> float:
        """SoC after charging duration_s from soc_from (see soc_after_charging_s)."""
        if duration_s <= 0.0 or not self._pieces:
            return soc_from
        remaining_h = duration_s / S_PER_H
        soc = soc_from
        for a, b, pa, pb, whole_h in self._pieces:
            if b <= soc:
                continue
            slope = (pb - pa) / (b - a)
            p_soc = pa if soc <= a else pa + slope * (soc - a)
            start = max(a, soc)
            if p_soc <= 0.0:
                return start  # no power at this SoC: charging stalls here
            piece_h = (
                whole_h
                if start == a
                else self._energy_kwh * (b - start) * _hours_per_kwh(p_soc, pb)
            )
            if remaining_h >= piece_h:
                remaining_h -= piece_h
                soc = b
                continue
            if slope == 0.0:
                delta = p_soc * remaining_h / self._energy_kwh
            else:
                delta = p_soc * math.expm1(slope * remaining_h / self._energy_kwh) / slope
            return min(b, start + max(0.0, delta))
        return min(1.0, soc)


def charged_energy_kwh(vehicle: Vehicle, soc_from: float, soc_to: float) -> float:
    """Energy stored in the battery when charging from soc_from to soc_to (0 if not upwards)."""
    _check_soc("soc_from", soc_from)
    _check_soc("soc_to", soc_to)
    return max(0.0, soc_to - soc_from) * vehicle.battery_usable_kwh


def grid_energy_kwh(vehicle: Vehicle, soc_from: float, soc_to: float) -> float:
    """Energy drawn from the station (what is billed): battery energy over charging efficiency."""
    return charged_energy_kwh(vehicle, soc_from, soc_to) / vehicle.charging_efficiency


@lru_cache(maxsize=PROFILES_KEPT)
def charge_profile(
    vehicle: Vehicle,
    station_kw: float,
    connector: Connector,
    station_curve: StationPowerCurve | None = None,
) -> ChargeProfile:
    """The ChargeProfile of this vehicle at this station power, connector and curve, made once
    and shared (a profile never changes; laying its pieces out costs more than planning with it
    on a small tour)."""
    return ChargeProfile(vehicle, station_kw, connector, station_curve)
