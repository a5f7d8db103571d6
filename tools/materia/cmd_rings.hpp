// tools/materia/cmd_rings.hpp — `materia rings`: ring statistics of the bond network, exact under
// periodic boundaries, averaged over frames (CLI.md "materia rings").
//
// Bonds come from --cutoff (one radius or per species pair, strictly shorter bonds), rings from
// materia::find_rings with the chosen definition; the definition and every option are named in the
// metadata.  Rows: sizes 3..M (M = --max-size, inclusive).
#pragma once

#include "cli.hpp"
#include "structure_input.hpp"

#include <materia/io/reader.hpp>
#include <materia/neighbors/neighbor_list.hpp>
#include <materia/structure/bond_graph.hpp>
#include <materia/structure/rings.hpp>

#include <optional>
#include <string>
#include <vector>

namespace materia::cli {

inline command make_rings_command() {
    command c;
    c.name = "rings";
    c.summary =
        "ring statistics of the bond network (King, Franzblau shortest-path, Guttman, primitive or strong rings), "
        "exact under periodic boundaries: a closed path counts only if its lattice offsets sum to zero";
    c.usage = "materia rings INPUT --cutoff R|A-B=R,... [--max-size M] [--definition king|sp|guttman|primitive|strong] "
              "[options]";
    c.options = structure_options();
    c.options.push_back({"cutoff", "R|A-B=R,...", "bond cutoff in Angstrom, one radius or per species pair (required)"});
    c.options.push_back({"max-size", "M", "largest ring size searched, inclusive (default 10; 3..200)"});
    c.options.push_back({"definition", "DEF",
                         "king (default; R.I.N.G.S.), sp (Franzblau shortest path, as matscipy), guttman, primitive "
                         "(= sp: not a sum of two smaller rings), strong (not a sum of smaller rings)"});
    c.options.push_back({"abab", "", "only rings whose species alternate A-B-A-B (homopolar bonds ignored)"});
    c.options.push_back({"no-homopolar", "", "ignore bonds between atoms of the same species"});
    c.options.push_back({"initiating-species", "A",
                         "King/Guttman: rings initiated from atoms of species A only; sp/primitive/strong: rings "
                         "containing A; Rc, Pn, Pmax, Pmin normalised by the number of A atoms"});
    c.run = [](const arguments& args) {
        const std::string& input = args.single_input();
        const auto cut_text = args.get("cutoff");
        if (!cut_text) throw usage_error("rings: --cutoff R or --cutoff A-B=R,... is required");
        ring_options opt;
        const long long m = args.integer("max-size").value_or(10);
        if (m < 3 || m > 200) throw usage_error("rings: --max-size must be between 3 and 200 (got " + std::to_string(m) + ")");
        opt.max_size = static_cast<std::size_t>(m);
        const std::string def = args.get_or("definition", "king");
        try {
            opt.definition = parse_ring_definition(def);
        } catch (const materia::invalid_argument&) {
            throw usage_error("rings: --definition must be king, sp, guttman, primitive or strong (got '" + def + "')");
        }
        opt.abab = args.has("abab");
        opt.no_homopolar = args.has("no-homopolar");
        opt.initiating_species = args.get_or("initiating-species", "");
        const long long threads = args.integer("threads").value_or(0);
        if (threads < 0 || threads > 4096) throw usage_error("rings: --threads must be between 0 and 4096");
        opt.threads = static_cast<int>(threads);

        const auto ropts = read_options_from(args);
        const auto sel = frame_selection_from(args);
        ring_accumulator acc(opt);
        std::size_t atoms = 0;
        std::string cutoffs_used;
        double mean_degree = 0;
        double unclosed = 0;
        io::for_each_frame(input, ropts, sel, [&](const frame& f) {
            const auto sp = f.species_indices();
            pair_cutoffs cut;
            try {
                cut = pair_cutoffs::parse(*cut_text, sp.names());
            } catch (const materia::invalid_argument& e) {
                throw usage_error(std::string("rings: --cutoff: ") + e.what());
            }
            if (!opt.initiating_species.empty() && !sp.contains(opt.initiating_species))
                throw usage_error("rings: --initiating-species '" + opt.initiating_species +
                                  "' is not a species of the structure");
            const auto g = build_bond_graph(f.positions, sp, f.cell, cut, opt.threads);
            const auto r = find_rings(g, sp, opt);
            acc.accumulate(r);
            unclosed += static_cast<double>(r.unclosed);
            atoms = f.size();
            if (cutoffs_used.empty()) cutoffs_used = cut.describe(sp.names());
            mean_degree += g.mean_degree();
        });
        if (acc.n_frames() == 0) throw input_error(input + ": no frames selected");
        const auto res = acc.result();

        csv_table t;
        standard_meta(t, "rings", input);
        t.meta("frames", std::to_string(res.frames));
        t.meta("atoms", std::to_string(atoms));
        t.meta("definition", std::string(to_string(opt.definition)));
        t.meta("max_size", std::to_string(opt.max_size) + " (inclusive)");
        t.meta("cutoffs", cutoffs_used + " (bond if d < cutoff)");
        t.meta("mean_coordination", mean_degree / static_cast<double>(res.frames));
        t.meta("abab", opt.abab ? "yes" : "no");
        t.meta("no_homopolar", opt.no_homopolar ? "yes" : "no");
        t.meta("initiating_species", opt.initiating_species.empty() ? "all" : opt.initiating_species);
        t.meta("initiating_atoms", res.mean_initiating);
        if (opt.definition == ring_definition::king || opt.definition == ring_definition::guttman)
            t.meta(opt.definition == ring_definition::king ? "unclosed_angles" : "unclosed_bonds",
                   fmt(unclosed / static_cast<double>(res.frames)) +
                       " per frame (no ring up to max_size through them: larger rings may be missed)");
        t.meta("conventions",
               "periodic net (atom, image): rings have zero net lattice offset; distinct rings counted once "
               "(canonical atom+image sequence); count = rings per frame (mean over frames), count_std = sample "
               "std over frames; per_atom = count/N; p_n = fraction of (initiating) atoms in >= 1 ring of that "
               "size; rc = rings / initiating atoms; p_max, p_min = fraction of initiating atoms whose largest / "
               "smallest ring has that size (R.I.N.G.S.)");
        t.header({"size", "count", "per_atom", "p_n", "count_std", "rc", "p_max", "p_min"});
        for (std::size_t s = 3; s <= opt.max_size; ++s)
            t.row_numbers({static_cast<double>(s), res.count[s], res.per_atom[s], res.pn[s], res.count_std[s], res.rc[s],
                           res.pmax[s], res.pmin[s]});
        emit(t, args);
        return 0;
    };
    return c;
}

}  // namespace materia::cli
