// Peak finding in S(q): PY peak positions (SCIENCE.md table), FSDP + principal peak of a synthetic
// curve with sub-bin refinement, prominence filtering, bad input.
#include <materia/structure/percus_yevick.hpp>
#include <materia/structure/sq_peaks.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

using doctest::Approx;

TEST_SUITE("structure.sq") {
    TEST_CASE("sq peaks: Percus–Yevick first peak position and height, sub-bin refined") {
        struct row {
            double eta, qpeak, smax;
        };
        const row rows[] = {{0.10, 5.9085, 1.0900}, {0.30, 6.3381, 1.5155}, {0.40, 6.6395, 2.0476}, {0.49, 6.9669, 3.0665}};
        for (const auto& r : rows) {
            const materia::percus_yevick_hard_spheres py(r.eta);
            std::vector<double> q, s;
            for (int k = 0; k <= 400; ++k) {  // coarse grid Δq = 0.05: refinement must do the work
                q.push_back(0.05 * k);
                s.push_back(py.s(q.back()));
            }
            materia::sq_peak_params p;
            p.min_prominence = 0.01;
            const auto main = materia::principal_peak(q, s, p);
            REQUIRE(main.has_value());
            CHECK(main->q == Approx(r.qpeak).epsilon(1e-3).scale(1.0));
            CHECK(main->height == Approx(r.smax).epsilon(1e-3).scale(1.0));
            CHECK(std::abs(main->q - q[main->index]) <= 0.025 + 1e-12);
            // PY has no pre-peak: no FSDP
            CHECK_FALSE(materia::first_sharp_diffraction_peak(q, s, p).has_value());
        }
    }

    TEST_CASE("sq peaks: FSDP and principal peak of a glass-like S(q), with noise") {
        // FSDP at 1.2 / Å (height 0.5), principal at 2.2 / Å (1.3), a broad third at 4 / Å
        auto model = [](double q) {
            return 1.0 + 0.5 * std::exp(-(q - 1.2) * (q - 1.2) / (2 * 0.12 * 0.12)) +
                   1.3 * std::exp(-(q - 2.2) * (q - 2.2) / (2 * 0.2 * 0.2)) +
                   0.3 * std::exp(-(q - 4.0) * (q - 4.0) / (2 * 0.4 * 0.4)) - 0.9 * std::exp(-q * q / 0.5);
        };
        std::vector<double> q, s;
        for (int k = 1; k <= 300; ++k) {
            q.push_back(0.02 * k);
            s.push_back(model(q.back()));
        }
        const auto sum = materia::analyse_sq_peaks(q, s);
        REQUIRE(sum.principal.has_value());
        REQUIRE(sum.fsdp.has_value());
        // true maxima of the model (overlapping tails shift them off 1.2 and 2.2): dense scan
        auto argmax = [&](double a, double b) {
            double best = a;
            for (double x = a; x <= b; x += 1e-6)
                if (model(x) > model(best)) best = x;
            return best;
        };
        const double q1 = argmax(1.0, 1.5), q2 = argmax(2.0, 2.5);
        CHECK(q1 == Approx(1.2068).epsilon(1e-3));
        CHECK(sum.principal->q == Approx(q2).epsilon(1e-3).scale(1.0));
        CHECK(sum.fsdp->q == Approx(q1).epsilon(1e-3).scale(1.0));
        CHECK(sum.principal->height == Approx(model(q2)).epsilon(1e-3));
        CHECK(sum.fsdp->prominence > 0.3);
        const auto all = materia::find_sq_peaks(q, s);
        REQUIRE(all.size() == 3);
        CHECK(all[2].q == Approx(4.0).epsilon(2e-2).scale(1.0));

        // noisy copy: noise of 0.005 is rejected by the prominence threshold, peaks stay
        std::mt19937_64 rng(7);
        std::normal_distribution<double> noise(0.0, 0.005);
        std::vector<double> sn = s;
        for (double& x : sn) x += noise(rng);
        materia::sq_peak_params p;
        p.min_prominence = 0.05;
        p.smooth_half_width = 2;
        const auto noisy = materia::find_sq_peaks(q, sn, p);
        REQUIRE(noisy.size() == 3);
        CHECK(noisy[0].q == Approx(1.2).epsilon(1e-2).scale(1.0));
        CHECK(noisy[1].q == Approx(2.2).epsilon(1e-2).scale(1.0));
        // window restriction
        p.q_min = 1.6;
        const auto fs = materia::first_sharp_diffraction_peak(q, sn, p);
        CHECK_FALSE(fs.has_value());
    }

    TEST_CASE("sq peaks: a small low-q bump is a peak but not the FSDP (relative prominence rule)") {
        auto model = [](double q) {
            return 1.0 + 0.05 * std::exp(-(q - 0.4) * (q - 0.4) / (2 * 0.05 * 0.05)) +
                   0.6 * std::exp(-(q - 1.3) * (q - 1.3) / (2 * 0.1 * 0.1)) + 1.5 * std::exp(-(q - 2.5) * (q - 2.5) / (2 * 0.2 * 0.2));
        };
        std::vector<double> q, s;
        for (int k = 1; k <= 200; ++k) {
            q.push_back(0.02 * k);
            s.push_back(model(q.back()));
        }
        const auto all = materia::find_sq_peaks(q, s);
        REQUIRE(all.size() == 3);
        CHECK(all[0].q == Approx(0.4).epsilon(2e-3));
        const auto fsdp = materia::first_sharp_diffraction_peak(q, s);
        REQUIRE(fsdp.has_value());
        CHECK(fsdp->q == Approx(1.3).epsilon(2e-3));
        materia::sq_peak_params p;
        p.fsdp_relative_prominence = 0.0;  // without the rule the bump would be taken
        CHECK(materia::first_sharp_diffraction_peak(q, s, p)->q == Approx(0.4).epsilon(2e-3));
    }

    TEST_CASE("sq peaks: a parabola is refined exactly on a non-uniform grid") {
        const std::vector<double> q{1.0, 1.3, 1.45, 2.0, 2.2};
        std::vector<double> s;
        for (double x : q) s.push_back(3.0 - 2.0 * (x - 1.4) * (x - 1.4));
        materia::sq_peak_params p;
        p.min_prominence = 0;
        const auto peaks = materia::find_sq_peaks(q, s, p);
        REQUIRE(peaks.size() == 1);
        CHECK(peaks[0].q == Approx(1.4).epsilon(1e-12));
        CHECK(peaks[0].height == Approx(3.0).epsilon(1e-12));
    }

    TEST_CASE("sq peaks: bad input") {
        const std::vector<double> q{1, 2, 3}, s{1, 2, 1};
        CHECK_THROWS_AS((void)materia::find_sq_peaks(q, std::vector<double>{1, 2}), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::find_sq_peaks(std::vector<double>{1, 1, 3}, s), materia::invalid_argument);
        CHECK_THROWS_AS((void)materia::find_sq_peaks(q, std::vector<double>{1, NAN, 1}), materia::invalid_argument);
        CHECK(materia::find_sq_peaks(std::vector<double>{1, 2}, std::vector<double>{1, 2}).empty());
    }
}
