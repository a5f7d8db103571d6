// materia/supercon/tc.hpp — the superconducting transition temperature from a resistance sweep
// R(T) by every common criterion, and the Hc2(T) line from several sweeps (one per field).
//
// Entry points
//   tc_from_rt(T, R, options)            → tc_result {onset, onset_deviation, t90, t50, t10, zero,
//                                                      width, normal state, steepest slope, …}
//   tc_criterion, tc_result::value(c), tc_criterion_name(c), parse_tc_criterion("0.9")
//   hc2_line_from_sweeps(sweeps, criterion, options) → hc2_line {T, H, width, skipped}
//
// Procedure (SCIENCE.md §6.2).  The points are sorted by T (any input order; duplicates allowed).
//  1. Local slope dR/dT by a sliding least-squares line over w points (w odd, default max(5, n/25)),
//     which averages noise without assuming a spacing.  The steepest point T_s (largest slope) is the
//     transition; its half-width at half-maximum of dR/dT on the high side, Γ, sets the scale.
//  2. Normal state: straight line R_N(T) = a + bT fitted to the points in [T_s + 5Γ, T_s + 25Γ],
//     widened to at least min_normal_points (user window overrides).  A tanh-like transition
//     deviates from R_N by < 0.03 % at T_s + 5Γ.
//  3. Fractions f = 0.9, 0.5, 0.1: the crossing of R(T) = f·R_N(T) (R_N evaluated at the same T, so
//     a sloped normal state is handled), linearly interpolated between the bracketing points; with
//     non-monotonic (noisy) data the HIGHEST-T crossing is taken (the first one met on cooling), and
//     the number of crossings is reported.
//  4. Onset (tangent): intersection of R_N(T) with the tangent at T_s (its slope is the sliding-fit
//     slope, i.e. averaged over w points: on sparse data it is slightly below the true peak slope,
//     which moves this onset up by ~(w·ΔT/Γ)²-relative amounts).  For a tanh transition of width w
//     the tangent onset is T_c + w, BELOW the 90 % point T_c + 1.0986w.  Onset (deviation): the
//     highest T at which R_N − R exceeds max(k·σ_N, f_dev·R_N), σ_N the normal-fit residual SD.
//  5. Zero resistance: the noise floor is max(median + k·σ, f_zero·R_N(T_s)) of the superconducting
//     baseline (points below T_s with R < 0.1 R_N; σ = 1.4826·MAD, robust to spikes), or the user's
//     value; T_zero is the LOWEST crossing of the floor (all points below it are below the floor).
//  6. Width ΔT = T_90 − T_10.
// A criterion that is not reached in the data (e.g. no point below 10 %) gives NaN, never a guess.
// Ref: SCIENCE.md §6.2 (criteria, interpolation and crossing-selection rules used here).
#pragma once

#include <materia/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace materia {

/// Tc criteria.  Names (tc_criterion_name) are those of `materia tc --criterion`.
enum class tc_criterion {
    onset,            ///< "onset": normal-state line ∩ steepest-slope tangent
    onset_deviation,  ///< "onset_deviation": R departs from R_N by max(kσ_N, f·R_N)
    fraction_90,      ///< "0.9": R = 0.9 R_N
    fraction_50,      ///< "0.5": R = 0.5 R_N (midpoint)
    fraction_10,      ///< "0.1": R = 0.1 R_N
    zero              ///< "zero": R below the noise floor at all lower T
};

/// The CLI name of a criterion ("onset", "onset_deviation", "0.9", "0.5", "0.1", "zero").
[[nodiscard]] inline std::string tc_criterion_name(tc_criterion c) {
    switch (c) {
        case tc_criterion::onset: return "onset";
        case tc_criterion::onset_deviation: return "onset_deviation";
        case tc_criterion::fraction_90: return "0.9";
        case tc_criterion::fraction_50: return "0.5";
        case tc_criterion::fraction_10: return "0.1";
        case tc_criterion::zero: return "zero";
    }
    return "?";
}

/// Parse a criterion name (also accepts "90%", "50%", "10%", "0.90", "0.50", "0.10").
/// \throws materia::invalid_argument for an unknown name
[[nodiscard]] inline tc_criterion parse_tc_criterion(std::string_view s) {
    if (s == "onset") return tc_criterion::onset;
    if (s == "onset_deviation") return tc_criterion::onset_deviation;
    if (s == "0.9" || s == "0.90" || s == "90%") return tc_criterion::fraction_90;
    if (s == "0.5" || s == "0.50" || s == "50%") return tc_criterion::fraction_50;
    if (s == "0.1" || s == "0.10" || s == "10%") return tc_criterion::fraction_10;
    if (s == "zero") return tc_criterion::zero;
    throw_invalid("parse_tc_criterion: unknown criterion '", std::string(s),
                  "' (expected 0.9, 0.5, 0.1, onset, onset_deviation or zero)");
}

/// Options of tc_from_rt.  NaN means "automatic".
struct tc_options {
    double normal_from = std::numeric_limits<double>::quiet_NaN();  ///< K; normal-state fit window start
    double normal_to = std::numeric_limits<double>::quiet_NaN();    ///< K; window end (NaN → automatic)
    std::size_t min_normal_points = 4;   ///< at least this many points in the normal-state fit
    std::size_t slope_window = 0;        ///< points in the sliding slope fit (0 → max(5, n/25), odd)
    double deviation_sigmas = 3.0;       ///< onset_deviation threshold in normal-state residual SDs
    double deviation_fraction = 0.01;    ///< … and at least this fraction of R_N
    double zero_sigmas = 3.0;            ///< zero-resistance floor: baseline median + k·σ
    double zero_fraction = 1e-3;         ///< … and at least this fraction of R_N(T_s)
    double noise_floor = std::numeric_limits<double>::quiet_NaN();  ///< absolute floor (resistance unit)
};

/// Everything tc_from_rt determines.  Temperatures in K, resistances in the input unit.
struct tc_result {
    double onset = std::numeric_limits<double>::quiet_NaN();            ///< tangent intersection
    double onset_deviation = std::numeric_limits<double>::quiet_NaN();  ///< departure from R_N
    double t90 = std::numeric_limits<double>::quiet_NaN();              ///< R = 0.9 R_N
    double t50 = std::numeric_limits<double>::quiet_NaN();              ///< R = 0.5 R_N
    double t10 = std::numeric_limits<double>::quiet_NaN();              ///< R = 0.1 R_N
    double zero = std::numeric_limits<double>::quiet_NaN();             ///< zero resistance
    double width = std::numeric_limits<double>::quiet_NaN();            ///< T90 − T10
    // Normal state R_N(T) = normal_intercept + normal_slope·T
    double normal_intercept = 0, normal_slope = 0;
    double normal_sigma = 0;                         ///< residual SD of the normal-state fit
    double normal_from = 0, normal_to = 0;           ///< window used (K)
    std::size_t normal_points = 0;                   ///< points in the window
    // Steepest part of the transition
    double steepest_T = 0, steepest_slope = 0, steepest_R = 0;  ///< K, R/K, R (local-fit value)
    double half_width = 0;                           ///< Γ: HWHM of dR/dT on the high side (K)
    double noise_floor = 0;                          ///< floor used for "zero"
    std::size_t crossings_90 = 0, crossings_50 = 0, crossings_10 = 0;  ///< > 1: non-monotonic data
    std::size_t points = 0;                          ///< number of (T, R) points

    /// The temperature for one criterion.
    [[nodiscard]] double value(tc_criterion c) const {
        switch (c) {
            case tc_criterion::onset: return onset;
            case tc_criterion::onset_deviation: return onset_deviation;
            case tc_criterion::fraction_90: return t90;
            case tc_criterion::fraction_50: return t50;
            case tc_criterion::fraction_10: return t10;
            case tc_criterion::zero: return zero;
        }
        return std::numeric_limits<double>::quiet_NaN();
    }
    /// R_N at temperature T.
    [[nodiscard]] double normal_resistance(double T) const { return normal_intercept + normal_slope * T; }
};

namespace detail {

/// Unweighted least-squares line over [b, e) of sorted (x, y): slope, value at x_c, residual SD.
struct tc_line {
    double a = 0, b = 0, sd = 0;  // y = a + b x
};
inline tc_line tc_fit_line(const std::vector<double>& x, const std::vector<double>& y, std::size_t lo, std::size_t hi) {
    const double n = static_cast<double>(hi - lo);
    double mx = 0, my = 0;
    for (std::size_t i = lo; i < hi; ++i) {
        mx += x[i];
        my += y[i];
    }
    mx /= n;
    my /= n;
    double sxx = 0, sxy = 0;
    for (std::size_t i = lo; i < hi; ++i) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    tc_line L;
    L.b = sxx > 0 ? sxy / sxx : 0.0;
    L.a = my - L.b * mx;
    double rss = 0;
    for (std::size_t i = lo; i < hi; ++i) {
        const double r = y[i] - L.a - L.b * x[i];
        rss += r * r;
    }
    L.sd = hi - lo > 2 ? std::sqrt(rss / (n - 2.0)) : 0.0;
    return L;
}

/// Crossings of g(T) from g < 0 (below) to g ≥ 0 (above) between consecutive sorted points with
/// index < limit; returns the interpolated T of the highest (or lowest) one and the count.
template <class G>
double tc_crossing(const std::vector<double>& T, G&& g, std::size_t limit, bool highest, std::size_t& count) {
    count = 0;
    double found = std::numeric_limits<double>::quiet_NaN();
    double g_prev = g(0);
    for (std::size_t i = 1; i < limit; ++i) {
        const double g_cur = g(i);
        if (g_prev < 0 && g_cur >= 0) {
            ++count;
            const double x = (T[i] == T[i - 1]) ? T[i] : T[i - 1] + (T[i] - T[i - 1]) * (-g_prev) / (g_cur - g_prev);
            if (highest || count == 1) found = x;
        }
        g_prev = g_cur;
    }
    return found;
}

inline double tc_median(std::vector<double> v) {
    const std::size_t m = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m), v.end());
    double med = v[m];
    if (v.size() % 2 == 0) {
        const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m));
        med = 0.5 * (med + lo);
    }
    return med;
}

}  // namespace detail

/// Tc by every criterion from one R(T) sweep (see the file comment for the procedure).
///
/// \param T  temperatures (K), finite, any order; \param R  resistances (any unit), finite
/// \returns tc_result; criteria not reached in the data are NaN
/// \throws materia::invalid_argument for fewer than 8 points, length mismatch, non-finite values,
///         or a bad normal-state window; materia::domain_error when no resistive drop on cooling
///         exists (largest local dR/dT ≤ 0) or the normal state above it has fewer than 2 points
[[nodiscard]] inline tc_result tc_from_rt(std::span<const double> T, std::span<const double> R,
                                          const tc_options& options = {}) {
    constexpr const char* fn = "tc_from_rt";
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (T.size() != R.size())
        throw_invalid(fn, ": T and R must have the same length (got ", T.size(), " and ", R.size(), ")");
    const std::size_t n = T.size();
    if (n < 8) throw_invalid(fn, ": need at least 8 (T, R) points (got ", n, ")");
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(T[i])) throw_invalid(fn, ": temperature is not finite (got T[", i, "]=", T[i], ")");
        if (!std::isfinite(R[i])) throw_invalid(fn, ": resistance is not finite (got R[", i, "]=", R[i], ")");
    }
    if (!std::isnan(options.normal_from) && !std::isnan(options.normal_to) && !(options.normal_to > options.normal_from))
        throw_invalid(fn, ": normal-state window must have normal_to > normal_from (got ", options.normal_from, ", ",
                      options.normal_to, ")");
    // Sort by T (stable: equal temperatures keep input order).
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::stable_sort(idx.begin(), idx.end(), [&T](std::size_t a, std::size_t b) { return T[a] < T[b]; });
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = T[idx[i]];
        y[i] = R[idx[i]];
    }
    if (!(x.back() > x.front())) throw_invalid(fn, ": all temperatures are equal (T=", x.front(), ")");
    tc_result res;
    res.points = n;

    // 1. Sliding-window slope.
    std::size_t w = options.slope_window > 0 ? options.slope_window : std::max<std::size_t>(5, n / 25);
    if (w % 2 == 0) ++w;
    w = std::min(w, n % 2 == 1 ? n : n - 1);
    const std::size_t half = w / 2;
    std::vector<double> slope(n), fitted(n);
    {
        // O(n) sliding fits from prefix sums of (x − x̄), y, (x − x̄)², (x − x̄)y; centring on the
        // global mean keeps the window sums well conditioned (relative error ~1e-10 for 1e5 points).
        const double xc = 0.5 * (x.front() + x.back());
        std::vector<double> s1(n + 1, 0.0), sy(n + 1, 0.0), s2(n + 1, 0.0), sxy(n + 1, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            const double u = x[i] - xc;
            s1[i + 1] = s1[i] + u;
            sy[i + 1] = sy[i] + y[i];
            s2[i + 1] = s2[i] + u * u;
            sxy[i + 1] = sxy[i] + u * y[i];
        }
        const double wd = static_cast<double>(w);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t lo = i >= half ? std::min(i - half, n - w) : 0;
            const std::size_t hi = lo + w;
            const double su = s1[hi] - s1[lo], syy = sy[hi] - sy[lo];
            const double suu = (s2[hi] - s2[lo]) - su * su / wd;
            const double suy = (sxy[hi] - sxy[lo]) - su * syy / wd;
            const double b = suu > 0 ? suy / suu : 0.0;
            slope[i] = b;
            fitted[i] = syy / wd + b * ((x[i] - xc) - su / wd);
        }
    }
    const std::size_t is = static_cast<std::size_t>(std::max_element(slope.begin(), slope.end()) - slope.begin());
    if (!(slope[is] > 0))
        throw_domain(fn, ": no resistive transition: R does not drop on cooling anywhere (max dR/dT = ", slope[is], ")");
    res.steepest_T = x[is];
    res.steepest_slope = slope[is];
    res.steepest_R = fitted[is];
    std::size_t ih = is;
    while (ih + 1 < n && slope[ih] > 0.5 * slope[is]) ++ih;
    const double spacing = (x.back() - x.front()) / static_cast<double>(n - 1);
    res.half_width = std::max(x[ih] - x[is], spacing);

    // 2. Normal-state window and fit.
    double from = options.normal_from, to = options.normal_to;
    if (std::isnan(from)) from = res.steepest_T + 5.0 * res.half_width;
    if (std::isnan(to)) to = from + std::max(20.0 * res.half_width, 0.0);
    std::size_t i0 = static_cast<std::size_t>(std::lower_bound(x.begin(), x.end(), from) - x.begin());
    std::size_t i1 = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), to) - x.begin());
    const bool user_window = !std::isnan(options.normal_from) || !std::isnan(options.normal_to);
    if (!user_window) {
        // Widen upward, then downward (never below the steepest point), to reach the minimum count.
        while (i1 - std::min(i0, i1) < options.min_normal_points && i1 < n) ++i1;
        while (i1 - std::min(i0, i1) < options.min_normal_points && i0 > is + 1) --i0;
    }
    if (i0 >= i1 || i1 - i0 < 2)
        throw_domain(fn, ": normal state not reached: fewer than 2 points above the transition at T=", res.steepest_T,
                     " K (window ", from, "–", to, " K)");
    const detail::tc_line N = detail::tc_fit_line(x, y, i0, i1);
    res.normal_intercept = N.a;
    res.normal_slope = N.b;
    res.normal_sigma = N.sd;
    res.normal_from = x[i0];
    res.normal_to = x[i1 - 1];
    res.normal_points = i1 - i0;
    auto RN = [&res](double t) { return res.normal_resistance(t); };
    const std::size_t limit = i1;  // crossings searched below the end of the normal window

    // 3. Fractions of R_N.
    auto frac = [&](double f, std::size_t& count) {
        return detail::tc_crossing(x, [&](std::size_t i) { return y[i] - f * RN(x[i]); }, limit, true, count);
    };
    res.t90 = frac(0.9, res.crossings_90);
    res.t50 = frac(0.5, res.crossings_50);
    res.t10 = frac(0.1, res.crossings_10);
    res.width = res.t90 - res.t10;

    // 4. Onsets.
    if (res.steepest_slope > res.normal_slope) {
        res.onset = res.steepest_T + (RN(res.steepest_T) - res.steepest_R) / (res.steepest_slope - res.normal_slope);
    }
    {
        std::size_t cnt = 0;
        auto thr = [&](std::size_t i) {
            return std::max(options.deviation_sigmas * res.normal_sigma, options.deviation_fraction * std::abs(RN(x[i])));
        };
        // g ≥ 0 above (within threshold), g < 0 below (R dropped by more than the threshold).
        res.onset_deviation = detail::tc_crossing(
            x, [&](std::size_t i) { return thr(i) - (RN(x[i]) - y[i]); }, std::min(limit, i0 + 1), true, cnt);
    }

    // 5. Zero resistance.
    double floor_r = options.noise_floor;
    if (std::isnan(floor_r)) {
        std::vector<double> base;
        for (std::size_t i = 0; i < is; ++i)
            if (y[i] < 0.1 * RN(x[i])) base.push_back(y[i]);
        floor_r = options.zero_fraction * std::abs(RN(res.steepest_T));
        if (base.size() >= 3) {
            const double med = detail::tc_median(base);
            std::vector<double> dev;
            dev.reserve(base.size());
            for (double v : base) dev.push_back(std::abs(v - med));
            const double sigma = 1.4826 * detail::tc_median(dev);
            floor_r = std::max(floor_r, med + options.zero_sigmas * sigma);
        }
    }
    res.noise_floor = floor_r;
    {
        std::size_t first_above = n;
        for (std::size_t i = 0; i < n; ++i)
            if (y[i] > floor_r) {
                first_above = i;
                break;
            }
        if (first_above > 0 && first_above < n) {
            const std::size_t i = first_above;
            res.zero = x[i] == x[i - 1] ? x[i] : x[i - 1] + (x[i] - x[i - 1]) * (floor_r - y[i - 1]) / (y[i] - y[i - 1]);
        } else {
            res.zero = nan;  // the lowest point is already above the floor (or none is)
        }
    }
    return res;
}

/// One R(T) sweep at a fixed field (the spans must outlive the call).
struct rt_sweep {
    double field = 0;              ///< applied field (tesla or any unit; copied to the output)
    std::span<const double> T;     ///< K
    std::span<const double> R;     ///< resistance
};

/// The Hc2(T) line: one (Tc(H), H) point per sweep with a defined criterion, sorted by field.
struct hc2_line {
    std::vector<double> T;                ///< Tc(H) by the chosen criterion (K)
    std::vector<double> H;                ///< field of the sweep
    std::vector<double> width;            ///< transition width T90 − T10 of that sweep (K)
    std::vector<std::size_t> skipped;     ///< indices of sweeps without a value (criterion not reached)
};

/// Apply the same Tc criterion to every sweep and collect the Hc2(T) points (SCIENCE.md §6.2).
/// A sweep whose criterion is not reached, or which shows no transition, is listed in `skipped`.
/// \throws materia::invalid_argument for malformed sweeps (as tc_from_rt) or a non-finite field
[[nodiscard]] inline hc2_line hc2_line_from_sweeps(std::span<const rt_sweep> sweeps,
                                                   tc_criterion criterion = tc_criterion::fraction_50,
                                                   const tc_options& options = {}) {
    struct item {
        double h, t, w;
    };
    std::vector<item> items;
    hc2_line out;
    for (std::size_t k = 0; k < sweeps.size(); ++k) {
        if (!std::isfinite(sweeps[k].field))
            throw_invalid("hc2_line_from_sweeps: field is not finite (got sweep ", k, " field=", sweeps[k].field, ")");
        try {
            const tc_result r = tc_from_rt(sweeps[k].T, sweeps[k].R, options);
            const double t = r.value(criterion);
            if (std::isnan(t)) out.skipped.push_back(k);
            else items.push_back({sweeps[k].field, t, r.width});
        } catch (const domain_error&) {
            out.skipped.push_back(k);  // no transition at this field (e.g. above Hc2 in range)
        }
    }
    std::stable_sort(items.begin(), items.end(), [](const item& a, const item& b) { return a.h < b.h; });
    for (const auto& it : items) {
        out.T.push_back(it.t);
        out.H.push_back(it.h);
        out.width.push_back(it.w);
    }
    return out;
}

}  // namespace materia
