"""Distance, time and energy along a leg, and the SoC a stretch of it needs and leaves.

SoC over a stretch follows the simulation of soc.trace_soc: minus each edge's energy, capped at
soc_max after every edge (recuperation cannot overfill). For a start SoC s the end SoC is then
min(s - E, cap_end) and the lowest SoC on the way stays at or above the reserve iff
s >= reserve + max_prefix_kwh / capacity and cap_low >= reserve; the three numbers are computed
once per stretch, so a label crosses it in O(1). Within an edge energy and time are linear in the
distance (a station between edge ends takes that share).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from voltroute.domain import LatLon
from voltroute.planner.problem import PlannedLegInput


@dataclass(frozen=True, slots=True)
class Stretch:
    """A piece of road between two route points, as the labels see it."""

    duration_s: float
    energy_kwh: float
    max_prefix_kwh: float  # highest net energy used from the start to any point (>= 0)
    cap_end_soc: float  # end SoC is at most this (recuperation capped at soc_max)
    cap_low_soc: float  # lowest SoC that the cap alone forces on the way (feasible iff >= reserve)

    def soc_after(self, soc: float, capacity_kwh: float) -> float:
        """SoC at the end when starting with soc."""
        return min(soc - self.energy_kwh / capacity_kwh, self.cap_end_soc)

    def soc_needed(self, reserve: float, capacity_kwh: float) -> float:
        """Lowest start SoC that never drops below the reserve on the way."""
        return reserve + self.max_prefix_kwh / capacity_kwh


class LegProfile:
    """Cumulative length, time and energy at the edge boundaries of one leg."""

    def __init__(self, leg: PlannedLegInput) -> None:
        edges = leg.route.edges
        total_len = sum(e.length_m for e in edges)
        total_dur = sum(e.duration_s for e in edges)
        # Scale edge sums to the leg's own totals, which the section reports.
        len_scale = leg.route.length_m / total_len if total_len > 0 else 0.0
        dur_scale = leg.route.duration_s / total_dur if total_dur > 0 else 0.0
        if len(edges) != len(leg.edge_energy_kwh):
            raise ValueError("a leg needs one energy per edge")
        self.cum_m = list(accumulate((e.length_m * len_scale for e in edges), initial=0.0))
        self.cum_s = list(accumulate((e.duration_s * dur_scale for e in edges), initial=0.0))
        self.cum_kwh = list(accumulate(leg.edge_energy_kwh, initial=0.0))
        if not edges:
            # A leg without edges: its time (if any) spreads over its length.
            self.cum_m.append(leg.route.length_m)
            self.cum_s.append(leg.route.duration_s)
            self.cum_kwh.append(0.0)
        self.length_m = self.cum_m[-1]
        self.leg = leg

    def clamp(self, distance_m: float) -> float:
        """A distance inside the leg."""
        return min(self.length_m, max(0.0, distance_m))

    def _at(self, values: list[float], distance_m: float) -> float:
        d = self.clamp(distance_m)
        return self._at_edge(values, d, bisect_right(self.cum_m, d))

    def _at_edge(self, values: list[float], d: float, after: int) -> float:
        # d within the leg; after: bisect_right(cum_m, d).
        i = min(len(self.cum_m) - 2, max(0, after - 1))
        span = self.cum_m[i + 1] - self.cum_m[i]
        share = (d - self.cum_m[i]) / span if span > 0 else 1.0
        return values[i] + share * (values[i + 1] - values[i])

    def time_at(self, distance_m: float) -> float:
        """Driving seconds from the leg start to a distance."""
        return self._at(self.cum_s, distance_m)

    def energy_at(self, distance_m: float) -> float:
        """Net kWh from the leg start to a distance."""
        return self._at(self.cum_kwh, distance_m)

    def distance_at_time(self, time_s: float) -> float:
        """The distance reached after time_s of driving from the leg start."""
        t = min(self.cum_s[-1], max(0.0, time_s))
        i = min(len(self.cum_s) - 2, max(0, bisect_right(self.cum_s, t) - 1))
        span = self.cum_s[i + 1] - self.cum_s[i]
        share = (t - self.cum_s[i]) / span if span > 0 else 0.0
        return self.cum_m[i] + share * (self.cum_m[i + 1] - self.cum_m[i])

    def position_at(self, distance_m: float) -> LatLon:
        """The shape point nearest a distance (the shape's density is enough for a stop)."""
        shape = self.leg.route.shape
        if not shape:
            return self.leg.stop
        share = distance_m / self.length_m if self.length_m > 0 else 1.0
        d = self.clamp(distance_m)
        edges = self.leg.route.edges
        if edges:
            i = min(len(edges) - 1, max(0, bisect_right(self.cum_m, d) - 1))
            span = self.cum_m[i + 1] - self.cum_m[i]
            share = (d - self.cum_m[i]) / span if span > 0 else 1.0
            begin, end = edges[i].begin_shape_index, edges[i].end_shape_index
            index = round(begin + share * (end - begin))
        else:
            index = round(share * (len(shape) - 1))
        point = shape[min(len(shape) - 1, max(0, index))]
        return LatLon(point.lat, point.lon)

    def _ends(self, from_m: float, to_m: float) -> tuple[int, int, float, float, float, float]:
        # Two distances of the leg (from_m <= to_m): the edge boundaries after each, and the
        # time and energy from the leg start at each.
        a, b = self.clamp(from_m), self.clamp(to_m)
        after_a, after_b = bisect_right(self.cum_m, a), bisect_right(self.cum_m, b)
        at_edge, cum_s, cum_kwh = self._at_edge, self.cum_s, self.cum_kwh
        return (
            after_a,
            after_b,
            at_edge(cum_s, a, after_a),
            at_edge(cum_s, b, after_b),
            at_edge(cum_kwh, a, after_a),
            at_edge(cum_kwh, b, after_b),
        )

    def drive(self, from_m: float, to_m: float) -> tuple[float, float]:
        """The driving time and net energy between two distances (from_m <= to_m): stretch's,
        without the SoC caps a plan's drive does not read."""
        _, _, s_a, s_b, e_a, e_b = self._ends(from_m, to_m)
        return s_b - s_a, e_b - e_a

    def stretch(self, from_m: float, to_m: float, soc_max: float, capacity_kwh: float) -> Stretch:
        """The stretch between two distances of this leg (from_m <= to_m)."""
        after_a, after_b, s_a, s_b, e_a, e_b = self._ends(from_m, to_m)
        end = min(after_b, len(self.cum_m))
        return self._stretch(e_a, e_b, after_a, end, s_b - s_a, soc_max, capacity_kwh)

    def _stretch(
        self,
        e_a: float,
        e_b: float,
        lo: int,
        hi: int,
        duration_s: float,
        soc_max: float,
        capacity_kwh: float,
    ) -> Stretch:
        points = [0.0]
        points.extend(self.cum_kwh[i] - e_a for i in range(lo, hi))
        points.append(e_b - e_a)
        # The cap: after a boundary j the SoC is at most soc_max, so at boundary k it is at most
        # soc_max - (P_k - P_j); track the largest rise since the lowest prefix seen.
        cap_low = soc_max
        lowest_prefix = points[0]
        cap_end = soc_max
        for p in points:
            if p < lowest_prefix:
                lowest_prefix = p
            cap_end = soc_max - (p - lowest_prefix) / capacity_kwh
            if cap_end < cap_low:
                cap_low = cap_end
        return Stretch(
            duration_s=duration_s,
            energy_kwh=points[-1],
            max_prefix_kwh=max(points),
            cap_end_soc=cap_end,
            cap_low_soc=cap_low,
        )
