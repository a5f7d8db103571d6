// tools/materia/cmd_msd.hpp — `materia msd TRAJ [--dt PS] [--species A] [--reordered]
// [--fit-from T0] [--fit-to T1]`: windowed mean-squared displacement (all time origins, FFT),
// per species, self-diffusion coefficients, and the permutation-reordered MSD′ (CLI.md "materia msd").
//
// Entry point: materia::cli::make_msd_command().
// Frames are streamed from the reader; positions are unwrapped frame to frame (image flags when the
// file has them, otherwise fractional-coordinate displacements, correct for NPT cells).  Memory:
// 24 bytes per atom per frame for all lags; --max-lag K keeps only a ring of frames (bounded).
#pragma once

#include "cli.hpp"
#include "structure_input.hpp"

#include <materia/core/parallel.hpp>
#include <materia/core/species.hpp>
#include <materia/dynamics/diffusion.hpp>
#include <materia/dynamics/msd.hpp>
#include <materia/dynamics/reordered_msd.hpp>
#include <materia/dynamics/unwrap.hpp>
#include <materia/io/reader.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace materia::cli {

namespace detail {

inline unwrap_scheme parse_unwrap_scheme(const std::string& s) {
    if (s == "auto") return unwrap_scheme::automatic;
    if (s == "images") return unwrap_scheme::images;
    if (s == "fractional") return unwrap_scheme::fractional;
    if (s == "toroidal") return unwrap_scheme::toroidal;
    if (s == "none") return unwrap_scheme::none;
    throw usage_error("msd: --unwrap must be one of auto, images, fractional, toroidal, none (got '" + s + "')");
}

inline const char* unwrap_scheme_name(unwrap_scheme s) {
    switch (s) {
        case unwrap_scheme::automatic: return "auto";
        case unwrap_scheme::images: return "images";
        case unwrap_scheme::fractional: return "fractional";
        case unwrap_scheme::toroidal: return "toroidal";
        case unwrap_scheme::none: return "none";
    }
    return "?";
}

}  // namespace detail

inline command make_msd_command() {
    command c;
    c.name = "msd";
    c.summary =
        "mean-squared displacement with all time origins (FFT), per species, diffusion coefficients from a linear fit, "
        "and the permutation-reordered MSD' (identical atoms may exchange sites)";
    c.usage = "materia msd TRAJ [--dt PS] [--species A] [--reordered] [--fit-from T0] [--fit-to T1] [options]";
    for (auto& o : structure_options())
        if (o.name != "species") c.options.push_back(o);
    c.options.push_back({"dt", "PS", "time between stored frames in ps (default: from the file's time stamps, else 1)"});
    c.options.push_back({"species", "A[,B...]", "only these species (columns msd and msd:A use their atoms)"});
    c.options.push_back({"reordered", "", "add msd_reordered: MSD' of frame t against frame 0, minimised over permutations of identical atoms"});
    c.options.push_back({"fit-from", "T0", "start of the linear-fit window for D, ps (default: 10% of the longest lag)"});
    c.options.push_back({"fit-to", "T1", "end of the linear-fit window for D, ps (default: 50% of the longest lag)"});
    c.options.push_back({"max-lag", "K", "largest lag in frames; streams with memory bounded by ~(3K) frames (default: all lags, whole trajectory in memory)"});
    c.options.push_back({"unwrap", "SCHEME", "auto (image flags if present, else fractional), images, fractional, toroidal, none (already unwrapped)"});
    c.options.push_back({"remove-drift", "", "subtract the centre-of-mass drift of the whole system"});
    c.options.push_back({"dims", "xyz|xy|z|...", "Cartesian components of the MSD (default xyz); D uses slope/(2 d)"});
    c.options.push_back({"reordered-cutoff", "R", "pair cutoff (Angstrom) for the sparse assignment behind MSD' (default: auto; 0: dense); exact either way"});
    c.options.push_back({"vasp-species", "A,B,...", "species names for VASP 4 files without a species line"});
    c.run = [](const arguments& args) -> int {
        const std::string& input = args.single_input();
        io::read_options opts = read_options_from(args);
        opts.species.clear();  // --species selects species here; VASP 4 names come from --vasp-species
        if (auto vs = args.get("vasp-species"))
            for (const auto& name : detail::split_commas(*vs)) {
                if (name.empty()) throw usage_error("msd: --vasp-species needs comma-separated names (got '" + *vs + "')");
                opts.species.push_back(name);
            }
        const io::frame_selection sel = frame_selection_from(args);
        std::optional<double> dt_opt = args.number("dt");
        if (dt_opt && !(*dt_opt > 0)) throw usage_error("msd: --dt must be > 0 (got " + fmt(*dt_opt) + ")");
        const auto fit_from = args.number("fit-from");
        const auto fit_to = args.number("fit-to");
        if (fit_from && *fit_from < 0) throw usage_error("msd: --fit-from must be >= 0 (got " + fmt(*fit_from) + ")");
        if (fit_from && fit_to && !(*fit_to > *fit_from))
            throw usage_error("msd: --fit-to must be larger than --fit-from (got " + fmt(*fit_from) + " and " + fmt(*fit_to) + ")");
        std::size_t max_lag = 0;
        if (auto k = args.integer("max-lag")) {
            if (*k < 1) throw usage_error("msd: --max-lag must be >= 1 (got " + std::to_string(*k) + ")");
            max_lag = static_cast<std::size_t>(*k);
        }
        const long long threads_ll = args.integer("threads").value_or(0);
        if (threads_ll < 0) throw usage_error("msd: --threads must be >= 0");
        const int threads = resolve_threads(static_cast<int>(threads_ll));
        const unwrap_scheme scheme = detail::parse_unwrap_scheme(args.get_or("unwrap", "auto"));
        const std::string dims = args.get_or("dims", "xyz");
        {
            std::string seen;
            for (char ch : dims)
                if ((ch != 'x' && ch != 'y' && ch != 'z') || seen.find(ch) != std::string::npos)
                    throw usage_error("msd: --dims takes distinct letters x, y, z (got '" + dims + "')");
                else seen += ch;
            if (dims.empty()) throw usage_error("msd: --dims must not be empty");
        }
        const bool reordered = args.has("reordered");
        std::optional<double> reordered_cutoff = args.number("reordered-cutoff");
        if (reordered_cutoff && *reordered_cutoff < 0)
            throw usage_error("msd: --reordered-cutoff must be >= 0 (got " + fmt(*reordered_cutoff) + ")");
        std::vector<std::string> wanted;
        if (auto s = args.get("species")) {
            wanted = detail::split_commas(*s);
            for (const auto& w : wanted)
                if (w.empty()) throw usage_error("msd: --species needs comma-separated names (got '" + *s + "')");
        }

        unwrapper unwrap({.scheme = scheme, .remove_drift = args.has("remove-drift"), .weights = {}});
        std::unique_ptr<msd_accumulator> acc;
        std::unique_ptr<reordered_msd> rmsd;
        std::vector<double> msd_prime;
        std::vector<std::size_t> subset;  // atoms analysed (indices into the frame)
        std::vector<std::string> first_species;
        species_list sub_species;
        std::vector<vec3> sub_pos;
        std::vector<double> times;
        std::size_t n_frames = 0, n_atoms = 0;
        bool all_have_time = true;
        io::for_each_frame(input, opts, sel, [&](const materia::frame& f) {
            if (n_frames == 0) {
                n_atoms = f.size();
                if (n_atoms == 0) throw input_error(input + ": the first frame has no atoms");
                first_species = f.species;
                const species_list all = species_list::from_names(f.species);
                for (const auto& w : wanted)
                    if (!all.contains(w))
                        throw usage_error("msd: --species " + w + " does not occur in " + input);
                std::vector<std::string> names;
                for (std::size_t i = 0; i < n_atoms; ++i)
                    if (wanted.empty() || std::find(wanted.begin(), wanted.end(), f.species[i]) != wanted.end()) {
                        subset.push_back(i);
                        names.push_back(f.species[i]);
                    }
                sub_species = species_list::from_names(names);
                // Per-atom MSDs (8 bytes per atom per lag) give the error bar of D from the scatter
                // over atoms; they are 3-D, so only for --dims xyz.
                acc = std::make_unique<msd_accumulator>(
                    sub_species, msd_options{.max_lag = max_lag, .block = 0, .per_atom = dims == "xyz", .threads = threads});
            } else {
                if (f.size() != n_atoms)
                    throw input_error(input + ": frame " + std::to_string(f.index) + " has " + std::to_string(f.size()) +
                                      " atoms, the first frame had " + std::to_string(n_atoms));
                if (f.species != first_species)
                    throw input_error(input + ": frame " + std::to_string(f.index) +
                                      " lists different species (atoms must keep their identity and order)");
            }
            const auto* images = (f.images && f.images->size() == f.size()) ? &*f.images : nullptr;
            const std::vector<vec3>& un = unwrap.next(f.positions, f.cell, images);
            sub_pos.resize(subset.size());
            for (std::size_t k = 0; k < subset.size(); ++k) sub_pos[k] = un[subset[k]];
            acc->add_frame(sub_pos);
            if (reordered) {
                if (!rmsd) {
                    double rc = 0;
                    if (reordered_cutoff) rc = *reordered_cutoff;
                    else if (f.cell.any_periodic()) rc = std::min(4.0, 0.95 * f.cell.minimum_image_radius());
                    rmsd = std::make_unique<reordered_msd>(sub_pos, sub_species,
                                                           reordered_msd_options{.cutoff = rc, .sparse_min_atoms = 64});
                }
                if (max_lag == 0 || msd_prime.size() <= max_lag) msd_prime.push_back(rmsd->evaluate(sub_pos, f.cell).msd);
            }
            if (f.time) times.push_back(*f.time);
            else all_have_time = false;
            ++n_frames;
        });
        const msd_result res = acc->result();

        // Time step between the analysed frames.
        double dt = 1.0;
        std::string dt_source = "default";
        if (dt_opt) {
            dt = *dt_opt * static_cast<double>(sel.step < 0 ? -sel.step : sel.step);
            dt_source = "--dt";
        } else if (all_have_time && times.size() >= 2 && times[1] - times[0] > 0) {
            dt = times[1] - times[0];
            dt_source = "file";
        } else {
            dt = static_cast<double>(sel.step < 0 ? -sel.step : sel.step);
        }
        bool uniform = true;
        if (dt_source == "file")
            for (std::size_t k = 1; k < times.size(); ++k)
                if (std::abs((times[k] - times[k - 1]) - dt) > 1e-6 * std::abs(dt)) uniform = false;

        const std::size_t L = res.lag.size();
        std::vector<double> t(L), origins(L);
        for (std::size_t m = 0; m < L; ++m) {
            t[m] = dt * static_cast<double>(m);
            origins[m] = static_cast<double>(res.origins[m]);
        }
        const int d = static_cast<int>(dims.size());
        const std::vector<double> msd_all = res.component(dims);
        std::vector<std::vector<double>> msd_sp;
        for (std::size_t s = 0; s < res.species.size(); ++s) msd_sp.push_back(res.component(dims, s));

        // Fit window.
        const double t_max = t.back();
        double w0 = fit_from.value_or(0.1 * t_max), w1 = fit_to.value_or(0.5 * t_max);
        auto count_in = [&](double a, double b) {
            std::size_t k = 0;
            for (double x : t)
                if (x >= a - 1e-9 * std::abs(b) && x <= b + 1e-9 * std::abs(b)) ++k;
            return k;
        };
        if (fit_from || fit_to) {
            if (!(w1 > w0))
                throw usage_error("msd: the fit window " + fmt(w0) + " ... " + fmt(w1) + " ps is empty");
            if (count_in(w0, w1) < 2)
                throw usage_error("msd: the fit window " + fmt(w0) + " ... " + fmt(w1) + " ps contains fewer than 2 lags (lag spacing " +
                                  fmt(dt) + " ps, longest lag " + fmt(t_max) + " ps)");
        } else if (count_in(w0, w1) < 2) {
            w0 = dt;  // short trajectory: use every lag but 0
            w1 = t_max;
        }
        auto fit = [&](const std::vector<double>& y) -> std::optional<diffusion_fit> {
            if (count_in(w0, w1) < 2) return std::nullopt;
            return fit_diffusion(t, y, w0, w1, {.dimensions = d, .weighting = diffusion_weighting::uniform}, origins);
        };

        csv_table tab;
        standard_meta(tab, "msd", input);
        tab.meta("frames", std::to_string(n_frames));
        tab.meta("atoms", std::to_string(res.n_atoms));
        tab.meta("dt", dt);
        tab.meta("dt_source", dt_source);
        if (!uniform) tab.meta("warning", "time stamps are not evenly spaced; the MSD assumes a constant dt");
        tab.meta("unwrap", detail::unwrap_scheme_name(unwrap.scheme_used()));
        if (unwrap.max_fractional_step() > 0.35)
            tab.meta("warning_unwrap", "atoms moved up to " + fmt(unwrap.max_fractional_step()) +
                                           " of a cell between frames; unwrapping may be wrong (store frames more often)");
        tab.meta("drift_removed", args.has("remove-drift") ? "yes" : "no");
        tab.meta("dims", dims);
        tab.meta("memory_bytes", std::to_string(acc->memory_bytes()));
        tab.meta("units", "t in ps; msd in Angstrom^2; D in cm^2/s");
        tab.meta("definition", "msd(t) averaged over all time origins over the --dims components; msd_reordered(t) = "
                                "3-D MSD' of frame t against frame 0 (minimum images, permutations of identical atoms)");
        // D from the averaged MSD; its error from per-atom fits (standard error of the mean over
        // atoms) when available — the slope error of one fit through correlated points is far too small.
        const bool per_atom_err = !res.msd_atom.empty();
        tab.meta("D_error", per_atom_err ? "standard error of the mean over per-atom fits"
                                         : "slope standard error of the least-squares fit (underestimates)");
        auto error_of = [&](const diffusion_fit& f, std::optional<std::size_t> s) {
            if (!per_atom_err) return f.D_cm2_s_stderr;
            std::vector<std::size_t> atoms;
            for (std::size_t k = 0; k < res.n_atoms; ++k)
                if (!s || sub_species[k] == *s) atoms.push_back(k);
            return fit_diffusion_atoms(t, res.msd_atom, w0, w1, d, atoms).D_cm2_s_stderr;
        };
        const auto fit_all = fit(msd_all);
        if (fit_all) {
            tab.meta("fit_from", fit_all->t_from);
            tab.meta("fit_to", fit_all->t_to);
            tab.meta("D", fit_all->D_cm2_s);
            tab.meta("D_stderr", error_of(*fit_all, std::nullopt));
        } else {
            tab.meta("D", "nan (fewer than 2 lags in the fit window)");
        }
        for (std::size_t s = 0; s < res.species.size(); ++s) {
            const auto f = fit(msd_sp[s]);
            tab.meta("D:" + res.species[s], f ? fmt(f->D_cm2_s) : std::string("nan"));
            tab.meta("D_stderr:" + res.species[s], f ? fmt(error_of(*f, s)) : std::string("nan"));
            tab.meta("N:" + res.species[s], std::to_string(res.atoms_per_species[s]));
        }
        std::vector<std::string> header{"t", "msd"};
        for (const auto& s : res.species) header.push_back("msd:" + s);
        if (reordered) header.push_back("msd_reordered");
        tab.header(header);
        for (std::size_t m = 0; m < L; ++m) {
            std::vector<double> row{t[m], msd_all[m]};
            for (const auto& y : msd_sp) row.push_back(y[m]);
            if (reordered) row.push_back(m < msd_prime.size() ? msd_prime[m] : std::numeric_limits<double>::quiet_NaN());
            tab.row_numbers(row);
        }
        emit(tab, args);
        return 0;
    };
    return c;
}

}  // namespace materia::cli
