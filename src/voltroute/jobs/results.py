"""Plans stored in the job row as JSON, and read back as domain objects."""

from __future__ import annotations

from voltroute.db.json_codec import JsonCodec
from voltroute.planner import Plan

_PLAN = JsonCodec(Plan)

plan_to_json = _PLAN.dump
plan_from_json = _PLAN.load
