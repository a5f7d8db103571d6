// mpi_accumulators — every accumulator reduced over MPI ranks equals the single-process run.
//
//   mpirun -np 3 ./mpi_accumulators tests/data/structure/traj_small.extxyz
//
// Each rank accumulates its contiguous block of the frames (materia::mpi::block_range) for rdf,
// adf, coordination, ALTBC, hydrogen, S(k) direct and ring statistics; materia::mpi::reduce must
// give rank 0 the integer state of one accumulator over all frames (identical) and its floating
// state to 1e-12; mpi::reduce_in_frame_order must give it bit for bit; mpi::allreduce must give
// every rank the same.  MSD: every rank owns independent random-walk trajectories (replicas); the
// reduced accumulator must equal one process that merges all replicas.  Prints one line per check
// on rank 0 and exits 1 on any mismatch.
#include <materia/dynamics/msd.hpp>
#include <materia/io/reader.hpp>
#include <materia/mpi.hpp>
#include <materia/neighbors/neighbor_list.hpp>
#include <materia/structure/altbc.hpp>
#include <materia/structure/bond_angles.hpp>
#include <materia/structure/coordination.hpp>
#include <materia/structure/hydrogen.hpp>
#include <materia/structure/rdf.hpp>
#include <materia/structure/rings.hpp>
#include <materia/structure/sq_direct.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <exception>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

int failures = 0;
int rank = 0;

void report(const std::string& what, bool ok) {
    if (!ok) ++failures;
    if (rank == 0) std::cout << (ok ? "ok      " : "FAILED  ") << what << '\n';
}

bool close(const std::vector<double>& a, const std::vector<double>& b, double eps) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (std::abs(a[k] - b[k]) > eps * std::max(1.0, std::abs(b[k]))) return false;
    return true;
}

// One accumulator type: serial over all frames vs reduce, reduce_in_frame_order (if the real
// state is a per-frame sum) and allreduce over this rank's block.
template <class Acc, class Make, class Feed>
void check(const std::string& name, const std::vector<materia::frame>& frames, Make make, Feed feed, bool per_frame_sum) {
    Acc serial = make();
    for (const auto& f : frames) feed(serial, f);
    const auto [b, e] = materia::mpi::block_range(frames.size());
    Acc mine = make();
    std::vector<std::vector<double>> frame_reals;
    for (std::size_t k = b; k < e; ++k) {
        Acc one = make();
        feed(one, frames[k]);
        frame_reals.push_back(one.real_state());
        mine.merge(one);
    }
    Acc reduced = mine;
    materia::mpi::reduce(reduced);
    if (rank == 0)
        report(name + ": reduce == single process (integer state identical, reals to 1e-12)",
               reduced.integer_state() == serial.integer_state() && close(reduced.real_state(), serial.real_state(), 1e-12));
    if (per_frame_sum) {
        Acc ordered = mine;
        materia::mpi::reduce_in_frame_order(ordered, frame_reals);
        if (rank == 0)
            report(name + ": reduce_in_frame_order == single process bit for bit",
                   ordered.integer_state() == serial.integer_state() && ordered.real_state() == serial.real_state());
    }
    Acc all = mine;
    materia::mpi::allreduce(all);
    int ok = all.integer_state() == serial.integer_state() && close(all.real_state(), serial.real_state(), 1e-12) ? 1 : 0;
    int every = 0;
    MPI_Allreduce(&ok, &every, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    report(name + ": allreduce gives every rank the total", every == 1);
}

using walk = std::vector<std::vector<std::array<double, 3>>>;

walk random_walk(std::size_t n_frames, std::size_t n_atoms, std::uint32_t seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<double> step(0.0, 0.5);
    walk w(n_frames, std::vector<std::array<double, 3>>(n_atoms, {0.0, 0.0, 0.0}));
    for (std::size_t k = 1; k < n_frames; ++k)
        for (std::size_t i = 0; i < n_atoms; ++i)
            for (std::size_t d = 0; d < 3; ++d) w[k][i][d] = w[k - 1][i][d] + step(gen);
    return w;
}

}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    try {
        if (argc != 2) {
            if (rank == 0) std::cerr << "usage: mpirun -np P mpi_accumulators TRAJECTORY.extxyz\n";
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
        const auto frames = materia::io::read_frames(argv[1]);  // small: every rank reads it
        const std::vector<std::string> names = frames.front().species_indices().names();
        auto on_frame = [](auto& acc, const materia::frame& f) { acc.accumulate(f.positions, f.species_indices(), f.cell); };
        check<materia::rdf_accumulator>(
            "rdf", frames, [&] { return materia::rdf_accumulator(materia::rdf_params{6.0, 60}, names); }, on_frame, true);
        const auto cut = materia::pair_cutoffs::parse("3.0", names);
        check<materia::adf_accumulator>(
            "adf", frames, [&] { return materia::adf_accumulator(materia::adf_params{90, 1}, names, cut); }, on_frame, true);
        check<materia::coordination_accumulator>(
            "coordination", frames, [&] { return materia::coordination_accumulator(names, cut); }, on_frame, true);
        check<materia::altbc_accumulator>(
            "altbc", frames, [&] { return materia::altbc_accumulator(materia::altbc_params{4.0, 20, 2.0, 30.0, 1}, names); },
            on_frame, true);
        materia::hydrogen_params hp;
        hp.threshold = 3.0;
        hp.species = names.back();
        check<materia::hydrogen_accumulator>(
            "hydrogen", frames, [&] { return materia::hydrogen_accumulator(hp); }, on_frame, true);
        check<materia::sq_direct_accumulator>(
            "sq_direct", frames,
            [&] { return materia::sq_direct_accumulator(materia::sq_direct_params{0.0, 2.5, 10, 1.0, 0, 1}, names); }, on_frame,
            true);
        materia::ring_options ro;
        ro.max_size = 6;
        ro.threads = 1;
        const auto ring_cut = materia::pair_cutoffs::parse("2.9", names);
        check<materia::ring_accumulator>(
            "rings", frames, [&] { return materia::ring_accumulator(ro); },
            [&](materia::ring_accumulator& a, const materia::frame& f) {
                a.accumulate(f.positions, f.species_indices(), f.cell, ring_cut);
            },
            true);
        // MSD: 5 independent replicas of 12 atoms; replica r belongs to the rank owning index r.
        const std::size_t n = 12, replicas = 5;
        std::vector<std::string> sp(n);
        for (std::size_t i = 0; i < n; ++i) sp[i] = i % 2 ? "Li" : "O";
        const auto species = materia::species_list::from_names(sp);
        const materia::msd_options mo{.max_lag = 0, .block = 0, .per_atom = true, .threads = 1};
        materia::msd_accumulator serial(species, mo), mine(species, mo);
        for (std::size_t r = 0; r < replicas; ++r) {
            materia::msd_accumulator one(species, mo);
            for (const auto& f : random_walk(6 + r, n, static_cast<std::uint32_t>(100 + r))) one.add_frame(f);
            serial.merge(one);
            if (materia::mpi::owns(r, replicas)) mine.merge(one);
        }
        materia::mpi::reduce(mine);
        if (rank == 0) {
            const auto a = mine.result(), s = serial.result();
            report("msd (independent replicas): reduce == single process (origins identical, MSD to 1e-12)",
                   mine.integer_state() == serial.integer_state() && a.origins == s.origins && close(a.msd, s.msd, 1e-12) &&
                       a.n_frames == s.n_frames);
        }
    } catch (const std::exception& ex) {
        std::cerr << "mpi_accumulators (rank " << rank << "): " << ex.what() << '\n';
        MPI_Abort(MPI_COMM_WORLD, 3);
    }
    int any = failures, total = 0;
    MPI_Allreduce(&any, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    MPI_Finalize();
    return total == 0 ? 0 : 1;
}
