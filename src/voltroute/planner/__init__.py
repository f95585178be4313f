"""The planner: a pure function from a routed tour, a vehicle and a clock to a plan."""

from voltroute.planner.plan import (
    NotDrivable,
    NotDrivableCode,
    Plan,
    PlannedSection,
    PlannedStop,
    PlanWarning,
    StopKind,
    WindowsReachable,
)
from voltroute.planner.problem import (
    ArrivalWindow,
    CandidateStation,
    OpenInterval,
    PlannedLegInput,
    PlanningProblem,
    StationHop,
)
from voltroute.planner.route_stations import AlternativeStation, CorridorStation, StationOnRoute
from voltroute.planner.tour_plan import plan_tour

__all__ = [
    "AlternativeStation",
    "ArrivalWindow",
    "CandidateStation",
    "CorridorStation",
    "NotDrivable",
    "NotDrivableCode",
    "OpenInterval",
    "Plan",
    "PlanWarning",
    "PlannedLegInput",
    "PlannedSection",
    "PlannedStop",
    "PlanningProblem",
    "StationHop",
    "StationOnRoute",
    "StopKind",
    "WindowsReachable",
    "plan_tour",
]
