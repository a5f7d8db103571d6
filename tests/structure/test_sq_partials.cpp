// Partial structure factors: FZ ↔ AL ↔ BT round trips and the identities of SCIENCE.md 2.1.
#include <materia/structure/sq_partials.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using doctest::Approx;

namespace {
/// Synthetic binary FZ partials with chemical order (species "Ga", "Se"), c = 0.4.
materia::sq_partials synthetic(double c) {
    materia::sq_partials p;
    p.species = {"Ga", "Se"};
    p.concentration = {c, 1 - c};
    for (int k = 0; k < 50; ++k) p.q.push_back(0.2 + 0.3 * k);
    p.s.assign(3, {});
    for (double q : p.q) {
        p.s[0].push_back(1 + 0.8 * std::sin(2.5 * q) / q);
        p.s[1].push_back(1 - 0.5 * std::sin(2.4 * q) / q + 0.1 * std::exp(-q));  // cross
        p.s[2].push_back(1 + 0.3 * std::sin(3.7 * q) / q);
    }
    return p;
}
}  // namespace

TEST_SUITE("structure.sq") {
    TEST_CASE("sq partials: Ashcroft–Langreth round trip and definition") {
        const auto fz = synthetic(0.4);
        const auto al = materia::ashcroft_langreth_from_faber_ziman(fz);
        for (std::size_t k = 0; k < fz.q.size(); ++k) {
            CHECK(al.at(0, 0, k) == Approx(1 + 0.4 * (fz.at(0, 0, k) - 1)).epsilon(1e-14));
            CHECK(al.at(0, 1, k) == Approx(std::sqrt(0.24) * (fz.at(0, 1, k) - 1)).epsilon(1e-14).scale(1.0));
        }
        const auto back = materia::faber_ziman_from_ashcroft_langreth(al);
        for (std::size_t p = 0; p < 3; ++p)
            for (std::size_t k = 0; k < fz.q.size(); ++k) CHECK(back.s[p][k] == Approx(fz.s[p][k]).epsilon(1e-13));
    }

    TEST_CASE("sq partials: Bhatia–Thornton round trip, no-chemical-order and large-Q limits") {
        const auto fz = synthetic(0.4);
        const auto bt = materia::bhatia_thornton_from_faber_ziman(fz);
        const auto back = materia::faber_ziman_from_bhatia_thornton(bt);
        for (std::size_t p = 0; p < 3; ++p)
            for (std::size_t k = 0; k < fz.q.size(); ++k) CHECK(back.s[p][k] == Approx(fz.s[p][k]).epsilon(1e-12));
        // S_NN is the number-weighted FZ total
        const auto tot = materia::faber_ziman_total(fz, materia::sq_weighting::number);
        for (std::size_t k = 0; k < fz.q.size(); ++k) CHECK(bt.nn[k] == Approx(tot[k]).epsilon(1e-14));
        // no chemical order: all S_ab = S  ⇒  S_NN = S, S_NC = 0, S_CC = c(1−c)
        auto same = fz;
        same.s[1] = same.s[0];
        same.s[2] = same.s[0];
        const auto b2 = materia::bhatia_thornton_from_faber_ziman(same);
        for (std::size_t k = 0; k < fz.q.size(); ++k) {
            CHECK(b2.nn[k] == Approx(same.s[0][k]).epsilon(1e-14));
            CHECK(std::abs(b2.nc[k]) < 1e-15);
            CHECK(b2.cc[k] == Approx(0.24).epsilon(1e-14));
        }
        // large Q: S_ab → 1  ⇒  (1, 0, c(1−c))
        auto one = fz;
        for (auto& v : one.s)
            for (double& x : v) x = 1.0;
        const auto b3 = materia::bhatia_thornton_from_faber_ziman(one);
        CHECK(b3.nn[7] == Approx(1.0).epsilon(1e-15));
        CHECK(b3.nc[7] == 0.0);
        CHECK(b3.cc[7] == Approx(0.24).epsilon(1e-15));
        // AL ↔ BT through FZ
        const auto via = materia::bhatia_thornton_from_faber_ziman(
            materia::faber_ziman_from_ashcroft_langreth(materia::ashcroft_langreth_from_faber_ziman(fz)));
        for (std::size_t k = 0; k < fz.q.size(); ++k) CHECK(via.cc[k] == Approx(bt.cc[k]).epsilon(1e-12));
    }

    TEST_CASE("sq partials: weighted totals (neutron constant weights, X-ray q-dependent)") {
        const auto fz = synthetic(1.0 / 3.0);
        const double bga = materia::neutron_scattering_length("Ga"), bse = materia::neutron_scattering_length("Se");
        const auto tn = materia::faber_ziman_total(fz, materia::sq_weighting::neutron);
        const auto tf = materia::faber_ziman_total(fz, std::vector<double>{bga, bse});
        const double c = 1.0 / 3.0, mean = c * bga + (1 - c) * bse;
        for (std::size_t k = 0; k < fz.q.size(); ++k) {
            CHECK(tn[k] == Approx(tf[k]).epsilon(1e-14));
            const double ref = (c * c * bga * bga * fz.at(0, 0, k) + 2 * c * (1 - c) * bga * bse * fz.at(0, 1, k) +
                                (1 - c) * (1 - c) * bse * bse * fz.at(1, 1, k)) / (mean * mean);
            CHECK(tn[k] == Approx(ref).epsilon(1e-13));
        }
        const auto tx = materia::faber_ziman_total(fz, materia::sq_weighting::xray);
        const auto k = std::size_t{20};
        const double fga = materia::xray_form_factor("Ga", fz.q[k]), fse = materia::xray_form_factor("Se", fz.q[k]);
        const double mx = c * fga + (1 - c) * fse;
        CHECK(tx[k] == Approx((c * c * fga * fga * fz.at(0, 0, k) + 2 * c * (1 - c) * fga * fse * fz.at(0, 1, k) +
                               (1 - c) * (1 - c) * fse * fse * fz.at(1, 1, k)) / (mx * mx)).epsilon(1e-13));
    }

    TEST_CASE("sq partials: bad input") {
        auto fz = synthetic(0.4);
        fz.s.pop_back();
        CHECK_THROWS_AS((void)materia::faber_ziman_total(fz, materia::sq_weighting::number), materia::invalid_argument);
        auto three = synthetic(0.4);
        three.species.push_back("O");
        three.concentration = {0.3, 0.3, 0.4};
        three.s.resize(6, three.s[0]);
        CHECK_THROWS_AS((void)materia::bhatia_thornton_from_faber_ziman(three), materia::invalid_argument);
        auto bt = materia::bhatia_thornton_from_faber_ziman(synthetic(0.4));
        bt.c = 1.0;
        CHECK_THROWS_AS((void)materia::faber_ziman_from_bhatia_thornton(bt), materia::domain_error);
        auto al = materia::ashcroft_langreth_from_faber_ziman(synthetic(0.4));
        al.concentration = {0.0, 1.0};
        CHECK_THROWS_AS((void)materia::faber_ziman_from_ashcroft_langreth(al), materia::domain_error);
    }
}
