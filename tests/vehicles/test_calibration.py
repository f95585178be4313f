"""The energy model against published consumption figures, and its generated report."""

from __future__ import annotations

from pathlib import Path

import pytest

from voltroute.vehicles import Catalogue
from voltroute.vehicles.calibration import (
    CALIBRATION_TOLERANCE,
    MEASUREMENTS,
    CalibrationRow,
    calibration_rows,
    render_markdown,
)
from voltroute.vehicles.catalogue import catalogue_data

REPORT = Path(__file__).resolve().parents[2] / "docs" / "energy-calibration.md"


@pytest.mark.parametrize("row", calibration_rows(), ids=lambda row: row.measurement.vehicle_id)
def test_the_model_is_within_ten_percent_of_each_published_measurement(
    row: CalibrationRow,
) -> None:
    assert abs(row.relative_error) <= CALIBRATION_TOLERANCE, f"{row}"


def test_each_measurement_cites_a_catalogue_source_and_a_catalogue_vehicle() -> None:
    sources = catalogue_data()["sources"]
    catalogue = Catalogue()
    for measurement in MEASUREMENTS:
        assert sources[measurement.source]["url"].startswith("https://")
        assert measurement.vehicle_id in catalogue
        payload_kg = measurement.gross_mass_kg - catalogue.get(measurement.vehicle_id).curb_mass_kg
        assert payload_kg > 0  # the stated mass is a loaded truck, not a lighter one


def test_the_calibration_report_is_what_the_script_generates() -> None:
    # Regenerate with: .venv/bin/python bench/energy_calibration.py
    assert REPORT.read_text("utf-8") == render_markdown(calibration_rows())
