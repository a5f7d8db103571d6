// Tests for materia/dynamics/reordered_msd.hpp: the validation cases of SCIENCE.md §4.2 and
// brute force over all permutations.
#include <doctest/doctest.h>

#include "lattices.hpp"

#include <materia/dynamics/reordered_msd.hpp>

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace {

using materia::test::points;

// min over permutations within each species of Σ |MI(r_P(i)(t) − r_i(0))|², divided by N.
double brute_force_msd_prime(const points& ref, const points& cur, const std::vector<int>& sp, const materia::cell& c) {
    double total = 0;
    const int ns = *std::max_element(sp.begin(), sp.end()) + 1;
    for (int s = 0; s < ns; ++s) {
        std::vector<std::size_t> mem;
        for (std::size_t i = 0; i < sp.size(); ++i)
            if (sp[i] == s) mem.push_back(i);
        // Minimum-image squared distances once; then every permutation is a sum of table entries.
        std::vector<double> d2(mem.size() * mem.size());
        for (std::size_t a = 0; a < mem.size(); ++a)
            for (std::size_t b = 0; b < mem.size(); ++b) {
                const auto d = c.minimum_image(materia::detail::sub(cur[mem[b]], ref[mem[a]]));
                d2[a * mem.size() + b] = materia::detail::dot(d, d);
            }
        std::vector<std::size_t> perm(mem.size());
        std::iota(perm.begin(), perm.end(), 0);
        double best = std::numeric_limits<double>::infinity();
        do {
            double sum = 0;
            for (std::size_t a = 0; a < mem.size(); ++a) sum += d2[a * mem.size() + perm[a]];
            best = std::min(best, sum);
        } while (std::next_permutation(perm.begin(), perm.end()));
        total += best;
    }
    return total / static_cast<double>(sp.size());
}

double plain_msd(const points& a, const points& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto d = materia::detail::sub(b[i], a[i]);
        s += materia::detail::dot(d, d);
    }
    return s / static_cast<double>(a.size());
}

}  // namespace

TEST_SUITE("dynamics.reordered_msd") {

TEST_CASE("reordered msd: swapping two identical atoms gives MSD = 2 d^2/N and MSD' = 0") {
    const double a = 4.0;
    const auto ref = materia::test::replicate(materia::test::fcc_basis(), a, 3);  // 108 atoms
    const materia::cell c = materia::cell::orthorhombic(3 * a, 3 * a, 3 * a);
    auto cur = ref;
    std::swap(cur[0], cur[1]);  // nearest neighbours, d = a/√2
    const double d2 = a * a / 2;
    const auto sp = materia::species_list::uniform(ref.size(), "H");
    const materia::reordered_msd rm(ref, sp);
    const auto r = rm.evaluate(cur, c);
    CHECK(plain_msd(ref, cur) == doctest::Approx(2 * d2 / 108.0).epsilon(1e-14));
    CHECK(r.msd_identity == doctest::Approx(2 * d2 / 108.0).epsilon(1e-14));
    CHECK(r.msd == 0.0);
    CHECK(r.exchanged == 2);
    CHECK(r.permutation[0] == 1);
    CHECK(r.permutation[1] == 0);
}

TEST_CASE("reordered msd: rigid translations by lattice vectors give MSD' = 0") {
    const double a = 3.5;
    const auto ref = materia::test::replicate(materia::test::fcc_basis(), a, 2);  // 32 atoms
    const materia::cell c = materia::cell::orthorhombic(2 * a, 2 * a, 2 * a);
    const auto sp = materia::species_list::uniform(ref.size(), "La");
    const materia::reordered_msd rm(ref, sp);
    SUBCASE("a vector of the periodic box: minimum images remove it, no reordering needed") {
        auto cur = ref;
        for (auto& r : cur) r[0] += 2 * a;
        CHECK(plain_msd(ref, cur) == doctest::Approx(4 * a * a).epsilon(1e-14));  // unwrapped MSD = |T|²
        const auto r = rm.evaluate(cur, c);
        CHECK(r.msd == doctest::Approx(0.0).epsilon(1e-20));
        CHECK(r.msd_identity < 1e-24);
    }
    SUBCASE("a primitive fcc vector (a/2, a/2, 0): only the permutation removes it") {
        auto cur = ref;
        for (auto& r : cur) {
            r[0] += a / 2;
            r[1] += a / 2;
        }
        CHECK(plain_msd(ref, cur) == doctest::Approx(a * a / 2).epsilon(1e-14));
        const auto r = rm.evaluate(cur, c);
        CHECK(r.msd_identity == doctest::Approx(a * a / 2).epsilon(1e-14));
        CHECK(r.msd < 1e-24);
        CHECK(r.exchanged == 32);
    }
}

TEST_CASE("reordered msd: equals brute force over permutations for N <= 8 (triclinic cell, two species)") {
    const materia::cell c(materia::mat3{materia::vec3{5.0, 0, 0}, materia::vec3{1.7, 4.6, 0}, materia::vec3{-1.2, 0.9, 5.3}});
    std::mt19937_64 rng(8);
    std::normal_distribution<double> g(0.0, 1.2);
    for (std::size_t n = 1; n <= 8; ++n)
        for (int rep = 0; rep < 4; ++rep) {
            CAPTURE(n);
            CAPTURE(rep);
            const auto ref = materia::test::random_points(c, n, 1000 * n + static_cast<std::uint64_t>(rep));
            auto cur = ref;
            for (auto& r : cur)
                for (auto& x : r) x += g(rng);  // large moves: many exchanges
            std::vector<int> spi(n);
            std::vector<std::string> names(n);
            for (std::size_t i = 0; i < n; ++i) {
                spi[i] = (rep % 2 == 0 || i < 3) ? 0 : 1;  // one species, or 3 + rest
                names[i] = spi[i] == 0 ? "A" : "B";
            }
            const auto sp = materia::species_list::from_names(names);
            const materia::reordered_msd rm(ref, sp);
            const auto r = rm.evaluate(cur, c);
            CHECK(r.msd == doctest::Approx(brute_force_msd_prime(ref, cur, spi, c)).epsilon(1e-12));
            CHECK(r.msd <= r.msd_identity + 1e-12);
        }
}

TEST_CASE("reordered msd: small vibrations (sigma << nn distance) give MSD' = MSD") {
    const double a = 4.0;
    const auto ref = materia::test::replicate(materia::test::bcc_basis(), a, 3);  // 54 atoms
    const materia::cell c = materia::cell::orthorhombic(3 * a, 3 * a, 3 * a);
    std::mt19937_64 rng(5);
    std::normal_distribution<double> g(0.0, 0.05);
    auto cur = ref;
    for (auto& r : cur)
        for (auto& x : r) x += g(rng);
    const auto sp = materia::species_list::uniform(ref.size(), "H");
    const auto r = materia::reordered_msd(ref, sp).evaluate(cur, c);
    CHECK(r.msd == doctest::Approx(plain_msd(ref, cur)).epsilon(1e-13));
    CHECK(r.exchanged == 0);
}

TEST_CASE("reordered msd: the sparse solver (cell-list pairs + dual certificate) equals the dense one") {
    const double a = 4.0;
    const auto ref = materia::test::replicate(materia::test::fcc_basis(), a, 4);  // 256 atoms
    const materia::cell c = materia::cell::orthorhombic(4 * a, 4 * a, 4 * a);
    std::mt19937_64 rng(12);
    std::normal_distribution<double> g(0.0, 0.25);
    auto cur = ref;
    for (auto& r : cur)
        for (auto& x : r) x += g(rng);
    for (std::size_t k = 0; k < 20; ++k) std::swap(cur[3 * k], cur[3 * k + 1]);  // exchanges
    std::vector<std::string> names(ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i) names[i] = i % 4 == 0 ? "La" : "H";
    const auto sp = materia::species_list::from_names(names);
    const auto dense = materia::reordered_msd(ref, sp).evaluate(cur, c);
    CHECK(dense.sparse_solves == 0);
    CHECK(dense.msd < dense.msd_identity);
    const auto sparse = materia::reordered_msd(ref, sp, {.cutoff = 3.5, .sparse_min_atoms = 16}).evaluate(cur, c);
    CHECK(sparse.sparse_solves == 2);
    CHECK(sparse.msd == doctest::Approx(dense.msd).epsilon(1e-13));
    for (std::size_t s = 0; s < 2; ++s) CHECK(sparse.msd_species[s] == doctest::Approx(dense.msd_species[s]).epsilon(1e-13));
    // A cutoff too small for a perfect matching (or for a certificate): widened, same value.
    const auto tiny = materia::reordered_msd(ref, sp, {.cutoff = 0.3, .sparse_min_atoms = 16}).evaluate(cur, c);
    CHECK(tiny.sparse_retries > 0);
    CHECK(tiny.sparse_solves + tiny.dense_solves == 2);
    CHECK(tiny.msd == doctest::Approx(dense.msd).epsilon(1e-13));
    // A cutoff beyond the minimum-image radius (8 Å here): dense directly.
    const auto big = materia::reordered_msd(ref, sp, {.cutoff = 9.0, .sparse_min_atoms = 16}).evaluate(cur, c);
    CHECK(big.dense_solves == 2);
    CHECK(big.sparse_solves == 0);
    CHECK(big.msd == doctest::Approx(dense.msd).epsilon(1e-13));
}

TEST_CASE("reordered msd: bad input is refused") {
    const points ref{{0, 0, 0}, {1, 1, 1}};
    const auto sp = materia::species_list::uniform(2, "A");
    CHECK_THROWS_AS(materia::reordered_msd(points{{0, 0, 0}}, sp), materia::invalid_argument);
    CHECK_THROWS_AS(materia::reordered_msd(points{}, materia::species_list{}), materia::invalid_argument);
    CHECK_THROWS_AS(materia::reordered_msd(ref, sp, {.cutoff = -1.0, .sparse_min_atoms = 1}), materia::invalid_argument);
    const materia::reordered_msd rm(ref, sp);
    const materia::cell c = materia::cell::orthorhombic(5, 5, 5);
    CHECK_THROWS_AS((void)rm.evaluate(points{{0, 0, 0}}, c), materia::invalid_argument);
    CHECK_THROWS_AS((void)rm.evaluate(points{{0, 0, 0}, {std::nan(""), 0, 0}}, c), materia::invalid_argument);
    points with_nan = ref;
    with_nan[0][0] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(materia::reordered_msd(with_nan, sp), materia::invalid_argument);
}

}  // TEST_SUITE
