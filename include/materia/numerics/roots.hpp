// materia/numerics/roots.hpp — bracketing root finding in one variable (Brent's method).
//
// Entry points
//   brent_find_root(f, a, b, options)   root of f in [a, b] where f(a)·f(b) ≤ 0
//   root_options, root_result, root_status
//
// Shape (after Boost.Math tools/roots.hpp and toms748_solve.hpp): the caller gives a functor and
// a bracket; the result carries the final bracket [lower, upper] (always containing a sign change
// of f), the best estimate, f there, the number of iterations used and a status.  Nothing throws
// on non-convergence, a missing sign change or a non-finite f value — the status says so and the
// caller decides.  Only malformed arguments (non-finite bracket ends, negative tolerances) throw.
//
// Algorithm: R. P. Brent, Algorithms for Minimization without Derivatives (1973), ch. 4 ("zeroin"):
// inverse quadratic interpolation / secant steps safeguarded by bisection, so convergence is
// superlinear on smooth functions and never slower than ~ bisection (≤ (log2((b−a)/tol))² steps).
#pragma once

#include <materia/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

namespace materia {

/// Outcome of a bracketing root search.
enum class root_status {
    converged,       ///< the bracket is narrower than the tolerance, or f(root) == 0
    max_iterations,  ///< iteration budget exhausted; [lower, upper] still brackets the root
    not_bracketed,   ///< f(a) and f(b) have the same sign: no search was made
    non_finite       ///< f returned NaN/inf at some point; the last valid bracket is returned
};

/// Tolerances and budget.  The search stops when the bracket half-width is below
/// 2ε|x| + ½(abs_tol + rel_tol·|x|).
struct root_options {
    double abs_tol = 0.0;                                            ///< absolute x tolerance
    double rel_tol = 4.0 * std::numeric_limits<double>::epsilon();   ///< relative x tolerance
    std::uintmax_t max_iterations = 200;                             ///< function evaluations
};

/// Result of brent_find_root: the estimate, the final bracket, f(root), iterations and status.
struct root_result {
    double root = std::numeric_limits<double>::quiet_NaN();    ///< best estimate of the root
    double lower = std::numeric_limits<double>::quiet_NaN();   ///< bracket lower end
    double upper = std::numeric_limits<double>::quiet_NaN();   ///< bracket upper end
    double f_root = std::numeric_limits<double>::quiet_NaN();  ///< f(root)
    std::uintmax_t iterations = 0;                              ///< evaluations of f used
    root_status status = root_status::not_bracketed;
    [[nodiscard]] bool converged() const noexcept { return status == root_status::converged; }
};

/// Find a root of f in the bracket [a, b] (either order) with Brent's method.
///
/// \param f        callable double(double); must change sign on [a, b]
/// \param a,b      finite bracket ends
/// \param options  tolerances and iteration budget
/// \returns root_result (never throws on non-convergence; see root_status)
/// \throws materia::invalid_argument for non-finite a or b, or negative tolerances
/// Ref: R. P. Brent, Algorithms for Minimization without Derivatives, Prentice-Hall (1973), ch. 4;
///      G. E. Forsythe, M. A. Malcolm, C. B. Moler, Computer Methods for Mathematical
///      Computations (1977), routine ZEROIN.
template <class F>
[[nodiscard]] root_result brent_find_root(F&& f, double a, double b, const root_options& options = {}) {
    if (!std::isfinite(a) || !std::isfinite(b))
        throw_invalid("brent_find_root: bracket ends must be finite (got a=", a, ", b=", b, ")");
    if (!(options.abs_tol >= 0.0) || !(options.rel_tol >= 0.0))
        throw_invalid("brent_find_root: tolerances must be >= 0 (got abs_tol=", options.abs_tol,
                      ", rel_tol=", options.rel_tol, ")");
    constexpr double eps = std::numeric_limits<double>::epsilon();
    root_result res;
    double fa = f(a);
    double fb = f(b);
    res.iterations = 2;
    auto finish = [&res](double x, double fx, double lo, double hi, root_status st) {
        res.root = x;
        res.f_root = fx;
        res.lower = std::min(lo, hi);
        res.upper = std::max(lo, hi);
        res.status = st;
        return res;
    };
    if (!std::isfinite(fa) || !std::isfinite(fb)) return finish(a, fa, a, b, root_status::non_finite);
    if (fa == 0.0) return finish(a, fa, a, a, root_status::converged);
    if (fb == 0.0) return finish(b, fb, b, b, root_status::converged);
    if ((fa > 0.0) == (fb > 0.0)) return finish(std::abs(fa) < std::abs(fb) ? a : b,
                                                 std::abs(fa) < std::abs(fb) ? fa : fb, a, b,
                                                 root_status::not_bracketed);
    double c = a, fc = fa;
    double d = b - a, e = d;
    while (true) {
        if ((fb > 0.0) == (fc > 0.0)) {  // keep the root between b and c
            c = a;
            fc = fa;
            d = e = b - a;
        }
        if (std::abs(fc) < std::abs(fb)) {  // b is the best estimate
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        const double tol1 = 2.0 * eps * std::abs(b) + 0.5 * (options.abs_tol + options.rel_tol * std::abs(b));
        const double xm = 0.5 * (c - b);
        if (std::abs(xm) <= tol1 || fb == 0.0) return finish(b, fb, b, c, root_status::converged);
        if (res.iterations >= options.max_iterations) return finish(b, fb, b, c, root_status::max_iterations);
        if (std::abs(e) >= tol1 && std::abs(fa) > std::abs(fb)) {
            // Inverse quadratic interpolation (secant when only two points are distinct).
            const double s = fb / fa;
            double p, q;
            if (a == c) {
                p = 2.0 * xm * s;
                q = 1.0 - s;
            } else {
                const double qq = fa / fc, r = fb / fc;
                p = s * (2.0 * xm * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if (p > 0.0) q = -q;
            p = std::abs(p);
            const double min1 = 3.0 * xm * q - std::abs(tol1 * q);
            const double min2 = std::abs(e * q);
            if (2.0 * p < std::min(min1, min2)) {
                e = d;  // accept interpolation
                d = p / q;
            } else {
                d = xm;  // bisection
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        fa = fb;
        b += (std::abs(d) > tol1) ? d : std::copysign(tol1, xm);
        fb = f(b);
        ++res.iterations;
        if (!std::isfinite(fb)) return finish(a, fa, a, c, root_status::non_finite);
    }
}

}  // namespace materia
