// The innermost pair-search kernel: the AVX2 and portable versions must agree bit for bit, and both
// with the textbook loop; visit_blocks must report exactly the pairs of visit_bins.
#include <materia/neighbors/cell_list.hpp>
#include <materia/neighbors/within_cutoff.hpp>

#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <vector>

#include "lattices.hpp"

namespace {
struct selection {
    std::vector<std::uint32_t> idx;
    std::vector<double> r2;
};

template <class Kernel>
selection run(Kernel kernel, const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& z,
              double xi, double yi, double zi, double rc2) {
    const std::size_t m = x.size();
    selection s{std::vector<std::uint32_t>(m + materia::detail::select_within_slack),
                std::vector<double>(m + materia::detail::select_within_slack)};
    const std::size_t n = kernel(x.data(), y.data(), z.data(), m, xi, yi, zi, rc2, s.idx.data(), s.r2.data());
    s.idx.resize(n);
    s.r2.resize(n);
    return s;
}

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}
}  // namespace

TEST_SUITE("neighbors.within_cutoff") {
    TEST_CASE("portable and AVX2 kernels select the same candidates with bit-identical r2") {
        std::mt19937_64 gen(7);
        std::uniform_real_distribution<double> u(-6.0, 6.0);
        std::size_t total_hits = 0;
        for (std::size_t m = 0; m <= 67; ++m) {
            std::vector<double> x(m), y(m), z(m);
            for (std::size_t k = 0; k < m; ++k) {
                x[k] = u(gen);
                y[k] = u(gen);
                z[k] = u(gen);
            }
            const double xi = u(gen) * 0.1, yi = u(gen) * 0.1, zi = u(gen) * 0.1, rc2 = 25.0;
            const auto ref = run(materia::detail::select_within_portable, x, y, z, xi, yi, zi, rc2);
            // the textbook loop
            std::vector<std::uint32_t> want;
            for (std::size_t k = 0; k < m; ++k) {
                const double dx = x[k] - xi, dy = y[k] - yi, dz = z[k] - zi;
                if (dx * dx + dy * dy + dz * dz < rc2) want.push_back(static_cast<std::uint32_t>(k));
            }
            CHECK(ref.idx == want);
            total_hits += want.size();
            const auto fast = run(materia::detail::select_within, x, y, z, xi, yi, zi, rc2);
            CHECK(fast.idx == ref.idx);
            CHECK(bitwise_equal(fast.r2, ref.r2));
#if MATERIA_HAVE_AVX2_KERNEL
            if (materia::detail::cpu_has_avx2()) {
                const auto avx = run(materia::detail::select_within_avx2, x, y, z, xi, yi, zi, rc2);
                CHECK(avx.idx == ref.idx);
                CHECK(bitwise_equal(avx.r2, ref.r2));
            }
#endif
        }
        CHECK(total_hits > 200);  // the data exercise both outcomes
    }

    TEST_CASE("a candidate exactly at the cutoff is outside (strict r < r_c) in both kernels") {
        const std::vector<double> x{3.0, 0.0, 2.999999999, 3.0, 0.0}, y{4.0, 5.0, 4.0, 0.0, 0.0}, z{0, 0, 0, 0, 0};
        const auto ref = run(materia::detail::select_within_portable, x, y, z, 0, 0, 0, 25.0);
        CHECK(ref.idx == std::vector<std::uint32_t>{2, 3, 4});
        const auto fast = run(materia::detail::select_within, x, y, z, 0, 0, 0, 25.0);
        CHECK(fast.idx == ref.idx);
    }

    TEST_CASE("visit_blocks reports exactly the pairs of visit_bins") {
        using materia::cell;
        const cell skewed(materia::mat3{materia::vec3{9.0, 0, 0}, materia::vec3{4.5, 8.0, 0}, materia::vec3{-3.0, 2.0, 7.5}});
        for (const auto& box : {cell::orthorhombic(12, 13, 14), skewed}) {
            const auto p = materia::test::random_points(box, 300, 11);
            materia::cell_list cl(p, box, 4.0);
            std::size_t n_pairs = 0;
            double sum = 0;
            cl.for_each_pair([&](const materia::neighbor_pair& q) {
                ++n_pairs;
                sum += q.r2;
            });
            std::size_t n_blocks = 0;
            double sum_blocks = 0;
            auto v = [&](const materia::cell_list::pair_block& b) {
                for (std::size_t k = 0; k < b.n_hits; ++k) {
                    sum_blocks += b.r2[k];
                    CHECK(b.j_begin + b.hits[k] < cl.size());
                    CHECK(b.r2[k] < 16.0);
                }
                n_blocks += b.n_hits;
            };
            cl.visit_blocks(0, cl.n_bins(), v);
            CHECK(n_pairs > 1000);
            CHECK(n_blocks == n_pairs);
            CHECK(sum_blocks == doctest::Approx(sum).epsilon(1e-12));
        }
    }
}
