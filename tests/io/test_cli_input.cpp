// The CLI glue for structure input (tools/materia/structure_input.hpp): option text → read_options
// and frame_selection, usage errors naming the option, and `materia convert` end to end.
#include "../../tools/materia/cmd_convert.hpp"
#include "../../tools/materia/structure_input.hpp"
#include "io_test_util.hpp"

#include <doctest/doctest.h>

#include <iostream>
#include <sstream>

namespace {
materia::cli::arguments args_of(std::vector<std::string> argv) {
    return materia::cli::arguments("test", materia::cli::structure_options(), std::move(argv));
}

std::string usage_message(std::vector<std::string> argv) {
    try {
        const auto a = args_of(std::move(argv));
        (void)materia::cli::read_options_from(a);
        (void)materia::cli::frame_selection_from(a);
    } catch (const materia::cli::usage_error& e) {
        return e.what();
    }
    return {};
}
}  // namespace

TEST_SUITE("io.cli") {

TEST_CASE("read_options_from parses --format, --cell, --box, --types, --species") {
    const auto a = args_of({"in.xyz", "--format", "lammps-dump", "--cell", "1,0,0, 0.5,2,0,0,0,3", "--types",
                            "1=Sb,2=Se", "--species", "Ge,Te", "--frames", "-5::2"});
    const auto o = materia::cli::read_options_from(a);
    CHECK(o.fmt == materia::io::format::lammps_dump);
    REQUIRE(o.cell);
    CHECK(o.cell->matrix()[1] == materia::vec3{0.5, 2.0, 0.0});
    CHECK(o.cell->volume() == doctest::Approx(6.0).epsilon(1e-15));
    CHECK(o.types == std::map<long long, std::string>{{1, "Sb"}, {2, "Se"}});
    CHECK(o.species == std::vector<std::string>{"Ge", "Te"});
    const auto s = materia::cli::frame_selection_from(a);
    CHECK(s.start == -5);
    CHECK_FALSE(s.stop);
    CHECK(s.step == 2);
    const auto b = materia::cli::read_options_from(args_of({"--box", "10,11,12"}));
    CHECK(b.cell->volume() == doctest::Approx(1320.0).epsilon(1e-15));
    CHECK(b.fmt == materia::io::format::auto_detect);
    CHECK_FALSE(materia::cli::read_options_from(args_of({})).cell);
}

TEST_CASE("malformed option text is a usage error naming the option") {
    const std::vector<std::pair<std::vector<std::string>, const char*>> cases = {
        {{"--format", "pdb"}, "--format"},
        {{"--cell", "1,2,3"}, "--cell"},
        {{"--cell", "1,0,0,0,1,0,0,0,x"}, "--cell"},
        {{"--cell", "1,0,0,2,0,0,0,0,1"}, "--cell"},  // singular
        {{"--box", "1,2"}, "--box"},
        {{"--box", "1,-2,3"}, "--box"},
        {{"--box", "1,2,3", "--cell", "1,0,0,0,1,0,0,0,1"}, "--cell or --box"},
        {{"--types", "1Sb"}, "--types"},
        {{"--types", "a=Sb"}, "--types"},
        {{"--types", "1=Sb,1=Se"}, "--types"},
        {{"--species", "Ge,,Te"}, "--species"},
        {{"--frames", "1:2:0"}, "--frames"},
        {{"--frames", "x"}, "--frames"},
    };
    for (const auto& c : cases) {
        const std::vector<std::string>& argv = c.first;
        const char* option = c.second;
        CAPTURE(argv[1]);
        const std::string msg = usage_message(argv);
        CHECK(msg.find(option) != std::string::npos);
    }
}

TEST_CASE("materia convert: writes extxyz that reads back identically; bad input exits 3") {
    const auto cmd = materia::cli::make_convert_command();
    io_test::temp_file out("convert_out.extxyz", "");
    const std::string in = io_test::data("same/ref.lammpstrj");
    CHECK(materia::cli::run_command(cmd, {in, "--out", out.str()}) == 0);
    const auto a = materia::io::read_frames(in);
    const auto b = materia::io::read_frames(out.str());
    REQUIRE(a.size() == 1);
    REQUIRE(b.size() == 1);
    CHECK(b[0].positions == a[0].positions);
    CHECK(b[0].species == a[0].species);
    CHECK(*b[0].images == *a[0].images);

    // bad input → exit 3, message names file and line, and no output file is left behind
    io_test::temp_file bad("convert_bad.xyz", "2\nc\nSi 0 0 0\n");
    io_test::temp_file out2("convert_out2.extxyz", "");
    std::filesystem::remove(out2.path);
    std::ostringstream err;
    auto* old = std::cerr.rdbuf(err.rdbuf());
    const int rc = materia::cli::run_command(cmd, {bad.str(), "--out", out2.str()});
    std::cerr.rdbuf(old);
    CHECK(rc == 3);
    CHECK(err.str().find(bad.str() + ":4:") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out2.path));
    // usage errors → exit 2
    std::cerr.rdbuf(err.rdbuf());
    CHECK(materia::cli::run_command(cmd, {in, "--frames", "::0"}) == 2);
    CHECK(materia::cli::run_command(cmd, {in, "--bogus"}) == 2);
    // LAMMPS types without --types cannot become extxyz species: a usage error that says so.
    CHECK(materia::cli::run_command(cmd, {io_test::data("ortho.dump"), "--out", out2.str()}) == 2);
    std::cerr.rdbuf(old);
    CHECK(err.str().find("--types") != std::string::npos);
}

}  // TEST_SUITE
