// materia/structure/sq_fourier.hpp — S(q) from g(r) by the sine transform, and the inverse
// (measured S(q) → G(r), g(r)) with optional Lorch windows; F(Q) = Q[S(Q) − 1].
//
// Entry points: materia::sq_window, sq_from_gr(r, g, density, q, params), sq_from_rdf(rdf_result, q,
// weighting, params) → sq_partials + total, gr_from_sq(q, S, density, r, params),
// reduced_structure_function(q, S).
//
// Formulas (SCIENCE.md §2.1):
//  forward  S(q) = 1 + 4πρ0 ∫_0^R r² [g(r) − 1] sin(qr)/(qr) M(r) dr, M(r) = sin(πr/R)/(πr/R) (Lorch,
//           real space) or 1;
//  inverse  G(r) = 4πrρ0 [g(r) − 1] = (2/π) ∫_{Qmin}^{Qmax} Q[S(Q) − 1] sin(Qr) L(Q) dQ,
//           L(Q) = sin(πQ/Qmax)/(πQ/Qmax) (Lorch, Lorch 1969 J. Phys. C 2, 229) or 1.
// Quadrature: forward — each tabulated g value represents the interval between the midpoints to its
// neighbours (first interval clipped at r = 0): exactly the midpoint rule on histogram bins
// (bin centres r_k, width Δr), and a trapezoid-like rule on other grids; R defaults to the upper
// edge of the last interval (= r_max of a histogram).  Inverse — trapezoid rule on the given q points.
// Pitfalls: a truncated g(r) gives ripples of period 2π/R and unreliable S(q → 0); never transform
// a g(r) beyond the minimum-image radius of a minimum-image code (materia's rdf has all images).
#pragma once

#include <materia/core/error.hpp>
#include <materia/structure/rdf.hpp>
#include <materia/structure/sq_partials.hpp>
#include <materia/structure/sq_weights.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <span>
#include <string_view>
#include <vector>

namespace materia {

/// Window applied in the transform.
enum class sq_window {
    none,  ///< no window (sharpest peaks, termination ripples)
    lorch  ///< Lorch modification function sinc(π x / x_max)
};

[[nodiscard]] inline std::string_view to_string(sq_window w) noexcept { return w == sq_window::lorch ? "lorch" : "none"; }

/// Parameters of the forward transform g(r) → S(q).
struct sq_fourier_params {
    sq_window window = sq_window::none;
    double r_max = 0;  ///< integration limit R (Å); 0 = upper edge of the data
};

/// Parameters of the inverse transform S(q) → G(r), g(r).
struct gr_inverse_params {
    sq_window window = sq_window::none;
    double q_min = 0;  ///< ignore data below q_min (Å⁻¹)
    double q_max = 0;  ///< ignore data above q_max (Å⁻¹); 0 = all data.  Lorch uses the largest q used.
};

namespace detail {
[[nodiscard]] inline double sinc(double x) noexcept {
    if (std::abs(x) < 1e-4) return 1.0 - x * x / 6.0;
    return std::sin(x) / x;
}
inline void check_grid(std::span<const double> x, const char* who, const char* name, bool strictly = true) {
    for (std::size_t k = 0; k < x.size(); ++k) {
        if (!std::isfinite(x[k]) || x[k] < 0) throw_invalid(who, ": ", name, " values must be finite and >= 0 (got ", x[k], ")");
        if (strictly && k > 0 && !(x[k] > x[k - 1]))
            throw_invalid(who, ": ", name, " must be strictly increasing (got ", x[k - 1], " then ", x[k], ")");
    }
}

/// Forward transform on nodes r_k with interval weights w_k and window m_k; returns S(q) − 1 factors.
inline std::vector<double> forward_transform(const std::vector<double>& r, const std::vector<double>& w,
                                             const std::vector<double>& h, double density, std::span<const double> q) {
    std::vector<double> out(q.size(), 1.0);
    const double pref = 4.0 * std::numbers::pi * density;
    std::vector<double> a(r.size());
    for (std::size_t k = 0; k < r.size(); ++k) a[k] = r[k] * r[k] * h[k] * w[k];  // r² (g−1) M Δr
    for (std::size_t j = 0; j < q.size(); ++j) {
        double s = 0;
        for (std::size_t k = 0; k < r.size(); ++k) s += a[k] * sinc(q[j] * r[k]);
        out[j] += pref * s;
    }
    return out;
}
}  // namespace detail

/// S(q) from a tabulated g(r) (nodes r strictly increasing, r ≥ 0) at number density ρ0 (Å⁻³).
/// \throws materia::invalid_argument for size mismatch, fewer than 2 nodes, non-increasing or
///         negative r, non-finite g, ρ0 ≤ 0, negative q, or r_max below the first node.
[[nodiscard]] inline std::vector<double> sq_from_gr(std::span<const double> r, std::span<const double> g, double density,
                                                    std::span<const double> q, const sq_fourier_params& params = {}) {
    if (r.size() != g.size()) throw_invalid("sq_from_gr: ", r.size(), " r values but ", g.size(), " g values");
    if (r.size() < 2) throw_invalid("sq_from_gr: need at least 2 points of g(r) (got ", r.size(), ")");
    if (!(density > 0) || !std::isfinite(density)) throw_invalid("sq_from_gr: density must be > 0 (got ", density, ")");
    detail::check_grid(r, "sq_from_gr", "r");
    detail::check_grid(q, "sq_from_gr", "q", false);
    for (double x : g)
        if (!std::isfinite(x)) throw_invalid("sq_from_gr: g values must be finite (got ", x, ")");
    const std::size_t n = r.size();
    // interval edges: midpoints between nodes, first clipped at 0, last mirrored
    std::vector<double> lo(n), hi(n);
    for (std::size_t k = 0; k < n; ++k) {
        lo[k] = k == 0 ? std::max(0.0, r[0] - 0.5 * (r[1] - r[0])) : 0.5 * (r[k - 1] + r[k]);
        hi[k] = k + 1 == n ? r[n - 1] + 0.5 * (r[n - 1] - r[n - 2]) : 0.5 * (r[k] + r[k + 1]);
    }
    double big_r = params.r_max > 0 ? params.r_max : hi[n - 1];
    if (!std::isfinite(big_r) || params.r_max < 0) throw_invalid("sq_from_gr: r_max must be >= 0 (got ", params.r_max, ")");
    if (big_r <= r[0]) throw_invalid("sq_from_gr: r_max must exceed the first r node (got ", big_r, ")");
    std::vector<double> rr, ww, hh;
    for (std::size_t k = 0; k < n && lo[k] < big_r; ++k) {
        const double top = std::min(hi[k], big_r);
        double m = 1.0;
        if (params.window == sq_window::lorch) m = detail::sinc(std::numbers::pi * r[k] / big_r);
        rr.push_back(r[k]);
        ww.push_back((top - lo[k]) * m);
        hh.push_back(g[k] - 1.0);
    }
    return detail::forward_transform(rr, ww, hh, density, q);
}

/// S(q) of a histogram g(r) given by bin edges (size bins+1) and values (size bins): midpoint rule.
/// \throws materia::invalid_argument for inconsistent sizes or bad values.
[[nodiscard]] inline std::vector<double> sq_from_histogram(std::span<const double> edges, std::span<const double> g,
                                                           double density, std::span<const double> q,
                                                           sq_window window = sq_window::none) {
    if (edges.size() != g.size() + 1 || g.empty())
        throw_invalid("sq_from_histogram: need bins+1 edges for bins values (got ", edges.size(), " edges, ", g.size(),
                      " values)");
    if (!(density > 0) || !std::isfinite(density)) throw_invalid("sq_from_histogram: density must be > 0 (got ", density, ")");
    detail::check_grid(edges, "sq_from_histogram", "edges");
    detail::check_grid(q, "sq_from_histogram", "q", false);
    const double big_r = edges.back();
    std::vector<double> rr(g.size()), ww(g.size()), hh(g.size());
    for (std::size_t k = 0; k < g.size(); ++k) {
        if (!std::isfinite(g[k])) throw_invalid("sq_from_histogram: g values must be finite (got ", g[k], ")");
        rr[k] = 0.5 * (edges[k] + edges[k + 1]);
        const double m = window == sq_window::lorch ? detail::sinc(std::numbers::pi * rr[k] / big_r) : 1.0;
        ww[k] = (edges[k + 1] - edges[k]) * m;
        hh[k] = g[k] - 1.0;
    }
    return detail::forward_transform(rr, ww, hh, density, q);
}

/// Faber–Ziman partials S_ab(q) (from g_ab) and the weighted total of an rdf_result.  The density
/// is the result's ρ0 and the concentrations its mean species counts.  The total is Σ_ab w_ab S_ab
/// (number weighting: w_ab = c_a c_b), so it is consistent with the partials.
struct sq_fourier_result {
    sq_partials partials;      ///< Faber–Ziman partials
    std::vector<double> s;     ///< weighted total
};

/// \throws materia::invalid_argument / domain_error as sq_from_histogram and faber_ziman_total.
[[nodiscard]] inline sq_fourier_result sq_from_rdf(const rdf_result& g, std::span<const double> q,
                                                   sq_weighting weighting = sq_weighting::number,
                                                   sq_window window = sq_window::none) {
    sq_fourier_result out;
    auto& p = out.partials;
    p.species = g.species;
    p.q.assign(q.begin(), q.end());
    double n = 0;
    for (double x : g.mean_species_count) n += x;
    if (!(n > 0)) throw_invalid("sq_from_rdf: the rdf result has no atoms");
    for (double x : g.mean_species_count) p.concentration.push_back(x / n);
    for (std::size_t a = 0; a < g.n_species(); ++a)
        for (std::size_t b = a; b < g.n_species(); ++b)
            p.s.push_back(sq_from_histogram(g.edges, g.g_partial[g.pair_index(a, b)], g.density, q, window));
    out.s = faber_ziman_total(p, weighting);
    return out;
}

/// Result of the inverse transform.
struct gr_from_sq_result {
    std::vector<double> r;  ///< Å
    std::vector<double> g;  ///< g(r) = 1 + G/(4πρ0 r) (at r = 0 the limit G'(0)/(4πρ0))
    std::vector<double> G;  ///< G(r) = 4πρ0 r [g − 1], Å⁻²
    double q_min_used = 0, q_max_used = 0;
};

/// Inverse transform of a tabulated S(q) to G(r) and g(r) at the points r (trapezoid rule in q).
/// \throws materia::invalid_argument for size mismatch, fewer than 2 q points in range, non-increasing
///         or negative q, non-finite S, ρ0 ≤ 0, negative r.
[[nodiscard]] inline gr_from_sq_result gr_from_sq(std::span<const double> q, std::span<const double> s, double density,
                                                  std::span<const double> r, const gr_inverse_params& params = {}) {
    if (q.size() != s.size()) throw_invalid("gr_from_sq: ", q.size(), " q values but ", s.size(), " S values");
    if (!(density > 0) || !std::isfinite(density)) throw_invalid("gr_from_sq: density must be > 0 (got ", density, ")");
    detail::check_grid(q, "gr_from_sq", "q");
    detail::check_grid(r, "gr_from_sq", "r", false);
    for (double x : s)
        if (!std::isfinite(x)) throw_invalid("gr_from_sq: S values must be finite (got ", x, ")");
    if (params.q_min < 0 || params.q_max < 0 || (params.q_max > 0 && params.q_max <= params.q_min))
        throw_invalid("gr_from_sq: need 0 <= q_min < q_max (got q_min=", params.q_min, ", q_max=", params.q_max, ")");
    std::vector<double> qq, ff;
    for (std::size_t k = 0; k < q.size(); ++k) {
        if (q[k] < params.q_min || (params.q_max > 0 && q[k] > params.q_max)) continue;
        qq.push_back(q[k]);
        ff.push_back(q[k] * (s[k] - 1.0));
    }
    if (qq.size() < 2) throw_invalid("gr_from_sq: fewer than 2 q points inside [q_min, q_max] (got ", qq.size(), ")");
    const std::size_t n = qq.size();
    const double qmax = qq.back();
    // trapezoid weights × window
    std::vector<double> w(n);
    for (std::size_t k = 0; k < n; ++k) {
        const double left = k > 0 ? qq[k] - qq[k - 1] : 0.0;
        const double right = k + 1 < n ? qq[k + 1] - qq[k] : 0.0;
        const double lw = params.window == sq_window::lorch ? detail::sinc(std::numbers::pi * qq[k] / qmax) : 1.0;
        w[k] = 0.5 * (left + right) * lw * ff[k];
    }
    gr_from_sq_result out;
    out.q_min_used = qq.front();
    out.q_max_used = qmax;
    out.r.assign(r.begin(), r.end());
    const double four_pi_rho = 4.0 * std::numbers::pi * density;
    for (double x : r) {
        double G = 0, slope = 0;
        if (x > 0) {
            for (std::size_t k = 0; k < n; ++k) G += w[k] * std::sin(qq[k] * x);
            G *= 2.0 / std::numbers::pi;
            out.G.push_back(G);
            out.g.push_back(1.0 + G / (four_pi_rho * x));
        } else {
            for (std::size_t k = 0; k < n; ++k) slope += w[k] * qq[k];  // dG/dr at 0
            slope *= 2.0 / std::numbers::pi;
            out.G.push_back(0.0);
            out.g.push_back(1.0 + slope / four_pi_rho);
        }
    }
    return out;
}

/// Reduced structure function F(Q) = Q [S(Q) − 1] (PDFgetX3 convention).
/// \throws materia::invalid_argument for size mismatch.
[[nodiscard]] inline std::vector<double> reduced_structure_function(std::span<const double> q, std::span<const double> s) {
    if (q.size() != s.size()) throw_invalid("reduced_structure_function: ", q.size(), " q values but ", s.size(), " S values");
    std::vector<double> f(q.size());
    for (std::size_t k = 0; k < q.size(); ++k) f[k] = q[k] * (s[k] - 1.0);
    return f;
}

}  // namespace materia
