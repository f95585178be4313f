"""Tags, summaries and descriptions of the contract's operations, verbatim.

Pass them to the route decorators (`summary=..., description=...`, `tags=[PLANNER_TAG]`) rather
than relying on docstrings: the texts must match the contract character for character.
"""

from __future__ import annotations

PLANNER_TAG = "planner"
"""The one tag of every contract operation: `APIRouter(tags=[PLANNER_TAG])`."""

PLAN_TOUR_SUMMARY = "Plan Tour"
PLAN_TOUR_DESCRIPTION = (
    "Plan a tour by performing routing, retrieving vehicle and POI data, running a simulation, "
    "computing toll totals, and returning an assembled PlannerResponse.\n"
    "\n"
    "Performs routing using either a provided flexpolyline or start/stop positions, augments "
    "route data with the planner request, fetches vehicle information, obtains POIs along the "
    "route (optionally via the eco-movement feature), invokes the simulation service, computes "
    "a toll summary from the route, and returns the final PlannerResponse.\n"
    "\n"
    "Returns:\n"
    "    PlannerResponse: Response containing vehicle_id, battery_level_start, "
    "battery_level_end, sections, poi_list, optimal_departure_time, time_windows_reachable, "
    "toll_summary, and other planner metadata.\n"
    "\n"
    "Raises:\n"
    "    HTTPException: If the request is invalid or if any downstream service call (routing, "
    "vehicle info, POI retrieval, or simulation) fails."
)

PLAN_TOUR_V2_SUMMARY = "Submit route optimization"
PLAN_TOUR_V2_DESCRIPTION = (
    "Submit a route for optimization. The request is processed asynchronously and returns "
    "HTTP 202 with identifiers to track the job.\n"
    "\n"
    "Use the returned `job_id` to poll `GET /planner/jobs/{job_id}` for status. Once status is "
    "`succeeded`, retrieve the result via `GET /planner/optimizations/{optimization_id}/result`."
)

GET_JOB_STATUS_SUMMARY = "Get job status"
GET_JOB_STATUS_DESCRIPTION = (
    "Check the current status of an optimization job.\n"
    "\n"
    "Poll this endpoint after submitting a route via `POST /planner/v2`. Status values:\n"
    "- `queued` — waiting to be processed\n"
    "- `running` — optimization in progress\n"
    "- `succeeded` — route optimized, retrieve result with "
    "`GET /planner/optimizations/{optimization_id}/result`\n"
    "- `not_drivable` — route cannot be completed with the given parameters\n"
    "- `failed` — an error occurred\n"
    "- `canceled` — job was canceled"
)

LIST_JOBS_SUMMARY = "List jobs"
LIST_JOBS_DESCRIPTION = (
    "List all optimization jobs for a given user. Returns job summaries with status, "
    "timestamps, and identifiers."
)

GET_OPTIMIZATION_RESULT_SUMMARY = "Get optimization result"
GET_OPTIMIZATION_RESULT_DESCRIPTION = (
    "Retrieve the optimization result for a completed job.\n"
    "\n"
    "Call this endpoint once `GET /planner/jobs/{job_id}` returns status `succeeded` or "
    "`not_drivable`.\n"
    "\n"
    "A `succeeded` result contains route `sections` with charging stop details "
    "(`poi_summary`) and candidate charging stations (`poi_list`). If the route includes toll "
    "roads, a `toll_summary` is included. When status is `not_drivable`, the "
    "`not_drivable_reason` field explains why the route is not feasible."
)
