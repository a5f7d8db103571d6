// materia/structure/sq_peaks.hpp — peaks of a structure factor: every local maximum with its
// prominence, the principal peak and the first sharp diffraction peak (FSDP), with sub-bin
// refinement, for tracking peak positions along pressure or temperature series.
//
// Entry points: materia::sq_peak, sq_peak_params, find_sq_peaks(q, S, params),
// principal_peak(q, S, params), first_sharp_diffraction_peak(q, S, params), analyse_sq_peaks(...).
//
// Definitions: a peak is a strict local maximum of the (optionally smoothed) curve inside
// [q_min, q_max] with topographic prominence ≥ min_prominence (height above the higher of the two
// lowest points separating it from higher terrain, or from the ends).  Its position and height are
// refined by the vertex of the parabola through the three samples around the maximum (exact for a
// locally quadratic curve, on any grid).  The principal peak is the highest peak; the FSDP is the
// peak at the lowest q below the principal peak with at least a tenth of its prominence (so noise at
// low q is not taken for it; in network glasses ~1–1.5 Å⁻¹; e.g. the
// Sb2Se3 paper tracks the principal peak near 2.2 Å⁻¹ and the FSDP near 1.2 Å⁻¹).
#pragma once

#include <materia/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace materia {

/// One peak of S(q).
struct sq_peak {
    double q = 0;           ///< refined position (Å⁻¹)
    double height = 0;      ///< refined height
    std::size_t index = 0;  ///< sample index of the discrete maximum
    double prominence = 0;  ///< topographic prominence (on the possibly smoothed curve)
};

/// Options of the peak search.
struct sq_peak_params {
    double q_min = 0;                                         ///< ignore samples below (Å⁻¹)
    double q_max = std::numeric_limits<double>::infinity();   ///< ignore samples above (Å⁻¹)
    double min_prominence = 0.02;                             ///< discard smaller bumps (noise)
    std::size_t smooth_half_width = 0;                        ///< centred moving average of 2w+1 samples before the search
    double fsdp_relative_prominence = 0.1;  ///< an FSDP needs prominence ≥ this × the principal peak's (rejects low-q noise)
};

namespace detail {
/// Vertex of the parabola through (x0,y0), (x1,y1), (x2,y2); falls back to the middle point.
inline void parabola_vertex(double x0, double y0, double x1, double y1, double x2, double y2, double& xv, double& yv) {
    const double d01 = (y1 - y0) / (x1 - x0), d12 = (y2 - y1) / (x2 - x1);
    const double a = (d12 - d01) / (x2 - x0);  // second divided difference
    if (!(a < 0)) {
        xv = x1;
        yv = y1;
        return;
    }
    // Newton form y = y0 + d01 (x − x0) + a (x − x0)(x − x1); y′ = 0 at the vertex
    xv = std::clamp(0.5 * (x0 + x1) - d01 / (2 * a), x0, x2);
    yv = y0 + d01 * (xv - x0) + a * (xv - x0) * (xv - x1);
}
}  // namespace detail

/// All peaks of S(q) sorted by q.
/// \throws materia::invalid_argument for size mismatch, non-increasing q, or non-finite values.
[[nodiscard]] inline std::vector<sq_peak> find_sq_peaks(std::span<const double> q, std::span<const double> s,
                                                        const sq_peak_params& params = {}) {
    if (q.size() != s.size()) throw_invalid("find_sq_peaks: ", q.size(), " q values but ", s.size(), " S values");
    for (std::size_t k = 0; k < q.size(); ++k) {
        if (!std::isfinite(q[k]) || !std::isfinite(s[k]))
            throw_invalid("find_sq_peaks: values must be finite (got q=", q[k], ", S=", s[k], ")");
        if (k > 0 && !(q[k] > q[k - 1]))
            throw_invalid("find_sq_peaks: q must be strictly increasing (got ", q[k - 1], " then ", q[k], ")");
    }
    if (!(params.min_prominence >= 0)) throw_invalid("find_sq_peaks: min_prominence must be >= 0 (got ", params.min_prominence, ")");
    // restrict to the window
    std::size_t i0 = 0, i1 = q.size();
    while (i0 < i1 && q[i0] < params.q_min) ++i0;
    while (i1 > i0 && q[i1 - 1] > params.q_max) --i1;
    std::vector<sq_peak> out;
    if (i1 - i0 < 3) return out;
    const std::size_t n = i1 - i0;
    std::vector<double> y(n);
    const std::size_t w = params.smooth_half_width;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t a = k >= w ? k - w : 0, b = std::min(n - 1, k + w);
        double sum = 0;
        for (std::size_t j = a; j <= b; ++j) sum += s[i0 + j];
        y[k] = sum / static_cast<double>(b - a + 1);
    }
    for (std::size_t k = 1; k + 1 < n; ++k) {
        // strict maximum, allowing a flat top of equal values to the right
        if (!(y[k] > y[k - 1])) continue;
        std::size_t e = k;
        while (e + 1 < n && y[e + 1] == y[k]) ++e;
        if (e + 1 >= n || !(y[e + 1] < y[k])) continue;
        // prominence: lowest point on each side before higher terrain
        double left_min = y[k], right_min = y[k];
        for (std::size_t j = k; j-- > 0;) {
            if (y[j] > y[k]) break;
            left_min = std::min(left_min, y[j]);
        }
        for (std::size_t j = e + 1; j < n; ++j) {
            if (y[j] > y[k]) break;
            right_min = std::min(right_min, y[j]);
        }
        const double prom = y[k] - std::max(left_min, right_min);
        if (prom < params.min_prominence) continue;
        sq_peak p;
        p.index = i0 + k;
        p.prominence = prom;
        detail::parabola_vertex(q[i0 + k - 1], y[k - 1], q[i0 + k], y[k], q[i0 + k + 1], y[k + 1], p.q, p.height);
        out.push_back(p);
        k = e;
    }
    return out;
}

/// The highest peak, if any.
[[nodiscard]] inline std::optional<sq_peak> principal_peak(std::span<const double> q, std::span<const double> s,
                                                           const sq_peak_params& params = {}) {
    const auto peaks = find_sq_peaks(q, s, params);
    if (peaks.empty()) return std::nullopt;
    return *std::max_element(peaks.begin(), peaks.end(), [](const sq_peak& a, const sq_peak& b) { return a.height < b.height; });
}

/// The first sharp diffraction peak: the lowest-q peak below the principal peak whose prominence is at
/// least fsdp_relative_prominence × the principal peak's, if any.
[[nodiscard]] inline std::optional<sq_peak> first_sharp_diffraction_peak(std::span<const double> q, std::span<const double> s,
                                                                         const sq_peak_params& params = {}) {
    const auto peaks = find_sq_peaks(q, s, params);
    if (peaks.size() < 2) return std::nullopt;
    const auto main = *std::max_element(peaks.begin(), peaks.end(),
                                        [](const sq_peak& a, const sq_peak& b) { return a.height < b.height; });
    for (const auto& p : peaks) {
        if (!(p.q < main.q)) break;
        if (p.prominence >= params.fsdp_relative_prominence * main.prominence) return p;
    }
    return std::nullopt;
}

/// Principal peak and FSDP together.
struct sq_peak_summary {
    std::optional<sq_peak> principal;
    std::optional<sq_peak> fsdp;
};

[[nodiscard]] inline sq_peak_summary analyse_sq_peaks(std::span<const double> q, std::span<const double> s,
                                                      const sq_peak_params& params = {}) {
    return {principal_peak(q, s, params), first_sharp_diffraction_peak(q, s, params)};
}

}  // namespace materia
