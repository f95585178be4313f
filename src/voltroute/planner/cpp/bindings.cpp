// voltroute.planner._search: the compiled label search (see search.h and _search.pyi).
#include <nanobind/nanobind.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <stdexcept>

#include "route_layout.h"
#include "search.h"

namespace nb = nanobind;
using namespace voltroute;

namespace {

// What the search hands back: the best plan (Plan), whose labels are read from the root on, each
// with the step that led to it, as plain tuples (read into labels.Label, DriveStep, StopStep and
// RoadsideStop on the Python side; a plan is read whole, and a tuple is the cheapest object to
// make and read):
//   label: (time_s, soc, missed, waited_s, stops, charged_kwh, drive, stop)
//   drive: (leg, from_m, to_m, start_s, soc_start, roadside) or None
//   stop: (leg, station, hop, leaves_by_hop, passes, arrival_s, waiting_s, charge_s,
//          standstill_s, soc_arrival, soc_departure, window_met, pre_break_s, pre_kind, kind,
//          before, after) or None
//   roadside stop: (kind, drive_offset_s, start_s, end_s)
// A label's driver counters stay in the core: the plan reads its steps.

// The best plan, kept as the core has it until it is read (Plan.labels): most plans found only
// bound another search or lose to another plan, and their tuples are hundreds of objects.
struct PlanOut {
    std::vector<Label> labels;  // root first; step: its index in steps (-1: the root)
    std::vector<Step> steps;
    std::vector<RoadsideStop> roadside;  // the steps' roadside stops (their begin indexes here)
};

struct ResultOut {
    nb::object plan;  // the best plan (PlanOut), or None
    // The best plan's missed windows, its end (the arrival at the destination, counted from when
    // its window lets the truck in) and its waiting: what the optimizer compares plans by.
    int best_missed = 0;
    double best_end_s = 0.0, best_waited_s = 0.0;
    // Where the search ran dry when no plan exists (dry_point -1: it did not).
    int dry_point = -1;
    bool dry_at_stop = false;
    double dry_soc = 0.0;
    bool cut_short = false;  // it stopped at max_labels: no plan, nothing known
    bool dropped_any = false;
    double dropped_missed = INF, dropped_arrival_s = INF;
    long labels_made = 0;
};

nb::tuple roadside_out(const PlanOut &plan, int begin, int count) {
    nb::list out;
    for (int i = begin; i < begin + count; ++i) {
        const RoadsideStop &r = plan.roadside[i];
        const char *kind = r.kind == RoadsideKind::Break  ? "break"
                           : r.kind == RoadsideKind::Part ? "part"
                           : r.kind == RoadsideKind::Wait ? "wait"
                           : r.kind == RoadsideKind::Rest ? "rest"
                                                          : "weekly_rest";
        out.append(nb::make_tuple(kind, r.drive_offset_s, r.start_s, r.end_s));
    }
    return nb::tuple(out);
}

const char *free_kind_name(FreeKind kind) {
    switch (kind) {
        case FreeKind::Part:
            return "part";
        case FreeKind::Break:
            return "break";
        case FreeKind::Rest:
            return "rest";
        case FreeKind::WeeklyRest:
            return "weekly_rest";
        default:
            return "none";
    }
}

// The best plan's labels from the root on, with their steps and roadside stops.
PlanOut plan_out(const Search &s, int best) {
    std::vector<int> order;
    for (int i = best; i >= 0; i = s.labels[i].parent) order.push_back(i);
    PlanOut out;
    auto keep = [&](int &begin, int count) {
        int kept = static_cast<int>(out.roadside.size());
        out.roadside.insert(out.roadside.end(), s.roadside.begin() + begin,
                            s.roadside.begin() + begin + count);
        begin = kept;
    };
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        Label l = s.labels[*it];
        if (l.step >= 0) {
            Step st = s.steps[l.step];
            keep(st.roadside_begin, st.roadside_count);
            keep(st.before_begin, st.before_count);
            keep(st.after_begin, st.after_count);
            l.step = static_cast<int>(out.steps.size());
            out.steps.push_back(st);
        }
        out.labels.push_back(l);
    }
    return out;
}

// A plan's labels as tuples (above).
nb::list labels_out(const PlanOut &plan) {
    nb::list out;
    for (const Label &l : plan.labels) {
        nb::object drive = nb::none(), stop = nb::none();
        if (l.step >= 0) {
            const Step &st = plan.steps[l.step];
            if (st.is_drive) {
                drive = nb::make_tuple(st.leg, st.from_m, st.to_m, st.start_s, st.soc_start,
                                       roadside_out(plan, st.roadside_begin, st.roadside_count));
            } else {
                nb::object met = nb::none();
                if (st.window_met >= 0) met = nb::bool_(st.window_met == 1);
                stop = nb::make_tuple(st.leg, st.station, st.hop, st.leaves_by_hop, st.passes,
                                      st.arrival_s, st.waiting_s, st.charge_s, st.standstill_s,
                                      st.soc_arrival, st.soc_departure, met, st.pre_break_s,
                                      free_kind_name(st.pre_kind), free_kind_name(st.kind),
                                      roadside_out(plan, st.before_begin, st.before_count),
                                      roadside_out(plan, st.after_begin, st.after_count));
            }
        }
        out.append(nb::make_tuple(l.time_s, l.soc, l.missed, l.waited_s, l.stops, l.charged_kwh,
                                  drive, stop));
    }
    return out;
}

// A plan's stops at stations (charging, or passed by at a hop's end) in tour order: the
// station's index and the SoC the truck leaves it at.
nb::list station_stops_out(const PlanOut &plan) {
    nb::list out;
    for (const Label &l : plan.labels) {
        if (l.step < 0) continue;
        const Step &st = plan.steps[l.step];
        if (!st.is_drive && st.station >= 0)
            out.append(nb::make_tuple(st.station, st.soc_departure));
    }
    return out;
}

ResultOut run(const Problem &problem, const Settings &settings) {
    Search search(problem, settings);
    Outcome o;
    {
        nb::gil_scoped_release release;
        o = search.run();
    }
    ResultOut out;
    out.plan = o.best >= 0 ? nb::cast(plan_out(search, o.best)) : nb::none();
    if (o.best >= 0) {
        const Label &best = search.labels[o.best];
        out.best_missed = best.missed;
        out.best_end_s = search.end_s(o.best);
        out.best_waited_s = best.waited_s;
    }
    out.dry_point = o.fail_index;
    out.dry_at_stop = o.fail_arrived;
    out.dry_soc = o.fail_soc;
    out.cut_short = o.cut_short;
    out.dropped_any = o.dropped_any;
    out.dropped_missed = o.dropped_missed;
    out.dropped_arrival_s = o.dropped_arrival_s;
    out.labels_made = o.labels_made;
    return out;
}

ChargeTable make_table(
    const std::vector<std::tuple<double, double, double, double, double>> &pieces,
    double energy_kwh, double reserve, double soc_max, const std::vector<double> &grid) {
    ChargeProfile profile;
    profile.energy_kwh = energy_kwh;
    for (const auto &[a, b, pa, pb, whole_h] : pieces)
        profile.pieces.push_back({a, b, pa, pb, whole_h});
    return ChargeTable(std::move(profile), reserve, soc_max, grid);
}

// Hops from parallel arrays (laid out in bulk: one object per hop costs more than its search).
// A problem's hops as the core reads them, made once per problem (its tours lay them out:
// lay_hops): the leg of each, and the numbers of the stations it joins.
struct HopTable {
    std::vector<int> legs;
    std::vector<Hop> hops;
};

std::vector<Hop> hops_of(const std::vector<int> &from, const std::vector<int> &to,
                         const std::vector<double> &duration_s,
                         const std::vector<double> &energy_kwh) {
    size_t n = from.size();
    if (to.size() != n || duration_s.size() != n || energy_kwh.size() != n)
        throw std::invalid_argument("hops: arrays of different lengths");
    std::vector<Hop> out(n);
    for (size_t i = 0; i < n; ++i) out[i] = Hop{from[i], to[i], duration_s[i], energy_kwh[i]};
    return out;
}

void set_stations(Problem &p, const std::vector<int> &legs, const std::vector<double> &to_s,
                  const std::vector<double> &from_s, const std::vector<double> &to_kwh,
                  const std::vector<double> &from_kwh, const std::vector<int> &tables,
                  const std::vector<bool> &vacate) {
    size_t n = legs.size();
    if (to_s.size() != n || from_s.size() != n || to_kwh.size() != n || from_kwh.size() != n ||
        tables.size() != n || vacate.size() != n)
        throw std::invalid_argument("stations: arrays of different lengths");
    p.stations.assign(n, Station{});
    for (size_t i = 0; i < n; ++i) {
        Station &s = p.stations[i];
        s.leg = legs[i];
        s.detour_to_s = to_s[i];
        s.detour_from_s = from_s[i];
        s.detour_to_kwh = to_kwh[i];
        s.detour_from_kwh = from_kwh[i];
        s.table = tables[i];
        s.vacate = vacate[i];
    }
}

}  // namespace

NB_MODULE(_search, m) {
    m.doc() = "The optimizer's label search, compiled (see voltroute.planner.search_core).";

    nb::class_<DriverRules>(m, "DriverRules")
        .def(nb::init<>())
        .def_rw("breaks", &DriverRules::breaks)
        .def_rw("break_after_driving_s", &DriverRules::break_after_driving_s)
        .def_rw("break_s", &DriverRules::break_s)
        .def_rw("split_first_s", &DriverRules::split_first_s)
        .def_rw("split_second_s", &DriverRules::split_second_s)
        .def_rw("daily_driving_s", &DriverRules::daily_driving_s)
        .def_rw("extended_daily_driving_s", &DriverRules::extended_daily_driving_s)
        .def_rw("extended_days", &DriverRules::extended_days)
        .def_rw("weekly_driving_s", &DriverRules::weekly_driving_s)
        .def_rw("fortnight_driving_s", &DriverRules::fortnight_driving_s)
        .def_rw("daily_rest_s", &DriverRules::daily_rest_s)
        .def_rw("reduced_rest_s", &DriverRules::reduced_rest_s)
        .def_rw("reduced_rests", &DriverRules::reduced_rests)
        .def_rw("split_rests", &DriverRules::split_rests)
        .def_rw("split_rest_first_s", &DriverRules::split_rest_first_s)
        .def_rw("split_rest_second_s", &DriverRules::split_rest_second_s)
        .def_rw("rest_window_s", &DriverRules::rest_window_s)
        .def_rw("weekly_rest_s", &DriverRules::weekly_rest_s)
        .def_rw("weekly_rest_after_s", &DriverRules::weekly_rest_after_s)
        .def_rw("working_time", &DriverRules::working_time)
        .def_rw("work_before_break_s", &DriverRules::work_before_break_s)
        .def_rw("work_break_part_s", &DriverRules::work_break_part_s)
        .def_rw("work_break_6_9_s", &DriverRules::work_break_6_9_s)
        .def_rw("work_break_over_9_s", &DriverRules::work_break_over_9_s)
        .def_rw("day_mid_work_s", &DriverRules::day_mid_work_s)
        .def_rw("day_long_work_s", &DriverRules::day_long_work_s)
        .def_rw("first_week_end_s", &DriverRules::first_week_end_s);

    nb::class_<ChargeTable>(m, "ChargeTable");
    m.def("make_table", &make_table, nb::arg("pieces"), nb::arg("energy_kwh"), nb::arg("reserve"),
          nb::arg("soc_max"), nb::arg("grid"));

    nb::class_<Remaining>(m, "Remaining")
        .def(nb::init<>())
        .def_rw("drive_s", &Remaining::drive_s)
        .def_rw("service_s", &Remaining::service_s)
        .def_rw("windows_ahead", &Remaining::windows_ahead)
        .def_rw("route_drive_s", &Remaining::route_drive_s)
        .def_rw("service_before_end_s", &Remaining::service_before_end_s)
        .def_rw("longest_service_s", &Remaining::longest_service_s)
        .def_rw("free_service_s", &Remaining::free_service_s)
        .def_rw("work_s", &Remaining::work_s)
        .def_rw("energy_kwh", &Remaining::energy_kwh)
        .def_rw("fastest_kw", &Remaining::fastest_kw)
        .def_rw("min_soc_end", &Remaining::min_soc_end)
        .def_rw("capacity_kwh", &Remaining::capacity_kwh)
        .def_rw("plug_overhead_s", &Remaining::plug_overhead_s)
        .def_rw("has_chain", &Remaining::has_chain)
        .def_rw("pos_s", &Remaining::pos_s)
        .def_rw("first_window", &Remaining::first_window);

    nb::class_<DailyWindows>(m, "DailyWindows")
        .def(nb::init<>())
        .def_rw("day_start_us", &DailyWindows::day_start_us)
        .def_rw("opens_us", &DailyWindows::opens_us)
        .def_rw("closes_us", &DailyWindows::closes_us);

    nb::class_<Leg>(m, "Leg")
        .def(nb::init<>())
        .def_rw("service_s", &Leg::service_s)
        .def_rw("driver_free", &Leg::driver_free)
        .def_rw("dwell_table", &Leg::dwell_table)
        .def_rw("has_window", &Leg::has_window)
        .def_rw("window", &Leg::window);

    nb::class_<Point>(m, "Point")
        .def_ro("leg", &Point::leg)
        .def_ro("distance_m", &Point::distance_m)
        .def_ro("station", &Point::station)
        .def_ro("duration_s", &Point::duration_s)
        .def_ro("energy_kwh", &Point::energy_kwh)
        .def_ro("max_prefix_kwh", &Point::max_prefix_kwh)
        .def_ro("cap_end_soc", &Point::cap_end_soc)
        .def_ro("cap_low_soc", &Point::cap_low_soc)
        .def_ro("useful_soc", &Point::useful_soc)
        .def_ro("before", &Point::before)
        .def_ro("after", &Point::after);

    nb::class_<LegTrack>(m, "LegTrack")
        .def(nb::init<>())
        .def_rw("cum_m", &LegTrack::cum_m)
        .def_rw("cum_s", &LegTrack::cum_s)
        .def_rw("cum_kwh", &LegTrack::cum_kwh);

    nb::class_<RouteInput>(m, "RouteInput")
        .def(nb::init<>())
        .def_rw("tracks", &RouteInput::tracks)
        .def_rw("service_s", &RouteInput::service_s)
        .def_rw("driver_free", &RouteInput::driver_free)
        .def_rw("has_window", &RouteInput::has_window)
        .def_rw("dwell", &RouteInput::dwell)
        .def_rw("capacity_kwh", &RouteInput::capacity_kwh)
        .def_rw("soc_reserve", &RouteInput::soc_reserve)
        .def_rw("soc_max", &RouteInput::soc_max)
        .def_rw("min_soc_end", &RouteInput::min_soc_end)
        .def_rw("plug_overhead_s", &RouteInput::plug_overhead_s)
        .def_rw("detour_trips", &RouteInput::detour_trips);

    nb::class_<RouteLayout>(m, "RouteLayout")
        .def(
            "point", [](const RouteLayout &r, size_t i) { return r.points.at(i); },
            nb::arg("index"))
        .def("__len__", [](const RouteLayout &r) { return r.points.size(); });
    m.def("lay_out_route", &lay_out_route, nb::arg("route"), nb::arg("legs"),
          nb::arg("distances_m"), nb::arg("stations"), nb::arg("station_kw"),
          nb::arg("round_trip_s"));

    nb::class_<HopTable>(m, "HopTable")
        .def(
            "__init__",
            [](HopTable *table, const std::vector<int> &legs, const std::vector<int> &from_ids,
               const std::vector<int> &to_ids, const std::vector<double> &duration_s,
               const std::vector<double> &energy_kwh) {
                if (legs.size() != from_ids.size())
                    throw std::invalid_argument("hops: arrays of different lengths");
                new (table) HopTable{legs, hops_of(from_ids, to_ids, duration_s, energy_kwh)};
            },
            nb::arg("legs"), nb::arg("from_ids"), nb::arg("to_ids"), nb::arg("duration_s"),
            nb::arg("energy_kwh"))
        .def("__len__", [](const HopTable &table) { return table.hops.size(); });

    nb::class_<Problem>(m, "Problem")
        .def(nb::init<>())
        .def_rw("rules", &Problem::rules)
        .def_rw("start", &Problem::start)
        .def_rw("capacity_kwh", &Problem::capacity_kwh)
        .def_rw("soc_reserve", &Problem::soc_reserve)
        .def_rw("soc_max", &Problem::soc_max)
        .def_rw("min_soc_end", &Problem::min_soc_end)
        .def_rw("soc_start", &Problem::soc_start)
        .def_rw("min_charge_s", &Problem::min_charge_s)
        .def_rw("plug_overhead_s", &Problem::plug_overhead_s)
        .def_rw("soc_value_s", &Problem::soc_value_s)
        .def_rw("tables", &Problem::tables)
        .def_rw("legs", &Problem::legs)
        .def(nb::init<const Problem &>(), nb::arg("other"))
        .def("set_stations", &set_stations, nb::arg("legs"), nb::arg("detour_to_s"),
             nb::arg("detour_from_s"), nb::arg("detour_to_kwh"), nb::arg("detour_from_kwh"),
             nb::arg("tables"), nb::arg("vacate"))
        .def(
            "set_station_hours",
            [](Problem &p, size_t station, const std::vector<double> &opens_us,
               const std::vector<double> &closes_us, double drive_off_us) {
                if (opens_us.size() != closes_us.size())
                    throw std::invalid_argument("hours: arrays of different lengths");
                Station &s = p.stations.at(station);
                s.has_hours = true;
                s.opens_us.resize(opens_us.size());
                s.closes_us.resize(closes_us.size());
                for (size_t i = 0; i < opens_us.size(); ++i) {
                    s.opens_us[i] = opens_us[i] - drive_off_us;
                    s.closes_us[i] = closes_us[i] - drive_off_us;
                }
            },
            nb::arg("station"), nb::arg("opens_us"), nb::arg("closes_us"), nb::arg("drive_off_us"))
        .def(
            "set_station_targets",
            [](Problem &p, size_t station, const std::vector<double> &socs) {
                p.stations.at(station).targets = socs;
            },
            nb::arg("station"), nb::arg("socs"))
        .def(
            "lay_hops",
            [](Problem &p, const RouteLayout &route, const std::vector<int> &laid_ids,
               const HopTable &table) {
                if (laid_ids.size() != p.stations.size())
                    throw std::invalid_argument("hops: one id per laid-out station");
                return lay_hops(p, route, laid_ids, table.legs, table.hops);
            },
            nb::arg("route"), nb::arg("laid_ids"), nb::arg("table"))
        .def(
            "lay_route", [](Problem &p, const RouteLayout &route) { lay_route(p, route); },
            nb::arg("route"));

    nb::class_<Settings>(m, "Settings")
        .def(nb::init<>())
        .def_rw("driver_step_s", &Settings::driver_step_s)
        .def_rw("label_limit", &Settings::label_limit)
        .def_rw("has_bound", &Settings::has_bound)
        .def_rw("bound_missed", &Settings::bound_missed)
        .def_rw("bound_arrival_s", &Settings::bound_arrival_s)
        .def_rw("count_dropped", &Settings::count_dropped)
        .def_rw("max_labels", &Settings::max_labels)
        .def_rw("station_chains", &Settings::station_chains)
        .def_rw("short_sessions", &Settings::short_sessions)
        .def_rw("reach_targets", &Settings::reach_targets)
        .def_rw("station_grid", &Settings::station_grid);

    nb::class_<DriverState>(m, "DriverState")
        .def(nb::init<>())
        .def_rw("since_break_s", &DriverState::since_break_s)
        .def_rw("first_part_taken", &DriverState::first_part_taken)
        .def_rw("work_since_break_s", &DriverState::work_since_break_s)
        .def_rw("today_s", &DriverState::today_s)
        .def_rw("day_start_s", &DriverState::day_start_s)
        .def_rw("extended_today", &DriverState::extended_today)
        .def_rw("extended_used", &DriverState::extended_used)
        .def_rw("rest_part_taken", &DriverState::rest_part_taken)
        .def_rw("reduced_used", &DriverState::reduced_used)
        .def_rw("week_s", &DriverState::week_s)
        .def_rw("last_week_s", &DriverState::last_week_s)
        .def_rw("week", &DriverState::week)
        .def_rw("weekly_due_s", &DriverState::weekly_due_s)
        .def_rw("work_today_s", &DriverState::work_today_s)
        .def_rw("day_breaks_s", &DriverState::day_breaks_s)
        .def_rw("open_break_s", &DriverState::open_break_s)
        .def_rw("short_breaks", &DriverState::short_breaks);

    nb::class_<PlanOut>(m, "Plan")
        .def("labels", &labels_out)
        .def("station_stops", &station_stops_out);

    nb::class_<ResultOut>(m, "Result")
        .def_prop_ro("plan", [](const ResultOut &r) { return r.plan; })
        .def_ro("best_missed", &ResultOut::best_missed)
        .def_ro("best_end_s", &ResultOut::best_end_s)
        .def_ro("best_waited_s", &ResultOut::best_waited_s)
        .def_ro("dry_point", &ResultOut::dry_point)
        .def_ro("dry_at_stop", &ResultOut::dry_at_stop)
        .def_ro("dry_soc", &ResultOut::dry_soc)
        .def_ro("cut_short", &ResultOut::cut_short)
        .def_ro("dropped_any", &ResultOut::dropped_any)
        .def_ro("dropped_missed", &ResultOut::dropped_missed)
        .def_ro("dropped_arrival_s", &ResultOut::dropped_arrival_s)
        .def_ro("labels_made", &ResultOut::labels_made);

    m.def("search", &run, nb::arg("problem"), nb::arg("settings"),
          "Run the search: the best plan's labels (or None and the route point where it ran "
          "dry), and what the label limit dropped.");
}
