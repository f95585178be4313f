// EU 561/2006 as the optimizer models it (the limits: voltroute/planner/driver_rules.py).
#pragma once

#include <vector>

namespace voltroute {

constexpr double EPS = 1e-9;

struct DriverRules {
    double break_after_driving_s = 4.5 * 3600.0;
    double break_s = 45 * 60.0;
    double split_first_s = 15 * 60.0;
    double split_second_s = 30 * 60.0;
    double daily_driving_s = 9 * 3600.0;
    double extended_daily_driving_s = 10 * 3600.0;
    int extended_days = 2;
    double daily_rest_s = 11 * 3600.0;
    double duty_spread_s = 13 * 3600.0;
};

struct DriverState {
    double since_break_s = 0.0;
    bool first_part_taken = false;
    double today_s = 0.0;
    double day_start_s = 0.0;
    int extended_used = 0;
};

inline double daily_limit_s(const DriverRules &r, const DriverState &s) {
    return s.extended_used < r.extended_days ? r.extended_daily_driving_s : r.daily_driving_s;
}

inline double break_needed_s(const DriverRules &r, const DriverState &s) {
    return s.first_part_taken ? r.split_second_s : r.break_s;
}

inline DriverState after_rest(const DriverRules &r, const DriverState &s, double rest_end_s) {
    int extended = s.extended_used + (s.today_s > r.daily_driving_s + 1e-6 ? 1 : 0);
    return DriverState{0.0, false, 0.0, rest_end_s, extended};
}

inline DriverState after_standstill(const DriverRules &r, const DriverState &s, double standstill_s,
                                    double end_s) {
    if (standstill_s >= r.daily_rest_s) return after_rest(r, s, end_s);
    if (standstill_s >= break_needed_s(r, s))
        return DriverState{0.0, false, s.today_s, s.day_start_s, s.extended_used};
    if (standstill_s >= r.split_first_s && !s.first_part_taken)
        return DriverState{s.since_break_s, true, s.today_s, s.day_start_s, s.extended_used};
    return s;
}

inline DriverState after_driving(const DriverState &s, double driving_s) {
    return DriverState{s.since_break_s + driving_s, s.first_part_taken, s.today_s + driving_s,
                       s.day_start_s, s.extended_used};
}

enum class RoadsideKind { Break = 0, Rest = 1 };

// How long the driver may drive on from now_s, and what stops him.
inline double drive_slack_s(const DriverRules &r, const DriverState &s, double now_s,
                            RoadsideKind &kind) {
    double to_break = r.break_after_driving_s - s.since_break_s;
    double to_rest = daily_limit_s(r, s) - s.today_s;
    double spread = s.day_start_s + r.duty_spread_s - now_s;
    if (spread < to_rest) to_rest = spread;
    if (to_break < to_rest) {
        kind = RoadsideKind::Break;
        return to_break;
    }
    kind = RoadsideKind::Rest;
    return to_rest;
}

struct RoadsideStop {
    RoadsideKind kind;
    double drive_offset_s;
    double start_s;
    double end_s;
};

// Drive for duration_s from t, stopping for breaks and rests where the limits fall.
// Appends the roadside stops to `stops`; false when no legal schedule exists.
inline bool drive(const DriverRules &r, double &t, DriverState &state, double duration_s,
                  bool splittable, std::vector<RoadsideStop> &stops) {
    if (!splittable && duration_s > r.break_after_driving_s) return false;
    double done = 0.0;
    while (true) {
        RoadsideKind kind;
        double slack = drive_slack_s(r, state, t, kind);
        double remaining = duration_s - done;
        if (remaining <= slack + EPS) {
            t += remaining;
            state = after_driving(state, remaining);
            return true;
        }
        double x = splittable ? (slack > 0.0 ? slack : 0.0) : 0.0;
        state = after_driving(state, x);
        t += x;
        done += x;
        double start = t;
        if (kind == RoadsideKind::Break) {
            t += break_needed_s(r, state);
            state = after_standstill(r, state, t - start, t);
        } else {
            t += r.daily_rest_s;
            state = after_rest(r, state, t);
        }
        stops.push_back(RoadsideStop{kind, done, start, t});
    }
}

}  // namespace voltroute
