// tools/materia/cmd_sq.hpp — `materia sq` (structure factor of a structure or of a tabulated g(r))
// and `materia gr --from-sq` (g(r), G(r) from a tabulated S(q)); CLI.md "materia sq".
//
// Methods: fourier (default; sine transform of the all-images g(r) of materia's rdf, r_max default
// half the shortest perpendicular cell width), debye (raw positions, no periodic images; histogram
// Δr = --bin-width), direct (every commensurate k up to qmax; optional seeded sampling).
// Columns: q, S, S:A-B (Faber–Ziman partials, unordered A ≤ B).  S is the Faber–Ziman total with
// the chosen weighting (number: w_ab = c_a c_b).
#pragma once

#include "cli.hpp"
#include "structure_input.hpp"

#include <materia/io/reader.hpp>
#include <materia/structure/rdf.hpp>
#include <materia/structure/structure_factor.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace materia::cli {

namespace detail_sq {

inline sq_weighting parse_weighting(const arguments& args) {
    const std::string w = args.get_or("weighting", "number");
    if (w == "number") return sq_weighting::number;
    if (w == "xray") return sq_weighting::xray;
    if (w == "neutron") return sq_weighting::neutron;
    throw usage_error(args.command() + ": --weighting must be number, xray or neutron (got '" + w + "')");
}

inline sq_window parse_window(const arguments& args) {
    const std::string w = args.get_or("window", "none");
    if (w == "none") return sq_window::none;
    if (w == "lorch") return sq_window::lorch;
    throw usage_error(args.command() + ": --window must be none or lorch (got '" + w + "')");
}

inline int parse_threads(const arguments& args) {
    const long long t = args.integer("threads").value_or(0);
    if (t < 0 || t > 4096) throw usage_error(args.command() + ": --threads must be between 0 and 4096 (got " + std::to_string(t) + ")");
    return static_cast<int>(t);
}

/// q grid: bin centres of --bins equal bins on [--qmin, --qmax).
struct q_grid {
    double q_min = 0, q_max = 0;
    std::size_t bins = 0;
    std::vector<double> centres;
};
inline q_grid parse_q_grid(const arguments& args) {
    const std::string& cmd = args.command();
    const auto qmax = args.number("qmax");
    const auto bins = args.integer("bins");
    if (!qmax) throw usage_error(cmd + ": --qmax Q is required");
    if (!bins) throw usage_error(cmd + ": --bins N is required");
    q_grid g;
    g.q_min = args.number_or("qmin", 0.0);
    g.q_max = *qmax;
    if (!(g.q_max > 0)) throw usage_error(cmd + ": --qmax must be > 0 (got " + fmt(g.q_max) + ")");
    if (!(g.q_min >= 0 && g.q_min < g.q_max))
        throw usage_error(cmd + ": --qmin must satisfy 0 <= qmin < qmax (got " + fmt(g.q_min) + ")");
    if (*bins < 1 || *bins > 10000000) throw usage_error(cmd + ": --bins must be between 1 and 1e7");
    g.bins = static_cast<std::size_t>(*bins);
    const double dq = (g.q_max - g.q_min) / static_cast<double>(g.bins);
    for (std::size_t k = 0; k < g.bins; ++k) g.centres.push_back(g.q_min + dq * (static_cast<double>(k) + 0.5));
    return g;
}

/// "# density: x" from a materia CSV, if present.
inline std::optional<double> density_from_metadata(const std::string& path) {
    std::ifstream f(path);
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] != '#') break;
        const auto c = line.find(':');
        if (c == std::string::npos) continue;
        std::string key = line.substr(1, c - 1);
        while (!key.empty() && key.front() == ' ') key.erase(key.begin());
        if (key != "density") continue;
        try {
            const double v = std::stod(line.substr(c + 1));
            if (v > 0 && std::isfinite(v)) return v;
        } catch (const std::exception&) {
        }
    }
    return std::nullopt;
}

inline double density_option(const arguments& args, const std::string& file) {
    if (auto d = args.number("density")) {
        if (!(*d > 0)) throw usage_error(args.command() + ": --density must be > 0 (got " + fmt(*d) + ")");
        return *d;
    }
    if (auto d = density_from_metadata(file)) return *d;
    throw usage_error(args.command() + ": --density RHO (atoms per cubic Angstrom) is required (" + file +
                      " has no '# density:' line)");
}

inline void weighting_meta(csv_table& t, sq_weighting w) {
    t.meta("weighting", std::string(to_string(w)));
    t.meta("weighting_source", weighting_source(w));
}

/// Principal peak and FSDP of the total S(q) (sub-bin refined) as metadata, for pressure series.
inline void peak_meta(csv_table& t, const std::vector<double>& q, const std::vector<double>& s) {
    if (q.size() < 3) return;
    const auto pk = analyse_sq_peaks(q, s);
    t.meta("principal_peak", pk.principal ? "q=" + fmt(pk.principal->q) + " S=" + fmt(pk.principal->height) : "none");
    t.meta("fsdp", pk.fsdp ? "q=" + fmt(pk.fsdp->q) + " S=" + fmt(pk.fsdp->height) : "none");
}

inline std::vector<std::string> header_for(const std::vector<std::string>& species) {
    std::vector<std::string> h{"q", "S"};
    for (std::size_t a = 0; a < species.size(); ++a)
        for (std::size_t b = a; b < species.size(); ++b) h.push_back("S:" + species[a] + "-" + species[b]);
    return h;
}

/// S(q) from a tabulated g(r) file (columns r,g).
inline int run_from_gr(const arguments& args, const std::string& file) {
    if (!args.positional().empty())
        throw usage_error("sq: --from-gr takes no INPUT structure (got '" + args.positional().front() + "')");
    const auto grid = parse_q_grid(args);
    const double rho = density_option(args, file);
    const auto window = parse_window(args);
    const auto cols = read_numeric_columns(file, {"r", "g"});
    sq_fourier_params prm;
    prm.window = window;
    if (auto r = args.number("rmax")) {
        if (!(*r > 0)) throw usage_error("sq: --rmax must be > 0 (got " + fmt(*r) + ")");
        prm.r_max = *r;
    }
    std::vector<double> s;
    try {
        s = sq_from_gr(cols[0], cols[1], rho, grid.centres, prm);
    } catch (const materia::invalid_argument& e) {
        throw input_error(file + ": " + e.what());
    }
    csv_table t;
    standard_meta(t, "sq", file);
    t.meta("method", "fourier (sine transform of tabulated g(r))");
    t.meta("density", rho);
    t.meta("window", std::string(to_string(window)));
    t.meta("qmin", grid.q_min);
    t.meta("qmax", grid.q_max);
    t.meta("bins", std::to_string(grid.bins));
    t.meta("units", "q in 1/Angstrom; density in 1/Angstrom^3");
    t.meta("conventions", "S(q) = 1 + 4 pi rho int r^2 (g-1) sin(qr)/(qr) M(r) dr, each g value covering the interval between "
                          "midpoints to its neighbours; q at bin centres");
    peak_meta(t, grid.centres, s);
    t.header({"q", "S"});
    for (std::size_t k = 0; k < grid.bins; ++k) t.row_numbers({grid.centres[k], s[k]});
    emit(t, args);
    return 0;
}

inline int run_sq(const arguments& args) {
    if (auto f = args.get("from-gr")) return run_from_gr(args, *f);
    const std::string& input = args.single_input();
    const auto grid = parse_q_grid(args);
    const auto weighting = parse_weighting(args);
    const auto window = parse_window(args);
    const int threads = parse_threads(args);
    const std::string method = args.get_or("method", "fourier");
    if (method != "fourier" && method != "debye" && method != "direct")
        throw usage_error("sq: --method must be fourier, debye or direct (got '" + method + "')");
    const auto opts = read_options_from(args);
    const auto sel = frame_selection_from(args);

    csv_table t;
    standard_meta(t, "sq", input);
    t.meta("method", method);
    weighting_meta(t, weighting);
    t.meta("qmin", grid.q_min);
    t.meta("qmax", grid.q_max);
    t.meta("bins", std::to_string(grid.bins));
    t.meta("units", "q in 1/Angstrom; density in 1/Angstrom^3; volume in Angstrom^3");

    std::size_t atoms = 0;
    if (method == "fourier") {
        std::optional<rdf_accumulator> acc;
        rdf_params prm;
        prm.threads = threads;
        io::for_each_frame(input, opts, sel, [&](const frame& f) {
            if (!acc) {
                if (!f.cell.has_lattice() || !f.cell.fully_periodic())
                    throw input_error(input + ": method fourier needs a periodic cell (use --method debye for clusters)");
                double rmax = 0.5 * std::min({f.cell.perpendicular_widths()[0], f.cell.perpendicular_widths()[1],
                                              f.cell.perpendicular_widths()[2]});
                if (auto r = args.number("rmax")) {
                    if (!(*r > 0)) throw usage_error("sq: --rmax must be > 0 (got " + fmt(*r) + ")");
                    rmax = *r;
                }
                prm.r_max = rmax;
                const double dr = 0.01;
                long long rb = args.integer("rbins").value_or(static_cast<long long>(std::ceil(rmax / dr)));
                if (rb < 1 || rb > 100000000) throw usage_error("sq: --rbins must be between 1 and 1e8");
                prm.bins = static_cast<std::size_t>(rb);
                acc.emplace(prm, f.species_indices().names());
            }
            acc->accumulate(f.positions, f.species_indices(), f.cell);
            atoms = f.size();
        });
        if (!acc || acc->n_frames() == 0) throw input_error(input + ": no frames selected");
        const auto g = acc->result();
        const auto res = sq_from_rdf(g, grid.centres, weighting, window);
        t.meta("frames", std::to_string(g.frames));
        t.meta("atoms", std::to_string(atoms));
        t.meta("volume", g.mean_volume);
        t.meta("density", g.density);
        t.meta("rmax", prm.r_max);
        t.meta("rbins", std::to_string(prm.bins));
        t.meta("window", std::string(to_string(window)));
        t.meta("conventions", "S_ab = 1 + 4 pi rho int r^2 (g_ab-1) sin(qr)/(qr) M(r) dr (midpoint rule on the g(r) bins, all "
                              "periodic images); S = sum_ab w_ab S_ab, w_ab = c_a c_b f_a f_b/<f>^2; q at bin centres");
        peak_meta(t, grid.centres, res.s);
        t.header(header_for(res.partials.species));
        for (std::size_t k = 0; k < grid.bins; ++k) {
            std::vector<double> row{grid.centres[k], res.s[k]};
            for (const auto& p : res.partials.s) row.push_back(p[k]);
            t.row_numbers(row);
        }
    } else if (method == "debye") {
        debye_params prm;
        prm.threads = threads;
        prm.bin_width = args.number_or("bin-width", 1e-3);
        if (!(prm.bin_width >= 0)) throw usage_error("sq: --bin-width must be >= 0 (got " + fmt(prm.bin_width) + ")");
        std::vector<std::string> species;
        std::vector<double> s_sum(grid.bins, 0.0), bound(grid.bins, 0.0);
        std::vector<std::vector<double>> p_sum;
        std::size_t frames = 0;
        bool periodic = false;
        io::for_each_frame(input, opts, sel, [&](const frame& f) {
            const auto sp = f.species_indices();
            periodic = periodic || f.cell.any_periodic();
            if (frames == 0) {
                species = sp.names();
                p_sum.assign(species.size() * (species.size() + 1) / 2, std::vector<double>(grid.bins, 0.0));
            } else if (sp.names() != species) {
                throw input_error(input + ": frame " + std::to_string(f.index) + " has different species than the first");
            }
            const auto res = debye_sq(f.positions, sp, grid.centres, prm);
            const auto s = res.s_faber_ziman(weighting);
            const auto e = res.s_error_bound(weighting);
            const auto part = res.partials();
            for (std::size_t k = 0; k < grid.bins; ++k) {
                s_sum[k] += s[k];
                bound[k] = std::max(bound[k], e[k]);
            }
            for (std::size_t p = 0; p < p_sum.size(); ++p)
                for (std::size_t k = 0; k < grid.bins; ++k) p_sum[p][k] += part.s[p][k];
            atoms = f.size();
            ++frames;
        });
        if (frames == 0) throw input_error(input + ": no frames selected");
        double max_bound = 0;
        for (double x : bound) max_bound = std::max(max_bound, x);
        t.meta("frames", std::to_string(frames));
        t.meta("atoms", std::to_string(atoms));
        t.meta("bin_width", prm.bin_width);
        if (periodic)
            t.meta("warning", "the input cell is periodic but the Debye method uses raw positions without periodic images "
                              "(finite-cluster scattering, strong at low q); use --method fourier or direct for bulk");
        t.meta("error_bound", max_bound);
        t.meta("conventions", "Debye equation on raw positions (no periodic images; finite clusters); S = [I/N - (<f^2> - "
                              "<f>^2)]/<f>^2 (Faber-Ziman), S_ab = 1 + N P_ab/(N_a N_b); mean over frames; error_bound = "
                              "max |S_hist - S_exact| bound (q^3 dr^3/192 per pair)");
        const auto fr = static_cast<double>(frames);
        std::vector<double> s_mean(grid.bins);
        for (std::size_t k = 0; k < grid.bins; ++k) s_mean[k] = s_sum[k] / fr;
        peak_meta(t, grid.centres, s_mean);
        t.header(header_for(species));
        for (std::size_t k = 0; k < grid.bins; ++k) {
            std::vector<double> row{grid.centres[k], s_sum[k] / fr};
            for (const auto& p : p_sum) row.push_back(p[k] / fr);
            t.row_numbers(row);
        }
    } else {
        sq_direct_params prm;
        prm.q_min = grid.q_min;
        prm.q_max = grid.q_max;
        prm.bins = grid.bins;
        prm.threads = threads;
        prm.sample_fraction = args.number_or("sample-fraction", 1.0);
        if (!(prm.sample_fraction > 0 && prm.sample_fraction <= 1))
            throw usage_error("sq: --sample-fraction must be in (0, 1] (got " + fmt(prm.sample_fraction) + ")");
        const long long seed = args.integer("seed").value_or(0);
        prm.seed = static_cast<std::uint64_t>(seed);
        std::optional<sq_direct_accumulator> acc;
        double volume = 0;
        io::for_each_frame(input, opts, sel, [&](const frame& f) {
            const auto sp = f.species_indices();
            if (!acc) acc.emplace(prm, sp.names());
            acc->accumulate(f.positions, sp, f.cell);
            atoms = f.size();
            volume += f.cell.volume();
        });
        if (!acc || acc->n_frames() == 0) throw input_error(input + ": no frames selected");
        const auto res = acc->result();
        const auto s = faber_ziman_total(res.partials, weighting);
        t.meta("frames", std::to_string(res.frames));
        t.meta("atoms", std::to_string(atoms));
        t.meta("volume", volume / static_cast<double>(res.frames));
        t.meta("density", static_cast<double>(atoms) * static_cast<double>(res.frames) / volume);
        t.meta("k_sampling", prm.sample_fraction < 1 ? "seeded sampling, fraction " + fmt(prm.sample_fraction) + ", seed " +
                                                         std::to_string(prm.seed)
                                                   : std::string("exact: every commensurate k with qmin <= |k| < qmax"));
        t.meta("conventions", "S(k) = |sum_j exp(-i k.r_j)|^2/N averaged over k in each |k| bin (k = 0 excluded); FZ partials "
                              "1 + [Re(rho_a rho_b*) - delta_ab N_a]/(N c_a c_b); q at bin centres; bins without "
                              "commensurate k are omitted");
        std::vector<double> qn, sn;
        for (std::size_t k : res.nonempty()) {
            qn.push_back(res.q[k]);
            sn.push_back(s[k]);
        }
        peak_meta(t, qn, sn);
        t.header(header_for(res.partials.species));
        for (std::size_t k = 0; k < grid.bins; ++k) {
            if (res.k_count[k] == 0) continue;
            std::vector<double> row{res.q[k], s[k]};
            for (const auto& p : res.partials.s) row.push_back(p[k]);
            t.row_numbers(row);
        }
        if (t.rows() == 0)
            throw input_error(input + ": no commensurate k vector in [qmin, qmax): increase --qmax (shortest is 2 pi / cell width)");
    }
    emit(t, args);
    return 0;
}

inline int run_gr(const arguments& args) {
    const auto file = args.get("from-sq");
    if (!file)
        throw usage_error("gr: --from-sq FILE.csv is required (for g(r) of a structure use `materia rdf`)");
    if (!args.positional().empty())
        throw usage_error("gr: --from-sq takes no INPUT structure (got '" + args.positional().front() + "')");
    const auto rmax = args.number("rmax");
    const auto bins = args.integer("bins");
    if (!rmax) throw usage_error("gr: --rmax R is required");
    if (!bins) throw usage_error("gr: --bins N is required");
    if (!(*rmax > 0)) throw usage_error("gr: --rmax must be > 0 (got " + fmt(*rmax) + ")");
    if (*bins < 1 || *bins > 10000000) throw usage_error("gr: --bins must be between 1 and 1e7");
    const double rho = density_option(args, *file);
    gr_inverse_params prm;
    prm.window = parse_window(args);
    prm.q_min = args.number_or("qmin", 0.0);
    prm.q_max = args.number_or("qmax", 0.0);
    if (prm.q_min < 0 || prm.q_max < 0 || (prm.q_max > 0 && prm.q_max <= prm.q_min))
        throw usage_error("gr: need 0 <= --qmin < --qmax");
    const auto cols = read_numeric_columns(*file, {"q", "S"});
    const auto nb = static_cast<std::size_t>(*bins);
    std::vector<double> r;
    for (std::size_t k = 0; k < nb; ++k) r.push_back(*rmax * (static_cast<double>(k) + 0.5) / static_cast<double>(nb));
    gr_from_sq_result res;
    try {
        res = gr_from_sq(cols[0], cols[1], rho, r, prm);
    } catch (const materia::invalid_argument& e) {
        throw input_error(*file + ": " + e.what());
    }
    csv_table t;
    standard_meta(t, "gr", *file);
    t.meta("method", "inverse sine transform of tabulated S(q) (trapezoid rule in q)");
    t.meta("density", rho);
    t.meta("window", std::string(to_string(prm.window)));
    t.meta("qmin_used", res.q_min_used);
    t.meta("qmax_used", res.q_max_used);
    t.meta("rmax", *rmax);
    t.meta("bins", std::to_string(nb));
    t.meta("units", "r in Angstrom; G in 1/Angstrom^2; density in 1/Angstrom^3");
    t.meta("conventions", "G(r) = 4 pi r rho (g-1) = (2/pi) int Q (S-1) sin(Qr) L(Q) dQ, L = sinc(pi Q/Qmax) for lorch; r at "
                          "bin centres");
    t.header({"r", "g", "G"});
    for (std::size_t k = 0; k < nb; ++k) t.row_numbers({res.r[k], res.g[k], res.G[k]});
    emit(t, args);
    return 0;
}

}  // namespace detail_sq

/// `materia sq` and `materia gr`.
inline std::vector<command> make_sq_commands() {
    command sq;
    sq.name = "sq";
    sq.summary = "structure factor S(q): from g(r) (fourier), Debye equation (clusters) or direct k-space sums "
                 "(periodic cells), with Faber-Ziman partials and number/X-ray/neutron weighting";
    sq.usage = "materia sq INPUT --qmax Q --bins N [--qmin Q0] [--method fourier|debye|direct] [--rmax R] "
               "[--window none|lorch] [--weighting number|xray|neutron] [options]\n"
               "       materia sq --from-gr FILE.csv --density RHO --qmax Q --bins N [--window none|lorch]";
    sq.options = structure_options();
    sq.options.push_back({"qmax", "Q", "upper edge of the q range, 1/Angstrom (required)"});
    sq.options.push_back({"bins", "N", "number of q bins on [qmin, qmax); q reported at bin centres (required)"});
    sq.options.push_back({"qmin", "Q0", "lower edge of the q range (default 0)"});
    sq.options.push_back({"method", "M", "fourier (default: transform of g(r)), debye (clusters, no images), direct "
                                          "(every commensurate k; periodic cells)"});
    sq.options.push_back({"rmax", "R", "fourier: g(r) range, Angstrom (default half the shortest cell width)"});
    sq.options.push_back({"rbins", "N", "fourier: number of g(r) bins (default rmax/0.01)"});
    sq.options.push_back({"window", "W", "none (default) or lorch (real-space Lorch window)"});
    sq.options.push_back({"weighting", "W", "number (default), xray (Waasmaier-Kirfel f0(q)), neutron (b_coh)"});
    sq.options.push_back({"bin-width", "DR", "debye: distance histogram bin, Angstrom (default 0.001; 0 = exact sum)"});
    sq.options.push_back({"sample-fraction", "F", "direct: keep this fraction of k vectors (seeded; default 1 = all)"});
    sq.options.push_back({"seed", "S", "direct: seed of the k sampling (default 0)"});
    sq.options.push_back({"from-gr", "FILE", "transform a tabulated g(r) (CSV columns r,g) instead of a structure"});
    sq.options.push_back({"density", "RHO", "number density for --from-gr, 1/Angstrom^3 (default: the file's '# density:')"});
    sq.run = [](const arguments& args) { return detail_sq::run_sq(args); };

    command gr;
    gr.name = "gr";
    gr.summary = "pair distribution from a tabulated structure factor: g(r) and G(r) by the inverse sine transform";
    gr.usage = "materia gr --from-sq FILE.csv --density RHO --rmax R --bins N [--qmin Q0] [--qmax Q] [--window none|lorch]";
    gr.options = {
        {"from-sq", "FILE", "CSV with columns q,S (required)"},
        {"density", "RHO", "number density, 1/Angstrom^3 (default: the file's '# density:' line)"},
        {"rmax", "R", "upper edge of the r range, Angstrom (required)"},
        {"bins", "N", "number of r bins on [0, rmax); r reported at bin centres (required)"},
        {"qmin", "Q0", "ignore S(q) below Q0 (default 0)"},
        {"qmax", "Q", "ignore S(q) above Q (default: all data)"},
        {"window", "W", "none (default) or lorch (Lorch modification function)"},
        {"out", "FILE", "write the CSV to FILE instead of stdout"},
    };
    gr.run = [](const arguments& args) { return detail_sq::run_gr(args); };
    return {sq, gr};
}

}  // namespace materia::cli
