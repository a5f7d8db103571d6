// Pair search throughput: the cell list against brute force, at the density of the peer benchmark
// (0.06 Å⁻³, r_c = 10 Å).  Reports pairs within the cutoff per second, single thread.
#include <materia/neighbors/cell_list.hpp>
#include <materia/structure/distance_bins.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "lattices.hpp"

namespace {
// Throughput counters shared by every benchmark here: pairs per second and ns per pair (CPU time).
void set_pair_counters(benchmark::State& state, std::size_t pairs) {
    state.SetItemsProcessed(static_cast<std::int64_t>(pairs) * state.iterations());
    state.counters["pairs"] = static_cast<double>(pairs);
    state.counters["ns_per_pair"] = benchmark::Counter(static_cast<double>(pairs) * static_cast<double>(state.iterations()),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

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
    set_pair_counters(state, pairs);
}
BENCHMARK(bm_cell_list)->Arg(1000)->Arg(10000)->Arg(44000)->Arg(200000)->Unit(benchmark::kMillisecond);

// The distances-only fast path that the rdf uses (cell_list::visit_blocks + detail::distance_bins):
// cell list build, one distance per candidate, one bin + one histogram increment per pair found.
void bm_cell_list_blocks(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto box = box_for(n);
    const auto p = materia::test::random_points(box, n, 42);
    std::size_t pairs = 0;
    std::vector<std::uint64_t> hist(200, 0);
    for (auto _ : state) {
        materia::cell_list cl(p, box, 10.0);
        pairs = 0;
        // the rdf's own binning kernel (distance_bins.hpp): 200 bins on [0, 10) Å
        const materia::detail::distance_binning binning{0.0, 0.0, 20.0, 199.0, 200};
        std::vector<std::uint32_t> bins;
        auto visit = [&hist, &pairs, &bins, &binning](const materia::cell_list::pair_block& b) {
            if (bins.size() < b.n_hits) bins.resize(b.n_hits);
            materia::detail::distance_bins(b.r2, b.n_hits, binning, bins.data());
            std::uint64_t* h = hist.data();
            for (std::size_t k = 0; k < b.n_hits; ++k) ++h[bins[k]];
            pairs += b.n_hits;
        };
        cl.visit_blocks(0, cl.n_bins(), visit);
        benchmark::DoNotOptimize(hist.data());
    }
    set_pair_counters(state, pairs);
}
BENCHMARK(bm_cell_list_blocks)->Arg(1000)->Arg(10000)->Arg(44000)->Arg(200000)->Unit(benchmark::kMillisecond);

// The target of issue 2 made measurable: "one distance computation plus one histogram increment" per
// pair, over a precomputed list of exactly the pairs the cell list finds (indices + lattice shift).
// This is the floor any search could reach; bm_cell_list_blocks / bm_pair_list_floor is the ratio
// reported in RESULTS.md.
void bm_pair_list_floor(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto box = box_for(n);
    const auto p = materia::test::random_points(box, n, 42);
    std::vector<std::uint32_t> first, second;
    std::vector<std::array<double, 3>> shift;
    materia::cell_list(p, box, 10.0).for_each_pair([&](const materia::neighbor_pair& q) {
        first.push_back(static_cast<std::uint32_t>(q.i));
        second.push_back(static_cast<std::uint32_t>(q.j));
        shift.push_back({q.dx - (p[q.j][0] - p[q.i][0]), q.dy - (p[q.j][1] - p[q.i][1]), q.dz - (p[q.j][2] - p[q.i][2])});
    });
    std::vector<std::uint64_t> hist(200, 0);
    for (auto _ : state) {
        for (std::size_t k = 0; k < first.size(); ++k) {
            const auto& a = p[first[k]];
            const auto& b = p[second[k]];
            const double dx = b[0] - a[0] + shift[k][0], dy = b[1] - a[1] + shift[k][1], dz = b[2] - a[2] + shift[k][2];
            ++hist[static_cast<std::size_t>(std::min(std::sqrt(dx * dx + dy * dy + dz * dz) * 20.0, 199.0))];
        }
        benchmark::DoNotOptimize(hist.data());
    }
    set_pair_counters(state, first.size());
}
BENCHMARK(bm_pair_list_floor)->Arg(1000)->Arg(10000)->Arg(44000)->Arg(200000)->Unit(benchmark::kMillisecond);

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
    set_pair_counters(state, pairs);
}
BENCHMARK(bm_brute_force)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
// O(N²): one iteration at 44k atoms (≈ 1e9 distance checks, ~20 s); 200k would take ~20× longer.
BENCHMARK(bm_brute_force)->Arg(44000)->Iterations(1)->Unit(benchmark::kMillisecond);
}  // namespace
