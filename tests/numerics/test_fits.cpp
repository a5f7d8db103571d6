// Tests of the small fitting tools: F-test, straight lines (OLS, York), broken line, peaks,
// spectral centre of gravity.
#include <doctest/doctest.h>

#include <materia/numerics/broken_line.hpp>
#include <materia/numerics/f_test.hpp>
#include <materia/numerics/linear_fit.hpp>
#include <materia/numerics/peak_fit.hpp>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

using doctest::Approx;

namespace {
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

TEST_SUITE("numerics.fits") {

TEST_CASE("f_test: incomplete beta and F survival function match scipy") {
    // /usr/bin/python3: scipy.special.betainc(2.5, 3.5, 0.4), betainc(0.5, 7, 0.9),
    // scipy.stats.f.sf(3.0, 2, 10), f.sf(0.7, 3, 40), f.sf(25.0, 2, 53)  (scipy 1.10.1)
    CHECK(materia::regularized_incomplete_beta(2.5, 3.5, 0.4) == Approx(0.48690419152611752).epsilon(1e-13));
    CHECK(materia::regularized_incomplete_beta(0.5, 7, 0.9) == Approx(0.99999997807021579).epsilon(1e-13));
    CHECK(materia::f_distribution_sf(3.0, 2, 10) == Approx(0.095367431640625).epsilon(1e-13));
    CHECK(materia::f_distribution_sf(0.7, 3, 40) == Approx(0.55760963286271459).epsilon(1e-12));
    CHECK(materia::f_distribution_sf(25.0, 2, 53) == Approx(2.2548834015728865e-08).epsilon(1e-10));
    // d1 = 2 closed form: (1 + 2f/d2)^{−d2/2}.
    CHECK(materia::f_distribution_sf(3.0, 2, 10) == Approx(std::pow(1.0 + 0.6, -5.0)).epsilon(1e-14));
    const auto t = materia::nested_f_test(10.0, 2, 5.0, 4, 14);
    CHECK(t.F == Approx(2.5 / 0.5).epsilon(1e-15));
    CHECK(t.df1 == 2);
    CHECK(t.df2 == 10);
    CHECK_THROWS_AS((void)materia::nested_f_test(1.0, 4, 1.0, 4, 10), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::regularized_incomplete_beta(1, 1, 1.5), materia::domain_error);
}

TEST_CASE("linear_fit: exact line, weighted errors, absolute sigma") {
    const std::vector<double> x{1, 2, 3, 4, 5};
    const std::vector<double> y{3, 5, 7, 9, 11};
    const auto r = materia::linear_fit(x, y);
    CHECK(r.slope == Approx(2.0).epsilon(1e-15));
    CHECK(r.intercept == Approx(1.0).epsilon(1e-14));
    CHECK(r.slope_err == doctest::Approx(0.0).epsilon(1e-12));
    CHECK(r.r_squared == Approx(1.0).epsilon(1e-15));
    // Absolute σ = 0.1 everywhere: σ_b² = σ²/Σ(x − x̄)² = 0.01/10.
    const std::vector<double> s(5, 0.1);
    const auto ra = materia::linear_fit(x, y, s, true);
    CHECK(ra.slope_err == Approx(std::sqrt(0.001)).epsilon(1e-14));
    CHECK(ra.intercept_err == Approx(0.1 * std::sqrt(1.0 / 5.0 + 9.0 / 10.0)).epsilon(1e-14));
    CHECK(ra.covariance == Approx(-0.01 * 3.0 / 10.0).epsilon(1e-14));
    CHECK_THROWS_AS((void)materia::linear_fit(std::vector<double>{1.0}, std::vector<double>{2.0}), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::linear_fit(std::vector<double>{1, 1, 1}, std::vector<double>{1, 2, 3}), materia::invalid_argument);
}

TEST_CASE("york_fit: Pearson's data with York's weights (York et al. 2004, Table II)") {
    const std::vector<double> X{0, 0.9, 1.8, 2.6, 3.3, 4.4, 5.2, 6.1, 6.5, 7.4};
    const std::vector<double> Y{5.9, 5.4, 4.4, 4.6, 3.5, 3.7, 2.8, 2.8, 2.4, 1.5};
    const std::vector<double> wX{1000, 1000, 500, 800, 200, 80, 60, 20, 1.8, 1};
    const std::vector<double> wY{1, 1.8, 4, 8, 20, 20, 70, 70, 100, 500};
    std::vector<double> sx, sy;
    for (std::size_t i = 0; i < X.size(); ++i) {
        sx.push_back(1.0 / std::sqrt(wX[i]));
        sy.push_back(1.0 / std::sqrt(wY[i]));
    }
    const auto r = materia::york_fit(X, Y, sx, sy);
    CHECK(r.converged);
    // Published best fit: b = −0.4805334, a = 5.4799102.  Standard errors (absolute σ): scipy.odr
    // (ODRPACK) on the same data, sqrt(diag(cov_beta)) = 0.29497079, 0.05798503 for (a, b); its
    // sd_beta (0.35925, 0.07062) is the same scaled by sqrt(S/(n − 2)) = sqrt(11.866/8).
    CHECK(r.slope == Approx(-0.4805334).epsilon(1e-6));
    CHECK(r.intercept == Approx(5.4799102).epsilon(1e-6));
    CHECK(r.slope_err == Approx(0.05798503).epsilon(1e-4));
    CHECK(r.intercept_err == Approx(0.29497079).epsilon(1e-4));
    CHECK(r.chi2 == Approx(11.86635319437849).epsilon(1e-6));
    // Tiny σ_x reduces York to weighted least squares with absolute σ_y.
    std::vector<double> tiny(X.size(), 1e-9);
    const auto ry = materia::york_fit(X, Y, tiny, sy);
    const auto rl = materia::linear_fit(X, Y, sy, true);
    CHECK(ry.slope == Approx(rl.slope).epsilon(1e-9));
    CHECK(ry.slope_err == Approx(rl.slope_err).epsilon(1e-8));
    const std::vector<double> bad_r(X.size(), 1.0);
    CHECK_THROWS_AS((void)materia::york_fit(X, Y, sx, sy, bad_r), materia::invalid_argument);
}

TEST_CASE("broken_line: SCIENCE.md 7 round trip, slopes 2 and 0.5 at x_b = 3 exactly") {
    std::vector<double> x, y;
    for (int i = 0; i <= 24; ++i) {
        const double xi = 0.25 * i;
        x.push_back(xi);
        y.push_back(xi < 3 ? 1 + 2 * xi : 7 + 0.5 * (xi - 3));
    }
    const auto r = materia::fit_broken_line(x, y);
    CHECK(r.breakpoint == Approx(3.0).epsilon(1e-9));
    CHECK(r.slope1 == Approx(2.0).epsilon(1e-9));
    CHECK(r.slope2 == Approx(0.5).epsilon(1e-9));
    CHECK(r.intercept1 == Approx(1.0).epsilon(1e-9));
    CHECK(r.intercept2 == Approx(5.5).epsilon(1e-9));  // 7 + 0.5(x − 3) = 5.5 + 0.5x
    CHECK(r.y_at_breakpoint == Approx(7.0).epsilon(1e-9));
    CHECK(r.chi2 < 1e-18);
    CHECK(r.vs_single_line.p_value < 1e-10);
    // Discontinuous model on a jump: split between the two points around the jump.
    std::vector<double> yj;
    for (double xi : x) yj.push_back(xi < 3.1 ? 1 + 2 * xi : 2 + 0.5 * xi);
    materia::broken_line_options od;
    od.model = materia::broken_line_model::discontinuous;
    const auto d = materia::fit_broken_line(x, yj, {}, od);
    CHECK(d.breakpoint == Approx(3.125).epsilon(1e-12));
    CHECK(d.breakpoint_err == Approx(0.125).epsilon(1e-12));
    CHECK(d.slope1 == Approx(2.0).epsilon(1e-10));
    CHECK(d.slope2 == Approx(0.5).epsilon(1e-10));
    CHECK(d.intercept2 == Approx(2.0).epsilon(1e-10));
}

TEST_CASE("broken_line: noisy hinge (pressure-like units) recovers x_b within 2 sigma") {
    // Peak position vs pressure with a slope change at 15.7 GPa (the Sb2Se3 case's shape).
    normal_source z(3);
    std::vector<double> P, q, s;
    for (int i = 0; i < 30; ++i) {
        const double p = 1.0 * i;
        P.push_back(p);
        const double clean = 2.05 + 0.012 * p - 0.008 * std::max(p - 15.7, 0.0);
        s.push_back(0.004);
        q.push_back(clean + 0.004 * z());
    }
    materia::broken_line_options o;
    o.absolute_sigma = true;
    const auto r = materia::fit_broken_line(P, q, s, o);
    CHECK(r.fit.converged);
    CHECK(std::abs(r.breakpoint - 15.7) < 2 * r.breakpoint_err);
    CHECK(r.breakpoint_err > 0.1);
    CHECK(r.breakpoint_err < 5.0);
    CHECK(std::abs(r.slope1 - 0.012) < 2 * r.slope1_err);
    CHECK(std::abs(r.slope2 - 0.004) < 2 * r.slope2_err);
    CHECK(r.vs_single_line.p_value < 1e-3);
    // Profile optimum is the global one: no breakpoint on a fine scan has a smaller χ².
    for (double xb = 2.0; xb < 27.0; xb += 0.01) {
        Eigen::Vector3d c;
        const double c2 = materia::detail::hinge_profile(P, q, std::vector<double>(P.size(), 1.0 / (0.004 * 0.004)), xb, c);
        CHECK(c2 >= r.chi2 * (1 - 1e-9));
    }
    // Bad input.
    CHECK_THROWS_AS((void)materia::fit_broken_line(std::vector<double>{1, 2, 3}, std::vector<double>{1, 2, 3}),
                    materia::invalid_argument);
    std::vector<double> qn = q;
    qn[4] = std::nan("");
    CHECK_THROWS_AS((void)materia::fit_broken_line(P, qn), materia::invalid_argument);
}

TEST_CASE("fit_peak: Lorentzian and Gaussian recovery with noise, area by delta method") {
    for (auto shape : {materia::peak_shape::lorentzian, materia::peak_shape::gaussian}) {
        normal_source z(shape == materia::peak_shape::lorentzian ? 21 : 22);
        std::vector<double> x, y, s;
        const double h = 10.0, x0 = 3400.0, w = 120.0, b0 = 1.0, b1 = 0.002;
        for (int i = 0; i <= 70; ++i) {
            const double xi = 3000.0 + 10.0 * i;
            const double u = (xi - x0) / w;
            const double L = shape == materia::peak_shape::lorentzian ? 1.0 / (1.0 + 4.0 * u * u)
                                                                       : std::exp(-4.0 * std::numbers::ln2 * u * u);
            x.push_back(xi);
            s.push_back(0.05);
            y.push_back(h * L + b0 + b1 * (xi - 3350.0) + 0.05 * z());
        }
        materia::peak_fit_options o;
        o.shape = shape;
        o.absolute_sigma = true;
        const auto r = materia::fit_peak(x, y, s, o);
        CHECK(r.fit.converged);
        // Twelve parameter checks at 2σ would fail ~once by chance; 3σ (p = 0.27 % each) is the bound.
        CHECK(std::abs(r.center - x0) < 3 * r.center_err);
        CHECK(std::abs(r.fwhm - w) < 3 * r.fwhm_err);
        CHECK(std::abs(r.height - h) < 3 * r.height_err);
        CHECK(std::abs(r.baseline_slope - b1) < 3 * r.baseline_slope_err);
        // χ²/ν ≈ 1 with the true σ, and the errors have the right size (√(2/ν) ≈ 0.17 spread).
        CHECK(r.fit.chi2_red > 0.6);
        CHECK(r.fit.chi2_red < 1.5);
        const double area = shape == materia::peak_shape::lorentzian
                                ? 0.5 * std::numbers::pi * h * w
                                : h * w * std::sqrt(std::numbers::pi / (4.0 * std::numbers::ln2));
        CHECK(std::abs(r.area - area) < 3 * r.area_err);
        CHECK(r.center_err < 1.0);
    }
    CHECK_THROWS_AS((void)materia::fit_peak(std::vector<double>{1, 2, 3}, std::vector<double>{0, 1, 0}),
                    materia::invalid_argument);
    const std::vector<double> xf{1, 2, 3, 4, 5, 6, 7}, yf{2, 2, 2, 2, 2, 2, 2};
    CHECK_THROWS_AS((void)materia::fit_peak(xf, yf), materia::invalid_argument);
}

TEST_CASE("spectral_centroid: symmetric band, baselines, window and error propagation") {
    // A Gaussian band centred at 3400 on a sloped baseline: with the linear end-point baseline the
    // centre of gravity is the band centre (the band is ~0 at the window ends).
    std::vector<double> E, I;
    for (int i = 0; i <= 400; ++i) {
        const double e = 3000.0 + 2.0 * i;
        E.push_back(e);
        I.push_back(std::exp(-0.5 * std::pow((e - 3400.0) / 50.0, 2)) + 0.3 + 1e-4 * (e - 3000.0));
    }
    const auto r = materia::spectral_centroid(E, I, {}, 3000.0, 3800.0, materia::centroid_baseline::linear_endpoints);
    CHECK(r.center == Approx(3400.0).epsilon(1e-9));
    CHECK(r.area == Approx(50.0 * std::sqrt(2.0 * std::numbers::pi)).epsilon(1e-6));
    CHECK(r.baseline_slope == Approx(1e-4).epsilon(1e-6));
    CHECK(r.window_lo == 3000.0);
    CHECK(r.window_hi == 3800.0);
    CHECK(r.points == 401);
    // Without baseline subtraction the offset pulls E_c to the window centre (3400 here too, by
    // symmetry of the window) — but an asymmetric window shifts it: the result depends on the window.
    const auto rn = materia::spectral_centroid(E, I, {}, 3100.0, 3800.0, materia::centroid_baseline::none);
    CHECK(rn.center > 3400.0 + 10.0);
    // Error propagation against a brute-force finite-difference gradient.
    std::vector<double> sig(E.size(), 0.01);
    const auto re = materia::spectral_centroid(E, I, sig, 3100.0, 3700.0, materia::centroid_baseline::linear_endpoints);
    double var = 0;
    for (std::size_t k = 0; k < E.size(); ++k) {
        if (E[k] < 3100.0 || E[k] > 3700.0) continue;
        auto Ip = I;
        Ip[k] += 1e-6;
        const double c = materia::spectral_centroid(E, Ip, {}, 3100.0, 3700.0, materia::centroid_baseline::linear_endpoints).center;
        const double g = (c - re.center) / 1e-6;
        var += g * g * 1e-4;
    }
    CHECK(re.center_err == Approx(std::sqrt(var)).epsilon(1e-4));
    CHECK_THROWS_AS((void)materia::spectral_centroid(E, I, {}, 5000.0, 6000.0), materia::invalid_argument);
    const std::vector<double> Ebad{1, 3, 2}, Ibad{1, 1, 1};
    CHECK_THROWS_AS((void)materia::spectral_centroid(Ebad, Ibad), materia::invalid_argument);
}

}  // TEST_SUITE
