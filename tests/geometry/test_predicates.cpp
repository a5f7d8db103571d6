// Exact orientation predicates: near-degenerate inputs where naive floating point fails.
#include <doctest/doctest.h>

#include <materia/geometry/predicates.hpp>

#include <array>
#include <cmath>
#include <random>

using namespace materia::geometry;

TEST_SUITE("geometry.predicates") {

TEST_CASE("orient2d: sign is exact for points 1 ulp off the line y = x") {
    // Shewchuk's classic test: a = (12, 12), b = (24, 24), c = (0.5 + i·2^-53, 0.5 + j·2^-53).
    // det = 12 (c_y − c_x), so the exact sign is sign(j − i).  Naive evaluation gets many wrong.
    const std::array<double, 2> a{12.0, 12.0}, b{24.0, 24.0};
    int wrong_naive = 0;
    for (int i = 0; i < 64; ++i)
        for (int j = 0; j < 64; ++j) {
            const std::array<double, 2> c{0.5 + i * 0x1p-53, 0.5 + j * 0x1p-53};
            const int want = (j > i) - (j < i);
            CHECK(orient2d(a, b, c) == want);
            const double naive = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
            if (((naive > 0) - (naive < 0)) != want) ++wrong_naive;
        }
    CHECK(wrong_naive > 0);  // the test input really is hard
    CHECK(orient2d({0, 0}, {1, 0}, {0, 1}) == 1);
    CHECK(orient2d({0, 0}, {0, 1}, {1, 0}) == -1);
}

TEST_CASE("orient3d: exact on a representable plane, and ±1 ulp above/below it") {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int> u(-1000, 1000);
    for (int t = 0; t < 500; ++t) {
        // Plane z = x + y with dyadic coordinates: exact in doubles.
        auto pt = [&] {
            const double x = u(rng) * 0x1p-10, y = u(rng) * 0x1p-10;
            return std::array<double, 3>{x, y, x + y};
        };
        const auto a = pt(), b = pt(), c = pt();
        auto d = pt();
        if (d[2] == 0.0) continue;  // the next double after 0 is subnormal: outside the exact range
        if (orient2d({a[0], a[1]}, {b[0], b[1]}, {c[0], c[1]}) == 0) continue;
        CHECK(orient3d(a, b, c, d) == 0);
        const int s = orient3d(a, b, c, {0.0, 0.0, 1.0e6});  // far above the plane
        REQUIRE(s != 0);
        d[2] = std::nextafter(d[2], 1e300);
        CHECK(orient3d(a, b, c, d) == s);
        d[2] = std::nextafter(std::nextafter(d[2], -1e300), -1e300);
        CHECK(orient3d(a, b, c, d) == -s);
        CHECK(orient3d(b, a, c, d) == s);  // swapping two points flips the sign
    }
}

TEST_CASE("orient<6>: 7 points on an integer hyperplane at 2^48 scale, then moved by 1") {
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<long long> u(-(1LL << 44), 1LL << 44);
    for (int t = 0; t < 100; ++t) {
        std::array<std::array<double, 6>, 7> p{};
        for (auto& q : p) {
            double s = 0;
            for (std::size_t j = 0; j < 5; ++j) {
                q[j] = static_cast<double>(u(rng));
                s += q[j];
            }
            q[5] = static_cast<double>(1LL << 47) - s;  // Σ q = 2^47 exactly
        }
        CHECK(orient<6>(p) == 0);
        p[6][5] += 1.0;  // relative change 2^-47: the float filter cannot decide this
        const int s = orient<6>(p);
        CHECK(s != 0);
        std::swap(p[0], p[1]);
        CHECK(orient<6>(p) == -s);
    }
}

TEST_CASE("det_sign_exact: singular and unimodular integer matrices") {
    std::array<std::array<double, 4>, 4> m{{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {13, 14, 15, 16}}};
    CHECK(detail::det_sign_exact<4>(m) == 0);
    std::array<std::array<double, 3>, 3> id{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
    CHECK(detail::det_sign_exact<3>(id) == 1);
    std::swap(id[0], id[1]);
    CHECK(detail::det_sign_exact<3>(id) == -1);
    // det = 1e-30·1 − 0 with entries of wildly different size.
    std::array<std::array<double, 2>, 2> tiny{{{1e-30, 1e30}, {0.0, 1.0}}};
    CHECK(detail::det_sign_exact<2>(tiny) == 1);
    // Cancellation: (1+2^-52)(1−2^-52) − 1 = −2^-104.
    std::array<std::array<double, 2>, 2> canc{{{1.0 + 0x1p-52, 1.0}, {1.0, 1.0 - 0x1p-52}}};
    CHECK(detail::det_sign_exact<2>(canc) == -1);
}

TEST_CASE("hyperplane::side agrees with orient for random and degenerate queries") {
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<int> u(0, 8);
    for (int t = 0; t < 300; ++t) {
        std::array<std::array<double, 4>, 5> p{};
        for (auto& q : p)
            for (auto& x : q) x = u(rng) / 8.0;  // many exact degeneracies on a coarse lattice
        hyperplane<4> h;
        h.set({p[0].data(), p[1].data(), p[2].data(), p[3].data()});
        CHECK(h.side(p[4].data()) == orient<4>(p));
        CHECK(h.side(p[0].data()) == 0);
    }
}

}  // TEST_SUITE
