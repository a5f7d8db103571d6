// The same structure in every format gives the same cell and positions, and peer cross-checks.
// Files in tests/data/io/same/ were made by make_same.py there (ASE 3.22.1 + LAMMPS 20220106).
#include "io_test_util.hpp"

#include <doctest/doctest.h>

using doctest::Approx;
using materia::io::read_frames;
using materia::io::read_options;
using io_test::data;

TEST_SUITE("io.same_structure") {

TEST_CASE("one structure in extxyz, plain xyz, POSCAR, XDATCAR, gro and three LAMMPS dumps") {
    const materia::frame ref = read_frames(data("same/ref.extxyz")).at(0);
    REQUIRE(ref.size() == 6);
    const materia::cell& c = ref.cell;
    CHECK(c.volume() == Approx(720.0).epsilon(1e-14));  // 10 · 9 · 8 (lower-triangular)

    struct variant {
        const char* file;
        double tol;  // Å: the precision the file was written with
        bool wrapped;  // positions may differ by lattice vectors
    };
    read_options typed;
    typed.types = {{1, "Sb"}, {2, "Se"}};
    const variant variants[] = {
        {"same/POSCAR", 1e-9, false},            // 16 decimals of fractional coordinates
        {"same/XDATCAR", 1e-6, true},            // 8 decimals, wrapped into [0,1)
        {"same/ref.gro", 1e-9, false},           // positions are multiples of 0.001 nm
        {"same/ref.lammpstrj", 1e-9, true},      // x y z (wrapped by LAMMPS) + ix iy iz
        {"same/ref_scaled.lammpstrj", 1e-9, true},     // xs ys zs %.17g, shuffled columns, types
        {"same/ref_unwrapped.lammpstrj", 1e-9, false}, // xu yu zu, atoms not in id order
    };
    for (const auto& v : variants) {
        CAPTURE(v.file);
        const auto fr = read_frames(data(v.file), typed);
        REQUIRE(!fr.empty());
        for (const auto& f : fr) {
            REQUIRE(f.size() == ref.size());
            CHECK(f.species == ref.species);
            CHECK(io_test::cell_diff(f.cell, ref.cell) < 1e-9);
            if (v.wrapped) CHECK(io_test::position_diff_periodic(f, ref, c) < v.tol);
            else CHECK(io_test::position_diff(f, ref) < v.tol);
        }
    }

    SUBCASE("LAMMPS image flags unwrap the wrapped positions exactly to the reference") {
        const auto f = read_frames(data("same/ref.lammpstrj")).at(0);
        REQUIRE(f.images);
        CHECK((*f.images)[0] == std::array<int, 3>{-1, 0, 0});
        CHECK((*f.images)[3] == std::array<int, 3>{-1, 1, 0});
        double m = 0;
        for (std::size_t i = 0; i < f.size(); ++i) {
            const materia::vec3 u = materia::detail::add(f.positions[i], c.translation((*f.images)[i]));
            for (std::size_t d = 0; d < 3; ++d) m = std::max(m, std::abs(u[d] - ref.positions[i][d]));
        }
        CHECK(m < 1e-12);
    }
    SUBCASE("plain XYZ with the user's cell") {
        const std::string plain =
            "6\nno lattice here\nSb 1 2 3\nSe 4.5 1.2 0.8\nSb 7.3 6.6 5.1\nSe 2.2 8.1 7.7\nSb 9.9 0.1 4.4\nSe 5.55 4.45 2.25\n";
        read_options o;
        o.cell = c;
        const auto f = io_test::read_text("same.xyz", plain, o).at(0);
        CHECK(io_test::cell_diff(f.cell, c) == 0.0);
        CHECK(io_test::position_diff(f, ref) == 0.0);
    }
}

TEST_CASE("aC.extxyz (shared test data): 4001 carbon atoms and its cell") {
    const auto fr = read_frames(data("aC.extxyz"));
    REQUIRE(fr.size() == 1);
    CHECK(fr[0].size() == 4001);
    CHECK(fr[0].species_indices().names() == std::vector<std::string>{"C"});
    CHECK(fr[0].cell.matrix()[0] == materia::vec3{28.917521, 0.0, 0.0});
    CHECK(fr[0].cell.matrix()[2] == materia::vec3{0.864027, 0.0, 28.917521});
    CHECK(fr[0].cell.volume() == Approx(28.917521 * 28.917521 * 28.917521).epsilon(1e-14));
    CHECK(fr[0].positions[0] == materia::vec3{12.18871425, 9.85326357, 25.52914807});
    CHECK(fr[0].cell.fully_periodic());
}

TEST_CASE("spc216.gro (GROMACS data) agrees with the peer converter") {
    // Peer: /usr/bin/python3 /work/shared/peers/to_xyz.py tests/data/io/spc216.gro tests/data/io/spc216_peer.xyz
    // → N=648 {'O': 216, 'H': 432}, cubic cell 18.6206 Å; positions printed with 8 decimals.
    const auto ours = read_frames(data("spc216.gro")).at(0);
    const auto peer = read_frames(data("spc216_peer.xyz")).at(0);
    REQUIRE(ours.size() == 648);
    REQUIRE(peer.size() == 648);
    CHECK(ours.species == peer.species);
    CHECK(io_test::cell_diff(ours.cell, peer.cell) < 1e-9);
    CHECK(io_test::position_diff_periodic(ours, peer, ours.cell) < 1e-8);
    const auto counts = ours.species_indices().counts();
    CHECK(counts == std::vector<std::size_t>{432, 216});  // H, O (sorted names)
}

}  // TEST_SUITE
