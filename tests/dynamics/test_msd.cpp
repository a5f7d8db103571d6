// Tests for materia/dynamics/msd.hpp: FFT vs direct windowed MSD, random walks with known D,
// streaming in bounded memory, per species / dimension / atom.
#include <doctest/doctest.h>

#include "walks.hpp"

#include <materia/dynamics/msd.hpp>

#include <cmath>
#include <limits>
#include <vector>

namespace {

double max_rel_diff(const std::vector<double>& a, const std::vector<double>& b, double floor) {
    REQUIRE(a.size() == b.size());
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]) / std::max(std::abs(b[i]), floor));
    return worst;
}

void check_same(const materia::msd_result& a, const materia::msd_result& b, double tol) {
    REQUIRE(a.lag.size() == b.lag.size());
    CHECK(a.origins == b.origins);
    // floor: MSD(0) = 0 exactly; compare absolutely there against the lag-1 scale.
    const double floor = std::max(1e-300, b.msd.size() > 1 ? b.msd[1] : 1.0);
    CHECK(max_rel_diff(a.msd, b.msd, floor) < tol);
    for (std::size_t d = 0; d < 3; ++d) CHECK(max_rel_diff(a.msd_dim[d], b.msd_dim[d], floor) < tol);
    REQUIRE(a.msd_species.size() == b.msd_species.size());
    for (std::size_t s = 0; s < a.msd_species.size(); ++s) {
        CHECK(max_rel_diff(a.msd_species[s], b.msd_species[s], floor) < tol);
        for (std::size_t d = 0; d < 3; ++d)
            CHECK(max_rel_diff(a.msd_species_dim[s][d], b.msd_species_dim[s][d], floor) < tol);
    }
    REQUIRE(a.msd_atom.size() == b.msd_atom.size());
    for (std::size_t i = 0; i < a.msd_atom.size(); ++i) CHECK(max_rel_diff(a.msd_atom[i], b.msd_atom[i], floor) < tol);
}

}  // namespace

TEST_SUITE("dynamics.msd") {

TEST_CASE("msd: FFT algorithm equals the direct windowed sum to 1e-10 (all lags, every breakdown)") {
    // Odd atom count (the last FFT pair is half empty), far from the origin (cancellation test).
    const std::size_t n = 7, frames = 97;
    const auto t = walks::gaussian_walk(n, frames, 0.05, 0.1, 10.0, 42, 1.0e3);
    const auto sp = walks::walk_species(n);
    const auto direct = materia::msd_direct(t, sp, 0, true);
    for (int threads : {1, 2}) {
        CAPTURE(threads);
        const auto fft = materia::msd_fft(t, sp, {.max_lag = 0, .block = 0, .per_atom = true, .threads = threads});
        CHECK(fft.n_frames == frames);
        CHECK(fft.lag.size() == frames);
        CHECK(fft.msd[0] == 0.0);
        check_same(fft, direct, 1e-10);
    }
}

TEST_CASE("msd: streaming with max_lag equals the direct sum for every block size") {
    const std::size_t n = 6, frames = 53;
    const auto t = walks::gaussian_walk(n, frames, 0.2, 0.3, 8.0, 7);
    const auto sp = walks::walk_species(n);
    for (std::size_t L : {1u, 5u, 16u, 52u, 80u}) {
        const auto direct = materia::msd_direct(t, sp, L, true);
        for (std::size_t B : {0u, 1u, 3u, 10u, 64u}) {
            CAPTURE(L);
            CAPTURE(B);
            materia::msd_accumulator acc(sp, {.max_lag = L, .block = B, .per_atom = true, .threads = 2});
            for (const auto& f : t) acc.add_frame(f);
            const auto r = acc.result();
            CHECK(r.lag.size() == std::min<std::size_t>(L + 1, frames));
            check_same(r, direct, 1e-10);
            // result() does not consume state: calling it twice gives the same numbers.
            CHECK(acc.result().msd == r.msd);
        }
    }
}

TEST_CASE("msd: Gaussian random walk gives MSD = 3 sigma^2 lag per species") {
    // make_traj.py model: sigma_Si = 0.05, sigma_O = 0.1 Å per component per frame.
    const std::size_t n = 600, frames = 200;
    const auto t = walks::gaussian_walk(n, frames, 0.05, 0.1, 20.0, 777);
    const auto sp = walks::walk_species(n);
    const auto r = materia::msd_fft(t, sp);
    const std::size_t si = sp.index_of("Si"), o = sp.index_of("O");
    for (std::size_t lag : {1u, 10u, 50u}) {
        CAPTURE(lag);
        const double l = static_cast<double>(lag);
        // Relative statistical error of the estimate here is below ~1.5 %.
        CHECK(r.msd_species[si][lag] == doctest::Approx(3 * 0.05 * 0.05 * l).epsilon(0.04));
        CHECK(r.msd_species[o][lag] == doctest::Approx(3 * 0.1 * 0.1 * l).epsilon(0.04));
        CHECK(r.msd[lag] == doctest::Approx(0.5 * (r.msd_species[si][lag] + r.msd_species[o][lag])).epsilon(1e-12));
        // Each Cartesian component carries a third.
        for (std::size_t d = 0; d < 3; ++d)
            CHECK(r.msd_species_dim[o][d][lag] == doctest::Approx(0.1 * 0.1 * l).epsilon(0.08));
        CHECK(r.component("xy", o)[lag] == doctest::Approx(r.msd_species_dim[o][0][lag] + r.msd_species_dim[o][1][lag]).epsilon(1e-14));
        CHECK(r.component("xyz")[lag] == doctest::Approx(r.msd[lag]).epsilon(1e-14));
    }
    CHECK(r.atoms_per_species[si] == 300);
    CHECK(r.species == std::vector<std::string>{"O", "Si"});
}

TEST_CASE("msd: ballistic motion r = r0 + v t gives |v|^2 m^2 exactly") {
    const std::size_t n = 3, frames = 40;
    walks::trajectory t(frames, std::vector<walks::vec3>(n));
    const std::vector<walks::vec3> v{{0.1, 0.0, 0.0}, {0.0, -0.2, 0.05}, {0.3, 0.3, 0.3}};
    for (std::size_t f = 0; f < frames; ++f)
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t d = 0; d < 3; ++d) t[f][i][d] = 5.0 * static_cast<double>(i) + v[i][d] * static_cast<double>(f);
    const auto sp = materia::species_list::uniform(n, "X");
    const auto r = materia::msd_fft(t, sp, {.max_lag = 0, .block = 0, .per_atom = true, .threads = 1});
    double v2 = 0;
    for (const auto& vi : v) v2 += vi[0] * vi[0] + vi[1] * vi[1] + vi[2] * vi[2];
    v2 /= 3.0;
    for (std::size_t m = 1; m < frames; ++m) {
        const double mm = static_cast<double>(m * m);
        CHECK(r.msd[m] == doctest::Approx(v2 * mm).epsilon(1e-11));
        CHECK(r.msd_atom[2][m] == doctest::Approx(0.27 * mm).epsilon(1e-11));
        CHECK(r.msd_dim[0][m] == doctest::Approx((0.01 + 0.09) / 3.0 * mm).epsilon(1e-11));
    }
}

TEST_CASE("msd: a single frame and two frames") {
    const auto sp = materia::species_list::uniform(2, "A");
    const std::vector<std::vector<walks::vec3>> one{{{0, 0, 0}, {1, 1, 1}}};
    const auto r1 = materia::msd_fft(one, sp);
    CHECK(r1.lag.size() == 1);
    CHECK(r1.msd[0] == 0.0);
    const std::vector<std::vector<walks::vec3>> two{{{0, 0, 0}, {1, 1, 1}}, {{1, 0, 0}, {1, 1, 3}}};
    const auto r2 = materia::msd_fft(two, sp);
    CHECK(r2.msd[1] == doctest::Approx(2.5).epsilon(1e-14));
    CHECK(r2.origins == std::vector<std::size_t>{2, 1});
}

TEST_CASE("msd: streaming memory is bounded (independent of the number of frames)") {
    const std::size_t n = 10;
    const auto sp = materia::species_list::uniform(n, "A");
    materia::msd_options o{.max_lag = 8, .block = 0, .per_atom = false, .threads = 1};
    materia::msd_accumulator acc(sp, o);
    std::vector<walks::vec3> f(n, {0, 0, 0});
    std::size_t mem_after_100 = 0;
    for (std::size_t k = 0; k < 3000; ++k) {
        for (std::size_t i = 0; i < n; ++i) f[i][0] = 0.01 * static_cast<double>(k);  // ballistic in x
        acc.add_frame(f);
        if (k == 100) mem_after_100 = acc.memory_bytes();
    }
    CHECK(acc.memory_bytes() == mem_after_100);
    CHECK(acc.memory_bytes() <= materia::msd_accumulator::memory_estimate(n, 3000, o) + 8 * 3 * 9 * 8);
    const auto r = acc.result();
    CHECK(r.lag.size() == 9);
    CHECK(r.msd[8] == doctest::Approx(0.0064).epsilon(1e-10));
    CHECK(materia::msd_accumulator::memory_estimate(2000, 500, {}) == 24u * 2000u * 500u);
}

TEST_CASE("msd: float input and per-atom output") {
    const auto t = walks::gaussian_walk(4, 20, 0.1, 0.1, 5.0, 3);
    std::vector<std::vector<std::array<float, 3>>> tf(t.size(), std::vector<std::array<float, 3>>(4));
    walks::trajectory back(t.size(), std::vector<walks::vec3>(4));
    for (std::size_t f = 0; f < t.size(); ++f)
        for (std::size_t i = 0; i < 4; ++i)
            for (std::size_t d = 0; d < 3; ++d) {
                tf[f][i][d] = static_cast<float>(t[f][i][d]);
                back[f][i][d] = static_cast<double>(tf[f][i][d]);
            }
    const auto sp = materia::species_list::uniform(4, "A");
    check_same(materia::msd_fft(tf, sp, {.max_lag = 0, .block = 0, .per_atom = true, .threads = 1}),
               materia::msd_direct(back, sp, 0, true), 1e-9);
}

TEST_CASE("msd: bad input is refused") {
    const auto sp = materia::species_list::uniform(2, "A");
    CHECK_THROWS_AS(materia::msd_accumulator(materia::species_list{}), materia::invalid_argument);
    materia::msd_accumulator acc(sp);
    CHECK_THROWS_AS((void)acc.result(), materia::domain_error);
    const std::vector<walks::vec3> three(3, {0, 0, 0});
    CHECK_THROWS_AS(acc.add_frame(three), materia::invalid_argument);
    std::vector<walks::vec3> nan_frame(2, {0, 0, 0});
    nan_frame[1][2] = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(acc.add_frame(nan_frame), materia::invalid_argument);
    const std::vector<std::vector<walks::vec3>> none;
    CHECK_THROWS_AS((void)materia::msd_fft(none, sp), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::msd_direct(none, sp), materia::invalid_argument);
    const std::vector<std::vector<walks::vec3>> mixed{std::vector<walks::vec3>(2), std::vector<walks::vec3>(3)};
    CHECK_THROWS_AS((void)materia::msd_direct(mixed, sp), materia::invalid_argument);
    const auto r = materia::msd_fft(std::vector<std::vector<walks::vec3>>{std::vector<walks::vec3>(2)}, sp);
    CHECK_THROWS_AS((void)r.component("xw"), materia::invalid_argument);
    CHECK_THROWS_AS((void)r.component("xx"), materia::invalid_argument);
    CHECK_THROWS_AS((void)r.component("x", 5), materia::invalid_argument);
}

}  // TEST_SUITE
