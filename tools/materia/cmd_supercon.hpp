// tools/materia/cmd_supercon.hpp — `materia tc` (Tc from one R(T) sweep by every criterion) and
// `materia whh` (slope at Tc, WHH dirty/clean/full, GL fit, Pauli limit, coherence length).
// Contract: ../shared/CLI.md.  Science: materia/supercon/*.hpp (SCIENCE.md §6).
#pragma once

#include "cli.hpp"

#include <materia/supercon/gl.hpp>
#include <materia/supercon/hc2_slope.hpp>
#include <materia/supercon/pauli.hpp>
#include <materia/supercon/tc.hpp>
#include <materia/supercon/whh.hpp>

#include <cmath>
#include <exception>
#include <string>
#include <vector>

namespace materia::cli {

namespace detail_supercon {

/// A number cell, or an empty cell where the value has no meaning (NaN/inf).
inline std::string cell(double x) { return std::isfinite(x) ? fmt(x) : std::string(); }

/// Library errors about the data become input errors naming the file (exit 3).
template <class F>
auto with_file(const std::string& path, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const materia::invalid_argument& e) {
        throw input_error(path + ": " + e.what());
    } catch (const materia::domain_error& e) {
        throw input_error(path + ": " + e.what());
    }
}

inline int run_tc(const arguments& args) {
    const std::string& path = args.single_input();
    std::optional<materia::tc_criterion> only;
    if (auto c = args.get("criterion")) {
        try {
            only = materia::parse_tc_criterion(*c);
        } catch (const materia::invalid_argument&) {
            throw usage_error("tc: --criterion must be one of 0.9, 0.5, 0.1, onset, onset_deviation, zero (got '" +
                              *c + "')");
        }
    }
    materia::tc_options o;
    if (auto v = args.number("normal-from")) o.normal_from = *v;
    if (auto v = args.number("normal-to")) o.normal_to = *v;
    if (auto v = args.number("noise-floor")) {
        if (!(*v >= 0)) throw usage_error("tc: --noise-floor must be >= 0 (got " + fmt(*v) + ")");
        o.noise_floor = *v;
    }
    if (!std::isnan(o.normal_from) && !std::isnan(o.normal_to) && !(o.normal_to > o.normal_from))
        throw usage_error("tc: --normal-to must be greater than --normal-from");
    const auto cols = read_numeric_columns(path, {"T", "R"});
    const materia::tc_result r = with_file(path, [&] { return materia::tc_from_rt(cols[0], cols[1], o); });

    csv_table t;
    standard_meta(t, "tc", path);
    t.meta("points", std::to_string(r.points));
    t.meta("normal_state", "R_N(T) = " + fmt(r.normal_intercept) + " + " + fmt(r.normal_slope) + "*T");
    t.meta("normal_window_K", fmt(r.normal_from) + " to " + fmt(r.normal_to) + " (" +
                                  std::to_string(r.normal_points) + " points, residual sd " + fmt(r.normal_sigma) + ")");
    t.meta("steepest", "T=" + fmt(r.steepest_T) + " K, dR/dT=" + fmt(r.steepest_slope));
    t.meta("noise_floor", r.noise_floor);
    t.meta("criteria", "onset = normal-state line x steepest tangent; onset_deviation = R_N - R > max(3 sd, 1% R_N); "
                       "0.9/0.5/0.1 = R/R_N(T) (highest-T crossing); zero = R below the noise floor at all lower T");
    if (r.crossings_90 > 1 || r.crossings_50 > 1 || r.crossings_10 > 1)
        t.meta("warning", "non-monotonic R(T) in the transition: crossings 90%/50%/10% = " + std::to_string(r.crossings_90) +
                              "/" + std::to_string(r.crossings_50) + "/" + std::to_string(r.crossings_10) +
                              " (the highest-T crossing is reported)");
    t.header({"criterion", "Tc", "width"});
    const std::string width = cell(r.width);
    if (only) {
        const double v = r.value(*only);
        if (!std::isfinite(v))
            throw input_error(path + ": criterion " + materia::tc_criterion_name(*only) +
                              " is not reached in the data (no crossing)");
        t.row({materia::tc_criterion_name(*only), fmt(v), width});
    } else {
        using C = materia::tc_criterion;
        for (C c : {C::onset, C::onset_deviation, C::fraction_90, C::fraction_50, C::fraction_10, C::zero})
            t.row({materia::tc_criterion_name(c), cell(r.value(c)), width});
    }
    emit(t, args);
    return 0;
}

inline int run_whh(const arguments& args) {
    const std::string& path = args.single_input();
    materia::whh_parameters wp;
    wp.alpha = args.number_or("alpha", 0.0);
    wp.lambda_so = args.number_or("lambda-so", 0.0);
    if (wp.alpha < 0) throw usage_error("whh: --alpha must be >= 0 (got " + fmt(wp.alpha) + ")");
    if (wp.lambda_so < 0) throw usage_error("whh: --lambda-so must be >= 0 (got " + fmt(wp.lambda_so) + ")");
    materia::hc2_slope_options so;
    so.t_min = args.number_or("t-min", so.t_min);
    if (!(so.t_min >= 0 && so.t_min < 1)) throw usage_error("whh: --t-min must be in [0, 1) (got " + fmt(so.t_min) + ")");
    const double pauli_coeff = args.number_or("pauli-coefficient", materia::pauli_coefficient_clogston);
    if (!(pauli_coeff > 0)) throw usage_error("whh: --pauli-coefficient must be > 0 (got " + fmt(pauli_coeff) + ")");
    const bool fit_alpha = args.has("fit-alpha"), fit_lambda = args.has("fit-lambda-so");

    std::vector<double> T, H, sigma;
    if (auto sc = args.get("sigma-column")) {
        auto cols = read_numeric_columns(path, {"T", "H", *sc});
        T = std::move(cols[0]);
        H = std::move(cols[1]);
        sigma = std::move(cols[2]);
    } else {
        auto cols = read_numeric_columns(path, {"T", "H"});
        T = std::move(cols[0]);
        H = std::move(cols[1]);
    }
    const materia::hc2_slope_result lin = with_file(path, [&] { return materia::hc2_slope_at_tc(T, H, sigma, so); });
    const auto dirty = materia::whh_hc2_dirty(lin);
    const auto clean = materia::whh_hc2_clean(lin);
    const auto full = with_file(path, [&] { return materia::whh_hc2_full(lin, wp); });
    const auto curve = materia::whh_hc2_curve(wp, 100);
    const auto pauli = materia::pauli_limit(lin.tc, pauli_coeff);
    const auto xi = materia::gl_coherence_length_nm(dirty);
    const double alpha_est = materia::maki_alpha_from_slope(lin.slope.value, pauli_coeff);
    const double alpha_est_err = alpha_est * lin.slope.error / std::abs(lin.slope.value);

    csv_table t;
    standard_meta(t, "whh", path);
    t.meta("points", std::to_string(T.size()));
    t.meta("slope_fit", "straight line H = c0 + c1*T on the " + std::to_string(lin.n_used) +
                            " points with T >= " + fmt(so.t_min) + "*Tc; Tc = H=0 intercept" +
                            (sigma.empty() ? std::string(", unit weights") : ", weights 1/sigma^2"));
    t.meta("alpha", wp.alpha);
    t.meta("lambda_so", wp.lambda_so);
    t.meta("factors", "dirty 0.693 (exact pi^2 exp(-gamma)/8 = 0.692672873756), clean 0.727, full h*(0) = " +
                          fmt(curve.h_star_zero) + ", GL 1 (its own fit)");
    t.meta("pauli_coefficient_T_per_K", pauli_coeff);
    t.meta("xi_gl_from", "Hc2_whh_dirty");
    if (curve.multivalued || curve.multiple_roots) t.meta("whh_full_multivalued", curve.message);

    t.header({"quantity", "value", "stderr"});
    auto row = [&t](const std::string& q, const materia::value_with_error& v) {
        t.row({q, fmt(v.value), cell(v.error)});
    };
    row("Tc", lin.tc);
    row("slope", lin.slope);
    row("Hc2_whh_dirty", dirty);
    row("Hc2_whh_clean", clean);
    row("Hc2_whh_full", full);
    // GL and parabolic fits to all points (their own Hc2(0), factor 1 and 1/2 of Tc*|slope|).
    std::string gl_note;
    try {
        const auto gl = materia::fit_gl(T, H, sigma, materia::gl_model::ginzburg_landau);
        row("Hc2_gl", gl.hc2_zero);
        gl_note = "Hc2_gl = Hc2(0) of H = Hc2(0)(1-t^2)/(1+t^2) fitted to all points (Tc free; factor 1, not 0.693)";
        t.meta("gl_fit", gl_note + "; Tc_gl = " + fmt(gl.tc.value) + " K");
    } catch (const std::exception& e) {
        t.row({"Hc2_gl", "", ""});
        t.meta("gl_fit", std::string("failed: ") + e.what());
    }
    row("H_pauli", pauli);
    row("xi_gl_nm", xi);
    // Additional rows (beyond the contract's list).
    row("alpha_maki_estimate", {alpha_est, alpha_est_err});
    try {
        const auto par = materia::fit_gl(T, H, sigma, materia::gl_model::parabolic);
        row("Hc2_parabolic", par.hc2_zero);
    } catch (const std::exception&) {
    }
    try {
        materia::whh_fit_options fo;
        fo.start = wp;
        fo.fit_alpha = fit_alpha;
        fo.fit_lambda_so = fit_lambda;
        if (fit_alpha && fo.start.alpha == 0) fo.start.alpha = std::max(0.1, alpha_est);
        if (fit_lambda && fo.start.lambda_so == 0) fo.start.lambda_so = 0.5;
        const auto wf = materia::fit_whh(T, H, sigma, fo);
        row("Tc_whh_fit", wf.tc);
        row("slope_whh_fit", wf.slope);
        row("Hc2_whh_fit", wf.hc2_zero);
        if (fit_alpha) row("alpha_whh_fit", wf.alpha);
        if (fit_lambda) row("lambda_so_whh_fit", wf.lambda_so);
        t.meta("whh_fit", std::string("full WHH curve fitted to all points (") + (wf.fit.converged ? "converged" : "NOT converged") +
                              ": " + wf.fit.message + ")");
        if (wf.curve.multivalued) t.meta("whh_fit_multivalued", wf.curve.message);
    } catch (const std::exception& e) {
        t.meta("whh_fit", std::string("not done: ") + e.what());
    }
    emit(t, args);
    return 0;
}

}  // namespace detail_supercon

/// The `tc` and `whh` subcommands.
inline std::vector<command> make_supercon_commands() {
    command tc{
        "tc",
        "Superconducting Tc from one R(T) sweep by every criterion: onset (normal-state line x steepest tangent), "
        "onset_deviation, 90/50/10 % of the normal-state resistance R_N(T) (linear fit above the transition), and "
        "zero resistance (noise floor).  Input CSV with columns T (K), R (any unit), any order.  Columns: "
        "criterion,Tc,width (width = T90 - T10).",
        "materia tc RT.csv [--criterion 0.9|0.5|0.1|onset|onset_deviation|zero] [options]",
        {
            {"criterion", "C", "print only this criterion: 0.9, 0.5, 0.1, onset, onset_deviation, zero (default: all)"},
            {"normal-from", "K", "start of the normal-state fit window (default: automatic)"},
            {"normal-to", "K", "end of the normal-state fit window (default: automatic)"},
            {"noise-floor", "R", "absolute resistance floor for the zero criterion (default: 3 sd of the baseline)"},
            {"out", "FILE", "write the CSV to FILE instead of stdout"},
        },
        detail_supercon::run_tc};
    command whh{
        "whh",
        "Upper critical field from Hc2(T) points: slope at Tc (weighted straight-line fit near Tc), WHH dirty "
        "(0.693) and clean (0.727) estimates, the full WHH equation with Maki alpha and spin-orbit lambda_so, "
        "Ginzburg-Landau fit, Pauli limit and GL coherence length.  Input CSV with columns T (K), H (tesla).  "
        "Columns: quantity,value,stderr.",
        "materia whh HC2.csv [--alpha A] [--lambda-so L] [options]",
        {
            {"alpha", "A", "Maki parameter for the full WHH equation (default 0)"},
            {"lambda-so", "L", "spin-orbit scattering parameter for the full WHH equation (default 0)"},
            {"t-min", "t", "use points with T >= t*Tc for the slope fit (default 0.8)"},
            {"pauli-coefficient", "C", "Pauli limit H_P = C*Tc in T/K (default 1.84; 1.86 BCS)"},
            {"sigma-column", "NAME", "column with the standard errors of H (weights 1/sigma^2)"},
            {"fit-alpha", "", "also fit alpha in the full WHH curve fit (rows alpha_whh_fit)"},
            {"fit-lambda-so", "", "also fit lambda_so in the full WHH curve fit (rows lambda_so_whh_fit)"},
            {"out", "FILE", "write the CSV to FILE instead of stdout"},
        },
        detail_supercon::run_whh};
    return {tc, whh};
}

}  // namespace materia::cli
