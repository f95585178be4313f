"""The optimizer's label search, compiled from cpp/ (see search_core, which lays problems out)."""

class DriverRules:
    breaks: bool
    break_after_driving_s: float
    break_s: float
    split_first_s: float
    split_second_s: float
    daily_driving_s: float
    extended_daily_driving_s: float
    extended_days: int
    weekly_driving_s: float
    fortnight_driving_s: float
    daily_rest_s: float
    reduced_rest_s: float
    reduced_rests: int
    split_rests: bool
    split_rest_first_s: float
    split_rest_second_s: float
    rest_window_s: float
    weekly_rest_s: float
    weekly_rest_after_s: float
    working_time: bool
    work_before_break_s: float
    work_break_part_s: float
    work_break_6_9_s: float
    work_break_over_9_s: float
    day_mid_work_s: float
    day_long_work_s: float
    first_week_end_s: float
    def __init__(self) -> None: ...

class ChargeTable: ...

def make_table(
    pieces: list[tuple[float, float, float, float, float]],
    energy_kwh: float,
    reserve: float,
    soc_max: float,
    grid: list[float],
) -> ChargeTable: ...

class Remaining:
    drive_s: float
    service_s: float
    windows_ahead: bool
    route_drive_s: float
    service_before_end_s: float
    longest_service_s: float
    work_s: float
    energy_kwh: float
    fastest_kw: float
    min_soc_end: float
    capacity_kwh: float
    plug_overhead_s: float
    has_chain: bool
    pos_s: float
    first_window: int
    def __init__(self) -> None: ...

class DailyWindows:
    day_start_us: list[float]
    opens_us: list[float]
    closes_us: list[float]
    def __init__(self) -> None: ...

class Leg:
    service_s: float
    driver_free: bool
    dwell_table: int
    has_window: bool
    window: DailyWindows
    def __init__(self) -> None: ...

class Point:
    """A laid-out route point (read-only): the stretch before it, its useful SoC, its bounds."""

    leg: int
    distance_m: float
    station: int
    duration_s: float
    energy_kwh: float
    max_prefix_kwh: float
    cap_end_soc: float
    cap_low_soc: float
    useful_soc: float
    before: Remaining
    after: Remaining

class LegTrack:
    cum_m: list[float]
    cum_s: list[float]
    cum_kwh: list[float]
    def __init__(self) -> None: ...

class RouteInput:
    tracks: list[LegTrack]
    service_s: list[float]
    driver_free: list[bool]
    has_window: list[bool]
    dwell: list[bool]
    capacity_kwh: float
    soc_reserve: float
    soc_max: float
    min_soc_end: float
    plug_overhead_s: float
    detour_trips: int
    def __init__(self) -> None: ...

class RouteLayout:
    def point(self, index: int) -> Point: ...
    def __len__(self) -> int: ...

def lay_out_route(
    route: RouteInput,
    legs: list[int],
    distances_m: list[float],
    stations: list[int],
    station_kw: list[float],
    round_trip_s: list[float],
) -> RouteLayout: ...

class HopTable:
    """A problem's hops as the core reads them, made once per problem: per hop its leg, the
    numbers of the stations it joins, its time and energy."""

    def __init__(
        self,
        legs: list[int],
        from_ids: list[int],
        to_ids: list[int],
        duration_s: list[float],
        energy_kwh: list[float],
    ) -> None: ...
    def __len__(self) -> int: ...

class Problem:
    rules: DriverRules
    start: DriverState
    capacity_kwh: float
    soc_reserve: float
    soc_max: float
    min_soc_end: float
    soc_start: float
    min_charge_s: float
    plug_overhead_s: float
    soc_value_s: float
    tables: list[ChargeTable]
    legs: list[Leg]
    def lay_route(self, route: RouteLayout) -> None: ...
    def __init__(self, other: Problem = ...) -> None:
        """An empty problem, or a copy of other."""
    def set_stations(
        self,
        legs: list[int],
        detour_to_s: list[float],
        detour_from_s: list[float],
        detour_to_kwh: list[float],
        detour_from_kwh: list[float],
        tables: list[int],
        vacate: list[bool],
    ) -> None:
        """The stations (by the index the search knows them by), always open."""
    def set_station_hours(
        self, station: int, opens_us: list[float], closes_us: list[float], drive_off_us: float
    ) -> None:
        """A station's opening hours, sorted, in whole microseconds since the epoch (held from
        the drive-off, also in microseconds since the epoch)."""
    def set_station_targets(self, station: int, socs: list[float]) -> None:
        """SoCs a station charges to besides the grid's (a plan's own, searched again)."""
    def lay_hops(self, route: RouteLayout, laid_ids: list[int], table: HopTable) -> list[int]:
        """The hops of table worth searching between the laid-out stations (their numbered ids,
        -1: none), set; for each, the index of the hop it is (route_layout.h, lay_hops)."""

class Settings:
    driver_step_s: float
    label_limit: int
    has_bound: bool
    bound_missed: int
    bound_arrival_s: float
    count_dropped: bool
    max_labels: int  # 0: no limit; beyond it the search stops (Result.cut_short)
    station_chains: bool  # chain stations by Problem.hops
    short_sessions: bool  # batch sessions shorter than the first free time that counts
    reach_targets: bool  # also the SoCs that reach each later station at the reserve
    station_grid: bool  # charge at stations to the grid's SoCs (else only to their targets)
    def __init__(self) -> None: ...

class DriverState:
    """The driver counters of a label (driver_rules.DriverState)."""

    since_break_s: float
    first_part_taken: bool
    work_since_break_s: float
    today_s: float
    day_start_s: float
    extended_today: bool
    extended_used: int
    rest_part_taken: bool
    reduced_used: int
    week_s: float
    last_week_s: float
    week: int
    weekly_due_s: float
    work_today_s: float
    day_breaks_s: float
    open_break_s: float
    short_breaks: bool
    def __init__(self) -> None: ...

# The best plan as plain tuples (cpp/bindings.cpp): a roadside stop (kind, drive_offset_s,
# start_s, end_s), kind "break" | "part" | "wait" | "rest" | "weekly_rest".
RoadsideStop = tuple[str, float, float, float]
# Driving along a leg (labels.DriveStep): (leg, from_m, to_m, start_s, soc_start, roadside).
DriveStep = tuple[int, float, float, float, float, tuple[RoadsideStop, ...]]
# A stop (labels.StopStep): (leg, station, hop, leaves_by_hop, passes, arrival_s, waiting_s,
# charge_s, standstill_s, soc_arrival, soc_departure, window_met, pre_break_s, pre_kind, kind,
# before, after); station indexes the laid-out stations (-1: the customer stop at the leg end),
# hop the laid-out hops (-1: from the route); kinds "none" | "part" | "break" | "rest" |
# "weekly_rest".
StopStep = tuple[
    int,
    int,
    int,
    bool,
    bool,
    float,
    float,
    float,
    float,
    float,
    float,
    bool | None,
    float,
    str,
    str,
    tuple[RoadsideStop, ...],
    tuple[RoadsideStop, ...],
]
# A label of the best plan: (time_s, soc, missed, waited_s, stops, charged_kwh, drive, stop), at
# most one of drive and stop (none at the root).
Label = tuple[float, float, int, float, int, float, DriveStep | None, StopStep | None]

class Plan:
    """A search's best plan, kept in the core's form until it is read."""

    def labels(self) -> list[Label]:
        """Its labels from the root on."""
    def station_stops(self) -> list[tuple[int, float]]:
        """Its stops at stations (charging, or passed by at a hop's end) in tour order: the
        laid-out station and the SoC the truck leaves it at."""

class Result:
    """The search's answer: the best plan (None: no plan; then dry_point, dry_at_stop and
    dry_soc say where it ran dry), and what the label limit dropped."""

    @property
    def plan(self) -> Plan | None: ...
    # The best plan's missed windows, end (its arrival, from when its window lets the truck
    # in) and waiting; 0 when there is no plan.
    @property
    def best_missed(self) -> int: ...
    @property
    def best_end_s(self) -> float: ...
    @property
    def best_waited_s(self) -> float: ...
    @property
    def dry_point(self) -> int: ...  # -1: the search did not run dry
    @property
    def dry_at_stop(self) -> bool: ...
    @property
    def dry_soc(self) -> float: ...
    @property
    def cut_short(self) -> bool: ...  # max_labels reached: no plan, nothing known
    @property
    def dropped_any(self) -> bool: ...
    @property
    def dropped_missed(self) -> float: ...
    @property
    def dropped_arrival_s(self) -> float: ...

def search(problem: Problem, settings: Settings) -> Result: ...
