"""Fixtures for the vehicles tests."""

from __future__ import annotations

import pytest

from voltroute.vehicles import Vehicle

from .samples import EACTROS, TOY


@pytest.fixture
def eactros() -> Vehicle:
    """The default catalogue vehicle: Mercedes-Benz eActros 600 with a semitrailer."""
    return EACTROS


@pytest.fixture
def toy() -> Vehicle:
    """A small-numbers truck whose charging curve has ramp, plateau and taper."""
    return TOY
