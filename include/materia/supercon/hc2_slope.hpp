// materia/supercon/hc2_slope.hpp — the slope dHc2/dT at Tc from a weighted straight-line fit of the
// Hc2(T) points near Tc, with Tc (the H = 0 intercept) and their covariance.
//
// Entry points
//   hc2_slope_at_tc(T, H, sigma, options)  → hc2_slope_result {tc, slope, cov_tc_slope, used, …}
//   value_with_error                        a value and its standard error (the supercon result type)
//   orbital_product(fit)                    −Tc·dHc2/dT with its propagated error (the WHH scale)
//
// Why a separate header: WHH (whh.hpp), Ginzburg–Landau (gl.hpp) and the Pauli/Maki estimates
// (pauli.hpp) all start from the same two numbers, Tc and the slope at Tc, and their errors must be
// propagated consistently (Tc and slope come from one fit and are correlated).
//
// The fit.  H_i = c0 + c1·T_i by weighted least squares (weights 1/σ_i², or 1 without σ), using only
// the points with T ≥ t_min·Tc (default 0.8), iterated with the current Tc until the selection no
// longer changes.  Why 0.8: the WHH curve is h* ≈ (1 − t) − 0.16(1 − t)², so a straight line through
// evenly spread points on [t_min, 1] underestimates |slope| by ≈ 0.16(1 − t_min): ~3 % for 0.8,
// ~5 % for 0.7 (the full WHH fit in whh.hpp has no such bias).  Tc = −c0/c1, slope = c1; variances by
// the delta method from the 2×2 covariance, scaled by χ²/(n − 2) unless absolute_sigma (σ_i are then
// true standard deviations).  Two points give the line but no error (NaN errors).
#pragma once

#include <materia/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace materia {

/// A value with its standard error (NaN when the error is undefined, e.g. too few points).
struct value_with_error {
    double value = std::numeric_limits<double>::quiet_NaN();  ///< the estimate
    double error = std::numeric_limits<double>::quiet_NaN();  ///< one standard error (same unit)
};

/// Options of hc2_slope_at_tc.
struct hc2_slope_options {
    double t_min = 0.8;          ///< use points with T ≥ t_min·Tc (0 → all points); in [0, 1)
    std::size_t min_points = 3;  ///< never use fewer points than this (the highest-T ones) when available
    bool absolute_sigma = false; ///< σ are absolute standard deviations (no χ² scaling)
    int max_iterations = 20;     ///< selection/refit cycles
};

/// Result of hc2_slope_at_tc.
struct hc2_slope_result {
    value_with_error tc;        ///< K, where the fitted line reaches H = 0
    value_with_error slope;     ///< dHc2/dT at Tc in field-unit/K (negative; tesla/K for tesla input)
    double intercept = 0;       ///< c0 (field unit): H = c0 + c1·T
    double cov_tc_slope = 0;    ///< covariance of (Tc, slope) for error propagation
    std::vector<bool> used;     ///< point i used in the final fit (input order)
    std::size_t n_used = 0;     ///< number of points used
    double chi2 = 0;            ///< weighted residual sum of squares of the final fit
    double chi2_red = std::numeric_limits<double>::quiet_NaN();  ///< χ²/(n_used − 2)
    int iterations = 0;         ///< selection cycles performed
};

namespace detail {

/// Weighted straight line y = c0 + c1 x: coefficients, (unscaled) covariance (XᵀWX)⁻¹ and χ².
struct sc_line {
    double c0 = 0, c1 = 0;
    double v00 = 0, v01 = 0, v11 = 0;  // (XᵀWX)⁻¹
    double chi2 = 0;
    std::size_t n = 0;
};

/// Weighted least-squares line through the points with mask[i] (all when mask is empty), centred
/// on the weighted mean of x for conditioning.  Needs ≥ 2 distinct x; throws otherwise.
inline sc_line sc_line_fit(std::span<const double> x, std::span<const double> y, std::span<const double> w,
                           const std::vector<bool>& mask, const char* fn) {
    double sw = 0, sx = 0, sy = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!mask.empty() && !mask[i]) continue;
        const double wi = w.empty() ? 1.0 : w[i];
        sw += wi;
        sx += wi * x[i];
        sy += wi * y[i];
        ++n;
    }
    if (n < 2) throw_invalid(fn, ": a straight-line fit needs at least 2 points (got ", n, ")");
    const double xm = sx / sw, ym = sy / sw;
    double sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!mask.empty() && !mask[i]) continue;
        const double wi = w.empty() ? 1.0 : w[i];
        sxx += wi * (x[i] - xm) * (x[i] - xm);
        sxy += wi * (x[i] - xm) * (y[i] - ym);
    }
    if (!(sxx > 0)) throw_invalid(fn, ": all fitted points have the same abscissa (x=", xm, ")");
    sc_line L;
    L.n = n;
    L.c1 = sxy / sxx;
    L.c0 = ym - L.c1 * xm;
    L.v11 = 1.0 / sxx;
    L.v01 = -xm / sxx;
    L.v00 = 1.0 / sw + xm * xm / sxx;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!mask.empty() && !mask[i]) continue;
        const double wi = w.empty() ? 1.0 : w[i];
        const double r = y[i] - L.c0 - L.c1 * x[i];
        L.chi2 += wi * r * r;
    }
    return L;
}

/// Validate (T, H, σ) arrays shared by the Hc2(T) fits.
inline void check_hc2_points(const char* fn, std::span<const double> T, std::span<const double> H,
                             std::span<const double> sigma, std::size_t min_points) {
    if (T.size() != H.size())
        throw_invalid(fn, ": T and H must have the same length (got ", T.size(), " and ", H.size(), ")");
    if (!sigma.empty() && sigma.size() != T.size())
        throw_invalid(fn, ": sigma must be empty or as long as T (got ", sigma.size(), " for ", T.size(), " points)");
    if (T.size() < min_points)
        throw_invalid(fn, ": need at least ", min_points, " Hc2(T) points (got ", T.size(), ")");
    for (std::size_t i = 0; i < T.size(); ++i) {
        if (!std::isfinite(T[i]) || !(T[i] > 0))
            throw_invalid(fn, ": temperature must be finite and > 0 K (got T[", i, "]=", T[i], ")");
        if (!std::isfinite(H[i]) || H[i] < 0)
            throw_invalid(fn, ": field must be finite and >= 0 (got H[", i, "]=", H[i], ")");
        if (!sigma.empty() && (!std::isfinite(sigma[i]) || !(sigma[i] > 0)))
            throw_invalid(fn, ": sigma must be finite and > 0 (got sigma[", i, "]=", sigma[i], ")");
    }
}

}  // namespace detail

/// dHc2/dT at Tc and Tc from a weighted straight-line fit of the Hc2(T) points near Tc.
///
/// H = c0 + c1·T fitted to the points with T ≥ t_min·Tc (Tc = −c0/c1, iterated); slope = c1.
/// Errors: delta method, Var(Tc) = (v00 + 2Tc·v01 + Tc²·v11)/c1² with v = s²(XᵀWX)⁻¹.
/// \param T      temperatures (K), > 0, any order
/// \param H      upper critical fields (any field unit, typically tesla), ≥ 0
/// \param sigma  standard errors of H (same unit), > 0; empty → unit weights
/// \throws materia::invalid_argument for < 2 points, length mismatch, non-finite values, T ≤ 0,
///         H < 0, σ ≤ 0, all T equal, or a fitted slope ≥ 0 (Hc2 must fall as T rises)
/// Ref: N. R. Werthamer, E. Helfand, P. C. Hohenberg, Phys. Rev. 147, 295 (1966) (the WHH slope).
[[nodiscard]] inline hc2_slope_result hc2_slope_at_tc(std::span<const double> T, std::span<const double> H,
                                                      std::span<const double> sigma = {},
                                                      const hc2_slope_options& options = {}) {
    constexpr const char* fn = "hc2_slope_at_tc";
    detail::check_hc2_points(fn, T, H, sigma, 2);
    if (!(options.t_min >= 0.0 && options.t_min < 1.0))
        throw_invalid(fn, ": t_min must be in [0, 1) (got ", options.t_min, ")");
    std::vector<double> w;
    if (!sigma.empty())
        for (double s : sigma) w.push_back(1.0 / (s * s));
    const std::size_t n = T.size();
    std::vector<bool> mask(n, true);
    detail::sc_line L = detail::sc_line_fit(T, H, w, mask, fn);
    hc2_slope_result res;
    // Points sorted by falling T: the fallback selection takes the highest-T ones.
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&T](std::size_t a, std::size_t b) { return T[a] > T[b]; });
    const std::size_t need = std::min(n, std::max<std::size_t>(2, options.min_points));
    for (int it = 0; it < options.max_iterations; ++it) {
        res.iterations = it + 1;
        if (!(L.c1 < 0))
            throw_invalid(fn, ": fitted dHc2/dT is not negative (got ", L.c1,
                          " per K); Hc2 must decrease as T rises");
        const double tc = -L.c0 / L.c1;
        std::vector<bool> next(n, false);
        std::size_t cnt = 0;
        for (std::size_t i = 0; i < n; ++i)
            if (T[i] >= options.t_min * tc) {
                next[i] = true;
                ++cnt;
            }
        for (std::size_t k = 0; cnt < need && k < n; ++k)
            if (!next[order[k]]) {
                next[order[k]] = true;
                ++cnt;
            }
        if (next == mask) break;
        mask = next;
        L = detail::sc_line_fit(T, H, w, mask, fn);
    }
    if (!(L.c1 < 0))
        throw_invalid(fn, ": fitted dHc2/dT is not negative (got ", L.c1, " per K); Hc2 must decrease as T rises");
    res.used = mask;
    res.n_used = L.n;
    res.chi2 = L.chi2;
    res.intercept = L.c0;
    const double dof = static_cast<double>(L.n) - 2.0;
    res.chi2_red = dof > 0 ? L.chi2 / dof : std::numeric_limits<double>::quiet_NaN();
    double scale = 1.0;
    if (!(options.absolute_sigma && !sigma.empty()))
        scale = dof > 0 ? L.chi2 / dof : std::numeric_limits<double>::quiet_NaN();
    const double v00 = scale * L.v00, v01 = scale * L.v01, v11 = scale * L.v11;
    const double c1 = L.c1;
    const double tc = -L.c0 / c1;
    res.tc.value = tc;
    res.slope.value = c1;
    // Tc = −c0/c1: ∂Tc/∂c0 = −1/c1, ∂Tc/∂c1 = c0/c1² = −Tc/c1.
    const double var_tc = (v00 + 2.0 * tc * v01 + tc * tc * v11) / (c1 * c1);
    res.tc.error = std::sqrt(std::max(var_tc, 0.0));
    res.slope.error = std::sqrt(std::max(v11, 0.0));
    res.cov_tc_slope = -(v01 + tc * v11) / c1;
    if (std::isnan(scale)) {
        res.tc.error = res.slope.error = res.cov_tc_slope = std::numeric_limits<double>::quiet_NaN();
    }
    return res;
}

/// The orbital scale −Tc·(dHc2/dT)|Tc (field unit) with its error propagated from the correlated
/// (Tc, slope) pair: Var = slope²·Var(Tc) + Tc²·Var(slope) + 2·Tc·slope·Cov(Tc, slope).
/// Every WHH/GL estimate is a fixed multiple of it (0.693 dirty, 0.727 clean, 1 for GL).
[[nodiscard]] inline value_with_error orbital_product(const hc2_slope_result& fit) {
    const double tc = fit.tc.value, s = fit.slope.value;
    value_with_error out;
    out.value = -tc * s;
    const double var = s * s * fit.tc.error * fit.tc.error + tc * tc * fit.slope.error * fit.slope.error +
                       2.0 * tc * s * fit.cov_tc_slope;
    out.error = std::isnan(var) ? var : std::sqrt(std::max(var, 0.0));
    return out;
}

}  // namespace materia
