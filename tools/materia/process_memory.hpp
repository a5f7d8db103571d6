// tools/materia/process_memory.hpp — how the `materia` program asks glibc's malloc for memory.
//
// Why: a command such as `materia hull` on 10^6 rows allocates and frees ~80 MB of temporaries
// stage after stage.  With glibc's defaults every block of more than 128 KiB is a fresh mmap
// (and worker threads allocate from arenas of their own, also fresh mmaps), so each stage
// faults its memory in again 4 KiB at a time — ~10,000 page faults, a sixth of the run in this
// VM (measured: 0.55 ms per MiB first touched in 4 KiB pages, 0.1 ms in 2 MiB pages).  Here, once
// at start-up: all threads share the main heap, blocks up to 32 MiB come from it, freed memory
// stays in it for the next stage, and the heap is reserved up front (address space only) and
// advised for transparent huge pages.  The library itself does not do this: how a process
// allocates is its owner's choice, and a program embedding materia keeps its own.
#pragma once

#include <cstdint>
#include <cstdlib>  // first: defines __GLIBC__ on glibc systems

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace materia::cli {

inline void tune_process_memory() noexcept {
#if defined(__GLIBC__) && defined(__linux__)
    constexpr std::size_t reserve = std::size_t{512} << 20;  // address space, not memory
    constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
    (void)::mallopt(M_ARENA_MAX, 1);
    (void)::mallopt(M_MMAP_THRESHOLD, 32 << 20);
    (void)::mallopt(M_TRIM_THRESHOLD, 1 << 30);
    (void)::mallopt(M_TOP_PAD, static_cast<int>(reserve));
    // Grow the heap once by the reserve (a block larger than what the heap has free, plus the
    // pad), then advise the grown range for huge pages.  Only when the heap did grow with brk: a
    // sanitizer's or another malloc's heap is left as it is.
    const auto before = reinterpret_cast<std::uintptr_t>(::sbrk(0));
    void* p = std::malloc(std::size_t{1} << 20);
    if (p == nullptr) return;
    const auto after = reinterpret_cast<std::uintptr_t>(::sbrk(0));
    const auto lo = (before + huge - 1) & ~(huge - 1);
    const auto hi = after & ~(huge - 1);
    if (after > before && hi > lo) (void)::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
    std::free(p);
#endif
}

}  // namespace materia::cli
