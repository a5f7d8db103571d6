// Histogram bins of squared distances: the AVX2 and portable kernels agree exactly, including at
// bin edges, below r_min (the dump slot) and just below r_max (clamped into the last bin).
#include <materia/structure/distance_bins.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

TEST_SUITE("structure.distance_bins") {
    TEST_CASE("bins match floor((sqrt(r2) - r_min) / dr) and the kernels agree") {
        for (const double r_min : {0.0, 1.5}) {
            const double r_max = 10.0;
            const std::size_t bins = 200;
            const double inv_dr = static_cast<double>(bins) / (r_max - r_min);
            const materia::detail::distance_binning p{r_min, r_min * r_min, inv_dr, static_cast<double>(bins - 1),
                                                      static_cast<std::uint32_t>(bins)};
            std::vector<double> r2;
            // exact edges, their neighbours in the last ulp, and random values
            for (std::size_t k = 0; k <= bins; ++k) {
                const double r = r_min + static_cast<double>(k) / inv_dr;
                const double e = r * r;
                r2.push_back(e);
                r2.push_back(std::nextafter(e, 0.0));
                r2.push_back(std::nextafter(e, 1e9));
            }
            std::mt19937_64 gen(3);
            std::uniform_real_distribution<double> u(0.0, r_max * r_max);
            for (int k = 0; k < 1001; ++k) r2.push_back(u(gen));
            r2.push_back(0.0);
            r2.push_back(std::nextafter(r_max * r_max, 0.0));
            const std::size_t n = r2.size();
            std::vector<std::uint32_t> port(n), fast(n);
            materia::detail::distance_bins_portable(r2.data(), n, p, port.data());
            materia::detail::distance_bins(r2.data(), n, p, fast.data());
            CHECK(fast == port);
            std::size_t dumped = 0;
            for (std::size_t k = 0; k < n; ++k) {
                if (r2[k] < r_min * r_min) {
                    CHECK(port[k] == bins);
                    ++dumped;
                    continue;
                }
                const double u_ref = (std::sqrt(r2[k]) - r_min) * inv_dr;
                const auto want = static_cast<std::uint32_t>(std::min(std::max(u_ref, 0.0), static_cast<double>(bins - 1)));
                CHECK(port[k] == want);
            }
            CHECK((r_min > 0) == (dumped > 0));
            CHECK(port[n - 1] == bins - 1);  // just below r_max: the last bin, never `bins`
        }
    }
}
