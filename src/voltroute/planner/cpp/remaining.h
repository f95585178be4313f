// What is left of the tour from a route point: driving and service time, as lower bounds (laid
// out per route point by route_layout.h's AheadTable).
//
// The driver counters only matter for what is still to come. A break or a daily rest taken where
// the rest of the tour needs neither is wasted time, and two labels whose counters both cover the
// rest of the tour are equally free. The search makes both tests with these lower bounds plus a
// detour allowance (driving that inserted charging stops may still add). The same bounds, without
// the allowance, give the earliest a label can reach the destination (arrival_lower_bound_s),
// which lets the search drop labels that cannot beat a known plan.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "charging.h"
#include "driver_rules.h"

namespace voltroute {

// A stop's daily arrival windows in search seconds (its DailyWindows: lay_route).
struct WindowClock {
    std::vector<double> opens_s;
    std::vector<double> closes_s;

    double earliest_met_s(double arrival_s) const {
        auto it = std::lower_bound(closes_s.begin(), closes_s.end(), arrival_s);
        if (it == closes_s.end()) return arrival_s;
        return std::max(arrival_s, opens_s[it - closes_s.begin()]);
    }
};

// The tour's windows in order: each stop's arrival position in driving and service from the
// start, for arrival bounds that must meet them all.
struct WindowChain {
    std::vector<double> arrival_pos_s;
    std::vector<double> service_s;
    std::vector<int> stops;           // legs whose stop has a window
    std::vector<WindowClock> clocks;  // one per entry of stops

    double arrival_lower_bound_s(double now_s, double pos_s, int first) const {
        int last = static_cast<int>(service_s.size()) - 1;
        double t = now_s;
        for (size_t i = first; i < stops.size(); ++i) {
            int k = stops[i];
            t = clocks[i].earliest_met_s(t + arrival_pos_s[k] - pos_s);
            if (k == last) return t;
            t += service_s[k];
            pos_s = arrival_pos_s[k] + service_s[k];
        }
        return t + arrival_pos_s[last] - pos_s;
    }
};

struct Remaining {
    double drive_s = 0.0;
    double service_s = 0.0;
    bool windows_ahead = false;
    double route_drive_s = 0.0;
    double service_before_end_s = 0.0;
    double longest_service_s = 0.0;  // of the services the driver is free during
    double free_service_s = 0.0;     // all of those (before the destination)
    double work_s = 0.0;             // services that are work, and an allowance for plugging
    double energy_kwh = 0.0;
    double fastest_kw = INF;
    double min_soc_end = 0.0;
    double capacity_kwh = 1.0;
    double plug_overhead_s = 0.0;
    bool has_chain = false;
    double pos_s = 0.0;
    int first_window = 0;

    bool needs_break(const DriverRules &r, const DriverState &s) const {
        if (!r.breaks) return false;
        if (s.since_break_s + drive_s > r.break_after_driving_s + EPS) return true;
        return r.working_time &&
               s.work_since_break_s + drive_s + work_s > r.work_before_break_s + EPS;
    }

    // Working time can run out before a break is due by driving alone.
    bool work_matters(const DriverRules &r, const DriverState &s) const {
        return r.working_time && r.breaks &&
               s.work_since_break_s + drive_s + work_s > r.work_before_break_s + EPS;
    }

    // The day's breaks of 2002/15 can fall short: its work may pass 6 hours before they reach
    // the most a day asks for.
    bool day_breaks_matter(const DriverRules &r, const DriverState &s) const {
        return work_rules(r) && s.day_breaks_s < r.work_break_over_9_s - EPS &&
               s.work_today_s + drive_s + work_s > r.day_mid_work_s + EPS;
    }

    // The week's (and fortnight's) driving can run out (a week's end only relaxes it).
    bool weeks_matter(const DriverRules &r, const DriverState &s) const {
        return s.week_s + drive_s > week_budget_s(r, s) - EPS;
    }

    // A weekly rest can fall due: the tour's rest, its days of rest included, may reach it.
    bool weekly_rest_matters(const DriverRules &r, const DriverState &s, double now_s) const {
        return now_s + 3 * (drive_s + service_s) + r.rest_window_s > s.weekly_due_s;
    }

    // The least charging the tour still takes from soc: the energy it lacks at the fastest
    // station ahead, and plugging in unless plugged (INF: no station ahead can give it).
    double charging_lower_bound_s(double soc, bool plugged = false) const {
        double deficit_kwh = energy_kwh - (soc - min_soc_end) * capacity_kwh;
        if (deficit_kwh <= EPS || fastest_kw >= INF) return 0.0;
        if (fastest_kw <= 0.0) return INF;
        return deficit_kwh / fastest_kw * 3600.0 + (plugged ? 0.0 : plug_overhead_s);
    }

    // A daily rest can still fall due before the end. The charging that soc still needs counts:
    // a label whose driving and services fit its day, but not with that charging, needs a rest
    // all the same, and its rest counters must not be ignored when labels are compared.
    bool needs_rest(const DriverRules &r, const DriverState &s, double now_s, double soc) const {
        return windows_ahead || must_rest(r, s, now_s, soc);
    }

    // A daily rest falls due before the end whatever the windows ahead: the driving, services
    // and charging left do not fit the driver's day or week.
    bool must_rest(const DriverRules &r, const DriverState &s, double now_s, double soc) const {
        double end_s = now_s + drive_s + service_s + charging_lower_bound_s(soc);
        return s.today_s + drive_s > day_limit_max_s(r, s) + EPS || rest_due_by(r, s, end_s) ||
               s.week_s + drive_s > week_budget_s(r, s) + EPS;
    }

    // A daily rest falls due where the tour ends at end_s: past the day's or the week's end.
    static bool rest_due_by(const DriverRules &r, const DriverState &s, double end_s) {
        return end_s > latest_rest_start_s(r, s) + EPS || end_s > s.weekly_due_s + EPS;
    }

    // The least free time the driving ahead needs from end_s on (its arrival without any): a
    // daily rest where one is due (longer than any break), else the breaks of 561/2006 that
    // its 4.5-hour stretches ask for; less what driver-free services can hold.
    double free_needed_s(const DriverRules &r, const DriverState &s, double end_s) const {
        if (s.today_s + route_drive_s > day_limit_max_s(r, s) + EPS ||
            end_s > latest_rest_start_s(r, s) + EPS)
            return shortest_rest_s(r, s) - longest_service_s;
        if (!r.breaks) return 0.0;
        double over_s = s.since_break_s + route_drive_s - r.break_after_driving_s;
        if (over_s <= EPS) return 0.0;
        double more = std::ceil(over_s / r.break_after_driving_s - 1e-9) - 1.0;
        return break_needed_s(r, s) + more * r.break_s - free_service_s;
    }

    // At most arrival_lower_bound_s (not plugged, no free time held): driving, services and the
    // charging lacking, added in the same order (a cheap first test against a bound).
    double arrival_floor_s(double now_s, double soc) const {
        return now_s + route_drive_s + service_before_end_s + charging_lower_bound_s(soc);
    }

    // Free time overlaps charging (and waiting): the larger of the two counts. held_s: free
    // time now_s already holds that the free time needed may count (a station's waiting);
    // plugged: the truck is plugged in already (the charging lacking needs no plugging).
    double arrival_lower_bound_s(const DriverRules &r, const DriverState &s, double now_s,
                                 double soc, const WindowChain &chain, double held_s = 0.0,
                                 bool plugged = false) const {
        double end_s = now_s + route_drive_s + service_before_end_s;
        double extra_s = charging_lower_bound_s(soc, plugged);
        if (extra_s >= INF) return INF;
        end_s += std::max(extra_s, free_needed_s(r, s, end_s) - held_s);
        if (has_chain)
            end_s = std::max(end_s, chain.arrival_lower_bound_s(now_s, pos_s, first_window));
        return end_s;
    }
};

}  // namespace voltroute
