// examples/thermo_fit.cpp — fitting heat capacity, an equation of state and a two-regime line from
// plain std::vector data with materia's fitting toolkit.  Exits 0 when the fits recover the
// parameters the data were made from.
#include <materia/numerics/broken_line.hpp>
#include <materia/numerics/least_squares.hpp>
#include <materia/thermo/debye_einstein.hpp>
#include <materia/thermo/eos.hpp>
#include <materia/thermo/heat_capacity_fit.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

int main() {
    int failures = 0;
    auto expect = [&failures](bool ok, const char* what) {
        if (!ok) {
            std::printf("FAILED: %s\n", what);
            ++failures;
        }
    };

    // 1. Heat capacity: a Debye term (Θ_D = 155 K for n_D = 12 of 14 atoms) plus three Einstein
    //    modes (the Cu7PS6 temperatures), with a deterministic ±0.3 % wiggle standing in for noise.
    materia::low_t_model truth;
    truth.gamma = 0.0;
    const double R3 = 3.0 * materia::gas_constant;
    truth.terms = {{R3 * 0.2, 32.8}, {R3 * 0.6, 61.1}, {R3 * 1.2, 114.0}};
    const double N = 14.0;
    truth.beta = materia::debye_beta_from_theta(155.0, N - truth.einstein_weight());
    std::vector<double> T, Cp;
    for (int i = 0; i < 61; ++i) {
        const double t = 2.0 + 0.5 * i;
        T.push_back(t);
        Cp.push_back(truth.cp(t) * (1.0 + 0.003 * std::sin(7.1 * i)));
    }
    materia::cp_fit_options opt;
    opt.einstein_terms = -1;  // choose K by AICc over 0..4
    opt.atoms_per_formula_unit = N;
    const materia::cp_selection_result sel = materia::fit_heat_capacity(T, Cp, opt);
    std::printf("heat capacity: %zu Einstein terms selected\n", sel.selected);
    for (const auto& row : sel.table)
        std::printf("  K=%zu  chi2=%.4g  AICc=%.2f  BIC=%.2f\n", row.einstein_terms, row.chi2, row.aicc, row.bic);
    const materia::cp_fit_result& r = sel.best;
    std::printf("  gamma = %.3g(%.1g) J/mol/K^2, Theta_D = %.1f(%.1f) K\n", r.gamma, r.gamma_err, r.theta_D,
                r.theta_D_err);
    for (const auto& m : r.modes)
        std::printf("  Theta_E = %.2f(%.2f) K, p = %.3f(%.3f), C/T^3 peak at %.2f K\n", m.theta, m.theta_err, m.weight,
                    m.weight_err, m.peak_temperature);
    expect(sel.selected == 3, "three Einstein modes selected");
    expect(r.modes.size() == 3 && std::abs(r.modes[0].theta - 32.8) < 3 * r.modes[0].theta_err + 0.5,
           "Theta_E1 recovered");
    expect(std::abs(r.theta_D - 155.0) < 10.0, "Theta_D recovered");

    // 2. Birch–Murnaghan: P(V) points from V0 = 160 Å^3, B0 = 45 GPa, B0' = 4.8.
    std::vector<double> V, P;
    for (int i = 0; i <= 10; ++i) {
        P.push_back(3.0 * i);
        V.push_back(materia::birch_murnaghan_volume(P.back(), 160.0, 45.0, 4.8));
    }
    const materia::bm_fit_result eos = materia::fit_birch_murnaghan(V, P);
    std::printf("EOS: V0 = %.4f A^3, B0 = %.4f GPa, B0' = %.4f\n", eos.V0, eos.B0, eos.B0p);
    expect(std::abs(eos.B0 - 45.0) < 1e-6 && std::abs(eos.B0p - 4.8) < 1e-6, "BM3 round trip");

    // 3. Two regimes: a peak position whose pressure slope changes at 15.7 GPa.
    std::vector<double> x, y;
    for (int i = 0; i <= 30; ++i) {
        x.push_back(i);
        y.push_back(2.05 + 0.012 * i - 0.008 * std::max(i - 15.7, 0.0));
    }
    const materia::broken_line_result bl = materia::fit_broken_line(x, y);
    std::printf("broken line: x_b = %.4f, slopes %.5f and %.5f\n", bl.breakpoint, bl.slope1, bl.slope2);
    expect(std::abs(bl.breakpoint - 15.7) < 1e-6, "breakpoint recovered");

    // 4. The engine itself on a user model: y = a·exp(−k x), analytic Jacobian optional.
    std::vector<double> xs, ys;
    for (int i = 0; i < 20; ++i) {
        xs.push_back(0.2 * i);
        ys.push_back(3.0 * std::exp(-1.3 * xs.back()));
    }
    Eigen::VectorXd p0(2);
    p0 << 1.0, 0.5;
    const materia::fit_result fr = materia::curve_fit(
        [](double xx, const Eigen::VectorXd& p) { return p[0] * std::exp(-p[1] * xx); }, xs, ys, {}, p0);
    std::printf("curve_fit: a = %.6f, k = %.6f (%s)\n", fr.params[0], fr.params[1], fr.message.c_str());
    expect(fr.converged && std::abs(fr.params[1] - 1.3) < 1e-6, "exponential recovered");
    return failures == 0 ? 0 : 1;
}
