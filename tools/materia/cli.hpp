// tools/materia/cli.hpp — the shared machinery of the `materia` program: option parsing, CSV
// output, exit codes and errors.  Each subcommand lives in its own cmd_<name>.hpp and only calls
// the library headers; see ../shared/CLI.md for the contract this implements.
//
// Exit codes: 0 success, 2 usage error (unknown option, bad option value), 3 bad input
// (unreadable file, malformed content; the message names the file and line).
#pragma once

#include <materia/core/decimal_format.hpp>
#include <materia/core/error.hpp>
#include <materia/version.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace materia::cli {

/// A mistake in how the program was called (exit status 2).
class usage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Input that cannot be used (exit status 3): missing file, bad content.
class input_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One option a subcommand accepts.
struct option_spec {
    std::string name;  ///< without the leading "--"
    std::string value_name;  ///< empty for a flag that takes no value
    std::string help;
};

/// The parsed command line of one subcommand: positional arguments and --name value options.
class arguments {
public:
    arguments(std::string command, std::vector<option_spec> specs, std::vector<std::string> argv)
        : m_command(std::move(command)), m_specs(std::move(specs)) {
        for (std::size_t k = 0; k < argv.size(); ++k) {
            const std::string& a = argv[k];
            if (a.size() > 2 && a.rfind("--", 0) == 0) {
                std::string name = a.substr(2);
                std::optional<std::string> inline_value;
                if (auto eq = name.find('='); eq != std::string::npos) {
                    inline_value = name.substr(eq + 1);
                    name = name.substr(0, eq);
                }
                const option_spec* spec = find(name);
                if (spec == nullptr)
                    throw usage_error(m_command + ": unknown option --" + name +
                                      " (see materia " + m_command + " --help)");
                if (spec->value_name.empty()) {
                    if (inline_value) throw usage_error(m_command + ": --" + name + " takes no value");
                    m_values[name] = "1";
                } else if (inline_value) {
                    m_values[name] = *inline_value;
                } else {
                    if (k + 1 >= argv.size())
                        throw usage_error(m_command + ": --" + name + " needs a value (" +
                                          spec->value_name + ")");
                    m_values[name] = argv[++k];
                }
            } else {
                m_positional.push_back(a);
            }
        }
    }

    [[nodiscard]] const std::vector<std::string>& positional() const { return m_positional; }
    [[nodiscard]] bool has(const std::string& name) const { return m_values.count(name) != 0; }
    [[nodiscard]] std::optional<std::string> get(const std::string& name) const {
        auto it = m_values.find(name);
        if (it == m_values.end()) return std::nullopt;
        return it->second;
    }
    [[nodiscard]] std::string get_or(const std::string& name, const std::string& fallback) const {
        return get(name).value_or(fallback);
    }

    /// A floating-point option; usage_error names the option when the text is not a finite number.
    [[nodiscard]] std::optional<double> number(const std::string& name) const {
        auto v = get(name);
        if (!v) return std::nullopt;
        return parse_number(*v, "--" + name);
    }
    [[nodiscard]] double number_or(const std::string& name, double fallback) const {
        return number(name).value_or(fallback);
    }
    /// A non-negative integer option.
    [[nodiscard]] std::optional<long long> integer(const std::string& name) const {
        auto v = get(name);
        if (!v) return std::nullopt;
        return parse_integer(*v, "--" + name);
    }

    /// Exactly one positional argument (the input file), or a usage error.
    [[nodiscard]] const std::string& single_input() const {
        if (m_positional.size() != 1)
            throw usage_error(m_command + ": expected exactly one INPUT file (got " +
                              std::to_string(m_positional.size()) + ")");
        return m_positional.front();
    }

    [[nodiscard]] double parse_number(const std::string& text, const std::string& what) const {
        double x = 0;
        const char* b = text.data();
        const char* e = b + text.size();
        auto [p, ec] = std::from_chars(b, e, x);
        if (ec != std::errc() || p != e || !std::isfinite(x))
            throw usage_error(m_command + ": " + what + " must be a finite number (got '" + text +
                              "')");
        return x;
    }
    [[nodiscard]] long long parse_integer(const std::string& text, const std::string& what) const {
        long long x = 0;
        const char* b = text.data();
        const char* e = b + text.size();
        auto [p, ec] = std::from_chars(b, e, x);
        if (ec != std::errc() || p != e)
            throw usage_error(m_command + ": " + what + " must be an integer (got '" + text + "')");
        return x;
    }

    [[nodiscard]] const std::string& command() const { return m_command; }

private:
    [[nodiscard]] const option_spec* find(const std::string& name) const {
        for (const auto& s : m_specs)
            if (s.name == name) return &s;
        return nullptr;
    }
    std::string m_command;
    std::vector<option_spec> m_specs;
    std::vector<std::string> m_positional;
    std::map<std::string, std::string> m_values;
};

/// Format a number with 12 significant digits (the contract asks for at least 10).
inline std::string fmt(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    char buf[64];  // the characters of "%.12g", without printf's locale and format-string work
    return std::string(buf, materia::to_chars_general(buf, buf + sizeof buf, x, 12));
}

/// CSV output: "# key: value" metadata, exactly one header line, then rows.  Everything is
/// buffered and written only when the command succeeds, so an error never leaves partial output.
class csv_table {
public:
    void meta(const std::string& key, const std::string& value) {
        m_meta.emplace_back(key, value);
    }
    void meta(const std::string& key, double value) { meta(key, fmt(value)); }
    void header(std::vector<std::string> columns) { m_header = std::move(columns); }
    void row(const std::vector<std::string>& cells) {
        if (cells.size() != m_header.size())
            throw std::logic_error("csv_table: row width " + std::to_string(cells.size()) +
                                   " != header width " + std::to_string(m_header.size()));
        m_rows.push_back(cells);
    }
    void row_numbers(const std::vector<double>& cells) {
        std::vector<std::string> s;
        s.reserve(cells.size());
        for (double c : cells) s.push_back(fmt(c));
        row(s);
    }
    [[nodiscard]] std::string str() const {
        std::ostringstream os;
        for (const auto& [k, v] : m_meta) os << "# " << k << ": " << v << '\n';
        os << join(m_header) << '\n';
        for (const auto& r : m_rows) os << join(r) << '\n';
        return os.str();
    }
    [[nodiscard]] std::size_t rows() const { return m_rows.size(); }

private:
    static std::string join(const std::vector<std::string>& cells) {
        std::string s;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i) s += ',';
            s += cells[i];
        }
        return s;
    }
    std::vector<std::pair<std::string, std::string>> m_meta;
    std::vector<std::string> m_header;
    std::vector<std::vector<std::string>> m_rows;
};

/// Write the finished table to --out FILE or to stdout.
inline void emit(const csv_table& table, const arguments& args) {
    const std::string text = table.str();
    if (auto out = args.get("out")) {
        std::ofstream f(*out, std::ios::binary);
        if (!f) throw input_error(args.command() + ": cannot open --out file '" + *out + "' for writing");
        f << text;
        if (!f) throw input_error(args.command() + ": failed writing '" + *out + "'");
    } else {
        std::cout << text;
        std::cout.flush();
    }
}

/// Standard metadata every table carries first.
inline void standard_meta(csv_table& t, const std::string& command, const std::string& input) {
    t.meta("materia", materia::version_string);
    t.meta("command", command);
    if (!input.empty()) t.meta("input", input);
}

/// Read a small numeric CSV (header line naming the columns; '#' lines ignored) and return the
/// requested columns.  Errors name the file and line.
inline std::vector<std::vector<double>> read_numeric_columns(const std::string& path,
                                                             const std::vector<std::string>& wanted) {
    std::ifstream f(path);
    if (!f) throw input_error(path + ": cannot open file");
    std::string line;
    std::size_t lineno = 0;
    std::vector<std::string> header;
    std::vector<std::size_t> index;
    std::vector<std::vector<double>> cols(wanted.size());
    auto split = [](const std::string& s) {
        std::vector<std::string> out;
        std::string cur;
        std::istringstream is(s);
        while (std::getline(is, cur, ',')) {
            auto b = cur.find_first_not_of(" \t\r");
            auto e = cur.find_last_not_of(" \t\r");
            out.push_back(b == std::string::npos ? std::string() : cur.substr(b, e - b + 1));
        }
        return out;
    };
    while (std::getline(f, line)) {
        ++lineno;
        if (line.empty() || line == "\r" || line[0] == '#') continue;
        auto cells = split(line);
        if (header.empty()) {
            header = cells;
            for (const auto& w : wanted) {
                std::size_t k = 0;
                while (k < header.size() && header[k] != w) ++k;
                if (k == header.size())
                    throw materia::parse_error(path, lineno, "header has no column '" + w + "'");
                index.push_back(k);
            }
            continue;
        }
        if (cells.size() != header.size())
            throw materia::parse_error(path, lineno, "expected " + std::to_string(header.size()) +
                                                         " comma-separated values, got " +
                                                         std::to_string(cells.size()));
        for (std::size_t c = 0; c < wanted.size(); ++c) {
            const std::string& s = cells[index[c]];
            double x = 0;
            auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
            if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(x))
                throw materia::parse_error(path, lineno, "column '" + wanted[c] +
                                                             "': expected a finite number, got '" + s + "'");
            cols[c].push_back(x);
        }
    }
    if (header.empty()) throw materia::parse_error(path, lineno, "empty file: expected a header line");
    if (cols.empty() || cols[0].empty())
        throw materia::parse_error(path, lineno, "no data rows after the header");
    return cols;
}

/// A subcommand: its name, one-line summary, options, and the function that runs it.
struct command {
    std::string name;
    std::string summary;
    std::string usage;  ///< e.g. "materia rdf INPUT --rmax R --bins N [options]"
    std::vector<option_spec> options;
    std::function<int(const arguments&)> run;
};

/// Options every structure-reading command shares (CLI.md "Common rules").
inline std::vector<option_spec> structure_options() {
    return {
        {"format", "FMT", "input format: extxyz, xyz, poscar, xdatcar, lammps-dump, gro (default: detect)"},
        {"frames", "START:STOP:STEP", "frames to use, Python slice meaning (default: all)"},
        {"cell", "ax,ay,az,bx,by,bz,cx,cy,cz", "cell vectors for formats that carry none (plain XYZ)"},
        {"box", "Lx,Ly,Lz", "orthorhombic box for formats that carry none"},
        {"types", "1=A,2=B", "species of LAMMPS numeric types"},
        {"species", "A,B,...", "species names for VASP 4 files without a species line"},
        {"threads", "N", "worker threads (default: all cores)"},
        {"out", "FILE", "write the CSV to FILE instead of stdout"},
    };
}

inline void print_help(const command& c, std::ostream& os) {
    os << c.usage << "\n\n" << c.summary << "\n\nOptions:\n";
    for (const auto& o : c.options) {
        std::string lhs = "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
        os << lhs;
        if (lhs.size() < 34) os << std::string(34 - lhs.size(), ' ');
        else os << "\n" << std::string(34, ' ');
        os << o.help << '\n';
    }
    os << "  --help                          show this help\n";
}

/// Run one subcommand with error-to-exit-code mapping.
inline int run_command(const command& c, const std::vector<std::string>& argv) {
    for (const auto& a : argv)
        if (a == "--help" || a == "-h") {
            print_help(c, std::cout);
            return 0;
        }
    try {
        arguments args(c.name, c.options, argv);
        return c.run(args);
    } catch (const usage_error& e) {
        std::cerr << "materia " << e.what() << '\n';
        return 2;
    } catch (const input_error& e) {
        std::cerr << "materia " << c.name << ": " << e.what() << '\n';
        return 3;
    } catch (const materia::parse_error& e) {
        std::cerr << "materia " << c.name << ": " << e.what() << '\n';
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "materia " << c.name << ": " << e.what() << '\n';
        return 3;
    }
}

/// Whether stderr is an interactive terminal (progress bars only then).
inline bool stderr_is_terminal() { return ::isatty(2) != 0; }

/// A progress bar on stderr, drawn only when stderr is a terminal.
class progress {
public:
    progress(std::string label, std::size_t total)
        : m_label(std::move(label)), m_total(total), m_enabled(stderr_is_terminal()) {}
    void update(std::size_t done) {
        if (!m_enabled) return;
        if (m_total == 0) {  // unknown total: a frame counter, redrawn at most every 10 frames
            if (done % 10 == 0 || done < 10) std::fprintf(stderr, "\r%s: %zu frames", m_label.c_str(), done);
            m_last = 0;
            return;
        }
        const int pct = static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(m_total));
        if (pct == m_last) return;
        m_last = pct;
        const int width = 30;
        const int fill = pct * width / 100;
        std::fprintf(stderr, "\r%s [%s%s] %3d%%", m_label.c_str(), std::string(static_cast<std::size_t>(fill), '#').c_str(),
                     std::string(static_cast<std::size_t>(width - fill), ' ').c_str(), pct);
        if (done >= m_total) std::fprintf(stderr, "\n");
    }
    ~progress() {
        if (m_enabled && m_last >= 0 && (m_total == 0 || m_last < 100)) std::fprintf(stderr, "\n");
    }
    progress(const progress&) = delete;
    progress& operator=(const progress&) = delete;

private:
    std::string m_label;
    std::size_t m_total;
    bool m_enabled;
    int m_last = -1;
};

}  // namespace materia::cli
