// materia/numerics/peak_fit.hpp — single-peak fits (Lorentzian, Gaussian) on a linear baseline and
// the spectral centre of gravity.
//
// Entry points
//   fit_peak(x, y, sigma = {}, options)                     height, centre, FWHM, area + errors
//   spectral_centroid(E, I, sigma = {}, lo, hi, baseline)   E_c = ∫E I dE / ∫I dE with error
//
// Peak model: y = h·L(x) + b₀ + b₁(x − x̄), x̄ = mean of the window's x (centring decorrelates the
// baseline parameters), with
//   Lorentzian L = 1/(1 + 4(x − x₀)²/w²)          area = (π/2) h w
//   Gaussian   L = exp(−4 ln2 (x − x₀)²/w²)       area = h w √(π/(4 ln 2))
// w is the full width at half maximum.  Starting values come from the data (baseline through the
// end points, the highest point, the half-maximum crossings), so no user guess is needed; the fit
// uses the analytic Jacobian with w > 0 and h > 0 by log-parameterisation (set
// options.allow_negative for dips: then h is free).  Errors: LM covariance, area by the delta method.
//
// Centre of gravity (SCIENCE.md §7; the O–H stretching band of the oxide-glass paper): trapezoidal
// integrals over the data points with lo ≤ E ≤ hi (no interpolation at the window edges; the
// window actually used is returned), after subtracting a baseline: none, the window minimum, or
// the straight line through the two end points of the window.  The result depends strongly on
// window and baseline, so both are reported.  Uncertainty: exact linear propagation of independent
// per-point σ_I through E_c = N/D, including the end points' influence on the linear baseline.
#pragma once

#include <materia/core/error.hpp>
#include <materia/numerics/least_squares.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <span>
#include <vector>

namespace materia {

/// Line shape of fit_peak.
enum class peak_shape { lorentzian, gaussian };

/// Options of fit_peak.
struct peak_fit_options {
    peak_shape shape = peak_shape::lorentzian;
    bool linear_baseline = true;  ///< b₁ free (else b₁ = 0)
    bool allow_negative = false;  ///< allow h < 0 (a dip); otherwise h > 0 by log scale
    bool absolute_sigma = false;
};

/// Result of fit_peak (x-units for centre and width, y-units for height and baseline).
struct peak_fit_result {
    double center = 0, center_err = 0;
    double height = 0, height_err = 0;
    double fwhm = 0, fwhm_err = 0;
    double area = 0, area_err = 0;
    double baseline = 0, baseline_err = 0;  ///< b₀ at x = x_ref
    double baseline_slope = 0, baseline_slope_err = 0;
    double x_ref = 0;                       ///< centring point of the baseline
    fit_result fit;                         ///< params [h, x₀, w, b₀, b₁]
};

namespace detail {
inline double peak_shape_value(peak_shape s, double u, double& dl_du) {
    // u = (x − x₀)/w
    if (s == peak_shape::lorentzian) {
        const double q = 1.0 + 4.0 * u * u;
        dl_du = -8.0 * u / (q * q);
        return 1.0 / q;
    }
    const double k = 4.0 * std::numbers::ln2;
    const double g = std::exp(-k * u * u);
    dl_du = -2.0 * k * u * g;
    return g;
}
inline double peak_area_factor(peak_shape s) {
    return s == peak_shape::lorentzian ? 0.5 * std::numbers::pi : std::sqrt(std::numbers::pi / (4.0 * std::numbers::ln2));
}
}  // namespace detail

/// Fit one Lorentzian or Gaussian peak on a linear baseline (see the file comment).
/// \throws materia::invalid_argument for mismatched lengths, non-finite data, σ ≤ 0, fewer than
///         6 points (5 parameters + 1), or a flat signal.
[[nodiscard]] inline peak_fit_result fit_peak(std::span<const double> x, std::span<const double> y,
                                              std::span<const double> sigma = {}, const peak_fit_options& options = {}) {
    detail::check_xy_sigma("fit_peak", x, y, sigma);
    const std::size_t n = x.size();
    if (n < 6) throw_invalid("fit_peak: need at least 6 points (got ", n, ")");
    std::size_t ilo = 0, ihi = 0;
    for (std::size_t i = 1; i < n; ++i) {
        if (x[i] < x[ilo]) ilo = i;
        if (x[i] > x[ihi]) ihi = i;
    }
    if (!(x[ihi] > x[ilo])) throw_invalid("fit_peak: all x values are equal (got ", x[0], ")");
    double xref = 0;
    for (double v : x) xref += v;
    xref /= static_cast<double>(n);
    // Starting values: baseline through the end points; the extreme residual above it.
    const double slope0 = options.linear_baseline ? (y[ihi] - y[ilo]) / (x[ihi] - x[ilo]) : 0.0;
    const double b00 = options.linear_baseline ? y[ilo] + slope0 * (xref - x[ilo]) : std::min(y[ilo], y[ihi]);
    std::size_t ipk = 0;
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
        const double d = y[i] - (b00 + slope0 * (x[i] - xref));
        const double score = options.allow_negative ? std::abs(d) : d;
        if (score > best) {
            best = score;
            ipk = i;
        }
    }
    const double h0 = y[ipk] - (b00 + slope0 * (x[ipk] - xref));
    if (!(std::abs(h0) > 0) || (!options.allow_negative && !(h0 > 0)))
        throw_invalid("fit_peak: no peak above the baseline (flat or negative signal; height estimate ", h0, ")");
    // FWHM estimate: points above half height.
    double xl = x[ipk], xr = x[ipk];
    for (std::size_t i = 0; i < n; ++i) {
        const double d = y[i] - (b00 + slope0 * (x[i] - xref));
        if (std::abs(d) >= 0.5 * std::abs(h0)) {
            xl = std::min(xl, x[i]);
            xr = std::max(xr, x[i]);
        }
    }
    const double span = x[ihi] - x[ilo];
    const double w0 = std::max(xr - xl, 0.02 * span);
    Eigen::VectorXd p0(5);
    p0 << h0, x[ipk], w0, b00, slope0;
    const peak_shape shape = options.shape;
    auto f = [&](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
        double dl = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double u = (x[i] - p[1]) / p[2];
            const double v = p[0] * detail::peak_shape_value(shape, u, dl) + p[3] + p[4] * (x[i] - xref);
            r[static_cast<Eigen::Index>(i)] = (v - y[i]) / (sigma.empty() ? 1.0 : sigma[i]);
        }
    };
    auto jac = [&](const Eigen::VectorXd& p, Eigen::MatrixXd& J) {
        double dl = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const auto ii = static_cast<Eigen::Index>(i);
            const double si = sigma.empty() ? 1.0 : sigma[i];
            const double u = (x[i] - p[1]) / p[2];
            const double L = detail::peak_shape_value(shape, u, dl);
            J(ii, 0) = L / si;
            J(ii, 1) = -p[0] * dl / p[2] / si;
            J(ii, 2) = -p[0] * dl * u / p[2] / si;
            J(ii, 3) = 1.0 / si;
            J(ii, 4) = (x[i] - xref) / si;
        }
    };
    const double inf = std::numeric_limits<double>::infinity();
    lsq_options o;
    o.absolute_sigma = options.absolute_sigma;
    o.log_scale = {!options.allow_negative, false, true, false, false};
    o.lower = {-inf, -inf, -inf, -inf, options.linear_baseline ? -inf : 0.0};
    o.upper = {inf, inf, inf, inf, options.linear_baseline ? inf : 0.0};
    peak_fit_result res;
    res.x_ref = xref;
    res.fit = least_squares(f, jac, p0, n, o);
    const Eigen::VectorXd& p = res.fit.params;
    const Eigen::VectorXd& e = res.fit.stderrs;
    res.height = p[0];
    res.height_err = e[0];
    res.center = p[1];
    res.center_err = e[1];
    res.fwhm = p[2];
    res.fwhm_err = e[2];
    res.baseline = p[3];
    res.baseline_err = e[3];
    res.baseline_slope = p[4];
    res.baseline_slope_err = e[4];
    const double fac = detail::peak_area_factor(shape);
    res.area = fac * p[0] * p[2];
    const Eigen::MatrixXd& C = res.fit.covariance;
    const double var = fac * fac * (p[2] * p[2] * C(0, 0) + p[0] * p[0] * C(2, 2) + 2.0 * p[0] * p[2] * C(0, 2));
    res.area_err = std::sqrt(std::max(var, 0.0));
    return res;
}

/// Baseline used by spectral_centroid.
enum class centroid_baseline {
    none,            ///< I as given
    minimum,         ///< subtract the minimum of I inside the window
    linear_endpoints ///< subtract the straight line through the window's first and last points
};

/// Result of spectral_centroid.
struct centroid_result {
    double center = 0, center_err = 0;  ///< E_c and its propagated standard error (0 without σ)
    double area = 0;                    ///< ∫(I − baseline) dE over the window
    double window_lo = 0, window_hi = 0;  ///< first and last E actually used
    std::size_t points = 0;             ///< points inside the window
    double baseline_intercept = 0, baseline_slope = 0;  ///< baseline(E) = intercept + slope·E
};

/// Spectral centre of gravity E_c = ∫E I′ dE / ∫I′ dE, I′ = I − baseline, over lo ≤ E ≤ hi
/// (trapezoid rule on the data points; E must be strictly increasing).
/// \throws materia::invalid_argument for mismatched lengths, non-finite data, non-increasing E,
///         fewer than 2 points in the window, or a zero integral.
[[nodiscard]] inline centroid_result spectral_centroid(std::span<const double> E, std::span<const double> I,
                                                       std::span<const double> sigma = {},
                                                       double lo = -std::numeric_limits<double>::infinity(),
                                                       double hi = std::numeric_limits<double>::infinity(),
                                                       centroid_baseline baseline = centroid_baseline::none) {
    detail::check_xy_sigma("spectral_centroid", E, I, sigma);
    for (std::size_t i = 1; i < E.size(); ++i)
        if (!(E[i] > E[i - 1]))
            throw_invalid("spectral_centroid: E must be strictly increasing (got E[", i - 1, "]=", E[i - 1], ", E[", i,
                          "]=", E[i], ")");
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < E.size(); ++i)
        if (E[i] >= lo && E[i] <= hi) idx.push_back(i);
    if (idx.size() < 2)
        throw_invalid("spectral_centroid: fewer than 2 points in the window [", lo, ", ", hi, "] (got ", idx.size(), ")");
    const std::size_t m = idx.size();
    centroid_result r;
    r.points = m;
    r.window_lo = E[idx.front()];
    r.window_hi = E[idx.back()];
    // Baseline.
    const double e0 = E[idx.front()], e1 = E[idx.back()];
    if (baseline == centroid_baseline::minimum) {
        double mn = std::numeric_limits<double>::infinity();
        for (std::size_t i : idx) mn = std::min(mn, I[i]);
        r.baseline_intercept = mn;
    } else if (baseline == centroid_baseline::linear_endpoints) {
        r.baseline_slope = (I[idx.back()] - I[idx.front()]) / (e1 - e0);
        r.baseline_intercept = I[idx.front()] - r.baseline_slope * e0;
    }
    // Trapezoid weights.
    std::vector<double> w(m, 0.0), Ip(m);
    for (std::size_t k = 0; k + 1 < m; ++k) {
        const double h = E[idx[k + 1]] - E[idx[k]];
        w[k] += 0.5 * h;
        w[k + 1] += 0.5 * h;
    }
    double N = 0, D = 0;
    for (std::size_t k = 0; k < m; ++k) {
        const double e = E[idx[k]];
        Ip[k] = I[idx[k]] - (r.baseline_intercept + r.baseline_slope * e);
        N += w[k] * e * Ip[k];
        D += w[k] * Ip[k];
    }
    if (!(std::abs(D) > 0)) throw_invalid("spectral_centroid: the baseline-subtracted integral is zero");
    r.area = D;
    r.center = N / D;
    if (!sigma.empty()) {
        // g_k = ∂E_c/∂I_k: direct term plus, for the linear baseline, the end points' effect.
        std::vector<double> g(m);
        for (std::size_t k = 0; k < m; ++k) g[k] = w[k] * (E[idx[k]] - r.center) / D;
        if (baseline == centroid_baseline::linear_endpoints) {
            double glo = 0, ghi = 0;
            for (std::size_t k = 0; k < m; ++k) {
                const double t = (E[idx[k]] - e0) / (e1 - e0);
                const double dk = w[k] * (E[idx[k]] - r.center) / D;
                glo -= dk * (1.0 - t);
                ghi -= dk * t;
            }
            g.front() += glo;
            g.back() += ghi;
        }
        // (The minimum baseline's dependence on one point is ignored: it is not differentiable.)
        double var = 0;
        for (std::size_t k = 0; k < m; ++k) var += g[k] * g[k] * sigma[idx[k]] * sigma[idx[k]];
        r.center_err = std::sqrt(var);
    }
    return r;
}

}  // namespace materia
