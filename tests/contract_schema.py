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
