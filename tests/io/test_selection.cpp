// Frame selection: Python slice semantics (expected lists computed with Python's list(range(10))[s]),
// streaming through every format, and the parse errors of malformed selections.
#include "io_test_util.hpp"

#include <doctest/doctest.h>

using materia::io::frame_selection;

namespace {
/// 10 frames; frame k has step=k and one atom at x = k.
std::string ten_frames() {
    std::string s;
    for (int k = 0; k < 10; ++k)
        s += "1\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 step=" + std::to_string(k) +
             "\nSi " + std::to_string(k) + " 0 0\n";
    return s;
}
}  // namespace

TEST_SUITE("io.selection") {

TEST_CASE("slice semantics match Python on 10 frames, streamed from a file") {
    io_test::temp_file t("ten.extxyz", ten_frames());
    const std::vector<std::pair<const char*, std::vector<long long>>> cases = {
        {"::", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
        {"::10", {0}},
        {"-1", {9}},
        {"5:", {5, 6, 7, 8, 9}},
        {"2:8:3", {2, 5}},
        {"-3:", {7, 8, 9}},
        {"-3:-1", {7, 8}},
        {":-8", {0, 1}},
        {"::-1", {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
        {"::-3", {9, 6, 3, 0}},
        {"8:2:-2", {8, 6, 4}},
        {"-1:-11:-1", {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
        {"-100:2", {0, 1}},
        {"3", {3}},
        {"-10", {0}},
        {"1:2:100", {1}},
        {"::-100", {9}},
        {" 1 : 4 ", {1, 2, 3}},
        {"+2:+4", {2, 3}},
    };
    for (const auto& c : cases) {
        const char* text = c.first;
        const std::vector<long long>& expected = c.second;
        CAPTURE(text);
        std::vector<long long> got;
        std::vector<std::size_t> idx;
        const std::size_t n = materia::io::for_each_frame(t.str(), {}, frame_selection::parse(text),
                                                          [&](const materia::frame& f) {
                                                              got.push_back(*f.step);
                                                              idx.push_back(f.index);
                                                              CHECK(f.positions[0][0] == double(*f.step));
                                                          });
        CHECK(got == expected);
        CHECK(n == expected.size());
        for (std::size_t k = 0; k < idx.size(); ++k) CHECK(idx[k] == std::size_t(expected[k]));
    }
    // Selections that select nothing are an error (the message names the file).
    for (const char* text : {"100:", "7:3", ":0", "10", "-11"}) {
        CAPTURE(text);
        CHECK_THROWS_AS(materia::io::for_each_frame(t.str(), {}, frame_selection::parse(text),
                                                    [](const materia::frame&) {}),
                        materia::invalid_argument);
    }
}

TEST_CASE("indices() is Python's slice.indices for edge sizes") {
    CHECK(frame_selection::parse("::-1").indices(0).empty());
    CHECK(frame_selection::parse("-1").indices(1) == std::vector<std::size_t>{0});
    CHECK(frame_selection::parse("::2").indices(5) == std::vector<std::size_t>{0, 2, 4});
    CHECK(frame_selection::parse("3:1:-1").indices(5) == std::vector<std::size_t>{3, 2});
    CHECK(frame_selection::parse("::9223372036854775807").indices(5) == std::vector<std::size_t>{0});
    CHECK(frame_selection::parse("::-9223372036854775807").indices(5) == std::vector<std::size_t>{4});
    CHECK(frame_selection::parse("-9223372036854775808:").indices(3) == std::vector<std::size_t>{0, 1, 2});
    CHECK_FALSE(frame_selection::parse("5:").needs_count());
    CHECK(frame_selection::parse("-5:").needs_count());
    CHECK(frame_selection::parse("::-1").needs_count());
    CHECK(frame_selection::parse(":-1").needs_count());
}

TEST_CASE("malformed selections throw invalid_argument quoting the text") {
    for (const char* text : {"", "a", "1:2:3:4", "::0", "1.5", "1:x", "--1", "::-9223372036854775808",
                             "9223372036854775807", "99999999999999999999"}) {
        CAPTURE(text);
        try {
            (void)frame_selection::parse(text);
            FAIL("no exception");
        } catch (const materia::invalid_argument& e) {
            CHECK(std::string(e.what()).find(std::string("'") + text + "'") != std::string::npos);
        }
    }
}

TEST_CASE("selection streams every multi-frame format, skipping unselected frames cheaply") {
    const std::string dump_frame = "ITEM: TIMESTEP\n%\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 5\n0 5\n"
                                   "ITEM: ATOMS id element x y z\n1 Si % 0 0\n";
    const std::string gro_frame = "frame step= %\n    1\n    1SI      SI    1   0.%00   0.000   0.000\n   0.5 0.5 0.5\n";
    const std::string xdat_head = "Si\n1\n5 0 0\n0 5 0\n0 0 5\nSi\n1\n";
    std::string dump, gro, xdat = xdat_head;
    auto subst = [](const std::string& s, int k) {
        // Built char by char: GCC 12 at -O3 warns (-Wrestrict, a false positive) on replace().
        std::string out;
        for (char c : s) {
            if (c == '%') out += std::to_string(k);
            else out += c;
        }
        return out;
    };
    for (int k = 0; k < 6; ++k) {
        dump += subst(dump_frame, k);
        gro += subst(gro_frame, k);
        xdat += "Direct configuration= " + std::to_string(k) + "\n0." + std::to_string(k) + " 0 0\n";
    }
    for (const auto& c : {std::pair<std::string, std::string>{"sel.lammpstrj", dump},
                                     {"sel.gro", gro}, {"XDATCAR_sel", xdat}}) {
        const std::string& name = c.first;
        const std::string& text = c.second;
        CAPTURE(name);
        io_test::temp_file t(name, text);
        std::vector<long long> steps;
        materia::io::for_each_frame(t.str(), {}, frame_selection::parse("-4::2"),
                                    [&](const materia::frame& f) { steps.push_back(*f.step); });
        CHECK(steps == std::vector<long long>{2, 4});
        const auto all = materia::io::read_frames(t.str());
        CHECK(all.size() == 6);
    }
}

TEST_CASE("progress callback: monotone, ends at the file size (two passes for negative selections)") {
    const std::string text = ten_frames();
    io_test::temp_file t("progress.extxyz", text);
    for (const char* sel : {"::", "-2:"}) {
        CAPTURE(sel);
        std::vector<std::uintmax_t> done;
        std::uintmax_t total = 0;
        materia::io::for_each_frame(t.str(), {}, frame_selection::parse(sel), [](const materia::frame&) {},
                                    [&](std::uintmax_t d, std::uintmax_t tot) {
                                        done.push_back(d);
                                        total = tot;
                                    });
        const std::uintmax_t passes = std::string(sel) == "::" ? 1 : 2;
        CHECK(total == passes * text.size());
        REQUIRE(!done.empty());
        CHECK(std::is_sorted(done.begin(), done.end()));
        CHECK(done.back() == total);
    }
}

}  // TEST_SUITE
