"""A plan as each driver's activity timeline: driving, other work, availability, breaks, rests.

The timeline is what a tachograph would record over the tour, from the start of service at the
origin to the departure from the last stop; `voltroute.tachograph.check_timeline` reads it as a
roadside check would. With a team, the truck's driving is shared out: a driver hands over after
at most 4.5 h at the wheel, and the one beside him has the first 45 minutes of each of the other's
turns as a break in the moving truck (561/2006 art. 7), the rest as availability; at the stops of
a turn the one not at the wheel does the work and the other is free.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from voltroute.planner.plan import Plan
from voltroute.tachograph import Activity, ActivityKind, Timeline

TEAM_TURN = timedelta(hours=4.5)
BREAK_IN_MOVING_TRUCK = timedelta(minutes=45)
# Times are datetimes with microseconds, built from float seconds: a stop's activities may miss
# its departure by a microsecond or two; they are stitched together.
STITCH = timedelta(milliseconds=1)


def truck_activities(plan: Plan) -> list[Activity]:
    """What the truck's driver does over the tour, in order (one driver's view)."""
    out: list[Activity] = []
    if plan.departure > plan.tour_start:
        out.append(Activity(ActivityKind.OTHER_WORK, plan.tour_start, plan.departure))
    clock = plan.departure
    for section in plan.sections:
        stop = section.planned_stop
        if stop.arrival > clock:
            out.append(Activity(ActivityKind.DRIVING, clock, stop.arrival))
        for part in stop.activities:
            out.append(Activity(part.kind, part.start, part.end))
        clock = stop.departure
    return _stitched(out)


def driver_timelines(plan: Plan) -> tuple[Timeline, ...]:
    """One timeline per driver: one, or two for a team."""
    activities = truck_activities(plan)
    if not activities:
        return ()
    if not plan.team_driving:
        return (Timeline(tuple(activities)),)
    first, second = _shared_out(activities)
    return Timeline(tuple(first)), Timeline(tuple(second))


def _shared_out(activities: list[Activity]) -> tuple[list[Activity], list[Activity]]:
    """Both drivers' activities: turns at the wheel of at most TEAM_TURN, stops shared."""
    drivers: tuple[list[Activity], list[Activity]] = ([], [])
    at_wheel, turn = 0, timedelta(0)
    for activity in activities:
        if activity.kind != ActivityKind.DRIVING:
            if activity.kind in (ActivityKind.DAILY_REST, ActivityKind.WEEKLY_REST):
                turn = timedelta(0)
            drivers[1 - at_wheel].append(activity)
            free = ActivityKind.BREAK if activity.kind == ActivityKind.OTHER_WORK else activity.kind
            drivers[at_wheel].append(Activity(free, activity.start, activity.end, activity.place))
            continue
        for start, end in _turns(activity.start, activity.end, TEAM_TURN - turn):
            if turn >= TEAM_TURN:
                at_wheel, turn = 1 - at_wheel, timedelta(0)
            drivers[at_wheel].append(Activity(ActivityKind.DRIVING, start, end, activity.place))
            drivers[1 - at_wheel].extend(_beside(start, end, turn))
            turn += end - start
    return _stitched(drivers[0]), _stitched(drivers[1])


def _turns(start: datetime, end: datetime, first: timedelta) -> Iterator[tuple[datetime, datetime]]:
    """start..end cut first after `first`, then every TEAM_TURN."""
    cut = start + max(first, timedelta(0))
    while cut < end:
        if cut > start:
            yield start, cut
            start = cut
        cut += TEAM_TURN
    yield start, end


def _beside(start: datetime, end: datetime, turn_so_far: timedelta) -> list[Activity]:
    """The other driver during a stretch of the turn: a break for the turn's first 45 minutes."""
    break_end = min(end, start + max(timedelta(0), BREAK_IN_MOVING_TRUCK - turn_so_far))
    out = []
    if break_end > start:
        out.append(Activity(ActivityKind.BREAK, start, break_end))
    if end > break_end:
        out.append(Activity(ActivityKind.AVAILABILITY, break_end, end))
    return out


def _stitched(activities: list[Activity]) -> list[Activity]:
    """Activities made contiguous where float seconds left a gap or overlap under STITCH, and
    neighbours of one kind merged."""
    out: list[Activity] = []
    for activity in activities:
        if out:
            previous = out[-1]
            if abs(activity.start - previous.end) <= STITCH:
                start = previous.end
                if activity.end <= start:
                    continue
                if activity.kind == previous.kind:
                    out[-1] = Activity(previous.kind, previous.start, activity.end, previous.place)
                    continue
                activity = Activity(activity.kind, start, activity.end, activity.place)
        out.append(activity)
    return out
