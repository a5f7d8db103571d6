// materia/thermo/debye_einstein.hpp — Debye and Einstein heat-capacity functions and the low-T
// Cp/T model used to fit them.
//
// Entry points
//   debye_function(n, x)                 D_n(x) = (n/xⁿ)∫₀ˣ tⁿ/(eᵗ−1) dt, all x ≥ 0, n = 1..7
//   debye_heat_capacity(x)               C_D/(3R n_D) = 4D₃(x) − 3x/(eˣ−1),  x = Θ_D/T
//   einstein_heat_capacity(x)            C_E/(3R p)   = x²eˣ/(eˣ−1)²,        x = Θ_E/T
//   debye_beta_from_theta / debye_theta_from_beta    β = (12π⁴R/5)·n_D/Θ_D³
//   einstein_peak_temperature(Θ_E)       T* = Θ_E/4.9281194 (maximum of C_E/T³)
//   low_t_model                          C/T = γ + βT² + Σ_n A_n Θ_n² T⁻³ e^{Θ_n/T}/(e^{Θ_n/T}−1)²
//   debye_einstein_cp(T, ...)            full-temperature C_p = γT + 3R n_D c_D + Σ 3R p_n c_E
//
// Conventions (SCIENCE.md §5.1).  Everything is per mole of formula units; R = 8.314462618
// J mol⁻¹ K⁻¹.  An Einstein term with weight p_n (oscillating atoms per formula unit, 3 modes
// each) has amplitude A_n = 3R p_n in the C/T form, so it saturates at 3R p_n for T ≫ Θ_n.  Some
// papers count single modes (A_n = R p′_n, p′ = 3p) — convert before comparing weights.  The Debye
// "atoms" n_D follow from Dulong–Petit: n_D = N − Σ p_n with N atoms per formula unit.
//
// Accuracy of debye_function: the Bernoulli series for x < 2 and the exponential series
// n!ζ(n+1) − Σ_k e^{−kx}(…) for x ≥ 2 are both summed to double precision; the relative error is
// below 4e-15 for every x ≥ 0 (tested against 40-digit mpmath quadrature).  For x > ~745 the
// exponential tail underflows and D_n = n·n!ζ(n+1)/xⁿ exactly (the asymptote).
// Refs: Abramowitz & Stegun 27.1; A. J. MacLeod, "Chebyshev expansions for the Debye functions"
// (ACM TOMS 1996) for the split; Einstein, Ann. Phys. 22, 180 (1907); Debye, Ann. Phys. 39, 789 (1912).
#pragma once

#include <materia/core/error.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

namespace materia {

/// Molar gas constant R = N_A k_B in J mol⁻¹ K⁻¹ (exact since the 2019 SI: CODATA 2018).
inline constexpr double gas_constant = 8.314462618;

/// 12π⁴R/5 in J mol⁻¹ K⁻¹: β = debye_beta_coefficient·n_D/Θ_D³ (J mol⁻¹ K⁻⁴).  = 1943.77019…
inline constexpr double debye_beta_coefficient =
    12.0 * std::numbers::pi * std::numbers::pi * std::numbers::pi * std::numbers::pi * gas_constant / 5.0;

/// x* = 4.9281193581732836: the maximum of x⁵eˣ/(eˣ−1)², i.e. the root of x = 5 tanh(x/2).  An
/// Einstein term produces a peak of C/T³ at T* = Θ_E/x* (the "boson peak" plot).  [mpmath, 40 digits]
inline constexpr double einstein_peak_x = 4.9281193581732836;

namespace detail {
/// B_{2j}/(2j)!, j = 1..24 (mpmath, 40 digits, rounded to double).
inline constexpr std::array<double, 24> bernoulli_over_factorial{
    8.33333333333333287e-02,  -1.38888888888888894e-03, 3.30687830687830710e-05,  -8.26719576719576754e-07,
    2.08767569878681002e-08,  -5.28419013868749322e-10, 1.33825365306846789e-11,  -3.38968029632258272e-13,
    8.58606205627784517e-15,  -2.17486869855806192e-16, 5.50900282836022953e-18,  -1.39544646858125223e-19,
    3.53470703962946728e-21,  -8.95351742703754628e-23, 2.26795245233768293e-24,  -5.74479066887220246e-26,
    1.45517247561486496e-27,  -3.68599494066531029e-29, 9.33673425709504507e-31,  -2.36502241570062995e-32,
    5.99067176248213414e-34,  -1.51745488446829032e-35, 3.84375812545418860e-37,  -9.73635307264669126e-39};
/// n!·ζ(n+1) = ∫₀^∞ tⁿ/(eᵗ−1) dt for n = 1..7 (mpmath).
inline constexpr std::array<double, 7> factorial_zeta{1.6449340668482264, 2.4041138063191885, 6.4939394022668289,
                                                      24.88626612344088,  122.0811674381339,  726.01147971498449,
                                                      5060.5498752376398};
}  // namespace detail

/// Debye function D_n(x) = (n/xⁿ) ∫₀ˣ tⁿ/(eᵗ − 1) dt for integer n = 1..7 and x ≥ 0 (D_n(0) = 1).
/// Relative accuracy < 4e-15 for all x (see the file comment).  Large x: D_n → n·n!ζ(n+1)/xⁿ.
/// \throws materia::domain_error for n outside 1..7 or x < 0; NaN in → NaN out.
/// Ref: Abramowitz & Stegun 27.1.1–27.1.3.
[[nodiscard]] inline double debye_function(int n, double x) {
    if (n < 1 || n > 7) throw_domain("debye_function: order n must be in 1..7 (got ", n, ")");
    if (std::isnan(x)) return x;
    if (x < 0) throw_domain("debye_function: x must be >= 0 (got ", x, ")");
    const double nd = static_cast<double>(n);
    if (x == 0) return 1.0;
    if (x < 2.0) {
        // D_n(x) = 1 − n x/(2(n+1)) + n Σ_j B_2j x^{2j}/((2j)!(2j+n)); |terms| ~ (x/2π)^{2j}.
        const double x2 = x * x;
        double sum = 0, xp = 1;
        for (std::size_t j = 1; j <= detail::bernoulli_over_factorial.size(); ++j) {
            xp *= x2;
            const double term = detail::bernoulli_over_factorial[j - 1] * xp / (2.0 * static_cast<double>(j) + nd);
            sum += term;
            if (std::abs(term) < 1e-18 * std::abs(sum)) break;
        }
        return 1.0 - nd * x / (2.0 * (nd + 1.0)) + nd * sum;
    }
    // ∫₀ˣ = n!ζ(n+1) − Σ_{k≥1} e^{−kx} Σ_{j=0}^{n} [n!/(n−j)!] x^{n−j}/k^{j+1}.
    double tail = 0;
    for (int k = 1; k < 1000; ++k) {
        const double kd = static_cast<double>(k);
        const double ekx = std::exp(-kd * x);
        if (ekx == 0) break;
        double poly = 0, coef = 1;  // coef = n!/(n−j)!
        double xpow = std::pow(x, nd);
        for (int j = 0; j <= n; ++j) {
            poly += coef * xpow / std::pow(kd, static_cast<double>(j + 1));
            coef *= static_cast<double>(n - j);
            xpow /= x;
        }
        const double term = ekx * poly;
        tail += term;
        if (term < 1e-18 * detail::factorial_zeta[static_cast<std::size_t>(n - 1)]) break;
    }
    const double integral = detail::factorial_zeta[static_cast<std::size_t>(n - 1)] - tail;
    return nd * integral * std::pow(x, -nd);
}

namespace detail {
/// e^{−x} and 1 − e^{−x} for x > 0, each to full relative precision with ONE transcendental call.
inline void exp_pair(double x, double& em, double& one_minus) {
    if (x < 0.5) {
        one_minus = -std::expm1(-x);
        em = 1.0 - one_minus;  // ≈ 1: absolute rounding = relative rounding
    } else {
        em = std::exp(-x);
        one_minus = 1.0 - em;  // ≥ 0.39: well conditioned
    }
}
}  // namespace detail

/// Einstein heat-capacity function c_E(x) = C_E/(3R p) = x²eˣ/(eˣ − 1)² = x²e^{−x}/(1 − e^{−x})²,
/// x = Θ_E/T ≥ 0; c_E(0) = 1 (Dulong–Petit), c_E → x²e^{−x} for x ≫ 1.  Relative error < 1e-15.
/// \throws materia::domain_error for x < 0.  Ref: Einstein, Ann. Phys. 22, 180 (1907).
[[nodiscard]] inline double einstein_heat_capacity(double x) {
    if (std::isnan(x)) return x;
    if (x < 0) throw_domain("einstein_heat_capacity: x = Theta_E/T must be >= 0 (got ", x, ")");
    if (x == 0) return 1.0;
    if (x > 1400) return 0.0;  // the true value < 1e-600
    double em = 0, d = 0;
    detail::exp_pair(x, em, d);
    const double q = x / d;
    return q * q * em;
}

/// c_E(x) and dc_E/dx = c_E·(2/x − coth(x/2)) together, from one exponential (the fits' Jacobian).
/// The bracket cancels near 0, where the series −x/6 + x³/360 is used.  x ≥ 0 is the caller's duty.
inline void einstein_heat_capacity_and_dx(double x, double& c, double& dc) {
    if (x > 1400) {
        c = 0.0;
        dc = 0.0;
        return;
    }
    if (x < 1e-3) {
        const double h = 0.5 * x;
        const double q = x == 0 ? 1.0 : h / std::sinh(h);
        c = q * q;
        dc = c * (-x / 6.0 + x * x * x / 360.0);
        return;
    }
    double em = 0, d = 0;
    detail::exp_pair(x, em, d);
    const double q = x / d;
    c = q * q * em;
    dc = c * (2.0 / x - (1.0 + em) / d);
}

/// d c_E/dx = c_E(x)·(2/x − coth(x/2)) (series −x/6 + x³/360 near 0, where it cancels).
/// \throws materia::domain_error for x < 0.
[[nodiscard]] inline double einstein_heat_capacity_dx(double x) {
    if (x < 0) throw_domain("einstein_heat_capacity_dx: x must be >= 0 (got ", x, ")");
    double c = 0, dc = 0;
    einstein_heat_capacity_and_dx(x, c, dc);
    return dc;
}

/// Debye heat-capacity function c_D(x) = C_D/(3R n_D) = (3/x³)∫₀ˣ t⁴eᵗ/(eᵗ−1)² dt = 4D₃(x) − 3x/(eˣ−1),
/// x = Θ_D/T ≥ 0; c_D(0) = 1, c_D → 4π⁴/(5x³) for x ≫ 1 (the T³ law).  Relative error < 1e-14.
/// \throws materia::domain_error for x < 0.  Ref: Debye, Ann. Phys. 39, 789 (1912).
[[nodiscard]] inline double debye_heat_capacity(double x) {
    if (std::isnan(x)) return x;
    if (x < 0) throw_domain("debye_heat_capacity: x = Theta_D/T must be >= 0 (got ", x, ")");
    if (x == 0) return 1.0;
    const double bose = x > 745 ? 0.0 : x / std::expm1(x);
    return 4.0 * debye_function(3, x) - 3.0 * bose;
}

/// d c_D/dx = (3/x)(c_E(x) − c_D(x)), from differentiating the integral form.
[[nodiscard]] inline double debye_heat_capacity_dx(double x) {
    if (x < 0) throw_domain("debye_heat_capacity_dx: x must be >= 0 (got ", x, ")");
    if (x < 1e-2) return -0.1 * x + x * x * x / 140.0;  // c_D = 1 − x²/20 + x⁴/560 − …
    return 3.0 / x * (einstein_heat_capacity(x) - debye_heat_capacity(x));
}

/// β = (12π⁴R/5)·n_D/Θ_D³ in J mol⁻¹ K⁻⁴ (low-T Debye law C = βT³).
/// \throws materia::invalid_argument for Θ_D ≤ 0 or n_D < 0.
[[nodiscard]] inline double debye_beta_from_theta(double theta_D, double n_D = 1.0) {
    if (!(theta_D > 0) || !std::isfinite(theta_D))
        throw_invalid("debye_beta_from_theta: theta_D must be finite and > 0 K (got ", theta_D, ")");
    if (!(n_D >= 0)) throw_invalid("debye_beta_from_theta: n_D must be >= 0 (got ", n_D, ")");
    return debye_beta_coefficient * n_D / (theta_D * theta_D * theta_D);
}

/// Θ_D = (12π⁴R n_D/(5β))^{1/3} in K, n_D = number of Debye "atoms" per formula unit
/// (n_D = N − Σp_n in a Debye + Einstein fit; see the file comment).
/// \throws materia::invalid_argument for β ≤ 0 or n_D ≤ 0.
[[nodiscard]] inline double debye_theta_from_beta(double beta, double n_D = 1.0) {
    if (!(beta > 0) || !std::isfinite(beta))
        throw_invalid("debye_theta_from_beta: beta must be finite and > 0 J/mol/K^4 (got ", beta, ")");
    if (!(n_D > 0)) throw_invalid("debye_theta_from_beta: n_D must be > 0 (got ", n_D, ")");
    return std::cbrt(debye_beta_coefficient * n_D / beta);
}

/// Temperature (K) of the maximum of an Einstein term in C/T³: T* = Θ_E/4.9281194.
[[nodiscard]] inline double einstein_peak_temperature(double theta_E) { return theta_E / einstein_peak_x; }

/// One Einstein term of the C/T form: amplitude A = 3R p (J mol⁻¹ K⁻¹) and Θ_E (K).
struct einstein_term {
    double amplitude;  ///< A_n = 3R p_n, J mol⁻¹ K⁻¹
    double theta;      ///< Θ_E,n, K
    /// Oscillator weight p_n = A_n/(3R) (atoms per formula unit).
    [[nodiscard]] double weight() const { return amplitude / (3.0 * gas_constant); }
};

/// The low-temperature model of Shen et al. (Adv. Sci. 2024, eq. 1):
///   C/T = γ + βT² + Σ_n A_n Θ_n² T⁻³ e^{Θ_n/T}/(e^{Θ_n/T} − 1)²  = γ + βT² + Σ_n (A_n/T)·c_E(Θ_n/T).
/// Units: γ in J mol⁻¹ K⁻², β in J mol⁻¹ K⁻⁴, A_n in J mol⁻¹ K⁻¹, T and Θ in K.
/// Parameter-vector layout used by the fits: [γ, β, A_1..A_K, Θ_1..Θ_K] (scipy_fit.py's order).
struct low_t_model {
    double gamma = 0;
    double beta = 0;
    std::vector<einstein_term> terms;

    /// C/T at temperature T (K), J mol⁻¹ K⁻².  \throws materia::domain_error for T ≤ 0.
    [[nodiscard]] double c_over_t(double T) const {
        if (!(T > 0)) throw_domain("low_t_model::c_over_t: T must be > 0 K (got ", T, ")");
        double y = gamma + beta * T * T;
        for (const auto& e : terms) y += e.amplitude / T * einstein_heat_capacity(e.theta / T);
        return y;
    }
    /// C_p at T, J mol⁻¹ K⁻¹.
    [[nodiscard]] double cp(double T) const { return T * c_over_t(T); }
    /// C/T³ at T (J mol⁻¹ K⁻⁴): the boson-peak representation (flat at β from the Debye part).
    [[nodiscard]] double c_over_t3(double T) const { return c_over_t(T) / (T * T); }
    /// Σ p_n, the Einstein oscillators per formula unit.
    [[nodiscard]] double einstein_weight() const {
        double s = 0;
        for (const auto& e : terms) s += e.weight();
        return s;
    }
    /// Θ_D from β with n_D = N − Σp_n (N = atoms per formula unit).
    /// \throws materia::invalid_argument when β ≤ 0 or n_D ≤ 0.
    [[nodiscard]] double theta_D(double atoms_per_formula_unit) const {
        return debye_theta_from_beta(beta, atoms_per_formula_unit - einstein_weight());
    }

    /// Pack into [γ, β, A_1..A_K, Θ_1..Θ_K].
    [[nodiscard]] std::vector<double> to_params() const {
        std::vector<double> p{gamma, beta};
        for (const auto& e : terms) p.push_back(e.amplitude);
        for (const auto& e : terms) p.push_back(e.theta);
        return p;
    }
    /// Unpack [γ, β, A_1..A_K, Θ_1..Θ_K].  \throws materia::invalid_argument for an odd tail.
    template <class Vec>
    [[nodiscard]] static low_t_model from_params(const Vec& p_in, std::size_t n) {
        const double* p = p_in.data();
        if (n < 2 || (n - 2) % 2 != 0)
            throw_invalid("low_t_model::from_params: need 2 + 2K parameters (got ", n, ")");
        low_t_model m;
        m.gamma = p[0];
        m.beta = p[1];
        const std::size_t K = (n - 2) / 2;
        for (std::size_t i = 0; i < K; ++i) m.terms.push_back({p[2 + i], p[2 + K + i]});
        return m;
    }
};

/// Evaluate C/T of the low-T model and its gradient for parameters p = [γ, β, A_1..A_K, Θ_1..Θ_K]
/// (K = (size − 2)/2).  `grad` (same length as p) receives ∂(C/T)/∂p.  T > 0 is the caller's duty.
template <class Vec, class Grad>
double low_t_c_over_t(double T, const Vec& p_in, std::size_t n_params, Grad& grad_out) {
    // Raw pointers: works for std::vector and Eigen vectors alike (no index-type conversions).
    const double* p = p_in.data();
    double* grad = grad_out.data();
    const std::size_t K = (n_params - 2) / 2;
    double y = p[0] + p[1] * T * T;
    grad[0] = 1.0;
    grad[1] = T * T;
    for (std::size_t i = 0; i < K; ++i) {
        const double A = p[2 + i], th = p[2 + K + i];
        double c = 0, dc = 0;
        einstein_heat_capacity_and_dx(th / T, c, dc);
        y += A * c / T;
        grad[2 + i] = c / T;
        grad[2 + K + i] = A * dc / (T * T);
    }
    return y;
}

/// C/T of the low-T model for p = [γ, β, A_1..A_K, Θ_1..Θ_K] without the gradient.
template <class Vec>
double low_t_c_over_t(double T, const Vec& p_in, std::size_t n_params) {
    const double* p = p_in.data();
    const std::size_t K = (n_params - 2) / 2;
    double y = p[0] + p[1] * T * T;
    for (std::size_t i = 0; i < K; ++i) y += p[2 + i] * einstein_heat_capacity(p[2 + K + i] / T) / T;
    return y;
}

/// Full-temperature Debye + Einstein heat capacity (J mol⁻¹ K⁻¹):
///   C_p(T) = γT + 3R n_D c_D(Θ_D/T) + Σ_n A_n c_E(Θ_n/T),   A_n = 3R p_n.
/// With the Dulong–Petit constraint, pass n_D = N − Σp_n.  \throws materia::domain_error for T ≤ 0.
[[nodiscard]] inline double debye_einstein_cp(double T, double gamma, double n_D, double theta_D,
                                              const std::vector<einstein_term>& terms) {
    if (!(T > 0)) throw_domain("debye_einstein_cp: T must be > 0 K (got ", T, ")");
    if (!(theta_D > 0)) throw_domain("debye_einstein_cp: theta_D must be > 0 K (got ", theta_D, ")");
    double c = gamma * T + 3.0 * gas_constant * n_D * debye_heat_capacity(theta_D / T);
    for (const auto& e : terms) c += e.amplitude * einstein_heat_capacity(e.theta / T);
    return c;
}

}  // namespace materia
