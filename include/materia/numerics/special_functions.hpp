// materia/numerics/special_functions.hpp — digamma (real and complex) and real polygamma.
//
// Entry points
//   digamma(double x)                         ψ(x) = Γ'(x)/Γ(x), any real x except the poles
//   digamma(std::complex<double> z)           ψ(z), any complex z except the poles
//   polygamma(int n, double x)                ψ⁽ⁿ⁾(x) for n ≥ 1 and x > 0 (trigamma for n = 1)
//   trigamma(double x)                        ψ'(x), x > 0
//
// Method (the Boost.Math digamma layout, without its rational minimax fits):
//   1. reflection  ψ(z) = ψ(1 − z) − π cot(πz)  for Re z < 0 (cot evaluated from the fractional
//      part of Re z and a cancellation-free sin²/sinh² denominator, so large |Im z| never overflows);
//   2. upward recurrence  ψ(z) = ψ(z + 1) − 1/z  until |z| ≥ 12 (real: x ≥ 12);
//   3. the asymptotic (Stirling) series
//        ψ(z) ~ ln z − 1/(2z) − Σ_{k=1..8} B_{2k}/(2k z^{2k}),
//      whose first omitted term is |B₁₈/(18 z¹⁸)| ≤ 3.1/12¹⁸ ≈ 1.2e-19; in the right half plane the
//      remainder is bounded by sec^{2K+2}(arg z / 2) ≤ 2^{9} times that (Olver, Asymptotics and
//      Special Functions, §8.4), i.e. < 1e-16.
// Accuracy (checked in tests/supercon/test_special_functions.cpp against closed forms and mpmath
// 1.2.1 values): absolute error ≤ 2e-15·max(1, |ψ|) on the real line away from the poles, and
// relative error ≤ 1e-14 for complex z with Re z ≥ 0; for Re z < 0 the reflection adds the
// rounding error of π cot(πz), which grows like ε/dist(z, pole).  The WHH solver in
// supercon/whh.hpp only calls it with Re z ≥ ½, where the bound above holds (≫ the 1e-10 needed).
//
// Poles (z = 0, −1, −2, …) throw materia::domain_error.  NaN arguments propagate as NaN.
// Ref: M. Abramowitz & I. Stegun, Handbook of Mathematical Functions, 6.3.5–6.3.18, 6.4.11–6.4.12;
//      DLMF §5.5, §5.11, §5.15.
#pragma once

#include <materia/core/error.hpp>

#include <array>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>

namespace materia {

namespace detail {

/// B_{2k}/(2k) for k = 1..8 (B2 = 1/6, B4 = −1/30, B6 = 1/42, B8 = −1/30, B10 = 5/66,
/// B12 = −691/2730, B14 = 7/6, B16 = −3617/510).
inline constexpr std::array<double, 8> digamma_asym = {
    1.0 / 12.0,     -1.0 / 120.0,         1.0 / 252.0, -1.0 / 240.0,
    1.0 / 132.0,    -691.0 / 32760.0,     1.0 / 12.0,  -3617.0 / 8160.0};

/// Bernoulli numbers B_{2k}, k = 1..8.
inline constexpr std::array<double, 8> bernoulli_even = {
    1.0 / 6.0, -1.0 / 30.0, 1.0 / 42.0, -1.0 / 30.0, 5.0 / 66.0, -691.0 / 2730.0, 7.0 / 6.0,
    -3617.0 / 510.0};

/// Recurrence threshold: below it we shift the argument up (|z| ≥ 12 keeps the series < 1e-16).
inline constexpr double digamma_shift = 12.0;

/// Asymptotic series for large |z| (Re z > 0); Horner in w = 1/z².
template <class T>
[[nodiscard]] T digamma_asymptotic(T z) {
    const T w = T(1.0) / (z * z);
    T s = T(detail::digamma_asym[7]);
    for (int k = 6; k >= 0; --k) s = s * w + T(detail::digamma_asym[static_cast<std::size_t>(k)]);
    return std::log(z) - T(0.5) / z - s * w;
}

/// π·cot(π x) for real x, from the fractional part so that large |x| keeps its digits.
[[nodiscard]] inline double pi_cot_pi(double x) {
    const double r = x - std::round(x);  // r ∈ [−½, ½]; cot(πx) = cot(πr) by periodicity
    return std::numbers::pi / std::tan(std::numbers::pi * r);
}

/// π·cot(π z) for complex z.  cot(a + ib) = (sin 2a − i sinh 2b)/(2(sin² a + sinh² b)) has no
/// cancellation in the denominator; for |b| > 20 cot = ∓i to within 4e-18.
[[nodiscard]] inline std::complex<double> pi_cot_pi(std::complex<double> z) {
    constexpr double pi = std::numbers::pi;
    const double a = pi * (z.real() - std::round(z.real()));
    const double b = pi * z.imag();
    if (std::abs(b) > 20.0) return {0.0, b > 0 ? -pi : pi};
    const double sa = std::sin(a), shb = std::sinh(b);
    const double den = 2.0 * (sa * sa + shb * shb);
    return {pi * std::sin(2.0 * a) / den, -pi * std::sinh(2.0 * b) / den};
}

}  // namespace detail

/// Digamma function ψ(x) = d ln Γ(x)/dx for real x.
///
/// ψ(1) = −γ_E, ψ(½) = −γ_E − 2 ln 2, ψ(x + 1) = ψ(x) + 1/x.  Accuracy: absolute error
/// ≤ 2e-15·max(1, |ψ(x)|) for x > 0; for x < 0 the reflection ψ(x) = ψ(1 − x) − π cot(πx) adds the
/// rounding of cot near the poles.
/// \param x  any real number except 0, −1, −2, …
/// \returns ψ(x); NaN for NaN input
/// \throws materia::domain_error at a pole (x a non-positive integer)
/// Ref: Abramowitz & Stegun 6.3.5, 6.3.7, 6.3.18.
[[nodiscard]] inline double digamma(double x) {
    if (std::isnan(x)) return x;
    if (x <= 0.0) {
        if (x == std::floor(x)) throw_domain("digamma: pole at a non-positive integer (got x=", x, ")");
        return digamma(1.0 - x) - detail::pi_cot_pi(x);
    }
    double acc = 0.0;
    while (x < detail::digamma_shift) {
        acc -= 1.0 / x;
        x += 1.0;
    }
    return acc + detail::digamma_asymptotic(x);
}

/// Digamma function ψ(z) for complex z.
///
/// Used by the closed form of the WHH equation (supercon/whh.hpp), where z = ½ + (h̄ + λ/2 ± iγ)/(2t)
/// can have |z| up to ~1e5 at t → 0: the asymptotic series is then used directly (no truncated
/// sum), so small t costs nothing extra.  Accuracy: relative error ≤ 1e-14 for Re z ≥ 0.
/// Closed-form checks: Im ψ(½ + iy) = (π/2) tanh(πy), Im ψ(1 + iy) = −1/(2y) + (π/2) coth(πy).
/// \param z  any complex number except 0, −1, −2, …
/// \throws materia::domain_error at a pole
/// Ref: Abramowitz & Stegun 6.3.7, 6.3.18; DLMF 5.11.2.
[[nodiscard]] inline std::complex<double> digamma(std::complex<double> z) {
    if (std::isnan(z.real()) || std::isnan(z.imag()))
        return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    if (z.imag() == 0.0) return {digamma(z.real()), 0.0};
    if (z.real() < 0.0) return digamma(1.0 - z) - detail::pi_cot_pi(z);
    std::complex<double> acc{0.0, 0.0};
    while (std::abs(z) < detail::digamma_shift) {
        acc -= 1.0 / z;
        z += 1.0;
    }
    return acc + detail::digamma_asymptotic(z);
}

/// Polygamma function ψ⁽ⁿ⁾(x) = dⁿψ/dxⁿ for n ≥ 1 and real x > 0.
///
/// Recurrence ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁾(x + 1) − (−1)ⁿ n!/x^{n+1} up to x ≥ 12, then
/// ψ⁽ⁿ⁾(x) ~ (−1)^{n+1}[(n−1)!/xⁿ + n!/(2x^{n+1}) + Σ_{k=1..8} B_{2k}(2k+n−1)!/((2k)! x^{2k+n})].
/// Relative error ≤ 1e-14 for 1 ≤ n ≤ 6 (the range tested; larger n loses digits in the series).
/// ψ'(1) = π²/6, ψ'(½) = π²/2, ψ''(1) = −2ζ(3).
/// \throws materia::invalid_argument for n < 1 or n > 20; materia::domain_error for x ≤ 0
/// Ref: Abramowitz & Stegun 6.4.10–6.4.12.
[[nodiscard]] inline double polygamma(int n, double x) {
    if (n < 1 || n > 20) throw_invalid("polygamma: order n must be in [1, 20] (got n=", n, ")");
    if (std::isnan(x)) return x;
    if (!(x > 0.0)) throw_domain("polygamma: x must be > 0 (got x=", x, ")");
    double nfact = 1.0;
    for (int k = 2; k <= n; ++k) nfact *= k;
    const double sign = (n % 2 == 1) ? 1.0 : -1.0;  // (−1)^{n+1}
    double acc = 0.0;
    while (x < detail::digamma_shift) {
        acc += sign * nfact / std::pow(x, n + 1);
        x += 1.0;
    }
    // Series: (n−1)!/xⁿ + n!/(2x^{n+1}) + Σ B_{2k} (2k+n−1)!/((2k)!) / x^{2k+n}.
    const double inv = 1.0 / x;
    const double xn = std::pow(inv, n);
    double s = (nfact / n) * xn + 0.5 * nfact * xn * inv;
    double ratio = nfact / n;  // (2k+n−1)!/(2k)! at k = 0 equals (n−1)!
    double pw = xn;
    for (int k = 1; k <= 8; ++k) {
        // (2k+n−1)!/(2k)! from (2k−2+n−1)!/(2k−2)!: multiply by (2k+n−2)(2k+n−1)/((2k−1)(2k)).
        ratio *= static_cast<double>((2 * k + n - 2) * (2 * k + n - 1)) / static_cast<double>((2 * k - 1) * (2 * k));
        pw *= inv * inv;
        s += detail::bernoulli_even[static_cast<std::size_t>(k - 1)] * ratio * pw;
    }
    return acc + sign * s;
}

/// Trigamma ψ'(x) = polygamma(1, x), x > 0.  \throws materia::domain_error for x ≤ 0
[[nodiscard]] inline double trigamma(double x) { return polygamma(1, x); }

}  // namespace materia
