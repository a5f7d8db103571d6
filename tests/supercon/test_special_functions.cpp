// Tests of materia/numerics/special_functions.hpp (digamma, polygamma) and numerics/roots.hpp.
// Reference values: mpmath 1.2.1 at 30 digits, command
//   /usr/bin/python3 -c "import mpmath as mp; mp.mp.dps=30; print(mp.digamma(mp.mpc(0.5,1)))"  (etc.)
// and closed forms (Abramowitz & Stegun 6.3.2, 6.3.4, 6.3.12, 6.3.13, 6.4.2, 6.4.4).
#include <doctest/doctest.h>

#include <materia/numerics/roots.hpp>
#include <materia/numerics/special_functions.hpp>

#include <cmath>
#include <complex>
#include <limits>
#include <numbers>

using doctest::Approx;
using cplx = std::complex<double>;

namespace {
constexpr double eg = std::numbers::egamma;
constexpr double pi = std::numbers::pi;
}  // namespace

TEST_SUITE("numerics.special_functions") {

TEST_CASE("digamma: exact values psi(1) = -gamma, psi(1/2) = -gamma - 2 ln 2, psi(n+1) = H_n - gamma") {
    CHECK(materia::digamma(1.0) == Approx(-eg).epsilon(1e-15));
    CHECK(materia::digamma(0.5) == Approx(-eg - 2.0 * std::numbers::ln2).epsilon(1e-15));
    double harmonic = 0;
    for (int n = 1; n <= 40; ++n) {
        harmonic += 1.0 / n;
        CHECK(materia::digamma(n + 1.0) == Approx(harmonic - eg).epsilon(2e-15));
    }
    // psi(1/4) = -gamma - pi/2 - 3 ln 2 (A&S 6.3.4 / Gauss digamma theorem)
    CHECK(materia::digamma(0.25) == Approx(-eg - pi / 2 - 3 * std::numbers::ln2).epsilon(1e-15));
}

TEST_CASE("digamma: real values against mpmath, including x < 0 (reflection) and huge x") {
    struct ref { double x, v; };
    const ref refs[] = {{1e-8, -100000000.57721565},     {0.1, -10.423754940411076},
                        {2.5, 0.70315664064524319},      {30.0, 3.3844381326855249},
                        {1e6, 13.815510057964191},       {-0.5, 0.036489973978576521},
                        {-3.7, -0.84507685887041935},    {-100.2, 8.936181238479745}};
    for (const auto& r : refs) CHECK(materia::digamma(r.x) == Approx(r.v).epsilon(1e-14));
    // The positive root x0 = 1.4616321449683623: |psi| tiny in absolute terms.
    CHECK(std::abs(materia::digamma(1.4616321449683623)) < 1e-15);
}

TEST_CASE("digamma: complex values against mpmath and closed forms") {
    struct ref { cplx z, v; };
    const ref refs[] = {
        {{0.5, 1.0}, {-0.051761650994412543, 1.5649405178158793}},
        {{3.0, -2.0}, {1.1645915153739775, -0.67080728264223023}},
        {{-2.5, 0.3}, {1.1080030134754656, 2.2145460646932183}},
        {{0.25, 50.0}, {3.9120188386885589, 1.5757964518105264}},
        {{1e4, 3e4}, {10.361627918539872, 1.2490607724482544}},
        {{-7.3, -0.01}, {4.333870300067601, -0.14938580025639885}},
        {{0.01, 0.02}, {-20.560417536079258, 40.03241593888438}},
    };
    for (const auto& r : refs) {
        const cplx v = materia::digamma(r.z);
        CHECK(std::abs(v - r.v) <= 1e-13 * std::abs(r.v));
    }
    // Im psi(1/2 + iy) = (pi/2) tanh(pi y);  Im psi(1 + iy) = -1/(2y) + (pi/2) coth(pi y)  (A&S 6.3.12–13)
    for (double y : {1e-6, 0.01, 0.3, 1.0, 2.7, 10.0, 123.0, 1e4}) {
        CHECK(materia::digamma(cplx(0.5, y)).imag() == Approx(pi / 2 * std::tanh(pi * y)).epsilon(1e-13));
        if (y >= 0.01)  // below, the closed form itself cancels catastrophically
            CHECK(materia::digamma(cplx(1.0, y)).imag() ==
                  Approx(-1.0 / (2 * y) + pi / 2 / std::tanh(pi * y)).epsilon(1e-12));
    }
    // Conjugate symmetry and agreement with the real function on the real axis.
    CHECK(std::abs(materia::digamma(cplx(2.3, -4.1)) - std::conj(materia::digamma(cplx(2.3, 4.1)))) < 1e-15);
    CHECK(materia::digamma(cplx(3.7, 0.0)).real() == Approx(materia::digamma(3.7)).epsilon(1e-15));
    // Recurrence psi(z+1) = psi(z) + 1/z holds across the series / recurrence switch.
    const cplx z(11.5, 0.7);
    CHECK(std::abs(materia::digamma(z + 1.0) - materia::digamma(z) - 1.0 / z) < 1e-14);
}

TEST_CASE("polygamma: trigamma and higher orders against closed forms and mpmath") {
    CHECK(materia::trigamma(1.0) == Approx(pi * pi / 6).epsilon(1e-14));
    CHECK(materia::trigamma(0.5) == Approx(pi * pi / 2).epsilon(1e-14));
    CHECK(materia::polygamma(2, 1.0) == Approx(-2.4041138063191886).epsilon(1e-14));  // -2 zeta(3)
    struct ref { int n; double x, v; };
    const ref refs[] = {{1, 0.3, 12.245364546107731},       {1, 7.5, 0.1426158966967038},
                        {1, 40, 0.025315103841291028},      {2, 0.3, -75.272536588726039},
                        {2, 7.5, -0.020305252536644664},    {2, 40, -0.00064082027183529859},
                        {3, 0.3, 743.14176465504978},       {3, 1, 6.4939394022668291},
                        {3, 7.5, 0.0057724366565786937},    {3, 40, 3.24414001515635e-5},
                        {4, 0.3, -9883.4685554969897},      {4, 1, -24.886266123440878},
                        {4, 7.5, -0.002457482989368555},    {4, 40, -2.4633778392772127e-6}};
    for (const auto& r : refs) CHECK(materia::polygamma(r.n, r.x) == Approx(r.v).epsilon(1e-13));
}

TEST_CASE("digamma/polygamma: poles and bad orders throw, NaN propagates") {
    CHECK_THROWS_AS((void)materia::digamma(0.0), materia::domain_error);
    CHECK_THROWS_AS((void)materia::digamma(-3.0), materia::domain_error);
    CHECK_THROWS_AS((void)materia::digamma(cplx(-2.0, 0.0)), materia::domain_error);
    CHECK_THROWS_AS((void)materia::polygamma(0, 1.0), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::polygamma(1, -1.0), materia::domain_error);
    CHECK(std::isnan(materia::digamma(std::numeric_limits<double>::quiet_NaN())));
    CHECK(std::isnan(materia::digamma(cplx(std::numeric_limits<double>::quiet_NaN(), 1.0)).real()));
}

}  // TEST_SUITE

TEST_SUITE("numerics.roots") {

TEST_CASE("brent_find_root: cos x = x, cubic, and bracket/iteration reporting") {
    auto f = [](double x) { return std::cos(x) - x; };
    const auto r = materia::brent_find_root(f, 0.0, 1.0);
    CHECK(r.converged());
    CHECK(r.root == Approx(0.73908513321516064).epsilon(1e-15));  // Dottie number
    CHECK(r.lower <= r.root);
    CHECK(r.upper >= r.root);
    CHECK(r.upper - r.lower < 1e-14);
    CHECK(r.iterations < 15);
    // Reversed bracket and a polynomial with a known root.
    auto g = [](double x) { return (x - 2.0) * (x * x + 1.0); };
    const auto s = materia::brent_find_root(g, 5.0, -3.0);
    CHECK(s.converged());
    CHECK(s.root == Approx(2.0).epsilon(1e-15));
    // Loose absolute tolerance stops early but keeps a valid bracket.
    materia::root_options o;
    o.abs_tol = 1e-3;
    const auto t = materia::brent_find_root(f, 0.0, 1.0, o);
    CHECK(t.converged());
    CHECK(std::abs(t.root - 0.73908513321516064) < 1e-3);
}

TEST_CASE("brent_find_root: no sign change, iteration limit and NaN are statuses, not exceptions") {
    auto f = [](double x) { return x * x + 1.0; };
    const auto a = materia::brent_find_root(f, -1.0, 2.0);
    CHECK(a.status == materia::root_status::not_bracketed);
    materia::root_options o;
    o.max_iterations = 4;
    const auto b = materia::brent_find_root([](double x) { return std::exp(x) - 10.0; }, 0.0, 100.0, o);
    CHECK(b.status == materia::root_status::max_iterations);
    CHECK(b.lower <= std::log(10.0));
    CHECK(b.upper >= std::log(10.0));
    const auto c = materia::brent_find_root([](double x) { return x > 0.5 ? std::nan("") : x - 0.7; }, 0.0, 1.0);
    CHECK(c.status == materia::root_status::non_finite);
    CHECK_THROWS_AS((void)materia::brent_find_root(f, 0.0, std::numeric_limits<double>::infinity()),
                    materia::invalid_argument);
}

}  // TEST_SUITE
