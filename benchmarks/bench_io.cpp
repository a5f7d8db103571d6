// Reading speed of the structure readers in MB/s (Google Benchmark), with the `wc -l` baseline.
//
// Input: generated once per run into the temporary folder: 44 000 atoms × F frames of extended XYZ
// (species x y z with 8 decimals, 1.68 MB per frame) and of a LAMMPS dump (id type x y z ix iy iz,
// 1.9 MB per frame: the layout of the dump reader's straight path, id_type_xyz_line); F = 20 (~35 MB) unless the environment sets MATERIA_BENCH_IO_FRAMES
// (benchmarks/compare_io.sh uses 150: ~250 and ~285 MB), named materia_bench_io_<F>.{extxyz,lammpstrj}.  All times are wall-clock (UseRealTime);
// the "CPU" column is the calling thread's CPU time and the proc_cpu_ms counter that of all threads.
// Benchmarks:
//   BM_read_extxyz/T / BM_read_lammps_dump/T   full parse of every frame (for_each_frame) with
//                                              read_options::threads = T (1 or 2)
//   BM_count_frames_*                          the skip pass (counting frames, as for negative --frames)
//   BM_newline_count_*                         what `wc -l` does (fread + memchr), in-process
//   BM_parse_wide_lammps_dump/1                a dump with velocities and forces (lines of ~95
//                                              bytes), 20 frames; not run by compare_io.sh
// The target (issue 3) is reading within 2× of `wc -l`; benchmarks/compare_io.sh runs the real
// `wc -l` on the same files and prints the ratios.
#include <materia/io/reader.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace {

constexpr std::size_t n_atoms = 44000;

int frames_from_env() {
    const char* e = std::getenv("MATERIA_BENCH_IO_FRAMES");
    const int n = e != nullptr ? std::atoi(e) : 0;
    return n > 0 ? n : 20;
}
const int n_frames = frames_from_env();

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / name).string();
}

const std::string& extxyz_file() {
    static const std::string path = [] {
        const std::string p = temp_path("materia_bench_io_" + std::to_string(n_frames) + ".extxyz");
        std::ofstream os(p, std::ios::binary);
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> u(0.0, 38.0);
        char line[128];
        for (int k = 0; k < n_frames; ++k) {
            os << n_atoms << "\nLattice=\"38 0 0 0 38 0 0 0 38\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n";
            for (std::size_t i = 0; i < n_atoms; ++i) {
                std::snprintf(line, sizeof line, "%s %.8f %.8f %.8f\n", i % 3 == 0 ? "Sb" : "Se", u(rng), u(rng), u(rng));
                os << line;
            }
        }
        return p;
    }();
    return path;
}

const std::string& dump_file() {
    static const std::string path = [] {
        const std::string p = temp_path("materia_bench_io_" + std::to_string(n_frames) + ".lammpstrj");
        std::ofstream os(p, std::ios::binary);
        std::mt19937_64 rng(8);
        std::uniform_real_distribution<double> u(0.0, 38.0);
        char line[160];
        for (int k = 0; k < n_frames; ++k) {
            os << "ITEM: TIMESTEP\n" << k * 100 << "\nITEM: NUMBER OF ATOMS\n" << n_atoms
               << "\nITEM: BOX BOUNDS xy xz yz pp pp pp\n0 39 1\n0 38 0\n0 38 0\nITEM: ATOMS id type x y z ix iy iz\n";
            for (std::size_t i = 0; i < n_atoms; ++i) {
                std::snprintf(line, sizeof line, "%zu %d %.6f %.6f %.6f %d %d %d\n", i + 1, i % 3 == 0 ? 1 : 2, u(rng),
                              u(rng), u(rng), int(rng() % 3) - 1, 0, int(rng() % 2));
                os << line;
            }
        }
        return p;
    }();
    return path;
}

/// A LAMMPS dump with velocities and forces (id type x y z vx vy vz fx fy fz, lines of ~95 bytes:
/// too long for the 64-byte masks, parsed in place by scanning); 20 frames of 44 000 atoms.
const std::string& wide_dump_file() {
    static const std::string path = [] {
        const std::string p = temp_path("materia_bench_io_wide.lammpstrj");
        std::ofstream os(p, std::ios::binary);
        std::mt19937_64 rng(9);
        std::uniform_real_distribution<double> u(0.0, 38.0), v(-5.0, 5.0);
        char line[256];
        for (int k = 0; k < 20; ++k) {
            os << "ITEM: TIMESTEP\n" << k * 100 << "\nITEM: NUMBER OF ATOMS\n" << n_atoms
               << "\nITEM: BOX BOUNDS pp pp pp\n0 38\n0 38\n0 38\nITEM: ATOMS id type x y z vx vy vz fx fy fz\n";
            for (std::size_t i = 0; i < n_atoms; ++i) {
                std::snprintf(line, sizeof line, "%zu %d %.6f %.6f %.6f %.6f %.6f %.6f %.6f %.6f %.6f\n", i + 1,
                              i % 3 == 0 ? 1 : 2, u(rng), u(rng), u(rng), v(rng), v(rng), v(rng), v(rng), v(rng),
                              v(rng));
                os << line;
            }
        }
        return p;
    }();
    return path;
}

std::int64_t file_bytes(const std::string& p) { return static_cast<std::int64_t>(std::filesystem::file_size(p)); }

double process_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

void read_all(benchmark::State& state, const std::string& path, const materia::io::read_options& opts,
              int frames = n_frames) {
    const double cpu0 = process_cpu_seconds();
    for (auto _ : state) {
        double checksum = 0;
        const std::size_t n = materia::io::for_each_frame(path, opts, {}, [&](const materia::frame& f) {
            checksum += f.positions.back()[0];
        });
        benchmark::DoNotOptimize(checksum);
        benchmark::DoNotOptimize(n);
    }
    state.SetBytesProcessed(state.iterations() * file_bytes(path));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n_atoms) * frames);
    // CPU time of all threads per iteration (the "CPU" column counts the calling thread only).
    state.counters["proc_cpu_ms"] =
        1e3 * (process_cpu_seconds() - cpu0) / static_cast<double>(state.iterations());
}

void count_frames(benchmark::State& state, const std::string& path) {
    for (auto _ : state) {
        materia::io::frame_reader r(path);
        std::size_t n = 0;
        while (r.skip()) ++n;
        benchmark::DoNotOptimize(n);
    }
    state.SetBytesProcessed(state.iterations() * file_bytes(path));
}

void newline_count(benchmark::State& state, const std::string& path) {
    std::string buf(std::size_t{1} << 20, '\0');
    for (auto _ : state) {
        std::FILE* f = std::fopen(path.c_str(), "rb");
        std::size_t lines = 0, got = 0;
        while ((got = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
            const char* p = buf.data();
            const char* e = p + got;
            while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(e - p)))) != nullptr) {
                ++lines;
                ++p;
            }
        }
        std::fclose(f);
        benchmark::DoNotOptimize(lines);
    }
    state.SetBytesProcessed(state.iterations() * file_bytes(path));
}

// The argument is read_options::threads (frames parsed in parallel, delivered in order).
void BM_read_extxyz(benchmark::State& s) {
    materia::io::read_options o;
    o.threads = static_cast<int>(s.range(0));
    read_all(s, extxyz_file(), o);
}
void BM_read_lammps_dump(benchmark::State& s) {
    materia::io::read_options o;
    o.types = {{1, "Sb"}, {2, "Se"}};
    o.threads = static_cast<int>(s.range(0));
    read_all(s, dump_file(), o);
}
// Not run by compare_io.sh (its filter is BM_read|BM_count|BM_newline): lines of 64 bytes or more.
void BM_parse_wide_lammps_dump(benchmark::State& s) {
    materia::io::read_options o;
    o.types = {{1, "Sb"}, {2, "Se"}};
    o.threads = static_cast<int>(s.range(0));
    read_all(s, wide_dump_file(), o, 20);
}
void BM_newline_count_wide_lammps_dump(benchmark::State& s) { newline_count(s, wide_dump_file()); }
void BM_count_frames_extxyz(benchmark::State& s) { count_frames(s, extxyz_file()); }
void BM_count_frames_lammps_dump(benchmark::State& s) { count_frames(s, dump_file()); }
void BM_newline_count_extxyz(benchmark::State& s) { newline_count(s, extxyz_file()); }
void BM_newline_count_lammps_dump(benchmark::State& s) { newline_count(s, dump_file()); }

}  // namespace

BENCHMARK(BM_read_extxyz)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_read_lammps_dump)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_parse_wide_lammps_dump)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_newline_count_wide_lammps_dump)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_count_frames_extxyz)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_count_frames_lammps_dump)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_newline_count_extxyz)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_newline_count_lammps_dump)->Unit(benchmark::kMillisecond)->UseRealTime();
