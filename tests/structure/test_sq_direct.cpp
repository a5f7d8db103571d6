// Direct reciprocal-space S(k): Bragg positions/values of fcc, bcc and diamond (SCIENCE.md 2.4 case 3),
// complete enumeration (k counts per shell) on a triclinic primitive cell, an independent brute-force
// check, ideal gas, accumulator merge/reset/state, seeded sampling, bad input, and agreement with the
// Fourier transform of g(r) on a 600-atom SiO2-like liquid.
#include <materia/structure/rdf.hpp>
#include <materia/structure/sq_direct.hpp>
#include <materia/structure/sq_fourier.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

#include "lattices.hpp"
#include "xyz_fixture.hpp"

using doctest::Approx;
using materia::cell;
using materia::species_list;
using namespace materia::test;

namespace {
constexpr double pi = std::numbers::pi;

/// Bin of the result containing |k| = x.
std::size_t bin_of(const materia::sq_direct_result& r, double x) {
    return static_cast<std::size_t>((x - r.edges.front()) / (r.edges[1] - r.edges[0]));
}
}  // namespace

TEST_SUITE("structure.sq") {
    TEST_CASE("sq direct: fcc Cu Bragg peaks at (2π/a)√(h²+k²+l²) for unmixed hkl, S = 4 (conventional cell)") {
        const double a = 3.615;
        const auto p = replicate(fcc_basis(), a, 1);
        const cell c = cell::orthorhombic(a, a, a);
        materia::sq_direct_params prm;
        prm.q_max = 2 * pi / a * 4.6;
        prm.bins = 4000;
        prm.threads = 2;
        const auto r = materia::sq_direct(p, species_list::uniform(p.size(), "Cu"), c, prm);
        CHECK(2 * pi / a * std::sqrt(3.0) == Approx(3.01046).epsilon(2e-6));  // SCIENCE.md Q111, Q200, Q220
        CHECK(2 * pi / a * 2.0 == Approx(3.47617).epsilon(2e-6));
        CHECK(2 * pi / a * std::sqrt(8.0) == Approx(4.91605).epsilon(2e-6));
        // every non-empty bin: S = 4 exactly at unmixed shells, 0 at shells of only mixed hkl
        std::vector<int> bragg_m2;
        for (std::size_t b : r.nonempty()) {
            const double m2 = std::pow(r.q_mean[b] * a / (2 * pi), 2);
            const int m = static_cast<int>(std::lround(m2));
            CHECK(m2 == Approx(m).epsilon(1e-10));
            if (r.s[b] > 1e-9) {
                CHECK(r.s[b] == Approx(4.0).epsilon(1e-10));
                bragg_m2.push_back(m);
            } else {
                CHECK(std::abs(r.s[b]) < 1e-10);
            }
        }
        CHECK(bragg_m2 == std::vector<int>{3, 4, 8, 11, 12, 16, 19, 20});
        // number of k vectors in the {111}, {200}, {220} shells (±k counted)
        CHECK(r.k_count[bin_of(r, 2 * pi / a * std::sqrt(3.0))] == 8);
        CHECK(r.k_count[bin_of(r, 2 * pi / a * 2.0)] == 6);
        CHECK(r.k_count[bin_of(r, 2 * pi / a * std::sqrt(8.0))] == 12);
    }

    TEST_CASE("sq direct: bcc peaks (h+k+l even) √2, 2, √6, √8, √10, √12 in units of 2π/a") {
        const double a = 3.3;
        const auto p = replicate(bcc_basis(), a, 2);  // 16 atoms: supercell k also enumerated
        const cell c = cell::orthorhombic(2 * a, 2 * a, 2 * a);
        materia::sq_direct_params prm;
        prm.q_max = 2 * pi / a * 3.6;
        prm.bins = 3000;
        const auto r = materia::sq_direct(p, species_list::uniform(p.size(), "Fe"), c, prm);
        std::vector<int> bragg;
        for (std::size_t b : r.nonempty())
            if (r.s[b] > 1e-9) {
                bragg.push_back(static_cast<int>(std::lround(std::pow(r.q_mean[b] * a / (2 * pi), 2))));
                CHECK(r.s[b] == Approx(16.0).epsilon(1e-10));  // S = N on Bragg shells (no accidental k of the supercell)
            }
        CHECK(bragg == std::vector<int>{2, 4, 6, 8, 10, 12});
    }

    TEST_CASE("sq direct: diamond on its triclinic primitive cell — positions, S values, shell counts") {
        const double a = 5.431;
        const cell c({{{0, a / 2, a / 2}, {a / 2, 0, a / 2}, {a / 2, a / 2, 0}}});
        const std::vector<std::array<double, 3>> p{{0, 0, 0}, {a / 4, a / 4, a / 4}};
        materia::sq_direct_params prm;
        prm.q_max = 2 * pi / a * 5.0;
        prm.bins = 5000;
        const auto r = materia::sq_direct(p, species_list::uniform(2, "Si"), c, prm);
        // |1 + exp(−iπ(h+k+l)/2)|²/2: 1 for odd sums, 2 for 4n, 0 for 4n+2 (200, 222, 420 extinct)
        struct shell {
            int m2;
            double s;
            std::uint64_t count;
        };
        const shell expect[] = {{3, 1.0, 8},   {4, 0.0, 6},   {8, 2.0, 12},  {11, 1.0, 24}, {12, 0.0, 8},
                                {16, 2.0, 6},  {19, 1.0, 24}, {20, 0.0, 24}, {24, 2.0, 24}};
        const auto ne = r.nonempty();
        REQUIRE(ne.size() == 9);  // all-odd or all-even hkl; 200, 222, 420 extinct by the basis
        for (std::size_t k = 0; k < ne.size(); ++k) {
            const std::size_t b = ne[k];
            CHECK(std::pow(r.q_mean[b] * a / (2 * pi), 2) == Approx(expect[k].m2).epsilon(1e-10));
            CHECK(r.s[b] == Approx(expect[k].s).epsilon(1e-10).scale(1.0));
            CHECK(r.k_count[b] == expect[k].count);
        }
    }

    TEST_CASE("sq direct: equals an independent brute-force sum over k (two species, triclinic, partials)") {
        const cell c = cell::from_lengths_angles(7.0, 8.0, 6.5, 80.0, 95.0, 110.0);
        const auto p = random_points(c, 40, 3);
        std::vector<std::string> names;
        for (std::size_t i = 0; i < p.size(); ++i) names.push_back(i % 4 == 0 ? "Sb" : "Se");
        const auto sp = species_list::from_names(names);
        materia::sq_direct_params prm;
        prm.q_min = 1.0;
        prm.q_max = 4.0;
        prm.bins = 6;
        prm.threads = 2;
        const auto r = materia::sq_direct(p, sp, c, prm);
        // brute force: all h, k, l in a generous box, full sphere (both ±k)
        std::vector<double> cnt(6, 0), s_tot(6, 0), s_sbse(6, 0);
        for (int h = -12; h <= 12; ++h)
            for (int k = -12; k <= 12; ++k)
                for (int l = -12; l <= 12; ++l) {
                    materia::vec3 g{};
                    for (std::size_t d = 0; d < 3; ++d)
                        g[d] = 2 * pi * (h * c.reciprocal(0)[d] + k * c.reciprocal(1)[d] + l * c.reciprocal(2)[d]);
                    const double kk = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
                    if (kk < 1.0 || kk >= 4.0) continue;
                    const auto bin = static_cast<std::size_t>((kk - 1.0) / 0.5);
                    std::complex<double> rho_sb, rho_se;
                    for (std::size_t i = 0; i < p.size(); ++i) {
                        const auto e = std::exp(std::complex<double>(0, -(g[0] * p[i][0] + g[1] * p[i][1] + g[2] * p[i][2])));
                        (names[i] == "Sb" ? rho_sb : rho_se) += e;
                    }
                    cnt[bin] += 1;
                    s_tot[bin] += std::norm(rho_sb + rho_se) / 40.0;
                    s_sbse[bin] += 1.0 + std::real(rho_sb * std::conj(rho_se)) * 40.0 / (10.0 * 30.0);
                }
        const std::size_t sbse = r.partials.pair_index(0, 1);
        for (std::size_t b = 0; b < 6; ++b) {
            CHECK(static_cast<double>(r.k_count[b]) == cnt[b]);
            if (cnt[b] == 0) continue;
            CHECK(r.s[b] == Approx(s_tot[b] / cnt[b]).epsilon(1e-10));
            CHECK(r.partials.s[sbse][b] == Approx(s_sbse[b] / cnt[b]).epsilon(1e-10));
        }
        CHECK(r.partials.concentration[0] == Approx(0.25).epsilon(1e-15));
    }

    TEST_CASE("sq direct: ideal gas S(k) = 1 and partials = 1 within statistics") {
        const cell c = cell::orthorhombic(20, 20, 20);
        const auto p = random_points(c, 500, 17);
        std::vector<std::string> names;
        for (std::size_t i = 0; i < p.size(); ++i) names.push_back(i % 2 ? "A" : "B");
        materia::sq_direct_params prm;
        prm.q_min = 3.0;
        prm.q_max = 6.0;
        prm.bins = 3;
        const auto r = materia::sq_direct(p, species_list::from_names(names), c, prm);
        for (std::size_t b = 0; b < 3; ++b) {
            // each S(k) ~ Exp(1): the mean over n/2 independent k has σ ≈ 1/sqrt(n/2)
            const double sigma = 1.0 / std::sqrt(0.5 * static_cast<double>(r.k_count[b]));
            CHECK(r.k_count[b] > 4000);
            CHECK(std::abs(r.s[b] - 1.0) < 5 * sigma);
            for (const auto& part : r.partials.s) CHECK(std::abs(part[b] - 1.0) < 10 * sigma);
        }
    }

    TEST_CASE("sq direct: accumulator merge, reset, state round trip; seeded sampling is deterministic") {
        const cell c = cell::orthorhombic(12, 13, 14);
        const auto f1 = random_points(c, 100, 1), f2 = random_points(c, 100, 2);
        const auto sp = species_list::uniform(100, "Ar");
        materia::sq_direct_params prm;
        prm.q_min = 0.5;
        prm.q_max = 5.0;
        prm.bins = 30;
        materia::sq_direct_accumulator all(prm, {"Ar"}), a(prm, {"Ar"}), b(prm, {"Ar"});
        all.accumulate(f1, sp, c);
        all.accumulate(f2, sp, c);
        a.accumulate(f1, sp, c);
        b.accumulate(f2, sp, c);
        a.merge(b);
        const auto ra = all.result(), rb = a.result();
        CHECK(ra.frames == 2);
        CHECK(ra.k_count == rb.k_count);
        for (std::size_t k = 0; k < ra.s.size(); ++k)
            if (ra.k_count[k]) CHECK(ra.s[k] == rb.s[k]);  // bit-identical
        materia::sq_direct_accumulator restored(prm, {"Ar"});
        restored.set_state(all.integer_state(), all.real_state());
        const auto rr = restored.result();
        for (std::size_t k = 0; k < ra.s.size(); ++k)
            if (ra.k_count[k]) CHECK(rr.s[k] == ra.s[k]);
        all.reset();
        CHECK(all.n_frames() == 0);
        CHECK_THROWS_AS((void)all.result(), materia::domain_error);

        // sampling: half of the k vectors, same ones for any thread count and every run
        materia::sq_direct_params sp1 = prm, sp2 = prm;
        sp1.sample_fraction = sp2.sample_fraction = 0.5;
        sp1.seed = sp2.seed = 42;
        sp1.threads = 1;
        sp2.threads = 2;
        const auto s1 = materia::sq_direct(f1, sp, c, sp1), s2 = materia::sq_direct(f1, sp, c, sp2);
        const auto full = materia::sq_direct(f1, sp, c, prm);
        CHECK(s1.sampled);
        CHECK(s1.k_count == s2.k_count);
        std::uint64_t n_s = 0, n_f = 0;
        for (std::size_t k = 0; k < s1.k_count.size(); ++k) {
            n_s += s1.k_count[k];
            n_f += full.k_count[k];
            if (s1.k_count[k]) CHECK(s1.s[k] == Approx(s2.s[k]).epsilon(1e-12));
        }
        CHECK(static_cast<double>(n_s) / static_cast<double>(n_f) == Approx(0.5).epsilon(0.03));
        sp1.seed = 43;
        CHECK(materia::sq_direct(f1, sp, c, sp1).k_count != s1.k_count);
    }

    TEST_CASE("sq direct: bad input") {
        const cell c = cell::orthorhombic(5, 5, 5);
        const std::vector<std::array<double, 3>> p{{0, 0, 0}, {1, 1, 1}};
        const auto sp = species_list::uniform(2, "X");
        materia::sq_direct_params prm;
        prm.q_max = 5;
        prm.bins = 10;
        CHECK_THROWS_AS((void)materia::sq_direct(p, sp, cell::open(), prm), materia::domain_error);
        CHECK_THROWS_AS((void)materia::sq_direct(p, species_list::uniform(3, "X"), c, prm), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::sq_direct(std::vector<std::array<double, 3>>{{0, 0, 0}, {NAN, 0, 0}}, sp, c, prm),
                        materia::invalid_argument);
        auto bad = prm;
        bad.bins = 0;
        CHECK_THROWS_AS((void)materia::sq_direct(p, sp, c, bad), materia::invalid_argument);
        bad = prm;
        bad.q_max = 0;
        CHECK_THROWS_AS((void)materia::sq_direct(p, sp, c, bad), materia::invalid_argument);
        bad = prm;
        bad.sample_fraction = 0;
        CHECK_THROWS_AS((void)materia::sq_direct(p, sp, c, bad), materia::invalid_argument);
        materia::sq_direct_accumulator acc(prm, {"X", "Y"});
        CHECK_THROWS_AS(acc.accumulate(p, sp, c), materia::invalid_argument);  // Y has no atoms
        CHECK_THROWS_AS(acc.accumulate(p, species_list::uniform(2, "Z"), c), materia::invalid_argument);
        materia::sq_direct_accumulator other(bad = prm, {"X"});
        auto prm2 = prm;
        prm2.bins = 11;
        materia::sq_direct_accumulator third(prm2, {"X"});
        CHECK_THROWS_AS(other.merge(third), materia::invalid_argument);
    }
}

TEST_SUITE("structure.sq") {
    TEST_CASE("sq direct: agrees with the Fourier transform of g(r) on a SiO2-like liquid (600 atoms)") {
        // independent routes to the same S(q): k-space sums vs the sine transform of the all-images
        // g(r) (Lorch window, r_max = half the shortest width); they differ by truncation and noise only
        const auto fx = read_fixture(data_path("structure/conf_600.xyz"));
        const auto sp = species_list::from_names(fx.species);
        materia::sq_direct_params dp;
        dp.q_min = 3.0;
        dp.q_max = 6.0;
        dp.bins = 3;
        const auto direct = materia::sq_direct(fx.pos, sp, fx.box, dp);
        const auto& w = fx.box.perpendicular_widths();
        materia::rdf_params rp;
        rp.r_max = 0.5 * std::min({w[0], w[1], w[2]});
        rp.bins = static_cast<std::size_t>(rp.r_max / 0.01);
        const auto g = materia::rdf(fx.pos, sp, fx.box, rp);
        const auto four = materia::sq_from_rdf(g, direct.q, materia::sq_weighting::number, materia::sq_window::lorch);
        for (std::size_t b = 0; b < dp.bins; ++b) {
            // observed: |ΔS| ≤ 0.01, |ΔS_ab| ≤ 0.05 (Si–Si, 200 atoms, is the noisiest)
            CHECK(direct.s[b] == Approx(four.s[b]).epsilon(0.02).scale(1.0));
            for (std::size_t p = 0; p < 3; ++p)
                CHECK(direct.partials.s[p][b] == Approx(four.partials.s[p][b]).epsilon(0.08).scale(1.0));
        }
    }
}
