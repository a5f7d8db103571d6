// Debye scattering equation: dimer (SCIENCE.md 2.4 case 4), exact vs an independent double sum,
// histogram vs exact within the stated bound, ASE XrDebye agreement, partial consistency, bad input.
#include <materia/structure/sq_debye.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "xyz_fixture.hpp"

using doctest::Approx;
using materia::species_list;
using pts = std::vector<std::array<double, 3>>;

namespace {
std::vector<double> q_grid(double q0, double q1, int n) {
    std::vector<double> q;
    for (int k = 0; k < n; ++k) q.push_back(q0 + (q1 - q0) * k / (n - 1));
    return q;
}
/// A random two-species cluster (fixed seed), positions in a cube of side `side`.
pts random_cluster(std::size_t n, double side, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, side);
    pts p;
    for (std::size_t i = 0; i < n; ++i) p.push_back({u(rng), u(rng), u(rng)});
    return p;
}
}  // namespace

TEST_SUITE("structure.sq") {
    TEST_CASE("sq debye: dimer I(Q) = 2f²[1 + sin(Qd)/(Qd)], I(0) = 4f²") {
        const double d = 2.35;
        const pts p{{0, 0, 0}, {d * 0.6, d * 0.8, 0}};
        const auto sp = species_list::from_names(std::vector<std::string>{"Si", "Si"});
        const auto q = q_grid(0.0, 15.0, 31);
        for (double bw : {0.0, 1e-3}) {
            materia::debye_params prm;
            prm.bin_width = bw;
            const auto res = materia::debye_sq(p, sp, q, prm);
            const auto in = res.intensity();
            const auto ix = res.intensity(materia::sq_weighting::xray);
            const auto sd = res.s_debye();
            const double eps = bw == 0 ? 1e-12 : 1e-8;  // histogram: bound q³Δr³/192 ≤ 1.8e-8 per pair
            for (std::size_t k = 0; k < q.size(); ++k) {
                const double sinc = q[k] == 0 ? 1.0 : std::sin(q[k] * d) / (q[k] * d);
                const double f = materia::xray_form_factor("Si", q[k]);
                CHECK(in[k] == Approx(2 * (1 + sinc)).epsilon(eps).scale(1.0));
                CHECK(ix[k] == Approx(2 * f * f * (1 + sinc)).epsilon(eps));
                CHECK(sd[k] == Approx(1 + sinc).epsilon(eps).scale(1.0));
            }
            CHECK(in[0] == Approx(4.0).epsilon(1e-14));
        }
    }

    TEST_CASE("sq debye: exact equals an independent all-pairs double sum (two species, X-ray)") {
        const auto p = random_cluster(60, 12.0, 11);
        std::vector<std::string> names;
        for (std::size_t i = 0; i < p.size(); ++i) names.push_back(i % 3 == 0 ? "Si" : "O");
        const auto sp = species_list::from_names(names);
        const auto q = q_grid(0.0, 20.0, 21);
        materia::debye_params prm;
        prm.bin_width = 0;
        prm.threads = 2;
        const auto res = materia::debye_sq(p, sp, q, prm);
        const auto ix = res.intensity(materia::sq_weighting::xray);
        for (std::size_t k = 0; k < q.size(); ++k) {
            double ref = 0;  // Σ_i Σ_j f_i f_j sinc(q r_ij), self terms included
            for (std::size_t i = 0; i < p.size(); ++i)
                for (std::size_t j = 0; j < p.size(); ++j) {
                    const double dx = p[i][0] - p[j][0], dy = p[i][1] - p[j][1], dz = p[i][2] - p[j][2];
                    const double x = q[k] * std::sqrt(dx * dx + dy * dy + dz * dz);
                    ref += materia::xray_form_factor(names[i], q[k]) * materia::xray_form_factor(names[j], q[k]) *
                           (x == 0 ? 1.0 : std::sin(x) / x);
                }
            CHECK(ix[k] == Approx(ref).epsilon(1e-11));
        }
        // I(0) = (Σ f)² = (20·14 + 40·8)² with f(0) ≈ Z
        CHECK(res.intensity({8.0, 14.0})[0] == Approx(std::pow(20 * 14.0 + 40 * 8.0, 2)).epsilon(1e-12));
        // S_FZ from the pair sums equals the FZ-weighted total of the partials
        const auto sfz = res.s_faber_ziman(materia::sq_weighting::xray);
        const auto tot = materia::faber_ziman_total(res.partials(), materia::sq_weighting::xray);
        for (std::size_t k = 0; k < q.size(); ++k) CHECK(sfz[k] == Approx(tot[k]).epsilon(1e-12));
        // number weighting: S_Debye = S_FZ
        const auto a = res.s_debye(), b = res.s_faber_ziman();
        for (std::size_t k = 0; k < q.size(); ++k) CHECK(a[k] == Approx(b[k]).epsilon(1e-13));
    }

    TEST_CASE("sq debye: histogram method within its stated error bound of the exact sum") {
        const auto p = random_cluster(250, 17.0, 5);
        std::vector<std::string> names;
        for (std::size_t i = 0; i < p.size(); ++i) names.push_back(i % 2 ? "Ge" : "Se");
        const auto sp = species_list::from_names(names);
        const auto q = q_grid(0.5, 25.0, 50);
        materia::debye_params ex;
        ex.bin_width = 0;
        const auto exact = materia::debye_sq(p, sp, q, ex);
        const auto se = exact.s_debye(materia::sq_weighting::neutron);
        for (double bw : {1e-3, 0.02, 0.1}) {
            materia::debye_params hp;
            hp.bin_width = bw;
            hp.threads = 2;
            const auto h = materia::debye_sq(p, sp, q, hp);
            const auto sh = h.s_debye(materia::sq_weighting::neutron);
            const auto bound = h.s_error_bound(materia::sq_weighting::neutron);
            double worst = 0;
            for (std::size_t k = 0; k < q.size(); ++k) {
                CHECK(std::abs(sh[k] - se[k]) <= bound[k] + 1e-12);
                worst = std::max(worst, std::abs(sh[k] - se[k]));
            }
            if (bw == 1e-3) CHECK(worst < 1e-6);  // the default bin is far below plotting accuracy
            if (bw == 0.1) CHECK(worst > 1e-6);   // and the bound is not vacuous: coarse bins do err
            // per-pair bound q³Δr³/192
            CHECK(h.error_bound_per_pair.back() == Approx(25.0 * 25.0 * 25.0 * bw * bw * bw / 192).epsilon(1e-14));
        }
        // thread count changes only summation order
        materia::debye_params t1, t2;
        t1.threads = 1;
        t2.threads = 2;
        const auto a = materia::debye_sq(p, sp, q, t1).s_debye(), b = materia::debye_sq(p, sp, q, t2).s_debye();
        for (std::size_t k = 0; k < q.size(); ++k) CHECK(a[k] == Approx(b[k]).epsilon(1e-12));
    }

    TEST_CASE("sq debye: agrees with ASE XrDebye on a 24-atom Si8O16 cluster (f = Z, no PBC)") {
        // Reference: /usr/bin/python3 /work/shared/peers/ase_xrdebye.py tests/data/structure/sq/cluster_24.xyz
        //            --qmin 0.5 --qmax 12 --nq 24   (python3-ase 3.22.1; stored as cluster_24_xrdebye.dat)
        // e.g. q = 0.5: I = 19413.4391267, S = 7.48975274949; q = 4: I = 3118.80415991; q = 12: I = 2565.36333351
        const auto fx = materia::test::read_fixture(materia::test::data_path("structure/sq/cluster_24.xyz"));
        const auto ref = materia::test::read_table(materia::test::data_path("structure/sq/cluster_24_xrdebye.dat"));
        REQUIRE(ref.size() == 3);
        REQUIRE(ref[0].size() == 24);
        const auto sp = species_list::from_names(fx.species);
        REQUIRE(sp.names() == std::vector<std::string>{"O", "Si"});
        for (double bw : {0.0, 1e-3}) {
            materia::debye_params prm;
            prm.bin_width = bw;
            const auto res = materia::debye_sq(fx.pos, sp, ref[0], prm);
            const auto in = res.intensity({8.0, 14.0});
            const double nf2 = 16 * 64.0 + 8 * 196.0;  // N<f²>
            for (std::size_t k = 0; k < ref[0].size(); ++k) {
                CHECK(in[k] == Approx(ref[1][k]).epsilon(1e-9));
                CHECK(in[k] / nf2 == Approx(ref[2][k]).epsilon(1e-9));
            }
        }
        CHECK(ref[1][0] == 19413.4391267);
    }

    TEST_CASE("sq debye: bad input") {
        const pts p{{0, 0, 0}, {1, 0, 0}};
        const auto sp = species_list::from_names(std::vector<std::string>{"Si", "Si"});
        const std::vector<double> q{1.0};
        materia::debye_params prm;
        CHECK_THROWS_AS((void)materia::debye_sq(p, species_list::from_names(std::vector<std::string>{"Si"}), q, prm),
                        materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::debye_sq(pts{}, species_list::from_names(std::vector<std::string>{}), q, prm),
                        materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::debye_sq(p, sp, std::vector<double>{-1.0}, prm), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::debye_sq(pts{{0, 0, 0}, {NAN, 0, 0}}, sp, q, prm), materia::invalid_argument);
        prm.bin_width = -1;
        CHECK_THROWS_AS((void)materia::debye_sq(p, sp, q, prm), materia::invalid_argument);
        prm.bin_width = 1e-12;  // absurd histogram size
        CHECK_THROWS_AS((void)materia::debye_sq(pts{{0, 0, 0}, {100, 0, 0}}, sp, q, prm), materia::invalid_argument);
        const auto res = materia::debye_sq(p, species_list::from_names(std::vector<std::string>{"Qx", "Qx"}), q);
        CHECK_THROWS_AS((void)res.intensity(materia::sq_weighting::xray), materia::invalid_argument);  // unknown element
        CHECK_THROWS_AS((void)res.intensity(std::vector<double>{1, 2}), materia::invalid_argument);
    }
}
