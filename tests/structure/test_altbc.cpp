// ALTBC (Peierls-distortion) maps: rock salt gives one diagonal peak, a Peierls-distorted chain
// two symmetric off-diagonal peaks, the angle window, the ideal-gas normalisation, invariances,
// merge/state and bad input.
#include <materia/structure/altbc.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
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
                    names.push_back("Ge");
                    p.push_back({a * (i + b[0] + 0.5), a * (j + b[1]), a * (k + b[2])});
                    names.push_back("Te");
                }
    return p;
}

std::uint64_t sum(const std::vector<std::uint64_t>& v) { return std::accumulate(v.begin(), v.end(), std::uint64_t{0}); }

materia::altbc_params params(double r_min, double r_max, std::size_t bins, int threads = 0) {
    materia::altbc_params p;
    p.r_min = r_min;
    p.r_max = r_max;
    p.bins = bins;
    p.threads = threads;
    return p;
}
}  // namespace

TEST_SUITE("structure.altbc") {
    TEST_CASE("altbc: perfect rock salt gives a single peak on the diagonal at (a/2, a/2)") {
        std::vector<std::string> names;
        const double a = 5.64;
        const auto p = rock_salt(a, 2, names);
        const auto sp = materia::species_list::from_names(names);
        const cell c = cell::orthorhombic(2 * a, 2 * a, 2 * a);
        const auto res = materia::altbc(p, sp, c, params(2.0, 3.5, 15));  // a/2 = 2.82 -> bin 8
        const std::size_t n = p.size();
        CHECK(res.triplets == 3 * n);
        CHECK(res.counts[res.at(8, 8)] == 6 * n);
        CHECK(res.counts_sorted[res.at(8, 8)] == 3 * n);
        CHECK(sum(res.counts) == 6 * n);
        CHECK(sum(res.counts_sorted) == 3 * n);
        CHECK(res.density[res.at(8, 8)] == Approx(1.0 / (0.1 * 0.1)).epsilon(1e-12));
        CHECK(res.r[8] == Approx(2.85).epsilon(1e-14));
        CHECK(res.triplets_center[0] == 3 * n / 2);  // Ge centres
        CHECK(res.counts_center[1][res.at(8, 8)] == 3 * n);
        // second shell (a/√2 = 3.988) adds its own diagonal peak; mixed pairs are at 135°, outside
        const auto res2 = materia::altbc(p, sp, c, params(2.0, 4.2, 22));
        CHECK(res2.counts[res2.at(8, 8)] == 6 * n);
        CHECK(res2.counts[res2.at(19, 19)] == 12 * n);
        CHECK(sum(res2.counts) == 18 * n);
        REQUIRE(res2.normalised);
        // the normalised map: counts / (N (N-1)(N-2)/V² · shell² · (1 - cos 25°)/2)
        const double nn = static_cast<double>(n), v = 8 * a * a * a;
        const double sh = 4.0 / 3.0 * M_PI * (std::pow(2.9, 3) - std::pow(2.8, 3));
        const double w = 0.5 * (1 - std::cos(25 * M_PI / 180));
        CHECK(res.g[res.at(8, 8)] == Approx(6 * nn / (nn * (nn - 1) * (nn - 2) / (v * v) * sh * sh * w)).epsilon(1e-12));
        CHECK(res.g_sorted[res.at(8, 8)] == Approx(res.g[res.at(8, 8)]).epsilon(1e-12));
    }

    TEST_CASE("altbc: a Peierls-distorted chain gives two symmetric off-diagonal peaks") {
        // chain along x: bonds alternate 2.8 / 3.2 Å (period 6 Å), 10 periods in the cell
        points p;
        for (int k = 0; k < 10; ++k) {
            p.push_back({6.0 * k, 0, 0});
            p.push_back({6.0 * k + 2.8, 0, 0});
        }
        const auto sp = materia::species_list::uniform(p.size(), "Sb");
        const cell c = cell::orthorhombic(60, 20, 20);
        const auto res = materia::altbc(p, sp, c, params(2.35, 3.55, 12));  // 2.8 -> bin 4, 3.2 -> bin 8
        CHECK(res.triplets == 20);
        CHECK(res.counts[res.at(4, 8)] == 20);
        CHECK(res.counts[res.at(8, 4)] == 20);
        CHECK(res.counts_sorted[res.at(4, 8)] == 20);
        CHECK(res.counts_sorted[res.at(8, 4)] == 0);
        for (std::size_t i = 0; i < 12; ++i) CHECK(res.counts[res.at(i, i)] == 0);
        CHECK(sum(res.counts) == 40);
        // the symmetrised normalised map is symmetric
        for (std::size_t i = 0; i < 12; ++i)
            for (std::size_t j = 0; j < 12; ++j) CHECK(res.g[res.at(i, j)] == res.g[res.at(j, i)]);
        // undistorted chain (3.0 / 3.0): back on the diagonal
        points q;
        for (int k = 0; k < 10; ++k) {
            q.push_back({6.0 * k, 0, 0});
            q.push_back({6.0 * k + 3.0, 0, 0});
        }
        const auto und = materia::altbc(q, sp, c, params(2.35, 3.55, 12));  // 3.0 -> bin 6
        CHECK(und.counts[und.at(6, 6)] == 40);
        CHECK(und.counts_sorted[und.at(6, 6)] == 20);
        // the same chain in its 2-atom cell (bonds to images of the other atom)
        const points small{{0, 0, 0}, {2.8, 0, 0}};
        const auto sm = materia::altbc(small, materia::species_list::uniform(2, "Sb"), cell::orthorhombic(6, 20, 20),
                                       params(2.35, 3.55, 12));
        CHECK(sm.triplets == 2);
        CHECK(sm.counts_sorted[sm.at(4, 8)] == 2);
        CHECK(sm.density == res.density);
        CHECK(sm.g[sm.at(4, 8)] > 0);  // N < 3: the N³/V² fallback keeps it finite
    }

    TEST_CASE("altbc: the angle window (default 180° ± 25°) decides which triplets count") {
        const auto sp = materia::species_list::uniform(3, "X");
        auto three = [](double theta_deg) {
            const double t = theta_deg * M_PI / 180;
            return points{{0, 0, 0}, {2.8, 0, 0}, {3.2 * std::cos(t), 3.2 * std::sin(t), 0}};
        };
        auto prm = params(2.0, 4.0, 20);
        CHECK(materia::altbc(three(160), sp, cell::open(), prm).triplets == 1);
        CHECK(materia::altbc(three(156), sp, cell::open(), prm).triplets == 1);
        CHECK(materia::altbc(three(154), sp, cell::open(), prm).triplets == 0);
        CHECK(materia::altbc(three(150), sp, cell::open(), prm).triplets == 0);
        prm.angle_window = 35;
        CHECK(materia::altbc(three(150), sp, cell::open(), prm).triplets == 1);
        // open cell: counts but no normalised map
        const auto r = materia::altbc(three(180), sp, cell::open(), prm);
        CHECK(r.triplets == 1);
        CHECK_FALSE(r.normalised);
        CHECK(r.g.empty());
    }

    TEST_CASE("altbc: an ideal gas gives g = 1 (symmetrised and sorted)") {
        const cell c = cell::orthorhombic(20, 20, 20);
        const auto p = random_points(c, 2000, 2024);
        const auto res = materia::altbc(p, materia::species_list::uniform(p.size()), c, params(1.5, 3.5, 4));
        REQUIRE(res.normalised);
        const double n = 2000, rho2 = (n - 1) * (n - 2) / (8000.0 * 8000.0);
        const double w = 0.5 * (1 - std::cos(25 * M_PI / 180));
        for (std::size_t i = 0; i < 4; ++i)
            for (std::size_t j = 0; j < 4; ++j) {
                CAPTURE(i);
                CAPTURE(j);
                auto shell = [&](std::size_t k) {
                    return 4.0 / 3.0 * M_PI * (std::pow(res.edges[k + 1], 3) - std::pow(res.edges[k], 3));
                };
                const double expected = n * rho2 * shell(i) * shell(j) * w;  // ordered pairs in the cell
                CHECK(std::abs(res.g[res.at(i, j)] - 1) < 5 / std::sqrt(expected));
                if (j >= i) CHECK(std::abs(res.g_sorted[res.at(i, j)] - 1) < 5 / std::sqrt(expected / (i == j ? 2 : 1)));
                else CHECK(res.g_sorted[res.at(i, j)] == 0.0);
            }
    }

    TEST_CASE("altbc: translation, permutation, thread count, shared neighbour list, merge and state") {
        const auto fx = read_fixture(data_path("structure/a-Si_512.xyz"));
        const auto sp = materia::species_list::from_names(fx.species);
        const auto prm = params(2.0, 4.0, 40, 1);
        const auto ref = materia::altbc(fx.pos, sp, fx.box, prm);
        CHECK(ref.triplets > 100);
        auto moved = fx.pos;
        for (auto& r : moved) r = {r[0] + 30.1, r[1] - 0.4, r[2] + 2.2};
        CHECK(materia::altbc(moved, sp, fx.box, prm).counts == ref.counts);
        std::vector<std::size_t> perm(fx.pos.size());
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), std::mt19937_64(11));
        points pp;
        for (auto k : perm) pp.push_back(fx.pos[k]);
        CHECK(materia::altbc(pp, sp, fx.box, prm).counts_sorted == ref.counts_sorted);
        for (int t : {2, 4}) {
            auto pt = prm;
            pt.threads = t;
            CHECK(materia::altbc(fx.pos, sp, fx.box, pt).counts == ref.counts);
        }
        // a wider shared list gives the same map
        const auto nl = materia::neighbor_list::build(fx.pos, sp, fx.box, materia::pair_cutoffs(1, 5.0));
        materia::altbc_accumulator acc(prm, {"Si"});
        acc.accumulate(nl, sp, fx.box);
        CHECK(acc.result().counts == ref.counts);
        // merge and state
        materia::altbc_accumulator b(prm, {"Si"}), both(prm, {"Si"});
        b.accumulate(moved, sp, fx.box);
        both.accumulate(fx.pos, sp, fx.box);
        both.accumulate(moved, sp, fx.box);
        acc.merge(b);
        CHECK(acc.result().counts == both.result().counts);
        CHECK(acc.result().g == both.result().g);
        materia::altbc_accumulator r(prm, {"Si"});
        r.set_state(acc.integer_state(), acc.real_state());
        CHECK(r.result().counts_sorted == both.result().counts_sorted);
        CHECK(r.result().g == both.result().g);
        CHECK(r.n_frames() == 2);
        r.reset();
        CHECK_THROWS_AS((void)r.result(), materia::domain_error);
    }

    TEST_CASE("altbc: bad input is refused with a clear exception") {
        CHECK_THROWS_AS(materia::altbc_accumulator(params(0, 4, 0), {"X"}), materia::invalid_argument);
        CHECK_THROWS_AS(materia::altbc_accumulator(params(4, 4, 10), {"X"}), materia::invalid_argument);
        CHECK_THROWS_AS(materia::altbc_accumulator(params(0, -1, 10), {"X"}), materia::invalid_argument);
        auto bad = params(0, 4, 10);
        bad.angle_window = 0;
        CHECK_THROWS_AS(materia::altbc_accumulator(bad, {"X"}), materia::invalid_argument);
        bad.angle_window = 181;
        CHECK_THROWS_AS(materia::altbc_accumulator(bad, {"X"}), materia::invalid_argument);
        CHECK_THROWS_AS(materia::altbc_accumulator(params(0, 4, 10), {}), materia::invalid_argument);
        materia::altbc_accumulator acc(params(0, 4, 10), {"X"});
        const points p{{0, 0, 0}, {1, 0, 0}};
        CHECK_THROWS_AS(acc.accumulate(p, materia::species_list::uniform(2, "Y"), cell::open()), materia::invalid_argument);
        CHECK_THROWS_AS(acc.accumulate(p, materia::species_list::uniform(3, "X"), cell::open()), materia::invalid_argument);
        materia::altbc_accumulator other(params(0, 4, 11), {"X"});
        CHECK_THROWS_AS(acc.merge(other), materia::invalid_argument);
        CHECK_THROWS_AS(acc.set_state({1}, {}), materia::invalid_argument);
    }
}
