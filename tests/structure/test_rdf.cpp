#include <materia/structure/rdf.hpp>
#include <materia/structure/rdf_analysis.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <random>

#include "lattices.hpp"
#include "xyz_fixture.hpp"

using materia::cell;
using materia::mat3;
using materia::vec3;
using doctest::Approx;
using namespace materia::test;

namespace {
materia::rdf_result rdf_of(const points& p, const cell& c, double rmax, std::size_t bins, int threads = 1,
                           const std::vector<std::string>* species = nullptr) {
    const auto sp = species ? materia::species_list::from_names(*species) : materia::species_list::uniform(p.size(), "X");
    materia::rdf_params prm{rmax, bins};
    prm.threads = threads;
    return materia::rdf(p, sp, c, prm);
}
}  // namespace

TEST_SUITE("structure.rdf") {
    TEST_CASE("rdf: ideal gas gives g = 1 within statistics (N = 20000, 10 frames)") {
        const cell c = cell::orthorhombic(60, 60, 60);
        materia::rdf_accumulator acc({8.0, 40}, {"X"});
        for (std::uint64_t f = 0; f < 10; ++f) {
            const auto p = random_points(c, 20000, 100 + f);
            acc.accumulate(p, materia::species_list::uniform(p.size()), c);
        }
        const auto res = acc.result();
        // Poisson error of a bin: 1/sqrt(expected ordered pairs).  Check |g-1| < 5σ for r > 2.
        for (std::size_t k = 0; k < res.r.size(); ++k) {
            const double lo = res.edges[k], hi = res.edges[k + 1];
            const double expected = 10 * 20000.0 * 19999.0 / (60.0 * 60 * 60) * 4.0 / 3 * M_PI * (hi * hi * hi - lo * lo * lo);
            if (res.r[k] < 2) continue;
            CHECK(std::abs(res.g[k] - 1) < 5 / std::sqrt(expected));
        }
        // and on average over the bins beyond 2 Å, exactly 1 to 1e-3
        double mean = 0;
        int n = 0;
        for (std::size_t k = 10; k < res.r.size(); ++k, ++n) mean += res.g[k];
        CHECK(mean / n == Approx(1.0).epsilon(1e-3));
    }

    TEST_CASE("rdf: fcc, bcc and diamond cumulative coordination shells (SCIENCE.md §7)") {
        struct lattice_case {
            std::vector<vec3> basis;
            std::vector<double> r_over_a;
            std::vector<double> cumulative;
        };
        const std::vector<lattice_case> cases = {
            {fcc_basis(), {0.70711, 1, 1.22474, 1.41421, 1.58114, 1.73205}, {12, 18, 42, 54, 78, 86}},
            {bcc_basis(), {0.86603, 1, 1.41421, 1.65831, 1.73205, 2}, {8, 14, 26, 50, 58, 64}},
            {diamond_basis(), {0.43301, 0.70711, 0.82916, 1, 1.08972, 1.22474}, {4, 16, 28, 34, 46, 70}},
        };
        const double a = 3.0;
        for (const auto& lc : cases) {
            // one conventional cell only: r_max far beyond half the cell, so all images are needed
            const auto p = replicate(lc.basis, a, 1);
            const double rmax = 1.3 * lc.r_over_a.back() * a;
            const auto res = rdf_of(p, cell::orthorhombic(a, a, a), rmax, 2000);
            for (std::size_t s = 0; s < lc.r_over_a.size(); ++s) {
                // between this shell and the next one the running coordination is flat
                const double r_shell = lc.r_over_a[s] * a;
                CHECK(materia::coordination_at(res, 0, 0, r_shell * 1.005) == Approx(lc.cumulative[s]).epsilon(1e-12));
                CHECK(materia::coordination_at(res, 0, 0, r_shell * 0.995) ==
                      Approx(s == 0 ? 0.0 : lc.cumulative[s - 1]).epsilon(1e-12));
            }
        }
    }

    TEST_CASE("rdf: a 1-atom cell with r_max beyond the cell counts every image") {
        // simple cubic a = 2, 1 atom: ordered neighbours within 4.5 = 56 (see test_neighbors.cpp)
        const points p{{0.1, 0.2, 0.3}};
        const auto res = rdf_of(p, cell::orthorhombic(2, 2, 2), 4.5, 45);
        CHECK(res.n_running[0].back() == Approx(56).epsilon(1e-15));
        // first shell at r = 2 exactly: bin [2.0, 2.1) holds 6 neighbours
        CHECK(res.counts[0][20] == 6);
        // a lone atom pairs only with its images, density 1/V: g = count / (V_shell / V)
        const double shell = 4.0 / 3 * M_PI * (std::pow(2.1, 3) - 8.0);
        CHECK(res.g[20] == Approx(6.0 / (shell / 8.0)).epsilon(1e-12));
    }

    TEST_CASE("rdf: agrees with LAMMPS compute rdf (amorphous, orthorhombic and triclinic, r_max > half box)") {
        // Reference: /usr/bin/python3 ../shared/peers/lammps_rdf.py conf_X.xyz --rmax R --nbins N
        //            --pairs Si-Si,Si-O,O-O --out lammps_conf_X_rR.dat   (LAMMPS 20220106, Debian 12)
        // conf_*.xyz: ../shared/peers/make_config.py --n 600 [--triclinic] (seed 12345).
        struct ref_case {
            const char* xyz;
            const char* dat;
            double rmax;
            std::size_t bins;
        };
        for (const auto& rc : {ref_case{"structure/conf_600.xyz", "structure/lammps_conf_600_r8.dat", 8, 160},
                               ref_case{"structure/conf_tri_600.xyz", "structure/lammps_conf_tri_600_r8.dat", 8, 160},
                               ref_case{"structure/conf_tri_600.xyz", "structure/lammps_conf_tri_600_r14.dat", 14, 70}}) {
            CAPTURE(rc.dat);
            const auto fx = read_fixture(data_path(rc.xyz));
            const auto ref = read_table(data_path(rc.dat));
            const auto sp = materia::species_list::from_names(fx.species);  // sorted: O, Si
            for (int threads : {1, 2}) {
                materia::rdf_params prm{rc.rmax, rc.bins};
                prm.threads = threads;
                const auto res = materia::rdf(fx.pos, sp, fx.box, prm);
                REQUIRE(ref[0].size() == rc.bins);
                double worst = 0;
                for (std::size_t k = 0; k < rc.bins; ++k) {
                    CHECK(res.r[k] == Approx(ref[0][k]).epsilon(1e-12));
                    worst = std::max(worst, std::abs(res.g[k] - ref[1][k]));
                    worst = std::max(worst, std::abs(res.g_partial[res.pair_index(1, 1)][k] - ref[2][k]));  // Si-Si
                    worst = std::max(worst, std::abs(res.g_partial[res.pair_index(0, 1)][k] - ref[3][k]));  // Si-O
                    worst = std::max(worst, std::abs(res.g_partial[res.pair_index(0, 0)][k] - ref[4][k]));  // O-O
                    worst = std::max(worst, std::abs(res.n_running[1 * 2 + 1][k] - ref[6][k]));  // coord Si-Si
                    worst = std::max(worst, std::abs(res.n_running[1 * 2 + 0][k] - ref[7][k]));  // coord Si-O
                    worst = std::max(worst, std::abs(res.n_running[0 * 2 + 0][k] - ref[8][k]));  // coord O-O
                }
                CHECK(worst < 1e-9);
            }
        }
    }

    TEST_CASE("rdf: invariant under translation, wrapping, permutation and cell choice") {
        const auto fx = read_fixture(data_path("structure/conf_tri_600.xyz"));
        const auto sp = materia::species_list::from_names(fx.species);
        const materia::rdf_params prm{7.5, 75};
        const auto base = materia::rdf(fx.pos, sp, fx.box, prm);
        auto same_counts = [&](const materia::rdf_result& r) {
            // pair distances change only by rounding: compare total counts bin by bin allowing
            // for a pair that sits within 1e-9 of an edge (none do in this configuration)
            return r.counts == base.counts;
        };
        auto moved = fx.pos;
        for (auto& x : moved) x = fx.box.wrap(materia::detail::add(x, vec3{3.3, -1.25, 7.5}));
        CHECK(same_counts(materia::rdf(moved, sp, fx.box, prm)));
        std::vector<std::size_t> perm(fx.pos.size());
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), std::mt19937(11));
        points p2;
        std::vector<std::string> s2;
        for (auto k : perm) {
            p2.push_back(fx.pos[k]);
            s2.push_back(fx.species[k]);
        }
        CHECK(same_counts(materia::rdf(p2, materia::species_list::from_names(s2), fx.box, prm)));
        // another cell of the same lattice: c' = c + a − b (same volume and periodic structure)
        const auto& h = fx.box.matrix();
        const cell other(mat3{h[0], h[1], materia::detail::sub(materia::detail::add(h[2], h[0]), h[1])});
        CHECK(same_counts(materia::rdf(fx.pos, sp, other, prm)));
    }

    TEST_CASE("rdf: merging accumulators equals one accumulator; threads do not change histograms") {
        const cell c(mat3{vec3{14, 0, 0}, vec3{3, 13, 0}, vec3{-2, 1, 12}});
        const std::vector<std::string> names{"A", "B"};
        materia::rdf_params prm{6.0, 60};
        materia::rdf_accumulator all(prm, names), first(prm, names), second(prm, names);
        prm.threads = 2;
        materia::rdf_accumulator threaded(prm, names);
        for (std::uint64_t f = 0; f < 6; ++f) {
            // NPT-like: the volume changes between frames
            const double s = 1.0 + 0.02 * double(f);
            const cell cf(mat3{materia::detail::scale(c.vector(0), s), materia::detail::scale(c.vector(1), s),
                               materia::detail::scale(c.vector(2), s)});
            const auto p = random_points(cf, 400, 50 + f);
            std::vector<std::string> sp(p.size());
            for (std::size_t i = 0; i < p.size(); ++i) sp[i] = i % 3 == 0 ? "A" : "B";
            const auto sl = materia::species_list::from_names(sp);
            all.accumulate(p, sl, cf);
            threaded.accumulate(p, sl, cf);
            (f < 2 ? first : second).accumulate(p, sl, cf);
        }
        first.merge(second);
        CHECK(first.raw_histograms() == all.raw_histograms());
        CHECK(threaded.raw_histograms() == all.raw_histograms());
        const auto r1 = first.result(), r2 = all.result();
        for (std::size_t k = 0; k < r1.g.size(); ++k) CHECK(r1.g[k] == Approx(r2.g[k]).epsilon(1e-14));
        // state round trip (what MPI reductions use)
        materia::rdf_accumulator restored(prm, names);
        restored.set_state(all.integer_state(), all.real_state());
        CHECK(restored.raw_histograms() == all.raw_histograms());
        CHECK(restored.result().g[30] == Approx(r2.g[30]).epsilon(1e-15));
        all.reset();
        CHECK(all.n_frames() == 0);
        CHECK_THROWS_AS((void)all.result(), materia::domain_error);
    }

    TEST_CASE("rdf: self-pair conventions, partial consistency and G(r) below the first peak") {
        const auto fx = read_fixture(data_path("structure/conf_600.xyz"));
        const auto sp = materia::species_list::from_names(fx.species);
        materia::rdf_params prm{9.0, 90};
        const auto ex = materia::rdf(fx.pos, sp, fx.box, prm);
        prm.self_pairs = materia::self_pair_norm::include;
        const auto in = materia::rdf(fx.pos, sp, fx.box, prm);
        // O-O: N_O (N_O − 1) vs N_O² -> ratio (N_O − 1)/N_O = 399/400; Si-O unchanged
        const auto oo = ex.pair_index(0, 0), so = ex.pair_index(0, 1);
        for (std::size_t k = 0; k < 90; ++k) {
            CHECK(in.g_partial[oo][k] == Approx(ex.g_partial[oo][k] * 399.0 / 400.0).epsilon(1e-13));
            CHECK(in.g_partial[so][k] == Approx(ex.g_partial[so][k]).epsilon(1e-13));
        }
        // CN_ab c_a = CN_ba c_b at every r
        for (std::size_t k = 0; k < 90; ++k)
            CHECK(ex.n_running[0 * 2 + 1][k] * 400 == Approx(ex.n_running[1 * 2 + 0][k] * 200).epsilon(1e-12));
        // below the hard core (Si-O 1.5 Å) there are no pairs: G = −4πρr exactly
        for (std::size_t k = 0; k < 15; ++k)
            CHECK(ex.G[k] == Approx(-4 * M_PI * ex.density * ex.r[k]).epsilon(1e-13));
        // number-weighted Faber–Ziman with the N_a N_b convention reproduces the total g
        const auto fz = materia::faber_ziman_total(in, {1.0, 1.0});
        for (std::size_t k = 0; k < 90; ++k) CHECK(fz[k] == Approx(in.g[k]).epsilon(1e-12));
        // R, T, D forms
        const auto R = materia::radial_distribution_R(ex.r, ex.g, ex.density);
        const auto D = materia::differential_correlation_D(ex.r, ex.g, ex.density);
        CHECK(R[50] == Approx(4 * M_PI * ex.r[50] * ex.r[50] * ex.density * ex.g[50]).epsilon(1e-14));
        CHECK(D[50] == Approx(ex.G[50]).epsilon(1e-14));
    }

    TEST_CASE("rdf: r_min, peak refinement and first minimum") {
        const double a = 4.0;
        const auto p = replicate(fcc_basis(), a, 3);
        const auto res = rdf_of(p, cell::orthorhombic(3 * a, 3 * a, 3 * a), 5.0, 100);
        const auto pk = materia::first_peak(res.r, res.g);
        // the nearest-neighbour shell at a/√2 = 2.828 lies in bin [2.80, 2.85)
        CHECK(pk.r == Approx(a / std::sqrt(2.0)).epsilon(0.01));
        const auto mn = materia::first_minimum(res.r, res.g, 0.0);
        REQUIRE(mn.has_value());
        CHECK(mn->r > a / std::sqrt(2.0));
        CHECK(mn->r < a);
        CHECK(materia::coordination_at(res, 0, 0, mn->r) == Approx(12).epsilon(1e-12));
        // r_min: bins start at r_min; the same counts land in the same absolute bins
        materia::rdf_params prm{5.0, 50, 2.5};
        const auto cut = materia::rdf(p, materia::species_list::uniform(p.size()), cell::orthorhombic(12, 12, 12), prm);
        CHECK(cut.edges.front() == 2.5);
        CHECK(cut.counts[0][6] == res.counts[0][56]);  // [2.8, 2.85)
        const std::vector<double> flat{1, 1, 1, 1, 1};
        CHECK(!materia::first_minimum({1, 2, 3, 4, 5}, flat).has_value());
    }

    TEST_CASE("rdf: bad parameters and inputs are refused with messages") {
        const points p{{0, 0, 0}, {1, 1, 1}};
        const auto sp = materia::species_list::uniform(2);
        const cell c = cell::orthorhombic(5, 5, 5);
        CHECK_THROWS_WITH_AS(materia::rdf(p, sp, c, {-1.0, 10}), doctest::Contains("r_max must be positive"),
                             materia::invalid_argument);
        CHECK_THROWS_AS(materia::rdf(p, sp, c, {5.0, 0}), materia::invalid_argument);
        CHECK_THROWS_AS(materia::rdf(p, sp, c, {5.0, 10, 6.0}), materia::invalid_argument);
        CHECK_THROWS_AS(materia::rdf(p, sp, cell::open(), {5.0, 10}), materia::domain_error);
        CHECK_THROWS_AS(materia::rdf(points{}, materia::species_list::uniform(0), c, {5.0, 10}),
                        materia::invalid_argument);
        CHECK_THROWS_AS(materia::rdf(p, materia::species_list::uniform(3), c, {5.0, 10}), materia::invalid_argument);
        materia::rdf_accumulator acc({5.0, 10}, {"A"});
        CHECK_THROWS_WITH_AS(acc.accumulate(p, materia::species_list::uniform(2, "B"), c), doctest::Contains("'B'"),
                             materia::invalid_argument);
        materia::rdf_accumulator other({5.0, 11}, {"A"});
        CHECK_THROWS_AS(acc.merge(other), materia::invalid_argument);
    }
}
