// Structure-factor throughput, single thread unless stated:
//  * Debye equation at 10,000 atoms (random SiO2-like cluster, 0.06 Å⁻³): the histogram method for
//    5 and 200 q points (distance histogram built once per call, Δr = 1e-3 Å), and the exact
//    double sum at 1,000 atoms for scale.  The ASE XrDebye comparison (same run) is
//    benchmarks/compare_sq.py.
//  * Direct S(k) over every commensurate k: counters report atoms × k-vectors per second, for two
//    sizes at fixed k_max, to show the linear cost.
//  * S(q) from g(r) (2000 r bins × 500 q).
#include <materia/structure/structure_factor.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "lattices.hpp"

namespace {

struct cluster {
    materia::test::points pos;
    materia::species_list species;
};

// n atoms uniformly in a cube at 0.06 Å⁻³, every third one Si.
cluster random_cluster(std::size_t n) {
    const double side = std::cbrt(static_cast<double>(n) / 0.06);
    std::mt19937_64 rng(2026);
    std::uniform_real_distribution<double> u(0.0, side);
    cluster c;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < n; ++i) {
        c.pos.push_back({u(rng), u(rng), u(rng)});
        names.push_back(i % 3 == 0 ? "Si" : "O");
    }
    c.species = materia::species_list::from_names(names);
    return c;
}

std::vector<double> q_points(int n) {
    std::vector<double> q;
    for (int k = 0; k < n; ++k) q.push_back(0.5 + 11.5 * k / std::max(1, n - 1));
    return q;
}

void BM_debye_histogram_10k(benchmark::State& state) {
    static const auto c = random_cluster(10000);
    const auto q = q_points(static_cast<int>(state.range(0)));
    materia::debye_params p;
    p.threads = static_cast<int>(state.range(1));
    for (auto _ : state) {
        auto r = materia::debye_sq(c.pos, c.species, q, p);
        benchmark::DoNotOptimize(r.pair_sums.data());
    }
    state.counters["s_per_q"] = benchmark::Counter(static_cast<double>(q.size()),
                                                   benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_debye_histogram_10k)->Args({5, 1})->Args({200, 1})->Args({200, 2})->Unit(benchmark::kMillisecond);

void BM_debye_exact_1k(benchmark::State& state) {
    static const auto c = random_cluster(1000);
    const auto q = q_points(static_cast<int>(state.range(0)));
    materia::debye_params p;
    p.bin_width = 0;
    p.threads = 1;
    for (auto _ : state) {
        auto r = materia::debye_sq(c.pos, c.species, q, p);
        benchmark::DoNotOptimize(r.pair_sums.data());
    }
    state.counters["s_per_q"] = benchmark::Counter(static_cast<double>(q.size()),
                                                   benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_debye_exact_1k)->Arg(5)->Unit(benchmark::kMillisecond);

// Direct S(k): n_cells³ perturbed diamond cells; k_max fixed ⇒ k-vectors ∝ volume ∝ atoms.
void BM_direct_diamond(benchmark::State& state) {
    const int nc = static_cast<int>(state.range(0));
    const double a = 5.43;
    auto pos = materia::test::replicate(materia::test::diamond_basis(), a, nc);
    std::mt19937_64 rng(17);
    std::normal_distribution<double> g(0.0, 0.1);
    for (auto& r : pos)
        for (auto& x : r) x += g(rng);
    const auto box = materia::cell::orthorhombic(a * nc, a * nc, a * nc);
    const auto sp = materia::species_list::uniform(pos.size(), "Si");
    materia::sq_direct_params p;
    p.q_max = 6.0;
    p.bins = 60;
    p.threads = static_cast<int>(state.range(1));
    std::uint64_t nk = 0;
    for (auto _ : state) {
        auto r = materia::sq_direct(pos, sp, box, p);
        nk = 0;
        for (auto c : r.k_count) nk += c / 2;  // half space actually evaluated
        benchmark::DoNotOptimize(r.s.data());
    }
    state.counters["atoms"] = static_cast<double>(pos.size());
    state.counters["k_vectors"] = static_cast<double>(nk);
    state.counters["atom_k_per_s"] =
        benchmark::Counter(static_cast<double>(pos.size()) * static_cast<double>(nk), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_direct_diamond)->Args({3, 1})->Args({5, 1})->Args({5, 2})->Unit(benchmark::kMillisecond);

void BM_sq_from_gr(benchmark::State& state) {
    std::vector<double> r, g, q;
    for (int k = 0; k < 2000; ++k) {
        r.push_back(0.005 * (k + 0.5));
        g.push_back(1.0 + std::exp(-(r.back() - 3) * (r.back() - 3) / 0.08) / r.back());
    }
    for (int k = 0; k < 500; ++k) q.push_back(0.04 * (k + 0.5));
    for (auto _ : state) {
        auto s = materia::sq_from_gr(r, g, 0.05, q);
        benchmark::DoNotOptimize(s.data());
    }
}
BENCHMARK(BM_sq_from_gr)->Unit(benchmark::kMillisecond);

}  // namespace
