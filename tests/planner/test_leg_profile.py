"""A leg's cumulative time and energy (LegProfile): a plan's drive reads the numbers of its
stretch."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from voltroute.planner.leg_profile import LegProfile

from .conftest import make_leg_input


@given(
    energy_kwh=st.lists(st.floats(-5.0, 20.0), min_size=1, max_size=8),
    length_m=st.floats(100.0, 300_000.0),
    duration_s=st.floats(10.0, 20_000.0),
    ends=st.tuples(st.floats(-1_000.0, 310_000.0), st.floats(-1_000.0, 310_000.0)),
)
def test_a_drive_takes_the_time_and_energy_of_its_stretch_exactly(
    energy_kwh: list[float], length_m: float, duration_s: float, ends: tuple[float, float]
) -> None:
    # build_sections sums drive() over a plan's drive steps where it summed stretch(): the same
    # numbers to the last bit, or a plan's sections would move.
    profile = LegProfile(make_leg_input(energy_kwh, length_m=length_m, duration_s=duration_s))
    from_m, to_m = sorted(ends)
    piece = profile.stretch(from_m, to_m, 1.0, 600.0)
    assert profile.drive(from_m, to_m) == (piece.duration_s, piece.energy_kwh)
