#include <materia/core/cell.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "lattices.hpp"

using materia::cell;
using materia::mat3;
using materia::vec3;
using doctest::Approx;

TEST_SUITE("core.cell") {
    TEST_CASE("cell: volume, widths and fractional round trip of a triclinic cell") {
        const cell c(mat3{vec3{10, 0, 0}, vec3{3, 9, 0}, vec3{-2, 1.5, 8}});
        CHECK(c.volume() == Approx(720).epsilon(1e-14));
        const auto w = c.perpendicular_widths();
        // d_a = V / |b × c|
        const vec3 bxc = materia::detail::cross(c.vector(1), c.vector(2));
        CHECK(w[0] == Approx(720 / materia::detail::norm(bxc)).epsilon(1e-14));
        CHECK(w[2] == Approx(8).epsilon(1e-14));  // c has height 8 above the ab plane
        const vec3 r{1.25, -7.5, 3.0};
        const vec3 back = c.to_cartesian(c.to_fractional(r));
        for (std::size_t k = 0; k < 3; ++k) CHECK(back[k] == Approx(r[k]).epsilon(1e-14));
    }

    TEST_CASE("cell: lengths and angles reproduce the cell metric") {
        const cell c = cell::from_lengths_angles(5, 6, 7, 80, 95, 110);
        const auto& h = c.matrix();
        CHECK(materia::detail::norm(h[0]) == Approx(5).epsilon(1e-14));
        CHECK(materia::detail::norm(h[1]) == Approx(6).epsilon(1e-14));
        CHECK(materia::detail::norm(h[2]) == Approx(7).epsilon(1e-14));
        const double d2r = std::numbers::pi / 180;
        CHECK(materia::detail::dot(h[1], h[2]) == Approx(42 * std::cos(80 * d2r)).epsilon(1e-13));
        CHECK(materia::detail::dot(h[0], h[2]) == Approx(35 * std::cos(95 * d2r)).epsilon(1e-13));
        CHECK(materia::detail::dot(h[0], h[1]) == Approx(30 * std::cos(110 * d2r)).epsilon(1e-13));
    }

    TEST_CASE("cell: wrapping puts fractional coordinates in [0,1) and keeps open directions") {
        const cell c(mat3{vec3{4, 0, 0}, vec3{1, 4, 0}, vec3{0.5, 0.5, 4}}, {true, true, false});
        const vec3 w = c.wrap(vec3{-3.3, 9.1, -7.0});
        const vec3 f = c.to_fractional(w);
        CHECK(f[0] >= 0);
        CHECK(f[0] < 1);
        CHECK(f[1] >= 0);
        CHECK(f[1] < 1);
        CHECK(f[2] == Approx(c.to_fractional(vec3{-3.3, 9.1, -7.0})[2]).epsilon(1e-14));
    }

    TEST_CASE("cell: minimum image is exact on a strongly skewed cell (brute force over images)") {
        // Naive rounding of fractional coordinates picks the wrong image for such cells.
        const cell c(mat3{vec3{6, 0, 0}, vec3{5.5, 2, 0}, vec3{5.2, 1.7, 1.5}});
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> u(-15, 15);
        int naive_wrong = 0;
        for (int t = 0; t < 2000; ++t) {
            const vec3 d{u(rng), u(rng), u(rng)};
            // brute force: every image within ±7 cells of the rounded one
            vec3 f0 = c.to_fractional(d);
            for (auto& x : f0) x -= std::round(x);
            const vec3 base = c.to_cartesian(f0);
            double best = 1e300;
            for (int a = -7; a <= 7; ++a)
                for (int b = -7; b <= 7; ++b)
                    for (int k = -7; k <= 7; ++k) {
                        const vec3 x = materia::detail::add(base, c.translation({a, b, k}));
                        best = std::min(best, materia::detail::norm(x));
                    }
            const vec3 mi = c.minimum_image(d);
            CHECK(materia::detail::norm(mi) == Approx(best).epsilon(1e-12));
            // and it is an image of d
            const vec3 f = c.to_fractional(materia::detail::sub(mi, d));
            for (double x : f) CHECK(std::abs(x - std::round(x)) < 1e-9);
            vec3 fr = c.to_fractional(d);
            for (auto& x : fr) x -= std::round(x);
            if (materia::detail::norm(c.to_cartesian(fr)) > best * (1 + 1e-9)) ++naive_wrong;
        }
        CHECK(naive_wrong > 100);  // the test cell really is one where rounding fails
    }

    TEST_CASE("cell: bad input names the function and the value") {
        CHECK_THROWS_AS(cell(mat3{vec3{1, 0, 0}, vec3{2, 0, 0}, vec3{0, 0, 1}}), materia::invalid_argument);
        CHECK_THROWS_WITH_AS(cell(mat3{vec3{1, 0, 0}, vec3{0, NAN, 0}, vec3{0, 0, 1}}),
                             doctest::Contains("cell: lattice vectors must be finite"), materia::invalid_argument);
        CHECK_THROWS_AS((void)cell::from_lengths_angles(1, 1, 1, 10, 10, 170), materia::invalid_argument);
        CHECK_THROWS_AS((void)cell::from_lengths_angles(-1, 1, 1, 90, 90, 90), materia::invalid_argument);
        CHECK_THROWS_AS((void)cell::open().volume(), materia::domain_error);
        // left-handed lattices are allowed; volume is |det|
        const cell lh(mat3{vec3{0, 2, 0}, vec3{2, 0, 0}, vec3{0, 0, 2}});
        CHECK(lh.left_handed());
        CHECK(lh.volume() == Approx(8).epsilon(1e-15));
    }
}
