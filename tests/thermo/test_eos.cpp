// Tests of the Birch–Murnaghan equation of state (materia/thermo/eos.hpp).
#include <doctest/doctest.h>

#include <materia/thermo/eos.hpp>

#include <cmath>
#include <random>
#include <vector>

using doctest::Approx;

TEST_SUITE("thermo.eos") {

TEST_CASE("birch_murnaghan_pressure: SCIENCE.md 7 values") {
    // B0 = 100 GPa: B0' = 4 → P(0.95, 0.9, 0.8) = 5.68374, 13.01015, 34.89834 GPa;
    //               B0' = 5 → 5.83203, 13.72017, 39.09654 GPa.
    const double x[] = {0.95, 0.9, 0.8};
    const double p4[] = {5.68374, 13.01015, 34.89834};
    const double p5[] = {5.83203, 13.72017, 39.09654};
    for (int i = 0; i < 3; ++i) {
        CHECK(materia::birch_murnaghan_pressure(x[i] * 50.0, 50.0, 100.0, 4.0) == Approx(p4[i]).epsilon(1e-6));
        CHECK(materia::birch_murnaghan_pressure(x[i] * 50.0, 50.0, 100.0, 5.0) == Approx(p5[i]).epsilon(1e-6));
    }
    CHECK(materia::birch_murnaghan_pressure(50.0, 50.0, 100.0, 4.0) == 0.0);
    // dP/dV at V0 = −B0/V0 (definition of the bulk modulus); d²: B0' from a difference of B(P).
    const double h = 1e-5;
    const double dPdV = (materia::birch_murnaghan_pressure(50.0 + h, 50.0, 100.0, 4.5) -
                         materia::birch_murnaghan_pressure(50.0 - h, 50.0, 100.0, 4.5)) / (2 * h);
    CHECK(-50.0 * dPdV == Approx(100.0).epsilon(1e-8));
    // Energy form: −dE/dV = P.
    const double V = 45.0;
    const double dEdV = (materia::birch_murnaghan_energy(V + h, -3.0, 50.0, 100.0, 4.5) -
                         materia::birch_murnaghan_energy(V - h, -3.0, 50.0, 100.0, 4.5)) / (2 * h);
    CHECK(-dEdV == Approx(materia::birch_murnaghan_pressure(V, 50.0, 100.0, 4.5)).epsilon(1e-8));
    CHECK(materia::birch_murnaghan_energy(50.0, -3.0, 50.0, 100.0, 4.5) == -3.0);
}

TEST_CASE("birch_murnaghan: V(P) inverts P(V); F-f is linear with slope 1.5 B0 (B0' - 4)") {
    for (double P : {-2.0, 0.5, 13.0, 80.0}) {
        const double V = materia::birch_murnaghan_volume(P, 50.0, 100.0, 4.5);
        CHECK(materia::birch_murnaghan_pressure(V, 50.0, 100.0, 4.5) == Approx(P).epsilon(1e-11));
    }
    CHECK(materia::birch_murnaghan_volume(0.0, 50.0, 100.0, 4.5) == 50.0);
    CHECK_THROWS_AS((void)materia::birch_murnaghan_volume(-1000.0, 50.0, 100.0, 4.5), materia::domain_error);
    for (double x : {0.95, 0.9, 0.8}) {
        const double V = 50.0 * x;
        const double f = materia::eulerian_strain(V, 50.0);
        const double F = materia::normalized_stress(materia::birch_murnaghan_pressure(V, 50.0, 100.0, 5.0), V, 50.0);
        CHECK(F == Approx(100.0 + 1.5 * 100.0 * (5.0 - 4.0) * f).epsilon(1e-12));
    }
}

TEST_CASE("fit_birch_murnaghan: round trip recovers (V0, B0, B0') exactly and within 2 sigma with noise") {
    std::vector<double> V, P, s;
    for (int i = 0; i <= 12; ++i) {
        const double p = 2.5 * i;
        P.push_back(p);
        V.push_back(materia::birch_murnaghan_volume(p, 160.3, 45.0, 4.8));
        s.push_back(0.05);
    }
    const auto r = materia::fit_birch_murnaghan(V, P);
    CHECK(r.fit.converged);
    CHECK(r.V0 == Approx(160.3).epsilon(1e-9));
    CHECK(r.B0 == Approx(45.0).epsilon(1e-8));
    CHECK(r.B0p == Approx(4.8).epsilon(1e-7));
    // With 0.05 GPa noise.
    std::mt19937_64 gen(9);
    std::vector<double> Pn = P;
    for (auto& p : Pn) {
        const double a = (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53;
        const double b = (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53;
        p += 0.05 * std::sqrt(-2.0 * std::log(a)) * std::cos(6.283185307179586 * b);
    }
    materia::bm_fit_options o;
    o.absolute_sigma = true;
    const auto rn = materia::fit_birch_murnaghan(V, Pn, s, o);
    CHECK(rn.fit.converged);
    CHECK(std::abs(rn.V0 - 160.3) < 2 * rn.V0_err);
    CHECK(std::abs(rn.B0 - 45.0) < 2 * rn.B0_err);
    CHECK(std::abs(rn.B0p - 4.8) < 2 * rn.B0p_err);
    CHECK(rn.B0_err > 0);
    // BM2: B0' held at 4, no error on it.
    materia::bm_fit_options o2;
    o2.second_order = true;
    const auto r2 = materia::fit_birch_murnaghan(V, P, {}, o2);
    CHECK(r2.B0p == 4.0);
    CHECK(r2.B0p_err == 0.0);
    CHECK(r2.fit.n_params == 2);
    // Bad input.
    CHECK_THROWS_AS((void)materia::fit_birch_murnaghan(std::vector<double>{1, 2, 3}, std::vector<double>{3, 2, 1}),
                    materia::invalid_argument);
    std::vector<double> Vbad = V;
    Vbad[2] = -1.0;
    CHECK_THROWS_AS((void)materia::fit_birch_murnaghan(Vbad, P), materia::invalid_argument);
}

}  // TEST_SUITE
