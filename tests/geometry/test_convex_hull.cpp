// Convex hulls in 2-D and 3-D with exact predicates: known polytopes, degenerate input, and
// structural invariants (outward orientation, Euler characteristic, every point inside).
#include <doctest/doctest.h>

#include <materia/geometry/convex_hull.hpp>

#include <array>
#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <vector>

using namespace materia::geometry;

namespace {

double volume(const std::vector<std::array<double, 3>>& p, const convex_hull_3d_result& h) {
    double v = 0;
    for (const auto& t : h.triangles) {
        const auto &a = p[t[0]], &b = p[t[1]], &c = p[t[2]];
        v += a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
    }
    return v / 6.0;
}

void check_closed_and_convex(const std::vector<std::array<double, 3>>& p, const convex_hull_3d_result& h) {
    // Every point beneath or on every facet.
    for (const auto& t : h.triangles)
        for (const auto& q : p) REQUIRE(orient3d(p[t[0]], p[t[1]], p[t[2]], q) <= 0);
    // Closed 2-manifold: every directed edge appears once and its reverse once.
    std::set<std::pair<std::size_t, std::size_t>> e;
    for (const auto& t : h.triangles)
        for (int k = 0; k < 3; ++k) REQUIRE(e.insert({t[static_cast<std::size_t>(k)], t[static_cast<std::size_t>((k + 1) % 3)]}).second);
    for (const auto& [a, b] : e) CHECK(e.count({b, a}) == 1);
    // Euler: V − E + F = 2 for a triangulated sphere.
    const long v = static_cast<long>(h.vertices.size()), f = static_cast<long>(h.triangles.size()), ed = static_cast<long>(e.size() / 2);
    CHECK(v - ed + f == 2);
}

}  // namespace

TEST_SUITE("geometry.convex_hull") {

TEST_CASE("convex_hull_2d: square with interior, collinear and duplicate points") {
    std::vector<std::array<double, 2>> p = {{0, 0}, {2, 0}, {2, 2}, {0, 2}, {1, 1}, {1, 0}, {2, 1}, {0, 0}, {0.5, 1.5}};
    const auto h = convex_hull_2d(p);
    REQUIRE(h.size() == 4);
    CHECK(h[0] == 0);
    CHECK(h[1] == 1);
    CHECK(h[2] == 2);
    CHECK(h[3] == 3);
    const auto line = convex_hull_2d({{0, 0}, {1, 1}, {3, 3}, {2, 2}});
    CHECK(line.size() == 2);
    CHECK(convex_hull_2d({{1, 1}}).size() == 1);
    CHECK_THROWS_AS((void)convex_hull_2d({{0, 0}, {1, NAN}, {2, 2}}), materia::invalid_argument);
}

TEST_CASE("convex_hull_3d: lattice cube gives 8 corners, 12 triangles, volume 64") {
    std::vector<std::array<double, 3>> p;
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 5; ++j)
            for (int k = 0; k < 5; ++k) p.push_back({double(i), double(j), double(k)});
    const auto h = convex_hull_3d(p);
    CHECK(h.dimension == 3);
    CHECK(h.vertices.size() == 8);
    CHECK(h.triangles.size() == 12);
    CHECK(volume(p, h) == doctest::Approx(64.0).epsilon(1e-14));
    check_closed_and_convex(p, h);
}

TEST_CASE("convex_hull_3d: points on a sphere are all vertices; F = 2V − 4") {
    std::mt19937_64 rng(5);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<std::array<double, 3>> p(600);
    for (auto& q : p) {
        q = {g(rng), g(rng), g(rng)};
        const double n = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
        for (auto& x : q) x /= n;
    }
    const auto h = convex_hull_3d(p);
    CHECK(h.vertices.size() == 600);
    CHECK(h.triangles.size() == 2 * 600 - 4);
    const double v = volume(p, h);
    CHECK(v < 4.0 * M_PI / 3.0);
    CHECK(v > 0.95 * 4.0 * M_PI / 3.0);
    check_closed_and_convex(p, h);
}

TEST_CASE("convex_hull_3d: heavy degeneracy (coarse lattice, duplicates, coplanar faces)") {
    std::mt19937_64 rng(9);
    std::uniform_int_distribution<int> u(0, 3);
    for (int t = 0; t < 20; ++t) {
        std::vector<std::array<double, 3>> p(300);
        for (auto& q : p) q = {double(u(rng)), double(u(rng)), double(u(rng)) * 0.1};
        const auto h = convex_hull_3d(p);
        REQUIRE(h.dimension == 3);
        check_closed_and_convex(p, h);
        // Box [0,3]² × [0,0.3]: volume 2.7 when all 8 corners were drawn (else a little less).
        const double v = volume(p, h);
        CHECK(v <= 2.7 * (1 + 1e-14));
        CHECK(v > 2.0);
    }
}

TEST_CASE("convex_hull_3d: lower-dimensional input is reported, not joggled") {
    CHECK(convex_hull_3d({{1, 2, 3}, {1, 2, 3}}).dimension == 0);
    CHECK(convex_hull_3d({{0, 0, 0}, {1, 1, 1}, {2, 2, 2}}).dimension == 1);
    CHECK(convex_hull_3d({{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}}).dimension == 2);
    CHECK(convex_hull_3d({}).dimension == -1);
    const auto tet = convex_hull_3d({{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.1, 0.1, 0.1}});
    CHECK(tet.triangles.size() == 4);
    CHECK(tet.vertices.size() == 4);
}

TEST_CASE("detail::solve_facet_system: plane and weights of a facet; a floating-point-singular facet is singular") {
    // Triangle (0,0) (1,0) (0,1) lifted to e = -1, -2, -3: plane e = -1 - y1 - 2 y2.
    const double r[9] = {1, 0, 0, 1, 1, 0, 1, 0, 1};
    const double e[3] = {-1, -2, -3};
    double w[9], c[3];
    const double rc = materia::geometry::detail::solve_facet_system(3, r, e, w, c);
    CHECK(rc > 0.1);
    CHECK(c[0] == doctest::Approx(-1.0));
    CHECK(c[1] == doctest::Approx(-1.0));
    CHECK(c[2] == doctest::Approx(-2.0));
    // λ = W (1, y) at y = (0.25, 0.5): weights 0.25, 0.25, 0.5 of the three corners.
    const double lam0 = w[0] + w[1] * 0.25 + w[2] * 0.5, lam1 = w[3] + w[4] * 0.25 + w[5] * 0.5,
                 lam2 = w[6] + w[7] * 0.25 + w[8] * 0.5;
    CHECK(lam0 == doctest::Approx(0.25));
    CHECK(lam1 == doctest::Approx(0.25));
    CHECK(lam2 == doctest::Approx(0.5));
    // Three of these corners are collinear once 0.8 + 0.2 rounds to 1: the LU has an exact zero
    // pivot, for which Eigen's condition estimate returned 0.028 (not 0); it must count as singular.
    const double s[16] = {1, 1.0 / 9, 5.0 / 9, 3.0 / 9, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0.8, 0.2};
    const double es[4] = {-0.75, -0.5, -0.25, -0.25};
    double ws[16], cs[4];
    CHECK(materia::geometry::detail::solve_facet_system(4, s, es, ws, cs) == 0.0);
}

TEST_CASE("simplex_lower_hull<4>: random lifted points lie on or above every lower facet plane") {
    std::mt19937_64 rng(21);
    std::uniform_int_distribution<int> c(0, 6);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<std::array<double, 4>> p = {{0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
    std::vector<std::uint32_t> cand;
    while (p.size() < 300) {
        const int a = c(rng), b = c(rng), d = c(rng), e = c(rng);
        const int n = a + b + d + e;
        if (n == 0) continue;
        cand.push_back(static_cast<std::uint32_t>(p.size()));
        // Energies on a coarse grid: many exact ties and coplanar points.
        p.push_back({double(b) / n, double(d) / n, double(e) / n, -std::floor(4 * u(rng)) / 4.0});
    }
    const simplex_lower_hull<4> h(p, cand);
    for (const auto& q : p) {
        std::uint32_t f = 0;
        std::array<double, 4> lam{};
        const double e = h.evaluate(q.data(), f, lam);
        CHECK(q[3] >= e - 1e-12);
        double s = 0;
        for (const double l : lam) s += l;
        CHECK(s == doctest::Approx(1.0).epsilon(1e-12));
        // Convexity: the located plane is the highest plane at q.
        double top = -1e300;
        for (std::uint32_t g = 0; g < h.facets().size(); ++g)
            if (!h.facets()[g].sliver) top = std::max(top, h.plane(g, q.data()));
        CHECK(top <= e + 1e-12);
    }
    CHECK_THROWS_AS(simplex_lower_hull<3>({{0, 0, 0}, {1, 0, 0}}, {}), materia::invalid_argument);
}

}  // TEST_SUITE
