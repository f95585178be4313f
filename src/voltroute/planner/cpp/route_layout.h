// A tour's route points laid out for the search: the stretch of road before each point, the SoC
// that finishes the tour from it, and the lower bounds of what is left (remaining.h). None of it
// depends on the drive-off, so a tour lays its points out once and every search reuses them;
// Python (optimizer.SearchSpace) hands over per-leg arrays and one entry per route point.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include "search.h"

namespace voltroute {

// One leg's cumulative length, time and energy at its edge boundaries (leg_profile.LegProfile).
struct LegTrack {
    std::vector<double> cum_m, cum_s, cum_kwh;

    double length_m() const { return cum_m.back(); }
    double clamp(double d) const { return std::min(length_m(), std::max(0.0, d)); }
    // bisect_right(cum_m, d)
    size_t after(double d) const {
        return std::upper_bound(cum_m.begin(), cum_m.end(), d) - cum_m.begin();
    }
    // Linear within the edge that holds d (d within the leg; after: after(d)).
    double at_edge(const std::vector<double> &values, double d, size_t after_index) const {
        size_t last = cum_m.size() - 2;
        size_t i = after_index == 0 ? 0 : std::min(last, after_index - 1);
        double span = cum_m[i + 1] - cum_m[i];
        double share = span > 0 ? (d - cum_m[i]) / span : 1.0;
        return values[i] + share * (values[i + 1] - values[i]);
    }
    double at(const std::vector<double> &values, double d) const {
        d = clamp(d);
        return at_edge(values, d, after(d));
    }
};

// What the bounds read of the tour, per leg (k: the leg and the stop at its end).
struct RouteInput {
    std::vector<LegTrack> tracks;
    std::vector<double> service_s;
    std::vector<bool> driver_free;  // during the service (else it is work)
    std::vector<bool> has_window;
    std::vector<bool> dwell;  // the stop charges during its service
    double capacity_kwh = 1.0, soc_reserve = 0.0, soc_max = 1.0, min_soc_end = 0.0;
    double plug_overhead_s = 0.0;
    int detour_trips = 2;  // round trips to stations counted into the bounds' allowance
};

namespace detail {

// The stretch from e_a to e_b over the edge boundaries lo..hi-1 (leg_profile's docstring: the
// SoC after each edge is capped at soc_max).
inline void fill_stretch(Point &p, const LegTrack &t, double e_a, double e_b, size_t lo, size_t hi,
                         double duration_s, double soc_max, double capacity_kwh) {
    double max_prefix = 0.0, lowest = 0.0, cap_end = soc_max, cap_low = soc_max;
    // After a boundary j the SoC is at most soc_max, so at boundary k it is at most
    // soc_max - (P_k - P_j): track the largest rise since the lowest prefix seen.
    auto see = [&](double prefix) {
        max_prefix = std::max(max_prefix, prefix);
        lowest = std::min(lowest, prefix);
        cap_end = soc_max - (prefix - lowest) / capacity_kwh;
        cap_low = std::min(cap_low, cap_end);
    };
    see(0.0);
    for (size_t i = lo; i < hi; ++i) see(t.cum_kwh[i] - e_a);
    see(e_b - e_a);
    p.duration_s = duration_s;
    p.energy_kwh = e_b - e_a;
    p.max_prefix_kwh = max_prefix;
    p.cap_end_soc = cap_end;
    p.cap_low_soc = cap_low;
}

}  // namespace detail

// The bounds of what is left from any point of the tour (remaining.h).
class AheadTable {
public:
    AheadTable(const RouteInput &in, const std::vector<Point> &points,
               const std::vector<double> &station_kw)
        : in_(in) {
        int n = static_cast<int>(in.tracks.size());
        station_m_.assign(n, {});
        fastest_from_.assign(n, {});
        std::vector<std::vector<std::pair<double, double>>> on_leg(n);
        for (size_t i = 0; i < points.size(); ++i)
            if (points[i].station >= 0 && station_kw[i] > 0)
                on_leg[points[i].leg].emplace_back(points[i].distance_m, station_kw[i]);
        before_leg_.assign(n + 1, 0.0);
        after_stop_.assign(n, 0.0);
        energy_after_.assign(n + 1, 0.0);
        for (int k = n - 1; k >= 0; --k) {
            auto &ordered = on_leg[k];
            std::sort(ordered.begin(), ordered.end());
            for (auto [m, kw] : ordered) station_m_[k].push_back(m);
            std::vector<double> &suffix = fastest_from_[k];
            suffix.assign(ordered.size() + 1, 0.0);
            for (int i = static_cast<int>(ordered.size()) - 1; i >= 0; --i)
                suffix[i] = std::max(suffix[i + 1], ordered[i].second);
            after_stop_[k] = std::max(in.dwell[k] ? INF : 0.0, before_leg_[k + 1]);
            before_leg_[k] = std::max(suffix[0], after_stop_[k]);
            energy_after_[k] =
                energy_after_[k + 1] + (k + 1 < n ? in.tracks[k + 1].cum_kwh.back() : 0.0);
        }
        work_.resize(n);
        free_.resize(n);
        for (int k = 0; k < n; ++k) {
            free_[k] = in.driver_free[k] ? in.service_s[k] : 0.0;
            work_[k] = in.service_s[k] - free_[k];
        }
        drive_after_.assign(n, 0.0);
        service_after_.assign(n, 0.0);
        work_after_.assign(n, 0.0);
        longest_after_.assign(n, 0.0);  // the longest free service at the stops of legs k+1..n-2
        free_after_.assign(n, 0.0);     // and all of them
        for (int k = n - 2; k >= 0; --k) {
            drive_after_[k] = drive_after_[k + 1] + in.tracks[k + 1].cum_s.back();
            service_after_[k] = service_after_[k + 1] + in.service_s[k + 1];
            work_after_[k] = work_after_[k + 1] + work_[k + 1];
            if (k + 1 < n - 1) {
                longest_after_[k] = std::max(longest_after_[k + 1], free_[k + 1]);
                free_after_[k] = free_after_[k + 1] + free_[k + 1];
            }
        }
        window_from_.assign(n + 1, false);
        for (int k = n - 1; k >= 0; --k) window_from_[k] = window_from_[k + 1] || in.has_window[k];
        double pos = 0.0;
        for (int k = 0; k < n; ++k) {
            pos += in.tracks[k].cum_s.back();
            arrival_pos_s_.push_back(pos);
            pos += in.service_s[k];
            if (in.has_window[k]) window_stops_.push_back(k);
        }
        for (int k = 0; k <= n; ++k)
            first_window_.push_back(
                static_cast<int>(std::lower_bound(window_stops_.begin(), window_stops_.end(), k) -
                                 window_stops_.begin()));
    }

    // The tour's window stops and arrival positions, for the problem's WindowChain.
    const std::vector<double> &arrival_pos_s() const { return arrival_pos_s_; }
    const std::vector<int> &window_stops() const { return window_stops_; }

    // allowance_s: driving that charging detours may still add from there.
    Remaining at(int leg, double distance_m, bool before_stop, double allowance_s) const {
        const LegTrack &track = in_.tracks[leg];
        int last = static_cast<int>(in_.tracks.size()) - 1;
        double left_on_leg_s = track.cum_s.back() - track.at(track.cum_s, distance_m);
        double drive_s = left_on_leg_s + drive_after_[leg];
        Remaining r;
        r.service_s = service_after_[leg] + (before_stop ? in_.service_s[leg] : 0.0);
        r.windows_ahead = window_from_[before_stop ? leg : leg + 1];
        r.longest_service_s = longest_after_[leg];
        r.free_service_s = free_after_[leg];
        if (before_stop && leg < last) {
            r.longest_service_s = std::max(r.longest_service_s, free_[leg]);
            r.free_service_s += free_[leg];
        }
        double work_s = work_after_[leg] + (before_stop ? work_[leg] : 0.0);
        r.service_before_end_s =
            r.service_s - (before_stop || leg < last ? in_.service_s[last] : 0.0);
        r.has_chain = !window_stops_.empty();
        if (r.has_chain) {
            if (before_stop) {
                r.pos_s = arrival_pos_s_[leg] - left_on_leg_s;
                r.first_window = first_window_[leg];
            } else {
                r.pos_s = arrival_pos_s_[leg] + in_.service_s[leg];
                r.first_window = first_window_[leg + 1];
            }
        }
        if (before_stop) {
            const std::vector<double> &at_m = station_m_[leg];
            size_t i = std::lower_bound(at_m.begin(), at_m.end(), distance_m - EPS) - at_m.begin();
            r.fastest_kw = std::max(fastest_from_[leg][i], after_stop_[leg]);
        } else {
            r.fastest_kw = before_leg_[leg + 1];
        }
        r.energy_kwh =
            track.cum_kwh.back() - track.at(track.cum_kwh, distance_m) + energy_after_[leg];
        r.drive_s = drive_s + allowance_s;
        r.route_drive_s = drive_s;
        r.work_s = work_s + in_.detour_trips * in_.plug_overhead_s;
        r.min_soc_end = in_.min_soc_end;
        r.capacity_kwh = in_.capacity_kwh;
        r.plug_overhead_s = in_.plug_overhead_s;
        return r;
    }

private:
    const RouteInput &in_;
    std::vector<std::vector<double>> station_m_, fastest_from_;
    std::vector<double> before_leg_, after_stop_, energy_after_;
    std::vector<double> work_, free_, drive_after_, service_after_, work_after_, longest_after_,
        free_after_;
    std::vector<bool> window_from_;
    std::vector<double> arrival_pos_s_;
    std::vector<int> window_stops_, first_window_;
};

// A tour's route points with their stretches, useful SoC and bounds.
struct RouteLayout {
    std::vector<Point> points;
    std::vector<double> arrival_pos_s;  // the WindowChain's
    std::vector<int> window_stops;
    std::vector<double> service_s;
};

// Lays out the route points (start, station junctions and leg ends in tour order): per point its
// leg, distance (within the leg), station (-1: none; else the index the search knows it by),
// the station's power for this truck (kW) and its round trip off the route (s).
inline RouteLayout lay_out_route(const RouteInput &in, const std::vector<int> &legs,
                                 const std::vector<double> &distances_m,
                                 const std::vector<int> &stations,
                                 const std::vector<double> &station_kw,
                                 const std::vector<double> &round_trip_s) {
    RouteLayout out;
    size_t n = legs.size();
    if (n == 0) return out;
    out.points.resize(n);
    // The stretch before each point: from the previous point on the same leg, or from the start
    // of the point's leg (a leg's first point follows the previous leg's end).
    int prev_leg = -1;
    double prev_s = 0.0, prev_e = 0.0;
    size_t prev_after = 0;
    for (size_t i = 0; i < n; ++i) {
        Point &p = out.points[i];
        p.leg = legs[i];
        p.distance_m = distances_m[i];
        p.station = stations[i];
        const LegTrack &t = in.tracks[p.leg];
        if (p.leg != prev_leg) {
            prev_leg = p.leg;
            prev_after = t.after(0.0);
            prev_s = t.at_edge(t.cum_s, 0.0, prev_after);
            prev_e = t.at_edge(t.cum_kwh, 0.0, prev_after);
        }
        double d = t.clamp(p.distance_m);
        size_t after = t.after(d);
        double time_s = t.at_edge(t.cum_s, d, after), energy = t.at_edge(t.cum_kwh, d, after);
        if (i > 0)
            detail::fill_stretch(p, t, prev_e, energy, prev_after, std::min(after, t.cum_m.size()),
                                 time_s - prev_s, in.soc_max, in.capacity_kwh);
        prev_after = after;
        prev_s = time_s;
        prev_e = energy;
    }
    // The SoC that finishes the tour from each point without charging (inf: none does).
    std::vector<double> need(n, INF);
    need[n - 1] = in.min_soc_end;
    for (size_t i = n - 1; i-- > 0;) {
        const Point &next = out.points[i + 1];
        if (next.cap_end_soc < need[i + 1] - 1e-12 || next.cap_low_soc < in.soc_reserve) break;
        need[i] = std::max(in.soc_reserve + next.max_prefix_kwh / in.capacity_kwh,
                           need[i + 1] + next.energy_kwh / in.capacity_kwh);
    }
    // Driving that charging detours may still add from each point: the longest few round trips
    // to the stations from there on (a label never goes back to one it has passed).
    std::vector<double> allowance_s(n, 0.0);
    std::vector<double> longest;  // the longest round trips ahead, longest first
    size_t counted = static_cast<size_t>(std::max(0, in.detour_trips));
    for (size_t i = n; i-- > 0;) {
        if (stations[i] >= 0 && counted > 0) {
            double trip_s = round_trip_s[i];
            auto at = std::upper_bound(longest.begin(), longest.end(), trip_s, std::greater<>());
            if (static_cast<size_t>(at - longest.begin()) < counted) {
                longest.insert(at, trip_s);
                if (longest.size() > counted) longest.pop_back();
            }
        }
        for (double trip_s : longest) allowance_s[i] += trip_s;
    }
    AheadTable ahead(in, out.points, station_kw);
    for (size_t i = 0; i < n; ++i) {
        Point &p = out.points[i];
        p.useful_soc = need[i];
        p.before = ahead.at(p.leg, p.distance_m, true, allowance_s[i]);
        if (p.station < 0 && i > 0) p.after = ahead.at(p.leg, p.distance_m, false, allowance_s[i]);
    }
    out.arrival_pos_s = ahead.arrival_pos_s();
    out.window_stops = ahead.window_stops();
    out.service_s = in.service_s;
    return out;
}

// A problem's points and window chain from its route; its legs (their windows) are laid first.
inline void lay_route(Problem &p, const RouteLayout &route) {
    p.points = route.points;
    p.chain.arrival_pos_s = route.arrival_pos_s;
    p.chain.service_s = route.service_s;
    p.chain.stops = route.window_stops;
    p.chain.clocks.clear();
    for (int k : route.window_stops) {
        // The search's own windows, in seconds: the bound and the search read the same clock.
        const DailyWindows &w = p.legs.at(k).window;
        WindowClock clock;
        for (size_t j = 0; j < w.opens_us.size(); ++j) {
            clock.opens_s.push_back(w.opens_us[j] / 1e6);
            clock.closes_s.push_back(w.closes_us[j] / 1e6);
        }
        p.chain.clocks.push_back(std::move(clock));
    }
}

// The hops worth searching among candidates (from, to: stations of p, laid out with their
// detours; to's junction after from's), as their indices. Left out: a hop that saves time or
// energy on the route between its stations' junctions (the bounds ahead of a route point,
// remaining.h, count that route as the least there is to drive, and a shortcut would make them
// cut plans that are better), and one that saves neither on going back to the route and out to
// the next station (that way is as short and passes the route points between).
inline std::vector<int> kept_hops(const Problem &p, const RouteLayout &route,
                                  const std::vector<Hop> &candidates) {
    // The route's time and energy from the start to each station's junction, as the stretches
    // sum them.
    std::vector<double> at_s(p.stations.size(), 0.0), at_kwh(p.stations.size(), 0.0);
    double cum_s = 0.0, cum_kwh = 0.0;
    for (size_t k = 0; k < route.points.size(); ++k) {
        const Point &point = route.points[k];
        if (k > 0) {
            cum_s += point.duration_s;
            cum_kwh += point.energy_kwh;
        }
        if (point.station >= 0) {
            at_s.at(point.station) = cum_s;
            at_kwh.at(point.station) = cum_kwh;
        }
    }
    std::vector<int> kept;
    for (size_t h = 0; h < candidates.size(); ++h) {
        const Hop &hop = candidates[h];
        const Station &first = p.stations.at(hop.from), &then = p.stations.at(hop.to);
        double way_s = at_s[hop.to] - at_s[hop.from];
        double way_kwh = at_kwh[hop.to] - at_kwh[hop.from];
        if (first.detour_to_s + hop.duration_s + then.detour_from_s < way_s - 1e-6 ||
            first.detour_to_kwh + hop.energy_kwh + then.detour_from_kwh < way_kwh - 1e-9)
            continue;
        if (hop.duration_s >= first.detour_from_s + way_s + then.detour_to_s &&
            hop.energy_kwh >= first.detour_from_kwh + way_kwh + then.detour_to_kwh)
            continue;
        kept.push_back(static_cast<int>(h));
    }
    return kept;
}

// A problem's hops between its laid-out stations, forward along the route, set on p: those
// kept_hops keeps. A station is named by its leg and its id (numbered): laid_ids by laid-out
// station (-1: no hop names it; a station with two junctions on a leg is laid out twice, its leg
// p's), a hop by hop_legs, from_ids and to_ids (its from and to: those ids; its time, energy).
// Returns, per hop set, the index of the problem's hop it is.
inline std::vector<int> lay_hops(Problem &p, const RouteLayout &route,
                                 const std::vector<int> &laid_ids, const std::vector<int> &hop_legs,
                                 const std::vector<Hop> &hops) {
    auto key = [](int leg, int id) { return (static_cast<int64_t>(leg) << 32) | id; };
    std::unordered_map<int64_t, std::vector<int>> laid_by_key;
    for (size_t i = 0; i < laid_ids.size(); ++i)
        if (laid_ids[i] >= 0)
            laid_by_key[key(p.stations.at(i).leg, laid_ids[i])].push_back(static_cast<int>(i));
    std::vector<Hop> candidates;
    std::vector<int> of_hop;
    for (size_t h = 0; h < hops.size(); ++h) {
        const Hop &hop = hops[h];
        auto froms = laid_by_key.find(key(hop_legs.at(h), hop.from));
        auto tos = laid_by_key.find(key(hop_legs.at(h), hop.to));
        if (froms == laid_by_key.end() || tos == laid_by_key.end()) continue;
        // Stations are laid out in route order: a later index is a later junction.
        for (int from : froms->second)
            for (int to : tos->second)
                if (to > from) {
                    candidates.push_back(Hop{from, to, hop.duration_s, hop.energy_kwh});
                    of_hop.push_back(static_cast<int>(h));
                }
    }
    std::vector<int> kept = kept_hops(p, route, candidates);
    p.hops.clear();
    std::vector<int> out;
    for (int k : kept) {
        p.hops.push_back(candidates[k]);
        out.push_back(of_hop[k]);
    }
    return out;
}

}  // namespace voltroute
