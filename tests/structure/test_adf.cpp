// Bond-angle distributions: perfect-lattice multiplicities (SCIENCE.md §3.3), random directions,
// clamped acos, species resolution, small cells, invariances, merge/state, bad input.
#include <materia/structure/bond_angles.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

#include "lattices.hpp"
#include "xyz_fixture.hpp"

using doctest::Approx;
using materia::cell;
using materia::vec3;
using namespace materia::test;

namespace {

/// Angles of a one-species structure, rounded to 1e-3 degree, with multiplicities per centre.
std::map<long, std::size_t> angle_multiplicities(const points& p, const cell& c, double rc) {
    const auto sp = materia::species_list::uniform(p.size(), "X");
    const auto nl = materia::neighbor_list::build(p, sp, c, materia::pair_cutoffs(1, rc), 1);
    std::map<long, std::size_t> m;
    materia::for_each_angle(nl, [&](std::size_t, const auto&, const auto&, double th) {
        ++m[std::lround(th * 1000.0)];
    });
    return m;
}

struct lattice_case {
    const char* name;
    std::vector<vec3> basis;
    double cutoff_over_a;  // between the first and second shells
    std::map<long, std::size_t> per_centre;  // angle (millidegrees) -> count per centre
};

}  // namespace

TEST_SUITE("structure.adf") {
    TEST_CASE("adf: fcc, bcc, sc and diamond first-shell angle multiplicities (SCIENCE.md §3.3)") {
        const std::vector<lattice_case> cases = {
            {"fcc", fcc_basis(), 0.85, {{60000, 24}, {90000, 12}, {120000, 24}, {180000, 6}}},
            {"bcc", bcc_basis(), 0.93, {{70529, 12}, {109471, 12}, {180000, 4}}},
            {"sc", {{0, 0, 0}}, 1.2, {{90000, 12}, {180000, 3}}},
            {"diamond", diamond_basis(), 0.55, {{109471, 6}}},
        };
        for (const auto& lc : cases) {
            CAPTURE(lc.name);
            const double a = 3.7;
            const int n = 3;
            const auto p = replicate(lc.basis, a, n);
            const cell c = cell::orthorhombic(a * n, a * n, a * n);
            const auto m = angle_multiplicities(p, c, lc.cutoff_over_a * a);
            REQUIRE(m.size() == lc.per_centre.size());
            for (const auto& [angle, count] : lc.per_centre) {
                const long millideg = angle;  // (clang 14 cannot capture structured bindings)
                CAPTURE(millideg);
                REQUIRE(m.count(angle) == 1);
                CHECK(m.at(angle) == count * p.size());
            }
            // The same through the histogram: 179 bins put every special angle inside a bin.
            materia::adf_params prm;
            prm.bins = 179;
            const auto sp = materia::species_list::uniform(p.size(), "X");
            const auto res = materia::bond_angle_distribution(p, sp, c, materia::pair_cutoffs(1, lc.cutoff_over_a * a), prm);
            std::size_t total = 0;
            for (const auto& [angle, count] : lc.per_centre) {
                const double th = static_cast<double>(angle) / 1000.0;
                const auto bin = std::min<std::size_t>(static_cast<std::size_t>(th / res.width), 178);
                CHECK(res.counts[bin] == count * p.size());
                CHECK(res.per_centre[bin] == Approx(static_cast<double>(count)).epsilon(1e-14));
                total += count;
            }
            for (const auto& [angle, count] : lc.per_centre) {
                const auto bin = std::min<std::size_t>(static_cast<std::size_t>(static_cast<double>(angle) / 1000.0 / res.width), 178);
                CHECK(res.p[bin] == Approx(static_cast<double>(count) / static_cast<double>(total) / res.width).epsilon(1e-12));
            }
            CHECK(res.angles == total * p.size());
            CHECK(res.angles_per_centre(1) == Approx(static_cast<double>(total)).epsilon(1e-14));
            // Σ p Δθ = 1 and Σ p_cos Δcos = 1
            double s = 0, sc = 0;
            for (std::size_t k = 0; k < res.p.size(); ++k) {
                s += res.p[k] * res.width;
                sc += res.p_cos[k] * (std::cos(res.edges[k] * M_PI / 180) - std::cos(res.edges[k + 1] * M_PI / 180));
            }
            CHECK(s == Approx(1.0).epsilon(1e-12));
            CHECK(sc == Approx(1.0).epsilon(1e-12));
        }
    }

    TEST_CASE("adf: small cells — one-atom sc and primitive fcc cells count angles to own images") {
        // sc, one atom per cell of side 2.5: six neighbours, all images of the atom itself.
        {
            const points p{{0.3, 0.1, 0.2}};
            const auto m = angle_multiplicities(p, cell::orthorhombic(2.5, 2.5, 2.5), 3.0);
            CHECK(m.size() == 2);
            CHECK(m.at(90000) == 12);
            CHECK(m.at(180000) == 3);
        }
        // fcc primitive rhombohedral cell (triclinic, 60° angles), a = 4: 66 angles of 60/90/120/180.
        {
            const double a = 4.0;
            const cell c(materia::mat3{vec3{0, a / 2, a / 2}, vec3{a / 2, 0, a / 2}, vec3{a / 2, a / 2, 0}});
            const points p{{0.1, -0.2, 0.05}};
            const auto m = angle_multiplicities(p, c, 0.85 * a);
            CHECK(m.at(60000) == 24);
            CHECK(m.at(90000) == 12);
            CHECK(m.at(120000) == 24);
            CHECK(m.at(180000) == 6);
        }
        // Two atoms in a cell shorter than the cutoff: chain along x with period 2.0 and cutoff 1.5
        // (bonds to neighbours at ±1.0 only, both images of the other atom): one 180° angle each.
        {
            const points p{{0, 0, 0}, {1.0, 0, 0}};
            const auto m = angle_multiplicities(p, cell::orthorhombic(2.0, 10, 10), 1.5);
            CHECK(m.size() == 1);
            CHECK(m.at(180000) == 2);
        }
    }

    TEST_CASE("adf: random neighbour directions give p(cos θ) = 1/2 and p(θ) = sin θ / 2") {
        const cell c = cell::orthorhombic(20, 20, 20);
        const auto p = random_points(c, 2000, 4242);
        materia::adf_params prm;
        prm.bins = 18;
        const auto res = materia::bond_angle_distribution(p, materia::species_list::uniform(p.size()), c,
                                                          materia::pair_cutoffs(1, 2.5), prm);
        REQUIRE(res.angles > 200000);
        for (std::size_t k = 0; k < prm.bins; ++k) {
            CAPTURE(k);
            const double lo = res.edges[k] * M_PI / 180, hi = res.edges[k + 1] * M_PI / 180;
            const double q = 0.5 * (std::cos(lo) - std::cos(hi));  // exact probability of the bin
            const double expected = q * static_cast<double>(res.angles);
            const double sigma = std::sqrt(expected);
            CHECK(std::abs(static_cast<double>(res.counts[k]) - expected) < 5 * sigma);
            CHECK(std::abs(res.p_cos[k] - 0.5) < 5 * 0.5 / std::sqrt(expected));
            // density per radian vs sin θ / 2 at the bin centre (bin-averaging error < 0.2 %)
            const double p_rad = res.p[k] * 180 / M_PI;
            CHECK(std::abs(p_rad - 0.5 * std::sin(res.theta[k] * M_PI / 180)) <
                  5 * p_rad / std::sqrt(expected) + 0.002 * 0.5 * std::sin(res.theta[k] * M_PI / 180) + 1e-12);
        }
    }

    TEST_CASE("adf: exactly collinear triplets give 180° (clamped acos, never NaN)") {
        // v chosen so that the computed cosine rounds to -1.0000000000000004 without the clamp
        const vec3 v{0.7, 1.7, 1.9};
        points p{{0, 0, 0}, v, {-v[0], -v[1], -v[2]}};
        const auto sp = materia::species_list::uniform(3, "X");
        materia::adf_params prm;
        prm.bins = 180;
        const auto res = materia::bond_angle_distribution(p, sp, cell::open(), materia::pair_cutoffs(1, 3.0), prm);
        CHECK(res.angles == 1);
        CHECK(res.counts[179] == 1);
        CHECK(std::isfinite(res.p[179]));
        CHECK(res.p[179] == Approx(1.0).epsilon(1e-12));  // 1 angle / (1 · 1°)
        for (double x : res.p_cos) CHECK(std::isfinite(x));
        double theta = -1;
        materia::for_each_angle(materia::neighbor_list::build(p, sp, cell::open(), materia::pair_cutoffs(1, 3.0)),
                                [&](std::size_t, const auto&, const auto&, double th) { theta = th; });
        CHECK(theta == 180.0);
    }

    TEST_CASE("adf: rock salt resolved by centre species and neighbour pair") {
        const double a = 5.64;
        std::vector<std::string> names;
        points p;
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j)
                for (int k = 0; k < 2; ++k)
                    for (const auto& b : fcc_basis()) {
                        p.push_back({a * (i + b[0]), a * (j + b[1]), a * (k + b[2])});
                        names.push_back("Na");
                        p.push_back({a * (i + b[0] + 0.5), a * (j + b[1]), a * (k + b[2])});
                        names.push_back("Cl");
                    }
        const auto sp = materia::species_list::from_names(names);  // Cl = 0, Na = 1
        const cell c = cell::orthorhombic(2 * a, 2 * a, 2 * a);
        // only unlike first neighbours bonded (a/2 = 2.82); like pairs at a/√2 = 3.99 excluded
        const auto cut = materia::pair_cutoffs::parse("Na-Cl=3.2", sp.names());
        materia::adf_params prm;
        prm.bins = 179;
        const auto res = materia::bond_angle_distribution(p, sp, c, cut, prm);
        const auto cl = res.triplet_index(1, 0, 0);  // Cl-Na-Cl
        const auto na = res.triplet_index(0, 1, 1);  // Na-Cl-Na
        CHECK(res.triplet_name(1, 0, 0) == "Cl-Na-Cl");
        CHECK(res.triplet_name(0, 1, 1) == "Na-Cl-Na");
        CHECK(res.angles_triplet[cl] == 32 * 15);
        CHECK(res.angles_triplet[na] == 32 * 15);
        CHECK(res.angles_triplet[res.triplet_index(1, 1, 1)] == 0);
        CHECK(res.angles_triplet[res.triplet_index(0, 0, 1)] == 0);
        CHECK(res.counts_triplet[cl][89] == 32 * 12);   // 90° lies in bin 89 of 179
        CHECK(res.counts_triplet[cl][178] == 32 * 3);
        CHECK(res.p_triplet[cl][89] == Approx(12.0 / 15.0 / res.width).epsilon(1e-12));
        CHECK(res.angles_per_centre(0) == Approx(15.0).epsilon(1e-14));
        CHECK(res.per_centre_center[1][89] == Approx(12.0).epsilon(1e-14));
        // a cutoff matrix that bonds only Cl-Cl second neighbours (a/√2): fcc angles around Cl
        const auto cut2 = materia::pair_cutoffs::parse("Cl-Cl=4.2", sp.names());
        const auto res2 = materia::bond_angle_distribution(p, sp, c, cut2, prm);
        CHECK(res2.angles_center[0] == 32 * 66);
        CHECK(res2.angles_center[1] == 0);
        for (double x : res2.p_center[1]) CHECK(x == 0.0);
    }

    TEST_CASE("adf: a prebuilt neighbour list with longer bonds is filtered by the accumulator cutoffs") {
        const double a = 3.7;
        const auto p = replicate(fcc_basis(), a, 3);
        const cell c = cell::orthorhombic(3 * a, 3 * a, 3 * a);
        const auto sp = materia::species_list::uniform(p.size(), "X");
        const auto wide = materia::neighbor_list::build(p, sp, c, materia::pair_cutoffs(1, 1.2 * a));  // 2 shells
        materia::adf_params prm;
        prm.bins = 179;
        materia::adf_accumulator filtered(prm, {"X"}, materia::pair_cutoffs(1, 0.85 * a));
        filtered.accumulate(wide, sp);
        CHECK(filtered.result().angles == 66 * p.size());
        materia::adf_accumulator all(prm, {"X"});
        all.accumulate(wide, sp);
        CHECK(all.result().angles == 18 * 17 / 2 * p.size());
    }

    TEST_CASE("adf: translation, rotation, permutation and thread-count invariance on a-Si") {
        const auto fx = read_fixture(data_path("structure/a-Si_512.xyz"));
        const auto sp = materia::species_list::from_names(fx.species);
        materia::adf_params prm;
        prm.bins = 90;
        prm.threads = 1;
        const auto cut = materia::pair_cutoffs(1, 2.85);
        const auto ref = materia::bond_angle_distribution(fx.pos, sp, fx.box, cut, prm);
        CHECK(ref.angles == 3160);
        // translation by a non-lattice vector (atoms leave the cell: wrapping is internal)
        auto moved = fx.pos;
        for (auto& r : moved) r = {r[0] + 7.123, r[1] - 3.31, r[2] + 25.0};
        CHECK(materia::bond_angle_distribution(moved, sp, fx.box, cut, prm).counts == ref.counts);
        // rigid rotation of atoms and cell (rotation about (1,2,3) by 0.7 rad)
        {
            const double th = 0.7, n0 = 1 / std::sqrt(14.0), ux = n0, uy = 2 * n0, uz = 3 * n0;
            const double co = std::cos(th), si = std::sin(th), t = 1 - co;
            const std::array<vec3, 3> rot{vec3{co + ux * ux * t, ux * uy * t - uz * si, ux * uz * t + uy * si},
                                          vec3{uy * ux * t + uz * si, co + uy * uy * t, uy * uz * t - ux * si},
                                          vec3{uz * ux * t - uy * si, uz * uy * t + ux * si, co + uz * uz * t}};
            auto apply = [&](const vec3& r) {
                return vec3{materia::detail::dot(rot[0], r), materia::detail::dot(rot[1], r), materia::detail::dot(rot[2], r)};
            };
            points rotated;
            for (const auto& r : fx.pos) rotated.push_back(apply(r));
            const materia::mat3 h = fx.box.matrix();
            const cell rc(materia::mat3{apply(h[0]), apply(h[1]), apply(h[2])});
            CHECK(materia::bond_angle_distribution(rotated, sp, rc, cut, prm).counts == ref.counts);
        }
        // permutation of atoms
        std::vector<std::size_t> perm(fx.pos.size());
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), std::mt19937_64(7));
        points shuffled;
        for (auto k : perm) shuffled.push_back(fx.pos[k]);
        CHECK(materia::bond_angle_distribution(shuffled, sp, fx.box, cut, prm).counts == ref.counts);
        // threads
        for (int t : {2, 3, 7}) {
            prm.threads = t;
            CHECK(materia::bond_angle_distribution(fx.pos, sp, fx.box, cut, prm).counts == ref.counts);
        }
    }

    TEST_CASE("adf: frames accumulate, merge and round-trip through the flat state") {
        const auto fx = read_fixture(data_path("structure/a-Si_512.xyz"));
        const auto sp = materia::species_list::from_names(fx.species);
        const cell c = cell::orthorhombic(8, 8, 8);
        const auto rnd = random_points(c, 150, 99);
        const auto sp2 = materia::species_list::uniform(rnd.size(), "Si");
        materia::adf_params prm;
        prm.bins = 36;
        const auto cut = materia::pair_cutoffs(1, 2.85);
        materia::adf_accumulator both(prm, {"Si"}, cut), a(prm, {"Si"}, cut), b(prm, {"Si"}, cut);
        both.accumulate(fx.pos, sp, fx.box);
        both.accumulate(rnd, sp2, c);
        a.accumulate(fx.pos, sp, fx.box);
        b.accumulate(rnd, sp2, c);
        a.merge(b);
        const auto r1 = both.result(), r2 = a.result();
        CHECK(r1.counts == r2.counts);
        CHECK(r1.frames == 2);
        CHECK(r1.centres[0] == 512 + 150);
        materia::adf_accumulator restored(prm, {"Si"});
        restored.set_state(a.integer_state(), a.real_state());
        CHECK(restored.result().counts == r1.counts);
        CHECK(restored.n_frames() == 2);
        both.reset();
        CHECK(both.n_frames() == 0);
        CHECK_THROWS_AS((void)both.result(), materia::domain_error);
    }

    TEST_CASE("adf: cutoffs from the first minimum of g(r)") {
        const auto fx = read_fixture(data_path("structure/a-Si_512.xyz"));
        const auto sp = materia::species_list::from_names(fx.species);
        const auto g = materia::rdf(fx.pos, sp, fx.box, {6.0, 120});
        const auto cut = materia::first_minimum_cutoffs(g);
        // a-Si: first peak 2.35 Å, first minimum near 2.9–3.0 Å; the ADF with it matches 2.85 Å
        CHECK(cut(0, 0) > 2.75);
        CHECK(cut(0, 0) < 3.2);
        // no pairs at all -> fallback
        materia::rdf_result empty = g;
        for (auto& x : empty.g_partial[0]) x = 0;
        CHECK(materia::first_minimum_cutoffs(empty, 2.5)(0, 0) == 2.5);
        CHECK(materia::first_minimum_cutoffs(empty)(0, 0) == 0.0);
        CHECK_THROWS_AS((void)materia::first_minimum_cutoffs(g, -1.0), materia::invalid_argument);
    }

    TEST_CASE("adf: bad input is refused with a clear exception") {
        materia::adf_params bad;
        bad.bins = 0;
        CHECK_THROWS_AS(materia::adf_accumulator(bad, {"X"}), materia::invalid_argument);
        CHECK_THROWS_AS(materia::adf_accumulator(materia::adf_params{}, {}), materia::invalid_argument);
        CHECK_THROWS_AS(materia::adf_accumulator(materia::adf_params{}, {"A", "B"}, materia::pair_cutoffs(3, 1.0)),
                        materia::invalid_argument);
        const points p{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
        const auto sp = materia::species_list::uniform(3, "X");
        const cell c = cell::orthorhombic(5, 5, 5);
        materia::adf_accumulator nocut(materia::adf_params{}, {"X"});
        CHECK_THROWS_AS(nocut.accumulate(p, sp, c), materia::invalid_argument);
        materia::adf_accumulator other(materia::adf_params{}, {"Y"}, materia::pair_cutoffs(1, 1.5));
        CHECK_THROWS_AS(other.accumulate(p, sp, c), materia::invalid_argument);  // unknown species
        const auto nl = materia::neighbor_list::build(p, sp, c, materia::pair_cutoffs(1, 1.5));
        CHECK_THROWS_AS(nocut.accumulate(nl, materia::species_list::uniform(2, "X")), materia::invalid_argument);
        const points same{{0, 0, 0}, {0, 0, 0}, {1, 0, 0}};
        CHECK_THROWS_AS((void)materia::bond_angle_distribution(same, sp, c, materia::pair_cutoffs(1, 1.5)),
                        materia::invalid_argument);
        materia::adf_params b36;
        b36.bins = 36;
        materia::adf_accumulator x(b36, {"X"});
        CHECK_THROWS_AS(x.merge(nocut), materia::invalid_argument);
        CHECK_THROWS_AS(x.set_state({1, 2, 3}, {}), materia::invalid_argument);
        CHECK_THROWS_AS((void)x.result(), materia::domain_error);
    }
}
