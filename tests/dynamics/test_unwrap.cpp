// Tests for materia/dynamics/unwrap.hpp: wrapped vs unwrapped input, triclinic and NPT cells,
// image flags, drift removal.
#include <doctest/doctest.h>

#include "walks.hpp"

#include <materia/dynamics/msd.hpp>
#include <materia/dynamics/unwrap.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace {

double max_dev(const walks::trajectory& a, const walks::trajectory& b) {
    double worst = 0;
    for (std::size_t f = 0; f < a.size(); ++f)
        for (std::size_t i = 0; i < a[f].size(); ++i)
            for (std::size_t d = 0; d < 3; ++d) worst = std::max(worst, std::abs(a[f][i][d] - b[f][i][d]));
    return worst;
}

walks::trajectory unwrap_all(const walks::trajectory& w, const std::vector<materia::cell>& cells, materia::unwrap_scheme s) {
    materia::unwrapper u({.scheme = s, .remove_drift = false, .weights = {}});
    walks::trajectory out;
    for (std::size_t f = 0; f < w.size(); ++f) out.push_back(u.next(w[f], cells[f]));
    return out;
}

// Frame-0 wrapped positions shifted so that r_u(0) = r_w(0): the unwrapped truth must start inside.
walks::trajectory start_inside(walks::trajectory t, const materia::cell& c) {
    for (std::size_t i = 0; i < t[0].size(); ++i) {
        const auto w0 = c.wrap(t[0][i]);
        const auto shift = materia::detail::sub(w0, t[0][i]);
        for (auto& f : t) f[i] = materia::detail::add(f[i], shift);
    }
    return t;
}

}  // namespace

TEST_SUITE("dynamics.unwrap") {

TEST_CASE("unwrap: wrapped and unwrapped input give the same trajectory and MSD (cubic and triclinic)") {
    const materia::cell cubic = materia::cell::orthorhombic(6.0, 6.0, 6.0);
    const materia::cell tric(materia::mat3{materia::vec3{6.0, 0, 0}, materia::vec3{2.5, 5.5, 0}, materia::vec3{-1.5, 1.0, 6.5}});
    for (const auto* c : {&cubic, &tric}) {
        // Steps of 0.4 Å per component: many boundary crossings, never half a cell per frame.
        const auto truth = start_inside(walks::gaussian_walk(20, 150, 0.4, 0.4, 6.0, 5), *c);
        const auto wrapped = walks::wrap_all(truth, *c);
        CHECK(max_dev(wrapped, truth) > 3.0);  // the wrapping really happened
        const std::vector<materia::cell> cells(truth.size(), *c);
        for (auto s : {materia::unwrap_scheme::automatic, materia::unwrap_scheme::fractional, materia::unwrap_scheme::toroidal}) {
            const auto un = unwrap_all(wrapped, cells, s);
            CHECK(max_dev(un, truth) < 1e-9);
        }
        const auto sp = walks::walk_species(20);
        const auto a = materia::msd_fft(unwrap_all(wrapped, cells, materia::unwrap_scheme::automatic), sp);
        const auto b = materia::msd_fft(truth, sp);
        for (std::size_t m = 1; m < a.msd.size(); ++m) CHECK(a.msd[m] == doctest::Approx(b.msd[m]).epsilon(1e-10));
        // Without unwrapping the MSD saturates (the peer pitfall, MDAnalysis #3179).
        const auto bad = materia::msd_fft(wrapped, sp);
        CHECK(bad.msd[140] < 0.75 * b.msd[140]);
    }
}

TEST_CASE("unwrap: NPT cell, path wrapped into the current cell: the fractional scheme is exact") {
    // Box breathing by ±3 % and shearing: r_w(t) = wrap(r_u(t), H(t)).
    const auto base = walks::gaussian_walk(12, 120, 0.3, 0.3, 7.0, 17);
    std::vector<materia::cell> cells;
    for (std::size_t f = 0; f < base.size(); ++f) {
        const double s = 1.0 + 0.03 * std::sin(0.3 * static_cast<double>(f));
        const double xy = 0.4 * std::cos(0.2 * static_cast<double>(f));
        cells.emplace_back(materia::mat3{materia::vec3{7.0 * s, 0, 0}, materia::vec3{xy, 7.0 * s, 0}, materia::vec3{0, 0, 7.0 / s}});
    }
    auto truth = start_inside(base, cells[0]);
    walks::trajectory wrapped = truth;
    for (std::size_t f = 0; f < truth.size(); ++f)
        for (auto& r : wrapped[f]) r = cells[f].wrap(r);
    const auto un = unwrap_all(wrapped, cells, materia::unwrap_scheme::fractional);
    CHECK(max_dev(un, truth) < 1e-9);
    // The naive approach (unwrapping with a fixed cell) is wrong here.
    const std::vector<materia::cell> fixed(truth.size(), cells[0]);
    CHECK(max_dev(unwrap_all(wrapped, fixed, materia::unwrap_scheme::fractional), truth) > 0.1);
}

TEST_CASE("unwrap: NPT with affine rescaling (barostat moves atoms): the toroidal scheme is exact") {
    // r_w(t) = wrap(r_w(t−1)·H(t−1)⁻¹H(t) + δ(t)); the physical step is the rescaling plus δ.
    const std::size_t n = 10, frames = 120;
    std::mt19937_64 rng(99);
    std::normal_distribution<double> g(0.0, 0.35);
    std::vector<materia::cell> cells;
    for (std::size_t f = 0; f < frames; ++f) {
        const double s = 1.0 + 0.04 * std::sin(0.25 * static_cast<double>(f));
        cells.push_back(materia::cell::orthorhombic(6.0 * s, 6.5 * s, 7.0 * s));
    }
    walks::trajectory wrapped(frames, std::vector<walks::vec3>(n)), truth = wrapped;
    std::uniform_real_distribution<double> u(0.0, 6.0);
    for (std::size_t i = 0; i < n; ++i) wrapped[0][i] = truth[0][i] = {u(rng), u(rng), u(rng)};
    for (std::size_t f = 1; f < frames; ++f)
        for (std::size_t i = 0; i < n; ++i) {
            const auto frac = cells[f - 1].to_fractional(wrapped[f - 1][i]);
            auto moved = cells[f].to_cartesian(frac);
            for (std::size_t d = 0; d < 3; ++d) moved[d] += g(rng);
            for (std::size_t d = 0; d < 3; ++d) truth[f][i][d] = truth[f - 1][i][d] + (moved[d] - wrapped[f - 1][i][d]);
            wrapped[f][i] = cells[f].wrap(moved);
        }
    CHECK(max_dev(unwrap_all(wrapped, cells, materia::unwrap_scheme::toroidal), truth) < 1e-9);
    // At fixed cell the two displacement schemes coincide (checked above); here they differ.
    CHECK(max_dev(unwrap_all(wrapped, cells, materia::unwrap_scheme::fractional), truth) > 1e-3);
}

TEST_CASE("unwrap: image flags (r + n H) are used when given, also with big jumps between frames") {
    const materia::cell c = materia::cell::orthorhombic(5.0, 5.0, 5.0);
    // Jumps of 3 Å per frame (> half the box): only image flags can unwrap this.
    std::vector<walks::vec3> truth0{{1.0, 1.0, 1.0}, {4.0, 2.0, 3.0}};
    materia::unwrapper u;
    for (int f = 0; f < 6; ++f) {
        std::vector<walks::vec3> w(2);
        std::vector<std::array<int, 3>> img(2);
        for (std::size_t i = 0; i < 2; ++i) {
            walks::vec3 r = truth0[i];
            r[0] += 3.0 * f;
            for (std::size_t d = 0; d < 3; ++d) {
                const double k = std::floor(r[d] / 5.0);
                img[i][d] = static_cast<int>(k);
                w[i][d] = r[d] - 5.0 * k;
            }
        }
        const auto& un = u.next(w, c, &img);
        CHECK(un[0][0] == doctest::Approx(1.0 + 3.0 * f).epsilon(1e-12));
        CHECK(un[1][0] == doctest::Approx(4.0 + 3.0 * f).epsilon(1e-12));
    }
    CHECK(u.scheme_used() == materia::unwrap_scheme::images);
}

TEST_CASE("unwrap: drift removal keeps the centre of mass and removes a rigid translation") {
    const materia::cell c = materia::cell::orthorhombic(8.0, 8.0, 8.0);
    const auto t = walks::gaussian_walk(10, 30, 0.0, 0.0, 8.0, 1);  // atoms at rest
    materia::unwrapper plain, nodrift({.scheme = materia::unwrap_scheme::automatic, .remove_drift = true, .weights = {}});
    walks::trajectory a, b;
    for (std::size_t f = 0; f < t.size(); ++f) {
        auto moved = t[f];
        for (auto& r : moved) r = c.wrap(materia::vec3{r[0] + 0.3 * static_cast<double>(f), r[1] - 0.1 * static_cast<double>(f), r[2]});
        a.push_back(plain.next(moved, c));
        b.push_back(nodrift.next(moved, c));
    }
    const auto sp = materia::species_list::uniform(10, "A");
    const auto ra = materia::msd_fft(a, sp), rb = materia::msd_fft(b, sp);
    CHECK(ra.msd[10] == doctest::Approx(100 * (0.09 + 0.01)).epsilon(1e-10));
    for (double x : rb.msd) CHECK(std::abs(x) < 1e-20 + 1e-12);
    const auto com0 = materia::centre_of_mass(b.front()), com1 = materia::centre_of_mass(b.back());
    for (std::size_t d = 0; d < 3; ++d) CHECK(com1[d] == doctest::Approx(com0[d]).epsilon(1e-12));
    // Weighted centre of mass.
    const std::vector<materia::vec3> two{{0, 0, 0}, {3, 0, 0}};
    CHECK(materia::centre_of_mass(two, {1.0, 2.0})[0] == doctest::Approx(2.0).epsilon(1e-15));
}

TEST_CASE("unwrap: diagnostics, open cells and bad input") {
    const materia::cell c = materia::cell::orthorhombic(4.0, 4.0, 4.0);
    materia::unwrapper u({.scheme = materia::unwrap_scheme::fractional, .remove_drift = false, .weights = {}});
    std::vector<walks::vec3> f0{{0.1, 0.1, 0.1}}, f1{{3.9, 0.1, 0.1}};
    (void)u.next(f0, c);
    const auto& r = u.next(f1, c);
    CHECK(r[0][0] == doctest::Approx(-0.1).epsilon(1e-12));
    CHECK(u.max_fractional_step() == doctest::Approx(0.05).epsilon(1e-12));
    // Open cell: nothing to unwrap.
    materia::unwrapper open;
    (void)open.next(f0, materia::cell::open());
    CHECK(open.next(f1, materia::cell::open())[0][0] == 3.9);
    // Bad input.
    const std::vector<walks::vec3> two(2, {0, 0, 0});
    CHECK_THROWS_AS((void)u.next(two, c), materia::invalid_argument);
    std::vector<walks::vec3> nan_f{{std::numeric_limits<double>::quiet_NaN(), 0, 0}};
    CHECK_THROWS_AS((void)u.next(nan_f, c), materia::invalid_argument);
    materia::unwrapper need_images({.scheme = materia::unwrap_scheme::images, .remove_drift = false, .weights = {}});
    CHECK_THROWS_AS((void)need_images.next(f0, c), materia::invalid_argument);
    const std::vector<std::array<int, 3>> wrong_len(3);
    materia::unwrapper v;
    CHECK_THROWS_AS((void)v.next(f0, c, &wrong_len), materia::invalid_argument);
    materia::unwrapper w({.scheme = materia::unwrap_scheme::automatic, .remove_drift = true, .weights = {1.0, 2.0}});
    CHECK_THROWS_AS((void)w.next(f0, c), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::centre_of_mass({}), materia::invalid_argument);
    // Image flags that appear only later are refused (the scheme would change mid-trajectory).
    materia::unwrapper z;
    (void)z.next(f0, c);
    const std::vector<std::array<int, 3>> img1(1, {0, 0, 0});
    CHECK_THROWS_AS((void)z.next(f1, c, &img1), materia::invalid_argument);
}

}  // TEST_SUITE
