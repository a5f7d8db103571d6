// tools/materia/cmd_hull.hpp — `materia hull ENTRIES.csv [--threshold E]`: formation energy,
// energy above the convex hull, stability and decomposition of every entry (../shared/CLI.md).
//
// Input: CSV with header name,formula,energy (energy in eV/atom); elements present as pure
// entries give the references (or --reference Y=-6.4,H=-3.4); 1 to 6 components.  Output columns:
// name, formula, e_form, e_above_hull, stable, decomposition.  A missing elemental reference is
// bad input (exit 3, the message names the element).  --stream reads the file twice and keeps
// only one entry per composition in memory (for inputs larger than memory).
#pragma once

#include "cli.hpp"

#include <materia/core/parallel.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace materia::cli {

namespace hull_detail {

inline void append_number(std::string& s, double x) {
    char buf[40];
    const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 12);
    s.append(buf, r.ptr);
}

inline std::string header_text(const std::string& input, const materia::phase::phase_diagram& pd, std::size_t rows) {
    std::string h;
    h += "# materia: " + std::string(materia::version_string) + "\n";
    h += "# command: hull\n";
    h += "# input: " + input + "\n";
    std::string els;
    for (const auto& e : pd.elements()) els += (els.empty() ? "" : " ") + e;
    h += "# elements: " + els + "\n";
    std::string refs;
    for (const double r : pd.reference_energies()) {
        if (!refs.empty()) refs += ' ';
        append_number(refs, r);
    }
    h += "# reference_energies_eV_per_atom: " + refs + "\n";
    if (rows != static_cast<std::size_t>(-1)) h += "# entries: " + std::to_string(rows) + "\n";
    h += "# stable_phases: " + std::to_string(pd.stable_entries().size()) + "\n";
    h += "# facets: " + std::to_string(pd.facet_count()) + "\n";
    h += "name,formula,e_form,e_above_hull,stable,decomposition\n";
    return h;
}

inline std::vector<std::pair<std::string, double>> parse_references(const std::string& text) {
    std::vector<std::pair<std::string, double>> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        const auto eq = item.find('=');
        double v = 0;
        if (eq == std::string::npos || materia::phase::element_number(item.substr(0, eq)) == 0)
            throw usage_error("hull: --reference expects SYMBOL=ENERGY[,SYMBOL=ENERGY...] (got '" + item + "')");
        const std::string num = item.substr(eq + 1);
        const auto r = std::from_chars(num.data(), num.data() + num.size(), v);
        if (r.ec != std::errc() || r.ptr != num.data() + num.size())
            throw usage_error("hull: --reference energy of " + item.substr(0, eq) + " must be a number (got '" + num + "')");
        out.emplace_back(item.substr(0, eq), v);
    }
    return out;
}

}  // namespace hull_detail

/// The `hull` subcommand.
inline command make_hull_command() {
    command c;
    c.name = "hull";
    c.summary =
        "Formation energy, energy above the convex hull, stability and decomposition of every entry.\n"
        "Input CSV header name,formula,energy (energy in eV/atom; formula like Y2ThH24); pure-element\n"
        "entries give the references (lowest one per element). 1 to 6 components.\n"
        "Columns: name, formula, e_form (eV/atom), e_above_hull (eV/atom, >= 0, 0 for hull vertices),\n"
        "stable (1/0), decomposition (e.g. '0.25 YH6 + 0.75 ThH10', fractions per atom).";
    c.usage = "materia hull ENTRIES.csv [--threshold E] [options]";
    c.options = {
        {"threshold", "E", "print only rows with e_above_hull <= E (eV/atom)"},
        {"stable-tol", "E", "stable <=> e_above_hull <= E (eV/atom, default 1e-8)"},
        {"reference", "A=E,B=E", "elemental reference energies in eV/atom (e.g. enthalpies at the same pressure)"},
        {"stream", "", "two passes over the file, memory only for distinct compositions"},
        {"timing", "", "add metadata lines with the time of each stage and the query rate"},
        {"threads", "N", "worker threads (default: all cores)"},
        {"out", "FILE", "write the CSV to FILE instead of stdout"},
    };
    c.run = [](const arguments& args) -> int {
        const std::string& input = args.single_input();
        materia::phase::hull_options opt;
        if (auto t = args.number("stable-tol")) {
            if (*t < 0) throw usage_error("hull: --stable-tol must be >= 0 (got " + fmt(*t) + ")");
            opt.stable_tolerance = *t;
        }
        if (auto r = args.get("reference")) opt.references = hull_detail::parse_references(*r);
        if (auto th = args.integer("threads")) {
            if (*th < 1) throw usage_error("hull: --threads must be >= 1");
            opt.threads = static_cast<int>(*th);
        }
        const double threshold = args.number_or("threshold", std::numeric_limits<double>::infinity());
        if (args.has("stream")) {
            // Everything is validated in pass 1, before the first byte is written.
            std::ofstream file;
            std::ostream* os = &std::cout;
            if (auto out = args.get("out")) {
                file.open(*out, std::ios::binary);
                if (!file) throw input_error("hull: cannot open --out file '" + *out + "' for writing");
                os = &file;
            }
            materia::phase::stream_hull_csv(input, *os, opt, threshold, [&](const materia::phase::phase_diagram& pd) {
                *os << hull_detail::header_text(input, pd, static_cast<std::size_t>(-1));
            });
            os->flush();
            return 0;
        }
        using clock = std::chrono::steady_clock;
        const auto t0 = clock::now();
        auto table = materia::phase::read_entries_csv_file(input, opt.threads);
        const auto t1 = clock::now();
        std::vector<double> amounts, energies;  // kept only for the --timing query pass
        if (args.has("timing")) {
            amounts = table.amounts;
            energies = table.energies;
        }
        const auto pd = materia::phase::make_phase_diagram(std::move(table), opt);
        const auto t2 = clock::now();
        const std::size_t n = pd.size();
        const int threads = materia::resolve_threads(opt.threads);
        std::vector<std::string> parts(static_cast<std::size_t>(materia::chunk_count(threads)));
        materia::parallel_chunks(n, threads, [&](int t, std::size_t b, std::size_t e) {
            std::string& s = parts[static_cast<std::size_t>(t)];
            s.reserve((e - b) * 64);
            for (std::size_t i = b; i < e; ++i) {
                const double eh = pd.e_above_hull(i);
                if (!(eh <= threshold)) continue;
                s += pd.name(i);
                s += ',';
                s += table.formulas[i];
                s += ',';
                hull_detail::append_number(s, pd.formation_energy(i));
                s += ',';
                hull_detail::append_number(s, eh);
                s += pd.is_stable(i) ? ",1," : ",0,";
                pd.append_decomposition(s, i);
                s += '\n';
            }
        });
        const auto t3 = clock::now();
        std::string text = hull_detail::header_text(input, pd, n);
        if (args.has("timing")) {
            // A second pass of pure queries (composition -> e_above_hull) over every entry.
            std::vector<double> eh(n);
            const auto q0 = clock::now();
            pd.e_above_hull_batch(amounts, energies, eh);
            const auto q1 = clock::now();
            auto sec = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
            std::string t = "# time_read_s: " + fmt(sec(t0, t1)) + "\n# time_build_and_evaluate_s: " + fmt(sec(t1, t2)) +
                            "\n# time_format_s: " + fmt(sec(t2, t3)) + "\n# query_rate_per_s: " +
                            fmt(static_cast<double>(n) / std::max(sec(q0, q1), 1e-9)) + "\n";
            text.insert(text.find("name,formula,e_form"), t);
        }
        std::size_t total = text.size();
        for (const auto& p : parts) total += p.size();
        text.reserve(total);
        for (const auto& p : parts) text += p;
        if (auto out = args.get("out")) {
            std::ofstream f(*out, std::ios::binary);
            if (!f) throw input_error("hull: cannot open --out file '" + *out + "' for writing");
            f << text;
            if (!f) throw input_error("hull: failed writing '" + *out + "'");
        } else {
            std::cout << text;
            std::cout.flush();
        }
        return 0;
    };
    return c;
}

}  // namespace materia::cli
