// materia/structure/distance_bins.hpp — histogram bin of each squared distance, many at a time.
//
// Entry point: materia::detail::distance_bins(...) (used by rdf_accumulator::accumulate).
//
// bin = floor((√r² − r_min) / Δr), clamped to [0, bins − 1] (a distance just below r_max can round
// up into bin `bins`), and `bins` itself — a dump slot — when r² < r_min².  Why a kernel: a scalar
// square root costs about as much as everything else done per pair; four at a time (AVX2, chosen at
// run time) removes it from the profile.  The square root is correctly rounded in both versions and
// the operations are the same, so the bins are identical (tests/structure/test_distance_bins.cpp).
#pragma once

#include <materia/core/cpu_features.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace materia::detail {

/// Parameters of the binning: bins = floor((r − r_min)·inv_dr) on [r_min, r_max).
struct distance_binning {
    double r_min;
    double r_min2;    ///< r_min², below which a pair goes to the dump slot
    double inv_dr;    ///< bins / (r_max − r_min)
    double last_bin;  ///< bins − 1
    std::uint32_t dump;  ///< = bins: the slot for r < r_min
};

/// Portable version: out[k] = bin of r2[k] for k < n.
inline void distance_bins_portable(const double* r2, std::size_t n, const distance_binning& p,
                                   std::uint32_t* out) noexcept {
    for (std::size_t k = 0; k < n; ++k) {
        const double u = std::clamp((std::sqrt(r2[k]) - p.r_min) * p.inv_dr, 0.0, p.last_bin);
        out[k] = r2[k] < p.r_min2 ? p.dump : static_cast<std::uint32_t>(u);
    }
}

#if MATERIA_HAVE_AVX2_KERNEL
/// AVX2 version (call only where the CPU has AVX2): identical results.
__attribute__((target("avx2"))) inline void distance_bins_avx2(const double* r2, std::size_t n,
                                                               const distance_binning& p,
                                                               std::uint32_t* out) noexcept {
    const __m256d rmin = _mm256_set1_pd(p.r_min), inv = _mm256_set1_pd(p.inv_dr);
    const __m256d zero = _mm256_setzero_pd(), last = _mm256_set1_pd(p.last_bin);
    const __m256d rmin2 = _mm256_set1_pd(p.r_min2);
    const __m128i dump = _mm_set1_epi32(static_cast<int>(p.dump));
    std::size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        const __m256d x = _mm256_loadu_pd(r2 + k);
        __m256d u = _mm256_mul_pd(_mm256_sub_pd(_mm256_sqrt_pd(x), rmin), inv);
        u = _mm256_min_pd(_mm256_max_pd(u, zero), last);  // clamp; u is never NaN (r² ≥ 0)
        const __m128i b = _mm256_cvttpd_epi32(u);
        // lanes with r² < r_min²: the dump slot (the 64-bit compare mask narrowed to 32-bit lanes)
        const __m256 below = _mm256_castpd_ps(_mm256_cmp_pd(x, rmin2, _CMP_LT_OQ));
        const __m128i below32 = _mm_castps_si128(
            _mm_shuffle_ps(_mm256_castps256_ps128(below), _mm256_extractf128_ps(below, 1), 0x88));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + k), _mm_blendv_epi8(b, dump, below32));
    }
    distance_bins_portable(r2 + k, n - k, p, out + k);
}
#endif

/// The bins of n squared distances: the AVX2 kernel where the CPU has it, else the portable one.
inline void distance_bins(const double* r2, std::size_t n, const distance_binning& p, std::uint32_t* out) noexcept {
#if MATERIA_HAVE_AVX2_KERNEL
    if (cpu_has_avx2()) {
        distance_bins_avx2(r2, n, p, out);
        return;
    }
#endif
    distance_bins_portable(r2, n, p, out);
}

}  // namespace materia::detail
