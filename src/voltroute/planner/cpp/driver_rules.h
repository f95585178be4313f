// Regulation (EC) 561/2006 and Directive 2002/15/EC as the optimizer models them. The limits come
// from voltroute/planner/driver_rules.py (which reads the law's table, tachograph.RuleOptions);
// here are the driver's counters and what driving, work and free time do to them.
//
// A break or a rest is time free of driving and of other work (561 art. 4(d)): waiting of known
// length, charging while the driver is off duty, explicit break or rest time. Service at a
// customer and plugging in or out are other work, unless the request says the driver is free
// during service. A free block counts by its length, as a roadside check reads a tachograph:
// 45 min (or 15 + 30) is a break, 3 h the first part of a split daily rest, 9 h a reduced daily
// rest (at most three between weekly rests) or the second part of a split one, 11 h a regular
// daily rest, 45 h a weekly rest; a daily rest counts only with the part of it that falls within
// 24 h (team: 30 h) of the end of the previous one.
//
// 2002/15 art. 5 as the roadside check (tachograph/_work.py) reads it: any free block of 15 min
// or more is a part of a break; it ends the six hours of consecutive work, and the day's parts
// between its first and its last work add up to the day's breaks, which must reach 30 min when
// the day between daily rests holds over 6 h of working time, 45 min over 9 h. A part counts for
// the day once work follows it: one that runs into a daily rest is that rest.
#pragma once

#include <algorithm>
#include <vector>

#include "charging.h"

namespace voltroute {

constexpr double WEEK_S = 7 * 86400.0;

struct DriverRules {
    // 561 art. 7; `breaks` off for a team (breaks are taken in the moving truck).
    bool breaks = true;
    double break_after_driving_s = 4.5 * 3600.0;
    double break_s = 45 * 60.0;
    double split_first_s = 15 * 60.0;
    double split_second_s = 30 * 60.0;
    // art. 6: per day (10 h on `extended_days` days of a fixed week), per week, per fortnight.
    double daily_driving_s = 9 * 3600.0;
    double extended_daily_driving_s = 10 * 3600.0;
    int extended_days = 2;
    double weekly_driving_s = 56 * 3600.0;
    double fortnight_driving_s = 90 * 3600.0;
    // art. 8: the daily rest within `rest_window_s` of the end of the previous one.
    double daily_rest_s = 11 * 3600.0;
    double reduced_rest_s = 9 * 3600.0;
    int reduced_rests = 3;
    bool split_rests = true;
    double split_rest_first_s = 3 * 3600.0;
    double split_rest_second_s = 9 * 3600.0;
    double rest_window_s = 24 * 3600.0;
    double weekly_rest_s = 45 * 3600.0;
    double weekly_rest_after_s = 6 * 86400.0;
    // 2002/15/EC art. 5: working time (driving and other work) before a break, the shortest
    // part of a break, and the day's breaks in all over 6 h and over 9 h of working time.
    bool working_time = true;
    double work_before_break_s = 6 * 3600.0;
    double work_break_part_s = 15 * 60.0;
    double work_break_6_9_s = 30 * 60.0;
    double work_break_over_9_s = 45 * 60.0;
    // The directive's own thresholds of a day's working time (not options).
    double day_mid_work_s = 6 * 3600.0;
    double day_long_work_s = 9 * 3600.0;
    // The end of the first fixed week (Monday 00:00 UTC) in search seconds.
    double first_week_end_s = INF;
};

// Doubles, then ints, then flags: a label carries one, so it is kept small.
struct DriverState {
    double since_break_s = 0.0;       // driving since the last break
    double work_since_break_s = 0.0;  // working time since the last break (2002/15)
    double today_s = 0.0;             // driving since the last daily rest
    double day_start_s = 0.0;         // when the last daily (or weekly) rest ended
    double week_s = 0.0;              // driving in this fixed week
    double last_week_s = 0.0;         // driving in the previous fixed week
    double weekly_due_s = INF;        // a weekly rest must start by then
    double work_today_s = 0.0;        // working time since the last daily rest (2002/15)
    double day_breaks_s = 0.0;        // the day's parts of breaks with work after them
    double open_break_s = 0.0;        // parts since the last work: the day's once work follows
    int extended_used = 0;            // 10-hour days of this fixed week, today's included
    int reduced_used = 0;             // reduced daily rests since the last weekly rest
    int week = 0;                     // fixed weeks ended since the drive-off
    bool first_part_taken = false;    // the 15-minute first part of a split break
    bool extended_today = false;      // today is one of the week's 10-hour days
    bool rest_part_taken = false;     // the 3-hour first part of a split daily rest, today
    bool short_breaks = false;        // a day ended with fewer breaks than 2002/15 asks: unlawful
};

inline double week_end_s(const DriverRules &r, const DriverState &s) {
    return r.first_week_end_s + WEEK_S * s.week;
}

// Time has reached now_s: the fixed weeks that ended move the weekly counters on.
inline void roll_weeks(const DriverRules &r, DriverState &s, double now_s) {
    if (now_s >= INF) return;  // a guard: time never gets there
    while (now_s >= week_end_s(r, s) - EPS) {
        s.last_week_s = s.week_s;
        s.week_s = 0.0;
        s.extended_used = 0;  // a day counts in the week it starts in
        ++s.week;
    }
}

inline double day_limit_s(const DriverRules &r, const DriverState &s) {
    return s.extended_today ? r.extended_daily_driving_s : r.daily_driving_s;
}

inline bool can_extend(const DriverRules &r, const DriverState &s) {
    return !s.extended_today && s.extended_used < r.extended_days &&
           r.extended_daily_driving_s > r.daily_driving_s + EPS;
}

// The most the driver may drive today, an extension taken if one is left.
inline double day_limit_max_s(const DriverRules &r, const DriverState &s) {
    return can_extend(r, s) ? r.extended_daily_driving_s : day_limit_s(r, s);
}

inline bool split_second_due(const DriverRules &r, const DriverState &s) {
    return r.split_rests && s.rest_part_taken;
}

// The shortest daily rest that closes today: 9 h as a split's second part or a reduced rest.
inline double shortest_rest_s(const DriverRules &r, const DriverState &s) {
    double shortest = r.daily_rest_s;
    if (split_second_due(r, s)) shortest = std::min(shortest, r.split_rest_second_s);
    if (s.reduced_used < r.reduced_rests) shortest = std::min(shortest, r.reduced_rest_s);
    return shortest;
}

// The latest start of a daily rest that closes today within its window.
inline double latest_rest_start_s(const DriverRules &r, const DriverState &s) {
    return s.day_start_s + r.rest_window_s - shortest_rest_s(r, s);
}

// Whether free time this long would be a reduced daily rest with none left (infringed): a wait
// or stand that long is then stretched to shortest_rest_s instead.
inline bool short_of_a_rest(const DriverRules &r, const DriverState &s, double free_s) {
    return free_s >= r.reduced_rest_s - EPS && free_s < shortest_rest_s(r, s) - EPS;
}

// The latest start of a regular (11-hour) daily rest.
inline double latest_regular_rest_start_s(const DriverRules &r, const DriverState &s) {
    return s.day_start_s + r.rest_window_s - r.daily_rest_s;
}

// The rests a stop may be stretched into at now_s, sorted, no duplicates: the regular and the
// shortest daily rest, a split rest's 3-hour first part, a weekly rest where the week asks for
// one. Returns how many of out's four it filled.
inline int rest_lengths(const DriverRules &r, const DriverState &s, double now_s, double out[4]) {
    int n = 0;
    out[n++] = r.daily_rest_s;
    double shortest = shortest_rest_s(r, s);
    if (shortest < r.daily_rest_s) out[n++] = shortest;
    if (r.split_rests && !s.rest_part_taken) out[n++] = r.split_rest_first_s;
    if (now_s + r.rest_window_s > s.weekly_due_s) out[n++] = r.weekly_rest_s;
    std::sort(out, out + n);
    return n;
}

inline double week_budget_s(const DriverRules &r, const DriverState &s) {
    return std::min(r.weekly_driving_s, r.fortnight_driving_s - s.last_week_s);
}

inline double break_needed_s(const DriverRules &r, const DriverState &s) {
    return s.first_part_taken ? r.split_second_s : r.break_s;
}

inline bool work_rules(const DriverRules &r) {
    return r.working_time && r.breaks;
}

// 2002/15 art. 5: the breaks in all that a day of work_s of working time needs.
inline double day_breaks_needed_s(const DriverRules &r, double work_s) {
    if (!work_rules(r) || work_s <= r.day_mid_work_s + EPS) return 0.0;
    return work_s > r.day_long_work_s + EPS ? r.work_break_over_9_s : r.work_break_6_9_s;
}

inline bool day_breaks_enough(const DriverRules &r, const DriverState &s) {
    return s.day_breaks_s >= day_breaks_needed_s(r, s.work_today_s) - EPS;
}

// The free block that, with the day's breaks (and those it is part of), makes total_s: a part
// of a break at least.
inline double top_up_s(const DriverRules &r, const DriverState &s, double total_s) {
    return std::max(r.work_break_part_s, total_s - s.day_breaks_s - s.open_break_s);
}

// The lengths of a free block worth taking now, sorted, none shorter than min_s: a part of a
// break (2002/15), the 561 break due, and what brings the day's breaks to 30 or 45 min.
// Returns how many of out's four it filled.
inline int break_lengths(const DriverRules &r, const DriverState &s, double min_s, double out[4]) {
    double candidates[4] = {break_needed_s(r, s), INF, INF, INF};
    if (work_rules(r)) {
        candidates[1] = r.work_break_part_s;
        double have_s = s.day_breaks_s + s.open_break_s;
        if (have_s < r.work_break_6_9_s - EPS) candidates[2] = top_up_s(r, s, r.work_break_6_9_s);
        if (have_s < r.work_break_over_9_s - EPS)
            candidates[3] = top_up_s(r, s, r.work_break_over_9_s);
    }
    std::sort(candidates, candidates + 4);
    int n = 0;
    for (double c : candidates) {
        if (c >= INF || c < min_s - EPS) continue;
        if (n > 0 && c <= out[n - 1] + EPS) continue;
        out[n++] = c;
    }
    return n;
}

// A daily rest that ended at end_s; reduced: it is one of the three reduced ones. It ends the
// day, whose breaks must be enough for its work.
inline void rested(const DriverRules &r, DriverState &s, double end_s, bool reduced) {
    if (!day_breaks_enough(r, s)) s.short_breaks = true;
    s.work_today_s = 0.0;
    s.day_breaks_s = 0.0;
    s.open_break_s = 0.0;
    s.since_break_s = 0.0;
    s.first_part_taken = false;
    s.work_since_break_s = 0.0;
    s.today_s = 0.0;
    s.day_start_s = end_s;
    s.extended_today = false;
    s.rest_part_taken = false;
    if (reduced) ++s.reduced_used;
}

// Part: 15 min or more that is no 561 break (a split break's first part, a part of a break of
// 2002/15); None: shorter, or neither rule asks for it.
enum class FreeKind { None = 0, Part = 1, Break = 2, Rest = 3, WeeklyRest = 4 };

// What a free block shorter than a daily rest does to the 561 break.
inline FreeKind after_break(const DriverRules &r, DriverState &s, double free_s) {
    if (free_s >= break_needed_s(r, s) - EPS) {
        s.since_break_s = 0.0;
        s.first_part_taken = false;
        s.work_since_break_s = 0.0;
        if (r.split_rests && free_s >= r.split_rest_first_s - EPS) s.rest_part_taken = true;
        return FreeKind::Break;
    }
    if (free_s >= r.split_first_s - EPS && !s.first_part_taken) {
        s.first_part_taken = true;
        return FreeKind::Part;
    }
    return FreeKind::None;
}

// A block of free time from start_s, counted by its length.
inline FreeKind after_free(const DriverRules &r, DriverState &s, double start_s, double free_s) {
    double end_s = start_s + free_s;
    FreeKind kind = FreeKind::None;
    if (free_s <= EPS) return kind;
    double inside = std::min(free_s, s.day_start_s + r.rest_window_s - start_s);
    if (free_s >= r.weekly_rest_s - EPS) {
        rested(r, s, end_s, false);
        s.reduced_used = 0;
        s.weekly_due_s = end_s + r.weekly_rest_after_s;
        kind = FreeKind::WeeklyRest;
    } else if (inside >= r.daily_rest_s - EPS ||
               (split_second_due(r, s) && inside >= r.split_rest_second_s - EPS)) {
        rested(r, s, end_s, false);
        kind = FreeKind::Rest;
    } else if (inside >= r.reduced_rest_s - EPS) {
        // 9 to 11 h is a reduced daily rest, as the roadside check reads it, whether or not one
        // is left: one more than the week allows is unlawful (infringed).
        rested(r, s, end_s, true);
        kind = FreeKind::Rest;
    } else {
        bool part = work_rules(r) && free_s >= r.work_break_part_s - EPS;
        if (part) {
            s.work_since_break_s = 0.0;
            // Before the day's first work it is no break of the day (a rest's tail).
            if (s.work_today_s > EPS) s.open_break_s += free_s;
        }
        kind = after_break(r, s, free_s);
        if (kind == FreeKind::None && part) kind = FreeKind::Part;
    }
    roll_weeks(r, s, end_s);
    return kind;
}

// Work shorter than this may vanish from the plan's record (its clock holds microseconds, and
// neighbours are stitched within a millisecond): a part before it is not yet the day's.
constexpr double RECORDED_WORK_S = 1.0;

inline void after_work(const DriverRules &r, DriverState &s, double work_s) {
    if (!r.working_time) return;
    s.work_since_break_s += work_s;
    s.work_today_s += work_s;
    if (work_s >= RECORDED_WORK_S) {
        s.day_breaks_s += s.open_break_s;
        s.open_break_s = 0.0;
    }
}

inline void after_driving(const DriverRules &r, DriverState &s, double driving_s) {
    s.since_break_s += driving_s;
    s.today_s += driving_s;
    s.week_s += driving_s;
    after_work(r, s, driving_s);
}

inline bool work_within_limit(const DriverRules &r, const DriverState &s) {
    return !work_rules(r) || s.work_since_break_s <= r.work_before_break_s + EPS;
}

// Whether s already holds an infringement: a day ended short of its breaks of 2002/15, or more
// reduced daily rests than the week allows.
inline bool infringed(const DriverRules &r, const DriverState &s) {
    return s.short_breaks || s.reduced_used > r.reduced_rests;
}

// Whether a driver standing at now_s (all driving and work done) can still rest lawfully.
inline bool lawful_at(const DriverRules &r, const DriverState &s, double now_s) {
    return now_s <= latest_rest_start_s(r, s) + EPS && now_s <= s.weekly_due_s + EPS &&
           work_within_limit(r, s) && !infringed(r, s);
}

// Whether the tour may end with s: its last day's breaks are enough for its work (a daily rest
// follows the tour).
inline bool lawful_end(const DriverRules &r, const DriverState &s) {
    return !infringed(r, s) && day_breaks_enough(r, s);
}

// Part: a stop of 15 min or more that is no 561 break (FreeKind::Part); Wait: one that counts
// as neither (FreeKind::None).
enum class RoadsideKind { Break = 0, Rest = 1, WeeklyRest = 2, Part = 3, Wait = 4 };

inline RoadsideKind roadside_kind(FreeKind free) {
    switch (free) {
        case FreeKind::WeeklyRest:
            return RoadsideKind::WeeklyRest;
        case FreeKind::Rest:
            return RoadsideKind::Rest;
        case FreeKind::Break:
            return RoadsideKind::Break;
        case FreeKind::Part:
            return RoadsideKind::Part;
        default:
            return RoadsideKind::Wait;
    }
}

struct RoadsideStop {
    RoadsideKind kind;
    double drive_offset_s;
    double start_s;
    double end_s;
};

// One lawful way to drive a stretch: where it ends, the counters then, and its roadside stops
// (into the arena's list).
struct Driven {
    double t;
    DriverState state;
    int roadside_begin, roadside_count;
};

// Every lawful way to drive duration_s from (t, state): breaks and rests where the limits fall,
// branching where the driver has a choice (rest at 9 h or drive a 10-hour day; an 11-hour rest
// at 13 h of the day or drive on to a 9-hour one; which daily rest; a daily rest instead of a
// break; how long a break of 2002/15 is, and whether the day's breaks are made up here or at a
// stop ahead). splittable: stops may fall inside the stretch; else only before it (a station
// detour). Appends to out; stops go to `stops` (kept) via `trail` (scratch).
class Driving {
public:
    Driving(const DriverRules &rules, std::vector<RoadsideStop> &stops,
            std::vector<RoadsideStop> &trail)
        : r_(rules), stops_(stops), trail_(trail) {}

    // rest_ahead: the tour still needs a daily rest after this stretch (else one taken where it
    // is not due only makes the tour later).
    void all(double t, const DriverState &state, double duration_s, bool splittable,
             std::vector<Driven> &out, bool rest_ahead = true) {
        duration_s_ = duration_s;
        splittable_ = splittable;
        rest_ahead_ = rest_ahead;
        out_ = &out;
        trail_.clear();
        if (!splittable && r_.breaks) {
            double most = r_.break_after_driving_s;
            if (r_.working_time) most = std::min(most, r_.work_before_break_s);
            if (duration_s > most + EPS) return;
        }
        explore(t, state, 0.0, false, 0.0, 0);
    }

private:
    const DriverRules &r_;
    std::vector<RoadsideStop> &stops_;
    std::vector<RoadsideStop> &trail_;
    std::vector<Driven> *out_ = nullptr;
    double duration_s_ = 0.0;
    bool splittable_ = true;
    bool rest_ahead_ = true;
    static constexpr int MAX_EVENTS = 64;  // a guard: no stretch has as many stops

    void stop(double t, DriverState s, double done, double length_s, double deferred_mark_s,
              int events) {
        FreeKind free = after_free(r_, s, t, length_s);
        if (infringed(r_, s)) return;
        // A stand that counts as nothing (the week's driving used up) is still no driving.
        RoadsideKind kind = free == FreeKind::None ? RoadsideKind::Part : roadside_kind(free);
        size_t mark = trail_.size();
        trail_.push_back(RoadsideStop{kind, done, t, t + length_s});
        bool day_ended = kind == RoadsideKind::Rest || kind == RoadsideKind::WeeklyRest;
        explore(t + length_s, s, done, false, day_ended ? 0.0 : deferred_mark_s, events + 1);
        trail_.resize(mark);
    }

    // The daily rests the driver may take at t (and a weekly one where the week asks for it).
    void rest(double t, const DriverState &s, double done, bool weekly_only, int events) {
        bool weekly = weekly_only || t + r_.rest_window_s > s.weekly_due_s;
        if (weekly) stop(t, s, done, r_.weekly_rest_s, 0.0, events);
        if (weekly_only) return;
        if (t <= latest_regular_rest_start_s(r_, s) + EPS)
            stop(t, s, done, r_.daily_rest_s, 0.0, events);
        double shortest = shortest_rest_s(r_, s);
        if (shortest < r_.daily_rest_s - EPS && t <= latest_rest_start_s(r_, s) + EPS)
            stop(t, s, done, shortest, 0.0, events);
    }

    // The day's working time at which its breaks fall short of what 2002/15 asks (beyond
    // after_s: a mark deferred to a stop ahead), and the breaks it asks for; INF: none.
    double day_mark_s(const DriverState &s, double after_s, double &needed_s) const {
        double have_s = s.day_breaks_s + s.open_break_s;
        // Already short (a start state, a service past a mark): a break may be made up now.
        needed_s = day_breaks_needed_s(r_, s.work_today_s);
        if (have_s < needed_s - EPS && s.work_today_s > after_s + EPS) return s.work_today_s;
        for (double mark_s : {r_.day_mid_work_s, r_.day_long_work_s}) {
            if (mark_s <= after_s + EPS || mark_s <= s.work_today_s + EPS) continue;
            needed_s = day_breaks_needed_s(r_, mark_s + 1.0);
            if (have_s < needed_s - EPS) return mark_s;
        }
        return INF;
    }

    void explore(double t, DriverState s, double done, bool past_regular, double deferred_mark_s,
                 int events) {
        if (events > MAX_EVENTS) return;
        while (true) {
            double to_break = INF, to_work = INF, to_mark = INF, mark_s = INF, mark_needed_s = 0.0;
            if (r_.breaks) to_break = r_.break_after_driving_s - s.since_break_s;
            if (work_rules(r_)) {
                to_work = r_.work_before_break_s - s.work_since_break_s;
                mark_s = day_mark_s(s, deferred_mark_s, mark_needed_s);
                to_mark = mark_s - s.work_today_s;
            }
            double to_day = day_limit_s(r_, s) - s.today_s;
            double to_regular = INF;  // the choice between an 11-hour rest now and a 9-hour later
            if (!past_regular && shortest_rest_s(r_, s) < r_.daily_rest_s - EPS) {
                to_regular = latest_regular_rest_start_s(r_, s) - t;
                if (to_regular < -EPS) to_regular = INF;  // already past: 9-hour rests only
            }
            double to_spread = latest_rest_start_s(r_, s) - t;
            double to_budget = week_budget_s(r_, s) - s.week_s;
            double to_week_end = week_end_s(r_, s) - t;
            double to_due = s.weekly_due_s - t;
            double slack = std::min({to_break, to_work, to_mark, to_day, to_regular, to_spread,
                                     to_budget, to_week_end, to_due});
            double remaining = duration_s_ - done;
            if (remaining <= slack + EPS) {
                after_driving(r_, s, remaining);
                roll_weeks(r_, s, t + remaining);
                finish(t + remaining, s);
                return;
            }
            auto binds = [slack](double limit) { return limit <= slack + EPS; };
            // Only a week's end may fall inside a detour; stops are made before it.
            bool week_ends = binds(to_week_end);
            double x = splittable_ || week_ends ? std::max(slack, 0.0) : 0.0;
            after_driving(r_, s, x);
            t += x;
            done += x;
            if (week_ends) {
                roll_weeks(r_, s, t);
                continue;
            }
            if (binds(to_due)) return rest(t, s, done, true, events);
            if (binds(to_budget)) {
                // The week's driving is used up: stand until the week ends.
                double stand_s = std::max(week_end_s(r_, s) - t, r_.split_first_s);
                return stop(t, s, done, stand_s, deferred_mark_s, events);
            }
            if (binds(to_day)) {
                if (can_extend(r_, s)) {
                    DriverState longer = s;
                    longer.extended_today = true;
                    ++longer.extended_used;
                    explore(t, longer, done, past_regular, deferred_mark_s, events + 1);
                }
                return rest(t, s, done, false, events);
            }
            if (binds(to_spread)) return rest(t, s, done, false, events);
            if (binds(to_regular)) {
                // drive on to a 9-hour rest
                explore(t, s, done, true, deferred_mark_s, events + 1);
                if (t <= latest_regular_rest_start_s(r_, s) + EPS)
                    stop(t, s, done, r_.daily_rest_s, 0.0, events);
                return;
            }
            // A break: 4.5 hours of driving, six hours of work, or a day's work past a mark of
            // 2002/15 with its breaks short of it. The daily rest may be taken here instead.
            double min_s = 0.0;
            if (binds(to_break)) min_s = break_needed_s(r_, s);
            if (binds(to_work)) min_s = std::max(min_s, r_.work_break_part_s);
            double lengths[4];
            bool mark = binds(to_mark);
            if (mark) {
                // The day's breaks may be made up at a stop ahead, where the driver is free
                // anyway: no stop for them here, or only the break that the driving or six hours
                // of work ask for now.
                double top_up = top_up_s(r_, s, mark_needed_s);
                if (min_s == 0.0) {
                    explore(t, s, done, past_regular, mark_s, events + 1);
                } else if (top_up > min_s + EPS) {
                    int n = break_lengths(r_, s, min_s, lengths);
                    for (int i = 0; i < n; ++i) stop(t, s, done, lengths[i], mark_s, events);
                }
                min_s = std::max(min_s, top_up);
            }
            int n = break_lengths(r_, s, min_s, lengths);
            for (int i = 0; i < n; ++i) stop(t, s, done, lengths[i], deferred_mark_s, events);
            if (rest_ahead_) rest(t, s, done, false, events);
            return;
        }
    }

    void finish(double t, const DriverState &s) {
        int begin = static_cast<int>(stops_.size());
        stops_.insert(stops_.end(), trail_.begin(), trail_.end());
        out_->push_back(Driven{t, s, begin, static_cast<int>(trail_.size())});
    }
};

}  // namespace voltroute
