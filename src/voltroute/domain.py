"""Value types shared by every package: positions and geographic helpers, a charger's power
curve."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from voltroute import bounds

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True, slots=True)
class LatLon:
    """A WGS84 position in degrees."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise ValueError(f"position out of range: lat={self.lat}, lon={self.lon}")


def haversine_m(a: LatLon, b: LatLon) -> float:
    """Great-circle distance between two positions in metres."""
    return haversine_deg_m(a.lat, a.lon, b.lat, b.lon)


def haversine_deg_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two (lat, lon) pairs in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class StationPowerCurve:
    """A charger's own power limit over the vehicle's state of charge, piecewise linear.

    points: (soc 0..1, max_kw) breakpoints, soc strictly increasing, 1 to
    bounds.MAX_POWER_CURVE_POINTS of them, max_kw within bounds.POWER_CURVE_KW (1 kW at least);
    the limit is linear between two points and flat before the first and after the last. It
    only ever lowers the power: a session charges at min(vehicle curve, inlet, the station's
    power_kw, this curve) at every instant.

    A function of SoC, not of time since plug-in: charge times must depend only on the SoC
    charged from and to (additive over intermediate SoCs, one table per station for the
    optimizer's compiled core). A limit over session time would make the time from SoC a to b
    depend on the SoC the session started at. A taper a charger shows over time for a typical
    session is written as the SoCs that session passes.
    """

    points: tuple[tuple[float, float], ...]

    def __post_init__(self) -> None:
        count = len(self.points)
        if not 1 <= count <= bounds.MAX_POWER_CURVE_POINTS:
            raise ValueError(
                f"a power curve needs 1 to {bounds.MAX_POWER_CURVE_POINTS} points, got {count}"
            )
        power = bounds.POWER_CURVE_KW
        for index, (soc, max_kw) in enumerate(self.points):
            if not 0.0 <= soc <= 1.0:  # also rejects NaN
                raise ValueError(f"point {index}: soc {soc} is outside 0..1")
            if not power.contains(max_kw):
                raise ValueError(f"point {index}: {max_kw} kW is outside {power.text()}")
        for index, ((soc_a, _), (soc_b, _)) in enumerate(pairwise(self.points), start=1):
            if soc_b <= soc_a:
                raise ValueError(
                    f"point {index}: soc {soc_b} is not above point {index - 1}'s {soc_a} "
                    "(soc must increase strictly)"
                )

    def max_kw(self, soc: float) -> float:
        """The limit at a state of charge: interpolated, flat beyond the first and last point."""
        first_soc, first_kw = self.points[0]
        if soc <= first_soc:
            return first_kw
        for (soc_a, kw_a), (soc_b, kw_b) in pairwise(self.points):
            if soc <= soc_b:
                if soc == soc_b:
                    return kw_b
                return kw_a + (kw_b - kw_a) * ((soc - soc_a) / (soc_b - soc_a))
        return self.points[-1][1]

    @property
    def peak_kw(self) -> float:
        """The highest limit anywhere on the curve."""
        return max(kw for _, kw in self.points)
