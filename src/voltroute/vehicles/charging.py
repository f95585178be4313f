"""Charging model: power over state of charge, and exact charge times and their inverse.

Power into the battery is min(station power, the vehicle's inlet limit for the connector, the
vehicle's charging curve at the current SoC). The curve is piecewise linear in SoC and the caps
are constant, so the power is piecewise linear too once each curve segment is split where it
crosses the cap. On a piece where P(s) is linear, dt = E ds / P(s) integrates in closed form to
E (s_b - s_a) ln(P_b / P_a) / (P_b - P_a) (E / P for constant power), which makes charge times
exact, additive over intermediate SoCs and exactly invertible.

The station's power is taken as what reaches the battery; the grid (and the bill) sees that
divided by the vehicle's charging_efficiency.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import pairwise

from voltroute.vehicles.vehicle import Connector, Vehicle, lerp_kw

S_PER_H = 3600.0


def _check_soc(name: str, soc: float) -> None:
    if not 0.0 <= soc <= 1.0:  # also rejects NaN
        raise ValueError(f"{name} must be within 0..1, got {soc}")


def _cap_kw(vehicle: Vehicle, station_kw: float, connector: Connector) -> float:
    if not station_kw >= 0.0:  # also rejects NaN; inf means "no station limit"
        raise ValueError(f"station_kw must be >= 0, got {station_kw}")
    return min(station_kw, vehicle.inlet_max_kw(connector))


def charging_power_kw(
    vehicle: Vehicle, soc: float, station_kw: float, connector: Connector = Connector.CCS
) -> float:
    """Power into the battery at a state of charge: min(station, inlet, charging curve)."""
    _check_soc("soc", soc)
    return min(_cap_kw(vehicle, station_kw, connector), vehicle.charging_curve.power_kw(soc))


def _pieces(
    vehicle: Vehicle, soc_lo: float, soc_hi: float, cap_kw: float
) -> Iterator[tuple[float, float, float, float]]:
    """Pieces (soc_a, soc_b, power_a_kw, power_b_kw) covering soc_lo..soc_hi; P linear on each."""
    points = vehicle.charging_curve.points
    for (s0, c0), (s1, c1) in pairwise(points):
        a, b = max(soc_lo, s0), min(soc_hi, s1)
        if a >= b:
            continue
        ca, cb = lerp_kw(s0, c0, s1, c1, a), lerp_kw(s0, c0, s1, c1, b)
        if (ca - cap_kw) * (cb - cap_kw) < 0.0:
            # The curve crosses the constant cap inside the segment: split there so that each
            # piece is either all curve or all cap, and stays linear.
            cross = a + (cap_kw - ca) / (cb - ca) * (b - a)
            yield a, cross, min(ca, cap_kw), cap_kw
            yield cross, b, cap_kw, min(cb, cap_kw)
        else:
            yield a, b, min(ca, cap_kw), min(cb, cap_kw)


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
) -> float:
    """Exact time (s) to charge from soc_from to soc_to; 0 if soc_to <= soc_from, inf if stuck."""
    _check_soc("soc_from", soc_from)
    _check_soc("soc_to", soc_to)
    return ChargeProfile(vehicle, station_kw, connector).time_s(soc_from, soc_to)


def soc_after_charging_s(
    vehicle: Vehicle,
    soc_from: float,
    duration_s: float,
    station_kw: float,
    connector: Connector = Connector.CCS,
) -> float:
    """State of charge reached after charging for duration_s (the exact inverse of charge_time_s).

    Capped at 1.0; stays at soc_from when no power flows.
    """
    _check_soc("soc_from", soc_from)
    if not duration_s >= 0.0:
        raise ValueError(f"duration_s must be >= 0, got {duration_s}")
    return ChargeProfile(vehicle, station_kw, connector).soc_after(soc_from, duration_s)


class ChargeProfile:
    """Charge times and their inverse at one station power and connector, with the pieces of
    the power curve laid out once (the optimizer keeps one per station power)."""

    def __init__(self, vehicle: Vehicle, station_kw: float, connector: Connector) -> None:
        cap_kw = _cap_kw(vehicle, station_kw, connector)
        self._energy_kwh = vehicle.battery_usable_kwh
        # (soc_a, soc_b, power_a_kw, power_b_kw, hours for the whole piece)
        self._pieces = [
            (a, b, pa, pb, self._energy_kwh * (b - a) * _hours_per_kwh(pa, pb))
            for a, b, pa, pb in (_pieces(vehicle, 0.0, 1.0, cap_kw) if cap_kw > 0.0 else ())
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
