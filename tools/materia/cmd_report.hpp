// tools/materia/cmd_report.hpp — `materia report`: the demo.  One run over a structure (or a
// trajectory) that writes g(r), G(r), S(q), bond angles, coordination and rings as CSV files and
// PNG figures into --outdir, and prints a short summary (CLI.md "materia report").
//
// Defaults are chosen from the structure itself and stated in the output:
//  * g(r) on [0, r_max), r_max = min(10 Å, half the smallest perpendicular width), Δr from 0.05 Å
//    (small cells, where finer bins are noise) down to 0.01 Å (≥ 125,000 atoms);
//  * bond cutoffs at the first minimum of each partial g(r) (smoothed; pairs without a clear
//    minimum get no bond), unless --cutoff is given;
//  * S(q) from g(r) by the sine transform with the Lorch window, q in [0.3, 15] Å⁻¹;
//  * bond angles in 1° bins; coordination histograms; King rings up to 10 members.
// One neighbour list per frame (with the bond cutoffs) feeds angles, coordination and rings.
#pragma once

#include "cli.hpp"
#include "cmd_adf.hpp"
#include "cmd_rdf.hpp"
#include "plot.hpp"
#include "structure_input.hpp"

#include <materia/io/reader.hpp>
#include <materia/neighbors/neighbor_list.hpp>
#include <materia/structure/bond_angles.hpp>
#include <materia/structure/coordination.hpp>
#include <materia/structure/rdf.hpp>
#include <materia/structure/rdf_analysis.hpp>
#include <materia/structure/rings.hpp>
#include <materia/structure/structure_factor.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

namespace materia::cli {

namespace report_detail {

inline void write_file(const std::filesystem::path& p, const std::string& text) {
    std::ofstream f(p, std::ios::binary);
    if (!f) throw input_error("report: cannot write " + p.string());
    f << text;
    if (!f) throw input_error("report: failed writing " + p.string());
}

inline std::string fixed(double x, int digits) {
    std::ostringstream os;
    os.setf(std::ios::fixed);
    os.precision(digits);
    os << x;
    return os.str();
}

}  // namespace report_detail

inline command make_report_command() {
    command c;
    c.name = "report";
    c.summary = "the demo: g(r), G(r), S(q), bond angles, coordination and rings with defaults from the structure; "
                "CSV + PNG per analysis and a summary";
    c.usage = "materia report INPUT [--outdir DIR] [--cutoff R|A-B=R,...] [--rmax R] [--max-size M] [options]";
    c.options = structure_options();
    c.options.push_back({"outdir", "DIR", "where the CSV, PNG and summary files go (default: report)"});
    c.options.push_back({"rmax", "R", "g(r) range in Angstrom (default: min(10, half the smallest cell width))"});
    c.options.push_back({"cutoff", "R|A-B=R,...", "bond cutoffs (default: first minima of the partial g(r))"});
    c.options.push_back({"max-size", "M", "largest ring size, inclusive (default 10)"});
    c.options.push_back({"qmax", "Q", "largest q of S(q), 1/Angstrom (default 15)"});
    c.run = [](const arguments& args) {
        namespace fs = std::filesystem;
        using report_detail::fixed;
        const std::string& input = args.single_input();
        const fs::path outdir = args.get_or("outdir", "report");
        const auto ropts = read_options_from(args);
        const auto sel = frame_selection_from(args);
        const int threads = static_cast<int>(args.integer("threads").value_or(0));
        if (threads < 0) throw usage_error("report: --threads must be >= 0");
        const long long max_size = args.integer("max-size").value_or(10);
        if (max_size < 3 || max_size > 200) throw usage_error("report: --max-size must be between 3 and 200");
        const double qmax = args.number_or("qmax", 15.0);
        if (!(qmax > 0.5)) throw usage_error("report: --qmax must be > 0.5");

        // ---- pass 1: g(r) over all selected frames ----
        std::optional<rdf_accumulator> rdf_acc;
        rdf_params rprm;
        rprm.threads = threads;
        std::size_t atoms = 0;
        io::for_each_frame(input, ropts, sel, [&](const frame& f) {
            const auto sp = f.species_indices();
            if (!rdf_acc) {
                if (!f.cell.fully_periodic())
                    throw input_error(input + ": report needs a periodic cell (g(r), S(q) and rings are per volume)");
                const auto w = f.cell.perpendicular_widths();
                const double half = 0.5 * std::min({w[0], w[1], w[2]});
                rprm.r_max = args.number_or("rmax", std::min(10.0, half));
                if (!(rprm.r_max > 0)) throw usage_error("report: --rmax must be > 0");
                // bin width from the atom count: 0.05 Å for small cells (noise), down to 0.01 Å
                const double dr = std::clamp(0.05 * std::sqrt(5000.0 / static_cast<double>(std::max<std::size_t>(f.size(), 1))),
                                             0.01, 0.05);
                rprm.bins = std::max<std::size_t>(10, static_cast<std::size_t>(std::lround(rprm.r_max / dr)));
                rdf_acc.emplace(rprm, sp.names());
            }
            rdf_acc->accumulate(f.positions, sp, f.cell);
            atoms = f.size();
        });
        if (!rdf_acc) throw input_error(input + ": no frames selected");
        const auto gr = rdf_acc->result();
        const auto& names = gr.species;
        const std::size_t S = names.size();

        // ---- bond cutoffs ----
        pair_cutoffs cut;
        std::string cut_source;
        if (const auto text = args.get("cutoff")) {
            try {
                cut = pair_cutoffs::parse(*text, names);
            } catch (const materia::invalid_argument& e) {
                throw usage_error(std::string("report: --cutoff: ") + e.what());
            }
            cut_source = "given by --cutoff";
        } else {
            cut = first_minimum_cutoffs(gr, 0.0);
            cut_source = "first minima of the partial g(r), Gaussian-smoothed with sigma 1.5 bins";
        }
        const std::string cut_text = cut.describe(names);

        // ---- pass 2: one neighbour list per frame -> angles, coordination, rings ----
        adf_accumulator adf_acc(adf_params{180, threads}, names, cut);
        coordination_accumulator co_acc(names, cut);
        ring_options ropt;
        ropt.max_size = static_cast<std::size_t>(max_size);
        ropt.threads = threads;
        ring_accumulator ring_acc(ropt);
        const bool any_bond = cut.max() > 0;
        if (any_bond) {
            io::for_each_frame(input, ropts, sel, [&](const frame& f) {
                const auto sp = f.species_indices();
                // cutoffs are in the accumulator's species order; a frame may hold fewer species
                pair_cutoffs fc(sp.n_species(), 0.0);
                for (std::size_t a = 0; a < sp.n_species(); ++a)
                    for (std::size_t b = 0; b < sp.n_species(); ++b) {
                        const auto ia = static_cast<std::size_t>(std::find(names.begin(), names.end(), sp.name(a)) - names.begin());
                        const auto ib = static_cast<std::size_t>(std::find(names.begin(), names.end(), sp.name(b)) - names.begin());
                        fc.set(a, b, cut(ia, ib));
                    }
                const auto nl = neighbor_list::build(f.positions, sp, f.cell, fc, threads);
                adf_acc.accumulate(nl, sp);
                co_acc.accumulate(nl, sp);
                ring_acc.accumulate(find_rings(bond_graph::from_neighbor_list(nl), sp, ropt));
            });
        }

        // ---- S(q) from g(r) ----
        std::vector<double> q;
        for (double x = 0.3; x <= qmax + 1e-12; x += 0.02) q.push_back(x);
        const auto sq = sq_from_rdf(gr, q, sq_weighting::number, sq_window::lorch);

        // ---- files ----
        std::error_code ec;
        fs::create_directories(outdir, ec);
        if (ec) throw input_error("report: cannot create --outdir " + outdir.string() + ": " + ec.message());
        auto path = [&](const std::string& name) { return (outdir / name).string(); };

        auto rdf_csv = rdf_table(gr, rprm, input, atoms, false);
        rdf_csv.meta("report_note", "cutoffs for the other analyses: " + cut_text + " (" + cut_source + ")");
        report_detail::write_file(path("rdf.csv"), rdf_csv.str());

        csv_table sq_csv;
        standard_meta(sq_csv, "report: sq (fourier from g(r))", input);
        sq_csv.meta("density", gr.density);
        sq_csv.meta("rmax", rprm.r_max);
        sq_csv.meta("window", "lorch (real space)");
        sq_csv.meta("weighting", "number (Faber-Ziman partials)");
        {
            std::vector<std::string> h{"q", "S"};
            for (std::size_t a = 0; a < S; ++a)
                for (std::size_t b = a; b < S; ++b) h.push_back("S:" + names[a] + "-" + names[b]);
            sq_csv.header(h);
            for (std::size_t k = 0; k < q.size(); ++k) {
                std::vector<double> row{q[k], sq.s[k]};
                for (const auto& part : sq.partials.s) row.push_back(part[k]);
                sq_csv.row_numbers(row);
            }
        }
        report_detail::write_file(path("sq.csv"), sq_csv.str());

        std::optional<adf_result> adf_res;
        std::optional<coordination_result> co_res;
        std::optional<ring_summary> ring_res;
        if (any_bond) {
            adf_res = adf_acc.result();
            auto at = make_adf_table(*adf_res, input, "", false, false, false);
            at.meta("cutoffs", cut_text + " (" + cut_source + ")");
            report_detail::write_file(path("adf.csv"), at.str());
            co_res = co_acc.result();
            auto ct = make_coordination_table(*co_res, input, 12);
            ct.meta("cutoffs", cut_text + " (" + cut_source + ")");
            report_detail::write_file(path("coordination.csv"), ct.str());
            ring_res = ring_acc.result();
            csv_table rt;
            standard_meta(rt, "report: rings", input);
            rt.meta("definition", "king (R.I.N.G.S. default)");
            rt.meta("max_size", std::to_string(max_size) + " (inclusive)");
            rt.meta("cutoffs", cut_text + " (" + cut_source + ")");
            rt.header({"size", "count", "per_atom", "p_n"});
            for (std::size_t s = 3; s <= ropt.max_size; ++s)
                rt.row_numbers({static_cast<double>(s), ring_res->count[s], ring_res->per_atom[s], ring_res->pn[s]});
            report_detail::write_file(path("rings.csv"), rt.str());
        }

        // ---- figures ----
        std::vector<std::string> made;
        auto figure = [&](const plot_spec& spec, const std::string& png) {
            if (render_png(spec, path(png))) made.push_back(png);
        };
        {
            plot_spec p{"Pair distribution function", "r (Å)", "g(r)", path("rdf.csv"), 1, {}, "", "", ""};
            std::size_t col = 4;
            for (std::size_t a = 0; a < S; ++a)
                for (std::size_t b = a; b < S; ++b, ++col)
                    if (S > 1) p.series.push_back({col, names[a] + "–" + names[b], "lines", 0, "", 1.5});
            p.series.push_back({2, "total", "lines", 0, "black", 2.5});
            p.extra = "set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb \"#888888\"";
            figure(p, "rdf.png");
            plot_spec G{"Reduced pair distribution function", "r (Å)", "G(r) = 4πrρ[g(r) − 1]  (Å^{−2})",
                        path("rdf.csv"), 1, {{3, "G(r)", "lines"}}, "", "", ""};
            G.extra = "set arrow from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb \"#888888\"";
            figure(G, "G.png");
            plot_spec Sq{"Structure factor (Fourier transform of g(r), Lorch window)", "q (Å^{−1})", "S(q)",
                         path("sq.csv"), 1, {{2, "total (number-weighted)", "lines"}}, "", "", ""};
            col = 3;
            Sq.series.clear();
            for (std::size_t a = 0; a < S; ++a)
                for (std::size_t b = a; b < S; ++b, ++col)
                    if (S > 1) Sq.series.push_back({col, names[a] + "–" + names[b] + " (Faber–Ziman)", "lines", 0, "", 1.5});
            Sq.series.push_back({2, "total (number-weighted)", "lines", 0, "black", 2.5});
            Sq.extra = "set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb \"#888888\"";
            figure(Sq, "sq.png");
        }
        if (adf_res) {
            plot_spec p{"Bond-angle distribution", "θ (degrees)", "p(θ) (1/degree)", path("adf.csv"), 1,
                        {{2, "all centres", "lines"}}, "[0:180]", "", "set xtics 0,30,180"};
            for (std::size_t a = 0; a < S && S > 1; ++a) p.series.push_back({3 + a, "centre " + names[a], "lines"});
            figure(p, "adf.png");
            // coordination: bars of the fractions n0..n12 of the "all" rows, one series per species
            csv_table bars;
            standard_meta(bars, "report: coordination histogram (plot data)", input);
            std::vector<std::string> h{"n"};
            for (const auto& nm : names) h.push_back(nm);
            bars.header(h);
            for (std::size_t n = 0; n <= 12; ++n) {
                std::vector<double> row{static_cast<double>(n)};
                for (std::size_t a = 0; a < S; ++a) row.push_back(co_res->fraction_at(a, S, n));
                bars.row_numbers(row);
            }
            report_detail::write_file(path("coordination_histogram.csv"), bars.str());
            plot_spec cp{"Coordination numbers", "bonded neighbours", "fraction of atoms",
                         path("coordination_histogram.csv"), 1, {}, "[-0.5:12.5]", "[0:*]",
                         "set xtics 0,1,12\nset boxwidth " + fixed(0.8 / static_cast<double>(S), 3)};
            const double bw = 0.8 / static_cast<double>(S);
            for (std::size_t a = 0; a < S; ++a)
                cp.series.push_back({2 + a, names[a], "boxes", bw * (static_cast<double>(a) - 0.5 * static_cast<double>(S - 1))});
            figure(cp, "coordination.png");
            plot_spec rp{"Ring statistics (King's criterion)", "ring size (atoms)", "rings per atom", path("rings.csv"),
                         1, {{3, "rings per atom", "boxes"}}, "[2.5:" + std::to_string(max_size) + ".5]", "[0:*]",
                         "set xtics 3,1," + std::to_string(max_size) + "\nset boxwidth 0.7"};
            figure(rp, "rings.png");
        }

        // ---- summary ----
        std::ostringstream sum;
        sum << "materia report: " << input << "\n";
        sum << "  atoms " << atoms << ", frames " << gr.frames << ", species";
        for (std::size_t a = 0; a < S; ++a) sum << ' ' << names[a] << " (" << fixed(gr.mean_species_count[a], 0) << ")";
        sum << "\n  number density " << fixed(gr.density, 5) << " atoms/Å³, volume " << fixed(gr.mean_volume, 2) << " Å³\n";
        sum << "  g(r) to " << fixed(rprm.r_max, 2) << " Å in " << rprm.bins << " bins; bond cutoffs " << cut_text << " ("
            << cut_source << ")\n";
        for (std::size_t a = 0; a < S; ++a)
            for (std::size_t b = a; b < S; ++b) {
                const auto& g = gr.g_partial[gr.pair_index(a, b)];
                if (std::all_of(g.begin(), g.end(), [](double x) { return x == 0; })) continue;
                const auto pk = first_peak(gr.r, g);
                sum << "  " << names[a] << "–" << names[b] << ": first peak " << fixed(pk.r, 3) << " Å (g = " << fixed(pk.value, 2)
                    << ")";
                const double rc = cut(a, b);
                if (rc > 0)
                    sum << ", coordination " << names[a] << " by " << names[b] << " " << fixed(coordination_at(gr, a, b, rc), 3)
                        << " within " << fixed(rc, 3) << " Å";
                sum << "\n";
            }
        {
            const auto k = static_cast<std::size_t>(std::max_element(sq.s.begin(), sq.s.end()) - sq.s.begin());
            sum << "  S(q) principal peak at q = " << fixed(q[k], 2) << " Å⁻¹ (S = " << fixed(sq.s[k], 2) << ")\n";
        }
        if (adf_res && adf_res->angles > 0) {
            double mean = 0;
            for (std::size_t k = 0; k < adf_res->theta.size(); ++k)
                mean += adf_res->theta[k] * static_cast<double>(adf_res->counts[k]);
            mean /= static_cast<double>(adf_res->angles);
            const auto k = static_cast<std::size_t>(std::max_element(adf_res->p.begin(), adf_res->p.end()) - adf_res->p.begin());
            sum << "  bond angles: " << adf_res->angles << " angles over all frames, mean " << fixed(mean, 2) << "°, most frequent "
                << fixed(adf_res->theta[k], 1) << "°\n";
        }
        if (co_res)
            for (std::size_t a = 0; a < S; ++a) {
                sum << "  coordination of " << names[a] << ": mean " << fixed(co_res->mean[co_res->index(a, S)], 3);
                std::size_t best = 0;
                for (std::size_t n = 0; n <= 12; ++n)
                    if (co_res->fraction_at(a, S, n) > co_res->fraction_at(a, S, best)) best = n;
                sum << ", " << fixed(100 * co_res->fraction_at(a, S, best), 1) << " % are " << best << "-fold\n";
            }
        if (ring_res) {
            std::vector<std::size_t> order;
            for (std::size_t s = 3; s <= ropt.max_size; ++s) order.push_back(s);
            std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return ring_res->count[x] > ring_res->count[y]; });
            sum << "  rings (King, <= " << max_size << "):";
            for (std::size_t k = 0; k < std::min<std::size_t>(3, order.size()); ++k)
                if (ring_res->count[order[k]] > 0)
                    sum << ' ' << order[k] << "-rings " << fixed(ring_res->per_atom[order[k]], 3) << "/atom;";
            sum << "\n";
        }
        if (!any_bond) sum << "  no bond cutoffs (no clear first minimum): angles, coordination and rings skipped\n";
        sum << "  files in " << outdir.string() << ": rdf.csv sq.csv" << (any_bond ? " adf.csv coordination.csv rings.csv" : "");
        for (const auto& m : made) sum << ' ' << m;
        if (!gnuplot_available()) sum << "  (gnuplot not found: no PNG figures)";
        sum << "\n";
        report_detail::write_file(path("summary.txt"), sum.str());
        std::cout << sum.str();
        return 0;
    };
    return c;
}

}  // namespace materia::cli
