// Scattering tables and weights: WK form factors, neutron b_c, Faber–Ziman weights (SCIENCE.md §2.3–2.4).
#include <materia/structure/scattering_tables.hpp>
#include <materia/structure/sq_weights.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <set>
#include <string>

using doctest::Approx;

TEST_SUITE("structure.sq") {
    TEST_CASE("sq tables: WK form factors at q = 0: reference values and f0(0) ≈ Z (SCIENCE.md 2.3)") {
        CHECK(materia::xray_form_factor("Si", 0.0) == Approx(13.9989).epsilon(5e-6));
        CHECK(materia::xray_form_factor("O", 0.0) == Approx(7.9997).epsilon(1e-5));
        CHECK(materia::xray_form_factor("Cu", 0.0) == Approx(28.9921).epsilon(5e-6));
        CHECK(materia::xray_form_factor("Te", 0.0) == Approx(52.0010).epsilon(5e-6));
        // every neutral element with coefficients: |f0(0) − Z| < 0.04 electrons (WK fit quality; 5d metals ≈ 0.038)
        int with_wk = 0;
        for (const auto& e : materia::scattering_tables::elements) {
            if (!e.has_wk) continue;
            ++with_wk;
            const double f0 = materia::wk_form_factor(e.a, e.c, e.b, 0.0);
            CHECK_MESSAGE(std::abs(f0 - e.z) < 0.04, e.symbol);
        }
        CHECK(with_wk == 100);  // H…Cf (98) + D + T
    }

    TEST_CASE("sq tables: WK form factors at s = 0.5 / Å (q = 2π) (SCIENCE.md 2.4 case 5)") {
        const double q = 4 * std::numbers::pi * 0.5;
        CHECK(materia::xray_form_factor("Si", q) == Approx(6.23962).epsilon(1e-6));
        CHECK(materia::xray_form_factor("O", q) == Approx(2.33791).epsilon(1e-6));
        CHECK(materia::xray_form_factor("Cu", q) == Approx(13.71162).epsilon(1e-6));
        CHECK(materia::xray_form_factor("Te", q) == Approx(27.44425).epsilon(1e-6));
        CHECK(materia::xray_form_factor("Si", 2.0) == Approx(10.54461).epsilon(1e-6));
        CHECK(materia::xray_form_factor("O", 2.0) == Approx(6.31826).epsilon(1e-6));
        // ions by exact name: O2- has 10 electrons at q = 0
        CHECK(materia::xray_form_factor("O2-", 0.0) == Approx(10.0).epsilon(2e-3));
        CHECK(materia::xray_form_factor("Si4+", 0.0) == Approx(10.0).epsilon(2e-3));
    }

    TEST_CASE("sq tables: neutron coherent scattering lengths (Rauch & Waschkowski via periodictable)") {
        CHECK(materia::neutron_scattering_length("H") == -3.7409);
        CHECK(materia::neutron_scattering_length("D") == 6.674);
        CHECK(materia::neutron_scattering_length("C") == 6.6484);
        CHECK(materia::neutron_scattering_length("O") == 5.805);
        CHECK(materia::neutron_scattering_length("Si") == 4.15071);
        CHECK(materia::neutron_scattering_length("Cu") == 7.718);
        CHECK(materia::neutron_scattering_length("Ge") == 8.185);
        CHECK(materia::neutron_scattering_length("Te") == 5.68);
        CHECK(materia::neutron_scattering_length("Ti") == -3.37);
        CHECK(materia::neutron_scattering_length("V") == -0.443);
        CHECK(materia::neutron_scattering_length("Li") == -1.90);
        // name normalisation
        CHECK(materia::neutron_scattering_length("SI") == 4.15071);
        CHECK(materia::neutron_scattering_length("si1") == 4.15071);
        CHECK(materia::find_element("Sb").z == 51);
        CHECK(materia::find_element("Se").z == 34);
        // table integrity: Z 1…118 once each, plus D and T
        std::set<int> zs;
        for (const auto& e : materia::scattering_tables::elements)
            if (e.symbol != "D" && e.symbol != "T") zs.insert(e.z);
        CHECK(zs.size() == 118);
        CHECK(*zs.rbegin() == 118);
    }

    TEST_CASE("sq tables: Faber–Ziman weights of a-SiO2 (SCIENCE.md 2.4 case 6)") {
        const std::vector<double> c{1.0 / 3.0, 2.0 / 3.0};
        {  // neutron, Sears 1992 lengths
            const auto w = materia::faber_ziman_weights(c, {4.1491, 5.803});
            CHECK(w[0] == Approx(0.069353).epsilon(1e-5));
            CHECK(w[1] + w[2] == Approx(0.387993).epsilon(1e-5));
            CHECK(w[3] == Approx(0.542654).epsilon(1e-5));
            CHECK(w[0] + w[1] + w[2] + w[3] == Approx(1.0).epsilon(1e-14));
        }
        {  // X-ray at q = 0 with f = Z
            const auto w = materia::faber_ziman_weights(c, {14, 8});
            CHECK(w[0] == Approx(0.217778).epsilon(1e-5));
            CHECK(w[1] + w[2] == Approx(0.497778).epsilon(1e-5));
            CHECK(w[3] == Approx(0.284444).epsilon(1e-5));
        }
        {  // X-ray WK at q = 2 / Å
            const auto f = materia::scattering_factors(materia::sq_weighting::xray, {"Si", "O"}, 2.0);
            const auto w = materia::faber_ziman_weights(c, f);
            CHECK(w[0] == Approx(0.206915).epsilon(1e-5));
            CHECK(w[1] + w[2] == Approx(0.495928).epsilon(1e-5));
            CHECK(w[3] == Approx(0.297157).epsilon(1e-5));
        }
        {  // number weighting: w_ab = c_a c_b
            const auto f = materia::scattering_factors(materia::sq_weighting::number, {"Si", "O"}, 5.0);
            const auto w = materia::faber_ziman_weights(c, f);
            CHECK(w[0] == Approx(1.0 / 9.0).epsilon(1e-14));
            CHECK(w[3] == Approx(4.0 / 9.0).epsilon(1e-14));
        }
    }

    TEST_CASE("sq tables: bad input is refused with the value named") {
        CHECK_THROWS_AS((void)materia::find_element("Xx"), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::find_element("12"), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::neutron_scattering_length("Po"), materia::invalid_argument);  // not tabulated
        CHECK_THROWS_AS((void)materia::xray_form_factor("Es", 1.0), materia::invalid_argument);       // Z = 99, no WK
        CHECK_THROWS_AS((void)materia::xray_form_factor("Si", -1.0), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::faber_ziman_weights({0.5, 0.5}, {1.0}), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::faber_ziman_weights({0.5, 0.6}, {1.0, 1.0}), materia::invalid_argument);
        // null-scattering Ti–V-like mixture: <f> = 0
        CHECK_THROWS_AS((void)materia::faber_ziman_weights({0.5, 0.5}, {-1.0, 1.0}), materia::domain_error);
        try {
            (void)materia::find_element("Qq");
            FAIL("no exception");
        } catch (const materia::invalid_argument& e) {
            CHECK(std::string(e.what()).find("Qq") != std::string::npos);
        }
    }
}
