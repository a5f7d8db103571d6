// materia/core/cpu_features.hpp — run-time CPU dispatch for the few hand-vectorised kernels.
//
// Entry points: MATERIA_HAVE_AVX2_KERNEL (1 where an AVX2 kernel can be compiled: x86-64 with
// GCC or Clang), materia::detail::cpu_has_avx2().
//
// Why run time: materia is header-only and compiled with the user's flags, usually for baseline
// x86-64 (SSE2).  Kernels marked __attribute__((target("avx2"))) are compiled for AVX2 regardless
// and called only when the CPU running the program has it, so one binary is fast on new machines
// and still correct on old ones.
#pragma once

#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__))
#define MATERIA_HAVE_AVX2_KERNEL 1
#include <immintrin.h>
#else
#define MATERIA_HAVE_AVX2_KERNEL 0
#endif

namespace materia::detail {

/// True when the running CPU supports AVX2 (always false where no AVX2 kernel is compiled).
inline bool cpu_has_avx2() noexcept {
#if MATERIA_HAVE_AVX2_KERNEL
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") != 0;
    }();
    return has;
#else
    return false;
#endif
}

}  // namespace materia::detail
