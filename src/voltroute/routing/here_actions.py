"""Valhalla manoeuvres as HERE Routing v8 turn-by-turn actions (contract: turnByTurnActions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, NamedTuple

from voltroute.routing.route import Maneuver
from voltroute.routing.valhalla_json import split_names


class HereAction(NamedTuple):
    """HERE action name, and direction/severity where HERE gives them (None otherwise)."""

    action: str
    direction: str | None = None
    severity: str | None = None


CONTINUE: Final = HereAction("continue")

# Every Valhalla maneuver type (proto/directions.proto, DirectionsLeg.Maneuver.Type), explicitly.
MANEUVER_ACTIONS: Final[dict[int, HereAction]] = {
    0: CONTINUE,  # kNone
    1: HereAction("depart"),  # kStart
    2: HereAction("depart"),  # kStartRight: the road is on the right, not a turn
    3: HereAction("depart"),  # kStartLeft
    4: HereAction("arrive"),  # kDestination
    5: HereAction("arrive"),  # kDestinationRight
    6: HereAction("arrive"),  # kDestinationLeft
    7: CONTINUE,  # kBecomes: the name changes
    8: CONTINUE,  # kContinue
    9: HereAction("turn", "right", "light"),  # kSlightRight
    10: HereAction("turn", "right", "quite"),  # kRight
    11: HereAction("turn", "right", "heavy"),  # kSharpRight
    12: HereAction("uTurn", "right"),  # kUturnRight
    13: HereAction("uTurn", "left"),  # kUturnLeft
    14: HereAction("turn", "left", "heavy"),  # kSharpLeft
    15: HereAction("turn", "left", "quite"),  # kLeft
    16: HereAction("turn", "left", "light"),  # kSlightLeft
    17: HereAction("enterHighway", "middle"),  # kRampStraight
    18: HereAction("enterHighway", "right"),  # kRampRight
    19: HereAction("enterHighway", "left"),  # kRampLeft
    20: HereAction("exit", "right"),  # kExitRight
    21: HereAction("exit", "left"),  # kExitLeft
    22: HereAction("keep", "middle"),  # kStayStraight
    23: HereAction("keep", "right"),  # kStayRight
    24: HereAction("keep", "left"),  # kStayLeft
    25: HereAction("continueHighway"),  # kMerge: the ramp joins the carriageway
    26: HereAction("roundaboutEnter"),  # kRoundaboutEnter
    27: HereAction("roundaboutExit"),  # kRoundaboutExit
    28: CONTINUE,  # kFerryEnter: HERE puts ferries in their own section; one leg here
    29: CONTINUE,  # kFerryExit
    30: CONTINUE,  # kTransit (public transport; never for a truck)
    31: CONTINUE,  # kTransitTransfer
    32: CONTINUE,  # kTransitRemainOn
    33: CONTINUE,  # kTransitConnectionStart
    34: CONTINUE,  # kTransitConnectionTransfer
    35: CONTINUE,  # kTransitConnectionDestination
    36: CONTINUE,  # kPostTransitConnectionDestination
    37: HereAction("continueHighway", "right"),  # kMergeRight
    38: HereAction("continueHighway", "left"),  # kMergeLeft
    39: CONTINUE,  # kElevatorEnter (pedestrian)
    40: CONTINUE,  # kStepsEnter (pedestrian)
    41: CONTINUE,  # kEscalatorEnter (pedestrian)
    42: CONTINUE,  # kBuildingEnter (pedestrian)
    43: CONTINUE,  # kBuildingExit (pedestrian)
}


def here_action_for(maneuver_type: int) -> HereAction:
    """The HERE action for a Valhalla maneuver type; unknown types become "continue"."""
    return MANEUVER_ACTIONS.get(maneuver_type, CONTINUE)


def here_actions(maneuvers: Sequence[Maneuver], point_count: int) -> tuple[dict[str, object], ...]:
    """HERE turn-by-turn actions; offsets index the leg's polyline points (point_count of them)."""
    last = max(point_count - 1, 0)
    return tuple(_action(m, last) for m in maneuvers)


def _action(m: Maneuver, last_offset: int) -> dict[str, object]:
    kind = here_action_for(m.type)
    out: dict[str, object] = {
        "action": kind.action,
        "duration": round(m.duration_s),
        "length": round(m.length_m),
        "offset": min(max(m.begin_shape_index, 0), last_offset),
        "instruction": m.instruction,
    }
    if kind.direction is not None:
        out["direction"] = kind.direction
    if kind.severity is not None:
        out["severity"] = kind.severity
    if kind.action in {"roundaboutEnter", "roundaboutExit"} and m.roundabout_exit_count:
        out["exit"] = m.roundabout_exit_count
    if m.exit_numbers:
        out["exitSign"] = {"number": [{"value": n} for n in m.exit_numbers]}
    if m.exit_towards or m.exit_branches:
        out["signpost"] = {
            "labels": [{"text": {"value": t}} for t in (*m.exit_branches, *m.exit_towards)]
        }
    road = _road(m.street_names)
    if road and kind.action != "arrive":
        out["nextRoad"] = road
    return out


def _road(street_names: Sequence[str]) -> dict[str, object] | None:
    names, numbers = split_names(street_names)
    road: dict[str, object] = {}
    if names:
        road["name"] = [{"value": n} for n in names]
    if numbers:
        road["number"] = [{"value": n} for n in numbers]
    return road or None
