// Tests for materia/numerics/assignment.hpp: dense and sparse solvers against brute force.
#include <doctest/doctest.h>

#include <materia/numerics/assignment.hpp>

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

namespace {

std::vector<double> random_costs(std::size_t n, std::size_t m, unsigned seed, bool integer = false) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 10.0);
    std::uniform_int_distribution<int> k(0, 4);  // many ties
    std::vector<double> c(n * m);
    for (auto& x : c) x = integer ? static_cast<double>(k(rng)) : u(rng) - 3.0;  // negatives allowed
    return c;
}

// Minimum over all injective maps rows → columns (n ≤ m ≤ 8).
double brute_force(const std::vector<double>& c, std::size_t n, std::size_t m) {
    std::vector<std::size_t> cols(m);
    std::iota(cols.begin(), cols.end(), 0);
    double best = std::numeric_limits<double>::infinity();
    do {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += c[i * m + cols[i]];
        best = std::min(best, s);
    } while (std::next_permutation(cols.begin(), cols.end()));
    return best;
}

bool is_injective(const std::vector<std::size_t>& a, std::size_t m) {
    std::vector<char> seen(m, 0);
    for (auto j : a) {
        if (j >= m || seen[j]) return false;
        seen[j] = 1;
    }
    return true;
}

materia::sparse_cost to_sparse(const std::vector<double>& c, std::size_t n, std::size_t m, double keep_below) {
    materia::sparse_cost s(n, m);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < m; ++j)
            if (c[i * m + j] < keep_below) s.add(j, c[i * m + j]);
        s.end_row();
    }
    return s;
}

}  // namespace

TEST_SUITE("numerics.assignment") {

TEST_CASE("assignment: dense solver equals brute force over all permutations (n <= 8)") {
    for (std::size_t n = 1; n <= 8; ++n)
        for (unsigned seed = 0; seed < 6; ++seed) {
            CAPTURE(n);
            CAPTURE(seed);
            const bool integer = seed % 2 == 1;  // integer costs: many tied optima
            const auto c = random_costs(n, n, 100 * seed + static_cast<unsigned>(n), integer);
            const auto r = materia::solve_assignment(c, n, n);
            REQUIRE(r.feasible);
            CHECK(is_injective(r.col_of_row, n));
            CHECK(r.cost == doctest::Approx(brute_force(c, n, n)).epsilon(1e-13));
            // Dual certificate: reduced costs >= 0, zero on the matching.
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = 0; j < n; ++j) {
                    const double red = c[i * n + j] - r.row_dual[i] - r.col_dual[j];
                    CHECK(red > -1e-9);
                    if (r.col_of_row[i] == j) CHECK(std::abs(red) < 1e-9);
                }
        }
}

TEST_CASE("assignment: rectangular problems (rows < columns) equal brute force") {
    for (std::size_t n = 1; n <= 5; ++n) {
        const std::size_t m = n + 2;
        const auto c = random_costs(n, m, 7 + static_cast<unsigned>(n));
        const auto r = materia::solve_assignment(c, n, m);
        CHECK(is_injective(r.col_of_row, m));
        CHECK(r.cost == doctest::Approx(brute_force(c, n, m)).epsilon(1e-13));
    }
}

TEST_CASE("assignment: a known 3x3 problem") {
    // scipy.optimize.linear_sum_assignment([[4,1,3],[2,0,5],[3,2,2]]) -> rows [0,1,2], cols [1,0,2], cost 5.
    const std::vector<double> c{4, 1, 3, 2, 0, 5, 3, 2, 2};
    const auto r = materia::solve_assignment(c, 3, 3);
    CHECK(r.cost == 5.0);
    CHECK(r.col_of_row == std::vector<std::size_t>{1, 0, 2});
}

TEST_CASE("assignment: forbidden (+inf) pairs and infeasible problems") {
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> c{inf, 1, 2, inf};
    const auto r = materia::solve_assignment(c, 2, 2);
    CHECK(r.feasible);
    CHECK(r.cost == 3.0);
    const std::vector<double> bad{1, inf, 2, inf};  // column 1 forbidden for everyone
    CHECK_FALSE(materia::solve_assignment(bad, 2, 2).feasible);
}

TEST_CASE("assignment: sparse solver equals the dense one (complete and pruned patterns)") {
    for (std::size_t n : {1u, 5u, 8u, 60u, 150u}) {
        CAPTURE(n);
        const auto c = random_costs(n, n, 31 + static_cast<unsigned>(n));
        const auto dense = materia::solve_assignment(c, n, n);
        const auto sp = materia::solve_assignment_sparse(to_sparse(c, n, n, 1e300));
        REQUIRE(sp.feasible);
        CHECK(is_injective(sp.col_of_row, n));
        CHECK(sp.cost == doctest::Approx(dense.cost).epsilon(1e-12));
        CHECK(materia::sparse_optimal_for(sp, 1e300));
        // Keep only cheap entries: if the sparse optimum is certified, it must equal the dense one.
        const auto pruned = materia::solve_assignment_sparse(to_sparse(c, n, n, 2.0));
        const auto pattern = to_sparse(c, n, n, 2.0);
        if (pruned.feasible && materia::sparse_optimal_for(pruned, 2.0))
            CHECK(pruned.cost == doctest::Approx(dense.cost).epsilon(1e-12));
        if (pruned.feasible && materia::sparse_optimal_for(pruned, pattern, 2.0))
            CHECK(pruned.cost == doctest::Approx(dense.cost).epsilon(1e-12));
        // A certificate claimed with a wrong (too large) c_min would be unsound; with the true
        // minimum of the omitted costs it must never certify a suboptimal answer.
        if (pruned.feasible && pruned.cost > dense.cost + 1e-9) CHECK_FALSE(materia::sparse_optimal_for(pruned, pattern, 2.0));
        if (pruned.feasible) CHECK(pruned.cost >= dense.cost - 1e-9);
    }
}

TEST_CASE("assignment: sparse pattern without a perfect matching is reported infeasible") {
    materia::sparse_cost s(3, 3);
    s.add(0, 1.0);
    s.end_row();
    s.add(0, 2.0);
    s.end_row();
    s.add(2, 0.5);
    s.end_row();
    const auto r = materia::solve_assignment_sparse(s);
    CHECK_FALSE(r.feasible);
    CHECK_FALSE(materia::sparse_optimal_for(r, 100.0));
}

TEST_CASE("assignment: bad input is refused") {
    CHECK_THROWS_AS((void)materia::solve_assignment({1, 2, 3}, 2, 2), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::solve_assignment({1, 2, 3, 4, 5, 6}, 3, 2), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::solve_assignment({1, std::nan(""), 3, 4}, 2, 2), materia::invalid_argument);
    materia::sparse_cost s(1, 1);
    s.add(3, 1.0);
    s.end_row();
    CHECK_THROWS_AS((void)materia::solve_assignment_sparse(s), materia::invalid_argument);
    materia::sparse_cost t(2, 2);
    t.add(0, 1.0);
    t.end_row();  // second row never closed
    CHECK_THROWS_AS((void)materia::solve_assignment_sparse(t), materia::invalid_argument);
    CHECK(materia::solve_assignment({}, 0, 0).cost == 0.0);
}

}  // TEST_SUITE
