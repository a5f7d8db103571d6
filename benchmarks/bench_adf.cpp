// Local-structure throughput on perturbed diamond Si (ρ ≈ 0.05 Å⁻³, 4 bonds per atom, cutoff
// 2.85 Å): bond angles with and without the neighbour search, coordination statistics, ALTBC
// maps (r_max 4 Å) and the atomic-H fraction.  Reports atoms per second, single thread.
// The ASE comparison at 10,000 atoms is benchmarks/compare_adf.py.
#include <materia/neighbors/neighbor_list.hpp>
#include <materia/structure/altbc.hpp>
#include <materia/structure/bond_angles.hpp>
#include <materia/structure/coordination.hpp>
#include <materia/structure/hydrogen.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "lattices.hpp"

namespace {

struct structure {
    materia::test::points pos;
    materia::cell box;
    materia::species_list species;
};

// n_cells³ conventional diamond cells (8 atoms, a = 5.43 Å), every atom displaced by N(0, 0.1 Å).
structure diamond(int n_cells) {
    structure s;
    const double a = 5.43;
    s.pos = materia::test::replicate(materia::test::diamond_basis(), a, n_cells);
    std::mt19937_64 rng(17);
    std::normal_distribution<double> g(0.0, 0.1);
    for (auto& r : s.pos)
        for (auto& x : r) x += g(rng);
    s.box = materia::cell::orthorhombic(a * n_cells, a * n_cells, a * n_cells);
    s.species = materia::species_list::uniform(s.pos.size(), "Si");
    return s;
}

void finish(benchmark::State& state, std::size_t atoms) {
    state.SetItemsProcessed(static_cast<std::int64_t>(atoms) * state.iterations());
    state.counters["atoms"] = static_cast<double>(atoms);
}

void bm_adf_with_search(benchmark::State& state) {
    const auto s = diamond(static_cast<int>(state.range(0)));
    materia::adf_params p;
    p.bins = 180;
    p.threads = 1;
    for (auto _ : state) {
        auto r = materia::bond_angle_distribution(s.pos, s.species, s.box, materia::pair_cutoffs(1, 2.85), p);
        benchmark::DoNotOptimize(r.counts.data());
    }
    finish(state, s.pos.size());
}
BENCHMARK(bm_adf_with_search)->Arg(5)->Arg(11)->Arg(23)->Unit(benchmark::kMillisecond);

void bm_adf_shared_list(benchmark::State& state) {
    const auto s = diamond(static_cast<int>(state.range(0)));
    const auto nl = materia::neighbor_list::build(s.pos, s.species, s.box, materia::pair_cutoffs(1, 2.85), 1);
    materia::adf_params p;
    p.bins = 180;
    p.threads = 1;
    materia::adf_accumulator acc(p, {"Si"});
    for (auto _ : state) {
        acc.accumulate(nl, s.species);
        benchmark::DoNotOptimize(acc.raw_histogram().data());
    }
    finish(state, s.pos.size());
}
BENCHMARK(bm_adf_shared_list)->Arg(5)->Arg(11)->Arg(23)->Unit(benchmark::kMillisecond);

void bm_coordination_shared_list(benchmark::State& state) {
    const auto s = diamond(static_cast<int>(state.range(0)));
    const auto nl = materia::neighbor_list::build(s.pos, s.species, s.box, materia::pair_cutoffs(1, 2.85), 1);
    materia::coordination_accumulator acc({"Si"});
    acc.set_threads(1);
    for (auto _ : state) {
        acc.accumulate(nl, s.species);
        benchmark::DoNotOptimize(acc.n_frames());
    }
    finish(state, s.pos.size());
}
BENCHMARK(bm_coordination_shared_list)->Arg(11)->Arg(23)->Unit(benchmark::kMillisecond);

void bm_altbc_with_search(benchmark::State& state) {
    const auto s = diamond(static_cast<int>(state.range(0)));
    materia::altbc_params p;
    p.r_min = 2.0;
    p.r_max = 4.0;
    p.bins = 100;
    p.threads = 1;
    for (auto _ : state) {
        auto r = materia::altbc(s.pos, s.species, s.box, p);
        benchmark::DoNotOptimize(r.counts.data());
    }
    finish(state, s.pos.size());
}
BENCHMARK(bm_altbc_with_search)->Arg(11)->Unit(benchmark::kMillisecond);

void bm_atomic_hydrogen(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double l = std::cbrt(static_cast<double>(n) / 0.1);
    const materia::cell box = materia::cell::orthorhombic(l, l, l);
    const auto pos = materia::test::random_points(box, n, 3);
    const auto sp = materia::species_list::uniform(n, "H");
    for (auto _ : state) benchmark::DoNotOptimize(materia::atomic_hydrogen_fraction(pos, sp, box));
    finish(state, n);
}
BENCHMARK(bm_atomic_hydrogen)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
