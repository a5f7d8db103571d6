// Google Benchmark timings of the supercon module: complex digamma, one WHH solve (t small and
// moderate, with Pauli and spin–orbit terms), a whole WHH curve, and Tc extraction from a sweep.
#include <benchmark/benchmark.h>

#include <materia/numerics/special_functions.hpp>
#include <materia/supercon/tc.hpp>
#include <materia/supercon/whh.hpp>

#include <cmath>
#include <complex>
#include <vector>

static void BM_digamma_complex(benchmark::State& state) {
    std::complex<double> z(0.5, 0.1);
    for (auto _ : state) {
        benchmark::DoNotOptimize(materia::digamma(z));
        z += std::complex<double>(1e-9, 1e-9);
    }
}
BENCHMARK(BM_digamma_complex);

static void BM_whh_solve(benchmark::State& state) {
    const double t = static_cast<double>(state.range(0)) / 1000.0;
    const materia::whh_parameters p{1.0, 1.0};
    for (auto _ : state) benchmark::DoNotOptimize(materia::whh_h_star(t, p));
}
BENCHMARK(BM_whh_solve)->Arg(1)->Arg(100)->Arg(500)->Arg(900);

static void BM_whh_curve(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(materia::whh_hc2_curve({2.0, 0.5}, 100).h_star_zero);
    state.SetItemsProcessed(state.iterations() * 101);
}
BENCHMARK(BM_whh_curve);

static void BM_tc_from_rt(benchmark::State& state) {
    std::vector<double> T, R;
    for (int i = 0; i < state.range(0); ++i) {
        T.push_back(2.0 + 6.0 * i / static_cast<double>(state.range(0)));
        R.push_back((1 + 0.01 * T.back()) * 0.5 * (1 + std::tanh((T.back() - 5) / 0.2)));
    }
    for (auto _ : state) benchmark::DoNotOptimize(materia::tc_from_rt(T, R).t50);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_tc_from_rt)->Arg(120)->Arg(10000);
