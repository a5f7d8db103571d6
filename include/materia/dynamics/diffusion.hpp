// materia/dynamics/diffusion.hpp — self-diffusion coefficients from an MSD curve.
//
// Entry points: materia::weighted_line_fit(x, y, w) (straight line with standard errors),
// materia::fit_diffusion(t, msd, window, options) (Einstein relation D = slope/(2d) with its error),
// materia::fit_diffusion_atoms(t, msd_atom, window) (per-atom D, mean and standard error over atoms),
// materia::local_exponent(t, msd) (α(τ) = d ln MSD / d ln τ), and the unit factor
// materia::angstrom2_per_ps_to_cm2_per_s (= 1e-4).  Curves are std::span<const double> (a std::vector
// or rank-1 xtensor converts; Eigen vectors via materia::as_span in adapt/eigen.hpp), with
// std::vector overloads for braced lists.
//
// Practice (SCIENCE.md §4.1): fit MSD(τ) = a + b τ over a window inside the diffusive regime —
// after the ballistic/caging start (α < 1) and before the noisy tail (lags beyond ~1/2 … 1/3 of the
// trajectory have few independent origins).  α(τ) ≈ 1 marks the diffusive window.
//
// Error bars: fit_diffusion gives the standard error of the slope from the scatter of the points
// about the line.  MSD values at neighbouring lags are strongly correlated, so this underestimates
// the statistical error (often by orders of magnitude).  fit_diffusion_atoms fits every atom's MSD
// and reports the standard error of the mean over atoms, an honest error for independent atoms
// (the CLI uses it).
#pragma once

#include <materia/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace materia {

/// 1 Å²/ps = 1e-16 cm² / 1e-12 s = 1e-4 cm²/s.
inline constexpr double angstrom2_per_ps_to_cm2_per_s = 1e-4;

/// A straight line y = intercept + slope·x with standard errors.
struct line_fit {
    double slope = 0, intercept = 0;
    double slope_stderr = 0, intercept_stderr = 0;  ///< from the residual scatter (n > 2), else NaN
    double r2 = 0;                                   ///< coefficient of determination (weighted)
    std::size_t n = 0;                               ///< points used
};

/// Weighted least-squares straight line, minimising Σ w_i (y_i − a − b x_i)².
/// The covariance is scaled by the reduced χ² (scipy curve_fit's absolute_sigma=False), so only the
/// relative weights matter.
/// \throws materia::invalid_argument for fewer than 2 points, size mismatch, non-finite values,
///         negative weights, or all x equal.
[[nodiscard]] inline line_fit weighted_line_fit(std::span<const double> x, std::span<const double> y,
                                                std::span<const double> w = {}) {
    const std::size_t n = x.size();
    if (y.size() != n) throw_invalid("weighted_line_fit: ", n, " x values but ", y.size(), " y values");
    if (!w.empty() && w.size() != n) throw_invalid("weighted_line_fit: ", w.size(), " weights for ", n, " points");
    if (n < 2) throw_invalid("weighted_line_fit: need at least 2 points (got ", n, ")");
    double sw = 0, sx = 0, sy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double wi = w.empty() ? 1.0 : w[i];
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) throw_invalid("weighted_line_fit: non-finite point ", i, " (", x[i], ", ", y[i], ")");
        if (!(wi >= 0) || !std::isfinite(wi)) throw_invalid("weighted_line_fit: weights must be finite and >= 0 (got ", wi, ")");
        sw += wi;
        sx += wi * x[i];
        sy += wi * y[i];
    }
    if (!(sw > 0)) throw_invalid("weighted_line_fit: the weights sum to zero");
    const double mx = sx / sw, my = sy / sw;
    // Centred sums: no cancellation when x is far from 0.
    double sxx = 0, sxy = 0, syy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double wi = w.empty() ? 1.0 : w[i];
        sxx += wi * (x[i] - mx) * (x[i] - mx);
        sxy += wi * (x[i] - mx) * (y[i] - my);
        syy += wi * (y[i] - my) * (y[i] - my);
    }
    if (!(sxx > 0)) throw_invalid("weighted_line_fit: all x values are equal (x = ", mx, ")");
    line_fit f;
    f.n = n;
    f.slope = sxy / sxx;
    f.intercept = my - f.slope * mx;
    double chi2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double wi = w.empty() ? 1.0 : w[i];
        const double r = y[i] - f.intercept - f.slope * x[i];
        chi2 += wi * r * r;
    }
    f.r2 = syy > 0 ? 1.0 - chi2 / syy : 1.0;
    if (n > 2) {
        const double s2 = chi2 / static_cast<double>(n - 2);
        f.slope_stderr = std::sqrt(s2 / sxx);
        f.intercept_stderr = std::sqrt(s2 * (1.0 / sw + mx * mx / sxx));
    } else {
        f.slope_stderr = f.intercept_stderr = std::numeric_limits<double>::quiet_NaN();
    }
    return f;
}

/// weighted_line_fit for std::vector arguments (and braced lists).
[[nodiscard]] inline line_fit weighted_line_fit(const std::vector<double>& x, const std::vector<double>& y,
                                                const std::vector<double>& w = {}) {
    return weighted_line_fit(std::span<const double>(x), std::span<const double>(y), std::span<const double>(w));
}

/// How the MSD points in the fit window are weighted.
enum class diffusion_weighting {
    uniform,  ///< ordinary least squares
    origins   ///< weight ∝ number of time origins M − m (the later lags are noisier)
};

/// Options of fit_diffusion.
struct diffusion_options {
    int dimensions = 3;  ///< d in D = slope/(2d): 3 for the full MSD, 2 for "xy", 1 for "z"
    diffusion_weighting weighting = diffusion_weighting::uniform;
};

/// A diffusion coefficient from the MSD slope.
struct diffusion_fit {
    double D = 0;             ///< Å²/ps
    double D_stderr = 0;      ///< Å²/ps (NaN with only 2 points)
    double D_cm2_s = 0;       ///< cm²/s (= D·1e-4)
    double D_cm2_s_stderr = 0;
    double t_from = 0, t_to = 0;  ///< the window actually used (first and last time inside it), ps
    line_fit line;            ///< MSD(τ) ≈ intercept + slope·τ (Å², Å²/ps)
};

/// D = slope/(2d) from a linear fit of MSD (Å²) against τ (ps) over t_from ≤ τ ≤ t_to.
/// \param origins optional number of time origins per point (for diffusion_weighting::origins).
/// \throws materia::invalid_argument for size mismatch, a window with fewer than 2 points, or
///         dimensions outside 1 … 3.
[[nodiscard]] inline diffusion_fit fit_diffusion(std::span<const double> t_ps, std::span<const double> msd_A2,
                                                 double t_from, double t_to, diffusion_options opts = {},
                                                 std::span<const double> origins = {}) {
    if (t_ps.size() != msd_A2.size())
        throw_invalid("fit_diffusion: ", t_ps.size(), " times but ", msd_A2.size(), " MSD values");
    if (opts.dimensions < 1 || opts.dimensions > 3) throw_invalid("fit_diffusion: dimensions must be 1, 2 or 3 (got ", opts.dimensions, ")");
    if (!(t_to > t_from)) throw_invalid("fit_diffusion: the window must have t_to > t_from (got ", t_from, " … ", t_to, ")");
    if (opts.weighting == diffusion_weighting::origins && origins.size() != t_ps.size())
        throw_invalid("fit_diffusion: origin weighting needs one origin count per point (got ", origins.size(), ")");
    std::vector<double> x, y, w;
    // A small relative tolerance so that window edges given as decimal times (0.1 ps) include the
    // lag whose time is k·dt up to rounding.
    const double tol = 1e-9 * std::max(std::abs(t_from), std::abs(t_to));
    for (std::size_t i = 0; i < t_ps.size(); ++i) {
        if (t_ps[i] < t_from - tol || t_ps[i] > t_to + tol) continue;
        x.push_back(t_ps[i]);
        y.push_back(msd_A2[i]);
        if (opts.weighting == diffusion_weighting::origins) w.push_back(origins[i]);
    }
    if (x.size() < 2)
        throw_invalid("fit_diffusion: the window ", t_from, " … ", t_to, " ps contains ", x.size(), " MSD points (need at least 2)");
    diffusion_fit r;
    r.line = weighted_line_fit(x, y, w);
    const double two_d = 2.0 * opts.dimensions;
    r.D = r.line.slope / two_d;
    r.D_stderr = r.line.slope_stderr / two_d;
    r.D_cm2_s = r.D * angstrom2_per_ps_to_cm2_per_s;
    r.D_cm2_s_stderr = r.D_stderr * angstrom2_per_ps_to_cm2_per_s;
    r.t_from = x.front();
    r.t_to = x.back();
    return r;
}

/// fit_diffusion for std::vector arguments (and braced lists).
[[nodiscard]] inline diffusion_fit fit_diffusion(const std::vector<double>& t_ps, const std::vector<double>& msd_A2,
                                                 double t_from, double t_to, diffusion_options opts = {},
                                                 const std::vector<double>& origins = {}) {
    return fit_diffusion(std::span<const double>(t_ps), std::span<const double>(msd_A2), t_from, t_to, opts,
                         std::span<const double>(origins));
}

/// Diffusion coefficients of single atoms and their mean with a realistic error bar.
struct diffusion_atoms_fit {
    double D = 0;               ///< mean over atoms, Å²/ps (equals fit_diffusion on the mean MSD, uniform weights)
    double D_stderr = 0;        ///< standard error of the mean, sd(D_i)/√n, Å²/ps (NaN for one atom)
    double D_cm2_s = 0, D_cm2_s_stderr = 0;
    std::vector<double> D_atom; ///< D_i, Å²/ps
};

/// D_i = slope_i/(2d) from an ordinary least-squares line through each atom's MSD over
/// t_from ≤ τ ≤ t_to, then the mean and its standard error over the atoms.  Because atoms are
/// (nearly) independent, sd(D_i)/√n is an honest statistical error of D — unlike the slope error
/// of one fit through the strongly correlated points of the averaged MSD, which is far too small.
/// \param msd_atom per-atom MSD curves [atom][lag] (msd_result::msd_atom), Å².
/// \param atoms    which atoms to use (empty: all).
/// \throws materia::invalid_argument for size mismatch, no atoms, fewer than 2 points in the window,
///         or dimensions outside 1 … 3.
[[nodiscard]] inline diffusion_atoms_fit fit_diffusion_atoms(const std::vector<double>& t_ps,
                                                             const std::vector<std::vector<double>>& msd_atom,
                                                             double t_from, double t_to, int dimensions = 3,
                                                             const std::vector<std::size_t>& atoms = {}) {
    if (dimensions < 1 || dimensions > 3) throw_invalid("fit_diffusion_atoms: dimensions must be 1, 2 or 3 (got ", dimensions, ")");
    if (!(t_to > t_from)) throw_invalid("fit_diffusion_atoms: the window must have t_to > t_from (got ", t_from, " … ", t_to, ")");
    std::vector<std::size_t> use = atoms;
    if (use.empty())
        for (std::size_t i = 0; i < msd_atom.size(); ++i) use.push_back(i);
    if (use.empty()) throw_invalid("fit_diffusion_atoms: no atoms");
    const double tol = 1e-9 * std::max(std::abs(t_from), std::abs(t_to));
    std::vector<std::size_t> idx;
    for (std::size_t k = 0; k < t_ps.size(); ++k)
        if (t_ps[k] >= t_from - tol && t_ps[k] <= t_to + tol) idx.push_back(k);
    if (idx.size() < 2)
        throw_invalid("fit_diffusion_atoms: the window ", t_from, " … ", t_to, " ps contains ", idx.size(), " points (need at least 2)");
    double mx = 0;
    for (std::size_t k : idx) mx += t_ps[k];
    mx /= static_cast<double>(idx.size());
    double sxx = 0;
    for (std::size_t k : idx) sxx += (t_ps[k] - mx) * (t_ps[k] - mx);
    if (!(sxx > 0)) throw_invalid("fit_diffusion_atoms: all times in the window are equal");
    diffusion_atoms_fit r;
    const double two_d = 2.0 * dimensions;
    for (std::size_t i : use) {
        if (i >= msd_atom.size()) throw_invalid("fit_diffusion_atoms: atom index ", i, " out of range (", msd_atom.size(), " atoms)");
        if (msd_atom[i].size() != t_ps.size())
            throw_invalid("fit_diffusion_atoms: atom ", i, " has ", msd_atom[i].size(), " MSD values for ", t_ps.size(), " times");
        double sxy = 0;
        for (std::size_t k : idx) sxy += (t_ps[k] - mx) * msd_atom[i][k];
        r.D_atom.push_back(sxy / sxx / two_d);
    }
    const double n = static_cast<double>(r.D_atom.size());
    for (double d : r.D_atom) r.D += d;
    r.D /= n;
    if (r.D_atom.size() > 1) {
        double var = 0;
        for (double d : r.D_atom) var += (d - r.D) * (d - r.D);
        var /= n - 1;
        r.D_stderr = std::sqrt(var / n);
    } else {
        r.D_stderr = std::numeric_limits<double>::quiet_NaN();
    }
    r.D_cm2_s = r.D * angstrom2_per_ps_to_cm2_per_s;
    r.D_cm2_s_stderr = r.D_stderr * angstrom2_per_ps_to_cm2_per_s;
    return r;
}

/// Local exponent α(τ) = d ln MSD / d ln τ, by second-order finite differences on the (possibly
/// non-uniform) log–log grid: 1 in the diffusive regime, 2 ballistic, < 1 caged/subdiffusive.
/// Points with τ ≤ 0 or MSD ≤ 0 (and their neighbours' stencils) give NaN.
/// \throws materia::invalid_argument for size mismatch.
[[nodiscard]] inline std::vector<double> local_exponent(std::span<const double> t, std::span<const double> msd) {
    if (t.size() != msd.size()) throw_invalid("local_exponent: ", t.size(), " times but ", msd.size(), " MSD values");
    const std::size_t n = t.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> out(n, nan);
    auto ok = [&](std::size_t i) { return t[i] > 0 && msd[i] > 0 && std::isfinite(t[i]) && std::isfinite(msd[i]); };
    for (std::size_t i = 0; i < n; ++i) {
        if (!ok(i)) continue;
        const bool left = i > 0 && ok(i - 1), right = i + 1 < n && ok(i + 1);
        const double x0 = std::log(t[i]), y0 = std::log(msd[i]);
        if (left && right) {
            // Three-point derivative on a non-uniform grid (exact for quadratics in ln τ).
            const double xm = std::log(t[i - 1]), xp = std::log(t[i + 1]);
            const double ym = std::log(msd[i - 1]), yp = std::log(msd[i + 1]);
            const double h1 = x0 - xm, h2 = xp - x0;
            out[i] = (h1 * h1 * (yp - y0) + h2 * h2 * (y0 - ym)) / (h1 * h2 * (h1 + h2));
        } else if (right) {
            out[i] = (std::log(msd[i + 1]) - y0) / (std::log(t[i + 1]) - x0);
        } else if (left) {
            out[i] = (y0 - std::log(msd[i - 1])) / (x0 - std::log(t[i - 1]));
        }
    }
    return out;
}

/// local_exponent for std::vector arguments (and braced lists).
[[nodiscard]] inline std::vector<double> local_exponent(const std::vector<double>& t, const std::vector<double>& msd) {
    return local_exponent(std::span<const double>(t), std::span<const double>(msd));
}

}  // namespace materia
