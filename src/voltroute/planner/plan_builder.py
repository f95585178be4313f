"""The optimizer's label chain as a Plan: one section per stop, inserted stops included.

A section ends at each stop: the request's stops, inserted charging stops, and breaks or rests
taken by the road. Its route is the leg sliced at the junction (route_slice); a station's detour
is counted in driving_s, energy_kwh and detour_m but not drawn in the route geometry, and so is a
hop between two stations of a chain (the section from the one to the other has no route).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from voltroute.domain import LatLon
from voltroute.planner.labels import DriveStep, Label, RoadsideStop, StopStep
from voltroute.planner.leg_profile import LegProfile
from voltroute.planner.plan import PlannedSection, PlannedStop, StopActivity, StopKind
from voltroute.planner.problem import PlanningProblem
from voltroute.planner.route_slice import slice_leg
from voltroute.tachograph import ActivityKind

# What a free block counts as (StopStep.kind, RoadsideStop.kind) as a tachograph activity; a
# block that counts as nothing is a break too short to count, or waiting (availability).
_FREE_ACTIVITY = {
    "part": ActivityKind.BREAK,
    "break": ActivityKind.BREAK,
    "rest": ActivityKind.DAILY_REST,
    "weekly_rest": ActivityKind.WEEKLY_REST,
}
# A roadside stop: its kind and name.
_ROADSIDE = {
    "break": (StopKind.BREAK, "Break"),
    "part": (StopKind.BREAK, "Break"),
    "wait": (StopKind.BREAK, "Waiting for the window"),
    "rest": (StopKind.DAILY_REST, "Daily rest"),
    "weekly_rest": (StopKind.WEEKLY_REST, "Weekly rest"),
}


@dataclass
class _Open:
    """The section being built."""

    leg: int
    from_m: float
    start: LatLon
    soc_start: float
    driving_s: float = 0.0
    energy_kwh: float = 0.0
    detour_m: float = 0.0
    to_m: float = 0.0
    station_hop: bool = False
    hopped_over_m: float = 0.0
    passed_station_id: str | None = None


@dataclass
class _Builder:
    problem: PlanningProblem
    profiles: tuple[LegProfile, ...]
    drive_off: datetime
    sections: list[PlannedSection] = field(default_factory=list)
    since_break_s: float = 0.0

    def at(self, t: float) -> datetime:
        return self.drive_off + timedelta(seconds=t)

    def close(self, sec: _Open, stop: PlannedStop, soc_end: float, request: bool) -> None:
        leg = self.problem.legs[sec.leg]
        route = slice_leg(leg.route, sec.from_m, sec.to_m)
        self.sections.append(
            PlannedSection(
                section_id=leg.section_id if request else None,
                start=sec.start,
                stop=stop.position,
                route=route,
                payload_kg=leg.payload_kg,
                energy_kwh=sec.energy_kwh,
                soc_start=sec.soc_start,
                soc_end=soc_end,
                driving_s=sec.driving_s,
                planned_stop=stop,
                opening_time=leg.opening_time if request else None,
                request_service_time_min=leg.service_time_s / 60.0 if request else 0.0,
                request_power_available_kw=leg.dwell_power_kw if request else 0.0,
                detour_m=sec.detour_m,
                station_hop=sec.station_hop,
                hopped_over_m=sec.hopped_over_m,
                passed_station_id=sec.passed_station_id,
            )
        )

    def off_route(self, sec: _Open, driving_s: float, energy_kwh: float, distance_m: float) -> None:
        """Driving that is not along the route: to or from a station, or station to station."""
        sec.driving_s += driving_s
        sec.energy_kwh += energy_kwh
        sec.detour_m += distance_m
        self.since_break_s += driving_s

    def roadside(self, sec: _Open, event: RoadsideStop, position: LatLon, soc: float) -> None:
        rest = event.kind in ("rest", "weekly_rest")
        standstill_s = event.end_s - event.start_s
        kind, name = _ROADSIDE[event.kind]
        # Waiting that counts as no break is neither work nor a break (availability).
        activity = _FREE_ACTIVITY.get(event.kind, ActivityKind.AVAILABILITY)
        stop = PlannedStop(
            kind=kind,
            name=name,
            position=position,
            arrival=self.at(event.start_s),
            departure=self.at(event.end_s),
            soc_arrival=soc,
            soc_departure=soc,
            charged_kwh=0.0,
            charge_time_s=0.0,
            service_time_s=0.0,
            waiting_s=0.0,
            dwell_power_kw=0.0,
            window_met=None,
            time_zone=self.problem.legs[sec.leg].stop_time_zone,
            break_s=standstill_s if event.kind in ("break", "part") else 0.0,
            rest_s=standstill_s if rest else 0.0,
            driving_since_break_s=self.since_break_s,
            activities=(StopActivity(activity, self.at(event.start_s), self.at(event.end_s)),),
        )
        self.close(sec, stop, soc, request=False)
        if event.kind not in ("part", "wait"):  # neither is a completed break
            self.since_break_s = 0.0


def build_sections(
    problem: PlanningProblem, profiles: tuple[LegProfile, ...], drive_off: datetime, best: Label
) -> list[PlannedSection]:
    """The sections of the plan that ends with label best."""
    b = _Builder(problem, profiles, drive_off)
    capacity = problem.vehicle.battery_usable_kwh
    sec = _Open(0, 0.0, problem.legs[0].start, problem.soc_start)
    last_leg = len(problem.legs) - 1
    for step in best.steps():
        if isinstance(step, DriveStep):
            profile = profiles[step.leg]
            from_m, soc = step.from_m, step.soc_start
            for event in step.roadside:
                d = profile.distance_at_time(profile.time_at(step.from_m) + event.drive_offset_s)
                piece = profile.stretch(from_m, d, problem.soc_max, capacity)
                soc = piece.soc_after(soc, capacity)
                sec.driving_s += piece.duration_s
                sec.energy_kwh += piece.energy_kwh
                b.since_break_s += piece.duration_s
                sec.to_m = d
                b.roadside(sec, event, profile.position_at(d), soc)
                sec = _Open(step.leg, d, profile.position_at(d), soc)
                from_m = d
            duration_s, energy_kwh = profile.drive(from_m, step.to_m)
            sec.driving_s += duration_s
            sec.energy_kwh += energy_kwh
            b.since_break_s += duration_s
            sec.to_m = step.to_m
            continue
        leg = problem.legs[step.leg]
        if step.station is None:
            # Standing near the stop until its window opens (the arrival is after it).
            for event in step.before:
                b.roadside(sec, event, leg.stop, step.soc_arrival)
                sec = _Open(step.leg, sec.to_m, leg.stop, step.soc_arrival, to_m=sec.to_m)
            last = step.leg == last_leg
            kind = StopKind.DESTINATION if last else StopKind.CUSTOMER
            name = "Destination" if last else (leg.section_id or f"Stop {step.leg + 1}")
            # One free block where no work parts it (the search counts it so: cpp/search.cpp).
            one_block = leg.driver_free_during_service or (leg.service_time_s <= 0 and not last)
            stop = _stop(
                b,
                step,
                kind,
                name,
                leg.stop,
                leg.stop_time_zone,
                _customer_time(b, step, one_block),
                service_time_s=leg.service_time_s,
                dwell_power_kw=leg.dwell_power_kw,
                driver_free_during_service=leg.driver_free_during_service,
            )
            b.close(sec, stop, step.soc_arrival, request=True)
            if _resets_break(step):
                b.since_break_s = 0.0
            if not last:
                nxt = problem.legs[step.leg + 1]
                sec = _Open(step.leg + 1, 0.0, nxt.start, step.soc_departure)
            continue
        station = step.station
        hop = step.arrived_by
        # A chain rejoins the route at its last station's junction.
        junction_m = sec.to_m
        if hop is not None:
            junction_m = profiles[step.leg].clamp(station.distance_along_leg_m)
        if step.passes_by:
            # Passed by: the hop and this station's way back are the way back from the last.
            assert hop is not None
            for event in step.after:
                b.roadside(sec, event, sec.start, _soc_now(sec, capacity))
                sec = _Open(step.leg, sec.to_m, sec.start, _soc_now(sec, capacity), to_m=sec.to_m)
            b.off_route(sec, hop.duration_s, hop.energy_kwh, hop.distance_m)
            b.off_route(sec, station.detour_from_s, station.detour_from_kwh, station.detour_m / 2)
            sec.hopped_over_m += junction_m - sec.to_m
            sec.passed_station_id = station.station_id
            sec.from_m = sec.to_m = junction_m
            continue
        # Where a break forced on the way here is taken: at the junction, or at the station the
        # truck hops from.
        before_at = profiles[step.leg].position_at(sec.to_m) if hop is None else sec.start
        for event in step.before:
            b.roadside(sec, event, before_at, _soc_now(sec, capacity))
            soc = _soc_now(sec, capacity)
            sec = _Open(step.leg, sec.to_m, before_at, soc, to_m=sec.to_m)
        if hop is None:
            b.off_route(sec, station.detour_to_s, station.detour_to_kwh, station.detour_m / 2)
        else:
            b.off_route(sec, hop.duration_s, hop.energy_kwh, hop.distance_m)
        sec.station_hop = hop is not None
        sec.hopped_over_m += junction_m - sec.to_m
        kind = {"rest": StopKind.DAILY_REST, "weekly_rest": StopKind.WEEKLY_REST}.get(
            step.kind, StopKind.CHARGING
        )
        plug_overhead_s = problem.vehicle.plug_overhead_s
        stop = _stop(
            b,
            step,
            kind,
            station.name,
            station.position,
            leg.stop_time_zone,
            _charging_time(b, step, plug_overhead_s),
            dwell_power_kw=station.power_kw,
            plug_overhead_s=plug_overhead_s,
            station_id=station.station_id,
        )
        b.close(sec, stop, step.soc_arrival, request=False)
        if _resets_break(step):
            b.since_break_s = 0.0
        sec = _Open(step.leg, junction_m, station.position, step.soc_departure, to_m=junction_m)
        if step.leaves_by_hop:
            continue
        for event in step.after:
            b.roadside(sec, event, station.position, step.soc_departure)
            sec = _Open(step.leg, sec.to_m, station.position, step.soc_departure, to_m=sec.to_m)
        b.off_route(sec, station.detour_from_s, station.detour_from_kwh, station.detour_m / 2)
    return b.sections


def _soc_now(sec: _Open, capacity_kwh: float) -> float:
    return sec.soc_start - sec.energy_kwh / capacity_kwh


def _stop(
    b: _Builder,
    step: StopStep,
    kind: StopKind,
    name: str,
    position: LatLon,
    time_zone: str,
    time: _StopTime,
    *,
    service_time_s: float = 0.0,
    dwell_power_kw: float = 0.0,
    driver_free_during_service: bool = False,
    plug_overhead_s: float = 0.0,
    station_id: str | None = None,
) -> PlannedStop:
    capacity = b.problem.vehicle.battery_usable_kwh
    return PlannedStop(
        kind=kind,
        name=name,
        position=position,
        arrival=b.at(step.arrival_s),
        departure=b.at(step.arrival_s + step.standstill_s),
        soc_arrival=step.soc_arrival,
        soc_departure=step.soc_departure,
        charged_kwh=(step.soc_departure - step.soc_arrival) * capacity,
        charge_time_s=step.charge_s,
        service_time_s=service_time_s,
        waiting_s=step.waiting_s,
        dwell_power_kw=dwell_power_kw,
        window_met=step.window_met,
        time_zone=time_zone,
        break_s=time.break_s,
        rest_s=time.rest_s,
        driving_since_break_s=b.since_break_s,
        plug_overhead_s=plug_overhead_s,
        station_id=station_id,
        activities=time.activities,
        driver_free_during_service=driver_free_during_service,
    )


def _resets_break(step: StopStep) -> bool:
    return step.kind not in ("none", "part") or step.pre_kind not in ("none", "part")


@dataclass(frozen=True, slots=True)
class _StopTime:
    """A stop's activities and the break and rest time among them."""

    activities: tuple[StopActivity, ...]
    break_s: float
    rest_s: float


def _customer_time(b: _Builder, step: StopStep, one_block: bool) -> _StopTime:
    """A customer stop's time: waiting (and a break before the service), the service as work
    (or free), then what the driver stays on for; or all of it one free block."""
    service_s = b.problem.legs[step.leg].service_time_s
    if one_block:
        blocks = [(step.kind, step.standstill_s, True)]
    else:
        free_after_s = step.standstill_s - step.waiting_s - step.pre_break_s - service_s
        blocks = [
            (step.pre_kind, step.waiting_s + step.pre_break_s, False),
            ("work", service_s, False),
            (step.kind, free_after_s, True),
        ]
    return _time_blocks(b, step.arrival_s, blocks)


def _charging_time(b: _Builder, step: StopStep, plug_overhead_s: float) -> _StopTime:
    """A charging stop's time: waiting for the opening, plugging in, charging (the driver is
    off duty, and may stay on), unplugging."""
    free_s = step.standstill_s - step.waiting_s - plug_overhead_s
    blocks = [
        (step.pre_kind, step.waiting_s, False),
        ("work", plug_overhead_s / 2, False),
        (step.kind, free_s, True),
        ("work", plug_overhead_s / 2, False),
    ]
    return _time_blocks(b, step.arrival_s, blocks)


def _time_blocks(b: _Builder, start_s: float, blocks: list[tuple[str, float, bool]]) -> _StopTime:
    """The activities of (kind, seconds, off duty) blocks from start_s, and the break and rest
    time among them."""
    activities: list[StopActivity] = []
    break_s = rest_s = 0.0
    t = start_s
    for kind, length_s, off_duty in blocks:
        if length_s <= 1e-6:
            continue
        if kind == "work":
            activity = ActivityKind.OTHER_WORK
        else:
            idle = ActivityKind.BREAK if off_duty else ActivityKind.AVAILABILITY
            activity = _FREE_ACTIVITY.get(kind, idle)
        if kind in ("part", "break"):
            break_s += length_s
        elif kind in ("rest", "weekly_rest"):
            rest_s += length_s
        activities.append(StopActivity(activity, b.at(t), b.at(t + length_s)))
        t += length_s
    return _StopTime(tuple(activities), break_s, rest_s)
