// Every malformed input throws materia::parse_error naming the file, the 1-based line and what was
// expected; a missing file throws materia::invalid_argument naming it.
#include "io_test_util.hpp"

#include <doctest/doctest.h>

using materia::io::format;
using materia::io::read_options;

namespace {

struct bad_case {
    const char* name;      // file name (detection uses it)
    const char* text;
    std::size_t line;      // expected 1-based line of the error
    const char* expected;  // substring of the message
};

void check_cases(const std::vector<bad_case>& cases, const read_options& opts = {}) {
    for (const auto& c : cases) {
        CAPTURE(c.name);
        CAPTURE(c.text);
        bool threw = false;
        try {
            (void)io_test::read_text(c.name, c.text, opts);
        } catch (const materia::parse_error& e) {
            threw = true;
            const std::string msg = e.what();
            CAPTURE(msg);
            CHECK(e.source() == c.name);
            CHECK(e.line() == c.line);
            CHECK(msg.rfind(std::string(c.name) + ":" + std::to_string(c.line) + ": ", 0) == 0);
            CHECK(msg.find(c.expected) != std::string::npos);
        }
        CHECK(threw);
    }
}

}  // namespace

TEST_SUITE("io.errors") {

TEST_CASE("empty, blank and undetectable files") {
    check_cases({
        {"empty.xyz", "", 1, "empty file"},
        {"blank.extxyz", "  \n\n \t\n", 1, "empty file"},
        {"mystery", "hello\nworld\n", 1, "cannot detect"},
    });
}

TEST_CASE("extxyz / xyz malformed") {
    const char* lat = "Lattice=\"4 0 0 0 4 0 0 0 4\" Properties=species:S:1:pos:R:3";
    std::vector<bad_case> cases = {
        {"count.xyz", "two\ncomment\n", 1, "number of atoms"},
        {"negcount.xyz", "-2\ncomment\n", 1, "non-negative integer"},
        {"countjunk.xyz", "2 3\ncomment\n", 1, "only the number of atoms"},
        {"nocomment.xyz", "2\n", 2, "comment line"},
        {"truncated.xyz", "3\nc\nSi 0 0 0\nSi 1 1 1\n", 5, "atom line 3 of 3"},
        {"nan.xyz", "1\nc\nSi nan 0 0\n", 3, "finite number"},
        {"inf.xyz", "1\nc\nSi 0 inf 0\n", 3, "finite number"},
        {"huge.xyz", "1\nc\nSi 0 0 1e400\n", 3, "finite number"},
        {"word.xyz", "1\nc\nSi 0 0 zero\n", 3, "'zero'"},
        {"short.xyz", "1\nc\nSi 0 0\n", 3, "expected 4 fields"},
        {"symbol.xyz", "2\nc\nSi 0 0 0\nXx 0 0 0\n", 4, "element symbol"},
        {"z.xyz", "1\nc\n200 0 0 0\n", 3, "atomic number"},
        {"lat8.extxyz", "1\nLattice=\"1 0 0 0 1 0 0 0\" Properties=species:S:1:pos:R:3\nSi 0 0 0\n", 2,
         "9 finite numbers"},
        {"latnan.extxyz", "1\nLattice=\"1 0 0 0 nan 0 0 0 1\"\nSi 0 0 0\n", 2, "9 finite numbers"},
        {"zerovol.extxyz", "1\nLattice=\"1 0 0 2 0 0 0 0 1\" Properties=species:S:1:pos:R:3\nSi 0 0 0\n", 2,
         "non-zero volume"},
        {"unclosed.extxyz", "1\nLattice=\"1 0 0 0 1 0 0 0 1 Properties=species:S:1:pos:R:3\nSi 0 0 0\n", 2,
         "closing"},
        {"pbc.extxyz", "1\nLattice=\"1 0 0 0 1 0 0 0 1\" pbc=\"T T\"\nSi 0 0 0\n", 2, "pbc"},
        {"props.extxyz", "1\nProperties=species:S:1:pos:R\nSi 0 0 0\n", 2, "triples"},
        {"propsw.extxyz", "1\nProperties=species:S:1:pos:R:2\nSi 0 0\n", 2, "pos:R:3"},
        {"propsnosp.extxyz", "1\nProperties=pos:R:3\n0 0 0\n", 2, "species:S:1 or Z:I:1"},
        {"propsnopos.extxyz", "1\nProperties=species:S:1\nSi\n", 2, "pos:R:3"},
        {"propstype.extxyz", "1\nProperties=species:S:1:pos:Q:3\nSi 0 0 0\n", 2, "type S, R, I or L"},
        {"cols.extxyz", "1\nProperties=species:S:1:pos:R:3:q:R:1\nSi 0 0 0\n", 3, "expected 5 fields"},
        {"colsmore.extxyz", "1\nProperties=species:S:1:pos:R:3\nSi 0 0 0 9\n", 3, "got more"},
        {"time.extxyz", "1\nProperties=species:S:1:pos:R:3 time=soon\nSi 0 0 0\n", 2, "time="},
        {"frame2.extxyz", "1\nc\nSi 0 0 0\n1\nc\nSi 0 0\n", 6, "expected 4 fields"},
    };
    (void)lat;
    check_cases(cases);
}

TEST_CASE("POSCAR malformed") {
    const std::string head = "c\n1.0\n4 0 0\n0 4 0\n0 0 4\n";
    const std::vector<std::string> texts = {
        "c\n",                                            // no scale
        "c\nabc\n4 0 0\n",                                // bad scale
        "c\n0\n4 0 0\n0 4 0\n0 0 4\nSi\n1\nDirect\n0 0 0\n",  // zero scale
        "c\n1.0\n4 0 0\n0 4\n",                           // short lattice line
        head + "Si\n",                                    // no counts
        head + "Si O\n1\nDirect\n0 0 0\n",                // counts mismatch
        head + "Qq\n1\nDirect\n0 0 0\n",                  // bad symbol
        head + "Si\n-1\nDirect\n0 0 0\n",                 // negative count
        head + "Si\n0\nDirect\n",                         // no atoms
        head + "Si\n2\nDirect\n0 0 0\n",                  // truncated
        head + "Si\n1\nDirect\n0 0\n",                    // 2 coordinates
        head + "Si\n1\nDirect\n0 nan 0\n",                // NaN
        head + "Si\n1\nSelective dynamics\nDirect\n0 0 0 T X T\n",  // bad flag
        "c\n1.0\n4 0 0\n8 0 0\n0 0 4\nSi\n1\nDirect\n0 0 0\n",      // zero volume
        "c\n-10\n4 0 0\n8 0 0\n0 0 4\nSi\n1\nDirect\n0 0 0\n",      // zero volume, volume scale
        head + "Si\n1\n",                                 // no Direct line
    };
    const std::size_t lines[] = {2, 2, 2, 4, 7, 7, 6, 7, 7, 10, 9, 9, 10, 3, 3, 8};
    const char* what[] = {"scale factor", "scale factor", "non-zero scale", "three numbers", "counts",
                          "atom counts (one per species)", "element symbols", "non-negative", "at least one atom",
                          "coordinate line 2 of 2", "three coordinates", "finite", "T or F", "non-zero volume",
                          "non-zero volume", "Direct"};
    for (std::size_t k = 0; k < texts.size(); ++k) {
        CAPTURE(k);
        check_cases({{"POSCAR", texts[k].c_str(), lines[k], what[k]}});
    }
}

TEST_CASE("XDATCAR malformed") {
    const std::string head = "Si\n1\n5 0 0\n0 5 0\n0 0 5\nSi\n2\n";
    check_cases({
        {"XDATCAR", (head + "Direct configuration= 1\n0 0 0\n").c_str(), 10, "coordinate line 2 of 2"},
        {"XDATCAR", (head + "Direct configuration= x\n0 0 0\n0 0 0\n").c_str(), 8, "integer after"},
        {"XDATCAR", (head + "0 0 0\n").c_str(), 8, "configuration"},
        {"XDATCAR", (head + "Direct configuration= 1\n0 0 0\n0 0 0\nDirect configuration= 2\n0 0 0\n0 0 inf\n")
                        .c_str(),
         13, "finite"},
    });
}

TEST_CASE("LAMMPS dump malformed") {
    const std::string top = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 5\n0 5\n";
    const std::string cases_text[] = {
        "ITEM: TIMESTEP\nzero\n",
        "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n-3\n",
        "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 5\n",
        "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 5\n0\n0 5\n",
        "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS qq pp pp\n0 5\n0 5\n0 5\n",
        top + "ITEM: ATOMS id type x y\n",
        top + "ITEM: ATOMS id x y z\n",
        top + "ITEM: ATOMS id type x y z\n1 1 0 0 0\n",
        top + "ITEM: ATOMS id type x y z\n1 1 0 0 0\n2 1 0 0\n",
        top + "ITEM: ATOMS id type x y z\n1 1 0 0 0\n2 1 0 0 nan\n",
        top + "ITEM: ATOMS id type x y z\n1 1 0 0 0\n1 1 1 1 1\n",
        top + "ITEM: ATOMS id element x y z\n1 Sb 0 0 0\n2 Foo 1 1 1\n",
        top + "ITEM: ATOMS id type x y z\n1 1.5 0 0 0\n2 1 1 1 1\n",
        "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 0\n0 5\nITEM: ATOMS id type x y z\n1 1 0 0 0\n",
        "ITEM: TIMESTEP\n0\nITEM: ATOMS id type x y z\n1 1 0 0 0\n",
        "ITEM: TIMESTEP\n0\nsomething else\n",
        top + "ITEM: ATOMS id type x y z\n1 1 0 0 0\n2 1 0 0 0\nITEM: TIMESTEP\n",
    };
    const std::size_t lines[] = {2, 4, 8, 7, 5, 9, 9, 11, 11, 11, 11, 11, 10, 6, 3, 3, 13};
    const char* what[] = {"timestep", "non-negative", "box bounds line 3", "2 numbers", "boundary flags",
                          "position columns", "'element' or 'type'", "atom line 2 of 2", "expected 5 columns",
                          "finite", "duplicate atom id 1", "element symbol", "atom type", "non-zero volume",
                          "NUMBER OF ATOMS", "ITEM:", "timestep"};
    for (std::size_t k = 0; k < std::size(cases_text); ++k) {
        CAPTURE(k);
        check_cases({{"bad.lammpstrj", cases_text[k].c_str(), lines[k], what[k]}});
    }
}

TEST_CASE("gro malformed") {
    check_cases({
        {"a.gro", "t\n", 2, "number of atoms"},
        {"a.gro", "t\nabc\n", 2, "number of atoms"},
        {"a.gro", "t\n    2\n    1SOL     OW    1   0.100   0.200   0.300\n", 4, "atom line 2 of 2"},
        {"a.gro", "t\n    1\n    1SOL     OW    1   0.100   0.200\n", 3, "at least 44"},
        {"a.gro", "t\n    1\n    1SOL     OW    1   0.100   0.2x0   0.300\n", 3, "'0.2x0'"},
        {"a.gro", "t\n    1\n    1SOL     OW    1   0.100     nan   0.300\n", 3, "fixed-column"},
        {"a.gro", "t\n    1\n    1SOL     OW    1   0.100   0.200   0.300\n", 4, "box line"},
        {"a.gro", "t\n    1\n    1SOL     OW    1   0.100   0.200   0.300\n 1 1\n", 4, "3 or 9"},
        {"a.gro", "t\n    1\n    1SOL     OW    1   0.100   0.200   0.300\n 1 1 nan\n", 4, "finite"},
        {"a.gro", "t\n    1\n    1SOL     OW    1   0.100   0.200   0.300\n 1 1 0 0 0 0 0 0 0\n", 4,
         "non-zero volume"},
    });
}

TEST_CASE("missing file and empty selection are invalid_argument naming the file") {
    try {
        (void)materia::io::read_frames("/nonexistent/dir/traj.xyz");
        FAIL("no exception");
    } catch (const materia::invalid_argument& e) {
        CHECK(std::string(e.what()).find("/nonexistent/dir/traj.xyz") != std::string::npos);
    }
    io_test::temp_file t("sel.xyz", "1\nc\nSi 0 0 0\n");
    try {
        (void)materia::io::read_frames(t.str(), {}, materia::io::frame_selection::parse("5:"));
        FAIL("no exception");
    } catch (const materia::invalid_argument& e) {
        CHECK(std::string(e.what()).find(t.str()) != std::string::npos);
        CHECK(std::string(e.what()).find("selects no frames") != std::string::npos);
    }
}

TEST_CASE("errors through for_each_frame name the real file path") {
    io_test::temp_file t("trunc.extxyz", "2\nc\nSi 0 0 0\n");
    try {
        (void)materia::io::read_frames(t.str());
        FAIL("no exception");
    } catch (const materia::parse_error& e) {
        CHECK(e.source() == t.str());
        CHECK(e.line() == 4);
    }
    // The counting pass for a negative selection reports truncation too.
    try {
        (void)materia::io::read_frames(t.str(), {}, materia::io::frame_selection::parse("-1"));
        FAIL("no exception");
    } catch (const materia::parse_error& e) {
        CHECK(e.line() == 4);
    }
}

}  // TEST_SUITE
