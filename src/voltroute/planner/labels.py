"""Labels of the optimizer's search: a partial plan's state at a route point and its steps.

The compiled core (cpp/search.cpp) runs the search; search_core reads its best plan back into
these classes, which optimizer.py and plan_builder.py read."""

from __future__ import annotations

from typing import NamedTuple

from voltroute.planner.problem import CandidateStation, StationHop

EPS = 1e-9


# Steps are named tuples: a plan reads hundreds back from the compiled core (search_core), and a
# tuple is the cheapest object to make.
class RoadsideStop(NamedTuple):
    """A break or rest taken where the driving limit falls, not at a planned stop."""

    # "break", "part" (15 min or more, no 561 break), "wait" (counts as neither), "rest",
    # "weekly_rest"
    kind: str
    drive_offset_s: float  # driving seconds into the piece where the truck stops
    start_s: float
    end_s: float


class DriveStep(NamedTuple):
    """Driving along leg `leg` from one distance to another."""

    leg: int
    from_m: float
    to_m: float
    start_s: float
    soc_start: float
    roadside: tuple[RoadsideStop, ...]


class StopStep(NamedTuple):
    """A stop: an inserted charging stop at a station, or the request's stop at a leg end."""

    leg: int
    station: CandidateStation | None  # None: the customer stop at the end of the leg
    arrival_s: float
    waiting_s: float  # for a window or a closed station
    charge_s: float  # pure charging time
    standstill_s: float  # whole stop, arrival to departure
    soc_arrival: float
    soc_departure: float
    window_met: bool | None
    # What the stop's free blocks count as ("none", "part", "break", "rest",
    # "weekly_rest"): the one before the work (waiting, and pre_break_s more before a customer's
    # service) and the one after it (charging, or staying on after the service).
    pre_break_s: float
    pre_kind: str
    kind: str
    # Forced before the detour to the station; at a customer stop, standing nearby until the
    # window opens.
    before: tuple[RoadsideStop, ...] = ()
    after: tuple[RoadsideStop, ...] = ()  # forced before the detour back
    # A chain of stations: the hop the truck came here by (None: from the route), whether it
    # leaves by one to the next station rather than back to the route, and whether it passes
    # the station by without a stop (the hop and this station's way back as its way back).
    arrived_by: StationHop | None = None
    leaves_by_hop: bool = False
    passes_by: bool = False


Step = DriveStep | StopStep


class Label:
    """A plan up to a route point (read back from the compiled core, whose labels also carry
    the driver's counters): its time, SoC and tie-breakers, and the step that led to it."""

    __slots__ = ("charged_kwh", "missed", "parent", "soc", "step", "stops", "time_s", "waited_s")

    def __init__(
        self,
        time_s: float,
        soc: float,
        missed: int,
        waited_s: float,
        stops: int,
        charged_kwh: float,
        parent: Label | None,
        step: Step | None,
    ) -> None:
        self.time_s = time_s  # search seconds from the drive-off
        self.soc = soc
        self.missed = missed  # arrival windows missed so far
        self.waited_s = waited_s  # waiting for windows and opening hours so far
        self.stops = stops
        self.charged_kwh = charged_kwh
        self.parent = parent
        self.step = step

    def steps(self) -> list[Step]:
        """The steps from the tour start to this label, in order."""
        out: list[Step] = []
        label: Label | None = self
        while label is not None:
            if label.step is not None:
                out.append(label.step)
            label = label.parent
        out.reverse()
        return out
