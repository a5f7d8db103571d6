// Tests of the Levenberg–Marquardt engine (materia/numerics/least_squares.hpp).
#include <doctest/doctest.h>

#include <materia/numerics/least_squares.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using doctest::Approx;

namespace {

// Deterministic N(0,1) noise, independent of the standard library's distribution implementation.
struct normal_source {
    std::mt19937_64 gen;
    explicit normal_source(std::uint64_t seed) : gen(seed) {}
    double operator()() {
        const double a = (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53;
        const double b = (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53;
        return std::sqrt(-2.0 * std::log(a)) * std::cos(6.283185307179586 * b);
    }
};

}  // namespace

TEST_SUITE("numerics.least_squares") {

TEST_CASE("least_squares: Rosenbrock residuals reach the exact minimum (1, 1)") {
    auto f = [](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
        r[0] = 10.0 * (p[1] - p[0] * p[0]);
        r[1] = 1.0 - p[0];
    };
    auto jac = [](const Eigen::VectorXd& p, Eigen::MatrixXd& J) {
        J << -20.0 * p[0], 10.0, -1.0, 0.0;
    };
    Eigen::VectorXd p0(2);
    p0 << -1.2, 1.0;
    for (bool geo : {false, true}) {
        materia::lsq_options o;
        o.geodesic_acceleration = geo;
        const auto a = materia::least_squares(f, jac, p0, 2, o);
        CHECK(a.converged);
        CHECK(a.params[0] == Approx(1.0).epsilon(1e-10));
        CHECK(a.params[1] == Approx(1.0).epsilon(1e-10));
        CHECK(a.chi2 < 1e-20);
        const auto b = materia::least_squares(f, p0, 2, o);
        CHECK(b.converged);
        CHECK(b.params[0] == Approx(1.0).epsilon(1e-7));
        CHECK(b.params[1] == Approx(1.0).epsilon(1e-7));
    }
}

TEST_CASE("least_squares: a straight line reproduces the closed-form OLS estimate and covariance") {
    // y = a + b x, unit weights: Cov = s² (XᵀX)⁻¹, s² = RSS/(n − 2).
    const std::vector<double> x{0, 1, 2, 3, 4, 5, 6, 7};
    const std::vector<double> y{1.1, 2.9, 5.2, 6.8, 9.1, 11.0, 12.7, 15.2};
    const double n = 8;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sx += x[i];
        sy += y[i];
        sxx += x[i] * x[i];
        sxy += x[i] * y[i];
    }
    const double det = n * sxx - sx * sx;
    const double b = (n * sxy - sx * sy) / det;
    const double a = (sy - b * sx) / n;
    double rss = 0;
    for (std::size_t i = 0; i < x.size(); ++i) rss += (y[i] - a - b * x[i]) * (y[i] - a - b * x[i]);
    const double s2 = rss / (n - 2);
    Eigen::VectorXd p0(2);
    p0 << 0.0, 1.0;
    const auto res = materia::curve_fit([](double xx, const Eigen::VectorXd& p) { return p[0] + p[1] * xx; }, x, y,
                                        {}, p0);
    CHECK(res.converged);
    // The FD Jacobian of a linear model is exact only to ~1e-8, which moves the fixed point slightly.
    CHECK(res.params[0] == Approx(a).epsilon(1e-7));
    CHECK(res.params[1] == Approx(b).epsilon(1e-7));
    CHECK(res.chi2 == Approx(rss).epsilon(1e-10));
    CHECK(res.covariance(0, 0) == Approx(s2 * sxx / det).epsilon(1e-6));
    CHECK(res.covariance(1, 1) == Approx(s2 * n / det).epsilon(1e-6));
    CHECK(res.covariance(0, 1) == Approx(-s2 * sx / det).epsilon(1e-6));
    CHECK(res.correlation(0, 1) == Approx(-sx / std::sqrt(sxx * n)).epsilon(1e-6));
    CHECK(res.chi2_red == Approx(s2).epsilon(1e-10));
    CHECK(res.n_params == 2);
    CHECK(res.n_points == 8);
    // Criteria with the relative-weight convention n ln(χ²/n) + 2k, + k ln n.
    CHECK(res.aic == Approx(n * std::log(rss / n) + 4).epsilon(1e-10));
    CHECK(res.bic == Approx(n * std::log(rss / n) + 2 * std::log(n)).epsilon(1e-10));
    CHECK(res.aicc == Approx(res.aic + 2.0 * 2 * 3 / (n - 3)).epsilon(1e-10));
    // absolute_sigma: unscaled covariance, AIC = χ² + 2k.
    materia::lsq_options abs_opt;
    abs_opt.absolute_sigma = true;
    const auto ra = materia::curve_fit([](double xx, const Eigen::VectorXd& p) { return p[0] + p[1] * xx; }, x, y,
                                       {}, p0, abs_opt);
    CHECK(ra.covariance(1, 1) == Approx(n / det).epsilon(1e-6));
    CHECK(ra.aic == Approx(rss + 4).epsilon(1e-10));
}

TEST_CASE("least_squares: exponential decay with noise recovers the truth within 2 sigma") {
    const double A = 5.0, k = 0.7, c = 0.3, sig = 0.02;
    std::vector<double> x, y, s;
    normal_source z(7);
    for (int i = 0; i < 40; ++i) {
        const double xi = 0.1 * i;
        x.push_back(xi);
        y.push_back(A * std::exp(-k * xi) + c + sig * z());
        s.push_back(sig);
    }
    auto model = [](double xx, const Eigen::VectorXd& p, Eigen::VectorXd& g) {
        const double e = std::exp(-p[1] * xx);
        g[0] = e;
        g[1] = -p[0] * xx * e;
        g[2] = 1.0;
        return p[0] * e + p[2];
    };
    Eigen::VectorXd p0(3);
    p0 << 1.0, 3.0, 0.0;
    materia::lsq_options o;
    o.absolute_sigma = true;
    const auto r = materia::curve_fit_with_gradient(model, x, y, s, p0, o);
    REQUIRE(r.converged);
    CHECK(std::abs(r.params[0] - A) < 2 * r.stderrs[0]);
    CHECK(std::abs(r.params[1] - k) < 2 * r.stderrs[1]);
    CHECK(std::abs(r.params[2] - c) < 2 * r.stderrs[2]);
    CHECK(r.stderrs[1] > 0);
    CHECK(r.stderrs[1] < 0.02);
    // χ²/ν is ~1 for correctly specified absolute σ.
    CHECK(r.chi2_red > 0.5);
    CHECK(r.chi2_red < 1.6);
    // FD Jacobian and analytic Jacobian agree on the optimum and the errors.
    auto plain = [](double xx, const Eigen::VectorXd& p) { return p[0] * std::exp(-p[1] * xx) + p[2]; };
    const auto r2 = materia::curve_fit(plain, x, y, s, p0, o);
    CHECK(r2.params[1] == Approx(r.params[1]).epsilon(1e-7));
    CHECK(r2.stderrs[1] == Approx(r.stderrs[1]).epsilon(1e-5));
    materia::lsq_options oc = o;
    oc.fd_method = materia::jacobian_method::central;
    const auto r3 = materia::curve_fit(plain, x, y, s, p0, oc);
    CHECK(r3.params[1] == Approx(r.params[1]).epsilon(1e-9));
    CHECK(r3.stderrs[1] == Approx(r.stderrs[1]).epsilon(1e-7));
    // Log-scaled parameters reach the same optimum.
    materia::lsq_options ol = o;
    ol.log_scale = {true, true, false};
    const auto r4 = materia::curve_fit_with_gradient(model, x, y, s, p0, ol);
    CHECK(r4.converged);
    CHECK(r4.params[1] == Approx(r.params[1]).epsilon(1e-9));
    CHECK(r4.stderrs[1] == Approx(r.stderrs[1]).epsilon(1e-7));
}

TEST_CASE("least_squares: bounds are respected, fixed parameters stay fixed") {
    // Fit y = a + b x to data with slope 2, but b is bounded above by 1: the solution sits at b = 1
    // and a is the conditional optimum mean(y − x).
    const std::vector<double> x{0, 1, 2, 3, 4};
    const std::vector<double> y{0, 2, 4, 6, 8};
    auto line = [](double xx, const Eigen::VectorXd& p) { return p[0] + p[1] * xx; };
    Eigen::VectorXd p0(2);
    p0 << 0.0, 0.5;
    materia::lsq_options o;
    o.lower = {-10, -10};
    o.upper = {10, 1};
    const auto r = materia::curve_fit(line, x, y, {}, p0, o);
    CHECK(r.converged);
    CHECK(r.params[1] == Approx(1.0).epsilon(1e-14));
    CHECK(r.params[0] == Approx(2.0).epsilon(1e-8));  // mean(y − x) = (0+1+2+3+4)/5
    CHECK(r.at_bound[1]);
    CHECK_FALSE(r.at_bound[0]);
    // Fixed slope via lower == upper: only the intercept is free (k = 1).
    materia::lsq_options of;
    of.lower = {-10, 1.5};
    of.upper = {10, 1.5};
    Eigen::VectorXd p1(2);
    p1 << 0.0, 1.5;
    const auto rf = materia::curve_fit(line, x, y, {}, p1, of);
    CHECK(rf.params[1] == 1.5);
    CHECK(rf.params[0] == Approx(1.0).epsilon(1e-8));  // mean(y − 1.5x) = (0+0.5+1+1.5+2)/5
    CHECK(rf.n_params == 1);
    CHECK(rf.stderrs[1] == 0.0);
}

TEST_CASE("least_squares: multistart finds the global minimum of a multimodal fit") {
    // y = sin(ω x) sampled on [0, 10] with ω = 2.3: starting at ω = 0.5 LM is caught in a local
    // minimum; random starts around it find the true frequency.
    std::vector<double> x, y;
    for (int i = 0; i < 60; ++i) {
        x.push_back(10.0 * i / 59.0);
        y.push_back(std::sin(2.3 * x.back()));
    }
    auto f = [&](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
        for (std::size_t i = 0; i < x.size(); ++i) r[static_cast<Eigen::Index>(i)] = std::sin(p[0] * x[i]) - y[i];
    };
    Eigen::VectorXd p0(1);
    p0 << 0.5;
    materia::lsq_options o;
    o.lower = {0.1};
    o.upper = {5.0};
    const auto single = materia::least_squares(f, p0, x.size(), o);
    CHECK(std::abs(single.params[0] - 2.3) > 0.1);  // a local minimum
    const auto starts = materia::random_starts(p0, o, 24, 99);
    REQUIRE(starts.size() == 24);
    CHECK(starts[0][0] == 0.5);
    const auto best = materia::least_squares_multistart(f, starts, x.size(), o);
    CHECK(best.params[0] == Approx(2.3).epsilon(1e-8));
    CHECK(best.chi2 < 1e-16);
    // Same seed → same starts (deterministic).
    const auto again = materia::random_starts(p0, o, 24, 99);
    for (std::size_t s = 0; s < starts.size(); ++s) CHECK(again[s][0] == starts[s][0]);
}

TEST_CASE("least_squares: non-convergence is reported, not thrown") {
    auto f = [](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
        r[0] = 10.0 * (p[1] - p[0] * p[0]);
        r[1] = 1.0 - p[0];
    };
    Eigen::VectorXd p0(2);
    p0 << -1.2, 1.0;
    materia::lsq_options o;
    o.max_iterations = 3;
    materia::fit_result r;
    CHECK_NOTHROW(r = materia::least_squares(f, p0, 2, o));
    CHECK_FALSE(r.converged);
    CHECK(r.message.find("maximum") != std::string::npos);
    CHECK(r.iterations == 3);
    CHECK(std::isfinite(r.chi2));
    materia::lsq_options oe;
    oe.max_evaluations = 2;
    const auto re = materia::least_squares(f, p0, 2, oe);
    CHECK_FALSE(re.converged);
    CHECK(re.message.find("evaluations") != std::string::npos);
}

TEST_CASE("least_squares: a rank-deficient model gives infinite standard errors") {
    // y = (a + b) x: only a + b is determined.
    const std::vector<double> x{1, 2, 3, 4};
    const std::vector<double> y{2.1, 3.9, 6.2, 7.8};
    Eigen::VectorXd p0(2);
    p0 << 1.0, 0.5;
    // Analytic gradient: with finite differences the two columns differ at rounding level (~1e-8).
    auto model = [](double xx, const Eigen::VectorXd& p, Eigen::VectorXd& g) {
        g[0] = xx;
        g[1] = xx;
        return (p[0] + p[1]) * xx;
    };
    const auto r = materia::curve_fit_with_gradient(model, x, y, {}, p0);
    CHECK(r.rank == 1);
    CHECK(std::isinf(r.stderrs[0]));
    CHECK(std::isnan(r.correlation(0, 1)));
    CHECK(r.params[0] + r.params[1] == Approx((1 * 2.1 + 2 * 3.9 + 3 * 6.2 + 4 * 7.8) / 30.0).epsilon(1e-8));
}

TEST_CASE("least_squares: malformed input throws materia::invalid_argument") {
    auto line = [](double xx, const Eigen::VectorXd& p) { return p[0] + p[1] * xx; };
    Eigen::VectorXd p0(2);
    p0 << 0.0, 1.0;
    const std::vector<double> x1{1.0}, y1{2.0};
    CHECK_THROWS_AS((void)materia::curve_fit(line, x1, y1, {}, p0), materia::invalid_argument);  // n < k
    const std::vector<double> x{1, 2, 3}, ynan{1, std::nan(""), 3}, y{1, 2, 3}, ybad{1, 2};
    CHECK_THROWS_AS((void)materia::curve_fit(line, x, ynan, {}, p0), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::curve_fit(line, x, ybad, {}, p0), materia::invalid_argument);
    const std::vector<double> sig0{1, 0, 1};
    CHECK_THROWS_AS((void)materia::curve_fit(line, x, y, sig0, p0), materia::invalid_argument);
    Eigen::VectorXd pinf(2);
    pinf << std::numeric_limits<double>::infinity(), 1.0;
    CHECK_THROWS_AS((void)materia::curve_fit(line, x, y, {}, pinf), materia::invalid_argument);
    materia::lsq_options o;
    o.log_scale = {true, false};  // p0[0] = 0 cannot be log-scaled
    CHECK_THROWS_AS((void)materia::curve_fit(line, x, y, {}, p0, o), materia::invalid_argument);
    materia::lsq_options ob;
    ob.lower = {1.0, 0.0};  // p0 outside bounds
    ob.upper = {2.0, 2.0};
    CHECK_THROWS_AS((void)materia::curve_fit(line, x, y, {}, p0, ob), materia::invalid_argument);
    materia::lsq_options ow;
    ow.lower = {0.0};  // wrong length
    CHECK_THROWS_AS((void)materia::curve_fit(line, x, y, {}, p0, ow), materia::invalid_argument);
    // Residuals non-finite at p0.
    auto bad = [](const Eigen::VectorXd& p, Eigen::VectorXd& r) { r.setConstant(std::log(p[0] - 1.0)); };
    Eigen::VectorXd q(1);
    q << 0.5;
    CHECK_THROWS_AS((void)materia::least_squares(bad, q, 3), materia::invalid_argument);
}

TEST_CASE("least_squares: non-finite trial residuals are rejected steps, not failures") {
    // r = sqrt(p) − 2 is NaN for p < 0; a large first step from p0 = 0.01 may land there.
    auto f = [](const Eigen::VectorXd& p, Eigen::VectorXd& r) { r[0] = std::sqrt(p[0]) - 2.0; };
    Eigen::VectorXd p0(1);
    p0 << 0.01;
    const auto r = materia::least_squares(f, p0, 1);
    CHECK(r.converged);
    CHECK(r.params[0] == Approx(4.0).epsilon(1e-10));
}

TEST_CASE("information_criteria: conventions") {
    const auto a = materia::information_criteria(10.0, 20, 3, true);
    CHECK(a.aic == Approx(16.0).epsilon(1e-15));
    CHECK(a.bic == Approx(10.0 + 3 * std::log(20.0)).epsilon(1e-15));
    CHECK(a.aicc == Approx(16.0 + 24.0 / 16.0).epsilon(1e-15));
    const auto b = materia::information_criteria(10.0, 20, 3, false);
    CHECK(b.aic == Approx(20 * std::log(0.5) + 6).epsilon(1e-15));
    CHECK(std::isinf(materia::information_criteria(1.0, 4, 3, false).aicc));
}

}  // TEST_SUITE
