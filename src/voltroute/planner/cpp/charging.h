// Exact charge times on a piecewise-linear power curve, as vehicles/charging.py (ChargeProfile)
// computes them, tabulated per SoC grid for the search.
#pragma once

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace voltroute {

constexpr double INF = std::numeric_limits<double>::infinity();
constexpr double EPS = 1e-9;
constexpr double S_PER_H = 3600.0;

inline double hours_per_kwh(double pa, double pb) {
    if (pa <= 0.0 || pb <= 0.0) return INF;
    if (pa == pb) return 1.0 / pa;
    double ratio = (pb - pa) / pa;
    return std::log1p(ratio) / (ratio * pa);
}

// One piece of the power curve: SoC a..b, power pa..pb (linear), hours for the whole piece.
struct Piece {
    double a, b, pa, pb, whole_h;
};

struct ChargeProfile {
    double energy_kwh = 1.0;
    std::vector<Piece> pieces;

    double time_s(double soc_from, double soc_to) const {
        if (soc_to <= soc_from) return 0.0;
        if (pieces.empty()) return INF;
        double hours = 0.0;
        for (const Piece &p : pieces) {
            if (p.b <= soc_from) continue;
            if (p.a >= soc_to) break;
            if (soc_from <= p.a && p.b <= soc_to) {
                hours += p.whole_h;
                continue;
            }
            double lo = std::max(p.a, soc_from), hi = std::min(p.b, soc_to);
            double slope = (p.pb - p.pa) / (p.b - p.a);
            double p_lo = p.pa + slope * (lo - p.a), p_hi = p.pa + slope * (hi - p.a);
            if (hi == p.b) p_hi = p.pb;
            hours += energy_kwh * (hi - lo) * hours_per_kwh(p_lo, p_hi);
        }
        return hours * S_PER_H;
    }

    double soc_after(double soc_from, double duration_s) const {
        if (duration_s <= 0.0 || pieces.empty()) return soc_from;
        double remaining_h = duration_s / S_PER_H;
        double soc = soc_from;
        for (const Piece &p : pieces) {
            if (p.b <= soc) continue;
            double slope = (p.pb - p.pa) / (p.b - p.a);
            double p_soc = soc <= p.a ? p.pa : p.pa + slope * (soc - p.a);
            double start = std::max(p.a, soc);
            if (p_soc <= 0.0) return start;
            double piece_h =
                start == p.a ? p.whole_h : energy_kwh * (p.b - start) * hours_per_kwh(p_soc, p.pb);
            if (remaining_h >= piece_h) {
                remaining_h -= piece_h;
                soc = p.b;
                continue;
            }
            double delta = slope == 0.0
                               ? p_soc * remaining_h / energy_kwh
                               : p_soc * std::expm1(slope * remaining_h / energy_kwh) / slope;
            return std::min(p.b, start + std::max(0.0, delta));
        }
        return std::min(1.0, soc);
    }
};

// Charge times at one power and connector with tau (time from the reserve) on the SoC grid.
struct ChargeTable {
    ChargeProfile profile;
    double base = 0.0;     // the reserve
    double soc_max = 1.0;  // the problem's
    std::vector<double> grid;
    std::vector<double> tau;

    ChargeTable() = default;
    ChargeTable(ChargeProfile p, double reserve, double soc_max_, const std::vector<double> &grid_)
        : profile(std::move(p)), base(reserve), soc_max(soc_max_), grid(grid_) {
        tau.reserve(grid.size());
        for (double g : grid) tau.push_back(tau_of(g));
    }

    double tau_of(double soc) const { return profile.time_s(base, std::max(base, soc)); }
    double time_s(double from, double to) const { return profile.time_s(from, to); }
    double soc_after(double from, double duration_s) const {
        if (duration_s <= 0) return from;
        return std::min(soc_max, profile.soc_after(from, duration_s));
    }

    // (target, time) for every grid target above soc_from.
    void grid_options(double soc_from, std::vector<std::pair<double, double>> &out) const {
        out.clear();
        double tau_from = tau_of(soc_from);
        if (std::isinf(tau_from)) {
            for (double g : grid)
                if (g > soc_from + EPS) out.emplace_back(g, time_s(soc_from, g));
            return;
        }
        for (size_t i = 0; i < grid.size(); ++i)
            if (grid[i] > soc_from + EPS)
                out.emplace_back(grid[i], std::max(0.0, tau[i] - tau_from));
    }
};

}  // namespace voltroute
