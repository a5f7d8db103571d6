// materia/numerics/least_squares.hpp — general nonlinear least squares (Levenberg–Marquardt) on Eigen.
//
// Entry points
//   least_squares(residual, p0, n_residuals, options)              finite-difference Jacobian
//   least_squares(residual, jacobian, p0, n_residuals, options)    analytic Jacobian
//   least_squares_multistart(residual, [jacobian,] starts, n, options)   best of several starts
//   random_starts(p0, options, count, seed, spread)                 seeded starting points
//   curve_fit(model, x, y, sigma, p0, options)                      y = f(x; p) with per-point σ
//   information_criteria(chi2, n, k, absolute_sigma)                AIC / AICc / BIC conventions
//
// The problem.  Minimise the cost χ²(p) = Σ_i r_i(p)² over the parameters p ∈ R^k.  The residual
// functor is called as `f(const Eigen::VectorXd& p, Eigen::VectorXd& r)` with r already sized to
// n_residuals; it must write WEIGHTED residuals, r_i = (model_i(p) − y_i)/σ_i (σ_i = 1 when there
// are no weights).  The optional Jacobian functor is called as `jac(const Eigen::VectorXd& p,
// Eigen::MatrixXd& J)` with J sized n×k, J_ij = ∂r_i/∂p_j (in the user's parameters, never in the
// internal log variables).
//
// The algorithm.  Levenberg–Marquardt with Moré's diagonal scaling (D_jj = running maximum of
// ‖J_:j‖², MINPACK lmder), Nielsen's damping update (λ ← λ·max(1/3, 1 − (2ρ − 1)³) on success,
// λ ← λν, ν ← 2ν on failure; H. B. Nielsen, IMM-REP-1999-05), the step solved from the augmented
// system [J; √(λD)] δ = [−r; 0] by column-pivoted Householder QR (never forming JᵀJ, so
// ill-conditioned Einstein fits keep their digits), and optional geodesic acceleration (Transtrum &
// Sethna, arXiv:1201.5885: second-order correction a from the directional second derivative,
// accepted only when 2‖a‖/‖δ‖ ≤ α).
//
// Positivity and bounds.  `options.log_scale[j] = true` fits u_j = ln p_j internally (p_j > 0 is
// then guaranteed and Θ-like parameters are better conditioned).  `options.lower/upper` are box
// bounds in the user's parameters, enforced by projection: a trial point is clamped to the box and
// parameters sitting on a bound with the gradient pushing outward are frozen for that step (an
// active-set projected LM).  lower[j] == upper[j] holds parameter j fixed.
//
// Uncertainties.  At the solution the Jacobian J (user parameters, all parameters, bounds ignored —
// the same convention as scipy.optimize.curve_fit) gives Cov = (JᵀJ)⁻¹ via the SVD of J, and
//   absolute_sigma = false (default): Cov ← s²·Cov with s² = χ²/(n − k)   (curve_fit default,
//                                        lmfit scale_covar=True; σ are relative weights)
//   absolute_sigma = true:            Cov as is (σ are absolute standard deviations).
// A rank-deficient Jacobian (singular value below rcond·s_max) gives +inf variances and NaN
// correlations: an undetermined combination has no honest finite error bar.
//
// Information criteria (k = number of fitted parameters, free parameters only):
//   absolute_sigma = false: AIC = n ln(χ²/n) + 2k,  BIC = n ln(χ²/n) + k ln n  (lmfit's convention)
//   absolute_sigma = true:  AIC = χ² + 2k,          BIC = χ² + k ln n         (−2 ln L + const)
//   AICc = AIC + 2k(k + 1)/(n − k − 1)  (+inf when n ≤ k + 1).
//
// Errors.  Malformed input throws materia::invalid_argument: fewer residuals than free parameters,
// non-finite p0, p0 outside its bounds, log_scale with p0 ≤ 0, option vectors of the wrong length,
// a residual vector that is non-finite at p0.  Non-convergence NEVER throws: the result has
// converged = false and a message; the best point found is returned with its covariance.
#pragma once

#include <materia/core/error.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace materia {

/// How the Jacobian is approximated when no analytic Jacobian is given.
enum class jacobian_method {
    forward,  ///< (r(p + h e_j) − r(p))/h, h = √ε·max(1, |p_j|) (scipy '2-point'); k evaluations
    central   ///< (r(p + h e_j) − r(p − h e_j))/2h, h = ε^{1/3}·max(1, |p_j|); 2k evaluations
};

/// Options of the Levenberg–Marquardt engine.  Tolerances are relative; defaults are tight because
/// the problems are small and cheap (a fit converges to near machine precision in tens of steps).
struct lsq_options {
    int max_iterations = 500;     ///< LM iterations (accepted + rejected steps)
    int max_evaluations = 0;      ///< residual evaluations (without FD Jacobian ones); 0 → 200·(k+1)
    double xtol = 1e-12;          ///< stop when ‖D^½ δ‖ ≤ xtol·(‖D^½ u‖ + xtol)
    double ftol = 1e-12;          ///< stop when actual and predicted relative χ² reductions ≤ ftol
    double gtol = 1e-12;          ///< stop when max_j |g_j|/(‖J_:j‖‖r‖) ≤ gtol (cosine test)
    std::vector<double> lower;    ///< lower bounds (user parameters); empty → none; −inf allowed
    std::vector<double> upper;    ///< upper bounds; empty → none; +inf allowed
    std::vector<bool> log_scale;  ///< fit ln p_j for these parameters (needs p_j > 0); empty → none
    bool geodesic_acceleration = false;  ///< Transtrum–Sethna second-order correction
    double geodesic_alpha = 0.75;        ///< acceptance limit on 2‖a‖/‖δ‖
    double geodesic_h = 0.1;             ///< step for the directional second derivative
    jacobian_method fd_method = jacobian_method::forward;  ///< when no analytic Jacobian is given
    double initial_damping = 1e-3;  ///< λ₀ (relative to the Moré scaling D)
    bool absolute_sigma = false;    ///< covariance not scaled by χ²/(n − k); AIC from χ² directly
    double rcond = -1;              ///< SVD cut-off for the covariance; < 0 → ε·max(n, k)
};

/// Result of a least-squares fit.  All vectors/matrices are in the user's parameters.
struct fit_result {
    Eigen::VectorXd params;       ///< best parameters found
    Eigen::VectorXd stderrs;      ///< √diag(covariance); +inf where undetermined; 0 for fixed ones
    Eigen::MatrixXd covariance;   ///< see the header comment for the scaling convention
    Eigen::MatrixXd correlation;  ///< Cov_ij/(σ_i σ_j); NaN where undefined
    Eigen::VectorXd residuals;    ///< weighted residuals at params
    double chi2 = 0;              ///< Σ r_i²
    double chi2_red = 0;          ///< χ²/(n − k); NaN when n == k
    double aic = 0, aicc = 0, bic = 0;  ///< see information_criteria()
    int iterations = 0;           ///< LM iterations used
    int evaluations = 0;          ///< residual evaluations (excluding finite-difference ones)
    int jacobian_evaluations = 0; ///< Jacobian evaluations (analytic or finite difference)
    int rank = 0;                 ///< numerical rank of J at the solution
    bool converged = false;       ///< a convergence test was met
    std::string message;          ///< which test stopped the iteration, or why it failed
    std::vector<bool> at_bound;   ///< parameter j ended on one of its bounds
    std::size_t n_points = 0;     ///< number of residuals n
    std::size_t n_params = 0;     ///< number of FREE parameters k (fixed ones excluded)
};

/// AIC, AICc and BIC for a fit with n points, k free parameters and cost χ².
struct information {
    double aic, aicc, bic;
};

/// The information criteria used throughout materia.  With relative weights (absolute_sigma =
/// false) the Gaussian likelihood has an unknown scale, profiled out: −2 ln L = n ln(χ²/n) + const
/// (lmfit's `aic`/`bic`); with absolute σ, −2 ln L = χ² + const.  Only differences between models
/// fitted to the SAME data with the SAME convention are meaningful.
/// Ref: Burnham & Anderson, Model Selection and Multimodel Inference (2002), §2.2, §2.4.
[[nodiscard]] inline information information_criteria(double chi2, std::size_t n, std::size_t k,
                                                      bool absolute_sigma) {
    const double nd = static_cast<double>(n);
    const double kd = static_cast<double>(k);
    const double m2lnl = absolute_sigma ? chi2 : nd * std::log(std::max(chi2, 1e-250) / nd);
    information out{};
    out.aic = m2lnl + 2.0 * kd;
    out.bic = m2lnl + kd * std::log(nd);
    out.aicc = (n > k + 1) ? out.aic + 2.0 * kd * (kd + 1.0) / (nd - kd - 1.0)
                           : std::numeric_limits<double>::infinity();
    return out;
}

namespace detail {

/// Internal ↔ user parameter map: u = ln p for log-scaled parameters, u = p otherwise.
struct lsq_transform {
    std::vector<bool> log;
    Eigen::VectorXd lo_u, hi_u;  // bounds in u
    std::vector<bool> fixed;

    [[nodiscard]] Eigen::VectorXd to_user(const Eigen::VectorXd& u) const {
        Eigen::VectorXd p = u;
        for (Eigen::Index j = 0; j < u.size(); ++j)
            if (log[static_cast<std::size_t>(j)]) p[j] = std::exp(u[j]);
        return p;
    }
    /// dp_j/du_j
    [[nodiscard]] Eigen::VectorXd dp_du(const Eigen::VectorXd& p) const {
        Eigen::VectorXd d = Eigen::VectorXd::Ones(p.size());
        for (Eigen::Index j = 0; j < p.size(); ++j)
            if (log[static_cast<std::size_t>(j)]) d[j] = p[j];
        return d;
    }
};

template <class Derived>
[[nodiscard]] bool all_finite(const Eigen::DenseBase<Derived>& v) {
    return v.derived().allFinite();
}

/// Build the transform and validate options against p0 (throws materia::invalid_argument).
inline lsq_transform make_transform(const Eigen::VectorXd& p0, const lsq_options& o) {
    const auto k = static_cast<std::size_t>(p0.size());
    const double inf = std::numeric_limits<double>::infinity();
    auto check_len = [k](std::size_t len, const char* what) {
        if (len != 0 && len != k)
            throw_invalid("least_squares: options.", what, " must be empty or have one entry per parameter (got ",
                          len, " entries for ", k, " parameters)");
    };
    check_len(o.lower.size(), "lower");
    check_len(o.upper.size(), "upper");
    check_len(o.log_scale.size(), "log_scale");
    lsq_transform t;
    t.log.assign(k, false);
    t.fixed.assign(k, false);
    t.lo_u = Eigen::VectorXd::Constant(p0.size(), -inf);
    t.hi_u = Eigen::VectorXd::Constant(p0.size(), inf);
    for (std::size_t j = 0; j < k; ++j) {
        const auto jj = static_cast<Eigen::Index>(j);
        const double p = p0[jj];
        if (!std::isfinite(p)) throw_invalid("least_squares: initial parameter ", j, " is not finite (got ", p, ")");
        const double lo = o.lower.empty() ? -inf : o.lower[j];
        const double hi = o.upper.empty() ? inf : o.upper[j];
        if (std::isnan(lo) || std::isnan(hi) || lo > hi)
            throw_invalid("least_squares: bounds of parameter ", j, " are invalid (got lower=", lo, ", upper=", hi, ")");
        if (p < lo || p > hi)
            throw_invalid("least_squares: initial parameter ", j, " = ", p, " lies outside its bounds [", lo, ", ", hi,
                          "]");
        t.log[j] = !o.log_scale.empty() && o.log_scale[j];
        t.fixed[j] = (lo == hi);
        if (t.log[j]) {
            if (!(p > 0)) throw_invalid("least_squares: log-scaled parameter ", j, " needs p0 > 0 (got ", p, ")");
            if (hi <= 0) throw_invalid("least_squares: log-scaled parameter ", j, " needs upper > 0 (got ", hi, ")");
            t.lo_u[jj] = lo > 0 ? std::log(lo) : -inf;
            t.hi_u[jj] = std::log(hi);
        } else {
            t.lo_u[jj] = lo;
            t.hi_u[jj] = hi;
        }
    }
    return t;
}

/// Forward or central finite-difference Jacobian in user parameters.
template <class Residual>
void fd_jacobian(Residual& f, const Eigen::VectorXd& p, const Eigen::VectorXd& r0, Eigen::MatrixXd& J,
                 jacobian_method method, const lsq_transform& t) {
    const double eps = std::numeric_limits<double>::epsilon();
    Eigen::VectorXd pp = p, rp(r0.size()), rm(r0.size());
    for (Eigen::Index j = 0; j < p.size(); ++j) {
        if (t.fixed[static_cast<std::size_t>(j)]) {
            J.col(j).setZero();
            continue;
        }
        const double scale = std::max(1.0, std::abs(p[j]));
        if (method == jacobian_method::forward) {
            double h = std::sqrt(eps) * scale * (p[j] >= 0 ? 1.0 : -1.0);
            pp[j] = p[j] + h;
            h = pp[j] - p[j];  // exactly representable step
            f(std::as_const(pp), rp);
            J.col(j) = (rp - r0) / h;
        } else {
            const double h = std::cbrt(eps) * scale;
            pp[j] = p[j] + h;
            const double hp = pp[j] - p[j];
            f(std::as_const(pp), rp);
            pp[j] = p[j] - h;
            const double hm = p[j] - pp[j];
            f(std::as_const(pp), rm);
            J.col(j) = (rp - rm) / (hp + hm);
        }
        pp[j] = p[j];
    }
}

/// Fill covariance, stderrs, correlation, criteria from the final Jacobian (user parameters).
inline void finish_statistics(fit_result& res, const Eigen::MatrixXd& J, const lsq_transform& t,
                              const lsq_options& o) {
    const Eigen::Index k = J.cols();
    const std::size_t n = res.n_points;
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // Free columns only: fixed parameters have zero variance by construction.
    std::vector<Eigen::Index> free;
    for (Eigen::Index j = 0; j < k; ++j)
        if (!t.fixed[static_cast<std::size_t>(j)]) free.push_back(j);
    const auto m = static_cast<Eigen::Index>(free.size());
    Eigen::MatrixXd Jf(J.rows(), m);
    for (Eigen::Index c = 0; c < m; ++c) Jf.col(c) = J.col(free[static_cast<std::size_t>(c)]);
    res.covariance = Eigen::MatrixXd::Zero(k, k);
    res.rank = 0;
    if (m > 0) {
        Eigen::JacobiSVD<Eigen::MatrixXd> svd(Jf, Eigen::ComputeThinV);
        const Eigen::VectorXd& s = svd.singularValues();
        const double rcond = o.rcond >= 0 ? o.rcond
                                          : std::numeric_limits<double>::epsilon() *
                                                static_cast<double>(std::max<Eigen::Index>(J.rows(), m));
        const double cut = rcond * (s.size() > 0 ? s[0] : 0.0);
        for (Eigen::Index i = 0; i < s.size(); ++i)
            if (s[i] > cut && s[i] > 0) ++res.rank;
        Eigen::MatrixXd cf;
        if (res.rank == m) {
            const Eigen::MatrixXd& V = svd.matrixV();
            cf = V * s.cwiseInverse().cwiseAbs2().asDiagonal() * V.transpose();
        } else {
            cf = Eigen::MatrixXd::Constant(m, m, inf);
        }
        if (!o.absolute_sigma) {
            const double s2 = n > static_cast<std::size_t>(m) ? res.chi2 / static_cast<double>(n - static_cast<std::size_t>(m)) : inf;
            if (std::isinf(s2)) cf.setConstant(inf);
            else cf *= s2;
        }
        for (Eigen::Index a = 0; a < m; ++a)
            for (Eigen::Index b = 0; b < m; ++b)
                res.covariance(free[static_cast<std::size_t>(a)], free[static_cast<std::size_t>(b)]) = cf(a, b);
    }
    res.stderrs = res.covariance.diagonal().cwiseSqrt();
    res.correlation = Eigen::MatrixXd::Constant(k, k, nan);
    for (Eigen::Index a = 0; a < k; ++a)
        for (Eigen::Index b = 0; b < k; ++b) {
            const double d = res.stderrs[a] * res.stderrs[b];
            if (d > 0 && std::isfinite(d)) res.correlation(a, b) = res.covariance(a, b) / d;
        }
    for (Eigen::Index a = 0; a < k; ++a)
        if (res.stderrs[a] > 0 && std::isfinite(res.stderrs[a])) res.correlation(a, a) = 1.0;
    res.n_params = static_cast<std::size_t>(m);
    res.chi2_red = n > res.n_params ? res.chi2 / static_cast<double>(n - res.n_params) : nan;
    const information ic = information_criteria(res.chi2, n, res.n_params, o.absolute_sigma);
    res.aic = ic.aic;
    res.aicc = ic.aicc;
    res.bic = ic.bic;
}

/// The LM engine; `jac(p, r, J)` fills J (user parameters) at p where r = r(p).
template <class Residual, class JacobianFill>
fit_result lm_core(Residual& f, JacobianFill&& jac, Eigen::VectorXd p0, std::size_t n_residuals,
                   const lsq_options& o) {
    const lsq_transform t = make_transform(p0, o);
    const Eigen::Index k = p0.size();
    const auto n = static_cast<Eigen::Index>(n_residuals);
    std::size_t n_free = 0;
    for (bool fx : t.fixed) n_free += fx ? 0U : 1U;
    if (k == 0) throw_invalid("least_squares: no parameters (p0 is empty)");
    if (n_residuals < n_free)
        throw_invalid("least_squares: too few residuals (got ", n_residuals, " for ", n_free,
                      " free parameters; need n >= k)");
    if (o.max_iterations < 0) throw_invalid("least_squares: max_iterations must be >= 0 (got ", o.max_iterations, ")");
    const int max_evals = o.max_evaluations > 0 ? o.max_evaluations : 200 * (static_cast<int>(k) + 1);

    fit_result res;
    res.n_points = n_residuals;
    // Internal variables.
    Eigen::VectorXd u = p0;
    for (Eigen::Index j = 0; j < k; ++j)
        if (t.log[static_cast<std::size_t>(j)]) u[j] = std::log(p0[j]);
    Eigen::VectorXd p = p0;
    Eigen::VectorXd r(n), r_trial(n), r_geo(n);
    f(std::as_const(p), r);
    res.evaluations = 1;
    if (r.size() != n) throw_invalid("least_squares: residual functor resized r (got ", r.size(), ", expected ", n, ")");
    if (!all_finite(r)) throw_invalid("least_squares: residuals are not finite at the initial parameters (non-finite data?)");
    double cost = r.squaredNorm();

    Eigen::MatrixXd J(n, k), Ji(n, k);
    auto refresh_jacobian = [&]() {
        jac(std::as_const(p), std::as_const(r), J);
        ++res.jacobian_evaluations;
        Ji = J * t.dp_du(p).asDiagonal();
        for (Eigen::Index j = 0; j < k; ++j)
            if (t.fixed[static_cast<std::size_t>(j)]) Ji.col(j).setZero();
    };
    refresh_jacobian();

    Eigen::VectorXd D = Eigen::VectorXd::Zero(k);
    double lambda = o.initial_damping;
    double nu = 2.0;
    bool done = false;
    const double eps = std::numeric_limits<double>::epsilon();
    res.message = "maximum number of iterations reached";
    int it = 0;
    for (; it < o.max_iterations && !done; ++it) {
        if (!all_finite(Ji)) {
            res.message = "Jacobian is not finite at the current parameters";
            break;
        }
        const Eigen::VectorXd g = Ji.transpose() * r;
        // Active set: on a bound with the descent direction −g pointing outward.
        std::vector<Eigen::Index> act;
        const double rnorm = std::sqrt(cost);
        double gmax = 0;
        for (Eigen::Index j = 0; j < k; ++j) {
            if (t.fixed[static_cast<std::size_t>(j)]) continue;
            if ((u[j] <= t.lo_u[j] && g[j] > 0) || (u[j] >= t.hi_u[j] && g[j] < 0)) continue;
            act.push_back(j);
            const double cn = Ji.col(j).norm();
            D[j] = std::max(D[j], cn * cn);
            if (cn > 0 && rnorm > 0) gmax = std::max(gmax, std::abs(g[j]) / (cn * rnorm));
        }
        if (cost == 0.0) {
            res.converged = true;
            res.message = "exact fit (zero residuals)";
            break;
        }
        if (act.empty()) {
            res.converged = true;
            res.message = "all free parameters held at their bounds (projected gradient is zero)";
            break;
        }
        if (gmax <= o.gtol) {
            res.converged = true;
            res.message = "gtol: gradient orthogonal to the residuals";
            break;
        }
        const auto m = static_cast<Eigen::Index>(act.size());
        Eigen::MatrixXd A(n + m, m);
        A.setZero();
        for (Eigen::Index c = 0; c < m; ++c) {
            const Eigen::Index j = act[static_cast<std::size_t>(c)];
            A.block(0, c, n, 1) = Ji.col(j);
            A(n + c, c) = std::sqrt(lambda * std::max(D[j], eps));
        }
        Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(A);
        Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n + m);
        rhs.head(n) = -r;
        const Eigen::VectorXd dv = qr.solve(rhs);
        Eigen::VectorXd delta = Eigen::VectorXd::Zero(k);
        for (Eigen::Index c = 0; c < m; ++c) delta[act[static_cast<std::size_t>(c)]] = dv[c];

        auto clamp_to_box = [&](const Eigen::VectorXd& v) {
            Eigen::VectorXd w = v;
            for (Eigen::Index j = 0; j < k; ++j) w[j] = std::clamp(w[j], t.lo_u[j], t.hi_u[j]);
            return w;
        };

        Eigen::VectorXd step = delta;
        bool geo_reject = false;
        if (o.geodesic_acceleration) {
            const Eigen::VectorXd ug = clamp_to_box(u + o.geodesic_h * delta);
            const Eigen::VectorXd pg = t.to_user(ug);
            f(std::as_const(pg), r_geo);
            ++res.evaluations;
            if (all_finite(r_geo)) {
                const Eigen::VectorXd hd = ug - u;
                const double h = o.geodesic_h;
                const Eigen::VectorXd rvv = (2.0 / h) * ((r_geo - r) / h - Ji * hd / h);
                Eigen::VectorXd rhs2 = Eigen::VectorXd::Zero(n + m);
                rhs2.head(n) = -rvv;
                const Eigen::VectorXd av = qr.solve(rhs2);
                Eigen::VectorXd a = Eigen::VectorXd::Zero(k);
                for (Eigen::Index c = 0; c < m; ++c) a[act[static_cast<std::size_t>(c)]] = av[c];
                const double dn = delta.norm();
                if (dn > 0 && 2.0 * a.norm() / dn > o.geodesic_alpha) geo_reject = true;
                else step = delta + 0.5 * a;
            }
        }

        const Eigen::VectorXd u_trial = clamp_to_box(u + step);
        const Eigen::VectorXd s = u_trial - u;
        bool accepted = false;
        double actual = -1, predicted = 0;
        if (!geo_reject) {
            const Eigen::VectorXd p_trial = t.to_user(u_trial);
            f(std::as_const(p_trial), r_trial);
            ++res.evaluations;
            const Eigen::VectorXd Js = Ji * s;
            predicted = -(2.0 * s.dot(g) + Js.squaredNorm());
            if (all_finite(r_trial)) {
                const double cost_trial = r_trial.squaredNorm();
                actual = cost - cost_trial;
                const double rho = predicted > 0 ? actual / predicted : (actual > 0 ? 1.0 : -1.0);
                if (rho > 1e-4 && actual > 0) {
                    accepted = true;
                    const double cost_old = cost;
                    u = u_trial;
                    p = p_trial;
                    r.swap(r_trial);
                    cost = cost_trial;
                    const double tmp = 2.0 * rho - 1.0;
                    lambda *= std::max(1.0 / 3.0, 1.0 - tmp * tmp * tmp);
                    nu = 2.0;
                    // Convergence tests on an accepted step (MINPACK-style).
                    double dsn = 0, dun = 0;
                    for (Eigen::Index j = 0; j < k; ++j) {
                        const double dj = std::sqrt(std::max(D[j], eps));
                        dsn += (dj * s[j]) * (dj * s[j]);
                        dun += (dj * u[j]) * (dj * u[j]);
                    }
                    dsn = std::sqrt(dsn);
                    dun = std::sqrt(dun);
                    if (actual <= o.ftol * cost_old && predicted <= o.ftol * cost_old) {
                        res.converged = true;
                        res.message = "ftol: relative reduction of chi2 below ftol";
                        done = true;
                    } else if (dsn <= o.xtol * (dun + o.xtol)) {
                        res.converged = true;
                        res.message = "xtol: relative step below xtol";
                        done = true;
                    }
                    refresh_jacobian();
                }
            }
        }
        if (!accepted) {
            lambda *= nu;
            nu *= 2.0;
            // No representable improvement left: the predicted reduction is at rounding level.
            if (!geo_reject && predicted >= 0 && predicted <= 4.0 * eps * cost) {
                res.converged = true;
                res.message = "chi2 cannot be reduced further at machine precision";
                done = true;
            } else if (lambda > 1e30 || !std::isfinite(nu)) {
                res.message = "damping grew without bound: no downhill step found";
                done = true;
            }
        }
        if (!done && res.evaluations >= max_evals) {
            res.message = "maximum number of function evaluations reached";
            done = true;
        }
    }
    res.iterations = it;
    res.params = p;
    res.residuals = r;
    res.chi2 = cost;
    res.at_bound.assign(static_cast<std::size_t>(k), false);
    for (Eigen::Index j = 0; j < k; ++j)
        res.at_bound[static_cast<std::size_t>(j)] =
            !t.fixed[static_cast<std::size_t>(j)] && (u[j] <= t.lo_u[j] || u[j] >= t.hi_u[j]);
    finish_statistics(res, J, t, o);
    return res;
}

}  // namespace detail

/// Levenberg–Marquardt with a finite-difference Jacobian (see the file comment for the residual
/// convention, the options and the statistics reported).
/// \param f            `void(const Eigen::VectorXd& p, Eigen::VectorXd& r)`, weighted residuals
/// \param p0           starting parameters (user scale)
/// \param n_residuals  length of r (number of data points n)
/// \throws materia::invalid_argument on malformed input (n < k, non-finite p0 or r(p0), bad options)
/// Ref: J. J. Moré, "The Levenberg–Marquardt algorithm: implementation and theory", LNM 630 (1978).
template <class Residual>
[[nodiscard]] fit_result least_squares(Residual&& f, Eigen::VectorXd p0, std::size_t n_residuals,
                                       const lsq_options& options = {}) {
    const detail::lsq_transform t = detail::make_transform(p0, options);
    auto fd = [&f, &options, &t](const Eigen::VectorXd& p, const Eigen::VectorXd& r, Eigen::MatrixXd& J) {
        detail::fd_jacobian(f, p, r, J, options.fd_method, t);
    };
    return detail::lm_core(f, fd, std::move(p0), n_residuals, options);
}

/// Levenberg–Marquardt with an analytic Jacobian `void(const Eigen::VectorXd& p, Eigen::MatrixXd& J)`
/// (J is n×k, J_ij = ∂r_i/∂p_j in the user's parameters).  Same conventions as the FD overload.
/// \throws materia::invalid_argument on malformed input
template <class Residual, class Jacobian>
[[nodiscard]] fit_result least_squares(Residual&& f, Jacobian&& jac, Eigen::VectorXd p0,
                                       std::size_t n_residuals, const lsq_options& options = {}) {
    auto wrap = [&jac](const Eigen::VectorXd& p, const Eigen::VectorXd& /*r*/, Eigen::MatrixXd& J) { jac(p, J); };
    return detail::lm_core(f, wrap, std::move(p0), n_residuals, options);
}

/// Seeded starting points around p0 for multimodal problems: start 0 is p0 itself; others draw
/// log-scaled (or positive and bounded-below-by-0) parameters as p0·exp(spread·z), parameters with
/// finite bounds uniformly inside the box, and the rest as p0 + spread·max(1,|p0|)·z (z ~ N(0,1)),
/// then clamp into the bounds.  Deterministic for a given seed (SplitMix64 + Box–Muller).
[[nodiscard]] inline std::vector<Eigen::VectorXd> random_starts(const Eigen::VectorXd& p0, const lsq_options& options,
                                                                std::size_t count, std::uint64_t seed = 20240521,
                                                                double spread = 0.5) {
    std::vector<Eigen::VectorXd> out;
    if (count == 0) return out;
    out.push_back(p0);
    std::uint64_t state = seed;
    auto next_u01 = [&state]() {
        state += 0x9E3779B97F4A7C15ULL;
        std::uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        return (static_cast<double>(z >> 11) + 0.5) * 0x1.0p-53;
    };
    auto next_normal = [&next_u01]() {
        const double a = next_u01(), b = next_u01();
        return std::sqrt(-2.0 * std::log(a)) * std::cos(6.283185307179586 * b);
    };
    const double inf = std::numeric_limits<double>::infinity();
    for (std::size_t s = 1; s < count; ++s) {
        Eigen::VectorXd p = p0;
        for (Eigen::Index j = 0; j < p0.size(); ++j) {
            const auto jj = static_cast<std::size_t>(j);
            const double lo = options.lower.empty() ? -inf : options.lower[jj];
            const double hi = options.upper.empty() ? inf : options.upper[jj];
            if (lo == hi) continue;
            const bool lg = !options.log_scale.empty() && options.log_scale[jj];
            if (std::isfinite(lo) && std::isfinite(hi) && !lg) {
                p[j] = lo + (hi - lo) * next_u01();
            } else if ((lg || lo >= 0) && p0[j] > 0) {
                p[j] = p0[j] * std::exp(spread * next_normal());
            } else {
                p[j] = p0[j] + spread * std::max(1.0, std::abs(p0[j])) * next_normal();
            }
            p[j] = std::clamp(p[j], lo, hi);
            if (lg && !(p[j] > 0)) p[j] = p0[j];
        }
        out.push_back(p);
    }
    return out;
}

/// Run the FD-Jacobian engine from every start and return the result with the smallest χ²
/// (converged results preferred).  Starts that throw (e.g. non-finite residuals there) are skipped;
/// if all starts fail, the exception of the first start is rethrown.
template <class Residual>
[[nodiscard]] fit_result least_squares_multistart(Residual&& f, const std::vector<Eigen::VectorXd>& starts,
                                                  std::size_t n_residuals, const lsq_options& options = {}) {
    if (starts.empty()) throw_invalid("least_squares_multistart: no starting points (got 0)");
    fit_result best;
    bool have = false;
    std::exception_ptr first_error;
    for (std::size_t s = 0; s < starts.size(); ++s) {
        fit_result r;
        try {
            r = least_squares(f, starts[s], n_residuals, options);
        } catch (const invalid_argument&) {
            if (!first_error) first_error = std::current_exception();
            continue;
        }
        const bool better = !have || (r.converged && !best.converged) ||
                            (r.converged == best.converged && r.chi2 < best.chi2);
        if (better) {
            best = std::move(r);
            have = true;
        }
    }
    if (!have) std::rethrow_exception(first_error);
    return best;
}

/// Multi-start with an analytic Jacobian (see the FD overload).
template <class Residual, class Jacobian>
[[nodiscard]] fit_result least_squares_multistart(Residual&& f, Jacobian&& jac,
                                                  const std::vector<Eigen::VectorXd>& starts,
                                                  std::size_t n_residuals, const lsq_options& options = {}) {
    if (starts.empty()) throw_invalid("least_squares_multistart: no starting points (got 0)");
    fit_result best;
    bool have = false;
    std::exception_ptr first_error;
    for (std::size_t s = 0; s < starts.size(); ++s) {
        fit_result r;
        try {
            r = least_squares(f, jac, starts[s], n_residuals, options);
        } catch (const invalid_argument&) {
            if (!first_error) first_error = std::current_exception();
            continue;
        }
        const bool better = !have || (r.converged && !best.converged) ||
                            (r.converged == best.converged && r.chi2 < best.chi2);
        if (better) {
            best = std::move(r);
            have = true;
        }
    }
    if (!have) std::rethrow_exception(first_error);
    return best;
}

namespace detail {
inline void check_xy_sigma(const char* fn, std::span<const double> x, std::span<const double> y,
                           std::span<const double> sigma) {
    if (x.size() != y.size())
        throw_invalid(fn, ": x and y differ in length (got ", x.size(), " and ", y.size(), ")");
    if (!sigma.empty() && sigma.size() != x.size())
        throw_invalid(fn, ": sigma must be empty or as long as x (got ", sigma.size(), " for ", x.size(), " points)");
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
            throw_invalid(fn, ": data point ", i, " is not finite (got x=", x[i], ", y=", y[i], ")");
        if (!sigma.empty() && !(sigma[i] > 0 && std::isfinite(sigma[i])))
            throw_invalid(fn, ": sigma[", i, "] must be finite and > 0 (got ", sigma[i], ")");
    }
}
}  // namespace detail

/// Fit y_i ≈ model(x_i, p) with residuals (model − y)/σ_i (σ empty → unit weights), FD Jacobian.
/// `model` is `double(double x, const Eigen::VectorXd& p)`.  Equivalent to
/// scipy.optimize.curve_fit(model, x, y, p0, sigma, absolute_sigma=options.absolute_sigma).
/// \throws materia::invalid_argument for mismatched lengths, non-finite data, σ ≤ 0, n < k
template <class Model>
[[nodiscard]] fit_result curve_fit(Model&& model, std::span<const double> x, std::span<const double> y,
                                   std::span<const double> sigma, Eigen::VectorXd p0,
                                   const lsq_options& options = {}) {
    detail::check_xy_sigma("curve_fit", x, y, sigma);
    auto f = [&](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double w = sigma.empty() ? 1.0 : sigma[i];
            r[static_cast<Eigen::Index>(i)] = (model(x[i], p) - y[i]) / w;
        }
    };
    return least_squares(f, std::move(p0), x.size(), options);
}

/// As curve_fit, with an analytic gradient: `double model(double x, const Eigen::VectorXd& p,
/// Eigen::VectorXd& grad)` returns f(x; p) and writes ∂f/∂p_j into grad (sized k on entry).
template <class ModelWithGradient>
[[nodiscard]] fit_result curve_fit_with_gradient(ModelWithGradient&& model, std::span<const double> x,
                                                 std::span<const double> y, std::span<const double> sigma,
                                                 Eigen::VectorXd p0, const lsq_options& options = {}) {
    detail::check_xy_sigma("curve_fit_with_gradient", x, y, sigma);
    const Eigen::Index k = p0.size();
    auto f = [&](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
        Eigen::VectorXd grad(k);
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double w = sigma.empty() ? 1.0 : sigma[i];
            r[static_cast<Eigen::Index>(i)] = (model(x[i], p, grad) - y[i]) / w;
        }
    };
    auto jac = [&](const Eigen::VectorXd& p, Eigen::MatrixXd& J) {
        Eigen::VectorXd grad(k);
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double w = sigma.empty() ? 1.0 : sigma[i];
            (void)model(x[i], p, grad);
            J.row(static_cast<Eigen::Index>(i)) = grad.transpose() / w;
        }
    };
    return least_squares(f, jac, std::move(p0), x.size(), options);
}

}  // namespace materia
