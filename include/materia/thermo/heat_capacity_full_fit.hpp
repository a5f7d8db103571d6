// materia/thermo/heat_capacity_full_fit.hpp — fits of C_p(T) over the whole temperature range with
// the full Debye function plus K Einstein terms, optionally under the Dulong–Petit constraint.
//
// Entry point
//   fit_full_heat_capacity(T, Cp, options)   → full_cp_fit_result
//
// Model (SCIENCE.md §5.1), per mole of formula units:
//   C_p(T) = γT + 3R n_D c_D(Θ_D/T) + Σ_n A_n c_E(Θ_n/T),   A_n = 3R p_n,
// c_D the Debye heat-capacity function (materia/thermo/debye_einstein.hpp, exact for all Θ/T) and
// c_E the Einstein function.  With options.dulong_petit the Debye weight is not fitted:
// n_D = N − Σ p_n, so C_p → 3RN (+γT) at high T.  Otherwise n_D is a free parameter.
// (C_p − C_V is ignored: fit data below ~Θ_D/2 or accept the anharmonic bias.)
// Residuals are relative ((model − C)/C) by default since C spans decades.  Starting values: for
// fixed (Θ_D, Θ_1..Θ_K) the model is linear in (γ, n_D or nothing, A_n); a log grid of Θ's
// (Θ_D from 0.5·T_min·x to ~3·T_max, Einstein temperatures like the low-T fit) is scored by exact
// weighted linear solves with non-negative weights, and the best combinations are refined by
// Levenberg–Marquardt with the analytic Jacobian (Θ's log-parameterised, A_n ≥ 0, n_D ≥ 0).
#pragma once

#include <materia/core/error.hpp>
#include <materia/numerics/least_squares.hpp>
#include <materia/thermo/debye_einstein.hpp>
#include <materia/thermo/heat_capacity_fit.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace materia {

/// Options of fit_full_heat_capacity.
struct full_cp_fit_options {
    std::size_t einstein_terms = 1;     ///< K
    bool dulong_petit = true;           ///< n_D = N − Σp_n (else n_D fitted)
    double atoms_per_formula_unit = 1;  ///< N
    double t_min = 0;
    double t_max = std::numeric_limits<double>::infinity();
    cp_weighting weighting = cp_weighting::relative;
    std::size_t theta_grid = 10;        ///< grid points per temperature for the start search
    std::size_t refine_starts = 3;
    lsq_options lsq = {};
};

/// Result of fit_full_heat_capacity.
struct full_cp_fit_result {
    std::size_t einstein_terms = 0;
    bool dulong_petit = true;
    double gamma = 0, gamma_err = 0;      ///< J mol⁻¹ K⁻²
    double n_D = 0, n_D_err = 0;          ///< Debye oscillators per formula unit
    double theta_D = 0, theta_D_err = 0;  ///< K
    std::vector<cp_einstein_mode> modes;  ///< sorted by rising Θ
    fit_result fit;  ///< params [γ, (n_D,) Θ_D, A_1..A_K, Θ_1..Θ_K] in the fitter's order (not sorted)
    std::string note;

    /// The fitted C_p(T), J mol⁻¹ K⁻¹.
    [[nodiscard]] double cp(double T) const {
        std::vector<einstein_term> terms;
        for (const auto& m : modes) terms.push_back({m.amplitude, m.theta});
        return debye_einstein_cp(T, gamma, n_D, theta_D, terms);
    }
};

/// Fit C_p(T) with the full Debye function + K Einstein terms (see the file comment).
/// \throws materia::invalid_argument for bad data (lengths, non-finite, T ≤ 0, Cp ≤ 0 with relative
///         weights), N ≤ 0, or too few points in the window.
[[nodiscard]] inline full_cp_fit_result fit_full_heat_capacity(std::span<const double> T_in,
                                                               std::span<const double> Cp_in,
                                                               const full_cp_fit_options& options = {}) {
    detail::cp_check_data("fit_full_heat_capacity", T_in, Cp_in, {});
    const double N = options.atoms_per_formula_unit;
    if (!(N > 0)) throw_invalid("fit_full_heat_capacity: atoms per formula unit must be > 0 (got ", N, ")");
    std::vector<double> T, C, s;
    for (std::size_t i = 0; i < T_in.size(); ++i)
        if (T_in[i] >= options.t_min && T_in[i] <= options.t_max) {
            T.push_back(T_in[i]);
            C.push_back(Cp_in[i]);
            if (options.weighting == cp_weighting::relative) {
                if (!(Cp_in[i] > 0))
                    throw_invalid("fit_full_heat_capacity: relative weights need Cp > 0 (got ", Cp_in[i], " at T=",
                                  T_in[i], " K)");
                s.push_back(Cp_in[i]);
            } else {
                s.push_back(1.0);
            }
        }
    const std::size_t n = T.size(), K = options.einstein_terms;
    const bool dp = options.dulong_petit;
    const std::size_t off = dp ? 2 : 3;  // index of A_1
    const std::size_t k = off + 2 * K;
    if (n < k + 1)
        throw_invalid("fit_full_heat_capacity: too few points in the window (got ", n, ", need >= ", k + 1, ")");
    const double R3 = 3.0 * gas_constant;
    const double tmin = *std::min_element(T.begin(), T.end()), tmax = *std::max_element(T.begin(), T.end());

    // --- starting values by grid + linear solves -------------------------------------------
    const std::size_t G = std::max<std::size_t>(options.theta_grid, K + 2);
    auto loggrid = [G](double lo, double hi) {
        std::vector<double> g(G);
        for (std::size_t i = 0; i < G; ++i)
            g[i] = lo * std::pow(hi / lo, static_cast<double>(i) / static_cast<double>(G - 1));
        return g;
    };
    const std::vector<double> gD = loggrid(std::max(2.0 * tmin, 1.0), std::max(4.0 * tmax, 4.0 * tmin + 10.0));
    const std::vector<double> gE = loggrid(std::max(0.5 * einstein_peak_x * tmin, 1e-3),
                                           std::max(2.0 * einstein_peak_x * tmax, 2.0 * tmin));
    std::vector<std::pair<double, Eigen::VectorXd>> cands;
    std::vector<std::size_t> idx(K);
    const auto nn = static_cast<Eigen::Index>(n);
    const auto mlin = static_cast<Eigen::Index>((dp ? 1 : 2) + K);  // γ, (n_D), A_n
    Eigen::MatrixXd X(nn, mlin);
    Eigen::VectorXd b(nn), resid(nn);
    // Tabulate c_D and c_E on the grids once (the Debye function is the expensive part).
    std::vector<std::vector<double>> tabD(G, std::vector<double>(n)), tabE(G, std::vector<double>(n));
    for (std::size_t g = 0; g < G; ++g)
        for (std::size_t i = 0; i < n; ++i) {
            tabD[g][i] = debye_heat_capacity(gD[g] / T[i]);
            tabE[g][i] = einstein_heat_capacity(gE[g] / T[i]);
        }
    for (std::size_t gd = 0; gd < G; ++gd) {
        const double thD = gD[gd];
        std::iota(idx.begin(), idx.end(), std::size_t{0});
        while (true) {
            for (std::size_t i = 0; i < n; ++i) {
                const auto ii = static_cast<Eigen::Index>(i);
                const double w = 1.0 / s[i];
                const double cD = tabD[gd][i];
                Eigen::Index c = 0;
                X(ii, c++) = T[i] * w;
                if (!dp) X(ii, c++) = R3 * cD * w;
                for (std::size_t e = 0; e < K; ++e) {
                    const double cE = tabE[idx[e]][i];
                    X(ii, c++) = (dp ? cE - cD : cE) * w;
                }
                b[ii] = (C[i] - (dp ? R3 * N * cD : 0.0)) * w;
            }
            Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(X);
            if (qr.rank() == mlin) {
                const Eigen::VectorXd coef = qr.solve(b);
                resid.noalias() = X * coef;  // (not (X*coef − b).squaredNorm(): GCC 12 -O2 false -Wuse-after-free)
                resid -= b;
                const double c2 = resid.squaredNorm();
                bool ok = coef.allFinite();
                const Eigen::Index a0 = dp ? 1 : 2;
                for (Eigen::Index e = a0; e < mlin; ++e) ok = ok && coef[e] >= 0;
                if (!dp) ok = ok && coef[1] >= 0;
                if (ok) {
                    Eigen::VectorXd p0(static_cast<Eigen::Index>(k));
                    p0[0] = coef[0];
                    if (!dp) p0[1] = coef[1];
                    p0[static_cast<Eigen::Index>(off - 1)] = thD;
                    for (std::size_t e = 0; e < K; ++e) {
                        p0[static_cast<Eigen::Index>(off + e)] = coef[a0 + static_cast<Eigen::Index>(e)];
                        p0[static_cast<Eigen::Index>(off + K + e)] = gE[idx[e]];
                    }
                    cands.emplace_back(c2, p0);
                }
            }
            if (K == 0) break;
            std::size_t pos = K;
            while (pos > 0 && idx[pos - 1] == G - K + pos - 1) --pos;
            if (pos == 0) break;
            ++idx[pos - 1];
            for (std::size_t c = pos; c < K; ++c) idx[c] = idx[c - 1] + 1;
        }
    }
    if (cands.empty()) {  // fall back to a plain guess
        Eigen::VectorXd p0(static_cast<Eigen::Index>(k));
        p0[0] = 0.0;
        if (!dp) p0[1] = N;
        p0[static_cast<Eigen::Index>(off - 1)] = gD[G / 2];
        for (std::size_t e = 0; e < K; ++e) {
            p0[static_cast<Eigen::Index>(off + e)] = 0.0;
            p0[static_cast<Eigen::Index>(off + K + e)] = gE[(e + 1) * (G - 1) / (K + 1)];
        }
        cands.emplace_back(0.0, p0);
    }
    std::sort(cands.begin(), cands.end(), [](const auto& a, const auto& c) { return a.first < c.first; });
    cands.resize(std::min(cands.size(), std::max<std::size_t>(options.refine_starts, 1)));

    // --- LM refinement ----------------------------------------------------------------------
    const double inf = std::numeric_limits<double>::infinity();
    lsq_options o = options.lsq;
    o.lower.assign(k, -inf);
    o.upper.assign(k, inf);
    o.log_scale.assign(k, false);
    if (!dp) o.lower[1] = 0.0;
    o.log_scale[off - 1] = true;
    for (std::size_t e = 0; e < K; ++e) {
        o.lower[off + e] = 0.0;
        o.log_scale[off + K + e] = true;
    }
    auto eval = [&](const Eigen::VectorXd& p, std::size_t i, double* grad) {
        const double t = T[i];
        const double sumA = [&] {
            double a = 0;
            for (std::size_t e = 0; e < K; ++e) a += p[static_cast<Eigen::Index>(off + e)];
            return a;
        }();
        const double nD = dp ? N - sumA / R3 : p[1];
        const double thD = p[static_cast<Eigen::Index>(off - 1)];
        const double xD = thD / t;
        const double cD = debye_heat_capacity(xD);
        double v = p[0] * t + R3 * nD * cD;
        if (grad) {
            grad[0] = t;
            if (!dp) grad[1] = R3 * cD;
            grad[off - 1] = R3 * nD * debye_heat_capacity_dx(xD) / t;
        }
        for (std::size_t e = 0; e < K; ++e) {
            const double A = p[static_cast<Eigen::Index>(off + e)];
            const double th = p[static_cast<Eigen::Index>(off + K + e)];
            double cE = 0, dcE = 0;
            einstein_heat_capacity_and_dx(th / t, cE, dcE);
            v += A * cE;
            if (grad) {
                grad[off + e] = dp ? cE - cD : cE;
                grad[off + K + e] = A * dcE / t;
            }
        }
        return v;
    };
    auto f = [&](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
        for (std::size_t i = 0; i < n; ++i) r[static_cast<Eigen::Index>(i)] = (eval(p, i, nullptr) - C[i]) / s[i];
    };
    std::vector<double> g(k);
    auto jac = [&](const Eigen::VectorXd& p, Eigen::MatrixXd& J) {
        for (std::size_t i = 0; i < n; ++i) {
            (void)eval(p, i, g.data());
            for (std::size_t j = 0; j < k; ++j) J(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = g[j] / s[i];
        }
    };
    full_cp_fit_result best;
    bool have = false;
    for (const auto& cand : cands) {
        fit_result fr = least_squares(f, jac, cand.second, n, o);
        if (!have || (fr.converged && !best.fit.converged) ||
            (fr.converged == best.fit.converged && fr.chi2 < best.fit.chi2)) {
            best.fit = std::move(fr);
            have = true;
        }
    }
    // --- derived quantities -----------------------------------------------------------------
    const Eigen::VectorXd& p = best.fit.params;
    const Eigen::VectorXd& e = best.fit.stderrs;
    const Eigen::MatrixXd& Cv = best.fit.covariance;
    best.einstein_terms = K;
    best.dulong_petit = dp;
    best.gamma = p[0];
    best.gamma_err = e[0];
    best.theta_D = p[static_cast<Eigen::Index>(off - 1)];
    best.theta_D_err = e[static_cast<Eigen::Index>(off - 1)];
    if (dp) {
        double sumA = 0, varA = 0;
        for (std::size_t a = 0; a < K; ++a) {
            sumA += p[static_cast<Eigen::Index>(off + a)];
            for (std::size_t c = 0; c < K; ++c)
                varA += Cv(static_cast<Eigen::Index>(off + a), static_cast<Eigen::Index>(off + c));
        }
        best.n_D = N - sumA / R3;
        best.n_D_err = std::sqrt(std::max(varA, 0.0)) / R3;
    } else {
        best.n_D = p[1];
        best.n_D_err = e[1];
    }
    for (std::size_t a = 0; a < K; ++a) {
        cp_einstein_mode m;
        m.amplitude = p[static_cast<Eigen::Index>(off + a)];
        m.amplitude_err = e[static_cast<Eigen::Index>(off + a)];
        m.theta = p[static_cast<Eigen::Index>(off + K + a)];
        m.theta_err = e[static_cast<Eigen::Index>(off + K + a)];
        m.weight = m.amplitude / R3;
        m.weight_err = m.amplitude_err / R3;
        m.peak_temperature = einstein_peak_temperature(m.theta);
        best.modes.push_back(m);
    }
    std::sort(best.modes.begin(), best.modes.end(), [](const auto& a, const auto& c) { return a.theta < c.theta; });
    if (dp && best.n_D < 0) best.note += "n_D = N - sum(p_n) < 0: the Einstein weights exceed N; ";
    if (!best.fit.converged) best.note += "not converged: " + best.fit.message + "; ";
    return best;
}

}  // namespace materia
