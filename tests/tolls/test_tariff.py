"""The packaged German tariff: BFStrMG Annex 1 transcribed, dated, classes by mass and axles."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from voltroute.tolls import TariffFileError, find_tariff, packaged_tariffs, tariff_from_json
from voltroute.tolls.tariff import TARIFF_FILES

# Our six classes -> the shared transcription's keys (it merges 4 and 5+ axles outside CO2).
SHARED_KEY = {
    ">3.5t-<7.5t": (">3.5t-<7.5t", ">3.5t-<7.5t"),
    "7.5t-<12t": ("7.5t-<12t", "7.5t-<12t"),
    "12t-18t": ("12t-18t", "12t-18t"),
    ">18t_upto3axles": (">18t_upto3axles", ">18t_upto3axles"),
    ">18t_4axles": (">18t_4plus_axles", ">18t_4axles"),
    ">18t_5plus_axles": (">18t_4plus_axles", ">18t_5plus_axles"),
}
CO2_SHARED_ROW = {
    "1/EURO I and worse": "1/EURO I und schlechter",
    "1/EURO II-III": "1/EURO II EURO III",
    "1/EURO IV-V, EEV 1": "1/EURO IV EURO V EEV Klasse 1",
    "1/EURO VI": "1/EURO VI",
    "2": "2",
    "3": "3",
    "4": "4",
    "5": "5",
}


def german() -> Any:
    tariff = find_tariff(packaged_tariffs(), "DE", date(2026, 9, 1))
    assert tariff is not None
    return tariff


def shared_rate(value: float) -> Decimal:
    return Decimal(str(value))


def test_the_german_tariff_is_toll_collect_in_euro_from_july_2024() -> None:
    tariff = german()

    assert (tariff.toll_system, tariff.currency, tariff.country_code) == (
        "TOLL COLLECT GMBH",
        "EUR",
        "DE",
    )
    assert tariff.valid_from == date(2024, 7, 1)
    assert "BFStrMG Anlage 1" in tariff.source
    assert "2026-08-19" in tariff.source


def test_every_rate_matches_the_shared_transcription_of_annex_1(shared_data: Path) -> None:
    shared = json.loads(
        (shared_data / "toll" / "de" / "lkw_maut_rates_de_2024-07-01.json").read_text("utf-8")
    )
    tariff = german()

    for ours, (theirs, theirs_co2) in SHARED_KEY.items():
        assert tariff.infrastructure[ours] == shared_rate(shared["infrastructure"][theirs])
        assert tariff.noise[ours] == shared_rate(shared["noise"][theirs])
        for category, rates in shared["air_pollution_by_category"].items():
            assert tariff.air_pollution[category][ours] == shared_rate(rates[theirs])
        for row, shared_row in CO2_SHARED_ROW.items():
            assert tariff.co2[row][ours] == shared_rate(
                shared["co2_by_class"][shared_row][theirs_co2]
            )


def test_the_law_text_holds_the_figures_of_the_example_truck(shared_data: Path) -> None:
    law = (shared_data / "toll" / "de" / "BFStrMG_2026-08-19.md").read_text("utf-8")
    annex = law[law.index("# Anlage 1 ") : law.index("# Anlage 2 ")]

    assert "mit vier oder mehr Achsen 0,155 Euro" in annex
    for figure in ("0,023", "0,012", "0,158"):
        assert figure in annex
    assert "bis 30. Juni 2031" in law


def test_the_zero_emission_exemption_ends_on_30_june_2031() -> None:
    exemption = next(e for e in german().exemptions if e.key == "zero_emission_heavy")

    assert exemption.valid_until == date(2031, 6, 30)
    assert "section 1(2) sentence 1 no. 7" in exemption.citation


def test_the_exempt_sections_of_section_1_3_are_named() -> None:
    sections = german().exempt_sections

    assert [s.ref for s in sections] == ["A 6", "A 5", None]
    assert "Saarbruecken-Fechingen" in sections[0].name
    assert "Muellheim/Neuenburg" in sections[1].name


@pytest.mark.parametrize(
    ("gross_mass_kg", "axles", "expected"),
    [
        (3_500, 2, None),
        (3_501, 2, ">3.5t-<7.5t"),
        (7_499, 2, ">3.5t-<7.5t"),
        (7_500, 2, "7.5t-<12t"),
        (11_999, 2, "7.5t-<12t"),
        (12_000, 2, "12t-18t"),
        (18_000, 3, "12t-18t"),
        (18_001, 3, ">18t_upto3axles"),
        (26_000, 4, ">18t_4axles"),
        (40_000, 5, ">18t_5plus_axles"),
        (44_000, 6, ">18t_5plus_axles"),
    ],
)
def test_weight_classes_follow_the_bounds_of_annex_1(
    gross_mass_kg: float, axles: int, expected: str | None
) -> None:
    found = german().weight_class(gross_mass_kg, axles)

    assert (found.key if found is not None else None) == expected


def test_no_german_tariff_is_in_force_before_july_2024() -> None:
    assert find_tariff(packaged_tariffs(), "DE", date(2024, 6, 30)) is None
    assert find_tariff(packaged_tariffs(), "DE", date(2024, 7, 1)) is not None


def test_a_tariff_file_missing_a_class_rate_is_rejected() -> None:
    text = resources.files("voltroute.tolls").joinpath(TARIFF_FILES[0]).read_text("utf-8")
    data = json.loads(text)
    del data["noise"]["rates"][">18t_4axles"]

    with pytest.raises(TariffFileError, match="noise"):
        tariff_from_json(data)


def test_a_tariff_file_with_an_unknown_air_category_is_rejected() -> None:
    text = resources.files("voltroute.tolls").joinpath(TARIFF_FILES[0]).read_text("utf-8")
    data = json.loads(text)
    data["air_pollution"]["category_by_euro_class"]["VI"] = "Z"

    with pytest.raises(TariffFileError, match="Z"):
        tariff_from_json(data)
