// Tests of the full-temperature Debye + Einstein fit (materia/thermo/heat_capacity_full_fit.hpp).
#include <doctest/doctest.h>

#include <materia/thermo/heat_capacity_full_fit.hpp>

#include <cmath>
#include <random>
#include <vector>

using doctest::Approx;

TEST_SUITE("thermo.heat_capacity_full_fit") {

TEST_CASE("full fit: Dulong–Petit-constrained round trip from 2 to 300 K") {
    // Truth: N = 14 atoms, one Einstein mode with p = 2 at Θ_E = 60 K, Debye Θ_D = 220 K with
    // n_D = 12, γ = 1 mJ/mol/K².
    const double R3 = 3.0 * materia::gas_constant;
    const std::vector<materia::einstein_term> terms{{R3 * 2.0, 60.0}};
    std::vector<double> T, Cp;
    std::mt19937_64 gen(17);
    for (int i = 0; i < 80; ++i) {
        const double t = 2.0 * std::pow(150.0, i / 79.0);  // 2..300 K, log-spaced
        const double a = (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53;
        const double b = (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53;
        const double z = std::sqrt(-2.0 * std::log(a)) * std::cos(6.283185307179586 * b);
        T.push_back(t);
        Cp.push_back(materia::debye_einstein_cp(t, 1e-3, 12.0, 220.0, terms) * (1.0 + 0.005 * z));
    }
    materia::full_cp_fit_options o;
    o.einstein_terms = 1;
    o.atoms_per_formula_unit = 14.0;
    const auto r = materia::fit_full_heat_capacity(T, Cp, o);
    REQUIRE(r.fit.converged);
    CHECK(r.fit.n_params == 4);  // γ, Θ_D, A, Θ_E
    CHECK(std::abs(r.theta_D - 220.0) < 2 * r.theta_D_err);
    CHECK(std::abs(r.modes[0].theta - 60.0) < 2 * r.modes[0].theta_err);
    CHECK(std::abs(r.modes[0].weight - 2.0) < 2 * r.modes[0].weight_err);
    CHECK(std::abs(r.gamma - 1e-3) < 2 * r.gamma_err);
    // The constraint holds exactly, and the high-T limit is 3RN.
    CHECK(r.n_D + r.modes[0].weight == Approx(14.0).epsilon(1e-14));
    CHECK(r.n_D_err == Approx(r.modes[0].weight_err).epsilon(1e-12));
    CHECK((r.cp(1e5) - r.gamma * 1e5) == Approx(R3 * 14.0).epsilon(1e-6));
    // Unconstrained: n_D is fitted and still comes out near 12.
    materia::full_cp_fit_options ou = o;
    ou.dulong_petit = false;
    const auto ru = materia::fit_full_heat_capacity(T, Cp, ou);
    CHECK(ru.fit.n_params == 5);
    CHECK(std::abs(ru.n_D - 12.0) < 2 * ru.n_D_err);
    CHECK(std::abs(ru.theta_D - 220.0) < 2 * ru.theta_D_err);
}

TEST_CASE("full fit: noise-free data are reproduced exactly; bad input throws") {
    const double R3 = 3.0 * materia::gas_constant;
    const std::vector<materia::einstein_term> terms{{R3 * 0.5, 35.0}, {R3 * 1.5, 90.0}};
    std::vector<double> T, Cp;
    for (int i = 0; i < 60; ++i) {
        const double t = 2.0 + 5.0 * i;
        T.push_back(t);
        Cp.push_back(materia::debye_einstein_cp(t, 0.0, 5.0, 180.0, terms));
    }
    materia::full_cp_fit_options o;
    o.einstein_terms = 2;
    o.atoms_per_formula_unit = 7.0;
    const auto r = materia::fit_full_heat_capacity(T, Cp, o);
    CHECK(r.theta_D == Approx(180.0).epsilon(1e-6));
    CHECK(r.modes[0].theta == Approx(35.0).epsilon(1e-6));
    CHECK(r.modes[1].theta == Approx(90.0).epsilon(1e-6));
    CHECK(r.modes[1].weight == Approx(1.5).epsilon(1e-6));
    CHECK(r.n_D == Approx(5.0).epsilon(1e-6));
    std::vector<double> few_T{10, 20, 30}, few_C{1, 2, 3};
    CHECK_THROWS_AS((void)materia::fit_full_heat_capacity(few_T, few_C, o), materia::invalid_argument);
    Cp[3] = -1.0;
    CHECK_THROWS_AS((void)materia::fit_full_heat_capacity(T, Cp, o), materia::invalid_argument);
    o.atoms_per_formula_unit = 0;
    CHECK_THROWS_AS((void)materia::fit_full_heat_capacity(T, Cp, o), materia::invalid_argument);
}

}  // TEST_SUITE
