"""Validate JSON against a component schema of the published contract (not against our models)."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

CONTRACT_DIR = Path(
    os.environ.get(
        "VOLTROUTE_SHARED_CONTRACT",
        Path(__file__).resolve().parents[1].parent / "shared" / "contract",
    )
)
REPO = Path(__file__).resolve().parents[1]
DEMO_TOUR = REPO / "examples" / "heidelberg-tour.json"


@cache
def contract() -> dict[str, Any]:
    """The published OpenAPI document the API must serve."""
    with (CONTRACT_DIR / "fryte-openapi-latest.json").open() as handle:
        document: dict[str, Any] = json.load(handle)
    return document


def contract_errors(instance: Any, component: str) -> list[str]:
    """Every way instance violates the contract's component schema (empty when valid)."""
    schema = {"$ref": f"#/components/schemas/{component}", "components": contract()["components"]}
    validator = Draft202012Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def demo_tour() -> dict[str, Any]:
    """The README's demo tour: three sections in Heidelberg, one window, one dwell charger."""
    with DEMO_TOUR.open() as handle:
        body: dict[str, Any] = json.load(handle)
    return body


SIX_OCLOCK_START_UTC = "2026-01-13T05:00:00Z"
"""The drive-off of `six_oclock_tour()`: 06:00 in Heidelberg (CET, UTC+1)."""


def six_oclock_tour() -> dict[str, Any]:
    """The demo tour asked to start at 06:00 local, with no window or departure service.

    The truck drives off at the requested start, so every view of the result must say 06:00;
    the legs last fractions of a second (890.854 s), which cut times turned into 05:59.
    A fixed date keeps the time zone's offset (and the result) the same on every run.
    """
    body = demo_tour()
    body["start_time_tour"] = "2026-01-13T06:00:00+01:00"
    body["service_time_departure_min"] = 0
    for section in body["section_list"]:
        section.pop("opening_time", None)
    return body
