// tools/materia/cmd_adf.hpp — `materia adf` (bond-angle distributions, optional ALTBC map) and
// `materia coordination` (coordination-number statistics, atomic-H fraction) (CLI.md).
//
// Both read the frames once and build one neighbour list per frame, shared by every analysis of
// the command (the ALTBC map filters the same list to its own r_max).  `--cutoff auto` takes the
// bond cutoffs from the first minima of the partial g(r) of the first frame.
#pragma once

#include "cli.hpp"
#include "structure_input.hpp"

#include <materia/io/reader.hpp>
#include <materia/neighbors/neighbor_list.hpp>
#include <materia/structure/altbc.hpp>
#include <materia/structure/bond_angles.hpp>
#include <materia/structure/coordination.hpp>
#include <materia/structure/hydrogen.hpp>
#include <materia/structure/rdf.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace materia::cli {

namespace adf_detail {

/// Cutoffs from --cutoff for the species of the first frame (sorted names).  "auto": first minima
/// of the partial g(r) of that frame (pairs without a minimum get no bond).
inline pair_cutoffs resolve_cutoffs(const arguments& args, const frame& f, const species_list& sp) {
    const auto text = args.get("cutoff");
    if (!text) throw usage_error(args.command() + ": --cutoff R or --cutoff A-B=R,... (or auto) is required");
    if (*text == "auto") {
        if (!f.cell.has_lattice() || !f.cell.fully_periodic())
            throw input_error(args.command() + ": --cutoff auto needs a periodic cell (g(r) needs a volume)");
        const auto w = f.cell.perpendicular_widths();
        const double rmax = std::min({0.5 * std::min({w[0], w[1], w[2]}), 8.0});
        rdf_params prm{rmax, 200};
        prm.threads = static_cast<int>(args.integer("threads").value_or(0));
        const auto g = rdf(f.positions, sp, f.cell, prm);
        return first_minimum_cutoffs(g, 0.0);
    }
    try {
        return pair_cutoffs::parse(*text, sp.names());
    } catch (const materia::invalid_argument& e) {
        throw usage_error(args.command() + ": --cutoff: " + e.what());
    }
}

inline int threads_of(const arguments& args) {
    const long long t = args.integer("threads").value_or(0);
    if (t < 0 || t > 4096) throw usage_error(args.command() + ": --threads must be between 0 and 4096");
    return static_cast<int>(t);
}

inline std::size_t positive(const arguments& args, const std::string& name, long long fallback, long long max) {
    const long long v = args.integer(name).value_or(fallback);
    if (v < 1 || v > max)
        throw usage_error(args.command() + ": --" + name + " must be between 1 and " + std::to_string(max) +
                          " (got " + std::to_string(v) + ")");
    return static_cast<std::size_t>(v);
}

}  // namespace adf_detail

/// The `adf` CSV table of a result (reused by `materia report`).  `center` empty: all species.
inline csv_table make_adf_table(const adf_result& res, const std::string& input, const std::string& center,
                                bool cos_columns, bool count_columns, bool triplet_columns) {
    const std::size_t s = res.n_species();
    std::size_t only = s;
    if (!center.empty()) {
        const auto it = std::find(res.species.begin(), res.species.end(), center);
        if (it == res.species.end()) throw usage_error("adf: --center " + center + " is not a species of the input");
        only = static_cast<std::size_t>(it - res.species.begin());
    }
    csv_table t;
    standard_meta(t, "adf", input);
    t.meta("frames", std::to_string(res.frames));
    t.meta("bins", std::to_string(res.theta.size()));
    t.meta("bin_width_deg", res.width);
    t.meta("angles", std::to_string(only == s ? res.angles : res.angles_center[only]));
    t.meta("angles_per_centre", res.angles_per_centre(only));
    if (only != s) t.meta("center", center);
    t.meta("units", "theta in degrees; p in 1/degree; p_cos dimensionless (density in cos theta)");
    t.meta("conventions", res.conventions());
    std::vector<std::string> h{"theta", "p"};
    for (std::size_t c = 0; c < s; ++c)
        if (only == s || c == only) h.push_back("p:" + res.species[c]);
    if (cos_columns) {
        h.push_back("p_cos");
        for (std::size_t c = 0; c < s; ++c)
            if (only == s || c == only) h.push_back("p_cos:" + res.species[c]);
    }
    if (count_columns) {
        h.push_back("count");
        for (std::size_t c = 0; c < s; ++c)
            if (only == s || c == only) h.push_back("count:" + res.species[c]);
    }
    std::vector<std::size_t> trip;
    if (triplet_columns)
        for (std::size_t c = 0; c < s; ++c)
            if (only == s || c == only)
                for (std::size_t a = 0; a < s; ++a)
                    for (std::size_t b = a; b < s; ++b) {
                        trip.push_back(res.triplet_index(c, a, b));
                        h.push_back("p:" + res.triplet_name(c, a, b));
                    }
    t.header(h);
    for (std::size_t k = 0; k < res.theta.size(); ++k) {
        std::vector<double> row{res.theta[k], only == s ? res.p[k] : res.p_center[only][k]};
        for (std::size_t c = 0; c < s; ++c)
            if (only == s || c == only) row.push_back(res.p_center[c][k]);
        if (cos_columns) {
            row.push_back(only == s ? res.p_cos[k] : res.p_cos_center[only][k]);
            for (std::size_t c = 0; c < s; ++c)
                if (only == s || c == only) row.push_back(res.p_cos_center[c][k]);
        }
        if (count_columns) {
            row.push_back(static_cast<double>(only == s ? res.counts[k] : res.counts_center[only][k]));
            for (std::size_t c = 0; c < s; ++c)
                if (only == s || c == only) row.push_back(static_cast<double>(res.counts_center[c][k]));
        }
        for (auto ti : trip) row.push_back(res.p_triplet[ti][k]);
        t.row_numbers(row);
    }
    return t;
}

/// The `coordination` CSV table (reused by `materia report`): one row per (species, neighbour),
/// neighbour "all" last for each species; columns n0..n<max_n>.
inline csv_table make_coordination_table(const coordination_result& res, const std::string& input, std::size_t max_n) {
    const std::size_t s = res.n_species();
    csv_table t;
    standard_meta(t, "coordination", input);
    t.meta("frames", std::to_string(res.frames));
    t.meta("conventions", "mean = bonds to neighbour species per atom of species (exact); nK = fraction of atoms of "
                          "species with exactly K bonded neighbours; bonds r < cutoff, all periodic images");
    std::vector<std::string> h{"species", "neighbour", "mean"};
    for (std::size_t n = 0; n <= max_n; ++n) h.push_back("n" + std::to_string(n));
    t.header(h);
    for (std::size_t a = 0; a < s; ++a)
        for (std::size_t b = 0; b <= s; ++b) {
            std::vector<std::string> row{res.species[a], b == s ? "all" : res.species[b], fmt(res.mean[res.index(a, b)])};
            for (std::size_t n = 0; n <= max_n; ++n) row.push_back(fmt(res.fraction_at(a, b, n)));
            t.row(row);
        }
    return t;
}

inline command make_adf_command() {
    command c;
    c.name = "adf";
    c.summary = "bond-angle distribution p(theta) per centre species (optionally cos-theta density, ALTBC map)";
    c.usage = "materia adf INPUT --cutoff R|A-B=R,...|auto [--bins N] [--center A] [options]";
    c.options = structure_options();
    c.options.push_back({"cutoff", "R|A-B=R,...|auto",
                         "bond cutoffs in Angstrom: one for all pairs, per unordered species pair (others unbonded), "
                         "or auto = first minima of the partial g(r) of the first frame"});
    c.options.push_back({"bins", "N", "bins on [0, 180] degrees (default 180)"});
    c.options.push_back({"center", "A", "only angles centred on species A (p is then their density)"});
    c.options.push_back({"cos", "", "add p_cos columns: density in cos(theta) (sin-corrected; random = 0.5)"});
    c.options.push_back({"counts", "", "add raw angle counts per bin (count, count:A)"});
    c.options.push_back({"triplets", "", "add p:A-C-B columns per neighbour-species pair (C the centre)"});
    c.options.push_back({"altbc", "FILE", "also write the ALTBC (Peierls distortion) map as CSV to FILE"});
    c.options.push_back({"altbc-rmax", "R", "ALTBC upper bond length, Angstrom (default: the largest cutoff + 1)"});
    c.options.push_back({"altbc-rmin", "R", "ALTBC lower bond length, Angstrom (default 0)"});
    c.options.push_back({"altbc-bins", "N", "ALTBC bins per axis (default 100)"});
    c.options.push_back({"altbc-window", "DEG", "ALTBC angle window: theta >= 180 - DEG (default 25)"});
    c.run = [](const arguments& args) {
        const std::string& input = args.single_input();
        adf_params prm;
        prm.bins = adf_detail::positive(args, "bins", 180, 10000000);
        prm.threads = adf_detail::threads_of(args);
        const std::string center = args.get_or("center", "");
        const bool want_altbc = args.has("altbc");
        altbc_params ap;
        ap.bins = adf_detail::positive(args, "altbc-bins", 100, 4096);
        ap.r_min = args.number_or("altbc-rmin", 0.0);
        ap.angle_window = args.number_or("altbc-window", 25.0);
        ap.threads = prm.threads;
        if (!(ap.angle_window > 0 && ap.angle_window <= 180))
            throw usage_error("adf: --altbc-window must be in (0, 180] degrees");
        const auto opts = read_options_from(args);
        const auto sel = frame_selection_from(args);
        std::optional<adf_accumulator> acc;
        std::optional<altbc_accumulator> alt;
        pair_cutoffs cut, list_cut;
        std::size_t atoms = 0;
        io::for_each_frame(input, opts, sel, [&](const frame& f) {
            const auto sp = f.species_indices();
            if (!acc) {
                cut = adf_detail::resolve_cutoffs(args, f, sp);
                acc.emplace(prm, sp.names(), cut);
                list_cut = cut;
                if (want_altbc) {
                    ap.r_max = args.number_or("altbc-rmax", cut.max() + 1.0);
                    if (!(ap.r_max > ap.r_min && ap.r_min >= 0))
                        throw usage_error("adf: --altbc-rmax must exceed --altbc-rmin >= 0");
                    alt.emplace(ap, sp.names());
                    list_cut = pair_cutoffs(sp.n_species(), std::max(cut.max(), ap.r_max));
                }
            }
            if (sp.names() != acc->species())
                throw input_error(input + ": frame " + std::to_string(f.index) + " has different species");
            // one neighbour list per frame, shared by the ADF (filtered to its cutoffs) and the ALTBC map
            const auto nl = neighbor_list::build(f.positions, sp, f.cell, list_cut, prm.threads);
            acc->accumulate(nl, sp);
            if (alt) alt->accumulate(nl, sp, f.cell);
            atoms = f.size();
        });
        if (!acc) throw input_error(input + ": no frames selected");
        const auto res = acc->result();
        auto t = make_adf_table(res, input, center, args.has("cos"), args.has("counts"), args.has("triplets"));
        t.meta("atoms", std::to_string(atoms));
        t.meta("cutoffs", cut.describe(res.species));
        if (alt) {
            const auto ar = alt->result();
            csv_table m;
            standard_meta(m, "adf --altbc", input);
            m.meta("frames", std::to_string(ar.frames));
            m.meta("triplets", std::to_string(ar.triplets));
            m.meta("angle_window_deg", ar.angle_window);
            m.meta("conventions", "r1, r2: bin centres (Angstrom) of the two bonds of triplets with theta >= 180 - window; "
                                  "count symmetrised (both orders), count_sorted (r1 short, r2 long), g = count / "
                                  "ideal-gas expectation (1 = uncorrelated), density = count / (sum count * dr^2)");
            m.header({"r1", "r2", "count", "count_sorted", "g", "g_sorted", "density"});
            for (std::size_t i = 0; i < ar.bins; ++i)
                for (std::size_t j = 0; j < ar.bins; ++j) {
                    const auto k = ar.at(i, j);
                    m.row_numbers({ar.r[i], ar.r[j], static_cast<double>(ar.counts[k]),
                                   static_cast<double>(ar.counts_sorted[k]), ar.normalised ? ar.g[k] : 0.0,
                                   ar.normalised ? ar.g_sorted[k] : 0.0, ar.density[k]});
                }
            std::ofstream os(*args.get("altbc"), std::ios::binary);
            if (!os) throw input_error("adf: cannot open --altbc file '" + *args.get("altbc") + "' for writing");
            os << m.str();
            if (!os) throw input_error("adf: failed writing '" + *args.get("altbc") + "'");
        }
        emit(t, args);
        return 0;
    };
    return c;
}

inline command make_coordination_command() {
    command c;
    c.name = "coordination";
    c.summary = "coordination numbers per species and neighbour species: mean and histogram (and atomic-H fraction)";
    c.usage = "materia coordination INPUT --cutoff R|A-B=R,...|auto [--max-n M] [options]";
    c.options = structure_options();
    c.options.push_back({"cutoff", "R|A-B=R,...|auto",
                         "bond cutoffs in Angstrom: one for all pairs, per unordered species pair (others unbonded), "
                         "or auto = first minima of the partial g(r) of the first frame"});
    c.options.push_back({"max-n", "M", "last histogram column nM (default 12)"});
    c.options.push_back({"h-threshold", "R",
                         "atomic-H threshold, Angstrom (default 0.9): metadata atomic_H_fraction when H is present"});
    c.run = [](const arguments& args) {
        const std::string& input = args.single_input();
        const int threads = adf_detail::threads_of(args);
        const std::size_t max_n = adf_detail::positive(args, "max-n", 12, 1000);
        hydrogen_params hp;
        hp.threshold = args.number_or("h-threshold", 0.9);
        if (!(hp.threshold > 0)) throw usage_error("coordination: --h-threshold must be > 0");
        const auto opts = read_options_from(args);
        const auto sel = frame_selection_from(args);
        std::optional<coordination_accumulator> acc;
        hydrogen_accumulator hacc(hp);
        pair_cutoffs cut, list_cut;
        bool has_h = false;
        std::size_t atoms = 0;
        io::for_each_frame(input, opts, sel, [&](const frame& f) {
            const auto sp = f.species_indices();
            if (!acc) {
                cut = adf_detail::resolve_cutoffs(args, f, sp);
                acc.emplace(sp.names(), cut);
                acc->set_threads(threads);
                has_h = sp.contains("H");
                list_cut = cut;
                if (has_h) {  // one list serves both: widen H-H to cover the threshold
                    const auto h = sp.index_of("H");
                    list_cut.set(h, h, std::max(cut(h, h), hp.threshold * 1.001 + 1e-6));
                }
            }
            if (sp.names() != acc->species())
                throw input_error(input + ": frame " + std::to_string(f.index) + " has different species");
            const auto nl = neighbor_list::build(f.positions, sp, f.cell, list_cut, threads);
            acc->accumulate(nl, sp);
            if (has_h) hacc.accumulate(nl, sp, list_cut);
            atoms = f.size();
        });
        if (!acc) throw input_error(input + ": no frames selected");
        const auto res = acc->result();
        auto t = make_coordination_table(res, input, max_n);
        t.meta("atoms", std::to_string(atoms));
        t.meta("cutoffs", cut.describe(res.species));
        if (has_h) {
            const auto hr = hacc.result();
            t.meta("atomic_H_fraction", hr.fraction);
            t.meta("atomic_H_threshold", hr.threshold);
        }
        emit(t, args);
        return 0;
    };
    return c;
}

/// `adf` and `coordination`.
inline std::vector<command> make_adf_commands() { return {make_adf_command(), make_coordination_command()}; }

}  // namespace materia::cli
