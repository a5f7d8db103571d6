// Ring statistics: exact cases (crystals, molecules, wrapping chains), the matscipy a-C reference,
// invariances, options and the frame accumulator.
#include <doctest/doctest.h>

#include <materia/structure/rings.hpp>

#include <lattices.hpp>
#include <xyz_fixture.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

using namespace materia;

namespace {

using pts = std::vector<std::array<double, 3>>;

std::vector<std::size_t> counts_of(const pts& p, const cell& box, double rc, ring_definition def, std::size_t max_size,
                                   int threads = 0) {
    ring_options o;
    o.definition = def;
    o.max_size = max_size;
    o.threads = threads;
    const auto sp = species_list::uniform(p.size(), "C");
    return find_rings(p, sp, box, pair_cutoffs(1, rc), o).counts;
}

std::vector<std::size_t> only(std::size_t max_size, std::size_t size, std::size_t count) {
    std::vector<std::size_t> v(max_size + 1, 0);
    v[size] = count;
    return v;
}

// Diamond Si: conventional cubic cell (a = 5.43 Å) replicated n×n×n, or the 2-atom primitive cell.
pts diamond(int n) { return test::replicate(test::diamond_basis(), 5.43, n); }

// C60: the truncated icosahedron, vertices = even permutations of (0, ±1, ±3φ), (±1, ±(2+φ), ±2φ),
// (±φ, ±2, ±(2φ+1)) for edge length 2, scaled to 1.40 Å bonds.
pts c60() {
    const double phi = (1 + std::sqrt(5.0)) / 2;
    const std::vector<std::array<double, 3>> base{{0, 1, 3 * phi}, {1, 2 + phi, 2 * phi}, {phi, 2, 2 * phi + 1}};
    pts out;
    for (const auto& b : base)
        for (int sx : {-1, 1})
            for (int sy : {-1, 1})
                for (int sz : {-1, 1}) {
                    const std::array<double, 3> v{sx * b[0], sy * b[1], sz * b[2]};
                    for (int r = 0; r < 3; ++r) {  // cyclic (even) permutations
                        const std::array<double, 3> w{0.7 * v[static_cast<std::size_t>(r)],
                                                      0.7 * v[static_cast<std::size_t>((r + 1) % 3)],
                                                      0.7 * v[static_cast<std::size_t>((r + 2) % 3)]};
                        if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
                    }
                }
    return out;
}

pts benzene(double shift_x = 0) {
    pts out;
    for (int k = 0; k < 6; ++k) {
        const double a = k * std::acos(-1.0) / 3;
        out.push_back({shift_x + 1.39 * std::cos(a), 1.39 * std::sin(a), 0.0});
    }
    return out;
}

// ASE Graphite('C', latticeconstant=(2.5, 10.0), size=[2,2,1]): 16 atoms.
std::pair<pts, cell> graphite() {
    const double a = 2.5, c = 10.0;
    const mat3 h{vec3{a, 0, 0}, vec3{-a / 2, a * std::sqrt(3.0) / 2, 0}, vec3{0, 0, c}};
    const cell unit(h);
    const std::vector<vec3> basis{{0, 0, 0.25}, {0, 0, 0.75}, {1.0 / 3, 2.0 / 3, 0.25}, {2.0 / 3, 1.0 / 3, 0.75}};
    pts out;
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j)
            for (const auto& b : basis) out.push_back(unit.to_cartesian({b[0] + i, b[1] + j, b[2]}));
    return {out, cell(mat3{vec3{2 * a, 0, 0}, vec3{-a, a * std::sqrt(3.0), 0}, vec3{0, 0, c}})};
}

const ring_definition all_defs[] = {ring_definition::king, ring_definition::sp, ring_definition::guttman,
                                    ring_definition::primitive, ring_definition::strong};

}  // namespace

TEST_CASE("rings: diamond cells of 2, 8, 64 atoms have exactly 2N six-rings for every definition") {
    // 2-atom primitive fcc cell: a1 = (0, a/2, a/2) ... ; 4 six-rings (2N).
    const double a = 5.43;
    const cell prim(mat3{vec3{0, a / 2, a / 2}, vec3{a / 2, 0, a / 2}, vec3{a / 2, a / 2, 0}});
    const pts p2{{0, 0, 0}, {a / 4, a / 4, a / 4}};
    for (auto def : all_defs) {
        CAPTURE(to_string(def));
        CHECK(counts_of(p2, prim, 2.6, def, 10) == only(10, 6, 4));
        CHECK(counts_of(diamond(1), cell::orthorhombic(a, a, a), 2.6, def, 10) == only(10, 6, 16));
        CHECK(counts_of(diamond(2), cell::orthorhombic(2 * a, 2 * a, 2 * a), 2.6, def, 8) == only(8, 6, 128));
    }
}

TEST_CASE("rings: graphite (16 atoms) has N/2 six-rings; a chain that wraps the cell has none") {
    const auto [p, box] = graphite();
    for (auto def : all_defs) {
        CAPTURE(to_string(def));
        CHECK(counts_of(p, box, 1.85, def, 12) == only(12, 6, 8));
    }
    // 6 C on a line x = 0..5 Å in a 6 Å periodic cube, cutoff 1.5 (matscipy test_pbc): the closed
    // walk through the periodic boundary has offset sum (1,0,0) — a chain, not a ring
    pts chain;
    for (int k = 0; k < 6; ++k) chain.push_back({double(k), 0, 0});
    for (auto def : all_defs) {
        CAPTURE(to_string(def));
        CHECK(counts_of(chain, cell::orthorhombic(6, 6, 6), 1.5, def, 10) == std::vector<std::size_t>(11, 0));
    }
}

TEST_CASE("rings: benzene and C60") {
    for (auto def : all_defs) {
        CAPTURE(to_string(def));
        CHECK(counts_of(benzene(), cell::open(), 1.85, def, 10) == only(10, 6, 1));
        auto two = benzene();
        for (auto q : benzene(10.0)) two.push_back(q);
        CHECK(counts_of(two, cell::open(), 1.85, def, 10) == only(10, 6, 2));
    }
    const auto c = c60();
    REQUIRE(c.size() == 60);
    // matscipy issue #284: 12 pentagons, 20 hexagons and 10 eighteen-membered SP rings
    auto sp = counts_of(c, cell::open(), 1.85, ring_definition::sp, 20);
    CHECK(sp[5] == 12);
    CHECK(sp[6] == 20);
    CHECK(sp[18] == 10);
    CHECK(std::accumulate(sp.begin(), sp.end(), std::size_t{0}) == 42);
    auto strong = counts_of(c, cell::open(), 1.85, ring_definition::strong, 20);
    CHECK(strong[5] == 12);
    CHECK(strong[6] == 20);
    CHECK(std::accumulate(strong.begin(), strong.end(), std::size_t{0}) == 32);
    // Primitive rings (not the sum of two smaller rings) are exactly the SP rings: a sum of two
    // smaller rings needs a shortcut (see rings.hpp).  The 18-ring equators of C60 are sums of the
    // faces of a hemisphere — many rings, never two — so they are primitive but not strong.
    // (RINGS_AND_HULLS.md §3a R11 guesses "primitive/strong: only 12 + 20"; that holds for strong.)
    CHECK(counts_of(c, cell::open(), 1.85, ring_definition::primitive, 20) == sp);
    // King and Guttman: the shortest rings through every angle / bond are the faces
    std::vector<std::size_t> faces(21, 0);
    faces[5] = 12;
    faces[6] = 20;
    CHECK(counts_of(c, cell::open(), 1.85, ring_definition::king, 20) == faces);
    CHECK(counts_of(c, cell::open(), 1.85, ring_definition::guttman, 20) == faces);
    CHECK(strong == faces);
}

TEST_CASE("rings: amorphous carbon (matscipy test_aC), SP, cutoff 1.85") {
    const auto f = test::read_fixture(test::data_path("structure/aC.extxyz"));
    REQUIRE(f.pos.size() == 4001);
    auto c = counts_of(f.pos, f.box, 1.85, ring_definition::sp, 16);
    const std::vector<std::size_t> expected{0, 0, 0, 0, 4, 813, 2678, 1917, 693, 412, 209, 89, 21, 3, 0, 0, 0};
    CHECK(c == expected);
}

TEST_CASE("rings: amorphous silicon, 64 atoms in a 10.8 A cell (matscipy aSi.cfg), SP, cutoff 3.0") {
    const auto f = test::read_fixture(test::data_path("structure/aSi_64.extxyz"));
    REQUIRE(f.pos.size() == 64);
    // matscipy (peer-run, RINGS_AND_HULLS.md R3): 4, 3, 38, 51, 23, 3, 1 for sizes 3..9.  Sizes 3..7
    // agree; matscipy loses three 8-rings and three 9-rings to shortcuts that exist only in its
    // image-blind distance map (see aSi_64.provenance.txt).  Our numbers are exact: k^3 times them in
    // k x k x k supercells (checked below for k = 2, sizes up to 12).
    auto c = counts_of(f.pos, f.box, 3.0, ring_definition::sp, 20);
    const std::vector<std::size_t> expected{0, 0, 0, 4, 3, 38, 51, 23, 6, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    CHECK(c == expected);
    pts big;
    const double L = f.box.matrix()[0][0];
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
            for (int d = 0; d < 2; ++d)
                for (const auto& x : f.pos) big.push_back({x[0] + a * L, x[1] + b * L, x[2] + d * L});
    auto c8 = counts_of(big, cell::orthorhombic(2 * L, 2 * L, 2 * L), 3.0, ring_definition::sp, 12);
    for (std::size_t s = 0; s <= 12; ++s) CHECK(c8[s] == 8 * expected[s]);
}
