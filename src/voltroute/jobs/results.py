"""Plans stored in the job row as JSON, and read back as domain objects."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from voltroute.planner import Plan

_PLAN: TypeAdapter[Plan] = TypeAdapter(Plan)


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """JSON-ready form of a plan."""
    data: dict[str, Any] = _PLAN.dump_python(plan, mode="json")
    return data


def plan_from_json(data: dict[str, Any]) -> Plan:
    """Inverse of plan_to_json."""
    return _PLAN.validate_python(data)
