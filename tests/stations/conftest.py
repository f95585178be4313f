"""Fixtures of the station tests: tiny named files in tests/stations/data and the real register."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from voltroute.domain import LatLon
from voltroute.stations import ChargePoint, ConnectorType, Station, StationSource

DATA = Path(__file__).resolve().parent / "data"
IMPORTED_AT = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def berlin_register(shared_data: Path) -> Path:
    return shared_data / "charging" / "bnetza_ladesaeulenregister_berlin_2026.csv"


def make_station(
    station_id: str, lat: float, lon: float, power_kw: float = 400.0, **fields: object
) -> Station:
    """A CCS station with one charge point; fields override the rest."""
    values: dict[str, object] = {
        "station_id": station_id,
        "name": station_id,
        "position": LatLon(lat, lon),
        "charge_points": (ChargePoint(ConnectorType.CCS, power_kw),),
        "source": StationSource.OVERLAY,
        "imported_at": IMPORTED_AT,
    }
    values.update(fields)
    return Station(**values)  # type: ignore[arg-type]
