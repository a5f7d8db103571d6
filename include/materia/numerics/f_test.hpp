// materia/numerics/f_test.hpp — the F distribution and the nested-model F-test for least squares.
//
// Entry points
//   regularized_incomplete_beta(a, b, x)   I_x(a, b)
//   f_distribution_sf(f, d1, d2)           P(F > f) for F ~ F(d1, d2)
//   nested_f_test(chi2_1, k_1, chi2_2, k_2, n)   model 1 ⊂ model 2 (k_1 < k_2 parameters)
//
// The F-test asks whether the extra k_2 − k_1 parameters reduce χ² more than noise would:
//   F = [(χ²_1 − χ²_2)/(k_2 − k_1)] / [χ²_2/(n − k_2)],  p = P(F(k_2 − k_1, n − k_2) > F).
// It is exact for linear nested models with Gaussian errors and approximate for nonlinear ones
// (Einstein terms, breakpoints: the breakpoint is not identified under the null, so the p-value
// is optimistic there — Davies 1987).  SCIENCE.md §5.1.
#pragma once

#include <materia/core/error.hpp>

#include <cmath>
#include <cstddef>
#include <limits>

namespace materia {

namespace detail {
/// Continued fraction for I_x(a, b) (modified Lentz; Numerical Recipes 3rd ed. §6.4).
[[nodiscard]] inline double incbeta_cf(double a, double b, double x) {
    const double tiny = 1e-300, eps = 1e-16;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (std::abs(d) < tiny) d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; ++m) {
        const double md = static_cast<double>(m);
        const double m2 = 2.0 * md;
        double aa = md * (b - md) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + aa * d;
        if (std::abs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + md) * (a + b + md) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + aa * d;
        if (std::abs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1.0 / d;
        const double del = d * c;
        h *= del;
        if (std::abs(del - 1.0) < eps) break;
    }
    return h;
}
}  // namespace detail

/// Regularised incomplete beta function I_x(a, b) = B(x; a, b)/B(a, b), a, b > 0, 0 ≤ x ≤ 1.
/// Relative accuracy ~1e-14 (continued fraction, with the symmetry I_x(a,b) = 1 − I_{1−x}(b,a)).
/// \throws materia::domain_error for a ≤ 0, b ≤ 0 or x outside [0, 1].
/// Ref: Abramowitz & Stegun 26.5.8; Numerical Recipes 3rd ed. §6.4.
[[nodiscard]] inline double regularized_incomplete_beta(double a, double b, double x) {
    if (!(a > 0) || !(b > 0)) throw_domain("regularized_incomplete_beta: a and b must be > 0 (got a=", a, ", b=", b, ")");
    if (!(x >= 0 && x <= 1)) throw_domain("regularized_incomplete_beta: x must be in [0, 1] (got ", x, ")");
    if (x == 0) return 0.0;
    if (x == 1) return 1.0;
    const double lbt = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    const double bt = std::exp(lbt);
    if (x < (a + 1.0) / (a + b + 2.0)) return bt * detail::incbeta_cf(a, b, x) / a;
    return 1.0 - bt * detail::incbeta_cf(b, a, 1.0 - x) / b;
}

/// Survival function of the F distribution: P(F > f) = I_{d2/(d2 + d1 f)}(d2/2, d1/2).
/// \throws materia::domain_error for d1 ≤ 0 or d2 ≤ 0.  f ≤ 0 gives 1.
[[nodiscard]] inline double f_distribution_sf(double f, double d1, double d2) {
    if (!(d1 > 0) || !(d2 > 0)) throw_domain("f_distribution_sf: degrees of freedom must be > 0 (got d1=", d1, ", d2=", d2, ")");
    if (std::isnan(f)) return f;
    if (f <= 0) return 1.0;
    if (std::isinf(f)) return 0.0;
    return regularized_incomplete_beta(0.5 * d2, 0.5 * d1, d2 / (d2 + d1 * f));
}

/// Result of a nested-model F-test.
struct f_test_result {
    double F;        ///< the F statistic (NaN when undefined, e.g. χ²_2 = 0)
    double p_value;  ///< P(F(df1, df2) > F): small → the larger model is justified
    double df1, df2; ///< k_2 − k_1 and n − k_2
};

/// Nested F-test of model 1 (k_1 parameters, cost χ²_1) against model 2 (k_2 > k_1, χ²_2), n points.
/// \throws materia::invalid_argument unless k_1 < k_2 < n and χ² ≥ 0.
[[nodiscard]] inline f_test_result nested_f_test(double chi2_1, std::size_t k_1, double chi2_2, std::size_t k_2,
                                                 std::size_t n) {
    if (!(k_1 < k_2 && k_2 < n))
        throw_invalid("nested_f_test: need k_1 < k_2 < n (got k_1=", k_1, ", k_2=", k_2, ", n=", n, ")");
    if (!(chi2_1 >= 0) || !(chi2_2 >= 0))
        throw_invalid("nested_f_test: chi2 values must be >= 0 (got ", chi2_1, ", ", chi2_2, ")");
    f_test_result r{};
    r.df1 = static_cast<double>(k_2 - k_1);
    r.df2 = static_cast<double>(n - k_2);
    if (chi2_2 == 0) {
        r.F = chi2_1 > 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
        r.p_value = chi2_1 > 0 ? 0.0 : std::numeric_limits<double>::quiet_NaN();
        return r;
    }
    r.F = ((chi2_1 - chi2_2) / r.df1) / (chi2_2 / r.df2);
    r.p_value = f_distribution_sf(r.F, r.df1, r.df2);
    return r;
}

}  // namespace materia
