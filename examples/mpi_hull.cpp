// mpi_hull — `materia hull` with the entries split over MPI ranks: every rank reads the table and
// builds the same hull once (from the entries that can be hull points), evaluates only its
// contiguous block of entries and formats those rows; rank 0 gathers the text in input order
// (mpi::gather_blocks) and prints the same CSV as the serial `materia hull`
// (materia::mpi::distributed_hull, <materia/mpi.hpp>).  --gather rows instead gathers the
// structured results (distributed_hull::gather) and formats them on rank 0.
//
//   mpirun -np 2 ./mpi_hull entries.csv [--threshold E] [--stable-tol E] [--reference Y=-6.4] [--threads 1]
//
// Threads and ranks: each rank uses --threads threads (default: all cores, so give it cores/ranks
// when several ranks share a machine, and start with `mpirun --bind-to none`).
#include "cmd_hull.hpp"

#include <materia/mpi.hpp>

#include <ctime>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    materia::cli::command c;
    c.name = "mpi_hull";
    c.usage = "mpirun -np P mpi_hull ENTRIES.csv [--threshold E] [options]";
    c.summary = "materia hull with the entries split over MPI ranks (same output as materia hull)";
    c.options = {
        {"threshold", "E", "print only rows with e_above_hull <= E (eV/atom)"},
        {"stable-tol", "E", "stable <=> e_above_hull <= E (eV/atom, default 1e-8)"},
        {"reference", "A=E,B=E", "elemental reference energies in eV/atom"},
        {"threads", "N", "worker threads per rank (default: all cores)"},
        {"out", "FILE", "write the CSV to FILE instead of stdout (rank 0)"},
        {"gather", "text|rows", "text: ranks format their rows (default); rows: gather structured rows, format on rank 0"},
        {"timing", "", "print the time of each stage (rank 0, after MPI_Init) to stderr"},
    };
    const double t_start = MPI_Wtime();
    const std::clock_t cpu_start = std::clock();
    c.run = [rank, t_start, cpu_start](const materia::cli::arguments& args) -> int {
        using namespace materia;
        namespace hd = cli::hull_detail;
        const std::string& input = args.single_input();
        phase::hull_options opt;
        if (auto t = args.number("stable-tol")) {
            if (*t < 0) throw cli::usage_error("mpi_hull: --stable-tol must be >= 0");
            opt.stable_tolerance = *t;
        }
        if (auto r = args.get("reference")) opt.references = hd::parse_references(*r);
        if (auto th = args.integer("threads")) {
            if (*th < 1) throw cli::usage_error("mpi_hull: --threads must be >= 1");
            opt.threads = static_cast<int>(*th);
        }
        const double threshold = args.number_or("threshold", std::numeric_limits<double>::infinity());
        const bool gather_rows = args.get("gather").value_or("text") == "rows";
        if (!gather_rows && args.get("gather").value_or("text") != "text")
            throw cli::usage_error("mpi_hull: --gather must be text or rows");
        const double t0 = MPI_Wtime();
        const auto table = phase::read_entries_csv_file(input, opt.threads);  // every rank
        const double t1 = MPI_Wtime();
        const mpi::distributed_hull hull(table, opt);                         // the same hull on every rank
        const double t2 = MPI_Wtime();
        const auto [b, e] = mpi::block_range(table.size());
        const auto block = hull.evaluate_range(b, e);                         // this rank's entries
        const double t3 = MPI_Wtime();
        // One CSV row per entry, exactly as `materia hull` writes it.
        auto append_row = [&](std::string& text, std::size_t i, const mpi::entry_stability& s) {
            if (!(s.e_above_hull <= threshold)) return;
            text += table.names[i];
            text += ',';
            text += table.formulas[i];
            text += ',';
            hd::append_number(text, s.e_form);
            text += ',';
            hd::append_number(text, s.e_above_hull);
            text += s.stable ? ",1," : ",0,";
            for (std::size_t t = 0; t < s.decomposition.size(); ++t) {
                if (t) text += " + ";
                hd::append_number(text, s.decomposition[t].fraction);
                text += ' ';
                const auto& term = s.decomposition[t];
                if (term.entry != phase::phase_diagram::npos) text += table.names[term.entry];
                else text += hull.term_name(term);
            }
            text += '\n';
        };
        std::string text;
        if (gather_rows) {
            // Structured rows gathered to rank 0 (distributed_hull::gather), formatted there.
            const auto rows = hull.gather(block);
            if (rank == 0) {
                text.reserve(rows.size() * 64);
                for (std::size_t i = 0; i < rows.size(); ++i) append_row(text, i, rows[i]);
            }
        } else {
            // Every rank formats its own rows; the text blocks are concatenated in rank order.
            std::string mine;
            mine.reserve(block.size() * 64);
            for (std::size_t i = 0; i < block.size(); ++i) append_row(mine, b + i, block[i]);
            std::vector<char> chars(mine.begin(), mine.end());
            const auto all = mpi::gather_blocks(chars);
            text.assign(all.begin(), all.end());
        }
        const double t4 = MPI_Wtime();
        double cpu_max = 0;  // CPU seconds of the busiest rank up to here (see mpi_rdf.cpp)
        if (args.has("timing")) {
            double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
            MPI_Reduce(&cpu, &cpu_max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
        }
        if (rank != 0) return 0;
        text.insert(0, hd::header_text(input, hull.diagram(), table.size()));
        if (auto out = args.get("out")) {
            std::ofstream f(*out, std::ios::binary);
            if (!f) throw cli::input_error("mpi_hull: cannot open --out file '" + *out + "' for writing");
            f << text;
        } else {
            std::cout << text;
            std::cout.flush();
        }
        if (args.has("timing"))
            std::cerr << "# mpi_time_s: " << MPI_Wtime() - t_start << " (read " << t1 - t0 << ", build " << t2 - t1
                      << " with " << hull.candidates().size() << " candidates, evaluate " << t3 - t2 << ", format+gather "
                      << t4 - t3 << ", write " << MPI_Wtime() - t4 << ")\n# cpu_s_busiest_rank: " << cpu_max
                      << " (before writing)\n";
        return 0;
    };
    std::vector<std::string> a(argv + 1, argv + argc);
    const int rc = materia::cli::run_command(c, a);
    if (rc != 0) MPI_Abort(MPI_COMM_WORLD, rc);
    MPI_Finalize();
    return rc;
}
