// tools/materia/cmd_cpfit.hpp — `materia cpfit`: Debye + K Einstein fit of low-temperature heat
// capacity (C/T = γ + βT² + Σ A_n Θ_n² T⁻³ e^{Θ_n/T}/(e^{Θ_n/T} − 1)², A_n = 3R p_n), with K fixed
// or chosen by AIC/AICc/BIC.  Contract: ../shared/CLI.md.  Science: materia/thermo/heat_capacity_fit.hpp
// (SCIENCE.md §5).
#pragma once

#include "cli.hpp"

#include <materia/thermo/heat_capacity_fit.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace materia::cli {

namespace detail_cpfit {

/// A number cell, or an empty cell where the value has no meaning (NaN/inf).
inline std::string cell(double x) { return std::isfinite(x) ? fmt(x) : std::string(); }

inline int run_cpfit(const arguments& args) {
    const std::string& path = args.single_input();
    materia::cp_fit_options o;
    const std::string ein = args.get_or("einstein", "3");
    if (ein == "auto") {
        o.einstein_terms = -1;
    } else {
        const long long k = args.parse_integer(ein, "--einstein");
        if (k < 0 || k > 6) throw usage_error("cpfit: --einstein must be 0..6 or auto (got '" + ein + "')");
        o.einstein_terms = static_cast<int>(k);
    }
    if (auto v = args.integer("max-einstein")) {
        if (*v < 0 || *v > 6) throw usage_error("cpfit: --max-einstein must be 0..6 (got " + std::to_string(*v) + ")");
        o.max_einstein_terms = static_cast<int>(*v);
    }
    if (auto v = args.number("tmin")) o.t_min = *v;
    if (auto v = args.number("tmax")) o.t_max = *v;
    if (!(o.t_min <= o.t_max)) throw usage_error("cpfit: --tmin must not exceed --tmax");
    if (auto v = args.number("atoms")) {
        if (!(*v > 0)) throw usage_error("cpfit: --atoms must be > 0 (got " + fmt(*v) + ")");
        o.atoms_per_formula_unit = *v;
    }
    const std::string w = args.get_or("weights", "relative");
    if (w == "relative") o.weighting = materia::cp_weighting::relative;
    else if (w == "none") o.weighting = materia::cp_weighting::none;
    else throw usage_error("cpfit: --weights must be relative or none (got '" + w + "')");
    const std::string crit = args.get_or("criterion", "aicc");
    if (crit == "aic") o.criterion = materia::selection_criterion::aic;
    else if (crit == "aicc") o.criterion = materia::selection_criterion::aicc;
    else if (crit == "bic") o.criterion = materia::selection_criterion::bic;
    else throw usage_error("cpfit: --criterion must be aic, aicc or bic (got '" + crit + "')");

    const auto cols = read_numeric_columns(path, {"T", "Cp"});
    materia::cp_selection_result sel;
    try {
        sel = materia::fit_heat_capacity(cols[0], cols[1], o);
    } catch (const materia::invalid_argument& e) {
        throw input_error(path + ": " + e.what());
    } catch (const materia::domain_error& e) {
        throw input_error(path + ": " + e.what());
    }
    const materia::cp_fit_result& r = sel.best;

    csv_table t;
    standard_meta(t, "cpfit", path);
    t.meta("model", "C/T = gamma + beta*T^2 + sum_n A_n*Theta_n^2*T^-3*exp(Theta_n/T)/(exp(Theta_n/T)-1)^2");
    t.meta("convention", "A_n = 3R*p_n (p_n oscillators per formula unit); theta_D from beta with n_D = N - sum(p_n)");
    t.meta("units", "gamma J/mol/K^2, beta J/mol/K^4, theta K, A J/mol/K");
    t.meta("weights", w == "relative" ? "relative ((model-data)/data on C/T)" : "none");
    t.meta("stderr", "from s^2 (J^T W J)^-1, s^2 = chi2/(n-k)");
    t.meta("atoms_per_formula_unit", o.atoms_per_formula_unit);
    t.meta("n_D", r.n_D);
    t.meta("points", static_cast<double>(sel.n_points));
    t.meta("tmin", std::isfinite(o.t_min) ? fmt(o.t_min) : std::string("none"));
    t.meta("tmax", std::isfinite(o.t_max) ? fmt(o.t_max) : std::string("none"));
    t.meta("einstein", ein == "auto" ? "auto (" + crit + ")" : ein);
    t.meta("converged", r.fit.converged ? "true" : "false");
    t.meta("message", r.fit.message);
    t.meta("iterations", static_cast<double>(r.fit.iterations));
    for (std::size_t i = 0; i < r.modes.size(); ++i) {
        const auto& m = r.modes[i];
        const std::string k = std::to_string(i + 1);
        t.meta("p" + k, fmt(m.weight) + " +- " + cell(m.weight_err));
        t.meta("boson_peak_T" + k, m.peak_temperature);
    }
    for (const auto& row : sel.table) {
        std::string s = "K=" + std::to_string(row.einstein_terms) + " chi2=" + fmt(row.chi2) +
                        " aic=" + fmt(row.aic) + " aicc=" + fmt(row.aicc) + " bic=" + fmt(row.bic) +
                        " converged=" + (row.converged ? "true" : "false");
        if (std::isfinite(row.F)) s += " F_vs_previous=" + fmt(row.F) + " p=" + fmt(row.p_value);
        t.meta("selection", s);
    }
    if (!r.note.empty()) t.meta("note", r.note);
    // Correlation matrix of the fitted parameters (gamma, beta, A1.., theta_E1..), row by row.
    const auto& C = r.fit.correlation;
    for (Eigen::Index a = 0; a < C.rows(); ++a) {
        std::string s;
        for (Eigen::Index b = 0; b < C.cols(); ++b) {
            if (b) s.push_back(' ');
            s.append(cell(C(a, b)));
        }
        t.meta("correlation_row" + std::to_string(a + 1), s);
    }

    t.header({"parameter", "value", "stderr"});
    t.row({"gamma", fmt(r.gamma), cell(r.gamma_err)});
    t.row({"beta", fmt(r.beta), cell(r.beta_err)});
    t.row({"theta_D", cell(r.theta_D), cell(r.theta_D_err)});
    for (std::size_t i = 0; i < r.modes.size(); ++i) {
        const std::string k = std::to_string(i + 1);
        t.row({"A" + k, fmt(r.modes[i].amplitude), cell(r.modes[i].amplitude_err)});
        t.row({"theta_E" + k, fmt(r.modes[i].theta), cell(r.modes[i].theta_err)});
    }
    t.row({"chi2_red", cell(r.fit.chi2_red), ""});
    t.row({"aic", cell(r.fit.aic), ""});
    t.row({"bic", cell(r.fit.bic), ""});
    t.row({"einstein_terms", std::to_string(r.einstein_terms), ""});
    emit(t, args);
    if (!r.fit.converged) std::cerr << "materia cpfit: warning: fit did not converge (" << r.fit.message << ")\n";
    return 0;
}

}  // namespace detail_cpfit

/// The `cpfit` subcommand.
inline command make_cpfit_command() {
    command c;
    c.name = "cpfit";
    c.summary =
        "Fit low-temperature heat capacity with a Debye T^3 term and K Einstein terms on C/T:\n"
        "  C/T = gamma + beta*T^2 + sum_n A_n Theta_n^2 T^-3 e^(Theta_n/T)/(e^(Theta_n/T)-1)^2,\n"
        "A_n = 3R p_n, Theta_D from beta with n_D = N - sum p_n.  Input CSV with columns T (K) and Cp\n"
        "(J/mol/K per mole of formula units).  K is fixed (--einstein K) or chosen by an information\n"
        "criterion (--einstein auto); every K tried is listed in '# selection:' lines with the nested\n"
        "F-test.  Output columns: parameter,value,stderr.";
    c.usage = "materia cpfit DATA.csv [--einstein K|auto] [--tmin T0] [--tmax T1] [--atoms N] [options]";
    c.options = {
        {"einstein", "K|auto", "number of Einstein terms 0..6, or auto (default 3)"},
        {"max-einstein", "K", "largest K tried by --einstein auto (default 4)"},
        {"criterion", "aic|aicc|bic", "model-selection criterion for auto (default aicc)"},
        {"tmin", "T0", "lowest temperature used, K (default: all)"},
        {"tmax", "T1", "highest temperature used, K (default: all)"},
        {"atoms", "N", "atoms per formula unit, for n_D = N - sum p_n (default 1)"},
        {"weights", "relative|none", "residual (model-data)/data (default) or model-data"},
        {"out", "FILE", "write the CSV to FILE instead of stdout"},
    };
    c.run = detail_cpfit::run_cpfit;
    return c;
}

}  // namespace materia::cli
