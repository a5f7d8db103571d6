// Ring statistics throughput on the matscipy amorphous-carbon test (4001 atoms, cutoff 1.85 Å):
// SP rings up to size 16 (matscipy: 2.0–2.5 s for maxlength 16 on this machine class, see
// ../shared/RINGS_AND_HULLS.md §4), King rings up to 10, and a 108 027-atom network (the a-C cell
// replicated 3×3×3) with SP rings up to 12.  Peak memory (ru_maxrss) is reported as a counter.
#include <materia/structure/bond_graph.hpp>
#include <materia/structure/rings.hpp>

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <array>
#include <string>
#include <vector>

// tests/data relative to this file (the benchmark targets get no data-directory definition)
namespace {
const std::string bench_data_dir = [] {
    const std::string f = __FILE__;
    const auto slash = f.rfind('/');
    return (slash == std::string::npos ? std::string(".") : f.substr(0, slash)) + "/../tests/data";
}();
}  // namespace
#ifndef MATERIA_TEST_DATA_DIR
#define MATERIA_TEST_DATA_DIR bench_data_dir
#endif
#include "xyz_fixture.hpp"

namespace {

struct network {
    std::vector<std::array<double, 3>> pos;
    materia::cell box;
};

network load_ac(int rep) {
    const auto f = materia::test::read_fixture(materia::test::data_path("structure/aC.extxyz"));
    network n;
    const auto& h = f.box.matrix();
    for (int a = 0; a < rep; ++a)
        for (int b = 0; b < rep; ++b)
            for (int c = 0; c < rep; ++c)
                for (auto p : f.pos) {
                    for (std::size_t k = 0; k < 3; ++k) p[k] += a * h[0][k] + b * h[1][k] + c * h[2][k];
                    n.pos.push_back(p);
                }
    materia::mat3 hh = h;
    for (auto& row : hh)
        for (auto& x : row) x *= rep;
    n.box = materia::cell(hh);
    return n;
}

double peak_mb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

void run(benchmark::State& state, int rep, materia::ring_definition def, std::size_t max_size) {
    const auto net = load_ac(rep);
    const auto sp = materia::species_list::uniform(net.pos.size(), "C");
    materia::ring_options opt;
    opt.definition = def;
    opt.max_size = max_size;
    opt.threads = static_cast<int>(state.range(0));
    std::size_t rings = 0;
    for (auto _ : state) {
        // bonds + rings: the whole analysis of one frame
        const auto g = materia::build_bond_graph(net.pos, sp, net.box, materia::pair_cutoffs(1, 1.85), opt.threads);
        const auto r = materia::find_rings(g, sp, opt);
        rings = r.total();
        benchmark::DoNotOptimize(r.counts.data());
    }
    state.counters["atoms"] = static_cast<double>(net.pos.size());
    state.counters["rings"] = static_cast<double>(rings);
    state.counters["peak_MB"] = peak_mb();
}

void bm_rings_aC_sp16(benchmark::State& s) { run(s, 1, materia::ring_definition::sp, 16); }
void bm_rings_aC_sp15(benchmark::State& s) { run(s, 1, materia::ring_definition::sp, 15); }
void bm_rings_aC_king10(benchmark::State& s) { run(s, 1, materia::ring_definition::king, 10); }
void bm_rings_aC_strong10(benchmark::State& s) { run(s, 1, materia::ring_definition::strong, 10); }
void bm_rings_108k_sp12(benchmark::State& s) { run(s, 3, materia::ring_definition::sp, 12); }

}  // namespace

BENCHMARK(bm_rings_aC_sp16)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bm_rings_aC_sp15)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bm_rings_aC_king10)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bm_rings_aC_strong10)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bm_rings_108k_sp12)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
