// materia/numerics/broken_line.hpp — two-regime ("broken-line", segmented) regression with a
// breakpoint estimate and its uncertainty.
//
// Entry points
//   fit_broken_line(x, y, sigma = {}, options)   continuous hinge or discontinuous two-line model
//
// Continuous hinge (default):  y = a + b·x + c·(x − x_b)₊   (slopes b below x_b, b + c above).
// For a fixed x_b the model is linear in (a, b, c), so the breakpoint is found by PROFILE least
// squares: RSS(x_b) is minimised exactly in closed form for every x_b, scanned over every interval
// between consecutive distinct x (golden section inside each interval, endpoints included).  That
// gives the global optimum with no starting value.  Then Levenberg–Marquardt on (a, b, c, x_b)
// with the analytic Jacobian (∂/∂x_b = −c·1[x > x_b]) from that optimum gives the covariance:
// the breakpoint error is the delta-method one of Muggeo (Stat. Med. 22, 3055 (2003); R `segmented`).
// Discontinuous model: independent lines on both sides of a split between two data points; the
// breakpoint is only known to lie in that interval (reported as its midpoint with half-width error).
// Both report the F-test against a single straight line (approximate for the hinge, see Davies 1987).
// SCIENCE.md §7: the Sb₂Se₃ S(q) peak position changes slope at 15.7 GPa.
#pragma once

#include <materia/core/error.hpp>
#include <materia/numerics/f_test.hpp>
#include <materia/numerics/least_squares.hpp>
#include <materia/numerics/linear_fit.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <span>
#include <vector>

namespace materia {

/// Which two-regime model to fit.
enum class broken_line_model { continuous, discontinuous };

/// Options of fit_broken_line.
struct broken_line_options {
    broken_line_model model = broken_line_model::continuous;
    std::size_t min_segment_points = 2;  ///< data points required on each side of the breakpoint
    bool absolute_sigma = false;         ///< σ are absolute (else errors scaled by χ²/(n − k))
};

/// Result of a two-regime fit.  Slopes in y-units per x-unit.
struct broken_line_result {
    double breakpoint = 0, breakpoint_err = 0;  ///< x_b
    double intercept1 = 0, intercept1_err = 0;  ///< a of the first line (y at x = 0)
    double slope1 = 0, slope1_err = 0;          ///< below x_b
    double intercept2 = 0, intercept2_err = 0;  ///< of the second line
    double slope2 = 0, slope2_err = 0;          ///< above x_b
    double y_at_breakpoint = 0;                 ///< continuous model: a + b x_b
    double chi2 = 0, chi2_red = 0, aic = 0, bic = 0;
    double chi2_single_line = 0;                ///< χ² of one straight line
    f_test_result vs_single_line{};             ///< broken line (4 parameters) vs a line (2)
    fit_result fit;                             ///< continuous: LM result, params [a, b, c, x_b]
    std::size_t n = 0;
};

namespace detail {
/// Weighted χ² of the hinge for a fixed breakpoint (closed-form linear solve); coef = (a, b, c).
inline double hinge_profile(std::span<const double> x, std::span<const double> y, std::span<const double> w,
                            double xb, Eigen::Vector3d& coef) {
    Eigen::Matrix3d A = Eigen::Matrix3d::Zero();
    Eigen::Vector3d rhs = Eigen::Vector3d::Zero();
    double yy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const Eigen::Vector3d f(1.0, x[i], std::max(x[i] - xb, 0.0));
        A += w[i] * f * f.transpose();
        rhs += w[i] * y[i] * f;
        yy += w[i] * y[i] * y[i];
    }
    Eigen::LDLT<Eigen::Matrix3d> ldlt(A);
    if (ldlt.info() != Eigen::Success || !ldlt.isPositive()) return std::numeric_limits<double>::infinity();
    coef = ldlt.solve(rhs);
    double c2 = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double e = y[i] - coef[0] - coef[1] * x[i] - coef[2] * std::max(x[i] - xb, 0.0);
        c2 += w[i] * e * e;
    }
    (void)yy;
    return c2;
}
}  // namespace detail

/// Fit a two-regime line (see the file comment).  σ empty → unit weights.
/// \throws materia::invalid_argument for mismatched lengths, non-finite data, σ ≤ 0, or fewer than
///         2·min_segment_points (and at least 5) points / too few distinct x for a breakpoint.
[[nodiscard]] inline broken_line_result fit_broken_line(std::span<const double> x_in, std::span<const double> y_in,
                                                        std::span<const double> sigma = {},
                                                        const broken_line_options& options = {}) {
    detail::check_xy_sigma("fit_broken_line", x_in, y_in, sigma);
    const std::size_t n = x_in.size();
    const std::size_t m = std::max<std::size_t>(options.min_segment_points, 2);
    if (n < std::max<std::size_t>(2 * m, 5))
        throw_invalid("fit_broken_line: too few points (got ", n, ", need >= ", std::max<std::size_t>(2 * m, 5), ")");
    // Sort by x.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x_in[a] < x_in[b]; });
    std::vector<double> x(n), y(n), w(n), s(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = x_in[order[i]];
        y[i] = y_in[order[i]];
        s[i] = sigma.empty() ? 1.0 : sigma[order[i]];
        w[i] = 1.0 / (s[i] * s[i]);
    }
    broken_line_result res;
    res.n = n;
    // Single line for the F-test.
    const line_fit_result line = linear_fit(x, y, sigma.empty() ? std::span<const double>{} : std::span<const double>(s));
    res.chi2_single_line = line.chi2;

    const double inf = std::numeric_limits<double>::infinity();
    if (options.model == broken_line_model::discontinuous) {
        double best = inf;
        std::size_t best_j = 0;
        line_fit_result l1{}, l2{};
        for (std::size_t j = m; j + m <= n; ++j) {  // first segment = points [0, j)
            if (x[j - 1] == x[j]) continue;
            if (x[0] == x[j - 1] || x[j] == x[n - 1]) continue;
            const std::span<const double> sx(x), sy(y), ss(s);
            const auto a = linear_fit(sx.subspan(0, j), sy.subspan(0, j),
                                      sigma.empty() ? std::span<const double>{} : ss.subspan(0, j), true);
            const auto b = linear_fit(sx.subspan(j), sy.subspan(j),
                                      sigma.empty() ? std::span<const double>{} : ss.subspan(j), true);
            if (a.chi2 + b.chi2 < best) {
                best = a.chi2 + b.chi2;
                best_j = j;
                l1 = a;
                l2 = b;
            }
        }
        if (!std::isfinite(best)) throw_invalid("fit_broken_line: no admissible split (too few distinct x values)");
        const double s2 = options.absolute_sigma ? 1.0 : best / static_cast<double>(n - 4);
        const double e = std::sqrt(s2);
        res.breakpoint = 0.5 * (x[best_j - 1] + x[best_j]);
        res.breakpoint_err = 0.5 * (x[best_j] - x[best_j - 1]);
        res.intercept1 = l1.intercept;
        res.intercept1_err = l1.intercept_err * e;
        res.slope1 = l1.slope;
        res.slope1_err = l1.slope_err * e;
        res.intercept2 = l2.intercept;
        res.intercept2_err = l2.intercept_err * e;
        res.slope2 = l2.slope;
        res.slope2_err = l2.slope_err * e;
        res.y_at_breakpoint = std::numeric_limits<double>::quiet_NaN();
        res.chi2 = best;
        res.chi2_red = best / static_cast<double>(n - 4);
        const information ic = information_criteria(best, n, 5, options.absolute_sigma);  // 4 lines + split
        res.aic = ic.aic;
        res.bic = ic.bic;
        res.vs_single_line = nested_f_test(line.chi2, 2, best, 4, n);
        return res;
    }

    // Continuous hinge: profile scan over intervals that leave >= m points on each side.
    double best = inf, best_xb = 0;
    Eigen::Vector3d coef, best_coef = Eigen::Vector3d::Zero();
    auto profile = [&](double xb) { return detail::hinge_profile(x, y, w, xb, coef); };
    const double gr = 0.5 * (std::sqrt(5.0) - 1.0);
    for (std::size_t j = m - 1; j + m < n; ++j) {  // x_b in [x_j, x_{j+1}]
        double lo = x[j], hi = x[j + 1];
        if (lo == hi) continue;
        for (double xb : {lo, hi}) {
            const double c2 = profile(xb);
            if (c2 < best) {
                best = c2;
                best_xb = xb;
                best_coef = coef;
            }
        }
        double a = lo, b = hi;
        double c = b - gr * (b - a), d = a + gr * (b - a);
        double fc = profile(c), fd = profile(d);
        for (int it = 0; it < 80 && (b - a) > 1e-13 * (std::abs(a) + std::abs(b) + 1e-300); ++it) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - gr * (b - a);
                fc = profile(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + gr * (b - a);
                fd = profile(d);
            }
        }
        const double xm = 0.5 * (a + b);
        const double c2 = profile(xm);
        if (c2 < best) {
            best = c2;
            best_xb = xm;
            best_coef = coef;
        }
    }
    if (!std::isfinite(best)) throw_invalid("fit_broken_line: no admissible breakpoint (too few distinct x values)");
    // LM on (a, b, c, x_b) from the profile optimum, for the joint covariance.
    Eigen::VectorXd p0(4);
    p0 << best_coef[0], best_coef[1], best_coef[2], best_xb;
    auto f = [&](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
        for (std::size_t i = 0; i < n; ++i)
            r[static_cast<Eigen::Index>(i)] = (p[0] + p[1] * x[i] + p[2] * std::max(x[i] - p[3], 0.0) - y[i]) / s[i];
    };
    auto jac = [&](const Eigen::VectorXd& p, Eigen::MatrixXd& J) {
        for (std::size_t i = 0; i < n; ++i) {
            const auto ii = static_cast<Eigen::Index>(i);
            const bool above = x[i] > p[3];
            J(ii, 0) = 1.0 / s[i];
            J(ii, 1) = x[i] / s[i];
            J(ii, 2) = (above ? x[i] - p[3] : 0.0) / s[i];
            J(ii, 3) = (above ? -p[2] : 0.0) / s[i];
        }
    };
    lsq_options o;
    o.absolute_sigma = options.absolute_sigma;
    o.lower = {-inf, -inf, -inf, x[m - 1]};
    o.upper = {inf, inf, inf, x[n - m]};
    res.fit = least_squares(f, jac, p0, n, o);
    const Eigen::VectorXd& p = res.fit.params;
    const Eigen::MatrixXd& C = res.fit.covariance;
    res.breakpoint = p[3];
    res.breakpoint_err = res.fit.stderrs[3];
    res.intercept1 = p[0];
    res.intercept1_err = res.fit.stderrs[0];
    res.slope1 = p[1];
    res.slope1_err = res.fit.stderrs[1];
    res.slope2 = p[1] + p[2];
    res.slope2_err = std::sqrt(std::max(C(1, 1) + C(2, 2) + 2.0 * C(1, 2), 0.0));
    res.intercept2 = p[0] - p[2] * p[3];  // a + b x + c (x − x_b) = (a − c x_b) + (b + c) x
    {
        // Plain loops: GCC 12 -O2 warns (-Wuse-after-free, a false positive) inside Eigen for g.dot(C*g).
        const double g[4] = {1.0, 0.0, -p[3], -p[2]};
        double var = 0;
        for (Eigen::Index a = 0; a < 4; ++a)
            for (Eigen::Index b = 0; b < 4; ++b)
                var += g[static_cast<std::size_t>(a)] * C(a, b) * g[static_cast<std::size_t>(b)];
        res.intercept2_err = std::sqrt(std::max(var, 0.0));
    }
    res.y_at_breakpoint = p[0] + p[1] * p[3];
    res.chi2 = res.fit.chi2;
    res.chi2_red = res.fit.chi2_red;
    res.aic = res.fit.aic;
    res.bic = res.fit.bic;
    res.vs_single_line = nested_f_test(line.chi2, 2, res.chi2, 4, n);
    return res;
}

}  // namespace materia
