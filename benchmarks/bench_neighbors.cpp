// Pair search throughput: the cell list against brute force, at the density of the peer benchmark
// (0.06 Å⁻³, r_c = 10 Å).  Reports pairs within the cutoff per second, single thread.
#include <materia/neighbors/cell_list.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "lattices.hpp"

namespace {
materia::cell box_for(std::size_t n) {
    const double l = std::cbrt(static_cast<double>(n) / 0.06);
    return materia::cell::orthorhombic(l, l, l);
}

// Visit every pair and bin it (the work of an rdf), so the count is not optimised away.
void bm_cell_list(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto box = box_for(n);
    const auto p = materia::test::random_points(box, n, 42);
    std::size_t pairs = 0;
    std::vector<std::uint64_t> hist(200, 0);
    for (auto _ : state) {
        materia::cell_list cl(p, box, 10.0);
        pairs = 0;
        cl.for_each_pair([&](const materia::neighbor_pair& q) {
            ++hist[static_cast<std::size_t>(std::sqrt(q.r2) * 20.0)];
            ++pairs;
        });
        benchmark::DoNotOptimize(hist.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(pairs) * state.iterations());
    state.counters["pairs"] = static_cast<double>(pairs);
    state.counters["ns_per_pair"] = benchmark::Counter(static_cast<double>(pairs) * static_cast<double>(state.iterations()),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(bm_cell_list)->Arg(1000)->Arg(10000)->Arg(44000)->Arg(200000)->Unit(benchmark::kMillisecond);

// The distances-only fast path (cell_list::visit_blocks) that the rdf uses: cell list build, one
// distance per candidate, one sqrt + one histogram increment per pair within the cutoff.
void bm_cell_list_blocks(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto box = box_for(n);
    const auto p = materia::test::random_points(box, n, 42);
    std::size_t pairs = 0;
    std::vector<std::uint64_t> hist(200, 0);
    for (auto _ : state) {
        materia::cell_list cl(p, box, 10.0);
        pairs = 0;
        auto visit = [&hist, &pairs](const materia::cell_list::pair_block& b) {
            std::uint64_t* h = hist.data();
            for (std::size_t k = 0; k < b.n_hits; ++k)
                ++h[static_cast<std::size_t>(std::sqrt(b.r2[k]) * 20.0)];
            pairs += b.n_hits;
        };
        cl.visit_blocks(0, cl.n_bins(), visit);
        benchmark::DoNotOptimize(hist.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(pairs) * state.iterations());
    state.counters["pairs"] = static_cast<double>(pairs);
    state.counters["ns_per_pair"] = benchmark::Counter(static_cast<double>(pairs) * static_cast<double>(state.iterations()),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(bm_cell_list_blocks)->Arg(1000)->Arg(10000)->Arg(44000)->Arg(200000)->Unit(benchmark::kMillisecond);

// All-pairs minimum image (only valid while r_c < half the box): the brute force baseline.
void bm_brute_force(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto box = box_for(n);
    const double l = box.matrix()[0][0];
    const auto p = materia::test::random_points(box, n, 42);
    std::size_t pairs = 0;
    std::vector<std::uint64_t> hist(200, 0);
    for (auto _ : state) {
        pairs = 0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i + 1; j < n; ++j) {
                double r2 = 0;
                for (std::size_t k = 0; k < 3; ++k) {
                    double d = p[j][k] - p[i][k];
                    d -= l * std::round(d / l);
                    r2 += d * d;
                }
                if (r2 < 100.0) {
                    ++hist[static_cast<std::size_t>(std::sqrt(r2) * 20.0)];
                    ++pairs;
                }
            }
        benchmark::DoNotOptimize(hist.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(pairs) * state.iterations());
    state.counters["ns_per_pair"] = benchmark::Counter(static_cast<double>(pairs) * static_cast<double>(state.iterations()),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(bm_brute_force)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
}  // namespace
