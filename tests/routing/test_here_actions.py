"""Valhalla manoeuvres become HERE Routing v8 turn-by-turn actions."""

from __future__ import annotations

import pytest

from voltroute.routing import Maneuver
from voltroute.routing.here_actions import MANEUVER_ACTIONS, here_action_for, here_actions

HERE_ACTIONS = {
    "depart",
    "arrive",
    "continue",
    "turn",
    "keep",
    "uTurn",
    "exit",
    "enterHighway",
    "continueHighway",
    "roundaboutEnter",
    "roundaboutExit",
}


def maneuver(kind: int, begin: int, end: int, **extra: object) -> Maneuver:
    return Maneuver(
        type=kind,
        instruction=f"maneuver {kind}",
        length_m=1234.4,
        duration_s=56.6,
        begin_shape_index=begin,
        end_shape_index=end,
        **extra,  # type: ignore[arg-type]
    )


def test_every_valhalla_maneuver_type_is_mapped_explicitly() -> None:
    assert set(MANEUVER_ACTIONS) == set(range(44))
    assert {a.action for a in MANEUVER_ACTIONS.values()} <= HERE_ACTIONS


def test_unknown_maneuver_types_continue() -> None:
    assert here_action_for(99).action == "continue"


@pytest.mark.parametrize(
    ("kind", "action", "direction", "severity"),
    [
        (1, "depart", None, None),
        (4, "arrive", None, None),
        (9, "turn", "right", "light"),
        (10, "turn", "right", "quite"),
        (11, "turn", "right", "heavy"),
        (14, "turn", "left", "heavy"),
        (15, "turn", "left", "quite"),
        (16, "turn", "left", "light"),
        (12, "uTurn", "right", None),
        (13, "uTurn", "left", None),
        (18, "enterHighway", "right", None),
        (20, "exit", "right", None),
        (21, "exit", "left", None),
        (22, "keep", "middle", None),
        (24, "keep", "left", None),
        (26, "roundaboutEnter", None, None),
        (27, "roundaboutExit", None, None),
    ],
)
def test_maneuver_types_map_to_here_action_direction_and_severity(
    kind: int, action: str, direction: str | None, severity: str | None
) -> None:
    assert tuple(here_action_for(kind)) == (action, direction, severity)


def test_actions_carry_offset_rounded_length_duration_and_instruction() -> None:
    (action,) = here_actions([maneuver(10, 4, 9, street_names=("Hauptstraße", "L 543"))], 20)
    assert action == {
        "action": "turn",
        "direction": "right",
        "severity": "quite",
        "offset": 4,
        "length": 1234,
        "duration": 57,
        "instruction": "maneuver 10",
        "nextRoad": {"name": [{"value": "Hauptstraße"}], "number": [{"value": "L 543"}]},
    }


def test_exit_actions_carry_the_exit_sign() -> None:
    exit_maneuver = maneuver(20, 3, 5, exit_numbers=("5",), exit_towards=("Karlsruhe",))
    (action,) = here_actions([exit_maneuver], 10)
    assert action["exitSign"] == {"number": [{"value": "5"}]}
    assert action["signpost"] == {"labels": [{"text": {"value": "Karlsruhe"}}]}


def test_roundabouts_carry_the_exit_to_take() -> None:
    (action,) = here_actions([maneuver(26, 3, 5, roundabout_exit_count=2)], 10)
    assert action["exit"] == 2


def test_offsets_stay_inside_the_polyline() -> None:
    actions = here_actions([maneuver(1, 0, 3), maneuver(4, 12, 12)], 5)
    assert [a["offset"] for a in actions] == [0, 4]
