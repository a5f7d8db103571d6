// materia/core/parallel.hpp — the one place where materia talks to OpenMP.
//
// Entry points: materia::max_threads(), materia::resolve_threads(requested),
// materia::parallel_chunks(n_items, n_threads, fn(thread, begin, end)).
//
// Work is split into contiguous, equal chunks in thread order and every thread writes only to its
// own partial result; callers merge partial results in thread order.  So results do not depend on
// scheduling, and integer histograms are bit-identical for any thread count.  Without OpenMP
// (_OPENMP undefined) the chunks run one after another in the calling thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace materia {

/// Number of threads OpenMP would use by default (1 without OpenMP).
[[nodiscard]] inline int max_threads() noexcept {
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

/// Threads to use: `requested` when positive, else all available.
[[nodiscard]] inline int resolve_threads(int requested) noexcept {
    return requested > 0 ? requested : max_threads();
}

/// Number of chunks parallel_chunks will use for a thread request (1 … 256); size per-thread
/// partial results with it.
[[nodiscard]] inline int chunk_count(int threads) noexcept { return std::clamp(threads, 1, 256); }

/// Run fn(thread_index, begin, end) over [0, n) split into `threads` contiguous chunks.
/// Exceptions thrown inside a chunk are re-thrown (the first one, by thread order) after all end.
template <class Fn>
void parallel_chunks(std::size_t n, int threads, Fn&& fn) {
    const int used = chunk_count(threads);
    if (used == 1) {
        fn(0, std::size_t{0}, n);
        return;
    }
    std::exception_ptr errors[256] = {};
#ifdef _OPENMP
#pragma omp parallel for schedule(static, 1) num_threads(used)
#endif
    for (int k = 0; k < used; ++k) {
        try {
            const std::size_t b = n * static_cast<std::size_t>(k) / static_cast<std::size_t>(used);
            const std::size_t e = n * static_cast<std::size_t>(k + 1) / static_cast<std::size_t>(used);
            fn(k, b, e);
        } catch (...) {
            errors[k] = std::current_exception();
        }
    }
    for (int k = 0; k < used; ++k)
        if (errors[k]) std::rethrow_exception(errors[k]);
}

}  // namespace materia
