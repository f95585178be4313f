// The optimizer's label search over route points (the model: optimizer.py's docstring), the only
// copy of it. The Python side (search_core.py) lays a problem out in search seconds (no clocks,
// no time zones here) and reads the best chain back.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include "charging.h"
#include "driver_rules.h"
#include "remaining.h"

namespace voltroute {

// A customer stop's arrival windows per local day, in whole microseconds from the drive-off
// (schedule.window_bounds): day_start_us[j] is local midnight of day j, opens_us[j]..closes_us[j]
// that day's window.
struct DailyWindows {
    std::vector<double> day_start_us;
    std::vector<double> opens_us;
    std::vector<double> closes_us;
};

struct Station {
    int leg = 0;
    double detour_to_s = 0.0, detour_from_s = 0.0;
    double detour_to_kwh = 0.0, detour_from_kwh = 0.0;
    int table = 0;
    bool has_hours = false;                   // else always open
    bool vacate = false;                      // the bay must be freed when charging ends
    std::vector<double> opens_us, closes_us;  // whole microseconds, sorted by opening
    // SoCs to charge to besides the grid's (a plan's own, searched again: optimizer.py's
    // Refinement).
    std::vector<double> targets;
};

// A drive from one station straight to another whose route point comes later (a chain: the truck
// charges at both without rejoining the route between them).
struct Hop {
    int from = 0, to = 0;  // stations
    double duration_s = 0.0, energy_kwh = 0.0;
};

struct Leg {
    double service_s = 0.0;
    bool driver_free = false;  // the driver is free during the service (else it is work)
    int dwell_table = -1;      // -1: no dwell charging
    bool has_window = false;
    DailyWindows window;
};

struct Point {
    int leg = 0;
    double distance_m = 0.0;
    int station = -1;  // -1: the start or a leg end
    // The stretch from the previous point (corridor.Stretch).
    double duration_s = 0.0, energy_kwh = 0.0, max_prefix_kwh = 0.0;
    double cap_end_soc = 1.0, cap_low_soc = 1.0;
    double useful_soc = INF;
    Remaining before;  // before the stop at this point
    Remaining after;   // after it (leg ends only)
};

struct Problem {
    DriverRules rules;
    DriverState start;  // the driver's counters at the drive-off
    double capacity_kwh = 1.0, soc_reserve = 0.0, soc_max = 1.0, min_soc_end = 0.0;
    double soc_start = 1.0, min_charge_s = 0.0, plug_overhead_s = 0.0;
    double soc_value_s = 0.0;  // what a unit of SoC is worth when labels must be dropped
    std::vector<ChargeTable> tables;
    std::vector<Station> stations;
    std::vector<Hop> hops;
    std::vector<Leg> legs;
    std::vector<Point> points;
    WindowChain chain;
};

struct Settings {
    double driver_step_s = 300.0;
    int label_limit = 100;
    bool has_bound = false;
    int bound_missed = 0;
    double bound_arrival_s = 0.0;
    bool count_dropped = false;
    // At most this many labels in all (0: no limit): beyond it the search stops (cut_short),
    // which bounds its memory where no label limit does (about 230 bytes a label and step).
    long max_labels = 0;
    bool station_chains = true;  // chain stations by the problem's hops
    // Sessions of a station batch shorter than the shortest free time that counts for the driver
    // (a break's first part, a part of a 2002/15 break, a break): off for the first pass.
    bool short_sessions = true;
    // Also charge to the SoCs that reach each later station, or stop that charges, at the
    // reserve (off the grid: a grid overshoots by up to a step): for a search over a plan's few
    // stations (reach_soc_).
    bool reach_targets = false;
    // Charge at stations to the grid's SoCs (off: only to the stations' own targets, the reach
    // targets and the SoCs of the extra sessions, one arrival at a time).
    bool station_grid = true;
};

struct Label {
    double time_s, soc;  // time_s: search seconds from the drive-off
    DriverState driver;
    int missed;
    double waited_s;  // waiting for windows and opening hours so far
    int stops;
    double charged_kwh;
    int parent;  // -1: the root
    int step;    // -1: the root
};

struct Step {
    bool is_drive;
    int leg;
    // Driving (labels.DriveStep).
    double from_m, to_m, start_s, soc_start;
    int roadside_begin, roadside_count;
    // A stop (labels.StopStep).
    int station;  // -1: the customer stop at the leg end
    // The hop the truck came to the station by (-1: from the route); whether it leaves by one;
    // whether it passes the station by, back to the route, without a stop (a hop as the way back).
    int hop;
    bool leaves_by_hop, passes;
    double arrival_s, waiting_s, charge_s, standstill_s, soc_arrival, soc_departure;
    int window_met;  // -1: no window, 0: missed, 1: met
    // The free blocks of a stop: before the work (waiting, and a break taken before a customer's
    // service: pre_break_s) and after it; what each counts as (driver_rules.h).
    double pre_break_s;
    FreeKind pre_kind, kind;
    int before_begin, before_count, after_begin, after_count;
};

struct Outcome {
    int best = -1;              // label index of the best plan, -1 if none
    int fail_index = -1;        // route point where the search ran dry (no plan)
    bool fail_arrived = false;  // it ran dry at a request stop (the end level not reached)
    double fail_soc = 0.0;      // the highest SoC of the labels at the last point reached
    bool cut_short = false;     // max_labels was reached: the search stopped, nothing is known
    bool dropped_any = false;
    double dropped_missed = INF, dropped_arrival_s = INF;
    long labels_made = 0;  // every label the search made (its work, for benchmarks)
};

namespace detail {

// Driver counters (bucketed) and missed windows as a key: classes of labels in dominance and
// the station batch, hashed.
struct CounterKey {
    std::array<double, 19> v{};
    bool operator==(const CounterKey &o) const { return v == o.v; }
};

// splitmix64's finalizer: every input bit moves the low bits, which FlatIndex uses.
inline uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// Every label is hashed once or twice: a sum of the counters' bits times odd constants, one per
// counter (independent multiplies, where a chain would wait on each), and one finalizer.
struct CounterKeyHash {
    size_t operator()(const CounterKey &k) const {
        static constexpr uint64_t odd[19] = {
            0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL, 0x165667b19e3779f9ULL,
            0xd6e8feb86659fd93ULL, 0xff51afd7ed558ccdULL, 0xc4ceb9fe1a85ec53ULL,
            0x94d049bb133111ebULL, 0xbf58476d1ce4e5b9ULL, 0x27d4eb2f165667c5ULL,
            0x85ebca77c2b2ae63ULL, 0x61c8864680b583ebULL, 0x9fb21c651e98df25ULL,
            0xa0761d6478bd642fULL, 0xe7037ed1a0b428dbULL, 0x8ebc6af09c88c6e3ULL,
            0x589965cc75374cc3ULL, 0x1d8e4e27c47d124fULL, 0xd1b54a32d192ed03ULL,
            0xaef17502108ef2d9ULL};
        uint64_t h = 0;
        for (size_t i = 0; i < k.v.size(); ++i) {
            double x = k.v[i] + 0.0;  // -0.0 and 0.0 are one key
            uint64_t bits;
            std::memcpy(&bits, &x, sizeof bits);
            h += (bits ^ (bits >> 29)) * odd[i];
        }
        return mix64(h);
    }
};

// A label's place in the dominance sweeps: time, then more SoC (up to what is useful), less
// waiting, fewer stops, less energy charged; missed windows first where classes are mixed. Ties
// keep the order the labels came in (pos): a total order that std::sort keeps as stable_sort
// would, without the buffer stable_sort allocates for every few labels it sorts.
struct OrderKey {
    int missed;
    double time_s, neg_soc, waited_s;
    int stops;
    double charged_kwh;
    int index;
    int pos;
    bool operator<(const OrderKey &o) const {
        if (time_s != o.time_s) return time_s < o.time_s;
        if (neg_soc != o.neg_soc) return neg_soc < o.neg_soc;
        if (waited_s != o.waited_s) return waited_s < o.waited_s;
        if (stops != o.stops) return stops < o.stops;
        if (charged_kwh != o.charged_kwh) return charged_kwh < o.charged_kwh;
        return pos < o.pos;
    }
};

// Which of a label's counters can still bind it for the rest of the tour (remaining.h): a
// break, a daily rest, working time, the week's driving, a weekly rest, the day's breaks.
struct Matters {
    bool brk, rest, work, weeks, weekly, day;
};

// A kept label with what the comparisons read (kept together: the arena is large).
struct Kept {
    int label;
    double soc, time_s;
    int missed;
    DriverState driver;
    bool since, rest;
    double after_time_s;
    DriverState after;
    bool after_rest;
    // Which further counters can bind it.
    bool work = false, weeks = false, weekly = false, day = false;
};

// A map from keys to small ints for one use at a time (reset before each), open addressing:
// the classes of a prune are counted in thousands per route point, and a node-based map spends
// more time allocating than hashing. The slots hold a hash and an index into the keys, which
// are kept apart in the order inserted: a probe reads a few small slots, not large keys.
template <class Key, class Hash>
class FlatIndex {
public:
    // Ready for up to n keys, all forgotten.
    void reset(size_t n) {
        size_t want = 16;
        while (want < 2 * n) want *= 2;
        if (want > slots_.size()) {
            slots_.assign(want, Slot{});
            generation_ = 0;
        }
        if (++generation_ == 0) {  // wrapped: forget for real
            for (Slot &slot : slots_) slot.generation = 0;
            generation_ = 1;
        }
        keys_.clear();
    }

    // The value of key, inserting `value` if it is new; second: whether it was inserted.
    std::pair<int, bool> emplace(const Key &key, int value) {
        size_t mask = slots_.size() - 1;
        uint64_t hash = Hash{}(key);
        auto tag = static_cast<uint32_t>(hash >> 32);
        for (size_t i = hash & mask;; i = (i + 1) & mask) {
            Slot &slot = slots_[i];
            if (slot.generation != generation_) {
                slot = Slot{generation_, tag, static_cast<int>(keys_.size()), value};
                keys_.push_back(key);
                return {value, true};
            }
            if (slot.tag == tag && keys_[slot.key] == key) return {slot.value, false};
        }
    }

private:
    struct Slot {
        uint32_t generation = 0;
        uint32_t tag = 0;  // the hash's high bits: most other keys differ in them
        int key = 0;       // into keys_
        int value = 0;
    };
    std::vector<Slot> slots_;
    std::vector<Key> keys_;
    uint32_t generation_ = 0;
};

}  // namespace detail

// The labels and steps a search keeps (a chain: parent indices). One per thread, kept between
// searches: fresh memory for them costs more than the search itself.
struct Arena {
    std::vector<Label> labels;
    std::vector<Step> steps;
    std::vector<RoadsideStop> roadside;
};

class Search {
public:
    Search(const Problem &problem, const Settings &settings);
    ~Search();
    Search(const Search &) = delete;
    Search &operator=(const Search &) = delete;
    Outcome run();
    double end_s(int label_index) const;  // a plan's end, as the optimizer compares plans
    bool over_cap() const { return s_.max_labels > 0 && made_ > s_.max_labels; }

    std::vector<Label> &labels;
    std::vector<Step> &steps;
    std::vector<RoadsideStop> &roadside;

private:
    struct Arrival {
        int label;
        double soc, time_s;
        DriverState driver;
        int before_begin, before_count;
        double waiting_s, open_s;
        int hop;  // -1: from the route
    };

    // How a truck comes to a customer stop: when, its counters, and the free time it stood
    // nearby first (idle_s, the roadside stop before_begin, before_count) to meet a window.
    struct StopArrival {
        double t;
        DriverState driver;
        double idle_s;
        int before_begin, before_count;
    };

    Outcome cut_short();
    Outcome dead_end(size_t index, bool arrived, double soc);

    long made_ = 0;  // labels made, those dropped again included
    std::vector<int> keep_order_;

    const Problem &p_;
    const Settings &s_;
    Outcome out_;
    std::vector<std::pair<double, double>> scratch_;
    // Reused between calls (their memory, not their contents).
    detail::FlatIndex<detail::CounterKey, detail::CounterKeyHash> class_index_;
    std::vector<std::vector<int>> classes_;
    std::vector<int> class_by_missed_;  // the class of labels none of whose counters matter
    detail::FlatIndex<detail::CounterKey, detail::CounterKeyHash> group_index_;
    std::vector<std::vector<Arrival>> groups_;
    std::vector<detail::OrderKey> keyed_;
    std::vector<detail::Kept> kept_;
    std::vector<std::array<double, 3>> stop_options_, group_extra_;
    std::vector<std::pair<double, double>> hold_options_;
    std::vector<std::pair<double, const Arrival *>> usable_;
    std::vector<double> taus_, potentials_;
    std::vector<size_t> window_;
    std::vector<int> within_;
    std::vector<std::pair<std::pair<int, double>, int>> estimated_, bounded_;
    std::vector<char> taken_;
    std::vector<int> kept_by_soc_;
    std::vector<detail::Matters> matters_;  // by label index, for the labels of a prune

    // Chains: the hops from each station; the labels that left a station by a hop at this
    // point, and those on their way to each station (label, hop).
    std::vector<std::vector<int>> hops_from_;
    std::vector<int> station_point_;
    std::vector<double> top_up_kwh_;              // by route point: see Search::Search
    std::vector<std::vector<double>> reach_soc_;  // by station, with Settings::reach_targets
    std::vector<int> leaving_;
    std::vector<std::vector<std::pair<int, int>>> hopping_to_;
    size_t last_hop_point_ = 0;  // the furthest route point a label is on its way to
    double finish_soc_ = INF;    // at the station searched: the SoC that finishes the tour

    std::vector<Driven> driven_;
    std::vector<RoadsideStop> trail_;
    std::vector<Arrival> arrivals_, batch_;

    // A label's arrivals at a station: from the route by its detour, or by a hop (-1: none).
    void arrive(int label, const Station &station, double way_s, double way_kwh, int hop,
                std::vector<Arrival> &out);
    void pass_by(int label, int hop, const Remaining &ahead, std::vector<int> &out);
    detail::Matters matters(const Label &x, const Remaining &ahead) const;
    detail::CounterKey counters(const Label &x, const detail::Matters &m) const;
    void station_stop(const Arrival &a, int station_index, const Remaining &ahead,
                      std::vector<int> &out);
    void lay_out_reach_targets();
    // From route point `from` on, each later chance to charge (a station, with its way in, or a
    // stop that charges) in route order: visit(the most the route to its junction asks, the most
    // the way to it asks), until visit returns false.
    template <class Visit>
    void charging_ahead(size_t from, Visit visit) const {
        double run = 0.0, need = 0.0;
        for (size_t j = from + 1; j < p_.points.size(); ++j) {
            const Point &q = p_.points[j];
            need = std::max(need, run + q.max_prefix_kwh);
            run += q.energy_kwh;
            if (q.station >= 0) {
                if (!visit(need, std::max(need, run + p_.stations[q.station].detour_to_kwh)))
                    return;
            } else if (p_.legs[q.leg].dwell_table >= 0) {
                if (!visit(need, need)) return;
            }
        }
    }
    void extra_sessions(const Arrival &a, const Station &station, const ChargeTable &table,
                        const Remaining &ahead, std::vector<std::array<double, 3>> &options);
    int session(int station_index, const Arrival &a, const Remaining &ahead, double target,
                double charge_s, double hold, std::vector<int> &out);
    void station_options(const std::vector<int> &front, int station_index, const Remaining &ahead,
                         double useful, std::vector<int> &out);
    // crowded: the label limit holds the station's front to its places (short sessions only as
    // top-ups, see group_options).
    void group_options(int station_index, const std::vector<Arrival> &arrivals,
                       const Remaining &ahead, double useful, bool crowded, std::vector<int> &out);
    void customer_stop(int label, int leg_index, const Remaining &after, bool last,
                       std::vector<int> &out);
    void serve(int label, int leg_index, const Remaining &after, bool last, const StopArrival &a,
               std::vector<int> &out);
    // leaving_from: the station whose labels leaving by a hop are pruned (-1: none); what the
    // limit drops of them is bounded where their hops lead.
    std::vector<int> prune(std::vector<int> labels, int limit, const Remaining &ahead,
                           double useful, bool use_bound, int leaving_from = -1);
    std::vector<int> undominated(const std::vector<int> &labels, const Remaining &ahead,
                                 double useful);
    std::vector<int> across_classes(std::vector<int> labels, const Remaining &ahead, double useful);
    void note_dropped(int label, const Remaining &ahead, int leaving_from);
    // Counts a dropped label (or a session left out) by its missed windows and, only where it
    // can lower what the search states, its lower bound (lower_s(): it costs a bound).
    template <class LowerBound>
    void note_drop(int missed, LowerBound lower_s) {
        out_.dropped_any = true;
        if (missed > out_.dropped_missed) return;
        double s = lower_s();
        if (missed < out_.dropped_missed) {
            out_.dropped_missed = missed;
            out_.dropped_arrival_s = s;
        } else {
            out_.dropped_arrival_s = std::min(out_.dropped_arrival_s, s);
        }
    }
    double dropped_lower_bound_s(const Label &x, const Remaining &ahead, int leaving_from) const;
    double lower_bound_s(const Label &x, const Remaining &ahead) const {
        return ahead.arrival_lower_bound_s(p_.rules, x.driver, x.time_s, x.soc, p_.chain);
    }
    // The earliest arrival any charging session from this arrival at a station can reach.
    double sessions_lower_bound_s(const Arrival &a, const Station &station,
                                  const Remaining &ahead) const;
    // Whether a charging session from this arrival at a station may still beat the bound (a
    // lower bound on every session's; stations with hops excepted).
    bool arrival_within_bound(const Arrival &a, const Station &station,
                              const Remaining &ahead) const;
    // Whether x may still beat the bound: prune keeps no other, so no other is made.
    bool within_bound(const Label &x, const Remaining &ahead) const {
        return within_bound(x.missed, x.driver, x.time_s, x.soc, ahead);
    }
    bool within_bound(int missed, const DriverState &driver, double time_s, double soc,
                      const Remaining &ahead) const;
    // within_bound for a label at a station that hops to another.
    bool hop_within_bound(const Label &x, const Hop &hop) const {
        return hop_within_bound(x.missed, x.driver, x.time_s, x.soc, hop);
    }
    bool hop_within_bound(int missed, const DriverState &driver, double time_s, double soc,
                          const Hop &hop) const;
    // Where a hop from time_s and soc ends: its time and SoC there, and the way ahead of that
    // station's junction.
    struct HopEnd {
        double time_s, soc;
        const Remaining *ahead;
    };
    HopEnd hop_end(double time_s, double soc, const Hop &hop) const;
    int new_label(const Label &label, const Step &step);
    // new_label where within_bound holds (into out), else only counted as made.
    void make_within_bound(const Label &label, const Step &step, const Remaining &ahead,
                           std::vector<int> &out);
    void keep_only(size_t from, std::vector<int> &front);
    // Whether a label is still on its way to route point `index` or beyond.
    bool hop_ahead(size_t index) const { return last_hop_point_ >= index; }
};

}  // namespace voltroute
