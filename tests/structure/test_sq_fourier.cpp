// S(q) ↔ g(r) transforms: Percus–Yevick hard spheres (SCIENCE.md 2.4 case 1), an analytic Gaussian
// shell, the g → S → g round trip, the Lorch window, and bad input.
#include <materia/structure/percus_yevick.hpp>
#include <materia/structure/sq_fourier.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <vector>

using doctest::Approx;

namespace {
constexpr double pi = std::numbers::pi;

/// r h(r) = A [exp(−(r−r0)²/2w²) − exp(−(r+r0)²/2w²)]  ⇒  S(Q) = 1 + 4πρ A w √(2π) e^{−Q²w²/2} sin(Q r0)/Q.
struct gaussian_shell {
    double a = 0.8, r0 = 3.0, w = 0.2, rho = 0.05;
    [[nodiscard]] double g(double r) const {
        if (r == 0) return 1.0 + a * 2 * r0 / (w * w) * std::exp(-r0 * r0 / (2 * w * w));
        return 1.0 + a * (std::exp(-(r - r0) * (r - r0) / (2 * w * w)) - std::exp(-(r + r0) * (r + r0) / (2 * w * w))) / r;
    }
    [[nodiscard]] double s(double q) const {
        const double amp = 4 * pi * rho * a * w * std::sqrt(2 * pi) * std::exp(-q * q * w * w / 2);
        return 1.0 + (q == 0 ? amp * r0 : amp * std::sin(q * r0) / q);
    }
};
}  // namespace

TEST_SUITE("structure.sq") {
    TEST_CASE("sq fourier: Percus–Yevick S(0), S(qσ=5), S(qσ=10), contact value (SCIENCE.md table)") {
        struct row {
            double eta, s0, s5, s10, gc;
        };
        const row rows[] = {{0.10, 0.455625, 1.038912, 0.974688, 1.296296},
                            {0.30, 0.093789, 0.778166, 0.855206, 2.346939},
                            {0.40, 0.040000, 0.399172, 0.731936, 3.333333},
                            {0.49, 0.017256, 0.158669, 0.570589, 4.786621}};
        for (const auto& r : rows) {
            const materia::percus_yevick_hard_spheres py(r.eta, 1.0);
            CHECK(py.s0() == Approx(r.s0).epsilon(2e-6));
            CHECK(py.s(0.0) == Approx(r.s0).epsilon(2e-6));
            CHECK(py.s(1e-3) == Approx(py.s0()).epsilon(1e-5));  // series branch continuous with q = 0
            CHECK(py.s(0.999) == Approx(py.s(1.001)).epsilon(1e-3));  // series / closed form join
            CHECK(py.s(5.0) == Approx(r.s5).epsilon(2e-6));
            CHECK(py.s(10.0) == Approx(r.s10).epsilon(2e-6));
            CHECK(py.contact_value() == Approx(r.gc).epsilon(2e-6));
        }
        // σ scales q: S(q; σ = 2) = S(2q; σ = 1)
        const materia::percus_yevick_hard_spheres a(0.3, 2.0), b(0.3, 1.0);
        CHECK(a.s(2.5) == Approx(b.s(5.0)).epsilon(1e-13));
        CHECK(a.density() == Approx(6 * 0.3 / (pi * 8)).epsilon(1e-14));
    }

    TEST_CASE("sq fourier: inverse transform of PY S(q), η = 0.4 (SCIENCE.md: g(1.2σ)=1.5985 …)") {
        const materia::percus_yevick_hard_spheres py(0.4, 1.0);
        std::vector<double> q, s;
        for (int k = 0; k <= 200000; ++k) {  // q ≤ 2000/σ, Δq = 0.01/σ, trapezoid
            q.push_back(0.01 * k);
            s.push_back(py.s(q.back()));
        }
        const std::vector<double> r{0.5, 1.0, 1.2, 1.5, 2.0, 2.5};
        const auto res = materia::gr_from_sq(q, s, py.density(), r);
        CHECK(res.g[0] == Approx(0.0).epsilon(2e-3).scale(1.0));  // inside the core
        CHECK(res.g[1] == Approx(1.6667).epsilon(2e-3).scale(1.0));  // Gibbs midpoint g(σ⁺)/2
        CHECK(res.g[2] == Approx(1.5985).epsilon(2e-3).scale(1.0));
        CHECK(res.g[3] == Approx(0.7405).epsilon(2e-3).scale(1.0));
        CHECK(res.g[4] == Approx(1.1417).epsilon(2e-3).scale(1.0));
        CHECK(res.g[5] == Approx(0.9224).epsilon(2e-3).scale(1.0));
        CHECK(res.G[2] == Approx(4 * pi * py.density() * 1.2 * (res.g[2] - 1)).epsilon(1e-12));
        CHECK(res.q_max_used == 2000.0);
    }

    TEST_CASE("sq fourier: forward transform of an analytic Gaussian shell (midpoint rule on bins)") {
        const gaussian_shell m;
        // histogram-like grid: bin centres of 2000 bins on [0, 10)
        std::vector<double> r, g;
        for (int k = 0; k < 2000; ++k) {
            r.push_back(0.005 * (k + 0.5));
            g.push_back(m.g(r.back()));
        }
        const std::vector<double> q{0.0, 0.5, 1.0, 2.09, 5.0, 10.0, 20.0};
        const auto s = materia::sq_from_gr(r, g, m.rho, q);
        for (std::size_t k = 0; k < q.size(); ++k) CHECK(s[k] == Approx(m.s(q[k])).epsilon(2e-6).scale(1.0));
        // the same through the histogram interface (edges)
        std::vector<double> edges;
        for (int k = 0; k <= 2000; ++k) edges.push_back(0.005 * k);
        const auto s2 = materia::sq_from_histogram(edges, g, m.rho, q);
        for (std::size_t k = 0; k < q.size(); ++k) CHECK(s2[k] == Approx(s[k]).epsilon(1e-12));
        // Lorch window M(r) = sinc(πr/R), R = 10: reference by an independent fine Simpson integral
        materia::sq_fourier_params lp;
        lp.window = materia::sq_window::lorch;
        const auto sl = materia::sq_from_gr(r, g, m.rho, q, lp);
        for (std::size_t k = 1; k < q.size(); ++k) {
            const int n = 40000;  // Simpson on [0, 10], h = 2.5e-4
            const double h = 10.0 / n;
            double acc = 0;
            for (int j = 0; j <= n; ++j) {
                const double x = h * j;
                const double mw = x == 0 ? 1.0 : std::sin(pi * x / 10.0) / (pi * x / 10.0);
                const double f = x * (m.g(x) - 1.0) * std::sin(q[k] * x) / q[k] * mw;
                acc += (j == 0 || j == n ? 1.0 : (j % 2 ? 4.0 : 2.0)) * f;
            }
            const double ref = 1.0 + 4 * pi * m.rho * acc * h / 3.0;
            CHECK(sl[k] == Approx(ref).epsilon(2e-6).scale(1.0));
        }
        // r_max truncation = dropping the tail
        lp.window = materia::sq_window::none;
        lp.r_max = 6.0;
        const auto st = materia::sq_from_gr(r, g, m.rho, q, lp);
        CHECK(st[3] == Approx(s[3]).epsilon(1e-9));  // tail beyond 6 Å is ~e^{-112}
    }

    TEST_CASE("sq fourier: inverse of the analytic shell and the g → S → g round trip") {
        const gaussian_shell m;
        std::vector<double> q, s;
        for (int k = 0; k <= 4000; ++k) {  // Q ≤ 40 / Å: S − 1 < e^{-32}
            q.push_back(0.01 * k);
            s.push_back(m.s(q.back()));
        }
        const std::vector<double> rr{0.0, 1.0, 2.8, 3.0, 3.3, 5.0};
        const auto inv = materia::gr_from_sq(q, s, m.rho, rr);
        for (std::size_t k = 0; k < rr.size(); ++k) CHECK(inv.g[k] == Approx(m.g(rr[k])).epsilon(1e-7).scale(1.0));

        // numerical round trip: g (bins) → S (numerical) → g
        std::vector<double> r, g;
        for (int k = 0; k < 2000; ++k) {
            r.push_back(0.005 * (k + 0.5));
            g.push_back(m.g(r.back()));
        }
        const auto s_num = materia::sq_from_gr(r, g, m.rho, q);
        const auto back = materia::gr_from_sq(q, s_num, m.rho, rr);
        for (std::size_t k = 1; k < rr.size(); ++k) CHECK(back.g[k] == Approx(m.g(rr[k])).epsilon(1e-5).scale(1.0));
        // F(Q) = Q (S − 1)
        const auto f = materia::reduced_structure_function(q, s);
        CHECK(f[200] == Approx(q[200] * (s[200] - 1)).epsilon(1e-15));
        // q range control: q_min/q_max select the data used
        materia::gr_inverse_params ip;
        ip.q_max = 20.0;
        ip.window = materia::sq_window::lorch;
        const auto lor = materia::gr_from_sq(q, s, m.rho, rr, ip);
        CHECK(lor.q_max_used == 20.0);
        CHECK(lor.g[3] > 1.0);                           // still a peak at r0
        CHECK(lor.g[3] < inv.g[3]);                      // Lorch broadens: lower maximum
    }

    TEST_CASE("sq fourier: bad input") {
        const std::vector<double> r{0.5, 1.5, 2.5}, g{0.0, 1.2, 1.0}, q{1.0, 2.0};
        CHECK_THROWS_AS((void)materia::sq_from_gr(r, std::vector<double>{1.0, 1.0}, 0.1, q), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::sq_from_gr(r, g, 0.0, q), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::sq_from_gr(std::vector<double>{1.0, 0.5, 2.0}, g, 0.1, q), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::sq_from_gr(r, std::vector<double>{0.0, NAN, 1.0}, 0.1, q), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::sq_from_gr(r, g, 0.1, std::vector<double>{-1.0}), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::gr_from_sq(q, std::vector<double>{1.0}, 0.1, r), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::gr_from_sq(q, std::vector<double>{1.0, 1.0}, -0.1, r), materia::invalid_argument);
        materia::gr_inverse_params ip;
        ip.q_min = 5.0;  // no data left
        CHECK_THROWS_AS((void)materia::gr_from_sq(q, std::vector<double>{1.0, 1.0}, 0.1, r, ip), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::percus_yevick_hard_spheres(1.2), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::percus_yevick_hard_spheres(0.3, -1.0), materia::invalid_argument);
    }
}
