// Google Benchmark: convex hulls and phase diagrams.  Peer comparison (SciPy, pymatgen) is in
// compare_hull.py; these measure the library alone.
//   BM_phase_build/N       ternary diagram of N entries (formation energies, hull, every entry's
//                          e_above_hull and decomposition)
//   BM_phase_query/N       batch e_above_hull queries against a 10^5-entry ternary diagram
//   BM_phase_build6/N      six-component diagram of N entries
//   BM_hull3d_sphere/N     convex_hull_3d of N points on a sphere
//   BM_format_g12_materia / BM_format_g12_std
//                          one energy (eV/atom, 12 significant digits) as text: the exact integer
//                          path of core/decimal_format.hpp vs std::to_chars(general, 12) — the
//                          same characters (tests/core/test_decimal_format.cpp), ratio = speed-up
#include <benchmark/benchmark.h>

#include <materia/core/decimal_format.hpp>
#include <materia/geometry/convex_hull.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <charconv>
#include <cmath>
#include <random>
#include <vector>

namespace {

// Random integer formulas with 0..40 atoms of each of k elements; formation energies as in
// ../shared/peers/pmg_hull.py.  Returns (amounts n×k, energies per atom).
void make_set(std::size_t n, std::size_t k, std::uint64_t seed, std::vector<double>& amounts, std::vector<double>& energies) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> cnt(0, 40);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<double> g(0.0, 0.05);
    amounts.assign(n * k, 0.0);
    energies.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        double tot = 0;
        for (std::size_t j = 0; j < k; ++j) {
            const double c = (i < k) ? (i == j ? 1.0 : 0.0) : cnt(rng);
            amounts[i * k + j] = c;
            tot += c;
        }
        if (tot == 0) {
            amounts[i * k] = 1;
            tot = 1;
        }
        double mix = 0, eref = 0;
        for (std::size_t a = 0; a < k; ++a) {
            eref += amounts[i * k + a] / tot * (-1.0 - static_cast<double>(a));
            for (std::size_t b = a + 1; b < k; ++b) mix += amounts[i * k + a] * amounts[i * k + b] / (tot * tot);
        }
        energies[i] = eref + ((mix > 0) ? -u(rng) * 4.0 * mix + g(rng) : 0.0);
    }
}

std::vector<int> elements(std::size_t k) {
    const int z[6] = {39, 90, 1, 8, 16, 7};
    return {z, z + k};
}

void BM_phase_build(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    std::vector<double> a, e;
    make_set(n, 3, 1, a, e);
    for (auto _ : st) {
        materia::phase::phase_diagram pd(elements(3), a, e, {});
        benchmark::DoNotOptimize(pd.e_above_hull(n - 1));
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_phase_build)->RangeMultiplier(10)->Range(1000, 1000000)->Unit(benchmark::kMillisecond);

void BM_phase_query(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    std::vector<double> a, e, qa, qe;
    make_set(100000, 3, 2, a, e);
    const materia::phase::phase_diagram pd(elements(3), a, e, {});
    make_set(n, 3, 3, qa, qe);
    std::vector<double> out(n);
    for (auto _ : st) {
        pd.e_above_hull_batch(qa, qe, out);
        benchmark::DoNotOptimize(out.data());
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_phase_query)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_phase_build6(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    std::vector<double> a, e;
    make_set(n, 6, 4, a, e);
    for (auto _ : st) {
        materia::phase::phase_diagram pd(elements(6), a, e, {});
        benchmark::DoNotOptimize(pd.facet_count());
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_phase_build6)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_hull3d_sphere(benchmark::State& st) {
    const auto n = static_cast<std::size_t>(st.range(0));
    std::mt19937_64 rng(5);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<std::array<double, 3>> p(n);
    for (auto& q : p) {
        q = {g(rng), g(rng), g(rng)};
        const double r = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
        for (auto& x : q) x /= r;
    }
    for (auto _ : st) {
        const auto h = materia::geometry::convex_hull_3d(p);
        benchmark::DoNotOptimize(h.triangles.size());
    }
    st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_hull3d_sphere)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond);

}  // namespace

namespace {
// Energies like the hull's output columns: formation energies and distances, 1e-3 … 4 eV/atom.
std::vector<double> format_inputs() {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(-3.0, 0.6);
    std::vector<double> v(1 << 16);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = (i % 2 ? -1.0 : 1.0) * std::pow(10.0, u(rng));
    return v;
}
}  // namespace

static void BM_format_g12_materia(benchmark::State& state) {
    const auto v = format_inputs();
    char buf[64];
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        char* e = materia::to_chars_general(buf, buf + sizeof buf, v[i++ & (v.size() - 1)], 12);
        bytes += static_cast<std::size_t>(e - buf);
        benchmark::DoNotOptimize(buf);
    }
    state.counters["bytes_per_number"] = static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_format_g12_materia);

static void BM_format_g12_std(benchmark::State& state) {
    const auto v = format_inputs();
    char buf[64];
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        char* e = std::to_chars(buf, buf + sizeof buf, v[i++ & (v.size() - 1)], std::chars_format::general, 12).ptr;
        bytes += static_cast<std::size_t>(e - buf);
        benchmark::DoNotOptimize(buf);
    }
    state.counters["bytes_per_number"] = static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_format_g12_std);
