"""The optimizer's label search, compiled from cpp/ (see search_core, which lays problems out)."""

# (kind "break" | "rest", driving offset s, start s, end s)
type RoadsideTuple = tuple[str, float, float, float]
type DriveTuple = tuple[str, int, float, float, float, float, list[RoadsideTuple]]
type StopTuple = tuple[
    str,  # "stop"
    int,  # leg
    int,  # station index (-1: the customer stop)
    float,  # arrival_s
    float,  # waiting_s
    float,  # charge_s
    float,  # standstill_s
    float,  # soc_arrival
    float,  # soc_departure
    bool | None,  # window met
    str,  # kind: "none" | "break" | "rest"
    list[RoadsideTuple],  # before
    list[RoadsideTuple],  # after
]
type StepTuple = DriveTuple | StopTuple
# (t, soc, since_break_s, first_part_taken, today_s, day_start_s, extended_used, missed, wait,
#  stops, charged_kwh, the step that led here or None at the root)
type ChainEntry = tuple[
    float, float, float, bool, float, float, int, int, float, int, float, StepTuple | None
]

class DriverRules:
    break_after_driving_s: float
    break_s: float
    split_first_s: float
    split_second_s: float
    daily_driving_s: float
    extended_daily_driving_s: float
    extended_days: int
    daily_rest_s: float
    duty_spread_s: float
    def __init__(self) -> None: ...

class ChargeTable: ...

def make_table(
    pieces: list[tuple[float, float, float, float, float]],
    energy_kwh: float,
    reserve: float,
    soc_max: float,
    grid: list[float],
) -> ChargeTable: ...

class WindowClock:
    opens_s: list[float]
    closes_s: list[float]
    def __init__(self) -> None: ...

class WindowChain:
    arrival_pos_s: list[float]
    service_s: list[float]
    stops: list[int]
    clocks: list[WindowClock]
    def __init__(self) -> None: ...

class Remaining:
    drive_s: float
    service_s: float
    windows_ahead: bool
    route_drive_s: float
    service_before_end_s: float
    longest_service_s: float
    energy_kwh: float
    fastest_kw: float
    soc_end_min: float
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

class Station:
    leg: int
    detour_to_s: float
    detour_from_s: float
    detour_to_kwh: float
    detour_from_kwh: float
    table: int
    has_hours: bool
    opens_us: list[float]
    closes_us: list[float]
    def __init__(self) -> None: ...

class Leg:
    service_s: float
    dwell_table: int
    has_window: bool
    window: DailyWindows
    def __init__(self) -> None: ...

class Point:
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
    def __init__(self) -> None: ...

class Problem:
    rules: DriverRules
    capacity_kwh: float
    soc_reserve: float
    soc_max: float
    soc_end_min: float
    soc_start: float
    min_charge_s: float
    plug_overhead_s: float
    soc_value_s: float
    tables: list[ChargeTable]
    stations: list[Station]
    legs: list[Leg]
    points: list[Point]
    chain: WindowChain
    def __init__(self) -> None: ...

class Settings:
    driver_step_s: float
    label_limit: int
    has_bound: bool
    bound_missed: int
    bound_arrival_s: float
    count_dropped: bool
    def __init__(self) -> None: ...

def search(
    problem: Problem, settings: Settings
) -> tuple[list[ChainEntry] | None, tuple[int, bool, float] | None, bool, float, float]: ...
