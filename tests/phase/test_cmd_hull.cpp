// `materia hull` end to end through the command object: output equal to the library's rows, and
// --out naming the input refused before anything is truncated (rows are written while the
// mapped input is still read); an existing --out file, overwritten in place, ends up holding
// exactly the new output.
#include "../../tools/materia/cmd_hull.hpp"

#include <doctest/doctest.h>

#include <materia/phase/hull_csv.hpp>

#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

namespace {

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

void write(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
}

int run_hull(std::vector<std::string> argv) {
    const auto cmd = materia::cli::make_hull_command();
    return cmd.run(materia::cli::arguments("hull", cmd.options, std::move(argv)));
}

const char* const entries =
    "name,formula,energy\n"
    "Li,Li,-1.9\nO2,O2,-4.9\nLi2O,Li2O,-4.8\nLi2O2,Li2O2,-4.2\nLiO3,LiO3,-3.0\n";

}  // namespace

TEST_CASE("materia hull: the CSV rows are csv_hull's rows; --out = input is a usage error") {
    const std::string dir = P_tmpdir;
    const std::string in = dir + "/materia_test_cmd_hull.csv", out = dir + "/materia_test_cmd_hull_out.csv";
    write(in, entries);
    CHECK(run_hull({in, "--out", out}) == 0);
    const std::string got = slurp(out);
    const std::string text = entries;
    const materia::phase::csv_hull table(text, in);
    const std::string rows = table.format_rows(std::numeric_limits<double>::infinity(), 1);
    REQUIRE(got.size() > rows.size());
    CHECK(got.substr(got.size() - rows.size()) == rows);
    CHECK(got.find("name,formula,e_form,e_above_hull,stable,decomposition\n") != std::string::npos);
    CHECK_THROWS_AS(run_hull({in, "--out", in}), materia::cli::usage_error);
    CHECK(slurp(in) == entries);  // untouched
    CHECK_THROWS_AS(run_hull({in, "--out", in, "--stream"}), materia::cli::usage_error);
    CHECK(slurp(in) == entries);
    std::remove(in.c_str());
    std::remove(out.c_str());
}

TEST_CASE("materia hull: an existing --out file is overwritten and cut to the new output") {
    const std::string dir = P_tmpdir;
    const std::string in = dir + "/materia_test_cmd_hull_ow.csv", out = dir + "/materia_test_cmd_hull_ow_out.csv",
                      fresh = dir + "/materia_test_cmd_hull_ow_fresh.csv";
    write(in, entries);
    std::remove(fresh.c_str());
    CHECK(run_hull({in, "--out", fresh}) == 0);
    const std::string expected = slurp(fresh);
    REQUIRE(expected.size() > 100);
    // Longer old content: the tail must be cut, not left behind.
    write(out, std::string(5 * expected.size() + 12345, 'Z'));
    CHECK(run_hull({in, "--out", out}) == 0);
    CHECK(slurp(out) == expected);
    // Shorter old content.
    write(out, "old\n");
    CHECK(run_hull({in, "--out", out}) == 0);
    CHECK(slurp(out) == expected);
    // Bad input: the existing output is left as it was (the file is opened only after evaluation).
    write(out, "keep me\n");
    write(in, "name,formula,energy\nLi,Li,-1.9\nX,Qq2,-1\n");
    CHECK_THROWS(run_hull({in, "--out", out}));
    CHECK(slurp(out) == "keep me\n");
    std::remove(in.c_str());
    std::remove(out.c_str());
    std::remove(fresh.c_str());
}
