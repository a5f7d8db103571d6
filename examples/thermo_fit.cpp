// examples/thermo_fit.cpp — fitting heat capacity, an equation of state and a two-regime line with
// materia's fitting toolkit.  Exits 0 when the fits recover the parameters the data were made from.
//
// Data containers: every fit takes std::span<const double> (T in K, Cp in J mol⁻¹ K⁻¹, V in Å³, P in
// GPa), so the data can stay where the user keeps them.  A std::vector and a 1-D xt::xtensor convert
// to a span implicitly (both are contiguous ranges); an Eigen::VectorXd does not (Eigen 3.4's
// iterators are not C++20 contiguous iterators), so it is passed as materia::as_span(v)
// (adapt/eigen.hpp) — a view, no copy.  Part 1 fits the same C_p(T) from all three and checks the results are identical.
#include <materia/adapt/eigen.hpp>
#include <materia/numerics/broken_line.hpp>
#include <materia/numerics/least_squares.hpp>
#include <materia/thermo/debye_einstein.hpp>
#include <materia/thermo/eos.hpp>
#include <materia/thermo/heat_capacity_fit.hpp>

#include <Eigen/Core>
#include <xtensor/xtensor.hpp>

#include <cmath>
#include <cstdio>
#include <span>
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
    const materia::cp_selection_result sel = materia::fit_heat_capacity(T, Cp, opt);  // std::vector

    // The same points in Eigen vectors and 1-D xtensors (as a user's data pipeline might hold them),
    // fitted with K fixed at 3 (cheaper than the model selection) and compared with the std::vector fit.
    materia::cp_fit_options opt3 = opt;
    opt3.einstein_terms = 3;
    const auto fit3 = materia::fit_heat_capacity(T, Cp, opt3);
    const Eigen::VectorXd T_eig = Eigen::Map<const Eigen::VectorXd>(T.data(), static_cast<Eigen::Index>(T.size()));
    const Eigen::VectorXd Cp_eig = Eigen::Map<const Eigen::VectorXd>(Cp.data(), static_cast<Eigen::Index>(Cp.size()));
    const auto fit3_eig = materia::fit_heat_capacity(materia::as_span(T_eig), materia::as_span(Cp_eig), opt3);
    xt::xtensor<double, 1> T_xt = xt::zeros<double>({T.size()}), Cp_xt = xt::zeros<double>({Cp.size()});
    for (std::size_t i = 0; i < T.size(); ++i) {
        T_xt(i) = T[i];
        Cp_xt(i) = Cp[i];
    }
    const auto fit3_xt = materia::fit_heat_capacity(T_xt, Cp_xt, opt3);  // implicit std::span
    auto same_fit = [&fit3](const materia::cp_selection_result& o) {
        const auto &x = fit3.best, &y = o.best;
        if (o.selected != fit3.selected || y.modes.size() != x.modes.size()) return false;
        for (std::size_t k = 0; k < x.modes.size(); ++k)
            if (y.modes[k].theta != x.modes[k].theta || y.modes[k].weight != x.modes[k].weight) return false;
        return y.theta_D == x.theta_D && y.gamma == x.gamma && y.fit.chi2 == x.fit.chi2;
    };
    expect(same_fit(fit3_eig), "Eigen::VectorXd input gives the std::vector fit");
    expect(same_fit(fit3_xt), "xt::xtensor<double,1> input gives the std::vector fit");
    std::printf("heat capacity: %zu Einstein terms selected (identical from std::vector, Eigen, xtensor: %s)\n",
                sel.selected, same_fit(fit3_eig) && same_fit(fit3_xt) ? "yes" : "NO");
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
