"""Plans stored in the job row as JSON, and read back as domain objects."""

from __future__ import annotations

from typing import Any

from voltroute.db.json_codec import JsonCodec
from voltroute.jobs.legacy_results import upgraded
from voltroute.planner import Plan

_PLAN = JsonCodec(Plan)


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON types, for the job row."""
    return _PLAN.dump(plan)


def plan_from_json(document: dict[str, Any]) -> Plan:
    """The stored plan (also one a previous version stored); pydantic.ValidationError if it
    is malformed."""
    return _PLAN.load(upgraded(document))
