#include "search.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <tuple>

namespace voltroute {

namespace {

constexpr double BOUND_TOL_S = 1e-6;

Step empty_step() {
    Step s{};
    s.station = -1;
    s.hop = -1;
    s.window_met = -1;
    s.pre_kind = FreeKind::None;
    s.kind = FreeKind::None;
    return s;
}

// The search's clock is float seconds from the drive-off; the plan's is datetimes, which hold
// microseconds. Windows and opening hours are compared on that clock, as the plan is.
double clock_us(double t) {
    return std::nearbyint(t * 1e6);
}

// The window that applies to an arrival: the one of its local day, or yesterday's when that one
// runs past midnight and is still open (schedule.window_bounds). All in microseconds.
void window_bounds(const DailyWindows &w, double t_us, double &opens_us, double &closes_us) {
    auto it = std::upper_bound(w.day_start_us.begin(), w.day_start_us.end(), t_us);
    long j = static_cast<long>(it - w.day_start_us.begin()) - 1;
    long n = static_cast<long>(w.opens_us.size());
    // Beyond the days laid out, whole days repeat (the Python side lays out far more days than
    // any tour lasts).
    double shift_us = 0.0;
    if (j >= n) {
        shift_us = 86400e6 * static_cast<double>(j - (n - 1));
        j = n - 1;
        t_us -= shift_us;
    }
    if (j < 0) j = 0;
    if (j >= 1 && w.opens_us[j - 1] <= t_us && t_us <= w.closes_us[j - 1]) --j;
    opens_us = w.opens_us[j] + shift_us;
    closes_us = w.closes_us[j] + shift_us;
}

// The opening of the first window after t_us (whole days repeat beyond those laid out).
double next_opening_us(const DailyWindows &w, double t_us) {
    auto it = std::upper_bound(w.opens_us.begin(), w.opens_us.end(), t_us);
    if (it != w.opens_us.end()) return *it;
    double last_us = w.opens_us.back();
    return last_us + 86400e6 * (std::floor((t_us - last_us) / 86400e6) + 1.0);
}

// (waiting, longest charge) at a station for a truck arriving at t; false when it stays closed.
bool open_span(const Station &station, double t, double &waiting, double &open_s) {
    if (!station.has_hours) {
        waiting = 0.0;
        open_s = INF;
        return true;
    }
    double t_us = clock_us(t);
    for (size_t i = 0; i < station.opens_us.size(); ++i) {
        if (station.closes_us[i] <= t_us) continue;
        double start_us = std::max(t_us, station.opens_us[i]);
        waiting = (start_us - t_us) / 1e6;
        open_s = (station.closes_us[i] - start_us) / 1e6;
        return true;
    }
    return false;
}

// The free blocks a wait for a window may be stretched into before a service that is work: a
// break, a split break's first part, a part of a break of 2002/15, a rest, where the tour after
// the stop still needs it (served: the counters once served, at done_s). The wait is spent
// anyway, so only the excess costs, where the same block after the service or by the road costs
// all of it (the service's work keeps it apart from free time after it). Returns how many of
// out's nine it filled.
int wait_lengths(const DriverRules &r, const DriverState &d, const DriverState &served,
                 double done_s, double soc, const Remaining &after, double out[9]) {
    int n = 0;
    if (after.needs_break(r, served)) {
        n = break_lengths(r, d, 0.0, out);
        if (!d.first_part_taken) out[n++] = r.split_first_s;
    }
    if (after.needs_rest(r, served, done_s, soc)) n += rest_lengths(r, d, done_s, out + n);
    return n;
}

Arena &thread_arena() {
    static thread_local Arena arena;
    return arena;
}

detail::OrderKey order_key(const Label &x, double useful, int index, int pos) {
    return detail::OrderKey{x.missed,   x.time_s, -std::min(x.soc, useful),
                            x.waited_s, x.stops,  x.charged_kwh,
                            index,      pos};
}

}  // namespace

Search::Search(const Problem &problem, const Settings &settings)
    : labels(thread_arena().labels),
      steps(thread_arena().steps),
      roadside(thread_arena().roadside),
      p_(problem),
      s_(settings) {
    hops_from_.resize(p_.stations.size());
    hopping_to_.resize(p_.stations.size());
    station_point_.assign(p_.stations.size(), 0);
    for (size_t i = 0; i < p_.points.size(); ++i)
        if (p_.points[i].station >= 0) station_point_[p_.points[i].station] = static_cast<int>(i);
    // From each station's junction: the energy to the next chance to charge (a station, with its
    // way in, or a stop that charges), the most the way asks on it; INF: none ahead.
    top_up_kwh_.assign(p_.points.size(), INF);
    for (size_t i = 0; i < p_.points.size(); ++i)
        if (p_.points[i].station >= 0)
            charging_ahead(i, [&](double, double need_kwh) {
                top_up_kwh_[i] = need_kwh;
                return false;
            });
    if (s_.reach_targets) lay_out_reach_targets();
    // A hop goes forward only: the points are searched in order.
    for (size_t h = 0; h < (s_.station_chains ? p_.hops.size() : 0); ++h) {
        const Hop &hop = p_.hops[h];
        if (station_point_[hop.to] > station_point_[hop.from])
            hops_from_[hop.from].push_back(static_cast<int>(h));
    }
}

// From each station, the SoCs (leaving the bay) that reach a later station's bay, or a later
// stop that charges, at the reserve: the most the way asks on it, by the route (from the
// station's junction) or by a hop; up to soc_max.
void Search::lay_out_reach_targets() {
    reach_soc_.assign(p_.stations.size(), {});
    double cap = p_.capacity_kwh, reserve = p_.soc_reserve;
    for (size_t i = 0; i < p_.points.size(); ++i) {
        int from = p_.points[i].station;
        if (from < 0) continue;
        std::vector<double> &out = reach_soc_[from];
        double back_kwh = p_.stations[from].detour_from_kwh;
        charging_ahead(i, [&](double route_kwh, double need_kwh) {
            if (reserve + (back_kwh + route_kwh) / cap > p_.soc_max) return false;
            out.push_back(reserve + (back_kwh + need_kwh) / cap);
            return true;
        });
    }
    if (s_.station_chains)
        for (const Hop &hop : p_.hops)
            reach_soc_[hop.from].push_back(reserve + hop.energy_kwh / cap);
}

Search::~Search() {
    // A search far larger than usual gives its memory back rather than keep it for the thread.
    constexpr size_t KEEP_LABELS = size_t{1} << 18;  // about 60 MB with their steps
    if (labels.capacity() > KEEP_LABELS) {
        std::vector<Label>().swap(labels);
        std::vector<Step>().swap(steps);
        std::vector<RoadsideStop>().swap(roadside);
    }
}

// Every label at route point `index` is dead (within_bound): the search runs dry there, as it
// would further on (arrived: at the destination, below the end level).
Outcome Search::dead_end(size_t index, bool arrived, double soc) {
    out_.fail_index = static_cast<int>(index);
    out_.fail_arrived = arrived;
    out_.fail_soc = soc;
    out_.labels_made = made_;
    return out_;
}

Outcome Search::cut_short() {
    out_.cut_short = true;
    out_.labels_made = made_;
    return out_;
}

double Search::end_s(int label_index) const {
    // The destination's label has left the stop: its end is the arrival there, counted from
    // when its window lets the truck in (waiting at the end is removed by a later start).
    const Label &x = labels[label_index];
    if (x.step >= 0 && !steps[x.step].is_drive)
        return steps[x.step].arrival_s + steps[x.step].waiting_s;
    return x.time_s;
}

int Search::new_label(const Label &label, const Step &step) {
    ++made_;
    steps.push_back(step);
    Label l = label;
    l.step = static_cast<int>(steps.size()) - 1;
    labels.push_back(l);
    return static_cast<int>(labels.size()) - 1;
}

void Search::arrive(int label_index, const Station &station, double way_s, double way_kwh, int hop,
                    std::vector<Arrival> &out) {
    const Label label = labels[label_index];
    double soc = std::min(p_.soc_max, label.soc - way_kwh / p_.capacity_kwh);
    if (soc < p_.soc_reserve - EPS) return;
    driven_.clear();
    Driving(p_.rules, roadside, trail_).all(label.time_s, label.driver, way_s, false, driven_);
    for (const Driven &d : driven_) {
        double waiting, open_s;
        if (!open_span(station, d.t, waiting, open_s)) continue;
        out.push_back(Arrival{label_index, soc, d.t, d.state, d.roadside_begin, d.roadside_count,
                              waiting, open_s, hop});
    }
}

// A hop as the way back to the route: where a station's own way back is long, the next
// station's may be shorter, and the truck passes that one by without a stop.
void Search::pass_by(int label_index, int hop_index, const Remaining &ahead,
                     std::vector<int> &out) {
    const Label from = labels[label_index];
    const Hop &hop = p_.hops[hop_index];
    const Station &station = p_.stations[hop.to];
    double at_station = from.soc - hop.energy_kwh / p_.capacity_kwh;
    double soc = std::min(p_.soc_max, at_station - station.detour_from_kwh / p_.capacity_kwh);
    if (std::min(at_station, soc) < p_.soc_reserve - EPS) return;
    driven_.clear();
    Driving(p_.rules, roadside, trail_)
        .all(from.time_s, from.driver, hop.duration_s + station.detour_from_s, false, driven_);
    for (const Driven &d : driven_) {
        Step step = empty_step();
        step.is_drive = false;
        step.leg = station.leg;
        step.station = hop.to;
        step.hop = hop_index;
        step.passes = true;
        step.arrival_s = from.time_s + hop.duration_s;
        step.soc_arrival = step.soc_departure = std::min(p_.soc_max, at_station);
        step.after_begin = d.roadside_begin;
        step.after_count = d.roadside_count;
        Label label{
            d.t,         soc, d.state, from.missed, from.waited_s, from.stops, from.charged_kwh,
            label_index, -1};
        make_within_bound(label, step, ahead, out);
    }
}

void Search::extra_sessions(const Arrival &a, const Station &station, const ChargeTable &table,
                            const Remaining &ahead, std::vector<std::array<double, 3>> &options) {
    const DriverRules &r = p_.rules;
    double overhead = p_.plug_overhead_s, min_s = p_.min_charge_s;
    double waiting = a.waiting_s, open_s = a.open_s, soc = a.soc;
    // The shortest session allowed, then sessions as long as the break the driver needs, or its
    // first part where a break is due, or a part of a break of 2002/15 where working time or the
    // day's breaks can still bind (the driver is free while the truck charges; plugging in and
    // out is work). Where the bay must be freed when charging ends, the free time is the
    // charging time alone.
    const DriverState &d = a.driver;
    double extra[6] = {min_s, break_needed_s(r, d)};
    int n_extra = 2;
    if (!d.first_part_taken && ahead.needs_break(r, d)) extra[n_extra++] = r.split_first_s;
    if (ahead.work_matters(r, d)) extra[n_extra++] = r.work_break_part_s;
    if (ahead.day_breaks_matter(r, d)) {
        extra[n_extra++] = top_up_s(r, d, r.work_break_6_9_s);
        extra[n_extra++] = top_up_s(r, d, r.work_break_over_9_s);
    }
    // The SoC that finishes the tour from here without charging again, exactly: the last
    // charging stop would otherwise charge up to a grid step more than it needs.
    double finish = finish_soc_;
    if (finish > soc + EPS && finish < p_.soc_max - EPS) {
        double used = table.time_s(soc, finish);
        if (std::isfinite(used) && used >= min_s - EPS && used <= open_s)
            options.push_back({finish, used, waiting + used + overhead});
    }
    auto to_target = [&](double target) {
        if (target <= soc + EPS || target >= p_.soc_max - EPS) return;
        double used = table.time_s(soc, target);
        if (std::isfinite(used) && used >= min_s - EPS && used <= open_s)
            options.push_back({target, used, waiting + used + overhead});
    };
    if (s_.reach_targets)
        for (double target : reach_soc_[&station - p_.stations.data()]) to_target(target);
    for (double target : station.targets) to_target(target);
    std::sort(extra, extra + n_extra);
    for (int e = 0; e < n_extra; ++e) {
        double time_s = extra[e];
        if (e > 0 && time_s == extra[e - 1]) continue;
        if (min_s - EPS <= time_s && time_s <= open_s && time_s > 0) {
            double target = table.soc_after(soc, time_s);
            if (target > soc + EPS) {
                double used = table.time_s(soc, target);
                if (used < min_s - EPS) continue;
                double charging = station.vacate ? used : std::max(time_s, used);
                options.push_back({target, used, waiting + charging + overhead});
            }
        }
    }
    if (station.vacate || !ahead.needs_rest(r, a.driver, a.time_s, a.soc)) return;
    double rests[4];
    int n_rests = rest_lengths(r, a.driver, a.time_s, rests);
    for (int i = 0; i < n_rests; ++i) {
        double rest_s = rests[i];
        double rest_charge = std::min(open_s, rest_s);
        double rest_target = table.soc_after(soc, rest_charge);
        if (rest_target > soc + EPS) {
            double used = std::min(rest_charge, table.time_s(soc, rest_target));
            if (used < min_s - EPS) continue;
            options.push_back({rest_target, used, waiting + std::max(rest_s, used) + overhead});
        }
    }
}

int Search::session(int station_index, const Arrival &a, const Remaining &ahead, double target,
                    double charge_s, double hold, std::vector<int> &out) {
    // A target the curve never reaches (a 0 kW stretch on the way) is no session: its driver
    // state would have to rest through an endless stay.
    if (!std::isfinite(hold)) return 0;
    const Station &station = p_.stations[station_index];
    const DriverRules &r = p_.rules;
    double soc_back = std::min(p_.soc_max, target - station.detour_from_kwh / p_.capacity_kwh);
    bool hops = !hops_from_[station_index].empty();
    if (soc_back < p_.soc_reserve - EPS && !hops) return 0;
    // Waiting (free), plugging in (work), charging and whatever the driver stays (free),
    // unplugging (work).
    double plug_s = p_.plug_overhead_s / 2;
    DriverState driver = a.driver;
    FreeKind pre_kind = after_free(r, driver, a.time_s, a.waiting_s);
    after_work(r, driver, plug_s);
    double free_start = a.time_s + a.waiting_s + plug_s;
    if (!lawful_at(r, driver, free_start)) return 0;
    double free_s = std::max(0.0, hold - a.waiting_s - p_.plug_overhead_s);
    FreeKind kind = after_free(r, driver, free_start, free_s);
    after_work(r, driver, plug_s);
    double end = a.time_s + hold;
    if (!lawful_at(r, driver, end)) return 0;
    // What the sessions keep of the label they come from (not a copy of it: a label carries the
    // driver's counters, and sessions are made by the thousand).
    const Label &from_label = labels[a.label];
    const int missed = from_label.missed, stops = from_label.stops + 1;
    const double waited_s = from_label.waited_s + a.waiting_s;
    double charged_kwh = from_label.charged_kwh + (target - a.soc) * p_.capacity_kwh;
    auto stop_step = [&]() {
        Step step = empty_step();
        step.is_drive = false;
        step.leg = station.leg;
        step.station = station_index;
        step.hop = a.hop;
        step.arrival_s = a.time_s;
        step.waiting_s = a.waiting_s;
        step.charge_s = charge_s;
        step.standstill_s = hold;
        step.soc_arrival = a.soc;
        step.soc_departure = target;
        step.pre_break_s = 0.0;
        step.pre_kind = pre_kind;
        step.kind = kind;
        step.before_begin = a.before_begin;
        step.before_count = a.before_count;
        return step;
    };
    if (hops) {
        // The truck may leave for another station instead: a label at this station, searched
        // on where its hops end (and bounded there: hop_within_bound).
        // Made only where a hop may still beat the bound (as make_within_bound).
        bool within = false;
        for (int h : hops_from_[station_index])
            if (hop_within_bound(missed, driver, end, target, p_.hops[h])) {
                within = true;
                break;
            }
        if (within) {
            Step step = stop_step();
            step.leaves_by_hop = true;
            Label leaving{end, target, driver, missed, waited_s, stops, charged_kwh, a.label, -1};
            leaving_.push_back(new_label(leaving, step));
        } else {
            ++made_;
        }
        if (soc_back < p_.soc_reserve - EPS) return 0;
    }
    // The way back only adds time and driving (and a stop on it, its length): where the label
    // back on the route without them cannot beat the bound, none of its ways back can.
    if (!within_bound(missed, driver, end + station.detour_from_s, soc_back, ahead)) {
        ++made_;
        return 1;
    }
    driven_.clear();
    Driving(r, roadside, trail_).all(end, driver, station.detour_from_s, false, driven_);
    for (const Driven &d : driven_) {
        Step step = stop_step();
        step.after_begin = d.roadside_begin;
        step.after_count = d.roadside_count;
        Label label{d.t, soc_back, d.state, missed, waited_s, stops, charged_kwh, a.label, -1};
        make_within_bound(label, step, ahead, out);
    }
    // Sessions made or cut by the bound alike: the sweep's stop at `enough` does not depend on it.
    return static_cast<int>(driven_.size());
}

void Search::station_stop(const Arrival &a, int station_index, const Remaining &ahead,
                          std::vector<int> &out) {
    const Station &station = p_.stations[station_index];
    const ChargeTable &table = p_.tables[station.table];
    double overhead = p_.plug_overhead_s, min_s = p_.min_charge_s;
    auto &options = stop_options_;
    options.clear();
    scratch_.clear();
    if (s_.station_grid) table.grid_options(a.soc, scratch_);
    for (auto [target, time_s] : scratch_)
        if (min_s - EPS <= time_s && time_s <= a.open_s)
            options.push_back({target, time_s, a.waiting_s + time_s + overhead});
    extra_sessions(a, station, table, ahead, options);
    for (const auto &o : options) session(station_index, a, ahead, o[0], o[1], o[2], out);
}

void Search::station_options(const std::vector<int> &front, int station_index,
                             const Remaining &ahead, double useful, std::vector<int> &out) {
    const Station &station = p_.stations[station_index];
    double step_s = s_.driver_step_s;
    finish_soc_ = useful + station.detour_from_kwh / p_.capacity_kwh;
    auto &arrivals = arrivals_;
    const ChargeTable &table = p_.tables[station.table];
    // Arrivals first (a label may arrive in more than one lawful way), then their groups: the
    // index is sized for the keys it will hold. An arrival that took a break or a rest on its
    // way here is grouped like any other (its counters say so): charged one by one to every
    // target of the grid, such arrivals made a fifth of the bench's labels, and the prune kept
    // one in a thousand of them.
    auto &batch = batch_;
    batch.clear();
    bool hops = !hops_from_[station_index].empty();
    auto take = [&]() {
        for (const Arrival &a : arrivals) {
            if (!hops && !arrival_within_bound(a, station, ahead)) continue;
            if (step_s <= 0 || !s_.station_grid || a.waiting_s > 0 ||
                a.open_s < table.tau.back() - table.tau_of(a.soc)) {
                station_stop(a, station_index, ahead, out);
                continue;
            }
            batch.push_back(a);
        }
    };
    for (int label : front) {
        if (over_cap()) return;
        arrivals.clear();
        arrive(label, station, station.detour_to_s, station.detour_to_kwh, -1, arrivals);
        take();
    }
    for (auto [label, hop] : hopping_to_[station_index]) {
        if (over_cap()) return;
        pass_by(label, hop, ahead, out);
        arrivals.clear();
        arrive(label, station, p_.hops[hop].duration_s, p_.hops[hop].energy_kwh, hop, arrivals);
        take();
    }
    if (batch.empty()) return;
    // The latest end of the tour a session to a grid target can lead to, less its arrival's
    // charge time (table.tau): the target's charge time, and what the tour then still lacks,
    // back on the route (Remaining::must_rest's end).
    double latest_end_s = -INF;
    for (size_t g = 0; g < table.grid.size(); ++g) {
        double back = table.grid[g] - station.detour_from_kwh / p_.capacity_kwh;
        latest_end_s = std::max(latest_end_s, table.tau[g] + ahead.charging_lower_bound_s(back));
    }
    latest_end_s += p_.plug_overhead_s + station.detour_from_s + ahead.drive_s + ahead.service_s;
    auto &index = group_index_;
    auto &groups = groups_;
    index.reset(batch.size());
    size_t used = 0;
    for (const Arrival &a : batch) {
        Label probe = labels[a.label];
        probe.driver = a.driver;
        detail::Matters m = matters(probe, ahead);
        detail::CounterKey key;
        if (!m.brk && !m.rest && !m.day &&
            !ahead.rest_due_by(p_.rules, a.driver,
                               a.time_s + a.waiting_s + latest_end_s - table.tau_of(a.soc))) {
            // None of its counters can bind it, nor those of any session of its to the grid (a
            // session moves the clock on, and a daily rest could then fall due): its grid
            // sessions are compared by time and SoC alone, and it is grouped by its missed
            // windows alone (v[1] is 0 or 1 in every key counters() makes).
            key.v[0] = probe.missed;
            key.v[1] = 2;
        } else {
            m.brk = m.rest = true;
            key = counters(probe, m);
        }
        auto [found, inserted] = index.emplace(key, static_cast<int>(used));
        if (inserted) {
            if (used == groups.size()) groups.emplace_back();
            groups[used++].clear();
        }
        groups[found].push_back(a);
    }
    bool crowded = s_.label_limit > 0 && front.size() >= static_cast<size_t>(s_.label_limit);
    for (size_t g = 0; g < used && !over_cap(); ++g)
        group_options(station_index, groups[g], ahead, useful, crowded, out);
}

void Search::group_options(int station_index, const std::vector<Arrival> &arrivals,
                           const Remaining &ahead, double useful, bool crowded,
                           std::vector<int> &out) {
    const Station &station = p_.stations[station_index];
    const DriverRules &r = p_.rules;
    const ChargeTable &table = p_.tables[station.table];
    double overhead = p_.plug_overhead_s, min_s = p_.min_charge_s;
    double enough = useful + station.detour_from_kwh / p_.capacity_kwh;
    auto &usable = usable_;
    auto &options = group_extra_;
    usable.clear();
    for (const Arrival &a : arrivals) {
        options.clear();
        extra_sessions(a, station, table, ahead, options);
        for (const auto &o : options) session(station_index, a, ahead, o[0], o[1], o[2], out);
        double tau = table.tau_of(a.soc);
        if (std::isinf(tau)) {
            table.grid_options(a.soc, scratch_);  // session() leaves scratch_ alone
            for (auto [target, charge_s] : scratch_) {
                if (charge_s >= min_s - EPS)
                    session(station_index, a, ahead, target, charge_s, charge_s + overhead, out);
            }
            continue;
        }
        usable.emplace_back(tau, &a);
    }
    if (usable.empty()) return;
    // Ties in the order the arrivals came (their addresses in the group), as a stable sort.
    std::sort(usable.begin(), usable.end());
    // Charging times where what the free time counts as changes (the group's counters are
    // alike): a break's first part, a break, a split rest's first part, the daily rests.
    const DriverState &d = usable[0].second->driver;
    double lo = std::max(min_s, 1e-6);
    bool work = work_rules(r);
    double marks[] = {break_needed_s(r, d),
                      r.split_rest_first_s,
                      shortest_rest_s(r, d),
                      r.daily_rest_s,
                      r.weekly_rest_s,
                      d.first_part_taken ? lo : r.split_first_s,
                      work ? r.work_break_part_s : lo,
                      work ? top_up_s(r, d, r.work_break_6_9_s) : lo,
                      work ? top_up_s(r, d, r.work_break_over_9_s) : lo};
    double cuts[12] = {lo, INF};
    int n_cuts = 2;
    for (double m : marks) cuts[n_cuts++] = std::max(lo, m);
    std::sort(cuts, cuts + n_cuts);
    n_cuts = static_cast<int>(std::unique(cuts, cuts + n_cuts) - cuts);
    size_t n = usable.size();
    // Where the label limit already holds the station's front to its places, sessions shorter
    // than the first of those times (the first range) are made only as a top-up: for the
    // arrivals that cannot reach the next chance to charge without one (the emptiest first).
    // Where the truck could go on, a short session rarely pays off (the way in and out and the
    // plugging cost what a longer one would), and such sessions crowded the places: on the
    // bench's tours 99 % of them were dropped, and the plans came faster and mostly earlier
    // without them. The others count as dropped by the limit (their arrival's bound). The first
    // pass makes none (short_sessions); a station of chains makes them all.
    size_t n_short = n;
    if ((crowded || !s_.short_sessions) && hops_from_[station_index].empty()) {
        double go_on = p_.soc_reserve +
                       (station.detour_from_kwh + top_up_kwh_[station_point_[station_index]]) /
                           p_.capacity_kwh;
        n_short = 0;
        if (s_.short_sessions)
            while (n_short < n && usable[n_short].second->soc < go_on - EPS) ++n_short;
        // An arrival that needs no charge to finish the tour loses nothing: every session of its
        // is dominated by its own label passing the station by.
        for (size_t i = n_short; i < n && s_.count_dropped; ++i) {
            const Arrival &a = *usable[i].second;
            if (a.soc < finish_soc_ - EPS)
                note_drop(labels[a.label].missed,
                          [&] { return sessions_lower_bound_s(a, station, ahead); });
        }
    }
    auto &taus = taus_, &potentials = potentials_;
    taus.resize(n);
    potentials.resize(n);
    for (size_t i = 0; i < n; ++i) {
        taus[i] = usable[i].first;
        potentials[i] = usable[i].second->time_s - usable[i].first;
    }
    // A monotone deque of source indices (head: the least potential in the window).
    auto &window = window_;
    for (int c = 0; c + 1 < n_cuts; ++c) {
        double range_lo = cuts[c], range_hi = cuts[c + 1];
        size_t m = c == 0 ? n_short : n;  // the arrivals that charge in this range
        if (m == 0) continue;
        window.clear();
        size_t head = 0;
        size_t left = 0, right = 0;
        // Targets below the first the fullest arrival can charge to in this range add nothing;
        // one earlier is looked at, against rounding.
        size_t first =
            std::lower_bound(table.tau.begin(), table.tau.end(), taus[0] + range_lo - EPS) -
            table.tau.begin();
        for (size_t g = first > 0 ? first - 1 : 0; g < table.grid.size(); ++g) {
            double target = table.grid[g], tau_target = table.tau[g];
            while (right < m && taus[right] <= tau_target - range_lo + EPS) {
                while (window.size() > head && potentials[window.back()] >= potentials[right])
                    window.pop_back();
                window.push_back(right);
                ++right;
            }
            while (left < right && taus[left] <= tau_target - range_hi) ++left;
            if (left == m) break;  // every arrival charges beyond this range from here on
            while (window.size() > head && window[head] < left) ++head;
            if (window.size() == head) continue;
            const Arrival &a = *usable[window[head]].second;
            double charge_s = std::max(0.0, tau_target - usable[window[head]].first);
            if (target <= a.soc + EPS) continue;
            if (session(station_index, a, ahead, target, charge_s, charge_s + overhead, out) > 0 &&
                target >= enough - EPS)
                break;
        }
    }
}

void Search::customer_stop(int label_index, int leg_index, const Remaining &after, bool last,
                           std::vector<int> &out) {
    const Leg &leg = p_.legs[leg_index];
    const DriverRules &r = p_.rules;
    const Label label = labels[label_index];  // a copy: serving it adds labels
    StopArrival direct{label.time_s, label.driver, 0.0, 0, 0};
    serve(label_index, leg_index, after, last, direct, out);
    if (!leg.has_window) return;
    // Past the window of its day: the truck may stand near the stop until the next one opens
    // (the arrival is what a window asks for), a free block like any other. A stand as long as
    // a daily rest only where the tour after the stop must have a rest anyway: the stand is
    // then that rest (after_free). Otherwise the plan misses this window rather than put the
    // tour off by most of a day for it.
    double t_us = clock_us(label.time_s), opens_us, closes_us;
    window_bounds(leg.window, t_us, opens_us, closes_us);
    if (t_us <= closes_us) return;
    double next_us = next_opening_us(leg.window, t_us);
    double idle_s = (next_us - t_us) / 1e6, at = label.time_s + idle_s;
    if (idle_s >= r.reduced_rest_s - EPS) {
        DriverState served = label.driver;
        if (!leg.driver_free) after_work(r, served, leg.service_s);
        if (last || !after.must_rest(r, served, label.time_s + leg.service_s, label.soc)) return;
    }
    window_bounds(leg.window, clock_us(at), opens_us, closes_us);
    if (!(clock_us(at) >= opens_us && clock_us(at) <= closes_us)) return;
    auto stand = [&](double stand_s) {
        double until = label.time_s + stand_s;
        window_bounds(leg.window, clock_us(until), opens_us, closes_us);
        if (!(clock_us(until) >= opens_us && clock_us(until) <= closes_us)) return;
        StopArrival idle{until, label.driver, idle_s, 0, 1};  // only the wait is waiting
        FreeKind kind = after_free(r, idle.driver, label.time_s, stand_s);
        if (!lawful_at(r, idle.driver, until)) return;
        idle.before_begin = static_cast<int>(roadside.size());
        roadside.push_back(RoadsideStop{roadside_kind(kind), 0.0, label.time_s, until});
        serve(label_index, leg_index, after, last, idle, out);
    };
    stand(idle_s);
    if (short_of_a_rest(r, label.driver, idle_s)) stand(shortest_rest_s(r, label.driver));
    if (last || leg.driver_free || leg.service_s <= 0) return;
    // The stand, stretched into what the tour needs (wait_lengths), as the waiting at the stop.
    DriverState served = label.driver;
    after_free(r, served, label.time_s, idle_s);
    after_work(r, served, leg.service_s);
    double lengths[9];
    int n = wait_lengths(r, label.driver, served, at + leg.service_s, label.soc, after, lengths);
    std::sort(lengths, lengths + n);
    n = static_cast<int>(std::unique(lengths, lengths + n) - lengths);
    for (int i = 0; i < n; ++i)
        if (lengths[i] > idle_s + EPS) stand(lengths[i]);
}

void Search::serve(int label_index, int leg_index, const Remaining &after, bool last,
                   const StopArrival &a, std::vector<int> &out) {
    const Leg &leg = p_.legs[leg_index];
    const DriverRules &r = p_.rules;
    const Label label = labels[label_index];
    double waiting = 0.0;
    int met = -1;
    if (leg.has_window) {
        double t_us = clock_us(a.t), opens_us, closes_us;
        window_bounds(leg.window, t_us, opens_us, closes_us);
        waiting = std::max(0.0, (opens_us - t_us) / 1e6);
        met = t_us <= closes_us ? 1 : 0;
    }
    double service = leg.service_s, base = waiting + service;
    const ChargeTable *table = leg.dwell_table >= 0 ? &p_.tables[leg.dwell_table] : nullptr;
    // Free time before the service beyond the waiting, and after it. Service is work unless the
    // driver is free during it; then the whole standstill is one free block, as it is at a stop
    // on the way with no service (the roadside check joins free time that no work parts).
    bool one_block = leg.driver_free || (service <= 0 && !last);
    auto &options = hold_options_;
    options.clear();
    options.emplace_back(0.0, 0.0);
    DriverState served = a.driver;
    after_free(r, served, a.t, waiting);
    if (!one_block) {
        after_work(r, served, service);
        // Six hours of work would run out during the service, or the day's work would pass a
        // mark of 2002/15 its breaks fall short of: a break before it (the waiting its start).
        // The day would end during it: a daily rest before it. Where six hours of work ask for a
        // part of 15 min, the day's breaks may also be made up later (they count by the day):
        // every length from the part up is offered.
        double min_s = work_within_limit(r, served) ? 0.0 : r.work_break_part_s;
        if (min_s == 0.0 && !day_breaks_enough(r, served))
            min_s = top_up_s(r, a.driver, day_breaks_needed_s(r, served.work_today_s));
        if (min_s > 0.0) {
            double lengths[4];
            int n = break_lengths(r, a.driver, min_s, lengths);
            for (int i = 0; i < n; ++i)
                options.emplace_back(std::max(0.0, lengths[i] - waiting), 0.0);
        }
        if (a.t + base > latest_rest_start_s(r, served) + EPS) {
            options.emplace_back(std::max(0.0, r.daily_rest_s - waiting), 0.0);
            options.emplace_back(std::max(0.0, shortest_rest_s(r, a.driver) - waiting), 0.0);
        }
        if (short_of_a_rest(r, a.driver, waiting))
            options.emplace_back(shortest_rest_s(r, a.driver) - waiting, 0.0);
        // The waiting, stretched into what the tour needs (wait_lengths).
        if (waiting > EPS && service > 0 && !last) {
            double lengths[9];
            int n = wait_lengths(r, a.driver, served, a.t + base, label.soc, after, lengths);
            for (int i = 0; i < n; ++i)
                if (lengths[i] > waiting + EPS) options.emplace_back(lengths[i] - waiting, 0.0);
        }
    }
    auto post = [&](double free_s) {
        double extra = one_block ? std::max(0.0, free_s - base) : free_s;
        if (extra > 0) options.emplace_back(0.0, extra);
    };
    if (one_block && short_of_a_rest(r, a.driver, base)) post(shortest_rest_s(r, a.driver));
    if (!last) {
        double now = a.t + base;
        if (after.needs_break(r, served)) post(break_needed_s(r, one_block ? a.driver : served));
        // The day's work already asks for more breaks than it had: made up before driving on.
        if (!leg.driver_free && !day_breaks_enough(r, served))
            post(top_up_s(r, served, day_breaks_needed_s(r, served.work_today_s)));
        if (after.needs_rest(r, served, now, label.soc)) {
            double rests[4];
            int n_rests = rest_lengths(r, served, now, rests);
            for (int i = 0; i < n_rests; ++i) post(rests[i]);
        }
        if (table != nullptr) {
            double dwell_soc = table->soc_after(label.soc, base);
            table->grid_options(label.soc, scratch_);
            for (auto [target, time_s] : scratch_)
                if (target > dwell_soc + EPS)
                    options.emplace_back(0.0, std::max(0.0, time_s - base));
        }
    }
    std::sort(options.begin(), options.end());
    options.erase(std::unique(options.begin(), options.end()), options.end());
    // A stand near the stop (customer_stop) and the free time at the stop that follows it are
    // one free block, as the roadside check reads them: a part of a break right after a rest
    // is part of the rest.
    double stood_s = a.t - label.time_s;
    for (auto [pre, extra] : options) {
        double hold = base + pre + extra;
        double end = a.t + hold;
        double free_s = one_block ? hold : waiting + pre;  // from the arrival on
        bool joined = stood_s > 0 && free_s > EPS;
        DriverState driver = joined ? label.driver : a.driver;
        double from_s = joined ? label.time_s : a.t, before_s = joined ? stood_s : 0.0;
        FreeKind pre_kind = FreeKind::None, kind;
        if (one_block) {
            kind = after_free(r, driver, from_s, before_s + hold);
        } else {
            pre_kind = after_free(r, driver, from_s, before_s + waiting + pre);
            double work_end = a.t + waiting + pre + service;
            after_work(r, driver, service);
            if (service > 0 && !lawful_at(r, driver, work_end)) continue;
            kind = after_free(r, driver, work_end, extra);
        }
        if (last ? !lawful_end(r, driver) : !lawful_at(r, driver, end)) continue;
        double soc_dep = label.soc, charge_s = 0.0;
        if (table != nullptr && hold > 0 && label.soc < p_.soc_max) {
            soc_dep = table->soc_after(label.soc, hold);
            charge_s = std::min(hold, table->time_s(label.soc, soc_dep));
        }
        if (last && soc_dep < p_.min_soc_end - 1e-9) continue;
        Step step = empty_step();
        step.is_drive = false;
        step.leg = leg_index;
        step.arrival_s = a.t;
        step.waiting_s = waiting;
        step.charge_s = charge_s;
        step.standstill_s = hold;
        step.soc_arrival = label.soc;
        step.soc_departure = soc_dep;
        step.window_met = met;
        step.before_begin = a.before_begin;
        step.before_count = a.before_count;
        step.pre_break_s = pre;
        step.pre_kind = pre_kind;
        step.kind = kind;
        Label next{end,
                   soc_dep,
                   driver,
                   label.missed + (met == 0 ? 1 : 0),
                   label.waited_s + a.idle_s + waiting,
                   label.stops,
                   label.charged_kwh + (soc_dep - label.soc) * p_.capacity_kwh,
                   label_index,
                   -1};
        out.push_back(new_label(next, step));
    }
}

double Search::dropped_lower_bound_s(const Label &x, const Remaining &ahead,
                                     int leaving_from) const {
    if (leaving_from < 0) return lower_bound_s(x, ahead);
    // A label that leaves its station by a hop: the least of where its hops lead.
    double lower_s = INF;
    for (int h : hops_from_[leaving_from]) {
        const Hop &hop = p_.hops[h];
        HopEnd there = hop_end(x.time_s, x.soc, hop);
        if (there.soc >= p_.soc_reserve - EPS)
            lower_s = std::min(lower_s, there.ahead->arrival_lower_bound_s(
                                            p_.rules, x.driver, there.time_s, there.soc, p_.chain));
    }
    return lower_s;
}

void Search::note_dropped(int label_index, const Remaining &ahead, int leaving_from) {
    const Label &x = labels[label_index];
    note_drop(x.missed, [&] { return dropped_lower_bound_s(x, ahead, leaving_from); });
}

double Search::sessions_lower_bound_s(const Arrival &a, const Station &station,
                                      const Remaining &ahead) const {
    // Every session leaves after the waiting, plugging in and out and its charging, and drives
    // the way back (back_s, the waiting in it); what the tour lacks from the arrival's SoC, the
    // way back included, is charged here or ahead, plugged in already, at most at the fastest
    // power from here on (this station's included).
    double back_s = a.time_s + a.waiting_s + p_.plug_overhead_s + station.detour_from_s;
    double soc = a.soc - station.detour_from_kwh / p_.capacity_kwh;
    return ahead.arrival_lower_bound_s(p_.rules, a.driver, back_s, soc, p_.chain, a.waiting_s,
                                       true);
}

bool Search::arrival_within_bound(const Arrival &a, const Station &station,
                                  const Remaining &ahead) const {
    const Label &from = labels[a.label];
    if (!s_.has_bound || from.missed < s_.bound_missed) return true;
    if (from.missed > s_.bound_missed) return false;
    return sessions_lower_bound_s(a, station, ahead) <= s_.bound_arrival_s + BOUND_TOL_S;
}

bool Search::within_bound(int missed, const DriverState &driver, double time_s, double soc,
                          const Remaining &ahead) const {
    // Short of energy with no charging ahead (no station, no stop that charges): dead, bound or
    // not (its lower bound is INF). Without this a tour that cannot be driven is searched
    // through to where it runs dry.
    if (!s_.has_bound || missed < s_.bound_missed) return ahead.charging_lower_bound_s(soc) < INF;
    if (missed != s_.bound_missed) return false;
    // Most labels cut are cut by their driving, services and charging alone, which the lower
    // bound adds first (arrival_floor_s): the free time they need is worked out for the others.
    double latest_s = s_.bound_arrival_s + BOUND_TOL_S;
    return ahead.arrival_floor_s(time_s, soc) <= latest_s &&
           ahead.arrival_lower_bound_s(p_.rules, driver, time_s, soc, p_.chain) <= latest_s;
}

// As a label at the junction of the hop's station when the hop ends: from the station the truck
// has at least that junction's way ahead (hops are no shortcut: search_core.lay_out_hops), its
// driving counted no more, which bounds it from below.
Search::HopEnd Search::hop_end(double time_s, double soc, const Hop &hop) const {
    return {time_s + hop.duration_s, std::min(p_.soc_max, soc - hop.energy_kwh / p_.capacity_kwh),
            &p_.points[station_point_[hop.to]].before};
}

bool Search::hop_within_bound(int missed, const DriverState &driver, double time_s, double soc,
                              const Hop &hop) const {
    HopEnd there = hop_end(time_s, soc, hop);
    if (there.soc < p_.soc_reserve - EPS) return false;
    return within_bound(missed, driver, there.time_s, there.soc, *there.ahead);
}

void Search::make_within_bound(const Label &label, const Step &step, const Remaining &ahead,
                               std::vector<int> &out) {
    if (within_bound(label, ahead))
        out.push_back(new_label(label, step));
    else
        ++made_;  // made and cut at once: max_labels bounds the work all the same
}

std::vector<int> Search::prune(std::vector<int> in, int limit, const Remaining &ahead,
                               double useful, bool use_bound, int leaving_from) {
    const DriverRules &r = p_.rules;
    if (use_bound && s_.has_bound) {
        auto &within = within_;
        within.clear();
        for (int i : in)
            if (within_bound(labels[i], ahead)) within.push_back(i);
        in.swap(within);
    }
    std::vector<int> kept = undominated(in, ahead, useful);
    if (limit > 0 && static_cast<size_t>(limit) < kept.size()) {
        auto estimated = [&](int i) {
            const Label &x = labels[i];
            const DriverState &d = x.driver;
            double worth = std::min(x.soc, useful) * p_.soc_value_s;
            if (ahead.needs_break(r, d))
                worth += r.break_s * (1.0 - d.since_break_s / r.break_after_driving_s);
            else
                worth += r.break_s;
            if (ahead.needs_rest(r, d, x.time_s, x.soc))
                worth += r.daily_rest_s * (1.0 - d.today_s / r.extended_daily_driving_s);
            else
                worth += r.daily_rest_s;
            return std::make_pair(x.missed, x.time_s - worth);
        };
        // Two rankings take the places in turns: by that estimate, and by the earliest arrival
        // a label can still reach (the bound's lower bound, which sees the windows ahead and
        // the breaks or daily rest falling due), ties by the estimate. Either alone loses plans
        // the other keeps: the estimate cannot see a window a label can no longer meet today,
        // the bound does not value driving time left before a break is due.
        auto &by_estimate = estimated_, &by_bound = bounded_;
        by_estimate.clear();
        for (int i : kept) by_estimate.emplace_back(estimated(i), i);
        auto first_less = [](const auto &a, const auto &b) { return a.first < b.first; };
        std::stable_sort(by_estimate.begin(), by_estimate.end(), first_less);
        by_bound.clear();
        for (const auto &e : by_estimate) {
            const Label &x = labels[e.second];
            by_bound.emplace_back(
                std::make_pair(x.missed, dropped_lower_bound_s(x, ahead, leaving_from)), e.second);
        }
        std::stable_sort(by_bound.begin(), by_bound.end(), first_less);
        auto &taken = taken_;  // by label index
        if (taken.size() < labels.size()) taken.resize(labels.size(), 0);
        size_t n = kept.size(), next_estimate = 0, next_bound = 0;
        kept.clear();
        while (kept.size() < n) {
            bool by_estimate_turn = kept.size() % 2 == 0;
            auto &ranking = by_estimate_turn ? by_estimate : by_bound;
            size_t &next = by_estimate_turn ? next_estimate : next_bound;
            while (taken[ranking[next].second]) ++next;
            taken[ranking[next].second] = 1;
            kept.push_back(ranking[next].second);
        }
        for (int i : kept) taken[i] = 0;
        // The fullest label stays too (the first of the highest SoC, then the earliest).
        int fullest = kept[0];
        for (int i : kept) {
            const Label &x = labels[i], &f = labels[fullest];
            double sx = std::min(x.soc, useful), sf = std::min(f.soc, useful);
            if (sx > sf || (sx == sf && -x.time_s > -f.time_s)) fullest = i;
        }
        bool in_head =
            std::find(kept.begin(), kept.begin() + limit, fullest) != kept.begin() + limit;
        size_t cut = in_head ? limit : limit - 1;
        if (s_.count_dropped)
            for (size_t k = cut; k < kept.size(); ++k)
                if (kept[k] != fullest) note_dropped(kept[k], ahead, leaving_from);
        kept.resize(cut);
        if (!in_head) kept.push_back(fullest);
    }
    return kept;
}

detail::Matters Search::matters(const Label &x, const Remaining &ahead) const {
    const DriverRules &r = p_.rules;
    const DriverState &d = x.driver;
    return {ahead.needs_break(r, d),
            ahead.needs_rest(r, d, x.time_s, x.soc),
            ahead.work_matters(r, d),
            ahead.weeks_matter(r, d),
            ahead.weekly_rest_matters(r, d, x.time_s),
            ahead.day_breaks_matter(r, d)};
}

detail::CounterKey Search::counters(const Label &x, const detail::Matters &m) const {
    double step_s = s_.driver_step_s;
    auto up = [step_s](double v) { return (step_s > 0 ? std::ceil(v / step_s - 1e-9) : v) + 0.0; };
    auto down = [&up](double v) { return v >= INF ? v : -up(-v); };
    const DriverState &d = x.driver;
    detail::CounterKey key;
    key.v[0] = x.missed;
    if (m.brk) {
        key.v[1] = 1;
        key.v[2] = up(d.since_break_s);
        key.v[3] = d.first_part_taken;
        if (m.work) key.v[4] = up(d.work_since_break_s);
    }
    if (m.rest) {
        key.v[5] = 1;
        key.v[6] = up(d.today_s);
        key.v[7] = down(d.day_start_s);
        key.v[8] = d.extended_used;
        key.v[9] = d.extended_today;
        key.v[10] = d.rest_part_taken;
        key.v[11] = d.reduced_used;
        if (m.weeks) {
            key.v[12] = up(d.week_s);
            key.v[13] = up(d.last_week_s);
            key.v[14] = d.week + 1;
        }
        if (m.weekly) key.v[15] = down(d.weekly_due_s);
    }
    if (m.day) {
        key.v[16] = up(d.work_today_s);
        key.v[17] = down(d.day_breaks_s);
        key.v[18] = down(d.open_break_s);
    }
    return key;
}

std::vector<int> Search::undominated(const std::vector<int> &in, const Remaining &ahead,
                                     double useful) {
    auto &index = class_index_;
    auto &classes = classes_;
    index.reset(in.size());
    if (matters_.size() < labels.size()) matters_.resize(labels.size());
    size_t used = 0;
    auto &by_missed = class_by_missed_;
    by_missed.clear();
    for (int i : in) {
        const Label &x = labels[i];
        detail::Matters m = matters_[i] = matters(x, ahead);
        // Where none of its counters can bind it, a label's key is its missed windows alone:
        // its class is found without hashing a key.
        bool plain = !m.brk && !m.rest && !m.day;
        detail::CounterKey key;
        if (!plain) {
            key = counters(x, m);
            plain = std::all_of(key.v.begin() + 1, key.v.end(), [](double v) { return v == 0.0; });
        }
        int found;
        bool inserted;
        if (plain) {
            if (by_missed.size() <= static_cast<size_t>(x.missed))
                by_missed.resize(static_cast<size_t>(x.missed) + 1, -1);
            found = by_missed[x.missed];
            inserted = found < 0;
            if (inserted) found = by_missed[x.missed] = static_cast<int>(used);
        } else {
            std::tie(found, inserted) = index.emplace(key, static_cast<int>(used));
        }
        if (inserted) {
            if (used == classes.size()) classes.emplace_back();
            classes[used++].clear();
        }
        classes[found].push_back(i);
    }
    std::vector<int> swept;
    auto &keyed = keyed_;
    for (size_t c = 0; c < used; ++c) {
        // Within a class the counters are equal: keep the labels whose SoC beats every faster one.
        keyed.clear();
        for (int i : classes[c])
            keyed.push_back(order_key(labels[i], useful, i, static_cast<int>(keyed.size())));
        std::sort(keyed.begin(), keyed.end());
        double best_soc = -INF;
        for (const detail::OrderKey &k : keyed) {
            double soc = -k.neg_soc;
            if (soc > best_soc + EPS) {
                swept.push_back(k.index);
                best_soc = soc;
            }
        }
    }
    if (used == 1) return swept;
    return across_classes(std::move(swept), ahead, useful);
}

namespace {

// Whether a's counters are no worse than b's for the rest of the tour (a's `matters` flags: the
// counters that can still bind a).
bool break_no_worse(const DriverState &a, const DriverState &b, bool work, double tol_s) {
    return a.since_break_s <= b.since_break_s + tol_s + EPS &&
           (a.first_part_taken || !b.first_part_taken) &&
           (!work || a.work_since_break_s <= b.work_since_break_s + tol_s + EPS);
}

// a's 10-hour days are no worse: fewer used, or as many and today one of them.
bool extension_no_worse(const DriverState &a, const DriverState &b) {
    return a.extended_used < b.extended_used ||
           (a.extended_used == b.extended_used && (a.extended_today || !b.extended_today));
}

// a's day asks for no more breaks of 2002/15 than b's, whatever work follows.
bool day_no_worse(const DriverRules &r, const DriverState &a, const DriverState &b, double tol_s) {
    if (a.day_breaks_s >= r.work_break_over_9_s - EPS) return true;
    return a.work_today_s <= b.work_today_s + tol_s + EPS &&
           a.day_breaks_s >= b.day_breaks_s - tol_s - EPS &&
           a.day_breaks_s + a.open_break_s >= b.day_breaks_s + b.open_break_s - tol_s - EPS;
}

bool rest_no_worse(const DriverState &a, const DriverState &b, bool weeks, bool weekly,
                   double tol_s) {
    return a.today_s <= b.today_s + tol_s + EPS && a.day_start_s >= b.day_start_s - tol_s - EPS &&
           extension_no_worse(a, b) && (a.rest_part_taken || !b.rest_part_taken) &&
           a.reduced_used <= b.reduced_used &&
           (!weeks || (a.week == b.week && a.week_s <= b.week_s + tol_s + EPS &&
                       a.last_week_s <= b.last_week_s + tol_s + EPS)) &&
           (!weekly || a.weekly_due_s >= b.weekly_due_s - tol_s - EPS);
}

}  // namespace

std::vector<int> Search::across_classes(std::vector<int> ordered, const Remaining &ahead,
                                        double useful) {
    const DriverRules &r = p_.rules;
    double tol_s = s_.driver_step_s;
    auto &keyed = keyed_;
    keyed.clear();
    for (int i : ordered)
        keyed.push_back(order_key(labels[i], useful, i, static_cast<int>(keyed.size())));
    std::sort(keyed.begin(), keyed.end(), [](const detail::OrderKey &a, const detail::OrderKey &b) {
        return a.missed != b.missed ? a.missed < b.missed : a < b;
    });
    for (size_t k = 0; k < keyed.size(); ++k) ordered[k] = keyed[k].index;
    // Kept labels by SoC, highest first: only those with at least a label's SoC can dominate it,
    // so the scan stops at the first one below. (The order checked does not change the answer.)
    std::vector<detail::Kept> &kept = kept_;
    std::vector<int> &by_soc = kept_by_soc_;  // into kept
    kept.clear();
    by_soc.clear();
    std::vector<int> out;
    for (int i : ordered) {
        const Label &label = labels[i];
        double soc = std::min(label.soc, useful);
        double t = label.time_s;
        const DriverState &b = label.driver;
        bool dominated = false;
        for (int j : by_soc) {
            const detail::Kept &k = kept[j];
            if (k.soc < soc - EPS) break;
            if (k.missed > label.missed || k.time_s > t + EPS) continue;
            const DriverState &a = k.driver;
            bool day = !k.day || day_no_worse(r, a, b, tol_s);
            if (day && (!k.since || break_no_worse(a, b, k.work, tol_s)) &&
                (!k.rest || rest_no_worse(a, b, k.weeks, k.weekly, tol_s))) {
                dominated = true;
                break;
            }
            if (k.after_time_s <= t + EPS && (!k.day || day_no_worse(r, k.after, b, tol_s)) &&
                (!k.after_rest || rest_no_worse(k.after, b, k.weeks, k.weekly, tol_s))) {
                dominated = true;
                break;
            }
        }
        if (dominated) continue;
        const DriverState &d = label.driver;
        // The same label after a break taken on the spot.
        DriverState rested_a_break = d;
        after_free(r, rested_a_break, label.time_s, break_needed_s(r, d));
        const detail::Matters &m = matters_[i];
        detail::Kept k{i,
                       soc,
                       label.time_s,
                       label.missed,
                       d,
                       m.brk,
                       m.rest,
                       label.time_s + break_needed_s(r, d),
                       rested_a_break,
                       false,
                       m.work,
                       m.weeks,
                       m.weekly,
                       m.day};
        if (ahead.needs_break(r, k.after)) k.after_time_s = INF;
        k.after_rest = ahead.needs_rest(r, k.after, k.after_time_s, label.soc);
        auto at = std::upper_bound(by_soc.begin(), by_soc.end(), soc,
                                   [&kept](double x, int y) { return x > kept[y].soc; });
        by_soc.insert(at, static_cast<int>(kept.size()));
        kept.push_back(k);
        out.push_back(i);
    }
    return out;
}

// Most labels a point makes are dropped by its prune, and none of them is a parent yet: the
// front's labels from `from` on move down to `from` (in the order made, so none overwrites one
// still to move), and the labels after them are reused at the next point. The labels kept stay
// few, and those made and dropped again stay in the same memory, hot in cache.
void Search::keep_only(size_t from, std::vector<int> &front) {
    auto &order = keep_order_;
    order.clear();
    for (int i : front)
        if (static_cast<size_t>(i) >= from) order.push_back(i);
    std::sort(order.begin(), order.end());
    size_t to = from;
    for (int i : order) {
        if (static_cast<size_t>(i) != to) {
            labels[to] = labels[i];
            steps[to - 1] = steps[i - 1];  // label k > 0 has step k - 1 (the root has none)
            labels[to].step = static_cast<int>(to) - 1;
        }
        ++to;
    }
    for (int &i : front)
        if (static_cast<size_t>(i) >= from)
            i = static_cast<int>(from +
                                 (std::lower_bound(order.begin(), order.end(), i) - order.begin()));
    labels.resize(to);
    steps.resize(to - 1);
}

Outcome Search::run() {
    const DriverRules &r = p_.rules;
    double capacity = p_.capacity_kwh, reserve = p_.soc_reserve;
    int limit = s_.label_limit;
    labels.clear();
    steps.clear();
    roadside.clear();
    labels.push_back(Label{0.0, p_.soc_start, p_.start, 0, 0.0, 0, 0.0, -1, -1});
    for (auto &to : hopping_to_) to.clear();
    last_hop_point_ = 0;
    std::vector<int> front{0};
    int last_leg = static_cast<int>(p_.legs.size()) - 1;
    auto max_soc = [this](const std::vector<int> &labels_) {
        double best = -INF;
        for (int i : labels_) best = std::max(best, labels[i].soc);
        return labels_.empty() ? p_.soc_start : best;
    };
    for (size_t index = 1; index < p_.points.size(); ++index) {
        const Point &point = p_.points[index], &prev = p_.points[index - 1];
        double from_m = prev.leg == point.leg ? prev.distance_m : 0.0;
        std::vector<int> moved;
        int moves = 0;  // those the bound cuts included (moved holds the others)
        double moved_soc = -INF;
        size_t made_here = labels.size();
        if (point.cap_low_soc >= reserve - 1e-12) {
            double need = reserve + point.max_prefix_kwh / capacity;
            for (int i : front) {
                if (over_cap()) break;
                const Label label = labels[i];
                if (label.soc < need - 1e-12) continue;
                driven_.clear();
                // Whether a rest is still due once the stretch is driven (its driving counted).
                DriverState driven = label.driver;
                driven.today_s += point.duration_s;
                double end_s = label.time_s + point.duration_s;
                // A break that falls due on the stretch counts too: a rest may take its place.
                if (r.breaks &&
                    label.driver.since_break_s + point.duration_s > r.break_after_driving_s + EPS)
                    end_s += break_needed_s(r, label.driver);
                double soc = std::min(label.soc - point.energy_kwh / capacity, point.cap_end_soc);
                bool rest_ahead = point.before.needs_rest(r, driven, end_s, soc);
                Driving(r, roadside, trail_)
                    .all(label.time_s, label.driver, point.duration_s, true, driven_, rest_ahead);
                for (const Driven &d : driven_) {
                    Step step = empty_step();
                    step.is_drive = true;
                    step.leg = point.leg;
                    step.from_m = from_m;
                    step.to_m = point.distance_m;
                    step.start_s = label.time_s;
                    step.soc_start = label.soc;
                    step.roadside_begin = d.roadside_begin;
                    step.roadside_count = d.roadside_count;
                    Label next{d.t,
                               soc,
                               d.state,
                               label.missed,
                               label.waited_s,
                               label.stops,
                               label.charged_kwh,
                               i,
                               -1};
                    ++moves;
                    moved_soc = std::max(moved_soc, soc);
                    make_within_bound(next, step, point.before, moved);
                }
            }
        }
        if (over_cap()) return cut_short();
        if (moves == 0 && !hop_ahead(index)) {
            out_.fail_index = static_cast<int>(index) - 1;
            out_.fail_arrived = false;
            out_.fail_soc = max_soc(front);
            out_.labels_made = made_;
            return out_;
        }
        // Every label moved here was made within the bound (make_within_bound), as is every
        // option of a station below: their prunes need not test it again.
        front = prune(std::move(moved), limit, point.before, point.useful_soc, false);
        if (front.empty() && !s_.has_bound && !hop_ahead(index))
            return dead_end(index, point.station < 0 && point.leg == last_leg, moved_soc);
        keep_only(made_here, front);
        // The labels from here on are the stop's: the front above stays put (their parents).
        made_here = labels.size();
        if (point.station >= 0) {
            std::vector<int> options;
            leaving_.clear();
            station_options(front, point.station, point.before, point.useful_soc, options);
            if (over_cap()) return cut_short();
            std::vector<int> all = front;
            all.insert(all.end(), options.begin(), options.end());
            front = prune(std::move(all), limit, point.before, point.useful_soc, false);
            if (!leaving_.empty()) {
                // Those that leave by a hop, compared at the station (the counters that matter
                // as from its junction: a hop is short) and the limit's drops bounded by where
                // the hops lead.
                std::vector<int> leaving =
                    prune(leaving_, limit, point.before, INF, false, point.station);
                size_t n = front.size();
                front.insert(front.end(), leaving.begin(), leaving.end());
                keep_only(made_here, front);
                for (size_t k = n; k < front.size(); ++k)
                    for (int h : hops_from_[point.station]) {
                        int to = p_.hops[h].to;
                        if (!hop_within_bound(labels[front[k]], p_.hops[h])) continue;
                        hopping_to_[to].emplace_back(front[k], h);
                        last_hop_point_ =
                            std::max(last_hop_point_, static_cast<size_t>(station_point_[to]));
                    }
                front.resize(n);
                made_here = labels.size();
            }
        } else {
            std::vector<int> stopped;
            bool end = point.leg == last_leg;
            for (int i : front) {
                if (over_cap()) break;
                customer_stop(i, point.leg, point.after, end, stopped);
            }
            if (over_cap()) return cut_short();
            if (stopped.empty()) {
                out_.fail_index = static_cast<int>(index);
                out_.fail_arrived = true;
                out_.fail_soc = max_soc(front);
                out_.labels_made = made_;
                return out_;
            }
            // At the destination the plans are compared by their arrival (end_s), which a
            // prune by the time the stop is left would not see: a rest before the service
            // there leaves late from an early arrival.
            front = end ? std::move(stopped)
                        : prune(std::move(stopped), limit, point.after, point.useful_soc, true);
        }
        keep_only(made_here, front);
        // Nothing here can beat the bound, nor anything on its way to a station ahead.
        if (front.empty() && !hop_ahead(index + 1)) return out_;
    }
    auto key = [this](int i) {
        const Label &x = labels[i];
        return std::make_tuple(x.missed, end_s(i), x.waited_s, x.stops, x.charged_kwh);
    };
    int best = front[0];
    for (int i : front)
        if (key(i) < key(best)) best = i;
    out_.best = best;
    out_.labels_made = made_;
    return out_;
}

}  // namespace voltroute
