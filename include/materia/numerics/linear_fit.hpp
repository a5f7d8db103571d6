// materia/numerics/linear_fit.hpp — straight-line fits with uncertainties.
//
// Entry points
//   linear_fit(x, y, sigma_y = {}, absolute_sigma = false)   weighted least squares y = a + b x
//   york_fit(x, y, sigma_x, sigma_y, r_xy = {})              errors in both x and y (York 2004)
//
// linear_fit minimises Σ w_i (y_i − a − b x_i)², w_i = 1/σ_i² (1 without σ), in closed form with
// centred sums (no cancellation for large x offsets).  Cov(a, b) is (XᵀWX)⁻¹, multiplied by
// s² = χ²/(n − 2) unless absolute_sigma (the scipy curve_fit / numpy polyfit(cov=True) conventions).
// york_fit is the general errors-in-both-variables line of York, Evensen, Martínez & De Basabe Delgado,
// Am. J. Phys. 72, 367 (2004), including correlated x/y errors; its standard errors are the
// absolute ones of that paper (σ are taken as true standard deviations).  Use it for, e.g., the
// E_c vs d(O···O) correlation of the oxide-glass paper where both axes carry error.
#pragma once

#include <materia/core/error.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace materia {

/// A fitted straight line y = intercept + slope·x with its uncertainties.
struct line_fit_result {
    double intercept = 0, slope = 0;
    double intercept_err = 0, slope_err = 0;  ///< standard errors
    double covariance = 0;                    ///< Cov(intercept, slope)
    double chi2 = 0;                          ///< Σ w (y − a − b x)² (York: the S of the paper)
    double chi2_red = 0;                      ///< χ²/(n − 2); NaN for n = 2
    double r_squared = 0;                     ///< weighted coefficient of determination (linear_fit only)
    std::size_t n = 0;
    int iterations = 0;        ///< York iterations (0 for linear_fit)
    bool converged = true;     ///< York iteration converged
};

namespace detail {
inline void check_line_input(const char* fn, std::span<const double> x, std::span<const double> y) {
    if (x.size() != y.size()) throw_invalid(fn, ": x and y differ in length (got ", x.size(), " and ", y.size(), ")");
    if (x.size() < 2) throw_invalid(fn, ": need at least 2 points (got ", x.size(), ")");
    for (std::size_t i = 0; i < x.size(); ++i)
        if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
            throw_invalid(fn, ": point ", i, " is not finite (got x=", x[i], ", y=", y[i], ")");
}
inline void check_sigma(const char* fn, const char* name, std::span<const double> s, std::size_t n) {
    if (s.size() != n) throw_invalid(fn, ": ", name, " must have one entry per point (got ", s.size(), " for ", n, ")");
    for (std::size_t i = 0; i < n; ++i)
        if (!(s[i] > 0) || !std::isfinite(s[i])) throw_invalid(fn, ": ", name, "[", i, "] must be finite and > 0 (got ", s[i], ")");
}
}  // namespace detail

/// Weighted least-squares line y = a + b x (see the file comment for the covariance convention).
/// \throws materia::invalid_argument for fewer than 2 points, non-finite data, σ ≤ 0, or all x equal.
/// Ref: Bevington & Robinson, Data Reduction and Error Analysis, 3rd ed., §6.3.
[[nodiscard]] inline line_fit_result linear_fit(std::span<const double> x, std::span<const double> y,
                                                std::span<const double> sigma_y = {}, bool absolute_sigma = false) {
    detail::check_line_input("linear_fit", x, y);
    const std::size_t n = x.size();
    if (!sigma_y.empty()) detail::check_sigma("linear_fit", "sigma_y", sigma_y, n);
    auto w = [&](std::size_t i) { return sigma_y.empty() ? 1.0 : 1.0 / (sigma_y[i] * sigma_y[i]); };
    double sw = 0, swx = 0, swy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sw += w(i);
        swx += w(i) * x[i];
        swy += w(i) * y[i];
    }
    const double xm = swx / sw, ym = swy / sw;
    double sxx = 0, sxy = 0, syy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double dx = x[i] - xm, dy = y[i] - ym;
        sxx += w(i) * dx * dx;
        sxy += w(i) * dx * dy;
        syy += w(i) * dy * dy;
    }
    if (!(sxx > 0)) throw_invalid("linear_fit: all x values are equal (got x=", x[0], "); the slope is undefined");
    line_fit_result r;
    r.n = n;
    r.slope = sxy / sxx;
    r.intercept = ym - r.slope * xm;
    double chi2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double e = y[i] - r.intercept - r.slope * x[i];
        chi2 += w(i) * e * e;
    }
    r.chi2 = chi2;
    r.chi2_red = n > 2 ? chi2 / static_cast<double>(n - 2) : std::numeric_limits<double>::quiet_NaN();
    r.r_squared = syy > 0 ? 1.0 - chi2 / syy : 1.0;
    double vb = 1.0 / sxx, va = 1.0 / sw + xm * xm / sxx, cab = -xm / sxx;
    if (!absolute_sigma) {
        const double s2 = n > 2 ? r.chi2_red : std::numeric_limits<double>::infinity();
        vb *= s2;
        va *= s2;
        cab *= s2;
    }
    r.slope_err = std::sqrt(vb);
    r.intercept_err = std::sqrt(va);
    r.covariance = cab;
    return r;
}

/// Errors-in-both-variables straight line (York et al. 2004): σx_i, σy_i > 0 per point and an
/// optional per-point x/y error correlation r_i ∈ (−1, 1).  Iterates the slope to relative `tol`.
/// \throws materia::invalid_argument for mismatched lengths, σ ≤ 0, |r| ≥ 1, fewer than 2 points.
/// Ref: D. York et al., Am. J. Phys. 72, 367 (2004), Section III (the 11-step algorithm).
[[nodiscard]] inline line_fit_result york_fit(std::span<const double> x, std::span<const double> y,
                                              std::span<const double> sigma_x, std::span<const double> sigma_y,
                                              std::span<const double> r_xy = {}, double tol = 1e-15,
                                              int max_iterations = 1000) {
    detail::check_line_input("york_fit", x, y);
    const std::size_t n = x.size();
    detail::check_sigma("york_fit", "sigma_x", sigma_x, n);
    detail::check_sigma("york_fit", "sigma_y", sigma_y, n);
    if (!r_xy.empty()) {
        if (r_xy.size() != n) throw_invalid("york_fit: r_xy must be empty or one per point (got ", r_xy.size(), ")");
        for (std::size_t i = 0; i < n; ++i)
            if (!(std::abs(r_xy[i]) < 1)) throw_invalid("york_fit: r_xy[", i, "] must be in (-1, 1) (got ", r_xy[i], ")");
    }
    // Step 1: OLS slope as the start.
    const line_fit_result ols = linear_fit(x, y);
    double b = ols.slope;
    line_fit_result r;
    r.n = n;
    r.converged = false;
    double xbar = 0, ybar = 0, sumW = 0;
    auto weights = [&](std::size_t i, double bb) {
        const double wx = 1.0 / (sigma_x[i] * sigma_x[i]), wy = 1.0 / (sigma_y[i] * sigma_y[i]);
        const double ri = r_xy.empty() ? 0.0 : r_xy[i];
        const double alpha = std::sqrt(wx * wy);
        return wx * wy / (wx + bb * bb * wy - 2.0 * bb * ri * alpha);
    };
    for (int it = 1; it <= max_iterations; ++it) {
        sumW = 0;
        xbar = 0;
        ybar = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double W = weights(i, b);
            sumW += W;
            xbar += W * x[i];
            ybar += W * y[i];
        }
        xbar /= sumW;
        ybar /= sumW;
        double num = 0, den = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double wx = 1.0 / (sigma_x[i] * sigma_x[i]), wy = 1.0 / (sigma_y[i] * sigma_y[i]);
            const double ri = r_xy.empty() ? 0.0 : r_xy[i];
            const double alpha = std::sqrt(wx * wy);
            const double W = weights(i, b);
            const double U = x[i] - xbar, V = y[i] - ybar;
            const double beta = W * (U / wy + b * V / wx - (b * U + V) * ri / alpha);
            num += W * beta * V;
            den += W * beta * U;
        }
        const double bn = num / den;
        r.iterations = it;
        const bool done = std::abs(bn - b) <= tol * std::abs(bn) + 1e-300;
        b = bn;
        if (done) {
            r.converged = true;
            break;
        }
    }
    // Steps 7–10: intercept, adjusted points, errors.
    sumW = 0;
    xbar = 0;
    ybar = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double W = weights(i, b);
        sumW += W;
        xbar += W * x[i];
        ybar += W * y[i];
    }
    xbar /= sumW;
    ybar /= sumW;
    const double a = ybar - b * xbar;
    double xsm = 0;
    std::vector<double> xs(n), Ws(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double wx = 1.0 / (sigma_x[i] * sigma_x[i]), wy = 1.0 / (sigma_y[i] * sigma_y[i]);
        const double ri = r_xy.empty() ? 0.0 : r_xy[i];
        const double alpha = std::sqrt(wx * wy);
        const double W = weights(i, b);
        const double U = x[i] - xbar, V = y[i] - ybar;
        const double beta = W * (U / wy + b * V / wx - (b * U + V) * ri / alpha);
        xs[i] = xbar + beta;
        Ws[i] = W;
        xsm += W * xs[i];
    }
    xsm /= sumW;
    double su = 0, S = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double u = xs[i] - xsm;
        su += Ws[i] * u * u;
        const double e = y[i] - b * x[i] - a;
        S += Ws[i] * e * e;
    }
    r.slope = b;
    r.intercept = a;
    r.slope_err = std::sqrt(1.0 / su);
    r.intercept_err = std::sqrt(1.0 / sumW + xsm * xsm / su);
    r.covariance = -xsm / su;
    r.chi2 = S;
    r.chi2_red = n > 2 ? S / static_cast<double>(n - 2) : std::numeric_limits<double>::quiet_NaN();
    r.r_squared = std::numeric_limits<double>::quiet_NaN();
    return r;
}

}  // namespace materia
