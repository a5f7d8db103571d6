#include <materia/neighbors/cell_list.hpp>
#include <materia/neighbors/neighbor_list.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "lattices.hpp"

using materia::cell;
using materia::mat3;
using materia::vec3;
using namespace materia::test;

namespace {
// The pairs found by the cell list, normalised to i <= j (with the image flipped for swapped pairs)
std::vector<bf_pair> cell_list_pairs(const points& p, const cell& c, double rc, int threads = 1) {
    materia::cell_list cl(p, c, rc);
    std::vector<std::vector<bf_pair>> parts(static_cast<std::size_t>(materia::chunk_count(threads)));
    materia::parallel_chunks(cl.n_bins(), static_cast<int>(parts.size()), [&](int k, std::size_t b, std::size_t e) {
        auto visit = [&](const materia::neighbor_pair& q) {
            std::size_t i = q.i, j = q.j;
            std::array<int, 3> n = q.image;
            // check the displacement against the reported image
            const vec3 d = materia::detail::sub(materia::detail::add(p[j], c.translation(n)), p[i]);
            CHECK(std::abs(d[0] - q.dx) < 1e-9);
            CHECK(std::abs(d[2] - q.dz) < 1e-9);
            if (i > j || (i == j && !(n > std::array<int, 3>{0, 0, 0}))) {
                std::swap(i, j);
                n = {-n[0], -n[1], -n[2]};
            }
            parts[static_cast<std::size_t>(k)].push_back({i, j, n, std::sqrt(q.r2)});
        };
        cl.visit_bins(b, e, visit);
    });
    std::vector<bf_pair> out;
    for (auto& part : parts) out.insert(out.end(), part.begin(), part.end());
    std::sort(out.begin(), out.end());
    return out;
}

void check_same(const std::vector<bf_pair>& a, const std::vector<bf_pair>& b) {
    REQUIRE(a.size() == b.size());
    bool all = true;
    for (std::size_t k = 0; k < a.size(); ++k)
        all = all && a[k].i == b[k].i && a[k].j == b[k].j && a[k].image == b[k].image &&
              std::abs(a[k].r - b[k].r) < 1e-9;
    CHECK(all);
}
}  // namespace

TEST_SUITE("neighbors.cell_list") {
    TEST_CASE("cell list = brute force on random orthorhombic and skewed triclinic cells") {
        struct cfg {
            cell c;
            std::size_t n;
            double rc;
        };
        const std::vector<cfg> cases = {
            {cell::orthorhombic(12, 13, 11), 300, 4.0},
            {cell::orthorhombic(12, 13, 11), 120, 7.9},  // beyond half the box
            {cell(mat3{vec3{10, 0, 0}, vec3{4, 9, 0}, vec3{-3, 2.5, 8}}), 200, 3.7},
            {cell(mat3{vec3{6, 0, 0}, vec3{5.5, 2, 0}, vec3{5.2, 1.7, 1.5}}), 40, 2.5},  // very skewed
            {cell(mat3{vec3{3, 0, 0}, vec3{0.5, 3.2, 0}, vec3{0.3, -0.4, 2.9}}), 3, 9.0},  // cutoff 3× width
            {cell(mat3{vec3{7, 0, 0}, vec3{1, 7, 0}, vec3{0, 0, 7}}, {true, false, true}), 80, 3.0},  // slab
        };
        std::size_t seed = 1;
        for (const auto& cs : cases) {
            const auto p = random_points(cs.c, cs.n, seed++);
            const auto bf = brute_force_pairs(p, cs.c, cs.rc);
            CAPTURE(seed);
            CHECK(!bf.empty());
            check_same(cell_list_pairs(p, cs.c, cs.rc, 1), bf);
            check_same(cell_list_pairs(p, cs.c, cs.rc, 3), bf);
        }
    }

    TEST_CASE("a single atom sees its own images; counts match the lattice sum") {
        // Simple cubic a = 2, cutoff 4.5: images with |n|·2 < 4.5 -> |n|² < 5.0625, n ≠ 0:
        // shells |n|²=1:6, 2:12, 3:8, 4:6, 5:24 -> 56 ordered neighbours, 28 unordered pairs.
        const points p{{0.3, 0.2, 0.1}};
        const auto pairs = cell_list_pairs(p, cell::orthorhombic(2, 2, 2), 4.5);
        CHECK(pairs.size() == 28);
        check_same(pairs, brute_force_pairs(p, cell::orthorhombic(2, 2, 2), 4.5));
    }

    TEST_CASE("atoms outside the cell and non-periodic clusters") {
        const cell c(mat3{vec3{8, 0, 0}, vec3{2, 8, 0}, vec3{1, 1, 8}});
        auto p = random_points(c, 150, 99);
        for (std::size_t i = 0; i < p.size(); i += 3) p[i] = materia::detail::add(p[i], c.translation({3, -2, 5}));
        check_same(cell_list_pairs(p, c, 3.3), brute_force_pairs(p, c, 3.3));
        // fully open: plain all-pairs distances
        const auto q = random_points(cell::orthorhombic(10, 10, 10), 200, 5);
        const auto bf = brute_force_pairs(q, cell(mat3{vec3{10, 0, 0}, vec3{0, 10, 0}, vec3{0, 0, 10}}, {false, false, false}), 2.0);
        check_same(cell_list_pairs(q, cell::open(), 2.0), bf);
    }

    TEST_CASE("invariances: translation, wrapping and permutation give the same pair set") {
        const cell c(mat3{vec3{9, 0, 0}, vec3{2, 10, 0}, vec3{-1, 1, 9.5}});
        const auto p = random_points(c, 250, 3);
        const double rc = 3.5;
        auto reference = cell_list_pairs(p, c, rc);
        auto distances = [](const std::vector<bf_pair>& v) {
            std::vector<double> d;
            for (const auto& x : v) d.push_back(x.r);
            std::sort(d.begin(), d.end());
            return d;
        };
        const auto d0 = distances(reference);
        // translation
        auto t = p;
        for (auto& x : t) x = materia::detail::add(x, vec3{1.7, -3.1, 0.4});
        auto d1 = distances(cell_list_pairs(t, c, rc));
        // wrapping
        auto w = p;
        for (auto& x : w) x = c.wrap(materia::detail::add(x, vec3{5, 5, 5}));
        auto d2 = distances(cell_list_pairs(w, c, rc));
        // permutation
        std::vector<std::size_t> perm(p.size());
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), std::mt19937(4));
        points q(p.size());
        for (std::size_t i = 0; i < p.size(); ++i) q[i] = p[perm[i]];
        auto d3 = distances(cell_list_pairs(q, c, rc));
        REQUIRE(d1.size() == d0.size());
        REQUIRE(d2.size() == d0.size());
        REQUIRE(d3.size() == d0.size());
        double worst = 0;
        for (std::size_t k = 0; k < d0.size(); ++k)
            worst = std::max({worst, std::abs(d1[k] - d0[k]), std::abs(d2[k] - d0[k]), std::abs(d3[k] - d0[k])});
        CHECK(worst < 1e-10);
    }

    TEST_CASE("bad input") {
        const points p{{0, 0, 0}, {1, NAN, 0}};
        CHECK_THROWS_WITH_AS(materia::cell_list(p, cell::orthorhombic(5, 5, 5), 2.0), doctest::Contains("not finite"),
                             materia::invalid_argument);
        const points ok{{0, 0, 0}};
        CHECK_THROWS_AS(materia::cell_list(ok, cell::orthorhombic(5, 5, 5), 0.0), materia::invalid_argument);
        CHECK_THROWS_AS(materia::cell_list(ok, cell::orthorhombic(5, 5, 5), -1.0), materia::invalid_argument);
        materia::cell_list empty(points{}, cell::orthorhombic(5, 5, 5), 2.0);
        int n = 0;
        empty.for_each_pair([&](const materia::neighbor_pair&) { ++n; });
        CHECK(n == 0);
    }
}

TEST_SUITE("neighbors.neighbor_list") {
    TEST_CASE("diamond: every atom has 4 bonds of length a·√3/4 with per-pair cutoffs") {
        const double a = 5.431;
        const auto p = replicate(diamond_basis(), a, 1);  // the 8-atom cell: all bonds cross the boundary
        auto sp = materia::species_list::uniform(p.size(), "Si");
        const auto cut = materia::pair_cutoffs::parse("Si-Si=2.6", sp.names());
        const auto nl = materia::neighbor_list::build(p, sp, cell::orthorhombic(a, a, a), cut, 2);
        CHECK(nl.size() == 8);
        CHECK(nl.n_bonds() == 16);
        for (std::size_t i = 0; i < 8; ++i) {
            CHECK(nl.degree(i) == 4);
            for (const auto& e : nl.neighbors(i)) CHECK(e.r == doctest::Approx(a * std::sqrt(3.0) / 4).epsilon(1e-12));
        }
        // the same list for any thread count
        const auto nl1 = materia::neighbor_list::build(p, sp, cell::orthorhombic(a, a, a), cut, 1);
        bool same = nl1.offsets == nl.offsets;
        for (std::size_t k = 0; k < nl.entries.size(); ++k)
            same = same && nl.entries[k].j == nl1.entries[k].j && nl.entries[k].image == nl1.entries[k].image;
        CHECK(same);
    }

    TEST_CASE("pair cutoffs: parsing and per-pair filtering") {
        const std::vector<std::string> names{"O", "Si"};
        const auto c = materia::pair_cutoffs::parse("Si-O=1.9,O-O=2.7", names);
        CHECK(c(0, 1) == 1.9);
        CHECK(c(1, 0) == 1.9);
        CHECK(c(0, 0) == 2.7);
        CHECK(c(1, 1) == 0.0);
        CHECK(materia::pair_cutoffs::parse("2.5", names)(1, 1) == 2.5);
        CHECK_THROWS_WITH_AS(materia::pair_cutoffs::parse("Si-C=1.9", names), doctest::Contains("'C'"),
                             materia::invalid_argument);
        CHECK_THROWS_AS(materia::pair_cutoffs::parse("Si-O=abc", names), materia::invalid_argument);
        CHECK_THROWS_AS(materia::pair_cutoffs::parse("SiO=1", names), materia::invalid_argument);
        CHECK_THROWS_AS(materia::pair_cutoffs::parse("-1", names), materia::invalid_argument);

        // two species; only Si-O bonds are wanted
        const points p{{0, 0, 0}, {1.6, 0, 0}, {0, 1.5, 0}, {5, 5, 5}};
        const std::vector<std::string> s{"Si", "O", "Si", "O"};
        const auto sp = materia::species_list::from_names(s);
        const auto nl = materia::neighbor_list::build(p, sp, cell::orthorhombic(20, 20, 20),
                                                      materia::pair_cutoffs::parse("Si-O=1.9", sp.names()));
        CHECK(nl.degree(0) == 1);  // Si0-O1; Si0-Si2 at 1.5 has no bond
        CHECK(nl.degree(1) == 1);
        CHECK(nl.degree(2) == 0);  // Si2-O1 is at 2.19
        CHECK(nl.degree(3) == 0);
    }
}
