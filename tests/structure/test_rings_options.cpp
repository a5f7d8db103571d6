// Ring statistics: explicit bond lists (periodic quotient graphs with image labels), member lists,
// normalisations, species options, invariances, thread independence, the frame accumulator, errors.
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

ring_options opts(ring_definition d, std::size_t max_size, int threads = 0) {
    ring_options o;
    o.definition = d;
    o.max_size = max_size;
    o.threads = threads;
    return o;
}

std::vector<std::size_t> only(std::size_t max_size, std::vector<std::pair<std::size_t, std::size_t>> sc) {
    std::vector<std::size_t> v(max_size + 1, 0);
    for (auto [s, c] : sc) v[s] = c;
    return v;
}

// every ring is a closed walk of the graph in canonical form
void check_members(const ring_result& res, const bond_graph& g) {
    for (const auto& r : res.rings) {
        REQUIRE(r.size() >= 3);
        CHECK(r.nodes[0].image == std::array<int, 3>{0, 0, 0});
        for (std::size_t k = 0; k < r.size(); ++k) {
            const auto& a = r.nodes[k];
            const auto& b = r.nodes[(k + 1) % r.size()];
            const std::array<int, 3> d{b.image[0] - a.image[0], b.image[1] - a.image[1], b.image[2] - a.image[2]};
            const auto nb = g.neighbors(a.atom);
            CHECK(std::any_of(nb.begin(), nb.end(), [&](const bond_graph::edge& e) { return e.j == b.atom && e.image == d; }));
        }
        // no member repeated (a simple cycle of the net)
        auto sorted = r.nodes;
        std::sort(sorted.begin(), sorted.end());
        CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    }
}

const ring_definition all_defs[] = {ring_definition::king, ring_definition::sp, ring_definition::guttman,
                                    ring_definition::primitive, ring_definition::strong};

}  // namespace

TEST_CASE("rings: explicit periodic bond lists (square net, honeycomb, K4, wrapping chain)") {
    // square net with ONE atom per cell: every ring holds atom 0 several times, in different images
    const std::vector<bond> square{{0, 0, {1, 0, 0}}, {0, 0, {0, 1, 0}}};
    const auto gs = bond_graph::from_bonds(1, square);
    CHECK(gs.degree(0) == 4);
    const auto one = species_list::uniform(1);
    for (auto d : {ring_definition::sp, ring_definition::guttman, ring_definition::primitive, ring_definition::strong}) {
        CAPTURE(to_string(d));
        CHECK(find_rings(gs, one, opts(d, 10)).counts == only(10, {{4, 1}}));
    }
    // King: the square, plus the 2x1 rectangles that are the shortest paths between opposite
    // neighbours — one horizontal, one vertical.  Both consist of atom 0 six times: de-duplication by
    // atom sets (R.I.N.G.S./Atomes) would merge them; the (atom, image) form keeps them apart.
    const auto king = find_rings(gs, one, opts(ring_definition::king, 10));
    CHECK(king.counts == only(10, {{4, 1}, {6, 2}}));
    check_members(king, gs);

    // graphene, 2-atom cell given as 3 bonds with images: one hexagon per cell
    const std::vector<bond> honey{{0, 1, {0, 0, 0}}, {0, 1, {-1, 0, 0}}, {1, 0, {0, 1, 0}}};
    const auto gh = bond_graph::from_bonds(2, honey);
    for (auto d : all_defs) {
        CAPTURE(to_string(d));
        const auto r = find_rings(gh, species_list::uniform(2), opts(d, 12));
        CHECK(r.counts == only(12, {{6, 1}}));
        check_members(r, gh);
    }

    // K4 (tetrahedron graph): 4 triangles; its three 4-cycles have chords and are sums of triangles
    std::vector<bond> k4;
    for (std::uint32_t i = 0; i < 4; ++i)
        for (std::uint32_t j = i + 1; j < 4; ++j) k4.push_back({i, j, {0, 0, 0}});
    k4.push_back({1, 0, {0, 0, 0}});  // a duplicate, given in the other direction: merged
    const auto gk = bond_graph::from_bonds(4, k4);
    CHECK(gk.n_bonds() == 6);
    for (auto d : all_defs) {
        CAPTURE(to_string(d));
        CHECK(find_rings(gk, species_list::uniform(4), opts(d, 6)).counts == only(6, {{3, 4}}));
    }

    // a chain bonded to its own image: winds around the cell, never a ring
    const std::vector<bond> chain{{0, 1, {0, 0, 0}}, {1, 2, {0, 0, 0}}, {2, 0, {1, 0, 0}}};
    const auto gc = bond_graph::from_bonds(3, chain);
    for (auto d : all_defs) CHECK(find_rings(gc, species_list::uniform(3), opts(d, 10)).total() == 0);

    CHECK_THROWS_AS((void)bond_graph::from_bonds(2, std::vector<bond>{{0, 2, {0, 0, 0}}}), materia::invalid_argument);
    CHECK_THROWS_AS((void)bond_graph::from_bonds(2, std::vector<bond>{{1, 1, {0, 0, 0}}}), materia::invalid_argument);
}

TEST_CASE("rings: diamond membership and R.I.N.G.S. normalisations") {
    const double a = 5.43;
    const auto p = test::replicate(test::diamond_basis(), a, 1);
    const auto sp = species_list::uniform(p.size(), "Si");
    const auto g = build_bond_graph(p, sp, cell::orthorhombic(a, a, a), pair_cutoffs(1, 2.6));
    CHECK(g.n_bonds() == 16);
    for (auto d : all_defs) {
        CAPTURE(to_string(d));
        const auto r = find_rings(g, sp, opts(d, 8));
        REQUIRE(r.counts == only(8, {{6, 16}}));
        check_members(r, g);
        // every atom lies on 12 six-rings of the diamond net
        for (std::size_t i = 0; i < p.size(); ++i) CHECK(r.rings_of(i).size() == 12);
        CHECK(r.n_initiating == 8);
        CHECK(r.rc[6] == doctest::Approx(2.0).epsilon(1e-15));
        CHECK(r.pn[6] == doctest::Approx(1.0).epsilon(1e-15));
        CHECK(r.pmax[6] == doctest::Approx(1.0).epsilon(1e-15));
        CHECK(r.pmin[6] == doctest::Approx(1.0).epsilon(1e-15));
        CHECK(r.pn[5] == 0.0);
        CHECK(r.unclosed == 0);
    }
    // max size 5: no ring; King reports all 6 angles of each of the 8 atoms as unclosed, Guttman
    // all 16 bonds (each bond examined once)
    CHECK(find_rings(g, sp, opts(ring_definition::king, 5)).unclosed == 48);
    CHECK(find_rings(g, sp, opts(ring_definition::guttman, 5)).unclosed == 16);
    CHECK(find_rings(g, sp, opts(ring_definition::sp, 5)).total() == 0);
}

TEST_CASE("rings: species options (zinc blende, homopolar bonds, initiating species)") {
    const double a = 5.43;
    const auto p = test::replicate(test::diamond_basis(), a, 1);
    const auto box = cell::orthorhombic(a, a, a);
    // zinc blende: fcc sites A, tetrahedral sites B — every bond heteropolar, every ring ABAB
    const std::vector<std::string> zb{"A", "A", "A", "A", "B", "B", "B", "B"};
    const auto spz = species_list::from_names(zb);
    const pair_cutoffs cz(2, 2.6);
    for (auto d : all_defs) {
        CAPTURE(to_string(d));
        auto o = opts(d, 8);
        o.abab = true;
        CHECK(find_rings(p, spz, box, cz, o).counts == only(8, {{6, 16}}));
        o.abab = false;
        o.no_homopolar = true;
        CHECK(find_rings(p, spz, box, cz, o).counts == only(8, {{6, 16}}));
        o.no_homopolar = false;
        o.initiating_species = "A";
        const auto r = find_rings(p, spz, box, cz, o);
        CHECK(r.counts == only(8, {{6, 16}}));
        CHECK(r.n_initiating == 4);
        CHECK(r.rc[6] == doctest::Approx(4.0).epsilon(1e-15));
        CHECK(r.pn[6] == doctest::Approx(1.0).epsilon(1e-15));
    }
    // one B atom among A: only its 4 bonds are heteropolar, a star — no ring without homopolar bonds
    std::vector<std::string> one_b(8, "A");
    one_b[0] = "B";
    const auto spb = species_list::from_names(one_b);
    auto o = opts(ring_definition::king, 8);
    CHECK(find_rings(p, spb, box, pair_cutoffs(2, 2.6), o).counts == only(8, {{6, 16}}));
    o.no_homopolar = true;
    CHECK(find_rings(p, spb, box, pair_cutoffs(2, 2.6), o).total() == 0);
    o.no_homopolar = false;
    o.abab = true;
    CHECK(find_rings(p, spb, box, pair_cutoffs(2, 2.6), o).total() == 0);
    // initiating species B: King rings centred on atom 0 only — the 12 rings through it
    o.abab = false;
    o.initiating_species = "B";
    const auto rb = find_rings(p, spb, box, pair_cutoffs(2, 2.6), o);
    CHECK(rb.counts == only(8, {{6, 12}}));
    CHECK(rb.n_initiating == 1);
    CHECK(rb.pn[6] == doctest::Approx(1.0).epsilon(1e-15));
    o.definition = ring_definition::sp;  // SP: rings containing a B atom
    CHECK(find_rings(p, spb, box, pair_cutoffs(2, 2.6), o).counts == only(8, {{6, 12}}));
    o.initiating_species = "C";
    CHECK_THROWS_AS((void)find_rings(p, spb, box, pair_cutoffs(2, 2.6), o), materia::invalid_argument);
}

TEST_CASE("rings: invariance under atom permutation, rigid shift and thread count (a-Si, 512 atoms)") {
    const auto f = test::read_fixture(test::data_path("structure/a-Si_512.xyz"));
    const auto sp = species_list::from_names(f.species);
    const pair_cutoffs cut(1, 2.85);
    std::mt19937_64 rng(42);
    std::vector<std::size_t> perm(f.pos.size());
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::shuffle(perm.begin(), perm.end(), rng);
    const vec3 shift{3.1, -7.3, 11.9};
    pts moved(f.pos.size());
    for (std::size_t i = 0; i < perm.size(); ++i) moved[i] = f.box.wrap(detail::add(f.pos[perm[i]], shift));
    for (auto d : {ring_definition::king, ring_definition::sp, ring_definition::guttman}) {
        CAPTURE(to_string(d));
        const auto r1 = find_rings(f.pos, sp, f.box, cut, opts(d, 10, 1));
        const auto r3 = find_rings(f.pos, sp, f.box, cut, opts(d, 10, 3));
        CHECK(r1.rings == r3.rings);  // identical member lists for any thread count
        const auto rp = find_rings(moved, sp, f.box, cut, opts(d, 10, 2));
        CHECK(rp.counts == r1.counts);
        CHECK(r1.total() > 100);
        // the same rings: map the permuted rings back to original atom indices, compare atom multisets
        auto key = [](const ring& r, const std::vector<std::size_t>* map) {
            std::vector<std::size_t> a;
            for (const auto& m : r.nodes) a.push_back(map ? (*map)[m.atom] : m.atom);
            std::sort(a.begin(), a.end());
            return a;
        };
        std::vector<std::vector<std::size_t>> k1, kp;
        for (const auto& r : r1.rings) k1.push_back(key(r, nullptr));
        for (const auto& r : rp.rings) kp.push_back(key(r, &perm));
        std::sort(k1.begin(), k1.end());
        std::sort(kp.begin(), kp.end());
        CHECK(k1 == kp);
        for (std::size_t i = 0; i < 8; ++i) CHECK(r1.rings_of(perm[i]).size() == rp.rings_of(i).size());
    }
}

TEST_CASE("rings: amorphous carbon is unchanged by permutation and rigid shift (matscipy R2)") {
    const auto f = test::read_fixture(test::data_path("structure/aC.extxyz"));
    std::mt19937_64 rng(7);
    std::vector<std::size_t> perm(f.pos.size());
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::shuffle(perm.begin(), perm.end(), rng);
    const vec3 shift{-4.2, 13.7, 2.5};
    pts moved(f.pos.size());
    for (std::size_t i = 0; i < perm.size(); ++i) moved[i] = f.box.wrap(detail::add(f.pos[perm[i]], shift));
    const auto sp = species_list::uniform(moved.size(), "C");
    // sizes up to 12: the matscipy counts 0..12 (cheaper than the full test in test_rings.cpp)
    const auto r = find_rings(moved, sp, f.box, pair_cutoffs(1, 1.85), opts(ring_definition::sp, 12));
    CHECK(r.counts == std::vector<std::size_t>{0, 0, 0, 0, 4, 813, 2678, 1917, 693, 412, 209, 89, 21});
}

TEST_CASE("rings: accumulator averages, merge, flat state") {
    const double a = 5.43;
    const auto dia = test::replicate(test::diamond_basis(), a, 1);
    const auto r_dia = find_rings(dia, species_list::uniform(8), cell::orthorhombic(a, a, a), pair_cutoffs(1, 2.6),
                                  opts(ring_definition::sp, 8));
    // 2-atom honeycomb: 1 ring on 2 atoms
    const std::vector<bond> honey{{0, 1, {0, 0, 0}}, {0, 1, {-1, 0, 0}}, {1, 0, {0, 1, 0}}};
    const auto r_hon = find_rings(bond_graph::from_bonds(2, honey), species_list::uniform(2), opts(ring_definition::sp, 8));
    ring_accumulator acc(opts(ring_definition::sp, 8));
    CHECK_THROWS_AS((void)acc.result(), materia::domain_error);
    acc.accumulate(r_dia);
    acc.accumulate(r_hon);
    const auto s = acc.result();
    CHECK(s.frames == 2);
    CHECK(s.count[6] == doctest::Approx(8.5).epsilon(1e-14));              // (16 + 1)/2
    CHECK(s.count_std[6] == doctest::Approx(10.6066017178).epsilon(1e-10));  // |16 − 1|/√2
    CHECK(s.per_atom[6] == doctest::Approx(1.25).epsilon(1e-14));          // (16/8 + 1/2)/2
    CHECK(s.pn[6] == doctest::Approx(1.0).epsilon(1e-14));
    CHECK(s.pn_std[6] == doctest::Approx(0.0).epsilon(1e-14));
    CHECK(s.mean_atoms == doctest::Approx(5.0).epsilon(1e-14));
    // merge = one accumulator over both frames
    ring_accumulator a1(opts(ring_definition::sp, 8)), a2(opts(ring_definition::sp, 8));
    a1.accumulate(r_dia);
    a2.accumulate(r_hon);
    a1.merge(a2);
    CHECK(a1.result().count == s.count);
    CHECK(a1.result().count_std == s.count_std);
    // flat state round trip
    ring_accumulator a3(opts(ring_definition::sp, 8));
    a3.set_state(acc.integer_state(), acc.real_state());
    CHECK(a3.result().count == s.count);
    CHECK(a3.n_frames() == 2);
    CHECK_THROWS_AS(a3.set_state({1, 2}, acc.real_state()), materia::invalid_argument);
    ring_accumulator other(opts(ring_definition::king, 8));
    CHECK_THROWS_AS(other.merge(acc), materia::invalid_argument);
    CHECK_THROWS_AS(other.accumulate(r_dia), materia::invalid_argument);
    acc.reset();
    CHECK(acc.n_frames() == 0);
}

TEST_CASE("rings: bad input is refused with clear exceptions") {
    const std::vector<bond> honey{{0, 1, {0, 0, 0}}, {0, 1, {-1, 0, 0}}, {1, 0, {0, 1, 0}}};
    const auto g = bond_graph::from_bonds(2, honey);
    CHECK_THROWS_AS((void)find_rings(g, species_list::uniform(2), opts(ring_definition::sp, 2)), materia::invalid_argument);
    CHECK_THROWS_AS((void)find_rings(g, species_list::uniform(2), opts(ring_definition::sp, 201)), materia::invalid_argument);
    CHECK_THROWS_AS((void)find_rings(g, species_list::uniform(3), opts(ring_definition::sp, 8)), materia::invalid_argument);
    CHECK_THROWS_AS((void)find_rings(g, species_list::uniform(2), opts(ring_definition::sp, 8, -1)), materia::invalid_argument);
    CHECK_THROWS_AS((void)parse_ring_definition("shortest"), materia::invalid_argument);
    CHECK(parse_ring_definition("primitive") == ring_definition::primitive);
    CHECK(to_string(ring_definition::guttman) == "guttman");
    // bonds spanning hundreds of cells: image offsets of the search would overflow
    const auto far = bond_graph::from_bonds(1, std::vector<bond>{{0, 0, {101, 0, 0}}});
    CHECK_THROWS_AS((void)find_rings(far, species_list::uniform(1), opts(ring_definition::sp, 10)), materia::domain_error);
}

TEST_CASE("rings: a network far denser than a covalent one is refused before it fills the memory") {
    // K6 (every atom bonded to the 5 others, no periodicity): 20 triangles, and all King paths
    // through each atom.  Its counts are finite and small, so the limit can be set around them.
    std::vector<bond> all;
    for (std::uint32_t i = 0; i < 6; ++i)
        for (std::uint32_t j = i + 1; j < 6; ++j) all.push_back({i, j, {0, 0, 0}});
    const auto k6 = bond_graph::from_bonds(6, all);
    for (const auto def : {ring_definition::king, ring_definition::sp, ring_definition::guttman}) {
        CAPTURE(to_string(def));
        ring_options o = opts(def, 6, 1);
        const auto full = find_rings(k6, species_list::uniform(6), o);
        CHECK(full.counts[3] == 20);  // C(6,3) triangles, shortest everywhere
        o.max_rings = 5;
        try {
            (void)find_rings(k6, species_list::uniform(6), o);
            FAIL("expected materia::domain_error");
        } catch (const materia::domain_error& e) {
            const std::string what = e.what();
            CHECK(what.find("more than 5 rings") != std::string::npos);
            CHECK(what.find("5.0 bonds per atom") != std::string::npos);  // the mean coordination, named
        }
        o.max_rings = 0;  // no limit: the same result as the default
        CHECK(find_rings(k6, species_list::uniform(6), o).counts == full.counts);
        o.threads = 2;
        o.max_rings = 5;
        CHECK_THROWS_AS((void)find_rings(k6, species_list::uniform(6), o), materia::domain_error);
    }
}

TEST_CASE("rings: small random triclinic cells give exactly k-fold counts in k-fold supercells") {
    // Rings are translation classes of cycles of the infinite net, so a supercell of k cells must have
    // exactly k times the rings of one cell for every definition — even when the cell is smaller than
    // its rings and atoms bond to their own images (where distance maps without images go wrong).
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
        const auto box = cell::from_lengths_angles(4.8, 4.9, 4.7, 80, 95, 105);
        const auto p = test::random_points(box, 6, seed);
        const std::array<int, 3> rep{1, 2, 3};
        pts big;
        for (int a = 0; a < rep[0]; ++a)
            for (int b = 0; b < rep[1]; ++b)
                for (int c = 0; c < rep[2]; ++c)
                    for (const auto& x : p) big.push_back(detail::add(x, box.translation({a, b, c})));
        mat3 h = box.matrix();
        for (std::size_t k = 0; k < 3; ++k) h[k] = detail::scale(h[k], rep[k]);
        const cell bigbox(h);
        const auto g1 = build_bond_graph(p, species_list::uniform(p.size()), box, pair_cutoffs(1, 2.6));
        CAPTURE(seed);
        CHECK(g1.max_image_component() >= 1);
        for (auto d : all_defs) {
            CAPTURE(to_string(d));
            const auto r1 = find_rings(p, species_list::uniform(p.size()), box, pair_cutoffs(1, 2.6), opts(d, 8));
            const auto r6 = find_rings(big, species_list::uniform(big.size()), bigbox, pair_cutoffs(1, 2.6), opts(d, 8));
            CHECK(r1.total() > 0);
            for (std::size_t s = 0; s <= 8; ++s) CHECK(r6.counts[s] == 6 * r1.counts[s]);
            for (std::size_t s = 0; s <= 8; ++s) CHECK(r6.pn[s] == doctest::Approx(r1.pn[s]).epsilon(1e-12));
            check_members(r1, g1);
        }
    }
}
