// materia/neighbors/within_cutoff.hpp — the innermost loop of every pair search: which of m
// candidates lie within the cutoff of one atom, and at what squared distance.
//
// Entry point: materia::detail::select_within(...) (used by cell_list::visit_blocks).
//
// Why a kernel of its own: in a cell-list search about two of every three candidates are outside
// the cutoff, so the cost per pair found is dominated by testing candidates.  A plain loop with a
// branch mispredicts once per few candidates; the portable version here is branch-free, and on
// x86-64 CPUs with AVX2 (checked at run time, so the same binary runs everywhere) four distances are
// computed and compacted per instruction with a permutation table.
//
// Exactness: both versions compute r² = dx·dx + dy·dy + dz·dz with dx = x_j − x_i in exactly this
// order, without fused multiply-add, so every r² — and therefore every histogram bin and every
// neighbour decision — is bit-identical between them (tests/core/test_within_cutoff.cpp).
#pragma once

#include <materia/core/cpu_features.hpp>

#include <array>
#include <cstddef>
#include <cstdint>

namespace materia::detail {

/// Slack that the output arrays of select_within need beyond m entries (vector stores write whole
/// registers past the last hit).
inline constexpr std::size_t select_within_slack = 8;

/// Portable version.  Writes the indices k (< m) with r²_k < rc2 to idx and their r² to r2_out, in
/// increasing k, and returns their number.  Candidates j are at (xs[k], ys[k], zs[k]); the atom is
/// at (xi, yi, zi) (already shifted by the lattice translation).
inline std::size_t select_within_portable(const double* xs, const double* ys, const double* zs, std::size_t m,
                                          double xi, double yi, double zi, double rc2, std::uint32_t* idx,
                                          double* r2_out) noexcept {
    std::size_t n = 0;
    for (std::size_t k = 0; k < m; ++k) {
        const double dx = xs[k] - xi, dy = ys[k] - yi, dz = zs[k] - zi;
        const double r2 = dx * dx + dy * dy + dz * dz;
        idx[n] = static_cast<std::uint32_t>(k);
        r2_out[n] = r2;
        n += r2 < rc2 ? 1u : 0u;
    }
    return n;
}

#if MATERIA_HAVE_AVX2_KERNEL
// For each 4-bit mask of hits: the 32-bit lanes that move the selected doubles to the front.
inline constexpr std::array<std::array<int, 8>, 16> avx2_compress_lanes = [] {
    std::array<std::array<int, 8>, 16> t{};
    for (int mask = 0; mask < 16; ++mask) {
        int out = 0;
        for (int b = 0; b < 4; ++b)
            if (mask & (1 << b)) {
                t[static_cast<std::size_t>(mask)][static_cast<std::size_t>(2 * out)] = 2 * b;
                t[static_cast<std::size_t>(mask)][static_cast<std::size_t>(2 * out + 1)] = 2 * b + 1;
                ++out;
            }
        for (; out < 4; ++out) {  // unused lanes: anything valid
            t[static_cast<std::size_t>(mask)][static_cast<std::size_t>(2 * out)] = 0;
            t[static_cast<std::size_t>(mask)][static_cast<std::size_t>(2 * out + 1)] = 1;
        }
    }
    return t;
}();
// For each mask: the positions (0..3) of its set bits, in order.
inline constexpr std::array<std::array<std::uint32_t, 4>, 16> avx2_compress_index = [] {
    std::array<std::array<std::uint32_t, 4>, 16> t{};
    for (std::uint32_t mask = 0; mask < 16; ++mask) {
        std::size_t out = 0;
        for (std::uint32_t b = 0; b < 4; ++b)
            if (mask & (1u << b)) t[mask][out++] = b;
    }
    return t;
}();

/// AVX2 version (call only where the CPU has AVX2): same contract and bit-identical results.
__attribute__((target("avx2"))) inline std::size_t select_within_avx2(const double* xs, const double* ys,
                                                                      const double* zs, std::size_t m, double xi,
                                                                      double yi, double zi, double rc2,
                                                                      std::uint32_t* idx, double* r2_out) noexcept {
    const __m256d vx = _mm256_set1_pd(xi), vy = _mm256_set1_pd(yi), vz = _mm256_set1_pd(zi);
    const __m256d vrc2 = _mm256_set1_pd(rc2);
    std::size_t n = 0, k = 0;
    for (; k + 4 <= m; k += 4) {
        const __m256d dx = _mm256_sub_pd(_mm256_loadu_pd(xs + k), vx);
        const __m256d dy = _mm256_sub_pd(_mm256_loadu_pd(ys + k), vy);
        const __m256d dz = _mm256_sub_pd(_mm256_loadu_pd(zs + k), vz);
        // (dx² + dy²) + dz², separate multiplies and adds: the portable loop's rounding exactly
        const __m256d r2 = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(dx, dx), _mm256_mul_pd(dy, dy)),
                                         _mm256_mul_pd(dz, dz));
        // No early exit on an empty mask: that branch is as unpredictable as the hits themselves.
        const int mask = _mm256_movemask_pd(_mm256_cmp_pd(r2, vrc2, _CMP_LT_OQ));
        const auto um = static_cast<std::size_t>(mask);
        const __m256i lanes =
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(avx2_compress_lanes[um].data()));
        _mm256_storeu_pd(r2_out + n, _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(r2), lanes)));
        const __m128i pos = _mm_add_epi32(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(avx2_compress_index[um].data())),
            _mm_set1_epi32(static_cast<int>(k)));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(idx + n), pos);
        n += static_cast<std::size_t>(__builtin_popcount(static_cast<unsigned>(mask)));
    }
    // the last m mod 4 candidates: the portable loop, its indices then offset by k
    const std::size_t tail = select_within_portable(xs + k, ys + k, zs + k, m - k, xi, yi, zi, rc2, idx + n, r2_out + n);
    for (std::size_t t = 0; t < tail; ++t) idx[n + t] += static_cast<std::uint32_t>(k);
    return n + tail;
}
#endif

/// The candidates within the cutoff: the AVX2 kernel where the CPU has it, else the portable one.
/// idx and r2_out need room for m + select_within_slack entries.
inline std::size_t select_within(const double* xs, const double* ys, const double* zs, std::size_t m, double xi,
                                 double yi, double zi, double rc2, std::uint32_t* idx, double* r2_out) noexcept {
#if MATERIA_HAVE_AVX2_KERNEL
    if (cpu_has_avx2()) return select_within_avx2(xs, ys, zs, m, xi, yi, zi, rc2, idx, r2_out);
#endif
    return select_within_portable(xs, ys, zs, m, xi, yi, zi, rc2, idx, r2_out);
}

}  // namespace materia::detail
