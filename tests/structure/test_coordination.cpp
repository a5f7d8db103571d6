// Coordination statistics: lattice shells (SCIENCE.md §7), species resolution, the built-in
// consistency CN_ab N_a = CN_ba N_b, small cells, ASE numbers on a-Si, merge/state, bad input.
#include <materia/structure/coordination.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "lattices.hpp"
#include "xyz_fixture.hpp"

using doctest::Approx;
using materia::cell;
using materia::vec3;
using namespace materia::test;

namespace {
points rock_salt(double a, int n, std::vector<std::string>& names) {
    points p;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            for (int k = 0; k < n; ++k)
                for (const auto& b : fcc_basis()) {
                    p.push_back({a * (i + b[0]), a * (j + b[1]), a * (k + b[2])});
                    names.push_back("Na");
                    p.push_back({a * (i + b[0] + 0.5), a * (j + b[1]), a * (k + b[2])});
                    names.push_back("Cl");
                }
    return p;
}
}  // namespace

TEST_SUITE("structure.coordination") {
    TEST_CASE("coordination: fcc, bcc and diamond cumulative shells (SCIENCE.md §7)") {
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
            const auto p = replicate(lc.basis, a, 3);
            const cell c = cell::orthorhombic(3 * a, 3 * a, 3 * a);
            const auto sp = materia::species_list::uniform(p.size(), "X");
            for (std::size_t s = 0; s < lc.r_over_a.size(); ++s) {
                CAPTURE(s);
                const auto res = materia::coordination(p, sp, c, materia::pair_cutoffs(1, lc.r_over_a[s] * a * 1.01), 1);
                const auto n = static_cast<std::size_t>(lc.cumulative[s]);
                CHECK(res.mean[res.index(0, 0)] == Approx(lc.cumulative[s]).epsilon(1e-14));
                CHECK(res.mean[res.index(0, 1)] == Approx(lc.cumulative[s]).epsilon(1e-14));
                CHECK(res.histogram[res.index(0, 1)].size() == n + 1);
                CHECK(res.fraction_at(0, 1, n) == 1.0);
                CHECK(res.fraction_at(0, 1, n - 1) == 0.0);
                CHECK(res.atoms[0] == p.size());
            }
        }
    }

    TEST_CASE("coordination: rock salt per neighbour species, and CN_ab N_a = CN_ba N_b") {
        std::vector<std::string> names;
        const double a = 5.64;
        const auto p = rock_salt(a, 2, names);
        const auto sp = materia::species_list::from_names(names);  // Cl 0, Na 1
        const cell c = cell::orthorhombic(2 * a, 2 * a, 2 * a);
        const auto r1 = materia::coordination(p, sp, c, materia::pair_cutoffs::parse("Na-Cl=3.2", sp.names()));
        CHECK(r1.mean[r1.index(1, 0)] == 6.0);   // Na: 6 Cl
        CHECK(r1.mean[r1.index(1, 1)] == 0.0);   // Na: no Na bonded
        CHECK(r1.mean[r1.index(1, 2)] == 6.0);   // all
        CHECK(r1.fraction_at(1, 1, 0) == 1.0);
        const auto r2 = materia::coordination(p, sp, c, materia::pair_cutoffs::parse("Na-Cl=3.2,Na-Na=4.2", sp.names()));
        CHECK(r2.mean[r2.index(1, 1)] == 12.0);
        CHECK(r2.mean[r2.index(1, 2)] == 18.0);
        CHECK(r2.mean[r2.index(0, 2)] == 6.0);   // Cl-Cl not bonded
        CHECK(r2.fraction_at(1, 2, 18) == 1.0);

        // Si200 O400 random-ish configuration: every bond seen from both ends.
        const auto fx = read_fixture(data_path("structure/conf_600.xyz"));
        const auto sp3 = materia::species_list::from_names(fx.species);
        const auto cut = materia::pair_cutoffs::parse("O-Si=2.1,O-O=2.9,Si-Si=3.3", sp3.names());
        const auto r3 = materia::coordination(fx.pos, sp3, fx.box, cut);
        const double n_o = static_cast<double>(r3.atoms[0]), n_si = static_cast<double>(r3.atoms[1]);
        REQUIRE(r3.species == std::vector<std::string>{"O", "Si"});
        CHECK(n_o == 400);
        CHECK(r3.mean[r3.index(0, 1)] > 0);
        CHECK(r3.mean[r3.index(0, 1)] * n_o == Approx(r3.mean[r3.index(1, 0)] * n_si).epsilon(1e-13));
        // histograms sum to one and reproduce the mean
        for (std::size_t a2 = 0; a2 < 2; ++a2)
            for (std::size_t b = 0; b <= 2; ++b) {
                const auto& f = r3.fraction[r3.index(a2, b)];
                double s = 0, m = 0;
                for (std::size_t k = 0; k < f.size(); ++k) {
                    s += f[k];
                    m += static_cast<double>(k) * f[k];
                }
                CHECK(s == Approx(1.0).epsilon(1e-13));
                CHECK(m == Approx(r3.mean[r3.index(a2, b)]).epsilon(1e-13));
            }
        // per-atom numbers agree with the statistics
        const auto nl = materia::neighbor_list::build(fx.pos, sp3, fx.box, cut);
        const auto pa = materia::per_atom_coordination(nl, sp3);
        std::uint64_t si_o = 0;
        for (std::size_t i = 0; i < fx.pos.size(); ++i) {
            CHECK(pa.total[i] == pa(i, 0) + pa(i, 1));
            if (sp3[i] == 1) si_o += pa(i, 0);
        }
        CHECK(static_cast<double>(si_o) / n_si == Approx(r3.mean[r3.index(1, 0)]).epsilon(1e-14));
        // filtering a wider list with the same cutoffs gives the same numbers
        const auto wide = materia::neighbor_list::build(fx.pos, sp3, fx.box, materia::pair_cutoffs(2, 3.5));
        const auto pf = materia::per_atom_coordination(wide, sp3, cut);
        CHECK(pf.total == pa.total);
        materia::coordination_accumulator acc(sp3.names(), cut);
        acc.accumulate(wide, sp3);
        CHECK(acc.result().histogram == r3.histogram);
    }

    TEST_CASE("coordination: amorphous Si matches ASE neighbor_list (mean 4.04296875; 490 four-fold, 22 five-fold)") {
        // ASE 3.22.1: ase.neighborlist.neighbor_list('id', atoms, 2.85) on a-Si_512.xyz;
        // np.bincount(i).mean() = 4.04296875, np.bincount(np.bincount(i)) = [0 0 0 0 490 22].
        const auto fx = read_fixture(data_path("structure/a-Si_512.xyz"));
        const auto sp = materia::species_list::from_names(fx.species);
        const auto res = materia::coordination(fx.pos, sp, fx.box, materia::pair_cutoffs(1, 2.85));
        CHECK(res.mean[res.index(0, 1)] == 4.04296875);
        CHECK(res.histogram[res.index(0, 1)] == std::vector<std::uint64_t>{0, 0, 0, 0, 490, 22});
        CHECK(res.fraction_at(0, 1, 5) == Approx(22.0 / 512.0).epsilon(1e-14));
        CHECK(res.fraction_at(0, 1, 13) == 0.0);
    }

    TEST_CASE("coordination: small cells count bonds to periodic images of the atom itself") {
        const points p{{0.2, 0.3, 0.4}};
        const auto sp = materia::species_list::uniform(1, "X");
        const cell c = cell::orthorhombic(2.0, 2.0, 2.0);
        CHECK(materia::coordination(p, sp, c, materia::pair_cutoffs(1, 2.2)).mean[0] == 6.0);
        CHECK(materia::coordination(p, sp, c, materia::pair_cutoffs(1, 2.9)).mean[0] == 18.0);
        CHECK(materia::coordination(p, sp, c, materia::pair_cutoffs(1, 3.5)).mean[0] == 26.0);
        // open cell: nothing
        CHECK(materia::coordination(p, sp, cell::open(), materia::pair_cutoffs(1, 3.5)).mean[0] == 0.0);
    }

    TEST_CASE("coordination: invariances, threads, merge and flat state") {
        const auto fx = read_fixture(data_path("structure/conf_tri_600.xyz"));
        const auto sp = materia::species_list::from_names(fx.species);
        const auto cut = materia::pair_cutoffs::parse("O-Si=2.1,O-O=2.9,Si-Si=3.3", sp.names());
        const auto ref = materia::coordination(fx.pos, sp, fx.box, cut, 1);
        for (int t : {2, 5}) CHECK(materia::coordination(fx.pos, sp, fx.box, cut, t).histogram == ref.histogram);
        auto moved = fx.pos;
        for (auto& r : moved) r = {r[0] - 11.5, r[1] + 0.77, r[2] + 3.1};
        CHECK(materia::coordination(moved, sp, fx.box, cut).histogram == ref.histogram);
        std::vector<std::size_t> perm(fx.pos.size());
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), std::mt19937_64(3));
        points pp;
        std::vector<std::string> names;
        for (auto k : perm) {
            pp.push_back(fx.pos[k]);
            names.push_back(fx.species[k]);
        }
        CHECK(materia::coordination(pp, materia::species_list::from_names(names), fx.box, cut).histogram == ref.histogram);

        materia::coordination_accumulator a(sp.names(), cut), b(sp.names(), cut), both(sp.names(), cut);
        const auto fx2 = read_fixture(data_path("structure/conf_600.xyz"));
        a.accumulate(fx.pos, sp, fx.box);
        b.accumulate(fx2.pos, materia::species_list::from_names(fx2.species), fx2.box);
        both.accumulate(fx.pos, sp, fx.box);
        both.accumulate(fx2.pos, materia::species_list::from_names(fx2.species), fx2.box);
        a.merge(b);
        CHECK(a.result().histogram == both.result().histogram);
        CHECK(a.result().mean == both.result().mean);
        CHECK(a.result().frames == 2);
        materia::coordination_accumulator r(sp.names());
        r.set_state(a.integer_state(), a.real_state());
        CHECK(r.result().histogram == both.result().histogram);
        CHECK(r.result().mean == both.result().mean);
        // padded states add element-wise
        const auto s1 = a.state_with_length(40);
        CHECK(s1.size() == 4 + 2 + 6 + 6 * 40);
        r.set_state(s1);
        CHECK(r.result().histogram == both.result().histogram);
    }

    TEST_CASE("coordination: bad input is refused with a clear exception") {
        CHECK_THROWS_AS(materia::coordination_accumulator({}), materia::invalid_argument);
        CHECK_THROWS_AS(materia::coordination_accumulator({"A"}, materia::pair_cutoffs(2, 1.0)), materia::invalid_argument);
        materia::coordination_accumulator acc({"A"});
        const points p{{0, 0, 0}, {1, 0, 0}};
        const auto sp = materia::species_list::uniform(2, "A");
        CHECK_THROWS_AS(acc.accumulate(p, sp, cell::orthorhombic(5, 5, 5)), materia::invalid_argument);  // no cutoffs
        CHECK_THROWS_AS((void)acc.result(), materia::domain_error);
        const auto nl = materia::neighbor_list::build(p, sp, cell::orthorhombic(5, 5, 5), materia::pair_cutoffs(1, 1.5));
        CHECK_THROWS_AS(acc.accumulate(nl, materia::species_list::uniform(3, "A")), materia::invalid_argument);
        CHECK_THROWS_AS(acc.accumulate(nl, materia::species_list::uniform(2, "B")), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::per_atom_coordination(nl, materia::species_list::uniform(3, "A")),
                        materia::invalid_argument);
        CHECK_THROWS_AS(acc.set_state({1, 0, 2, 0}), materia::invalid_argument);
        CHECK_THROWS_AS(acc.set_state({1, 0, 1, 3, 0}), materia::invalid_argument);
        materia::coordination_accumulator other({"B"});
        CHECK_THROWS_AS(acc.merge(other), materia::invalid_argument);
        acc.accumulate(nl, sp);
        CHECK(acc.result().mean[0] == 1.0);
        CHECK_THROWS_AS((void)acc.state_with_length(1), materia::invalid_argument);  // CN 1 needs length 2
    }
}
