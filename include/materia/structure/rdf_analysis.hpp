// materia/structure/rdf_analysis.hpp — what users read off a g(r): other normalisations, weighted
// totals, the first peak, the first minimum and the coordination number there.
//
// Entry points: radial_distribution_R / total_correlation_T / differential_correlation_D (Keen's
// names), faber_ziman_total(result, weights), first_peak(r, g), first_minimum(r, g),
// coordination_at(result, a, b, r), shell_analysis(result, a, b).
//
// Forms (Keen, J. Appl. Cryst. 34, 172 (2001)), with ρ the number density:
//   R(r) = 4π r² ρ g(r)   (radial distribution function; ∫R dr = coordination)
//   T(r) = 4π r ρ g(r)    (total correlation function)
//   D(r) = 4π r ρ (g(r) − 1) = G(r) of PDFgui (the differential correlation function)
#pragma once

#include <materia/core/error.hpp>
#include <materia/structure/rdf.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <vector>

namespace materia {

/// R(r) = 4π r² ρ g(r).
[[nodiscard]] inline std::vector<double> radial_distribution_R(const std::vector<double>& r, const std::vector<double>& g,
                                                               double density) {
    std::vector<double> out(g.size());
    for (std::size_t k = 0; k < g.size(); ++k) out[k] = 4.0 * std::numbers::pi * r[k] * r[k] * density * g[k];
    return out;
}
/// T(r) = 4π r ρ g(r).
[[nodiscard]] inline std::vector<double> total_correlation_T(const std::vector<double>& r, const std::vector<double>& g,
                                                             double density) {
    std::vector<double> out(g.size());
    for (std::size_t k = 0; k < g.size(); ++k) out[k] = 4.0 * std::numbers::pi * r[k] * density * g[k];
    return out;
}
/// D(r) = 4π r ρ (g(r) − 1) (the same as G(r) of the PDF community).
[[nodiscard]] inline std::vector<double> differential_correlation_D(const std::vector<double>& r,
                                                                    const std::vector<double>& g, double density) {
    std::vector<double> out(g.size());
    for (std::size_t k = 0; k < g.size(); ++k) out[k] = 4.0 * std::numbers::pi * r[k] * density * (g[k] - 1.0);
    return out;
}

/// Faber–Ziman weighted total g_w(r) = Σ_ab c_a c_b w_a w_b g_ab(r) / (Σ_a c_a w_a)², summed over
/// ordered pairs (cross terms twice).  weights[a] is the scattering power of species a in the
/// sorted species order: 1 for number weighting, b_coh for neutrons, Z (f(0)) for X-rays.
/// \throws materia::invalid_argument when weights has the wrong size or ⟨w⟩ = 0.
[[nodiscard]] inline std::vector<double> faber_ziman_total(const rdf_result& res, const std::vector<double>& weights) {
    const std::size_t s = res.n_species();
    if (weights.size() != s) throw_invalid("faber_ziman_total: need ", s, " weights (got ", weights.size(), ")");
    double n = 0;
    for (double x : res.mean_species_count) n += x;
    std::vector<double> c(s);
    double mean_w = 0;
    for (std::size_t a = 0; a < s; ++a) {
        c[a] = res.mean_species_count[a] / n;
        mean_w += c[a] * weights[a];
    }
    if (mean_w == 0) throw_invalid("faber_ziman_total: the mean scattering weight is zero");
    std::vector<double> out(res.r.size(), 0.0);
    for (std::size_t a = 0; a < s; ++a)
        for (std::size_t b = 0; b < s; ++b) {
            const double w = c[a] * c[b] * weights[a] * weights[b] / (mean_w * mean_w);
            const auto& g = res.g_partial[res.pair_index(a, b)];
            for (std::size_t k = 0; k < out.size(); ++k) out[k] += w * g[k];
        }
    return out;
}

/// A located extremum: position refined below the bin width and the curve value there.
struct extremum {
    double r = 0;
    double value = 0;
    std::size_t bin = 0;
};

namespace detail {
// Vertex of the parabola through three equally spaced points (k−1, k, k+1); keeps the refinement
// within half a bin of the sampled extremum.
inline extremum parabolic_vertex(const std::vector<double>& r, const std::vector<double>& y, std::size_t k) {
    extremum e{r[k], y[k], k};
    if (k == 0 || k + 1 >= y.size()) return e;
    const double ym = y[k - 1], y0 = y[k], yp = y[k + 1];
    const double denom = ym - 2 * y0 + yp;
    if (denom == 0) return e;
    double delta = 0.5 * (ym - yp) / denom;
    delta = std::clamp(delta, -0.5, 0.5);
    const double h = r[k + 1] - r[k];
    e.r = r[k] + delta * h;
    e.value = y0 - 0.25 * (ym - yp) * delta;
    return e;
}
// Gaussian smoothing with σ in bins (reflecting ends); σ = 0 returns the input.
inline std::vector<double> smooth(const std::vector<double>& y, double sigma_bins) {
    if (!(sigma_bins > 0)) return y;
    const auto half = static_cast<std::ptrdiff_t>(std::ceil(3 * sigma_bins));
    std::vector<double> w(static_cast<std::size_t>(2 * half + 1));
    for (std::ptrdiff_t k = -half; k <= half; ++k)
        w[static_cast<std::size_t>(k + half)] = std::exp(-0.5 * double(k * k) / (sigma_bins * sigma_bins));
    const auto n = static_cast<std::ptrdiff_t>(y.size());
    std::vector<double> out(y.size(), 0.0);
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        double s = 0, ws = 0;
        for (std::ptrdiff_t k = -half; k <= half; ++k) {
            std::ptrdiff_t j = i + k;
            if (j < 0) j = -j;
            if (j >= n) j = 2 * n - 2 - j;
            if (j < 0 || j >= n) continue;
            const double wk = w[static_cast<std::size_t>(k + half)];
            s += wk * y[static_cast<std::size_t>(j)];
            ws += wk;
        }
        out[static_cast<std::size_t>(i)] = s / ws;
    }
    return out;
}
}  // namespace detail

/// First peak: the global maximum of g over the curve (the first coordination shell dominates
/// g(r) in liquids and glasses), refined by a parabola through the neighbouring bins.
/// \throws materia::invalid_argument for fewer than 3 points or mismatched sizes.
[[nodiscard]] inline extremum first_peak(const std::vector<double>& r, const std::vector<double>& g) {
    if (r.size() != g.size() || r.size() < 3) throw_invalid("first_peak: need >= 3 points of equal-length r and g");
    const auto k = static_cast<std::size_t>(std::max_element(g.begin(), g.end()) - g.begin());
    return detail::parabolic_vertex(r, g, k);
}

/// First minimum after the first peak, on g smoothed by a Gaussian of σ = smoothing_bins bins
/// (noise would otherwise create spurious minima).  Returns nothing when the curve has no
/// interior minimum after the peak (SCIENCE.md §1.2: never silently pick the r_max edge).
[[nodiscard]] inline std::optional<extremum> first_minimum(const std::vector<double>& r, const std::vector<double>& g,
                                                           double smoothing_bins = 1.5) {
    if (r.size() != g.size() || r.size() < 5) throw_invalid("first_minimum: need >= 5 points of equal-length r and g");
    const auto s = detail::smooth(g, smoothing_bins);
    const auto peak = static_cast<std::size_t>(std::max_element(s.begin(), s.end()) - s.begin());
    for (std::size_t k = peak + 1; k + 1 < s.size(); ++k) {
        if (s[k] < s[k - 1] && s[k] <= s[k + 1]) {
            // extend over a flat bottom (e.g. g = 0 between shells of a crystal) to its middle
            std::size_t e = k;
            while (e + 1 < s.size() && s[e + 1] == s[k]) ++e;
            if (e + 1 >= s.size()) return std::nullopt;
            if (e > k) {
                const std::size_t mid = (k + e) / 2;
                return extremum{0.5 * (r[k] + r[e]), s[mid], mid};
            }
            return detail::parabolic_vertex(r, s, k);
        }
    }
    return std::nullopt;
}

/// Running coordination n_ab at distance r (linear interpolation between bin upper edges).
[[nodiscard]] inline double coordination_at(const rdf_result& res, std::size_t a, std::size_t b, double r) {
    const auto& n = res.n_running[a * res.n_species() + b];
    const auto& e = res.edges;
    if (r <= e.front()) return 0.0;
    if (r >= e.back()) return n.back();
    const auto k = static_cast<std::size_t>(std::upper_bound(e.begin(), e.end(), r) - e.begin()) - 1;  // r in bin k
    const double lo = k == 0 ? 0.0 : n[k - 1];
    const double f = (r - e[k]) / (e[k + 1] - e[k]);
    return lo + f * (n[k] - lo);
}

/// The first shell of the partial a–b: peak, first minimum and coordination number there.
struct shell_summary {
    extremum peak;
    std::optional<extremum> minimum;
    std::optional<double> coordination;  ///< n_ab at the first minimum
};

[[nodiscard]] inline shell_summary shell_analysis(const rdf_result& res, std::size_t a, std::size_t b,
                                                  double smoothing_bins = 1.5) {
    const auto& g = res.g_partial[res.pair_index(a, b)];
    shell_summary out;
    out.peak = first_peak(res.r, g);
    out.minimum = first_minimum(res.r, g, smoothing_bins);
    if (out.minimum) out.coordination = coordination_at(res, a, b, out.minimum->r);
    return out;
}

}  // namespace materia
