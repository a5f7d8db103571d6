// mpi_rdf — `materia rdf` over a multi-frame file with MPI: every rank reads the file, parses only
// the frames of its contiguous block, accumulates them, and rank 0 merges the accumulators
// (materia::mpi::reduce) and prints the same CSV as the serial `materia rdf`.
//
//   mpirun -np 2 ./mpi_rdf traj.extxyz --rmax 10 --bins 200 [--frames 0:100] [--threads 1]
//
// Threads and ranks: each rank uses --threads OpenMP threads (default: all cores, so set it to
// cores/ranks when running several ranks on one machine).  Histograms are integer counts: the
// output is identical to the serial run for any number of ranks and threads.
#include "cmd_rdf.hpp"

#include <materia/mpi.hpp>

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
    c.run = [rank](const materia::cli::arguments& args) {
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
        io::frame_reader r(input, opts);
        frame f;
        for (std::size_t k = 0; k < total; ++k) {
            if (!mine[k]) {
                r.skip();
                continue;
            }
            r.next(f);
            acc.accumulate(f.positions, f.species_indices(), f.cell);
        }
        mpi::reduce(acc);
        if (rank == 0) cli::emit(cli::rdf_table(acc.result(), prm, input, atoms, args.has("counts")), args);
        return 0;
    };
    std::vector<std::string> a(argv + 1, argv + argc);
    const int rc = materia::cli::run_command(c, a);
    if (rc != 0) MPI_Abort(MPI_COMM_WORLD, rc);
    MPI_Finalize();
    return rc;
}
