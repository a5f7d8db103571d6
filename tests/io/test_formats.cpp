// Golden files for each format's corner cases (tests/data/io/, written by hand; numbers below are
// worked out by hand in the comments of each case).
#include "io_test_util.hpp"

#include <doctest/doctest.h>

using doctest::Approx;
using materia::io::format;
using materia::io::read_frames;
using materia::io::read_options;
using io_test::data;

TEST_SUITE("io.formats") {

TEST_CASE("extxyz: extra columns by declared width, pbc, time/step, Z column, image flags") {
    const auto fr = read_frames(data("multi.extxyz"));
    REQUIRE(fr.size() == 3);
    // Frame 0: id:I:1 species:S:1 charge:R:1 pos:R:3 forces:R:3 tags:L:1 → pos are fields 3..5.
    CHECK(fr[0].size() == 3);
    CHECK(fr[0].species == std::vector<std::string>{"Si", "O", "O"});
    CHECK(fr[0].positions[1] == materia::vec3{1.5, 1.5, 1.5});
    CHECK(fr[0].positions[2] == materia::vec3{2.5, 2.5, 2.5});
    CHECK(fr[0].cell.pbc() == std::array<bool, 3>{true, true, false});
    CHECK(fr[0].cell.volume() == Approx(210.0).epsilon(1e-14));
    REQUIRE(fr[0].time);
    CHECK(*fr[0].time == 0.5);
    CHECK(fr[0].step == 100);
    CHECK_FALSE(fr[0].images);
    CHECK(fr[0].index == 0);
    // Frame 1: lower-case keys, {braced} lattice, image:I:3, '+' and exponent forms.
    CHECK(fr[1].cell.matrix()[1] == materia::vec3{1.0, 4.0, 0.0});
    CHECK(fr[1].cell.pbc() == std::array<bool, 3>{false, false, false});
    CHECK(fr[1].positions[1] == materia::vec3{1.25, -2.5, 3.0});
    REQUIRE(fr[1].images);
    CHECK((*fr[1].images)[0] == std::array<int, 3>{1, 0, -2});
    CHECK(fr[1].step == 200);
    CHECK(fr[1].index == 1);
    // Frame 2: no Lattice → open cell; Z:I:1 → symbol.
    CHECK_FALSE(fr[2].cell.has_lattice());
    CHECK(fr[2].species == std::vector<std::string>{"Si"});
    CHECK(fr[2].positions[0] == materia::vec3{1.0, 2.0, 3.0});
}

TEST_CASE("plain xyz: CRLF, free comment, extra columns, atomic numbers, user cell, no final newline") {
    read_options o;
    o.cell = materia::cell::orthorhombic(10, 11, 12);
    const auto fr = read_frames(data("plain.xyz"), o);
    REQUIRE(fr.size() == 2);
    CHECK(fr[0].species == std::vector<std::string>{"O", "H", "H"});
    CHECK(fr[0].positions[2] == materia::vec3{-0.757, 0.586, 0.0});
    CHECK(fr[1].positions[2] == materia::vec3{-0.757, 0.586, 0.1});
    CHECK(fr[1].cell.volume() == Approx(1320.0).epsilon(1e-14));
    // Without a cell: open.
    const auto open = read_frames(data("plain.xyz"));
    CHECK_FALSE(open[0].cell.has_lattice());
    CHECK(materia::io::frame_reader(data("plain.xyz")).detected() == format::xyz);
}

TEST_CASE("POSCAR: selective dynamics, Cartesian, scale factor, POTCAR labels") {
    const auto fr = read_frames(data("POSCAR_selective"));
    REQUIRE(fr.size() == 1);
    // scale 0.5: lattice rows (4,0,0), (0,4,0), (0.5,0,5); Cartesian positions are scaled too.
    CHECK(fr[0].cell.matrix()[2] == materia::vec3{0.5, 0.0, 5.0});
    CHECK(fr[0].species == std::vector<std::string>{"Sb", "Se", "Se"});
    CHECK(fr[0].positions[1] == materia::vec3{1.0, 1.0, 1.0});
    CHECK(fr[0].positions[2] == materia::vec3{2.0, 2.0, 0.5});
    CHECK(materia::io::frame_reader(data("POSCAR_selective")).detected() == format::poscar);
}

TEST_CASE("POSCAR: negative scale factor is the cell volume") {
    const auto fr = read_frames(data("POSCAR_negvol"));
    REQUIRE(fr.size() == 1);
    // raw volume 640 Å³, target 80 Å³ → s = 0.5; lattice (4,0,0), (0,4,0), (0.5,0,5).
    CHECK(fr[0].cell.volume() == Approx(80.0).epsilon(1e-13));
    CHECK(fr[0].cell.matrix()[0][0] == Approx(4.0).epsilon(1e-14));
    CHECK(fr[0].cell.matrix()[2][0] == Approx(0.5).epsilon(1e-14));
    // f = (0.25, 0.25, 0.2) → r = f·H = (1.1, 1.0, 1.0)
    CHECK(fr[0].positions[1][0] == Approx(1.1).epsilon(1e-14));
    CHECK(fr[0].positions[1][1] == Approx(1.0).epsilon(1e-14));
    CHECK(fr[0].positions[1][2] == Approx(1.0).epsilon(1e-14));
}

TEST_CASE("POSCAR: VASP 4 without species line") {
    SUBCASE("species from the comment line (ASE's fallback)") {
        const auto fr = read_frames(data("POSCAR_vasp4"));
        REQUIRE(fr.size() == 1);
        CHECK(fr[0].species == std::vector<std::string>{"Sb", "Se", "Se"});
        CHECK(fr[0].positions[2] == materia::vec3{2.0, 2.0, 0.5});
    }
    SUBCASE("species given by the user") {
        read_options o;
        o.fmt = format::poscar;
        o.species = {"Ge", "Te"};
        const auto fr = read_frames(data("POSCAR_vasp4_nonames"), o);
        CHECK(fr[0].species == std::vector<std::string>{"Ge", "Te", "Te"});
    }
    SUBCASE("neither: a parse error that says what to do") {
        read_options o;
        o.fmt = format::poscar;
        try {
            (void)read_frames(data("POSCAR_vasp4_nonames"), o);
            FAIL("no error");
        } catch (const materia::parse_error& e) {
            CHECK(std::string(e.what()).find("--species") != std::string::npos);
            CHECK(e.line() == 6);
        }
    }
}

TEST_CASE("CONTCAR: velocity block after the coordinates is ignored") {
    const auto fr = read_frames(data("CONTCAR"));
    REQUIRE(fr.size() == 1);
    CHECK(fr[0].size() == 2);
    CHECK(fr[0].positions[1][0] == Approx(1.3575).epsilon(1e-15));
}

TEST_CASE("XDATCAR: variable cell, header repeated per frame") {
    const auto fr = read_frames(data("XDATCAR_varcell"));
    REQUIRE(fr.size() == 2);
    CHECK(fr[0].cell.volume() == Approx(125.0).epsilon(1e-14));
    CHECK(fr[1].cell.volume() == Approx(216.0).epsilon(1e-14));
    // frame 2, atom 2: 0.5·(6,0,0) + 0.5·(1,6,0) + 0.5·(0,0,6) = (3.5, 3, 3)
    CHECK(fr[1].positions[1] == materia::vec3{3.5, 3.0, 3.0});
    CHECK(fr[0].step == 1);
    CHECK(fr[1].step == 2);
}

TEST_CASE("LAMMPS dump: orthogonal, ff boundary, TIME, unknown item, type map, id sort, varying N") {
    read_options o;
    o.types = {{1, "Sb"}, {2, "Se"}};
    const auto fr = read_frames(data("ortho.dump"), o);
    REQUIRE(fr.size() == 2);
    CHECK(fr[0].size() == 3);
    CHECK(fr[0].step == 10);
    CHECK(fr[0].time == 0.01);
    // sorted by id: id 1 (0,0,0) Sb, id 2 (3.5,4.5,-2) Se, id 3 (1,1,1) Se
    CHECK(fr[0].species == std::vector<std::string>{"Sb", "Se", "Se"});
    CHECK(fr[0].positions[1] == materia::vec3{3.5, 4.5, -2.0});
    CHECK(fr[0].cell.pbc() == std::array<bool, 3>{true, true, false});
    CHECK(fr[0].cell.matrix()[0] == materia::vec3{5.0, 0.0, 0.0});
    CHECK(fr[1].size() == 2);
    CHECK(fr[1].positions[1] == materia::vec3{9.5, 4.5, -2.0});  // xu: unwrapped, kept as is
    CHECK_FALSE(fr[1].images);
    // Without a types map the decimal type is the species name.
    const auto raw = read_frames(data("ortho.dump"));
    CHECK(raw[0].species == std::vector<std::string>{"1", "2", "2"});
    // A map that lacks a type is an error naming the type.
    read_options partial;
    partial.types = {{1, "Sb"}};
    CHECK_THROWS_AS((void)read_frames(data("ortho.dump"), partial), materia::parse_error);
}

TEST_CASE("LAMMPS dump: triclinic bounding box with a negative tilt") {
    const auto fr = read_frames(data("tri_negative.dump"));
    REQUIRE(fr.size() == 1);
    // a = (10,0,0), b = (-2,9,0), c = (1.5,-1,8), origin (1,2,3) (see the file's generator comment)
    CHECK(fr[0].cell.matrix()[0] == materia::vec3{10.0, 0.0, 0.0});
    CHECK(fr[0].cell.matrix()[1] == materia::vec3{-2.0, 9.0, 0.0});
    CHECK(fr[0].cell.matrix()[2] == materia::vec3{1.5, -1.0, 8.0});
    CHECK(fr[0].positions[0] == materia::vec3{1.0, 2.0, 3.0});
    CHECK(fr[0].positions[1] == materia::vec3{5.75, 6.0, 7.0});
    REQUIRE(fr[0].images);
    CHECK((*fr[0].images)[1] == std::array<int, 3>{1, -1, 2});
    CHECK(fr[0].species == std::vector<std::string>{"Sb", "Se"});
}

TEST_CASE("LAMMPS dump: general triclinic 'abc origin' box (LAMMPS 2024+)") {
    const std::string text = "ITEM: TIMESTEP\n7\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS abc origin pp pp fm\n"
                             "10 0 0 1\n-2 9 0 2\n1.5 -1 8 3\nITEM: ATOMS id element xs ys zs\n1 Sb 0.5 0.5 0.5\n";
    const auto fr = io_test::read_text("general.lammpstrj", text);
    REQUIRE(fr.size() == 1);
    CHECK(fr[0].cell.matrix()[1] == materia::vec3{-2.0, 9.0, 0.0});
    CHECK(fr[0].cell.pbc() == std::array<bool, 3>{true, true, false});
    // origin (1,2,3) + 0.5·(a+b+c) = (5.75, 6, 7)
    CHECK(fr[0].positions[0] == materia::vec3{5.75, 6.0, 7.0});
    CHECK(fr[0].step == 7);
}

TEST_CASE("gro: %10.5f fields, velocities, ions, title time/step, two frames, nm → Å") {
    const auto fr = read_frames(data("highprec.gro"));
    REQUIRE(fr.size() == 2);
    CHECK(fr[0].species == std::vector<std::string>{"O", "Na", "Cl"});
    CHECK(fr[0].positions[0][0] == Approx(1.2345).epsilon(1e-15));
    CHECK(fr[0].positions[2][0] == Approx(-0.0001).epsilon(1e-12));
    CHECK(fr[0].positions[2][1] == Approx(29.9999).epsilon(1e-15));
    CHECK(fr[0].cell.volume() == Approx(27000.0).epsilon(1e-14));
    CHECK(fr[0].time == 2.5);
    CHECK(fr[0].step == 1250);
    CHECK(fr[1].time == 5.0);
    CHECK(fr[1].cell.matrix()[0][0] == Approx(31.0).epsilon(1e-15));
    CHECK(fr[1].positions[0][2] == Approx(-4.0).epsilon(1e-15));
}

TEST_CASE("gro: element names from atom names") {
    using materia::io::detail::gro_parser;
    CHECK(gro_parser::element_of("SOL", "OW") == "O");
    CHECK(gro_parser::element_of("SOL", "HW2") == "H");
    CHECK(gro_parser::element_of("ALA", "CA") == "C");     // C-alpha, not calcium
    CHECK(gro_parser::element_of("CA", "CA") == "Ca");     // calcium ion
    CHECK(gro_parser::element_of("DUM", "Sb") == "Sb");    // ASE writes symbols
    CHECK(gro_parser::element_of("LIG", "1HB") == "H");
}

TEST_CASE("element symbols: exact case, dummy X, isotopes D and T") {
    using materia::io::element_number;
    CHECK(element_number("Si") == 14);
    CHECK(element_number("Og") == 118);
    CHECK(element_number("X") == 0);
    CHECK(element_number("D") == 1);
    CHECK(element_number("T") == 1);
    CHECK(element_number("SI") == -1);
    CHECK(element_number("si") == -1);
    CHECK(element_number("Xx") == -1);
    CHECK(element_number("") == -1);
    CHECK(element_number("Sbb") == -1);
    for (long long z = 0; z <= 118; ++z) CHECK(element_number(materia::io::element_symbol(z)) == z);
    CHECK(materia::io::element_symbol(119).empty());
}

TEST_CASE("format names and detection") {
    using materia::io::parse_format;
    CHECK(parse_format("extxyz") == format::extxyz);
    CHECK(parse_format("LAMMPS-DUMP") == format::lammps_dump);
    CHECK(parse_format("lammpstrj") == format::lammps_dump);
    CHECK(parse_format("CONTCAR") == format::poscar);
    CHECK(parse_format("gro") == format::gro);
    CHECK(parse_format("auto") == format::auto_detect);
    CHECK_THROWS_AS((void)parse_format("pdb"), materia::invalid_argument);
    using materia::io::detect_format;
    CHECK(detect_format("x/POSCAR", "") == format::poscar);
    CHECK(detect_format("run1.XDATCAR", "") == format::xdatcar);
    CHECK(detect_format("dump.melt", "") == format::lammps_dump);
    CHECK(detect_format("a.xyz", "2\nLattice=\"1 0 0 0 1 0 0 0 1\"\n") == format::extxyz);
    CHECK(detect_format("a.xyz", "2\nplain\n") == format::xyz);
    // by content only
    CHECK(detect_format("noname", "ITEM: TIMESTEP\n0\n") == format::lammps_dump);
    CHECK(detect_format("noname", "title\n  3\n") == format::gro);
    CHECK(detect_format("noname", "c\n1.0\n1 0 0\n0 1 0\n0 0 1\nSi\n1\nDirect configuration= 1\n") == format::xdatcar);
    CHECK(detect_format("noname", "c\n1.0\n1 0 0\n0 1 0\n0 0 1\nSi\n1\nDirect\n") == format::poscar);
    CHECK(detect_format("noname", "hello world\nfoo\n") == format::auto_detect);
    // detection through the reader for a renamed file
    const std::string dump = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\n"
                             "ITEM: ATOMS id element x y z\n1 C 0.5 0.5 0.5\n";
    auto r = materia::io::frame_reader::from_string("renamed.txt", dump);
    CHECK(r.detected() == format::lammps_dump);
}

}  // TEST_SUITE
