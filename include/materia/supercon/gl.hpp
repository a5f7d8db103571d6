// materia/supercon/gl.hpp — empirical Ginzburg–Landau-type Hc2(T) fits and the GL coherence length.
//
// Entry points
//   gl_model::ginzburg_landau   Hc2(T) = Hc2(0)·(1 − t²)/(1 + t²)
//   gl_model::parabolic         Hc2(T) = Hc2(0)·(1 − t²)
//   gl_hc2(T, tc, hc2_zero, model)            evaluate the model (0 above Tc)
//   fit_gl(T, H, sigma, model, options) → gl_fit_result {tc, hc2_zero, slope_at_tc, fit}
//   gl_coherence_length_nm(hc2_tesla)          ξ_GL(0) = √(Φ0/(2π μ0Hc2(0))) in nm
//   gl_coherence_length_nm(value_with_error)   with σ_ξ = ½ ξ σ_H/H
//
// Conventions that are easy to mix up (SCIENCE.md §6.1): these fits carry their OWN Hc2(0).  For
// the GL form dHc2/dT|Tc = −Hc2(0)/Tc, i.e. Hc2(0) = Tc·|dHc2/dT|Tc| (factor 1, not WHH's 0.693);
// for the parabolic form the slope is −2Hc2(0)/Tc (factor ½).  Quoting 0.693·Tc·|slope| after a GL
// fit mixes two models; fit_gl returns the model's own Hc2(0) and its slope at Tc, never 0.693.
// Ref: GL form e.g. J. A. Woollam et al., Phys. Rev. Lett. 32, 712 (1974); M. Tinkham,
//      Introduction to Superconductivity, 2nd ed. (1996), §4.6 (ξ and Hc2 = Φ0/(2πξ²)).
#pragma once

#include <materia/core/error.hpp>
#include <materia/numerics/least_squares.hpp>
#include <materia/supercon/hc2_slope.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <span>

namespace materia {

/// Empirical Hc2(T) forms with their own Hc2(0).
enum class gl_model {
    ginzburg_landau,  ///< Hc2(0)(1 − t²)/(1 + t²); slope at Tc = −Hc2(0)/Tc
    parabolic         ///< Hc2(0)(1 − t²); slope at Tc = −2Hc2(0)/Tc
};

namespace detail {
/// Shape f(t) and df/dt of the empirical models (analytic continuation for t > 1, used only inside
/// the fit so the cost stays smooth).
inline void gl_shape(gl_model m, double t, double& f, double& dfdt) {
    const double t2 = t * t;
    if (m == gl_model::parabolic) {
        f = 1.0 - t2;
        dfdt = -2.0 * t;
    } else {
        f = (1.0 - t2) / (1.0 + t2);
        dfdt = -4.0 * t / ((1.0 + t2) * (1.0 + t2));
    }
}
}  // namespace detail

/// Evaluate the empirical model Hc2(T) (0 for T ≥ Tc).
/// \throws materia::invalid_argument for Tc ≤ 0, T < 0 or non-finite input
[[nodiscard]] inline double gl_hc2(double T, double tc, double hc2_zero, gl_model model = gl_model::ginzburg_landau) {
    if (!(tc > 0) || !std::isfinite(tc)) throw_invalid("gl_hc2: Tc must be finite and > 0 K (got ", tc, ")");
    if (!(T >= 0) || !std::isfinite(T)) throw_invalid("gl_hc2: T must be finite and >= 0 K (got ", T, ")");
    if (T >= tc) return 0.0;
    double f = 0, d = 0;
    detail::gl_shape(model, T / tc, f, d);
    return hc2_zero * f;
}

/// Options of fit_gl.
struct gl_fit_options {
    bool absolute_sigma = false;  ///< σ are absolute standard deviations
    double tc_start = std::numeric_limits<double>::quiet_NaN();  ///< K; NaN → linear fit near Tc
};

/// Result of fit_gl: the model's own Hc2(0) (factor 1 for GL, ½ for parabolic against Tc·|slope|).
struct gl_fit_result {
    gl_model model = gl_model::ginzburg_landau;
    value_with_error tc;           ///< K
    value_with_error hc2_zero;     ///< field unit of the input
    value_with_error slope_at_tc;  ///< dHc2/dT at Tc implied by the model (negative)
    fit_result fit;                ///< raw LM result (params: Tc, Hc2(0))
};

/// Fit Hc2(T) = Hc2(0)·f(T/Tc) (GL or parabolic) to all points by Levenberg–Marquardt with an
/// analytic Jacobian; starting values from the straight-line fit near Tc (hc2_slope.hpp).
/// \param T      temperatures (K) > 0;  \param H  fields ≥ 0;  \param sigma  σ_H > 0 or empty
/// \throws materia::invalid_argument for < 2 points, length mismatch, NaN, T ≤ 0, H < 0, σ ≤ 0
[[nodiscard]] inline gl_fit_result fit_gl(std::span<const double> T, std::span<const double> H,
                                          std::span<const double> sigma = {},
                                          gl_model model = gl_model::ginzburg_landau,
                                          const gl_fit_options& options = {}) {
    constexpr const char* fn = "fit_gl";
    detail::check_hc2_points(fn, T, H, sigma, 2);
    const hc2_slope_result lin = hc2_slope_at_tc(T, H, sigma);
    const double tc0 = std::isnan(options.tc_start) ? lin.tc.value : options.tc_start;
    if (!(tc0 > 0)) throw_invalid(fn, ": starting Tc must be > 0 K (got ", tc0, ")");
    const double factor = model == gl_model::parabolic ? 0.5 : 1.0;
    const double h00 = factor * tc0 * std::abs(lin.slope.value);
    const std::size_t n = T.size();
    auto wgt = [&sigma](std::size_t i) { return sigma.empty() ? 1.0 : 1.0 / sigma[i]; };
    auto resid = [&](const Eigen::VectorXd& q, Eigen::VectorXd& r) {
        for (std::size_t i = 0; i < n; ++i) {
            double f = 0, d = 0;
            detail::gl_shape(model, T[i] / q[0], f, d);
            r[static_cast<Eigen::Index>(i)] = (q[1] * f - H[i]) * wgt(i);
        }
    };
    auto jac = [&](const Eigen::VectorXd& q, Eigen::MatrixXd& J) {
        for (std::size_t i = 0; i < n; ++i) {
            const double t = T[i] / q[0];
            double f = 0, d = 0;
            detail::gl_shape(model, t, f, d);
            const auto ii = static_cast<Eigen::Index>(i);
            J(ii, 0) = q[1] * d * (-t / q[0]) * wgt(i);  // ∂/∂Tc: dt/dTc = −T/Tc²
            J(ii, 1) = f * wgt(i);
        }
    };
    Eigen::VectorXd p0(2);
    p0 << tc0, h00;
    lsq_options lo;
    lo.absolute_sigma = options.absolute_sigma;
    lo.lower = {1e-9 * tc0, 0.0};
    lo.upper = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
    gl_fit_result out;
    out.model = model;
    out.fit = least_squares(resid, jac, p0, n, lo);
    const Eigen::VectorXd& q = out.fit.params;
    const Eigen::VectorXd& e = out.fit.stderrs;
    out.tc = {q[0], e[0]};
    out.hc2_zero = {q[1], e[1]};
    // slope = −H0/(factor·Tc): propagate with the fit covariance.
    const double s = -q[1] / (factor * q[0]);
    const double g0 = q[1] / (factor * q[0] * q[0]), g1 = -1.0 / (factor * q[0]);
    const Eigen::MatrixXd& C = out.fit.covariance;
    const double var = g0 * g0 * C(0, 0) + 2.0 * g0 * g1 * C(0, 1) + g1 * g1 * C(1, 1);
    out.slope_at_tc = {s, std::isfinite(var) ? std::sqrt(std::max(var, 0.0)) : std::numeric_limits<double>::quiet_NaN()};
    return out;
}

/// Magnetic flux quantum Φ0 = h/(2e) in Wb (exact in the 2019 SI).
inline constexpr double flux_quantum_Wb = 2.067833848461929e-15;

/// Ginzburg–Landau coherence length ξ_GL(0) = √(Φ0/(2π μ0Hc2(0))) in nanometres.
/// μ0Hc2 = 0.1, 1, 10, 50 T → 57.368, 18.141, 5.737, 2.566 nm (SCIENCE.md §6.1).
/// \param hc2_tesla  μ0Hc2(0) in tesla, > 0
/// \throws materia::invalid_argument for a non-positive or non-finite field
[[nodiscard]] inline double gl_coherence_length_nm(double hc2_tesla) {
    if (!(hc2_tesla > 0) || !std::isfinite(hc2_tesla))
        throw_invalid("gl_coherence_length_nm: mu0*Hc2(0) must be finite and > 0 T (got ", hc2_tesla, ")");
    return 1e9 * std::sqrt(flux_quantum_Wb / (2.0 * std::numbers::pi * hc2_tesla));
}

/// ξ_GL(0) with the field error propagated: σ_ξ = ½·ξ·σ_H/H.
[[nodiscard]] inline value_with_error gl_coherence_length_nm(const value_with_error& hc2_tesla) {
    const double xi = gl_coherence_length_nm(hc2_tesla.value);
    return {xi, 0.5 * xi * hc2_tesla.error / hc2_tesla.value};
}

}  // namespace materia
