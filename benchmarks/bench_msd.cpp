// MSD throughput: the FFT algorithm (all lags) against the direct windowed sum, the streaming
// accumulator on a 10,000-atom × 10,000-frame trajectory generated on the fly (bounded memory:
// the 2.4 GB trajectory is never stored), the FFT itself and the assignment behind MSD′.
// Peer comparison (MDAnalysis EinsteinMSD, reading included): benchmarks/compare_msd.py.
#include <materia/dynamics/msd.hpp>
#include <materia/dynamics/reordered_msd.hpp>
#include <materia/numerics/assignment.hpp>
#include <materia/numerics/fft.hpp>

#include <benchmark/benchmark.h>

#include <complex>
#include <cstdint>
#include <random>
#include <vector>

#include "lattices.hpp"

namespace {

using traj = std::vector<std::vector<materia::vec3>>;

traj random_walk(std::size_t n, std::size_t frames, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g(0.0, 0.1);
    std::uniform_real_distribution<double> u(0.0, 30.0);
    traj t(frames, std::vector<materia::vec3>(n));
    for (auto& r : t[0]) r = {u(rng), u(rng), u(rng)};
    for (std::size_t f = 1; f < frames; ++f)
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t d = 0; d < 3; ++d) t[f][i][d] = t[f - 1][i][d] + g(rng);
    return t;
}

// All lags by FFT, whole trajectory in memory (what `materia msd` does after reading).
void bm_msd_fft(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto m = static_cast<std::size_t>(state.range(1));
    const auto t = random_walk(n, m, 1);
    const auto sp = materia::species_list::uniform(n, "A");
    for (auto _ : state) {
        const auto r = materia::msd_fft(t, sp, {.max_lag = 0, .block = 0, .per_atom = false, .threads = 1});
        benchmark::DoNotOptimize(r.msd.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(n * m) * state.iterations());
}
BENCHMARK(bm_msd_fft)->Args({2000, 500})->Args({200, 5000})->Unit(benchmark::kMillisecond);

// The O(N M²) reference, on a smaller problem (scale by M² to compare).
void bm_msd_direct(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto m = static_cast<std::size_t>(state.range(1));
    const auto t = random_walk(n, m, 2);
    const auto sp = materia::species_list::uniform(n, "A");
    for (auto _ : state) {
        const auto r = materia::msd_direct(t, sp);
        benchmark::DoNotOptimize(r.msd.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(n * m) * state.iterations());
}
BENCHMARK(bm_msd_direct)->Args({200, 500})->Unit(benchmark::kMillisecond);

// 10,000 atoms × 10,000 frames, lags up to 100, streamed: frames are generated one at a time and
// handed to the accumulator; only the ring of B + L frames is stored.
void bm_msd_stream_10k_x_10k(benchmark::State& state) {
    const std::size_t n = 10000, frames = 10000, max_lag = 100;
    const auto sp = materia::species_list::uniform(n, "A");
    const materia::msd_options o{.max_lag = max_lag, .block = 0, .per_atom = false, .threads = 0};
    std::size_t mem = 0;
    double msd_100 = 0;
    for (auto _ : state) {
        materia::msd_accumulator acc(sp, o);
        std::mt19937_64 rng(3);
        std::normal_distribution<double> g(0.0, 0.1);
        std::vector<materia::vec3> f(n, {0, 0, 0});
        for (std::size_t k = 0; k < frames; ++k) {
            if (k > 0)
                for (auto& r : f)
                    for (auto& x : r) x += g(rng);
            acc.add_frame(f);
        }
        const auto r = acc.result();
        mem = acc.memory_bytes();
        msd_100 = r.msd[max_lag];
        benchmark::DoNotOptimize(r.msd.data());
    }
    state.counters["memory_MB"] = static_cast<double>(mem) / 1e6;
    state.counters["full_traj_MB"] = 24.0 * static_cast<double>(n * frames) / 1e6;
    state.counters["msd_100_over_exact"] = msd_100 / (3 * 0.01 * 100);
    state.SetItemsProcessed(static_cast<std::int64_t>(n * frames) * state.iterations());
}
BENCHMARK(bm_msd_stream_10k_x_10k)->Iterations(1)->Unit(benchmark::kSecond);

void bm_fft(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const materia::fft_plan plan(n);
    std::vector<std::complex<double>> x(n, {1.0, 0.5}), scratch;
    for (auto _ : state) {
        plan.transform(x.data(), false, scratch);
        benchmark::DoNotOptimize(x.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(n) * state.iterations());
}
BENCHMARK(bm_fft)->Arg(1024)->Arg(1000)->Arg(65536);

void bm_assignment_dense(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::mt19937_64 rng(4);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> c(n * n);
    for (auto& x : c) x = u(rng);
    for (auto _ : state) benchmark::DoNotOptimize(materia::solve_assignment(c, n, n).cost);
}
BENCHMARK(bm_assignment_dense)->Arg(100)->Arg(500)->Unit(benchmark::kMillisecond);

// MSD′ of a 4,000-atom fcc crystal with thermal noise and 200 exchanges: sparse vs dense.
void bm_reordered_msd(benchmark::State& state) {
    const double a = 4.0;
    const auto ref = materia::test::replicate(materia::test::fcc_basis(), a, 10);
    const materia::cell c = materia::cell::orthorhombic(10 * a, 10 * a, 10 * a);
    std::mt19937_64 rng(5);
    std::normal_distribution<double> g(0.0, 0.2);
    auto cur = ref;
    for (auto& r : cur)
        for (auto& x : r) x += g(rng);
    for (std::size_t k = 0; k < 200; ++k) std::swap(cur[7 * k], cur[7 * k + 1]);
    const auto sp = materia::species_list::uniform(ref.size(), "H");
    const materia::reordered_msd rm(ref, sp, {.cutoff = static_cast<double>(state.range(0)) / 10.0, .sparse_min_atoms = 64});
    for (auto _ : state) benchmark::DoNotOptimize(rm.evaluate(cur, c).msd);
    state.counters["atoms"] = static_cast<double>(ref.size());
}
BENCHMARK(bm_reordered_msd)->Arg(35)->Unit(benchmark::kMillisecond);

}  // namespace
