// Tests for materia/dynamics/diffusion.hpp: straight-line fits against scipy/numpy, D from random
// walks, units, the local exponent α(τ).
#include <doctest/doctest.h>

#include "walks.hpp"

#include <materia/dynamics/diffusion.hpp>
#include <materia/dynamics/msd.hpp>

#include <cmath>
#include <vector>

TEST_SUITE("dynamics.diffusion") {

TEST_CASE("diffusion: line fit matches scipy.stats.linregress and numpy.polyfit") {
    const std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8};
    const std::vector<double> y{6.3, 12.1, 17.2, 24.9, 29.7, 36.4, 41.8, 48.5};
    // /usr/bin/python3 (scipy 1.10.1): stats.linregress(x, y) ->
    //   slope 6.027380952380952, intercept -0.01071428571428612, stderr 0.08813008748709754,
    //   intercept_stderr 0.4450351268971118, rvalue**2 0.9987188923175656
    const auto f = materia::weighted_line_fit(x, y);
    CHECK(f.slope == doctest::Approx(6.027380952380952).epsilon(1e-13));
    CHECK(f.intercept == doctest::Approx(-0.01071428571428612).epsilon(1e-10));
    CHECK(f.slope_stderr == doctest::Approx(0.08813008748709754).epsilon(1e-12));
    CHECK(f.intercept_stderr == doctest::Approx(0.4450351268971118).epsilon(1e-12));
    CHECK(f.r2 == doctest::Approx(0.9987188923175656).epsilon(1e-13));
    // numpy 1.24.2: np.polyfit(x, y, 1, w=np.sqrt(w), cov=True), w = [8..1] ->
    //   slope 6.0009523809523815, intercept 0.07738095238094661, sd 0.10699500380392632, 0.41438986786000587
    const std::vector<double> w{8, 7, 6, 5, 4, 3, 2, 1};
    const auto g = materia::weighted_line_fit(x, y, w);
    CHECK(g.slope == doctest::Approx(6.0009523809523815).epsilon(1e-13));
    CHECK(g.intercept == doctest::Approx(0.07738095238094661).epsilon(1e-10));
    CHECK(g.slope_stderr == doctest::Approx(0.10699500380392632).epsilon(1e-12));
    CHECK(g.intercept_stderr == doctest::Approx(0.41438986786000587).epsilon(1e-12));
}

TEST_CASE("diffusion: exact line gives D = slope/6 with zero error, and cm^2/s = 1e-4 A^2/ps") {
    std::vector<double> t, msd;
    const double D = 0.35;  // Å²/ps
    for (int k = 0; k <= 100; ++k) {
        t.push_back(0.01 * k);
        msd.push_back(0.2 + 6 * D * 0.01 * k);
    }
    const auto r = materia::fit_diffusion(t, msd, 0.1, 0.5);
    CHECK(r.D == doctest::Approx(D).epsilon(1e-12));
    CHECK(r.D_cm2_s == doctest::Approx(D * 1e-4).epsilon(1e-12));
    CHECK(r.D_stderr < 1e-12);
    CHECK(r.t_from == doctest::Approx(0.1).epsilon(1e-12));
    CHECK(r.t_to == doctest::Approx(0.5).epsilon(1e-12));
    CHECK(r.line.n == 41);  // 0.10, 0.11, …, 0.50 (window edges inclusive despite decimal rounding)
    CHECK(r.line.intercept == doctest::Approx(0.2).epsilon(1e-11));
    // 2-D (lateral) diffusion: D = slope/4.
    const auto r2 = materia::fit_diffusion(t, msd, 0.1, 0.5, {.dimensions = 2, .weighting = materia::diffusion_weighting::uniform});
    CHECK(r2.D == doctest::Approx(6 * D / 4).epsilon(1e-12));
    // LaH10 scale check: 3.5e-5 cm²/s = 0.35 Å²/ps.
    CHECK(3.5e-5 / materia::angstrom2_per_ps_to_cm2_per_s == doctest::Approx(0.35).epsilon(1e-14));
}

TEST_CASE("diffusion: random walk with step sigma per frame gives D = sigma^2 / (2 dt)") {
    const std::size_t n = 600, frames = 200;
    const double dt = 0.5;  // ps
    const auto traj = walks::gaussian_walk(n, frames, 0.05, 0.1, 20.0, 2024);
    const auto sp = walks::walk_species(n);
    const auto res = materia::msd_fft(traj, sp);
    std::vector<double> t(res.lag.size()), origins(res.lag.size());
    for (std::size_t m = 0; m < t.size(); ++m) {
        t[m] = dt * static_cast<double>(m);
        origins[m] = static_cast<double>(res.origins[m]);
    }
    const std::size_t o = sp.index_of("O"), si = sp.index_of("Si");
    const auto fo = materia::fit_diffusion(t, res.msd_species[o], 5.0, 50.0);
    const auto fs = materia::fit_diffusion(t, res.msd_species[si], 5.0, 50.0,
                                           {.dimensions = 3, .weighting = materia::diffusion_weighting::origins}, origins);
    CHECK(fo.D == doctest::Approx(0.1 * 0.1 / (2 * dt)).epsilon(0.05));
    CHECK(fs.D == doctest::Approx(0.05 * 0.05 / (2 * dt)).epsilon(0.05));
    CHECK(fo.D_stderr > 0);
    CHECK(fo.D_stderr < 0.05 * fo.D);
    // Per-atom fits: the mean equals the fit of the mean curve, and the error over atoms is honest
    // (the exact D lies within a few of them) while the single-fit slope error is far too small.
    const auto r_atoms = materia::msd_fft(traj, sp, {.max_lag = 0, .block = 0, .per_atom = true, .threads = 1});
    std::vector<std::size_t> o_atoms;
    for (std::size_t i = 0; i < n; ++i)
        if (sp[i] == o) o_atoms.push_back(i);
    const auto fa = materia::fit_diffusion_atoms(t, r_atoms.msd_atom, 5.0, 50.0, 3, o_atoms);
    CHECK(fa.D == doctest::Approx(fo.D).epsilon(1e-10));
    CHECK(fa.D_atom.size() == 300);
    CHECK(std::abs(fa.D - 0.01) < 4 * fa.D_stderr);
    CHECK(fa.D_stderr > 3 * fo.D_stderr);
    CHECK(fa.D_cm2_s_stderr == doctest::Approx(1e-4 * fa.D_stderr).epsilon(1e-14));
    // α ≈ 1 throughout a random walk.
    const auto alpha = materia::local_exponent(t, res.msd_species[o]);
    CHECK(std::isnan(alpha[0]));
    for (std::size_t m = 2; m < 60; ++m) CHECK(alpha[m] == doctest::Approx(1.0).epsilon(0.15));
}

TEST_CASE("diffusion: per-atom fits of exact lines give the mean and sd/sqrt(n)") {
    std::vector<double> t;
    std::vector<std::vector<double>> m(3);
    const double D[3] = {0.1, 0.2, 0.6};
    for (int k = 0; k <= 20; ++k) {
        t.push_back(0.5 * k);
        for (std::size_t i = 0; i < 3; ++i) m[i].push_back(1.0 + 6.0 * D[i] * 0.5 * k);
    }
    const auto f = materia::fit_diffusion_atoms(t, m, 1.0, 9.0);
    CHECK(f.D_atom[2] == doctest::Approx(0.6).epsilon(1e-12));
    CHECK(f.D == doctest::Approx(0.3).epsilon(1e-12));
    // sd of {0.1, 0.2, 0.6} = sqrt(0.07), / sqrt(3).
    CHECK(f.D_stderr == doctest::Approx(std::sqrt(0.07 / 3.0)).epsilon(1e-12));
    const auto one = materia::fit_diffusion_atoms(t, m, 1.0, 9.0, 2, {1});
    CHECK(one.D == doctest::Approx(0.2 * 6.0 / 4.0).epsilon(1e-12));
    CHECK(std::isnan(one.D_stderr));
    CHECK_THROWS_AS((void)materia::fit_diffusion_atoms(t, m, 1.0, 1.2), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::fit_diffusion_atoms(t, m, 1.0, 9.0, 3, {7}), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::fit_diffusion_atoms(t, {}, 1.0, 9.0), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::fit_diffusion_atoms(t, {std::vector<double>(3)}, 1.0, 9.0), materia::invalid_argument);
}

TEST_CASE("diffusion: local exponent is exact for power laws and follows a ballistic-diffusive crossover") {
    std::vector<double> t, p15, cross;
    for (int k = 0; k < 60; ++k) {
        const double tk = 0.01 * std::pow(1.2, k);  // non-uniform grid
        t.push_back(tk);
        p15.push_back(3.0 * std::pow(tk, 1.5));
        cross.push_back(tk * tk / (1.0 + tk));  // α = 2 − τ/(1+τ): 2 ballistic → 1 diffusive
    }
    const auto a = materia::local_exponent(t, p15);
    for (double x : a) CHECK(x == doctest::Approx(1.5).epsilon(1e-10));
    const auto c = materia::local_exponent(t, cross);
    for (std::size_t k = 1; k + 1 < t.size(); ++k) CHECK(c[k] == doctest::Approx(2.0 - t[k] / (1.0 + t[k])).epsilon(1e-2));
    CHECK(c.front() > 1.95);
    CHECK(c.back() < 1.01);
}

TEST_CASE("diffusion: bad input is refused") {
    const std::vector<double> t{0, 1, 2, 3}, m{0, 1, 2, 3};
    CHECK_THROWS_AS((void)materia::fit_diffusion(t, {0, 1}, 0, 3), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::fit_diffusion(t, m, 2.5, 2.9), materia::invalid_argument);  // < 2 points
    CHECK_THROWS_AS((void)materia::fit_diffusion(t, m, 3, 1), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::fit_diffusion(t, m, 0, 3, {.dimensions = 4, .weighting = materia::diffusion_weighting::uniform}),
                    materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::fit_diffusion(t, m, 0, 3, {.dimensions = 3, .weighting = materia::diffusion_weighting::origins}),
                    materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::weighted_line_fit({1, 1, 1}, {1, 2, 3}), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::weighted_line_fit({1}, {1}), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::weighted_line_fit({1, 2}, {1, std::nan("")}), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::weighted_line_fit({1, 2}, {1, 2}, {1, -1}), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::local_exponent({1, 2}, {1}), materia::invalid_argument);
    // Two points: slope exact, error undefined.
    const auto two = materia::weighted_line_fit({1, 2}, {3, 5});
    CHECK(two.slope == doctest::Approx(2.0).epsilon(1e-15));
    CHECK(std::isnan(two.slope_stderr));
}

}  // TEST_SUITE
