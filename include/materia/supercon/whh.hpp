// materia/supercon/whh.hpp — Werthamer–Helfand–Hohenberg upper critical field: the simple 0.693 /
// 0.727 estimates, the full WHH equation with Pauli paramagnetism (Maki α) and spin–orbit
// scattering (λ_so), the whole Hc2(T) curve, detection of its multivalued region, and the fit of
// the full curve to measured Hc2(T) points.
//
// Entry points
//   whh_dirty_factor_exact, whh_dirty_factor, whh_clean_factor       0.69267…, 0.693, 0.727
//   whh_hc2_dirty(slope_fit), whh_hc2_clean(slope_fit)               −0.693/0.727·Tc·slope ± error
//   whh_residual(h_bar, t, params)                                   the WHH equation, closed form
//   whh_reduced_field(t, params)  → whh_point  {h_star, h_bar, roots, status}
//   whh_h_star(t, params)                                            h*(t), t ∈ [0, 1]
//   whh_hc2_curve(params, n)      → whh_curve  {t, h_star, h_star_zero, multivalued, t_peak, …}
//   whh_hc2(T, Tc, slope, params)                                    Hc2(T) in the unit of slope·K
//   fit_whh(T, H, sigma, options) → whh_fit_result {tc, slope, alpha, lambda_so, hc2_zero, …}
//
// Reduced variables (SCIENCE.md §6.1): t = T/Tc, h̄ = (4/π²)·Hc2/(−dHc2/dt)|_{t=1}, and the
// plotted h*(t) = Hc2(T)/(−Tc·dHc2/dT|Tc) = (π²/4)·h̄.  With Pauli and spin–orbit terms the slope at
// Tc is still the orbital one (their effect is O(h̄²)), so Hc2(T) = h*(t; α, λ_so)·(−Tc·slope).
//
// The equation (WHH 1966, Eq. 40; dirty limit):
//   ln(1/t) = Σ_ν {1/|2ν+1| − [|2ν+1| + h̄/t + (αh̄/t)²/(|2ν+1| + (h̄+λ_so)/t)]⁻¹},
// summed here in closed form with the complex digamma function (never a truncated Matsubara sum,
// which at t = 1e-4 needs ≫ 10⁵ terms):
//   ln(1/t) = (½ + iλ/(4γ))ψ(½ + (h̄+λ/2+iγ)/(2t)) + (½ − iλ/(4γ))ψ(½ + (h̄+λ/2−iγ)/(2t)) − ψ(½),
//   γ = √((αh̄)² − (λ/2)²).
// Three numerically distinct regimes (all exact, chosen for stability):
//   γ² > 0: the two terms are complex conjugates → Re ψ(z) − (λ/2γ)·Im ψ(z), z = z0 + iγ/(2t);
//   γ² < 0: γ = i·g, both terms real → (½ + λ/4g)ψ(z0 − g/2t) + (½ − λ/4g)ψ(z0 + g/2t);
//   |γ/(2t)| < 10⁻³·z0 (including γ → 0): Taylor series in γ² (analytic there),
//     ψ(z0) − (λ/4t)ψ'(z0) − ε²[ψ''(z0)/2 − (λ/4t)ψ'''(z0)/6],  ε² = γ²/(4t²),  error O((ε/z0)⁴),
// with z0 = ½ + (h̄ + λ/2)/(2t).  At t = 0 exactly the limit is used (ψ(½ + x) → ln x):
//   (½ + iλ/4γ)ln(h̄+λ/2+iγ) + (½ − iλ/4γ)ln(h̄+λ/2−iγ) + γ_E + ln 2 = 0,
// which gives h*(0) = π²e^{−γ_E}/8 = 0.6926728737… for α = λ = 0 and h*(0) = 0.69267/√(1+α²) for
// λ = 0.  Validation: SCIENCE.md §6.4 table reproduced to 1e-9 (tests/supercon/test_whh.cpp).
//
// Multivalued region.  For large α and small λ_so the solution h*(t) is no longer monotonic
// (at λ_so = 0 this starts at α = 1.000 — computed here and with mpmath: h*(0.005) − h*(0) changes
// sign at α = 1.0002; the often-quoted α ≈ 1.8 is where the low-T transition becomes first order): it peaks at some t_peak > 0 and falls towards t = 0, so that for fields between
// h*(0) and h*(t_peak) two temperatures satisfy the equation (t(h) is double-valued); the
// transition there is first order / FFLO and the second-order WHH line is not the physical Hc2.
// whh_hc2_curve reports this (multivalued, t_peak, h_star_peak) instead of hiding it, and every
// fixed-t solve counts the roots in h̄ (more than one would also be flagged).
// Ref: N. R. Werthamer, E. Helfand, P. C. Hohenberg, Phys. Rev. 147, 295 (1966);
//      E. Helfand & N. R. Werthamer, Phys. Rev. 147, 288 (1966) (clean limit 0.727);
//      K. Maki, Phys. Rev. 148, 362 (1966) (α).
#pragma once

#include <materia/core/error.hpp>
#include <materia/numerics/least_squares.hpp>
#include <materia/numerics/roots.hpp>
#include <materia/numerics/special_functions.hpp>
#include <materia/supercon/hc2_slope.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <limits>
#include <numbers>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace materia {

/// h*(0) of the dirty-limit orbital WHH equation, π² e^{−γ_E}/8 (exact; SCIENCE.md §6.1).
inline constexpr double whh_dirty_factor_exact = 0.69267287375563603674;
/// The customary rounded dirty-limit factor quoted with the WHH formula (and by `materia whh`).
inline constexpr double whh_dirty_factor = 0.693;
/// The clean-limit factor of Helfand & Werthamer (1966) [lit].
inline constexpr double whh_clean_factor = 0.727;

/// Pair-breaking parameters of the full WHH equation (both dimensionless, ≥ 0).
struct whh_parameters {
    double alpha = 0.0;      ///< Maki parameter α = √2·Hc2^orb(0)/H_P(0) (Pauli paramagnetism)
    double lambda_so = 0.0;  ///< spin–orbit scattering strength λ_so = ħ/(3πk_B Tc τ_so)
};

namespace detail {

inline void check_whh_parameters(const char* fn, const whh_parameters& p) {
    if (!std::isfinite(p.alpha) || p.alpha < 0)
        throw_invalid(fn, ": alpha must be finite and >= 0 (got alpha=", p.alpha, ")");
    if (!std::isfinite(p.lambda_so) || p.lambda_so < 0)
        throw_invalid(fn, ": lambda_so must be finite and >= 0 (got lambda_so=", p.lambda_so, ")");
}

/// Relative size of γ/(2t) against z0 below which the γ² Taylor series replaces the closed form
/// (the closed forms lose ~ε/ρ digits to cancellation as γ → 0; the series error is O(ρ⁴)).
inline constexpr double whh_series_switch = 1e-3;

}  // namespace detail

/// The WHH equation as a residual: F(h̄, t) = RHS(h̄, t) − ln(1/t), closed digamma form (see the file
/// comment).  F(0, t) = ln t < 0 for t < 1 and F → +∞ as h̄ → ∞; its zero in h̄ is Hc2.
/// At t = 0 the t → 0 limit of the equation is returned.
/// \param h_bar  reduced field h̄ ≥ 0
/// \param t      reduced temperature T/Tc in [0, 1]
/// \throws materia::invalid_argument for h_bar < 0, t outside [0, 1] or bad parameters
[[nodiscard]] inline double whh_residual(double h_bar, double t, const whh_parameters& p = {}) {
    constexpr const char* fn = "whh_residual";
    if (!(h_bar >= 0) || !std::isfinite(h_bar)) throw_invalid(fn, ": h_bar must be finite and >= 0 (got ", h_bar, ")");
    if (!(t >= 0 && t <= 1)) throw_invalid(fn, ": reduced temperature t must be in [0, 1] (got ", t, ")");
    detail::check_whh_parameters(fn, p);
    const double lam = p.lambda_so;
    const double ah = p.alpha * h_bar;
    const double gamma2 = ah * ah - 0.25 * lam * lam;
    constexpr double psi_half = -std::numbers::egamma - 2.0 * std::numbers::ln2;
    if (t == 0.0) {
        if (h_bar == 0.0) return -std::numeric_limits<double>::infinity();
        const double a = h_bar + 0.5 * lam;
        double s;
        if (std::sqrt(std::abs(gamma2)) < detail::whh_series_switch * a) {
            // Re ln(a+iγ) − (λ/2γ) arg(a+iγ) expanded in γ²: ln a + γ²/(2a²) − (λ/2)(1/a − γ²/(3a³)).
            s = std::log(a) + gamma2 / (2.0 * a * a) - 0.5 * lam * (1.0 / a - gamma2 / (3.0 * a * a * a));
        } else if (gamma2 > 0) {
            const double g = std::sqrt(gamma2);
            s = 0.5 * std::log(a * a + gamma2) - (lam / (2.0 * g)) * std::atan2(g, a);
        } else {
            const double g = std::sqrt(-gamma2);
            s = (0.5 + lam / (4.0 * g)) * std::log(a - g) + (0.5 - lam / (4.0 * g)) * std::log(a + g);
        }
        return s + std::numbers::egamma + std::numbers::ln2;
    }
    const double z0 = 0.5 + (h_bar + 0.5 * lam) / (2.0 * t);
    const double eps2 = gamma2 / (4.0 * t * t);
    double s;
    if (lam == 0.0) {
        s = (ah == 0.0) ? digamma(z0) : digamma(std::complex<double>(z0, ah / (2.0 * t))).real();
    } else if (std::sqrt(std::abs(eps2)) < detail::whh_series_switch * z0) {
        const double c = lam / (4.0 * t);
        s = digamma(z0) - c * trigamma(z0) - eps2 * (0.5 * polygamma(2, z0) - c * polygamma(3, z0) / 6.0);
    } else if (gamma2 > 0) {
        const double g = std::sqrt(gamma2);
        const std::complex<double> psi = digamma(std::complex<double>(z0, g / (2.0 * t)));
        s = psi.real() - (lam / (2.0 * g)) * psi.imag();
    } else {
        const double g = std::sqrt(-gamma2);
        const double d = g / (2.0 * t);
        s = (0.5 + lam / (4.0 * g)) * digamma(z0 - d) + (0.5 - lam / (4.0 * g)) * digamma(z0 + d);
    }
    return s - psi_half + std::log(t);
}

/// Solution of the WHH equation at one reduced temperature.
struct whh_point {
    double t = 0;           ///< reduced temperature
    double h_bar = 0;       ///< (4/π²)·Hc2/(−dHc2/dt)|₁; the LARGEST root when several exist
    double h_star = 0;      ///< (π²/4)·h̄ = Hc2/(−Tc·dHc2/dT|Tc)
    std::vector<double> roots_h_star;  ///< every root found in the scan (ascending h*)
    bool multiple_roots = false;       ///< more than one root in h̄ at this t (multivalued)
    root_status status = root_status::converged;  ///< of the final Brent refinement
    std::uintmax_t iterations = 0;     ///< residual evaluations in the refinement
};

/// Options of whh_reduced_field.
struct whh_solve_options {
    bool scan_roots = true;        ///< sample F(h̄) on a grid to find every root (else one Brent solve)
    std::size_t scan_points = 64;  ///< grid points for the scan
};

/// Solve the WHH equation at reduced temperature t for the reduced field.
///
/// The residual is bracketed on [0, h̄_hi] (h̄_hi doubled from 0.4 until F > 0), optionally scanned
/// on a grid for further sign changes (reported in roots_h_star / multiple_roots), and each root is
/// refined with Brent's method to ~1e-15 relative.  t ≥ 1 returns h* = 0 (normal state above Tc).
/// \param t  reduced temperature T/Tc ≥ 0
/// \throws materia::invalid_argument for t < 0, NaN, or bad parameters
/// Ref: Werthamer, Helfand & Hohenberg, Phys. Rev. 147, 295 (1966), Eq. (40).
[[nodiscard]] inline whh_point whh_reduced_field(double t, const whh_parameters& p = {},
                                                 const whh_solve_options& opt = {}) {
    constexpr const char* fn = "whh_reduced_field";
    if (!(t >= 0) || std::isinf(t)) throw_invalid(fn, ": reduced temperature t must be finite and >= 0 (got ", t, ")");
    detail::check_whh_parameters(fn, p);
    constexpr double to_star = std::numbers::pi * std::numbers::pi / 4.0;
    whh_point out;
    out.t = t;
    if (t >= 1.0) {
        out.roots_h_star.push_back(0.0);
        return out;
    }
    auto F = [&](double h) { return whh_residual(h, t, p); };
    double hi = 0.4;  // h̄_orb(0) = e^{−γ_E}/2 = 0.2807 bounds the physical root from above
    int guard = 0;
    while (F(hi) <= 0 && guard++ < 200) hi *= 2.0;
    if (!(F(hi) > 0)) throw_numerical(fn, ": could not bracket the root (t=", t, ", alpha=", p.alpha, ")");
    std::vector<std::pair<double, double>> brackets;
    if (opt.scan_roots && opt.scan_points >= 4) {
        // Quadratic spacing: denser near h̄ = 0, where the roots close to Tc lie.
        double prev_h = 0.0, prev_f = (t == 0.0) ? -std::numeric_limits<double>::infinity() : std::log(t);
        const std::size_t m = opt.scan_points;
        for (std::size_t k = 1; k <= m; ++k) {
            const double u = static_cast<double>(k) / static_cast<double>(m);
            const double h = hi * u * u;
            const double f = F(h);
            if ((prev_f <= 0) != (f <= 0)) brackets.emplace_back(prev_h, h);
            prev_h = h;
            prev_f = f;
        }
    }
    if (brackets.empty()) brackets.emplace_back(0.0, hi);
    root_options ro;
    ro.abs_tol = 1e-300;
    for (const auto& [a, b] : brackets) {
        const double lo = (a == 0.0 && t == 0.0) ? b * 1e-12 : a;
        const root_result r = brent_find_root(F, lo, b, ro);
        out.roots_h_star.push_back(to_star * r.root);
        out.status = r.status;
        out.iterations += r.iterations;
    }
    std::sort(out.roots_h_star.begin(), out.roots_h_star.end());
    out.multiple_roots = out.roots_h_star.size() > 1;
    out.h_star = out.roots_h_star.back();
    out.h_bar = out.h_star / to_star;
    return out;
}

/// h*(t) = Hc2(T)/(−Tc·dHc2/dT|Tc) from the full WHH equation (largest root; t ≥ 1 → 0).
/// For α = λ_so = 0: h*(0) = 0.6926728737…, h*(0.5) = 0.4505228…  \throws as whh_reduced_field
[[nodiscard]] inline double whh_h_star(double t, const whh_parameters& p = {}) {
    return whh_reduced_field(t, p).h_star;
}

/// The whole WHH curve h*(t) on a grid, with its multivalued region.
struct whh_curve {
    std::vector<double> t;       ///< reduced temperatures, ascending from 0 to 1
    std::vector<double> h_star;  ///< h*(t) (largest root at each t)
    double h_star_zero = 0;      ///< h*(0) = Hc2(0)/(−Tc·slope)
    double t_peak = 0;           ///< t where h* is largest (0 for a monotonic curve)
    double h_star_peak = 0;      ///< max h*
    bool multivalued = false;    ///< h*(t) not monotonic (t(h) double-valued for h* in (h*(0), h*_peak])
    bool multiple_roots = false; ///< some t had several roots in h̄
    std::string message;         ///< human-readable description of the multivalued region (empty if none)
};

/// Compute the WHH curve on n + 1 points t_k = k/n (n ≥ 2) and locate its maximum.
///
/// A maximum at t_peak > 0 (refined by golden-section search between grid points) marks the region
/// t < t_peak where the second-order WHH solution is multivalued in temperature (large α, small
/// λ_so; α > 1 at λ_so = 0).  Peaks below the first grid point t = 1/n are not resolved.
/// \throws materia::invalid_argument for n < 2 or bad parameters
[[nodiscard]] inline whh_curve whh_hc2_curve(const whh_parameters& p = {}, std::size_t n = 100) {
    if (n < 2) throw_invalid("whh_hc2_curve: need n >= 2 grid intervals (got ", n, ")");
    detail::check_whh_parameters("whh_hc2_curve", p);
    whh_curve c;
    c.t.resize(n + 1);
    c.h_star.resize(n + 1);
    std::size_t imax = 0;
    for (std::size_t k = 0; k <= n; ++k) {
        const double t = static_cast<double>(k) / static_cast<double>(n);
        const whh_point pt = whh_reduced_field(t, p);
        c.t[k] = t;
        c.h_star[k] = pt.h_star;
        c.multiple_roots = c.multiple_roots || pt.multiple_roots;
        if (pt.h_star > c.h_star[imax]) imax = k;
    }
    c.h_star_zero = c.h_star[0];
    c.t_peak = c.t[imax];
    c.h_star_peak = c.h_star[imax];
    if (imax > 0 && c.h_star_peak > c.h_star_zero * (1.0 + 1e-12)) {
        // Golden-section refinement of the maximum on [t_{i−1}, t_{i+1}].
        double a = c.t[imax - 1], b = c.t[std::min(imax + 1, n)];
        const double g = 0.5 * (std::sqrt(5.0) - 1.0);
        double x1 = b - g * (b - a), x2 = a + g * (b - a);
        double f1 = whh_h_star(x1, p), f2 = whh_h_star(x2, p);
        for (int it = 0; it < 80 && (b - a) > 1e-10; ++it) {
            if (f1 < f2) {
                a = x1;
                x1 = x2;
                f1 = f2;
                x2 = a + g * (b - a);
                f2 = whh_h_star(x2, p);
            } else {
                b = x2;
                x2 = x1;
                f2 = f1;
                x1 = b - g * (b - a);
                f1 = whh_h_star(x1, p);
            }
        }
        c.t_peak = 0.5 * (a + b);
        c.h_star_peak = std::max(c.h_star_peak, whh_h_star(c.t_peak, p));
        c.multivalued = true;
        c.message = detail::concat("WHH solution multivalued for t < ", c.t_peak, ": h*(t) peaks at ",
                                   c.h_star_peak, " > h*(0) = ", c.h_star_zero,
                                   " (first-order/FFLO region; alpha=", p.alpha, ", lambda_so=", p.lambda_so, ")");
    } else {
        c.t_peak = 0.0;
        c.h_star_peak = c.h_star_zero;
    }
    if (c.multiple_roots && c.message.empty())
        c.message = "WHH equation has several roots in h at some temperatures";
    return c;
}

/// Hc2(T) from the full WHH equation: h*(T/Tc; α, λ_so)·(−Tc·slope).
/// \param T      temperature (K), ≥ 0; T ≥ Tc gives 0
/// \param tc     critical temperature (K), > 0
/// \param slope  dHc2/dT at Tc (field unit per K), < 0
/// \returns Hc2 in the field unit of slope·K (tesla for T/K)
/// \throws materia::invalid_argument for non-positive tc, non-negative slope, T < 0
[[nodiscard]] inline double whh_hc2(double T, double tc, double slope, const whh_parameters& p = {}) {
    if (!(tc > 0) || !std::isfinite(tc)) throw_invalid("whh_hc2: Tc must be finite and > 0 K (got ", tc, ")");
    if (!(slope < 0) || !std::isfinite(slope)) throw_invalid("whh_hc2: slope dHc2/dT must be finite and < 0 (got ", slope, ")");
    if (!(T >= 0) || !std::isfinite(T)) throw_invalid("whh_hc2: T must be finite and >= 0 K (got ", T, ")");
    return whh_h_star(T / tc, p) * (-tc * slope);
}

/// Hc2(0) = −0.693·Tc·slope (dirty limit) with the error propagated from the slope fit.
/// \param factor  0.693 by default (whh_dirty_factor); pass whh_dirty_factor_exact for 0.69267…
[[nodiscard]] inline value_with_error whh_hc2_dirty(const hc2_slope_result& fit, double factor = whh_dirty_factor) {
    const value_with_error p = orbital_product(fit);
    return {factor * p.value, factor * p.error};
}

/// Hc2(0) = −0.727·Tc·slope (clean limit, Helfand & Werthamer 1966) with propagated error.
[[nodiscard]] inline value_with_error whh_hc2_clean(const hc2_slope_result& fit) {
    return whh_hc2_dirty(fit, whh_clean_factor);
}

/// Hc2(0) from the full WHH equation, h*(0; α, λ_so)·(−Tc·slope), with propagated error.
[[nodiscard]] inline value_with_error whh_hc2_full(const hc2_slope_result& fit, const whh_parameters& p = {}) {
    const double h0 = whh_h_star(0.0, p);
    const value_with_error prod = orbital_product(fit);
    return {h0 * prod.value, h0 * prod.error};
}

/// Which WHH parameters fit_whh varies (the others are held at their starting values).
struct whh_fit_options {
    whh_parameters start{};     ///< α, λ_so: starting values (or the fixed values)
    bool fit_alpha = false;     ///< vary α (≥ 0)
    bool fit_lambda_so = false; ///< vary λ_so (≥ 0)
    bool fit_tc = true;         ///< vary Tc (else held at tc_start)
    bool fit_slope = true;      ///< vary the slope (else held at slope_start)
    double tc_start = std::numeric_limits<double>::quiet_NaN();     ///< K; NaN → from the linear fit
    double slope_start = std::numeric_limits<double>::quiet_NaN();  ///< field/K; NaN → linear fit
    bool absolute_sigma = false;  ///< σ are absolute standard deviations
};

/// Result of fit_whh.
struct whh_fit_result {
    value_with_error tc;         ///< K
    value_with_error slope;      ///< dHc2/dT at Tc (field unit/K, negative)
    value_with_error alpha;      ///< Maki α (error 0 when fixed, NaN when fitted but ending at 0)
    value_with_error lambda_so;  ///< λ_so (error 0 when fixed, NaN when fitted but ending at 0)
    value_with_error hc2_zero;   ///< Hc2(0) = h*(0; α, λ)·(−Tc·slope), delta-method error
    fit_result fit;              ///< the raw LM result (params order: Tc, −slope, α, λ_so)
    whh_curve curve;             ///< the fitted curve in reduced units (multivalued flags)
};

/// Fit the full WHH curve Hc2(T) = h*(T/Tc; α, λ_so)·Tc·S (S = −slope) to measured points.
///
/// Levenberg–Marquardt (numerics/least_squares.hpp) on residuals (model − H_i)/σ_i with bounds
/// Tc > 0, S > 0, α ≥ 0, λ_so ≥ 0; parameters not fitted are held fixed.  Starting Tc and slope
/// come from hc2_slope_at_tc.  For T > Tc the model continues linearly, h* = 1 − t, so the cost is
/// smooth across Tc (a measured zero-field point at Tc then fits exactly).  Standard errors follow
/// the curve_fit convention (scaled by χ²/(n − k) unless absolute_sigma).  Note that α and λ_so are
/// strongly correlated and only weakly determined unless the data reach low t.
/// \throws materia::invalid_argument for fewer points than free parameters (and < 2), NaN, T ≤ 0,
///         H < 0, σ ≤ 0
[[nodiscard]] inline whh_fit_result fit_whh(std::span<const double> T, std::span<const double> H,
                                            std::span<const double> sigma = {},
                                            const whh_fit_options& options = {}) {
    constexpr const char* fn = "fit_whh";
    detail::check_whh_parameters(fn, options.start);
    const std::size_t k_free = static_cast<std::size_t>(options.fit_tc) + static_cast<std::size_t>(options.fit_slope) +
                               static_cast<std::size_t>(options.fit_alpha) + static_cast<std::size_t>(options.fit_lambda_so);
    detail::check_hc2_points(fn, T, H, sigma, std::max<std::size_t>(2, k_free));
    double tc0 = options.tc_start, s0 = -options.slope_start;
    if (std::isnan(tc0) || std::isnan(s0)) {
        const hc2_slope_result lin = hc2_slope_at_tc(T, H, sigma);
        if (std::isnan(tc0)) tc0 = lin.tc.value;
        if (std::isnan(s0)) s0 = -lin.slope.value;
    }
    if (!(tc0 > 0) || !(s0 > 0))
        throw_invalid(fn, ": starting Tc and slope must give Tc > 0 and slope < 0 (got Tc=", tc0, ", slope=", -s0, ")");
    const std::size_t n = T.size();
    Eigen::VectorXd p0(4);
    p0 << tc0, s0, options.start.alpha, options.start.lambda_so;
    lsq_options lo;
    lo.absolute_sigma = options.absolute_sigma;
    lo.lower = {1e-9 * tc0, 1e-12 * s0, 0.0, 0.0};
    lo.upper = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(), 50.0, 1e3};
    auto fix = [&lo, &p0](std::size_t j, bool free) {
        if (!free) lo.lower[j] = lo.upper[j] = p0[static_cast<Eigen::Index>(j)];
    };
    fix(0, options.fit_tc);
    fix(1, options.fit_slope);
    fix(2, options.fit_alpha);
    fix(3, options.fit_lambda_so);
    whh_solve_options so;
    so.scan_roots = false;  // one Brent solve per point: the fit needs speed, the curve reports roots
    auto model = [&so](double Tk, const Eigen::VectorXd& q) {
        const double t = Tk / q[0];
        const double hs = t >= 1.0 ? 1.0 - t : whh_reduced_field(t, {q[2], q[3]}, so).h_star;
        return hs * q[0] * q[1];
    };
    auto resid = [&](const Eigen::VectorXd& q, Eigen::VectorXd& r) {
        for (std::size_t i = 0; i < n; ++i) {
            const double s = sigma.empty() ? 1.0 : sigma[i];
            r[static_cast<Eigen::Index>(i)] = (model(T[i], q) - H[i]) / s;
        }
    };
    whh_fit_result out;
    out.fit = least_squares(resid, p0, n, lo);
    const Eigen::VectorXd& q = out.fit.params;
    const Eigen::VectorXd& e = out.fit.stderrs;
    out.tc = {q[0], e[0]};
    out.slope = {-q[1], e[1]};
    out.alpha = {q[2], e[2]};
    out.lambda_so = {q[3], e[3]};
    const whh_parameters pf{q[2], q[3]};
    out.curve = whh_hc2_curve(pf, 50);
    // Hc2(0) = Tc·S·h*(0; α, λ): gradient by central differences in α, λ (analytic in Tc, S).
    const double h0 = out.curve.h_star_zero;
    Eigen::VectorXd g(4);
    g[0] = q[1] * h0;
    g[1] = q[0] * h0;
    g[2] = g[3] = 0.0;
    // A pair-breaking parameter that ends on its bound (α = 0 or λ_so = 0) has a zero Jacobian
    // column there (h* depends on α², not α), so its variance is meaningless: report NaN and leave
    // it out of the Hc2(0) propagation (it is then effectively fixed).
    for (Eigen::Index j = 2; j < 4; ++j) {
        const auto ju = static_cast<std::size_t>(j);
        const bool free_j = (j == 2) ? options.fit_alpha : options.fit_lambda_so;
        if (free_j && ju < out.fit.at_bound.size() && out.fit.at_bound[ju]) {
            (j == 2 ? out.alpha : out.lambda_so).error = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        if (!(e[j] > 0)) continue;
        const double step = 1e-5 * std::max(1.0, q[j]);
        whh_parameters up = pf, dn = pf;
        (j == 2 ? up.alpha : up.lambda_so) += step;
        double& dv = (j == 2 ? dn.alpha : dn.lambda_so);
        double used = 2.0 * step;
        if (dv - step >= 0) dv -= step;
        else used = step;
        g[j] = q[0] * q[1] * (whh_h_star(0.0, up) - whh_h_star(0.0, dn)) / used;
    }
    out.hc2_zero.value = q[0] * q[1] * h0;
    double var = 0.0;
    for (Eigen::Index a = 0; a < 4; ++a)
        for (Eigen::Index b = 0; b < 4; ++b)
            if (g[a] != 0.0 && g[b] != 0.0) var += g[a] * out.fit.covariance(a, b) * g[b];
    out.hc2_zero.error = std::isfinite(var) ? std::sqrt(std::max(var, 0.0)) : std::numeric_limits<double>::quiet_NaN();
    return out;
}

}  // namespace materia
