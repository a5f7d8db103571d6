// tools/materia/cmd_rdf.hpp — `materia rdf`: total and partial g(r), G(r) and running coordination
// numbers averaged over frames (CLI.md "materia rdf").
#pragma once

#include "cli.hpp"
#include "structure_input.hpp"

#include <materia/io/reader.hpp>
#include <materia/structure/rdf.hpp>

#include <memory>
#include <optional>

namespace materia::cli {

/// The options of `materia rdf` (shared with the MPI companion program examples/mpi_rdf.cpp).
inline std::vector<option_spec> rdf_options() {
    auto o = structure_options();
    o.push_back({"rmax", "R", "upper edge of the histogram, Å (required; may exceed half the cell)"});
    o.push_back({"bins", "N", "number of equal bins on [rmin, rmax) (required)"});
    o.push_back({"rmin", "R0", "lower edge of the histogram, Å (default 0)"});
    o.push_back({"self-pairs", "MODE", "like-species normalisation: exclude = N_a(N_a-1) (default, g->1), include = N_a^2"});
    o.push_back({"counts", "", "also print the raw ordered pair counts per bin (count:A-B columns)"});
    return o;
}

/// rdf_params from the command line; usage_error names the bad option.
inline rdf_params rdf_params_from(const arguments& args) {
    rdf_params prm;
    const auto rmax = args.number("rmax");
    const auto bins = args.integer("bins");
    if (!rmax) throw usage_error("rdf: --rmax R is required");
    if (!bins) throw usage_error("rdf: --bins N is required");
    if (!(*rmax > 0)) throw usage_error("rdf: --rmax must be > 0 (got " + fmt(*rmax) + ")");
    if (*bins < 1 || *bins > 100000000) throw usage_error("rdf: --bins must be between 1 and 1e8");
    prm.r_max = *rmax;
    prm.bins = static_cast<std::size_t>(*bins);
    prm.r_min = args.number_or("rmin", 0.0);
    if (!(prm.r_min >= 0 && prm.r_min < prm.r_max))
        throw usage_error("rdf: --rmin must satisfy 0 <= rmin < rmax (got " + fmt(prm.r_min) + ")");
    const std::string self = args.get_or("self-pairs", "exclude");
    if (self == "exclude") prm.self_pairs = self_pair_norm::exclude;
    else if (self == "include") prm.self_pairs = self_pair_norm::include;
    else throw usage_error("rdf: --self-pairs must be exclude or include (got '" + self + "')");
    prm.threads = static_cast<int>(args.integer("threads").value_or(0));
    if (prm.threads < 0) throw usage_error("rdf: --threads must be >= 0");
    return prm;
}

/// The CSV table of CLI.md "materia rdf" for a finished accumulator.
inline csv_table rdf_table(const rdf_result& res, const rdf_params& prm, const std::string& input, std::size_t atoms,
                           bool counts) {
    const std::size_t s = res.n_species();
    csv_table t;
    standard_meta(t, "rdf", input);
    t.meta("frames", std::to_string(res.frames));
    t.meta("atoms", std::to_string(atoms));
    t.meta("volume", res.mean_volume);
    t.meta("density", res.density);
    t.meta("rmax", prm.r_max);
    t.meta("rmin", prm.r_min);
    t.meta("bins", std::to_string(prm.bins));
    t.meta("units", "r in Angstrom; density in 1/Angstrom^3; G in 1/Angstrom^2");
    t.meta("conventions", res.conventions());
    std::vector<std::string> header{"r", "g", "G"};
    for (std::size_t a = 0; a < s; ++a)
        for (std::size_t b = a; b < s; ++b) header.push_back("g:" + res.species[a] + "-" + res.species[b]);
    for (std::size_t a = 0; a < s; ++a)
        for (std::size_t b = 0; b < s; ++b) header.push_back("n:" + res.species[a] + "-" + res.species[b]);
    if (counts)
        for (std::size_t a = 0; a < s; ++a)
            for (std::size_t b = 0; b < s; ++b) header.push_back("count:" + res.species[a] + "-" + res.species[b]);
    t.header(header);
    for (std::size_t k = 0; k < prm.bins; ++k) {
        std::vector<double> row{res.r[k], res.g[k], res.G[k]};
        for (std::size_t a = 0; a < s; ++a)
            for (std::size_t b = a; b < s; ++b) row.push_back(res.g_partial[res.pair_index(a, b)][k]);
        for (std::size_t p = 0; p < s * s; ++p) row.push_back(res.n_running[p][k]);
        if (counts)
            for (std::size_t p = 0; p < s * s; ++p) row.push_back(static_cast<double>(res.counts[p][k]));
        t.row_numbers(row);
    }
    return t;
}

inline command make_rdf_command() {
    command c;
    c.name = "rdf";
    c.summary = "pair distribution functions: g(r), G(r), partial g_ab(r) and running coordination n_ab(r)";
    c.usage = "materia rdf INPUT --rmax R --bins N [--rmin R0] [--self-pairs exclude|include] [--counts] [options]";
    c.options = rdf_options();
    c.run = [](const arguments& args) {
        const std::string& input = args.single_input();
        const rdf_params prm = rdf_params_from(args);
        const auto opts = read_options_from(args);
        const auto sel = frame_selection_from(args);
        std::optional<rdf_accumulator> acc;
        std::size_t atoms = 0;
        progress bar("rdf", 0);
        io::for_each_frame(input, opts, sel, [&](const frame& f) {
            const auto sp = f.species_indices();
            if (!acc) acc.emplace(prm, sp.names());
            acc->accumulate(f.positions, sp, f.cell);
            atoms = f.size();
            bar.update(acc->n_frames());
        });
        if (!acc || acc->n_frames() == 0) throw input_error(input + ": no frames selected");
        emit(rdf_table(acc->result(), prm, input, atoms, args.has("counts")), args);
        return 0;
    };
    return c;
}

}  // namespace materia::cli
