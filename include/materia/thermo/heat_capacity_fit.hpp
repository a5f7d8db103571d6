// materia/thermo/heat_capacity_fit.hpp — Debye + K Einstein fits of low-temperature heat capacity,
// with honest uncertainties and the number of Einstein modes chosen by information criteria.
//
// Entry points
//   fit_heat_capacity(T, Cp, options)             windowing, weights, K fixed or automatic (K = −1)
//   fit_low_t_c_over_t(T, y, sigma, K, options)    one K, starting values found by a Θ grid
//   fit_low_t_c_over_t_from(T, y, sigma, start, options)   one LM run from a given model
//   cp_fit_result / cp_selection_result            parameters, errors, Θ_D, AIC/BIC/F-test table
//
// Model (SCIENCE.md §5.1; Shen et al., Adv. Sci. 2024, eq. 1), fitted on y = C/T:
//   C/T = γ + βT² + Σ_n A_n Θ_n² T⁻³ e^{Θ_n/T}/(e^{Θ_n/T} − 1)²,  A_n = 3R p_n,
//   Θ_D = (12π⁴R n_D/(5β))^{1/3} with n_D = N − Σ p_n (N = atoms per formula unit).
// Weights: relative (residual (model − y)/y — C spans decades, so every point counts alike) or
// none (model − y).  Standard errors from Cov = s²(JᵀWJ)⁻¹, s² = χ²/(n − k) (CLI.md), unless
// options.lsq.absolute_sigma is set (then σ are absolute).
//
// Why the fit is robust.  Einstein temperatures make the problem multimodal, but for fixed Θ's
// the model is LINEAR in (γ, β, A_n).  So starting values come from variable projection: every
// combination of K temperatures from a log-spaced grid spanning the window's C/T³ peak range
// (Θ ∈ [0.5·x*·T_min, 2·x*·T_max], x* = 4.928) is scored by an exact weighted linear solve with
// A_n ≥ 0 required, and the best few combinations are refined by Levenberg–Marquardt with an
// analytic Jacobian (A_n ≥ 0 by bounds, Θ_n > 0 by log-parameterisation).  The result is
// deterministic (no random starts).
//
// Model selection (K = −1): fits K = 0..max_einstein_terms and picks the minimum of AIC, AICc
// (default) or BIC (relative weights → n ln(χ²/n) + penalty).  AICc is the default because with
// 8–10 parameters on ~60 points (n/k < 40) plain AIC admits a spurious extra mode noticeably
// often (Burnham & Anderson 2002, §2.4); BIC is the most conservative.  The table also reports
// the nested F-test of K against K − 1 (extra parameters: A_K and Θ_K).
#pragma once

#include <materia/core/error.hpp>
#include <materia/numerics/f_test.hpp>
#include <materia/numerics/least_squares.hpp>
#include <materia/thermo/debye_einstein.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace materia {

/// Weighting of the C/T residuals.
enum class cp_weighting {
    relative,  ///< (model − y)/y: equal relative precision for all points (default)
    none       ///< model − y: absolute, dominated by the largest C/T values
};

/// Criterion for choosing the number of Einstein terms.
enum class selection_criterion { aic, aicc, bic };

/// Options of the heat-capacity fits.
struct cp_fit_options {
    int einstein_terms = 3;          ///< K ≥ 0, or −1 for automatic selection over 0..max_einstein_terms
    int max_einstein_terms = 4;      ///< upper end of the automatic scan
    double t_min = 0;                ///< use points with t_min ≤ T ≤ t_max (K)
    double t_max = std::numeric_limits<double>::infinity();
    double atoms_per_formula_unit = 1;  ///< N in n_D = N − Σp_n
    cp_weighting weighting = cp_weighting::relative;
    selection_criterion criterion = selection_criterion::aicc;  ///< AICc: Burnham & Anderson advise it for n/k < 40
    std::size_t theta_grid = 12;     ///< grid points for the Θ_E start search
    std::size_t refine_starts = 3;   ///< best grid combinations refined by LM
    lsq_options lsq = {};            ///< engine options; lower/upper/log_scale are set by the fitter
};

/// One fitted Einstein mode.
struct cp_einstein_mode {
    double amplitude = 0, amplitude_err = 0;  ///< A_n = 3R p_n, J mol⁻¹ K⁻¹
    double theta = 0, theta_err = 0;          ///< Θ_E,n, K
    double weight = 0, weight_err = 0;        ///< p_n = A_n/(3R), oscillators per formula unit
    double peak_temperature = 0;              ///< T* = Θ_n/4.928 of its C/T³ peak, K
};

/// A Debye + K Einstein fit.  fit.params layout: [γ, β, A_1..A_K, Θ_1..Θ_K], sorted by rising Θ.
struct cp_fit_result {
    std::size_t einstein_terms = 0;
    double gamma = 0, gamma_err = 0;      ///< J mol⁻¹ K⁻²
    double beta = 0, beta_err = 0;        ///< J mol⁻¹ K⁻⁴
    double n_D = 0;                       ///< N − Σ p_n
    double theta_D = 0, theta_D_err = 0;  ///< K; NaN when β ≤ 0 or n_D ≤ 0 (see note)
    std::vector<cp_einstein_mode> modes;  ///< sorted by rising Θ
    fit_result fit;                       ///< the engine's result (χ², AIC, covariance, converged …)
    std::string note;                     ///< caveats (undefined Θ_D, parameters at bounds)

    /// The fitted model, for evaluation and plotting.
    [[nodiscard]] low_t_model model() const {
        low_t_model m;
        m.gamma = gamma;
        m.beta = beta;
        for (const auto& e : modes) m.terms.push_back({e.amplitude, e.theta});
        return m;
    }
};

/// One row of the model-selection table.
struct cp_selection_row {
    std::size_t einstein_terms = 0, n_params = 0;
    double chi2 = 0, chi2_red = 0, aic = 0, aicc = 0, bic = 0;
    bool converged = false;
    double F = std::numeric_limits<double>::quiet_NaN();        ///< vs K − 1 (NaN for the first row)
    double p_value = std::numeric_limits<double>::quiet_NaN();  ///< P(F > F_obs)
};

/// Fits for several K and the chosen one.
struct cp_selection_result {
    cp_fit_result best;                   ///< the selected fit
    std::size_t selected = 0;             ///< its K
    std::vector<cp_fit_result> fits;      ///< one per K in the table
    std::vector<cp_selection_row> table;  ///< criteria and F-tests
    std::size_t n_points = 0;             ///< points inside the temperature window
};

namespace detail {

/// Θ_D and its delta-method error from the covariance of (β, A_n).
inline void cp_fill_derived(cp_fit_result& r, double atoms) {
    const std::size_t K = r.einstein_terms;
    const Eigen::VectorXd& p = r.fit.params;
    const Eigen::VectorXd& e = r.fit.stderrs;
    r.gamma = p[0];
    r.gamma_err = e[0];
    r.beta = p[1];
    r.beta_err = e[1];
    r.modes.clear();
    double sum_p = 0;
    for (std::size_t i = 0; i < K; ++i) {
        const auto ia = static_cast<Eigen::Index>(2 + i), it = static_cast<Eigen::Index>(2 + K + i);
        cp_einstein_mode m;
        m.amplitude = p[ia];
        m.amplitude_err = e[ia];
        m.theta = p[it];
        m.theta_err = e[it];
        m.weight = m.amplitude / (3.0 * gas_constant);
        m.weight_err = m.amplitude_err / (3.0 * gas_constant);
        m.peak_temperature = einstein_peak_temperature(m.theta);
        sum_p += m.weight;
        r.modes.push_back(m);
    }
    r.n_D = atoms - sum_p;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (r.beta > 0 && r.n_D > 0) {
        r.theta_D = debye_theta_from_beta(r.beta, r.n_D);
        Eigen::VectorXd g = Eigen::VectorXd::Zero(p.size());
        g[1] = -r.theta_D / (3.0 * r.beta);
        for (std::size_t i = 0; i < K; ++i)
            g[static_cast<Eigen::Index>(2 + i)] = -r.theta_D / (3.0 * r.n_D) / (3.0 * gas_constant);
        const double var = g.dot(r.fit.covariance * g);
        r.theta_D_err = var >= 0 ? std::sqrt(var) : nan;
    } else {
        r.theta_D = nan;
        r.theta_D_err = nan;
        r.note += r.beta > 0 ? "theta_D undefined: n_D = N - sum(p_n) <= 0 (raise --atoms); "
                             : "theta_D undefined: beta <= 0; ";
    }
    for (std::size_t j = 0; j < r.fit.at_bound.size(); ++j)
        if (r.fit.at_bound[j]) {
            r.note += "a parameter ended on its bound (A_n = 0: fewer modes suffice); ";
            break;
        }
    if (!r.fit.converged) r.note += "not converged: " + r.fit.message + "; ";
}

/// Reorder modes by rising Θ (params, errors, covariance, correlation, bounds flags).
inline void cp_sort_modes(fit_result& f, std::size_t K) {
    if (K < 2) return;
    std::vector<std::size_t> order(K);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return f.params[static_cast<Eigen::Index>(2 + K + a)] < f.params[static_cast<Eigen::Index>(2 + K + b)];
    });
    const std::size_t k = 2 + 2 * K;
    std::vector<Eigen::Index> perm{0, 1};  // new index -> old index
    perm.reserve(k);
    for (std::size_t i = 0; i < K; ++i) perm.push_back(static_cast<Eigen::Index>(2 + order[i]));
    for (std::size_t i = 0; i < K; ++i) perm.push_back(static_cast<Eigen::Index>(2 + K + order[i]));
    const fit_result old = f;
    for (std::size_t a = 0; a < k; ++a) {
        const auto ai = static_cast<Eigen::Index>(a);
        f.params[ai] = old.params[perm[a]];
        f.stderrs[ai] = old.stderrs[perm[a]];
        f.at_bound[a] = old.at_bound[static_cast<std::size_t>(perm[a])];
        for (std::size_t b = 0; b < k; ++b) {
            const auto bi = static_cast<Eigen::Index>(b);
            f.covariance(ai, bi) = old.covariance(perm[a], perm[b]);
            f.correlation(ai, bi) = old.correlation(perm[a], perm[b]);
        }
    }
}

inline void cp_check_data(const char* fn, std::span<const double> T, std::span<const double> y,
                          std::span<const double> sigma) {
    check_xy_sigma(fn, T, y, sigma);
    for (std::size_t i = 0; i < T.size(); ++i)
        if (!(T[i] > 0)) throw_invalid(fn, ": temperatures must be > 0 K (got T=", T[i], " at point ", i, ")");
}

/// LM refinement from p0 (layout [γ, β, A.., Θ..]); A ≥ 0 by bounds, Θ log-scaled.
inline fit_result cp_refine(std::span<const double> T, std::span<const double> y, std::span<const double> sigma,
                            const Eigen::VectorXd& p0, const lsq_options& base) {
    const std::size_t k = static_cast<std::size_t>(p0.size());
    const std::size_t K = (k - 2) / 2;
    const double inf = std::numeric_limits<double>::infinity();
    lsq_options o = base;
    o.lower.assign(k, -inf);
    o.upper.assign(k, inf);
    o.log_scale.assign(k, false);
    for (std::size_t i = 0; i < K; ++i) {
        o.lower[2 + i] = 0.0;
        o.log_scale[2 + K + i] = true;
    }
    const std::size_t n = T.size();
    auto f = [&](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
        for (std::size_t i = 0; i < n; ++i)
            r[static_cast<Eigen::Index>(i)] = (low_t_c_over_t(T[i], p, k) - y[i]) / sigma[i];
    };
    Eigen::VectorXd g(p0.size());
    auto jac = [&](const Eigen::VectorXd& p, Eigen::MatrixXd& J) {
        for (std::size_t i = 0; i < n; ++i) {
            (void)low_t_c_over_t(T[i], p, k, g);
            J.row(static_cast<Eigen::Index>(i)) = g.transpose() / sigma[i];
        }
    };
    return least_squares(f, jac, p0, n, o);
}

/// Weighted linear solve of (γ, β, A_1..A_K) for fixed Θ's; returns χ² (inf if singular).
inline double cp_linear_solve(std::span<const double> T, std::span<const double> y, std::span<const double> sigma,
                              const std::vector<const Eigen::VectorXd*>& ecols, Eigen::VectorXd& coef,
                              Eigen::MatrixXd& X, Eigen::VectorXd& b) {
    const auto n = static_cast<Eigen::Index>(T.size());
    const auto m = static_cast<Eigen::Index>(2 + ecols.size());
    X.resize(n, m);
    b.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto iu = static_cast<std::size_t>(i);
        const double w = 1.0 / sigma[iu];
        X(i, 0) = w;
        X(i, 1) = T[iu] * T[iu] * w;
        for (std::size_t c = 0; c < ecols.size(); ++c) X(i, static_cast<Eigen::Index>(2 + c)) = (*ecols[c])[i] * w;
        b[i] = y[iu] * w;
    }
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(X);
    if (qr.rank() < m) return std::numeric_limits<double>::infinity();
    coef = qr.solve(b);
    Eigen::VectorXd resid(n);
    resid.noalias() = X * coef;  // (not (X*coef − b).squaredNorm(): GCC 12 -O2 false -Wuse-after-free)
    resid -= b;
    return resid.squaredNorm();
}

}  // namespace detail

/// Levenberg–Marquardt fit of the low-T model to y = C/T (J mol⁻¹ K⁻²) with per-point σ, starting
/// from `start` (its number of terms sets K).  No windowing; relative/none weighting is the
/// caller's choice of σ.  This is the call to compare with scipy curve_fit from the same p0.
/// \throws materia::invalid_argument for bad data (lengths, non-finite, T ≤ 0, σ ≤ 0, n < 2 + 2K)
[[nodiscard]] inline cp_fit_result fit_low_t_c_over_t_from(std::span<const double> T, std::span<const double> y,
                                                         std::span<const double> sigma, const low_t_model& start,
                                                         const cp_fit_options& options = {}) {
    detail::cp_check_data("fit_low_t_c_over_t_from", T, y, sigma);
    if (sigma.size() != T.size())
        throw_invalid("fit_low_t_c_over_t_from: sigma must have one entry per point (got ", sigma.size(), " for ",
                      T.size(), ")");
    const std::vector<double> pv = start.to_params();
    Eigen::VectorXd p0 = Eigen::Map<const Eigen::VectorXd>(pv.data(), static_cast<Eigen::Index>(pv.size()));
    cp_fit_result r;
    r.einstein_terms = start.terms.size();
    r.fit = detail::cp_refine(T, y, sigma, p0, options.lsq);
    detail::cp_sort_modes(r.fit, r.einstein_terms);
    detail::cp_fill_derived(r, options.atoms_per_formula_unit);
    return r;
}

/// Fit γ + βT² + K Einstein terms to y = C/T with per-point σ (empty σ → options.weighting), with
/// starting values from the Θ-grid variable projection described in the file comment.
/// \throws materia::invalid_argument for bad data or too few points (n < 2 + 2K)
[[nodiscard]] inline cp_fit_result fit_low_t_c_over_t(std::span<const double> T, std::span<const double> y,
                                                    std::span<const double> sigma, std::size_t K,
                                                    const cp_fit_options& options = {}) {
    detail::cp_check_data("fit_low_t_c_over_t", T, y, sigma);
    const std::size_t n = T.size();
    const std::size_t k = 2 + 2 * K;
    if (n < k)
        throw_invalid("fit_low_t_c_over_t: too few points for ", K, " Einstein terms (got ", n, " points, need >= ", k,
                      ")");
    std::vector<double> sig(sigma.begin(), sigma.end());
    if (sig.empty()) {
        sig.assign(n, 1.0);
        if (options.weighting == cp_weighting::relative)
            for (std::size_t i = 0; i < n; ++i) {
                if (!(y[i] > 0))
                    throw_invalid("fit_low_t_c_over_t: relative weights need C/T > 0 (got ", y[i], " at T=", T[i],
                                  " K); use unit weights (cp_weighting::none, CLI --weights none)");
                sig[i] = y[i];
            }
    }
    const double tmin = *std::min_element(T.begin(), T.end());
    const double tmax = *std::max_element(T.begin(), T.end());

    // Candidate starting points: (χ², parameter vector).
    std::vector<std::pair<double, Eigen::VectorXd>> cands;
    Eigen::VectorXd coef;
    Eigen::MatrixXd X;
    Eigen::VectorXd b;
    if (K == 0) {
        const double c2 = detail::cp_linear_solve(T, y, sig, {}, coef, X, b);
        Eigen::VectorXd p0(2);
        if (std::isfinite(c2)) p0 = coef;
        else p0 << y[0], 0.0;
        cands.emplace_back(c2, p0);
    } else {
        const std::size_t G = std::max<std::size_t>(options.theta_grid, K + 1);
        const double th_lo = std::max(0.5 * einstein_peak_x * tmin, 1e-6);
        const double th_hi = std::max(2.0 * einstein_peak_x * tmax, 2.0 * th_lo);
        std::vector<double> grid(G);
        std::vector<Eigen::VectorXd> cols(G, Eigen::VectorXd(static_cast<Eigen::Index>(n)));
        for (std::size_t g = 0; g < G; ++g) {
            grid[g] = th_lo * std::pow(th_hi / th_lo, static_cast<double>(g) / static_cast<double>(G - 1));
            for (std::size_t i = 0; i < n; ++i)
                cols[g][static_cast<Eigen::Index>(i)] = einstein_heat_capacity(grid[g] / T[i]) / T[i];
        }
        // Gram matrix of the weighted columns [1, T², c_E(Θ_g/T)/T for every grid Θ]: each
        // combination then costs one (2+K)×(2+K) solve instead of a QR of the n×(2+K) design.
        const auto M = static_cast<Eigen::Index>(2 + G);
        Eigen::MatrixXd Z(static_cast<Eigen::Index>(n), M);
        Eigen::VectorXd yw(static_cast<Eigen::Index>(n));
        for (std::size_t i = 0; i < n; ++i) {
            const auto ii = static_cast<Eigen::Index>(i);
            const double w = 1.0 / sig[i];
            Z(ii, 0) = w;
            Z(ii, 1) = T[i] * T[i] * w;
            for (std::size_t g = 0; g < G; ++g) Z(ii, static_cast<Eigen::Index>(2 + g)) = cols[g][ii] * w;
            yw[ii] = y[i] * w;
        }
        const Eigen::MatrixXd gram = Z.transpose() * Z;
        const Eigen::VectorXd zy = Z.transpose() * yw;
        const double yy = yw.squaredNorm();
        // Enumerate K-combinations of the grid.
        std::vector<std::size_t> idx(K);
        std::iota(idx.begin(), idx.end(), std::size_t{0});
        std::vector<std::pair<double, Eigen::VectorXd>> all;
        const std::size_t m = 2 + K;
        std::vector<std::size_t> sel(m);
        std::vector<double> L(m * m), z(m);  // Cholesky factor and solution (plain loops: fast in Debug too)
        const double* gp = gram.data();      // column-major, leading dimension M
        const auto ld = static_cast<std::size_t>(M);
        while (true) {
            sel[0] = 0;
            sel[1] = 1;
            for (std::size_t c = 0; c < K; ++c) sel[2 + c] = 2 + idx[c];
            bool pd = true;
            for (std::size_t a = 0; a < m && pd; ++a) {
                for (std::size_t c = 0; c <= a; ++c) {
                    double v = gp[sel[a] + ld * sel[c]];
                    for (std::size_t q = 0; q < c; ++q) v -= L[a * m + q] * L[c * m + q];
                    if (c == a) {
                        if (!(v > 1e-14 * gp[sel[a] + ld * sel[a]])) {
                            pd = false;
                            break;
                        }
                        L[a * m + a] = std::sqrt(v);
                    } else {
                        L[a * m + c] = v / L[c * m + c];
                    }
                }
            }
            if (pd) {
                for (std::size_t a = 0; a < m; ++a) {  // L w = Zᵀy
                    double v = zy[static_cast<Eigen::Index>(sel[a])];
                    for (std::size_t q = 0; q < a; ++q) v -= L[a * m + q] * z[q];
                    z[a] = v / L[a * m + a];
                }
                double proj = 0;  // χ² = yᵀy − ‖w‖²
                for (std::size_t a = 0; a < m; ++a) proj += z[a] * z[a];
                for (std::size_t a = m; a-- > 0;) {  // Lᵀ c = w
                    double v = z[a];
                    for (std::size_t q = a + 1; q < m; ++q) v -= L[q * m + a] * z[q];
                    z[a] = v / L[a * m + a];
                }
                const double c2 = std::max(yy - proj, 0.0);
                bool nonneg = true, finite = true;
                for (std::size_t a = 0; a < m; ++a) finite = finite && std::isfinite(z[a]);
                for (std::size_t c = 0; c < K; ++c) nonneg = nonneg && z[2 + c] >= 0;
                if (finite) {
                    Eigen::VectorXd p0(static_cast<Eigen::Index>(k));
                    p0[0] = z[0];
                    p0[1] = z[1];
                    for (std::size_t c = 0; c < K; ++c) {
                        p0[static_cast<Eigen::Index>(2 + c)] = std::max(z[2 + c], 0.0);
                        p0[static_cast<Eigen::Index>(2 + K + c)] = grid[idx[c]];
                    }
                    // Combinations with a negative amplitude rank after all admissible ones.
                    all.emplace_back(nonneg ? c2 : std::numeric_limits<double>::max() / 4 + c2, p0);
                }
            }
            // next combination
            std::size_t pos = K;
            while (pos > 0 && idx[pos - 1] == G - K + pos - 1) --pos;
            if (pos == 0) break;
            ++idx[pos - 1];
            for (std::size_t c = pos; c < K; ++c) idx[c] = idx[c - 1] + 1;
        }
        std::sort(all.begin(), all.end(), [](const auto& a, const auto& c) { return a.first < c.first; });
        const std::size_t keep = std::min(all.size(), std::max<std::size_t>(options.refine_starts, 1));
        for (std::size_t s = 0; s < keep; ++s) cands.push_back(std::move(all[s]));
        if (cands.empty()) {
            Eigen::VectorXd p0 = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(k));
            p0[0] = y[0];
            for (std::size_t c = 0; c < K; ++c) {
                p0[static_cast<Eigen::Index>(2 + c)] = 1.0;
                p0[static_cast<Eigen::Index>(2 + K + c)] = grid[(c + 1) * (G - 1) / (K + 1)];
            }
            cands.emplace_back(0.0, p0);
        }
    }
    cp_fit_result best;
    bool have = false;
    for (const auto& cand : cands) {
        fit_result fr = detail::cp_refine(T, y, sig, cand.second, options.lsq);
        const bool better = !have || (fr.converged && !best.fit.converged) ||
                            (fr.converged == best.fit.converged && fr.chi2 < best.fit.chi2);
        if (better) {
            best.fit = std::move(fr);
            have = true;
        }
    }
    best.einstein_terms = K;
    detail::cp_sort_modes(best.fit, K);
    detail::cp_fill_derived(best, options.atoms_per_formula_unit);
    return best;
}

/// Fit measured C_p(T) (J mol⁻¹ K⁻¹ per mole of formula units) inside [t_min, t_max]: one K
/// (options.einstein_terms ≥ 0) or the best K in 0..max_einstein_terms by the chosen criterion
/// (einstein_terms = −1).  The table always lists every K fitted with χ², AIC, AICc, BIC and the
/// F-test against K − 1.
/// \throws materia::invalid_argument for bad data (lengths, non-finite, T ≤ 0, Cp ≤ 0 with
///         relative weights), an empty window or too few points for the requested K.
[[nodiscard]] inline cp_selection_result fit_heat_capacity(std::span<const double> T, std::span<const double> Cp,
                                                           const cp_fit_options& options = {}) {
    detail::cp_check_data("fit_heat_capacity", T, Cp, {});
    if (options.einstein_terms < -1)
        throw_invalid("fit_heat_capacity: einstein_terms must be >= 0 or -1 for auto (got ", options.einstein_terms,
                      ")");
    if (options.einstein_terms == -1 && options.max_einstein_terms < 0)
        throw_invalid("fit_heat_capacity: max_einstein_terms must be >= 0 (got ", options.max_einstein_terms, ")");
    if (!(options.atoms_per_formula_unit > 0))
        throw_invalid("fit_heat_capacity: atoms per formula unit must be > 0 (got ", options.atoms_per_formula_unit,
                      ")");
    if (!(options.t_min <= options.t_max))
        throw_invalid("fit_heat_capacity: need t_min <= t_max (got ", options.t_min, ", ", options.t_max, ")");
    std::vector<double> t, y;
    for (std::size_t i = 0; i < T.size(); ++i)
        if (T[i] >= options.t_min && T[i] <= options.t_max) {
            t.push_back(T[i]);
            y.push_back(Cp[i] / T[i]);
        }
    const std::size_t n = t.size();
    cp_selection_result out;
    out.n_points = n;
    std::size_t k_lo = 0, k_hi = 0;
    if (options.einstein_terms >= 0) {
        k_lo = k_hi = static_cast<std::size_t>(options.einstein_terms);
        if (n < 2 + 2 * k_hi)
            throw_invalid("fit_heat_capacity: too few points in the window for ", k_hi, " Einstein terms (got ", n,
                          ", need >= ", 2 + 2 * k_hi, ")");
    } else {
        if (n < 3) throw_invalid("fit_heat_capacity: too few points in the window (got ", n, ", need >= 3)");
        k_hi = static_cast<std::size_t>(options.max_einstein_terms);
        while (k_hi > 0 && n < 2 + 2 * k_hi + 1) --k_hi;  // keep n > k so that χ²/(n − k) exists
    }
    for (std::size_t K = k_lo; K <= k_hi; ++K) {
        cp_fit_result r = fit_low_t_c_over_t(t, y, {}, K, options);
        cp_selection_row row;
        row.einstein_terms = K;
        row.n_params = r.fit.n_params;
        row.chi2 = r.fit.chi2;
        row.chi2_red = r.fit.chi2_red;
        row.aic = r.fit.aic;
        row.aicc = r.fit.aicc;
        row.bic = r.fit.bic;
        row.converged = r.fit.converged;
        if (!out.fits.empty() && n > row.n_params && row.n_params > out.table.back().n_params) {
            const auto ft = nested_f_test(out.table.back().chi2, out.table.back().n_params, row.chi2, row.n_params, n);
            row.F = ft.F;
            row.p_value = ft.p_value;
        }
        out.table.push_back(row);
        out.fits.push_back(std::move(r));
    }
    std::size_t best = 0;
    auto score = [&](const cp_selection_row& r) {
        switch (options.criterion) {
            case selection_criterion::aicc: return r.aicc;
            case selection_criterion::bic: return r.bic;
            case selection_criterion::aic: break;
        }
        return r.aic;
    };
    for (std::size_t i = 1; i < out.table.size(); ++i)
        if (score(out.table[i]) < score(out.table[best])) best = i;
    out.best = out.fits[best];
    out.selected = out.table[best].einstein_terms;
    return out;
}

}  // namespace materia
