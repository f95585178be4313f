"""The referee's instances: frvcpy's shipped E-VRP-NL instance and one drawn here."""

from __future__ import annotations

import pytest
from tests.referee.frvcpy_instances import Instance, drawn_instance, reference_instance

DRAWN_SEED = 2016  # Montoya et al.'s year
DRAWN_CUSTOMERS = 30
DRAWN_STATIONS = 7


def drawn() -> Instance:
    """The drawn instance: a function, not a fixture, so that Hypothesis does not print it
    with every falsifying example."""
    return drawn_instance(DRAWN_SEED, DRAWN_CUSTOMERS, DRAWN_STATIONS)


@pytest.fixture(scope="session")
def tc0c40s8cf0() -> Instance:
    """Montoya's tc0c40s8cf0 as frvcpy ships it: 40 customers, 8 stations and the depot's."""
    return reference_instance()
