// Tests of the Debye/Einstein functions (materia/thermo/debye_einstein.hpp).
#include <doctest/doctest.h>

#include <materia/thermo/debye_einstein.hpp>

#include <cmath>
#include <numbers>
#include <vector>

using doctest::Approx;

namespace {
// Composite Gauss–Legendre (8 points per panel) of t⁴eᵗ/(eᵗ−1)² on [0, x]: an independent
// quadrature check of debye_heat_capacity.
double debye_cv_quadrature(double x) {
    static const double nodes[8] = {-0.9602898564975363, -0.7966664774136267, -0.5255324099163290,
                                    -0.1834346424956498, 0.1834346424956498,  0.5255324099163290,
                                    0.7966664774136267,  0.9602898564975363};
    static const double weights[8] = {0.1012285362903763, 0.2223810344533745, 0.3137066458778873,
                                      0.3626837833783620, 0.3626837833783620, 0.3137066458778873,
                                      0.2223810344533745, 0.1012285362903763};
    const int panels = 200;
    const double h = x / panels;
    double s = 0;
    for (int p = 0; p < panels; ++p) {
        const double a = p * h, mid = a + 0.5 * h;
        for (int q = 0; q < 8; ++q) {
            const double t = mid + 0.5 * h * nodes[q];
            const double em = std::expm1(t);
            s += 0.5 * h * weights[q] * t * t * t * t * (em + 1.0) / (em * em);
        }
    }
    return 3.0 * s / (x * x * x);
}
}  // namespace

TEST_SUITE("thermo.debye_einstein") {

TEST_CASE("debye_function: 40-digit mpmath values on both sides of the series switch at x = 2") {
    // /usr/bin/python3 with mpmath (mp.dps = 40): D_n(x) = n/x^n * quad(t^n/(e^t-1), [0, x]).
    struct ref {
        int n;
        double x, v;
    };
    const ref refs[] = {
        {1, 1e-3, 0.99975002777777755}, {1, 0.5, 0.88192715679060552}, {1, 1.9, 0.62186547952705351},
        {1, 2.1, 0.59247106853350051},  {1, 5, 0.32087619770014614},   {1, 20, 0.082246701178200016},
        {1, 100, 0.016449340668482266}, {2, 1e-3, 0.99966670833333282}, {2, 0.5, 0.8437211933472536},
        {2, 1.9, 0.51141278848598359},  {2, 2.1, 0.47539805530174828}, {2, 5, 0.1723291593901414},
        {2, 20, 0.012020564476446434},  {2, 100, 0.00048082276126383772}, {3, 1e-3, 0.99962504999999946},
        {3, 0.5, 0.82496296897623367},  {3, 1.9, 0.46072582560177744}, {3, 2.1, 0.42229119308773855},
        {3, 5, 0.11759741179993397},    {3, 20, 0.0024352200674805482}, {3, 100, 1.9481818206800488e-05},
        {4, 1e-3, 0.99960005555555487}, {4, 0.5, 0.81384569172034038}, {4, 1.9, 0.43208437059513122},
        {4, 2.1, 0.39253368296013025},  {4, 5, 0.091471377664481171},  {4, 20, 0.00062214648623965451},
        {4, 100, 9.9545064493763513e-07},
    };
    for (const auto& r : refs) {
        CAPTURE(r.n);
        CAPTURE(r.x);
        CHECK(materia::debye_function(r.n, r.x) == Approx(r.v).epsilon(4e-15));
    }
    CHECK(materia::debye_function(3, 0.0) == 1.0);
    // Continuity across the switch.
    CHECK(materia::debye_function(3, std::nextafter(2.0, 0.0)) == Approx(materia::debye_function(3, 2.0)).epsilon(1e-14));
    // Asymptote n·n!ζ(n+1)/xⁿ: D_3(x) → π⁴/(5x³)·... = 3·6ζ(4)/x³ = π⁴/(5x³).
    const double x = 800.0;
    CHECK(materia::debye_function(3, x) == Approx(std::pow(std::numbers::pi, 4) / (5.0 * x * x * x)).epsilon(1e-14));
}

TEST_CASE("debye_heat_capacity: SCIENCE.md 5.3 table and quadrature") {
    // SCIENCE.md §5.3: C/(3R n_D) at T/Θ_D = 0.05, 0.1, 0.2, 0.5, 1, 2 (6 digits), and the
    // mpmath values (17 digits) computed with /usr/bin/python3 + mpmath quad, mp.dps = 40.
    const double tr[] = {0.05, 0.1, 0.2, 0.5, 1, 2};
    const double sci[] = {0.009741, 0.075821, 0.368635, 0.825408, 0.951732, 0.987611};
    const double mp[] = {0.0097407566007045917, 0.075821003031091336, 0.36863482360517241,
                         0.82540803841250276,   0.95173213570327941,  0.98761075209973748};
    for (int i = 0; i < 6; ++i) {
        const double c = materia::debye_heat_capacity(1.0 / tr[i]);
        CHECK(c == Approx(sci[i]).epsilon(1e-6 / sci[i]));
        CHECK(c == Approx(mp[i]).epsilon(1e-14));
        CHECK(c == Approx(debye_cv_quadrature(1.0 / tr[i])).epsilon(1e-12));
    }
    CHECK(materia::debye_heat_capacity(1e-4) == Approx(0.99999999949999996).epsilon(1e-15));
    CHECK(materia::debye_heat_capacity(3.0) == Approx(0.66275804415238626).epsilon(1e-14));
    CHECK(materia::debye_heat_capacity(50.0) == Approx(0.00062341818261761551).epsilon(1e-14));
    CHECK(materia::debye_heat_capacity(300.0) == Approx(2.8861952898963685e-06).epsilon(1e-14));
    CHECK(materia::debye_heat_capacity(0.0) == 1.0);
    // T³ law: C/T³ → 12π⁴R n_D/(5Θ³) = β.
    const double theta = 155.0, T = 0.5;
    const double cv = 3.0 * materia::gas_constant * materia::debye_heat_capacity(theta / T);
    CHECK(cv / (T * T * T) == Approx(materia::debye_beta_from_theta(theta)).epsilon(1e-12));
    // Derivative against a central difference.
    for (double xx : {0.005, 0.5, 3.0, 20.0}) {
        const double h = 1e-5 * xx;
        const double fd = (materia::debye_heat_capacity(xx + h) - materia::debye_heat_capacity(xx - h)) / (2 * h);
        CHECK(materia::debye_heat_capacity_dx(xx) == Approx(fd).epsilon(1e-7));
    }
}

TEST_CASE("einstein_heat_capacity: SCIENCE.md 5.3 table, limits, derivative") {
    const double tr[] = {0.05, 0.1, 0.2, 0.5, 1, 2};
    // mpmath x²eˣ/(eˣ−1)²; SCIENCE.md rounds these to 6 decimals: 0.000001, 0.004540, 0.170742,
    // 0.724062, 0.920674, 0.979425.  (Its parenthetical "1.2e-6" at T/Θ = 0.05 is a slip: the value
    // is 8.24e-7, which rounds to the tabulated 0.000001.)
    const double mp[] = {8.2446145237410739e-07, 0.004540405235047543, 0.17074182200480145,
                         0.72406166096631042,    0.92067359420779227,  0.97942452225819099};
    const double sci[] = {0.000001, 0.004540, 0.170742, 0.724062, 0.920674, 0.979425};
    for (int i = 0; i < 6; ++i) {
        const double c = materia::einstein_heat_capacity(1.0 / tr[i]);
        CHECK(c == Approx(mp[i]).epsilon(1e-14));
        CHECK(std::abs(c - sci[i]) <= 5e-7);
    }
    CHECK(materia::einstein_heat_capacity(0.0) == 1.0);
    CHECK(materia::einstein_heat_capacity(1e-8) == Approx(1.0).epsilon(1e-15));
    CHECK(materia::einstein_heat_capacity(2000.0) == 0.0);
    for (double xx : {1e-4, 0.3, 2.0, 15.0}) {
        const double h = 1e-5 * xx;
        const double fd = (materia::einstein_heat_capacity(xx + h) - materia::einstein_heat_capacity(xx - h)) / (2 * h);
        CHECK(materia::einstein_heat_capacity_dx(xx) == Approx(fd).epsilon(1e-6));
    }
}

TEST_CASE("debye: beta <-> theta_D with the n_D convention") {
    // SCIENCE.md §5.1/5.3: 12π⁴R/5 = 1943.770 J/mol/K; Θ_D = 155 K → β = 5.21975e-4 n_D.
    CHECK(materia::debye_beta_coefficient == Approx(1943.7701905333734).epsilon(1e-15));
    CHECK(materia::debye_beta_from_theta(155.0) == Approx(5.21975e-4).epsilon(1e-5));
    CHECK(materia::debye_beta_from_theta(155.0, 14.0) == Approx(7.3077e-3).epsilon(1e-4));
    CHECK(materia::debye_theta_from_beta(materia::debye_beta_from_theta(155.0, 3.5), 3.5) == Approx(155.0).epsilon(1e-14));
    // Low-T model: Θ_D uses n_D = N − Σ p_n.
    materia::low_t_model m;
    m.beta = materia::debye_beta_from_theta(155.0, 14.0 - 2.0);
    m.terms = {{3.0 * materia::gas_constant * 0.5, 32.8}, {3.0 * materia::gas_constant * 1.5, 61.1}};
    CHECK(m.einstein_weight() == Approx(2.0).epsilon(1e-15));
    CHECK(m.theta_D(14.0) == Approx(155.0).epsilon(1e-13));
    CHECK_THROWS_AS((void)materia::debye_theta_from_beta(-1e-4), materia::invalid_argument);
    CHECK_THROWS_AS((void)m.theta_D(1.0), materia::invalid_argument);  // n_D = −1
}

TEST_CASE("einstein: the C/T^3 peak sits at Theta_E/4.928") {
    // x* solves x = 5 tanh(x/2) (d/dx of x⁵eˣ/(eˣ−1)² = 0).
    const double xs = materia::einstein_peak_x;
    CHECK(xs == Approx(5.0 * std::tanh(0.5 * xs)).epsilon(1e-15));
    CHECK(xs == Approx(4.928120).epsilon(2e-7));  // SCIENCE.md quotes 4.928120 (true 4.9281194)
    // The C/T³ of one Einstein term, maximised numerically by golden section over T.
    for (double theta : {32.8, 61.1, 114.0}) {
        materia::low_t_model m;
        m.terms = {{1.0, theta}};
        double a = 0.05 * theta, b = 0.5 * theta;
        const double g = 0.5 * (std::sqrt(5.0) - 1.0);
        for (int it = 0; it < 200; ++it) {
            const double c = b - g * (b - a), d = a + g * (b - a);
            if (m.c_over_t3(c) > m.c_over_t3(d)) b = d;
            else a = c;
        }
        CHECK(0.5 * (a + b) == Approx(materia::einstein_peak_temperature(theta)).epsilon(1e-7));
    }
    // Cu7PS6 (SCIENCE.md §5.3): Θ_E = 32.8, 61.1, 114 K → peaks at 6.656, 12.398, 23.133 K.
    CHECK(materia::einstein_peak_temperature(32.8) == Approx(6.656).epsilon(1e-4));
    CHECK(materia::einstein_peak_temperature(61.1) == Approx(12.398).epsilon(1e-4));
    CHECK(materia::einstein_peak_temperature(114.0) == Approx(23.133).epsilon(1e-4));
}

TEST_CASE("low_t_model: Dulong–Petit limits and the full-T model") {
    // One Einstein term saturates at A = 3R p for T ≫ Θ.
    materia::low_t_model m;
    m.terms = {{3.0 * materia::gas_constant * 2.0, 50.0}};
    CHECK(m.cp(1e5) == Approx(6.0 * materia::gas_constant).epsilon(1e-6));
    // Full model: n_D + Σp = N → 3RN at high T; T³ law plus γT at low T.
    const std::vector<materia::einstein_term> terms{{3.0 * materia::gas_constant * 0.85, 60.0}};
    const double N = 14.0, nD = N - 0.85;
    CHECK(materia::debye_einstein_cp(1e5, 0.0, nD, 155.0, terms) == Approx(3.0 * materia::gas_constant * N).epsilon(1e-6));
    const double T = 0.3;
    CHECK(materia::debye_einstein_cp(T, 1e-3, nD, 155.0, {}) ==
          Approx(1e-3 * T + materia::debye_beta_from_theta(155.0, nD) * T * T * T).epsilon(1e-12));
    // Gradient of the C/T model against central differences.
    const std::vector<double> p{5e-3, 1.2e-4, 1.2, 5.0, 15.0, 32.8, 61.1, 114.0};
    std::vector<double> g(8), gd(8);
    const double t = 7.3;
    const double y = materia::low_t_c_over_t(t, p, 8, g);
    CHECK(y == Approx(materia::low_t_model::from_params(p, 8).c_over_t(t)).epsilon(1e-15));
    for (std::size_t j = 0; j < 8; ++j) {
        auto pp = p, pm = p;
        const double h = 1e-6 * std::abs(p[j]);
        pp[j] += h;
        pm[j] -= h;
        const double fd = (materia::low_t_c_over_t(t, pp, 8, gd) - materia::low_t_c_over_t(t, pm, 8, gd)) / (2 * h);
        CHECK(g[j] == Approx(fd).epsilon(1e-6));
    }
}

TEST_CASE("debye/einstein: bad input throws") {
    CHECK_THROWS_AS((void)materia::debye_function(0, 1.0), materia::domain_error);
    CHECK_THROWS_AS((void)materia::debye_function(8, 1.0), materia::domain_error);
    CHECK_THROWS_AS((void)materia::debye_function(3, -1.0), materia::domain_error);
    CHECK(std::isnan(materia::debye_function(3, std::nan(""))));
    CHECK_THROWS_AS((void)materia::einstein_heat_capacity(-0.1), materia::domain_error);
    CHECK_THROWS_AS((void)materia::debye_heat_capacity(-0.1), materia::domain_error);
    CHECK_THROWS_AS((void)materia::debye_beta_from_theta(0.0), materia::invalid_argument);
    materia::low_t_model m;
    CHECK_THROWS_AS((void)m.c_over_t(0.0), materia::domain_error);
    const std::vector<double> odd{1, 2, 3};
    CHECK_THROWS_AS((void)materia::low_t_model::from_params(odd, 3), materia::invalid_argument);
}

}  // TEST_SUITE
