// mpi_rdf — `materia rdf` over a multi-frame file with MPI: every rank reads the file, parses only
// the frames of its contiguous block, accumulates them, and rank 0 merges the accumulators
// (materia::mpi::reduce_in_frame_order) and prints the same CSV as the serial `materia rdf`.
//
//   mpirun -np 2 ./mpi_rdf traj.extxyz --rmax 10 --bins 200 [--frames 0:100] [--threads 1]
//
// Threads and ranks: each rank uses --threads OpenMP threads (default: all cores, so set it to
// cores/ranks when running several ranks on one machine, and start hybrid runs with
// `mpirun --bind-to none`).  Histograms are integer counts, identical to the serial run for any
// number of ranks and threads; the floating normalisation sums are re-added in frame order on
// rank 0 (mpi::reduce_in_frame_order), so the whole output is byte-identical too.
#include "cmd_rdf.hpp"

#include <materia/mpi.hpp>

#include <ctime>
#include <iostream>
#include <optional>

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    materia::cli::command c;
    c.name = "mpi_rdf";
    c.usage = "mpirun -np P mpi_rdf INPUT --rmax R --bins N [options]";
    c.summary = "g(r) with frames split over MPI ranks (same output as materia rdf)";
    c.options = materia::cli::rdf_options();
    c.options.push_back({"timing", "", "print the time inside the program (after MPI_Init) to stderr"});
    const double t_start = MPI_Wtime();
    const std::clock_t cpu_start = std::clock();
    c.run = [rank, t_start, cpu_start](const materia::cli::arguments& args) {
        using namespace materia;
        const std::string& input = args.single_input();
        const rdf_params prm = cli::rdf_params_from(args);
        const auto opts = cli::read_options_from(args);
        const auto sel = cli::frame_selection_from(args);
        // The frames this rank owns: a contiguous block of the selected frames.
        std::size_t total = 0;
        {
            io::frame_reader counter(input, opts);
            while (counter.skip()) ++total;
        }
        const auto chosen = sel.indices(total);
        const auto [b, e] = mpi::block_range(chosen.size());
        std::vector<bool> mine(total, false);
        for (std::size_t k = b; k < e; ++k) mine[chosen[k]] = true;
        // Species names must be the same on every rank, also on ranks that own no frame: take them
        // from the first selected frame.
        std::vector<std::string> names;
        std::size_t atoms = 0;
        {
            io::frame_reader r(input, opts);
            frame f;
            for (std::size_t k = 0; k <= (chosen.empty() ? 0 : chosen.front()); ++k)
                if (!(k == (chosen.empty() ? 0 : chosen.front()) ? r.next(f) : r.skip()))
                    throw cli::input_error(input + ": no frames selected");
            names = f.species_indices().names();
            atoms = f.size();
        }
        rdf_accumulator acc(prm, names);
        // Each frame's floating contributions (volumes, normalisations) are kept so that rank 0
        // can add them in frame order: bit-identical to the serial sums (reduce_in_frame_order).
        std::vector<std::vector<double>> frame_reals;
        io::frame_reader r(input, opts);
        frame f;
        for (std::size_t k = 0; k < total; ++k) {
            if (!mine[k]) {
                r.skip();
                continue;
            }
            r.next(f);
            rdf_accumulator one(prm, names);
            one.accumulate(f.positions, f.species_indices(), f.cell);
            frame_reals.push_back(one.real_state());
            acc.merge(one);
        }
        mpi::reduce_in_frame_order(acc, frame_reals);
        if (rank == 0) cli::emit(cli::rdf_table(acc.result(), prm, input, atoms, args.has("counts")), args);
        if (args.has("timing")) {
            // CPU seconds of the busiest rank (all its threads): the wall time it would need on
            // free cores, whatever else runs on the machine.
            double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC, cpu_max = 0;
            MPI_Reduce(&cpu, &cpu_max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
            if (rank == 0) std::cerr << "# mpi_time_s: " << MPI_Wtime() - t_start << "\n# cpu_s_busiest_rank: " << cpu_max << '\n';
        }
        return 0;
    };
    std::vector<std::string> a(argv + 1, argv + argc);
    const int rc = materia::cli::run_command(c, a);
    if (rc != 0) MPI_Abort(MPI_COMM_WORLD, rc);
    MPI_Finalize();
    return rc;
}
