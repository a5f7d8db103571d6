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

#include <materia/core/mapped_file.hpp>
#include <materia/core/parallel.hpp>
#include <materia/phase/hull_csv.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace materia::cli {

namespace hull_detail {

/// The --out file (or stdout).  An existing regular file is overwritten in place and cut to the
/// new length at the end instead of being truncated when opened.  Why: truncating a file of
/// 10^8 bytes frees its cached pages one by one, and ext4 then flushes the rewritten file at
/// close (its protection for replace-by-truncate, auto_da_alloc): 40–100 ms on top of 15 ms of
/// writing, measured for a 120 MB output.  The file is opened only after the input has been
/// read and evaluated, so bad input leaves an existing output untouched, as before; a write
/// error (disk full) still cuts the file to the bytes written and is reported (exit 3).
class output_file {
public:
    explicit output_file(const std::optional<std::string>& path) {
        if (!path) {
            std::cout.flush();
            return;
        }
        m_fd = ::open(path->c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (m_fd < 0) throw input_error("hull: cannot open --out file '" + *path + "' for writing");
        struct stat st {};
        m_regular = ::fstat(m_fd, &st) == 0 && S_ISREG(st.st_mode);  // a FIFO or device: nothing to cut
    }
    output_file(const output_file&) = delete;
    output_file& operator=(const output_file&) = delete;
    ~output_file() {
        if (m_fd >= 0) (void)close();
    }
    /// Append `s`; false on a write error.
    bool write(std::string_view s) {
        if (m_fd < 0) return std::fwrite(s.data(), 1, s.size(), stdout) == s.size();
        while (!s.empty()) {
            const ssize_t w = ::write(m_fd, s.data(), s.size());
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) return false;
            s.remove_prefix(static_cast<std::size_t>(w));
            m_written += static_cast<std::size_t>(w);
        }
        return true;
    }
    /// Cut an overwritten file to what was written and close it; false on error.
    bool close() {
        if (m_fd < 0) return std::fflush(stdout) == 0;
        bool ok = true;
        if (m_regular) ok = ::ftruncate(m_fd, static_cast<off_t>(m_written)) == 0;
        ok = (::close(m_fd) == 0) && ok;
        m_fd = -1;
        return ok;
    }

private:
    int m_fd = -1;
    bool m_regular = false;
    std::size_t m_written = 0;
};

inline void append_number(std::string& s, double x) {
    char buf[40];
    s.append(buf, materia::to_chars_general(buf, buf + sizeof buf, x, 12));
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
        // Rows are written while the input is still being read from (views into the mapped file,
        // or --stream's second pass): opening the input itself for writing would truncate it
        // under the reader.
        if (auto out = args.get("out")) {
            std::error_code ec;
            if (std::filesystem::exists(*out, ec) && std::filesystem::equivalent(input, *out, ec))
                throw usage_error("hull: --out '" + *out + "' is the input file; write the result elsewhere");
        }
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
        // The file mapped (no copy); rows stay views into it (see phase/hull_csv.hpp).
        const materia::mapped_file file_text(input);
        const std::string_view data = file_text.text();
        const auto ta = clock::now();
        const materia::phase::csv_hull table(data, input, opt);
        const auto t1 = clock::now();
        const auto& pd = table.diagram();
        const std::size_t n = table.size();
        // Report, don't silently accept, energies that make no physical sense (RINGS_AND_HULLS H13).
        if (const auto bad = table.implausible_formation_energies(10.0); bad.count > 0)
            std::fprintf(stderr,
                         "hull: warning: %zu entries have formation energies beyond +-10 eV/atom (most extreme: '%.*s' "
                         "%.*s at %.6g eV/atom); check their energies and the elemental references "
                         "(# reference_energies_eV_per_atom in the output)\n",
                         bad.count, static_cast<int>(table.name(bad.worst).size()), table.name(bad.worst).data(),
                         static_cast<int>(table.formula(bad.worst).size()), table.formula(bad.worst).data(),
                         table.formation_energy(bad.worst));
        std::string head = hull_detail::header_text(input, pd, n);
        if (args.has("timing")) {
            // A second pass of pure queries (composition -> e_above_hull) over every row.
            const std::vector<double> x = table.fractions();
            const std::vector<double> en = table.energies();
            std::vector<double> eh(n);
            const auto q0 = clock::now();
            pd.e_above_hull_batch(x, en, eh);
            const auto q1 = clock::now();
            auto sec = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
            std::string t = "# time_read_s: " + fmt(sec(t0, ta)) + "\n# time_parse_build_and_evaluate_s: " + fmt(sec(ta, t1)) +
                            "\n# query_rate_per_s: " +
                            fmt(static_cast<double>(n) / std::max(sec(q0, q1), 1e-9)) + "\n";
            head.insert(head.find("name,formula,e_form"), t);
        }
        // Rows are formatted block by block into reused buffers and written with one write each.
        hull_detail::output_file out_file(args.get("out"));
        bool ok = out_file.write(head);
        const auto t3 = clock::now();
        table.write_rows(threshold, opt.threads, [&](std::string_view p) { ok = out_file.write(p) && ok; });
        ok = out_file.close() && ok;
        if (args.has("timing"))
            std::fprintf(stderr, "hull: time_format_and_write_s: %.6f\n", std::chrono::duration<double>(clock::now() - t3).count());
        if (!ok) throw input_error("hull: failed writing the output");
        return 0;
    };
    return c;
}

}  // namespace materia::cli
