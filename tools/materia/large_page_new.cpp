// tools/materia/large_page_new.cpp — the `materia` program's replacement of the global
// operator new/delete: blocks of 1 MiB and more are 2 MiB-aligned and marked for transparent huge
// pages (MADV_HUGEPAGE); smaller ones are plain malloc.  These are the replaceable allocation
// functions of [replacement.functions], linked into the program only, not library code; in a
// translation unit of their own so that no caller inlines them (GCC would then pair an inlined
// malloc with operator delete and warn -Wmismatched-new-delete).
//
// Why: the large analyses (hull of a million-row CSV, long trajectories) fill tens of megabytes
// of fresh vectors, tables and buffers.  Touched in 4 KiB pages each first touch is a page fault
// (measured on the 2-core CI machine: 32 MiB in 4 KiB pages 12.8 ms, in 2 MiB pages 2.3 ms), and
// `materia hull` on 10^6 entries took ~20,000 such faults — a tenth of its CPU time.  The library
// itself does not do this (it must not change its users' allocator); a program that wants the
// same can link this file or use core/large_page_allocator.hpp for its own containers.
//
// From 1 MiB, not 2: one huge page is cheaper to clear than 256 small pages are to fault in.
// Memory cost: a block of n ≥ 1 MiB bytes reserves n rounded up to a multiple of 2 MiB of address
// space; only touched pages are backed.  Every block is released with std::free (valid for both
// std::malloc and std::aligned_alloc), so deallocation needs no size.  Skipped under
// AddressSanitizer, whose own operator new checks new/delete pairing.
#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MATERIA_CLI_NO_LARGE_PAGE_NEW 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MATERIA_CLI_NO_LARGE_PAGE_NEW 1
#endif

#if !defined(MATERIA_CLI_NO_LARGE_PAGE_NEW) && defined(__linux__) && defined(MADV_HUGEPAGE)

namespace {

void* allocate_possibly_huge(std::size_t n) noexcept {
    constexpr std::size_t huge = std::size_t{2} << 20;
    if (n < huge / 2) return std::malloc(n == 0 ? 1 : n);
    if (n > static_cast<std::size_t>(-1) - huge) return nullptr;
    const std::size_t rounded = (n + huge - 1) / huge * huge;
    void* p = std::aligned_alloc(huge, rounded);
    if (p != nullptr) (void)::madvise(p, rounded, MADV_HUGEPAGE);  // a hint: failure only means small pages
    return p;
}

void* allocate_or_throw(std::size_t n) {
    // The standard's loop: call the new-handler until memory is found or there is none.
    while (true) {
        if (void* p = allocate_possibly_huge(n)) return p;
        std::new_handler h = std::get_new_handler();
        if (h == nullptr) throw std::bad_alloc();
        h();
    }
}

}  // namespace

void* operator new(std::size_t n) { return allocate_or_throw(n); }
void* operator new[](std::size_t n) { return allocate_or_throw(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return allocate_or_throw(n);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return allocate_or_throw(n);
    } catch (...) {
        return nullptr;
    }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

#endif
