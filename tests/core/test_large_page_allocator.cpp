// large_page_allocator: a drop-in allocator for big vectors (huge-page advice is only a hint).
#include <doctest/doctest.h>

#include <materia/core/large_page_allocator.hpp>

#include <cstdint>
#include <numeric>
#include <vector>

TEST_CASE("large_page_allocator: small and large vectors hold and grow their content") {
    std::vector<std::int64_t, materia::large_page_allocator<std::int64_t>> v;
    for (std::int64_t i = 0; i < 3'000'000; ++i) v.push_back(i);  // grows through the 2 MiB threshold
    CHECK(std::accumulate(v.begin(), v.end(), std::int64_t{0}) == std::int64_t{3'000'000} * 2'999'999 / 2);
    CHECK(reinterpret_cast<std::uintptr_t>(v.data()) % (std::uintptr_t{2} << 20) == 0);  // large: 2 MiB aligned
    std::vector<int, materia::large_page_allocator<int>> small(10, 7);
    CHECK(std::accumulate(small.begin(), small.end(), 0) == 70);
    v.clear();
    v.shrink_to_fit();
    CHECK(v.capacity() == 0);
}
