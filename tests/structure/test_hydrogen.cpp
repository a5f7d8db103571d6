// Atomic-hydrogen fraction (SCIENCE.md §7): H₂ dimer lattice → 0, simple-cubic H with a = 1 Å → 1,
// mixtures → the exact fraction, ties, N_H = 1, small and skewed cells (own images), shared
// neighbour lists, accumulation and bad input.
#include <materia/structure/hydrogen.hpp>

#include <doctest/doctest.h>

#include <cmath>

#include "lattices.hpp"

using doctest::Approx;
using materia::cell;
using materia::vec3;
using namespace materia::test;

namespace {
materia::species_list names_of(const std::vector<std::string>& n) { return materia::species_list::from_names(n); }
}  // namespace

TEST_SUITE("structure.hydrogen") {
    TEST_CASE("hydrogen: lattice of H2 dimers (0.74 Å, spacing 3 Å) gives 0; sc H with a = 1 Å gives 1") {
        points p;
        std::vector<std::string> s;
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j)
                for (int k = 0; k < 2; ++k) {
                    p.push_back({3.0 * i, 3.0 * j, 3.0 * k});
                    p.push_back({3.0 * i + 0.74, 3.0 * j, 3.0 * k});
                    s.insert(s.end(), {"H", "H"});
                }
        const cell c = cell::orthorhombic(6, 6, 6);
        CHECK(materia::atomic_hydrogen_fraction(p, names_of(s), c) == 0.0);
        const auto d = materia::nearest_neighbor_distances(p, names_of(s), c, "H", 5.0);
        for (double x : d) CHECK(x == Approx(0.74).epsilon(1e-14));

        // simple cubic, one atom per 1 Å cell: the nearest H is its own image at 1.0 Å
        const points one{{0.3, 0.3, 0.3}};
        CHECK(materia::atomic_hydrogen_fraction(one, names_of({"H"}), cell::orthorhombic(1, 1, 1)) == 1.0);
        // the same lattice as 27 atoms in a 3 Å cell
        const auto sc = replicate({{0, 0, 0}}, 1.0, 3);
        CHECK(materia::atomic_hydrogen_fraction(sc, materia::species_list::uniform(27, "H"),
                                                cell::orthorhombic(3, 3, 3)) == 1.0);
        // a = 0.85 Å: its own image is closer than 0.9 Å -> molecular
        CHECK(materia::atomic_hydrogen_fraction(one, names_of({"H"}), cell::orthorhombic(0.85, 5, 5)) == 0.0);
    }

    TEST_CASE("hydrogen: a mixture gives the exact fraction; other species are ignored") {
        points p;
        std::vector<std::string> s;
        for (int k = 0; k < 4; ++k) {  // 4 dimers
            p.push_back({2.0 * k, 0, 0});
            p.push_back({2.0 * k, 0.75, 0});
            s.insert(s.end(), {"H", "H"});
        }
        for (int k = 0; k < 5; ++k) {  // 5 isolated H, each with a La 0.5 Å away (not H: ignored)
            p.push_back({2.0 * k, 5.0, 5.0});
            p.push_back({2.0 * k + 0.5, 5.0, 5.0});
            s.insert(s.end(), {"H", "La"});
        }
        const cell c = cell::orthorhombic(10, 10, 10);
        const auto sp = names_of(s);
        CHECK(materia::atomic_hydrogen_fraction(p, sp, c) == Approx(5.0 / 13.0).epsilon(1e-15));
        const auto v = materia::hydrogen_flags(p, sp, c);
        CHECK(v.hydrogen.size() == 13);
        CHECK(v.n_atomic() == 5);
        CHECK(v.hydrogen[8] == 8);  // first isolated H
        CHECK(v.atomic[8] == 1);
        CHECK(v.atomic[0] == 0);
        // a threshold below the dimer bond makes everything atomic
        materia::hydrogen_params th;
        th.threshold = 0.7;
        CHECK(materia::atomic_hydrogen_fraction(p, sp, c, th) == 1.0);
        // deuterium
        std::vector<std::string> sd(s);
        for (auto& x : sd)
            if (x == "H") x = "D";
        materia::hydrogen_params dp;
        dp.species = "D";
        CHECK(materia::atomic_hydrogen_fraction(p, names_of(sd), c, dp) == Approx(5.0 / 13.0).epsilon(1e-15));
    }

    TEST_CASE("hydrogen: ties at the threshold are molecular; N_H = 1 is atomic unless its image is close") {
        const points pair{{0, 0, 0}, {0.5, 0, 0}};
        materia::hydrogen_params p;
        p.threshold = 0.5;  // exactly the distance (0.5 is exact in binary)
        const auto sp = materia::species_list::uniform(2, "H");
        CHECK(materia::atomic_hydrogen_fraction(pair, sp, cell::open(), p) == 0.0);
        p.threshold = std::nextafter(0.5, 0.0);  // just below: atomic
        CHECK(materia::atomic_hydrogen_fraction(pair, sp, cell::open(), p) == 1.0);
        // one H in an open cell, and in a big periodic cell
        const points one{{1, 2, 3}};
        CHECK(materia::atomic_hydrogen_fraction(one, names_of({"H"}), cell::open()) == 1.0);
        CHECK(materia::atomic_hydrogen_fraction(one, names_of({"H"}), cell::orthorhombic(10, 10, 10)) == 1.0);
    }

    TEST_CASE("hydrogen: skewed small cell — the nearest image is along a − b, not a lattice vector") {
        // |a| = 1.2, |b| = 1.21, but b − a = (−0.1, 0.5, 0) has length 0.51 < 0.9
        const cell c(materia::mat3{vec3{1.2, 0, 0}, vec3{1.1, 0.5, 0}, vec3{0, 0, 4}});
        const points one{{0.1, 0.1, 0.1}};
        CHECK(materia::atomic_hydrogen_fraction(one, names_of({"H"}), c) == 0.0);
        const auto d = materia::nearest_neighbor_distances(one, names_of({"H"}), c, "H", 2.0);
        CHECK(d[0] == Approx(std::sqrt(0.26)).epsilon(1e-14));
    }

    TEST_CASE("hydrogen: shared neighbour list, accumulation, merge and state") {
        const cell c = cell::orthorhombic(8, 8, 8);
        auto p = random_points(c, 300, 5);
        std::vector<std::string> s(300, "H");
        for (std::size_t k = 0; k < 300; k += 3) s[k] = "Y";
        const auto sp = names_of(s);
        const auto ref = materia::hydrogen_flags(p, sp, c);
        REQUIRE(ref.n_atomic() > 0);
        REQUIRE(ref.n_atomic() < ref.hydrogen.size());
        const auto cut = materia::pair_cutoffs::parse("H-H=1.2,H-Y=2.0", sp.names());
        const auto nl = materia::neighbor_list::build(p, sp, c, cut);
        const auto vnl = materia::hydrogen_flags(nl, sp, cut);
        CHECK(vnl.hydrogen == ref.hydrogen);
        CHECK(vnl.atomic == ref.atomic);
        // the list must cover the threshold
        const auto short_cut = materia::pair_cutoffs::parse("H-H=0.9", sp.names());
        CHECK_THROWS_AS((void)materia::hydrogen_flags(materia::neighbor_list::build(p, sp, c, short_cut), sp, short_cut),
                        materia::invalid_argument);

        materia::hydrogen_accumulator a, b, both;
        const auto p2 = random_points(c, 300, 6);
        a.accumulate(nl, sp, cut);
        b.accumulate(p2, sp, c);
        both.accumulate(p, sp, c);
        both.accumulate(p2, sp, c);
        a.merge(b);
        CHECK(a.result().atomic == both.result().atomic);
        CHECK(a.result().hydrogen == 400);
        CHECK(a.result().fraction == both.result().fraction);
        materia::hydrogen_accumulator r;
        r.set_state(a.integer_state(), a.real_state());
        CHECK(r.result().atomic == both.result().atomic);
        CHECK(r.n_frames() == 2);
        r.reset();
        CHECK_THROWS_AS((void)r.result(), materia::domain_error);
    }

    TEST_CASE("hydrogen: bad input is refused with a clear exception") {
        materia::hydrogen_params p;
        p.threshold = 0;
        CHECK_THROWS_AS(materia::hydrogen_accumulator{p}, materia::invalid_argument);
        p.threshold = std::nan("");
        CHECK_THROWS_AS(materia::hydrogen_accumulator{p}, materia::invalid_argument);
        materia::hydrogen_params q;
        q.species = "";
        CHECK_THROWS_AS(materia::hydrogen_accumulator{q}, materia::invalid_argument);
        // no hydrogen at all: undefined fraction
        const points two{{0, 0, 0}, {1, 1, 1}};
        CHECK_THROWS_AS((void)materia::atomic_hydrogen_fraction(two, materia::species_list::uniform(2, "Si"),
                                                                cell::orthorhombic(5, 5, 5)),
                        materia::domain_error);
        CHECK_THROWS_AS((void)materia::atomic_hydrogen_fraction(two, materia::species_list::uniform(3, "H"),
                                                                cell::orthorhombic(5, 5, 5)),
                        materia::invalid_argument);
        materia::hydrogen_accumulator a;
        materia::hydrogen_params other;
        other.threshold = 1.0;
        CHECK_THROWS_AS(a.merge(materia::hydrogen_accumulator{other}), materia::invalid_argument);
        CHECK_THROWS_AS(a.set_state({1, 1, 2, 3}), materia::invalid_argument);  // more atomic than H
        CHECK_THROWS_AS((void)a.result(), materia::domain_error);
    }
}
