// materia/thermo/eos.hpp — third-order Birch–Murnaghan equation of state: P(V), E(V), V(P),
// Eulerian strain / normalised stress, and least-squares fits of P–V data.
//
// Entry points
//   birch_murnaghan_pressure(V, V0, B0, B0p)       P = (3B0/2)(x^{−7/3} − x^{−5/3})[1 + ¾(B0′ − 4)(x^{−2/3} − 1)]
//   birch_murnaghan_energy(V, E0, V0, B0, B0p)     E0 + (9V0B0/16){[x^{−2/3}−1]³B0′ + [x^{−2/3}−1]²[6 − 4x^{−2/3}]}
//   birch_murnaghan_volume(P, V0, B0, B0p)         V(P) by safeguarded Newton (monotone for B0 > 0, B0′ > 0)
//   eulerian_strain(V, V0), normalized_stress(P, V, V0)   the F–f plot (F = P/[3f(1+2f)^{5/2}])
//   fit_birch_murnaghan(V, P, sigma_P = {}, options)      (V0, B0, B0′) with errors; 2nd order option
//
// x = V/V0.  Units are the caller's: P and B0 in the same unit (e.g. GPa), V and V0 in the same
// unit (Å³ or cm³/mol); B0′ is dimensionless; the energy form needs V0·B0 in energy units (e.g.
// Å³·GPa → divide by 160.21766 for eV).  The fit treats P as the variable carrying the error
// (residual (P_model(V) − P)/σ_P): appropriate when the volumes come from diffraction at known
// pressure gauges only if σ_P dominates — otherwise convert σ_V to σ_P via dP/dV (EosFit7 does
// "effective variance"; not done here).  Ref: F. Birch, Phys. Rev. 71, 809 (1947); R. J. Angel,
// J. Gonzalez-Platas & M. Alvaro, Z. Kristallogr. 229, 405 (2014) (EosFit7).
#pragma once

#include <materia/core/error.hpp>
#include <materia/numerics/least_squares.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace materia {

/// BM3 pressure at volume V (same unit as B0).  \throws materia::invalid_argument for V, V0 ≤ 0.
[[nodiscard]] inline double birch_murnaghan_pressure(double V, double V0, double B0, double B0p) {
    if (!(V > 0) || !(V0 > 0))
        throw_invalid("birch_murnaghan_pressure: volumes must be > 0 (got V=", V, ", V0=", V0, ")");
    const double x23 = std::cbrt(V0 / V) * std::cbrt(V0 / V);  // x^{−2/3}
    const double xm53 = x23 * (V0 / V);                          // x^{−5/3}
    const double xm73 = xm53 * x23;                              // x^{−7/3}
    return 1.5 * B0 * (xm73 - xm53) * (1.0 + 0.75 * (B0p - 4.0) * (x23 - 1.0));
}

/// BM3 energy E(V) = E0 + (9V0B0/16){[x^{−2/3}−1]³B0′ + [x^{−2/3}−1]²[6 − 4x^{−2/3}]}.
[[nodiscard]] inline double birch_murnaghan_energy(double V, double E0, double V0, double B0, double B0p) {
    if (!(V > 0) || !(V0 > 0))
        throw_invalid("birch_murnaghan_energy: volumes must be > 0 (got V=", V, ", V0=", V0, ")");
    const double x23 = std::cbrt(V0 / V) * std::cbrt(V0 / V);
    const double e = x23 - 1.0;
    return E0 + 9.0 * V0 * B0 / 16.0 * (e * e * e * B0p + e * e * (6.0 - 4.0 * x23));
}

/// Eulerian finite strain f = ½[(V0/V)^{2/3} − 1].
[[nodiscard]] inline double eulerian_strain(double V, double V0) {
    if (!(V > 0) || !(V0 > 0)) throw_invalid("eulerian_strain: volumes must be > 0 (got V=", V, ", V0=", V0, ")");
    return 0.5 * (std::cbrt(V0 / V) * std::cbrt(V0 / V) - 1.0);
}

/// Normalised stress F = P/[3f(1 + 2f)^{5/2}]; for BM3, F = B0 + (3/2)B0(B0′ − 4) f exactly, so the
/// F–f plot diagnoses B0′ (flat → B0′ = 4).  \throws materia::invalid_argument when f = 0.
[[nodiscard]] inline double normalized_stress(double P, double V, double V0) {
    const double f = eulerian_strain(V, V0);
    if (f == 0) throw_invalid("normalized_stress: undefined at V = V0 (f = 0)");
    return P / (3.0 * f * std::pow(1.0 + 2.0 * f, 2.5));
}

/// Volume at pressure P from BM3 (safeguarded Newton + bisection on [V_lo, V_hi] bracketing).
/// \throws materia::invalid_argument for V0 ≤ 0, B0 ≤ 0; materia::domain_error if no root is found
///         in (0.05 V0, 3 V0) (e.g. a tension beyond the spinodal).
[[nodiscard]] inline double birch_murnaghan_volume(double P, double V0, double B0, double B0p) {
    if (!(V0 > 0) || !(B0 > 0))
        throw_invalid("birch_murnaghan_volume: need V0 > 0 and B0 > 0 (got V0=", V0, ", B0=", B0, ")");
    if (P == 0) return V0;
    auto g = [&](double V) { return birch_murnaghan_pressure(V, V0, B0, B0p) - P; };
    // P decreases with V on the physical branch: bracket on the correct side of V0.
    const double lo0 = P > 0 ? 0.05 * V0 : V0, hi0 = P > 0 ? V0 : 3.0 * V0;
    double lo = lo0, hi = hi0;
    if (!(g(lo) > 0 && g(hi) < 0))
        throw_domain("birch_murnaghan_volume: no volume in (0.05 V0, 3 V0) gives P=", P, " (B0=", B0, ", B0'=", B0p, ")");
    double V = V0 * (1.0 - P / (B0 + std::max(B0p, 1.0) * std::abs(P)));  // Murnaghan-like start
    V = std::clamp(V, lo, hi);
    for (int it = 0; it < 200; ++it) {
        const double gv = g(V);
        if (gv == 0) return V;
        if (gv > 0) lo = V;
        else hi = V;
        const double h = 1e-7 * V;
        const double d = (g(V + h) - g(V - h)) / (2 * h);
        double Vn = V - gv / d;
        if (!(Vn > lo && Vn < hi) || !std::isfinite(Vn)) Vn = 0.5 * (lo + hi);
        if (std::abs(Vn - V) <= 1e-15 * V) return Vn;
        V = Vn;
    }
    return V;
}

/// Options of fit_birch_murnaghan.
struct bm_fit_options {
    bool second_order = false;     ///< fix B0′ = 4 (BM2)
    bool absolute_sigma = false;   ///< σ_P absolute (else errors scaled by χ²/(n − k))
    lsq_options lsq = {};          ///< engine options (bounds/log_scale are set by the fitter)
};

/// Result of a Birch–Murnaghan fit.
struct bm_fit_result {
    double V0 = 0, V0_err = 0;    ///< volume unit of the input
    double B0 = 0, B0_err = 0;    ///< pressure unit of the input
    double B0p = 0, B0p_err = 0;  ///< dimensionless (error 0 for BM2)
    fit_result fit;               ///< params [V0, B0, B0′]
};

/// Least-squares BM3 (or BM2) fit of P(V) data, residuals (P_model − P)/σ_P.  Starting values:
/// V0 from a straight-line extrapolation of the three lowest-pressure points to P = 0, B0 from its
/// slope (B0 = −V dP/dV), B0′ = 4; V0 and B0 are log-parameterised (positive).
/// \throws materia::invalid_argument for mismatched lengths, non-finite data, V ≤ 0, σ ≤ 0, or
///         fewer than 4 points (3 for BM2).
[[nodiscard]] inline bm_fit_result fit_birch_murnaghan(std::span<const double> V, std::span<const double> P,
                                                       std::span<const double> sigma_P = {},
                                                       const bm_fit_options& options = {}) {
    detail::check_xy_sigma("fit_birch_murnaghan", V, P, sigma_P);
    const std::size_t n = V.size();
    const std::size_t need = options.second_order ? 3 : 4;
    if (n < need) throw_invalid("fit_birch_murnaghan: too few points (got ", n, ", need >= ", need, ")");
    for (std::size_t i = 0; i < n; ++i)
        if (!(V[i] > 0)) throw_invalid("fit_birch_murnaghan: volumes must be > 0 (got V=", V[i], " at point ", i, ")");
    // Starting values from the lowest-pressure points.
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return P[a] < P[b]; });
    const std::size_t m = std::min<std::size_t>(3, n);
    double sv = 0, sp = 0, svv = 0, svp = 0;
    for (std::size_t k = 0; k < m; ++k) {
        const double v = V[order[k]], p = P[order[k]];
        sv += v;
        sp += p;
        svv += v * v;
        svp += v * p;
    }
    const double md = static_cast<double>(m);
    double slope = (md * svp - sv * sp) / (md * svv - sv * sv);
    if (!(slope < 0) || !std::isfinite(slope)) {  // fall back to the overall extremes
        const std::size_t a = order.front(), b = order.back();
        slope = (P[b] - P[a]) / (V[b] - V[a]);
    }
    if (!(slope < 0) || !std::isfinite(slope))
        throw_invalid("fit_birch_murnaghan: pressure does not decrease with volume; cannot start the fit");
    const double vm = sv / md, pm = sp / md;
    double V0 = vm - pm / slope;  // P = 0
    if (!(V0 > 0)) V0 = *std::max_element(V.begin(), V.end());
    double B0 = -V0 * slope;
    Eigen::VectorXd p0(3);
    p0 << V0, B0, 4.0;
    auto f = [&](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
        for (std::size_t i = 0; i < n; ++i)
            r[static_cast<Eigen::Index>(i)] =
                (birch_murnaghan_pressure(V[i], p[0], p[1], p[2]) - P[i]) / (sigma_P.empty() ? 1.0 : sigma_P[i]);
    };
    // Analytic Jacobian: with y = (V0/V)^{2/3}, P = 1.5 B0 (y^{7/2} − y^{5/2})(1 + 0.75(B0′−4)(y−1)).
    auto jac = [&](const Eigen::VectorXd& p, Eigen::MatrixXd& J) {
        for (std::size_t i = 0; i < n; ++i) {
            const auto ii = static_cast<Eigen::Index>(i);
            const double s = sigma_P.empty() ? 1.0 : sigma_P[i];
            const double y = std::cbrt(p[0] / V[i]) * std::cbrt(p[0] / V[i]);
            const double y52 = y * y * std::sqrt(y), y72 = y52 * y;
            const double a = y72 - y52, c = 1.0 + 0.75 * (p[2] - 4.0) * (y - 1.0);
            const double da_dy = 3.5 * y52 - 2.5 * y52 / y;  // (7/2) y^{5/2} − (5/2) y^{3/2}
            const double dc_dy = 0.75 * (p[2] - 4.0);
            const double dy_dV0 = (2.0 / 3.0) * y / p[0];
            J(ii, 0) = 1.5 * p[1] * (da_dy * c + a * dc_dy) * dy_dV0 / s;
            J(ii, 1) = 1.5 * a * c / s;
            J(ii, 2) = 1.5 * p[1] * a * 0.75 * (y - 1.0) / s;
        }
    };
    lsq_options o = options.lsq;
    o.absolute_sigma = options.absolute_sigma;
    const double inf = std::numeric_limits<double>::infinity();
    o.log_scale = {true, true, false};
    o.lower = {0.0, 0.0, options.second_order ? 4.0 : -inf};
    o.upper = {inf, inf, options.second_order ? 4.0 : inf};
    bm_fit_result res;
    res.fit = least_squares(f, jac, p0, n, o);
    res.V0 = res.fit.params[0];
    res.V0_err = res.fit.stderrs[0];
    res.B0 = res.fit.params[1];
    res.B0_err = res.fit.stderrs[1];
    res.B0p = res.fit.params[2];
    res.B0p_err = res.fit.stderrs[2];
    return res;
}

}  // namespace materia
