// VASP 4 XDATCAR files (io/xdatcar.hpp): the POSCAR-like header without a species line, and the
// VASP 4.6 header (NIONS NIONS NBLOCK / volume a b c POTIM / TEBEG / CAR / name).  Species come
// from read_options::species (--species).  Expected numbers worked out by hand from the files in
// tests/data/io/ (fractional coordinate × cell length).
#include "io_test_util.hpp"

#include <doctest/doctest.h>

using doctest::Approx;
using materia::io::read_frames;
using materia::io::read_options;
using io_test::data;

TEST_SUITE("io.xdatcar_vasp4") {

TEST_CASE("POSCAR-like VASP 4 header: counts without names, Konfig= lines, names from --species") {
    read_options o;
    o.species = {"Ge", "Sb", "Te"};
    const auto fr = read_frames(data("XDATCAR_vasp4"), o);
    REQUIRE(fr.size() == 2);
    CHECK(fr[0].species == std::vector<std::string>{"Ge", "Sb", "Te", "Te"});
    CHECK(fr[0].cell.volume() == Approx(6.0 * 6.0 * 6.5).epsilon(1e-14));
    CHECK(fr[0].step == 1);
    CHECK(fr[1].step == 2);
    // frame 2, atom 3: (0.25, 0.25, 0.26) · diag(6, 6, 6.5) = (1.5, 1.5, 1.69)
    CHECK(fr[1].positions[2][0] == Approx(1.5).epsilon(1e-15));
    CHECK(fr[1].positions[2][2] == Approx(1.69).epsilon(1e-14));
    // Without names the comment line is not a species list: a clear error naming --species.
    const std::string msg = io_test::parse_error_of("XDATCAR", [] {
        std::ifstream in(data("XDATCAR_vasp4"));
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }());
    CHECK(msg.find("XDATCAR:6:") == 0);
    CHECK(msg.find("--species") != std::string::npos);
}

TEST_CASE("VASP 4.6 header: lengths in m, volume per atom, frames after blank lines") {
    read_options o;
    o.species = {"Ge", "Sb", "Te", "Te"};  // one name per atom
    const auto fr = read_frames(data("XDATCAR_vasp46"), o);
    REQUIRE(fr.size() == 2);
    CHECK(fr[0].size() == 4);
    CHECK(fr[0].species == std::vector<std::string>{"Ge", "Sb", "Te", "Te"});
    // 0.6000000E-09 m = 6 Å; 0.65E-09 m = 6.5 Å; orthorhombic
    CHECK(fr[0].cell.matrix()[0][0] == Approx(6.0).epsilon(1e-14));
    CHECK(fr[0].cell.matrix()[2][2] == Approx(6.5).epsilon(1e-14));
    CHECK(fr[0].cell.matrix()[0][1] == 0.0);
    CHECK(fr[1].step == 2);  // no Konfig= lines: frames are numbered from 1
    CHECK(fr[1].positions[0][0] == Approx(0.06).epsilon(1e-14));  // 0.01 · 6 Å
    CHECK(fr[1].positions[1][1] == Approx(3.06).epsilon(1e-14));  // 0.51 · 6 Å

    o.species = {"Te"};  // one name: every atom
    const auto one = read_frames(data("XDATCAR_vasp46"), o);
    REQUIRE(one.size() == 2);
    CHECK(one[1].species == std::vector<std::string>(4, "Te"));
}

TEST_CASE("VASP 4.6 header errors: species count, tilted cell, missing CAR, truncated frame") {
    const std::string good = [] {
        std::ifstream in(data("XDATCAR_vasp46"));
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }();
    read_options o;
    o.fmt = materia::io::format::xdatcar;
    o.species = {"Ge", "Sb"};
    std::string msg = io_test::parse_error_of("X", good, o);
    CHECK(msg.find("X:1:") == 0);
    CHECK(msg.find("no species counts") != std::string::npos);

    o.species = {"Te"};
    // a·b·c = 234 Å³ ≠ volume 100 (per atom 58.5): the lengths cannot describe the cell.
    std::string tilted = good;
    tilted.replace(tilted.find("0.5850000E+02"), 13, "0.1000000E+03");
    msg = io_test::parse_error_of("X", tilted, o);
    CHECK(msg.find("X:2:") == 0);
    CHECK(msg.find("orthorhombic") != std::string::npos);

    std::string no_car = good;
    no_car.replace(no_car.find("CAR"), 3, "XYZ");
    msg = io_test::parse_error_of("X", no_car, o);
    CHECK(msg.find("X:4:") == 0);
    CHECK(msg.find("'CAR'") != std::string::npos);

    const std::string truncated = good.substr(0, good.rfind('\n', good.size() - 2) + 1);  // last line gone
    msg = io_test::parse_error_of("X", truncated, o);
    CHECK(msg.find("X:15:") == 0);  // the missing last coordinate line (5 header + 1 + 4 + 1 + 3 lines before)
    CHECK(msg.find("coordinate line 4 of 4") != std::string::npos);
}

}  // TEST_SUITE
