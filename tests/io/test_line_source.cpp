// line_source (io/text_input.hpp): the line splitter under every reader.  next() finds line ends
// from 64-byte newline masks, skip_lines() counts newlines 64 bytes at a time, both refill 1 MiB
// blocks, and capture copies consumed text for the parallel reader.  Checked against a plain
// reference split on texts that cross many block boundaries.
#include "io_test_util.hpp"

#include <materia/io/text_input.hpp>

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {
using materia::io::detail::line_source;

/// Random lines: mostly short atom-like lines, some empty, some CRLF, some of 64–5000 bytes.
std::string random_text(std::mt19937_64& rng, std::size_t bytes, bool trailing_newline) {
    std::string s;
    while (s.size() < bytes) {
        const unsigned kind = static_cast<unsigned>(rng() % 20);
        const std::size_t len = kind == 0 ? 0 : kind == 1 ? 64 + rng() % 5000 : kind == 2 ? 63 + rng() % 3 : 10 + rng() % 50;
        for (std::size_t i = 0; i < len; ++i) s += static_cast<char>('a' + rng() % 26);
        if (kind == 3) s += '\r';
        s += '\n';
    }
    if (!trailing_newline) s += "last line without newline";
    return s;
}

/// The reference: lines split at '\n', one trailing '\r' removed, no empty last line after a final '\n'.
std::vector<std::string> reference_lines(const std::string& s) {
    std::vector<std::string> out;
    std::size_t p = 0;
    while (p < s.size()) {
        std::size_t e = s.find('\n', p);
        if (e == std::string::npos) e = s.size();
        std::string l = s.substr(p, e - p);
        if (!l.empty() && l.back() == '\r') l.pop_back();
        out.push_back(l);
        p = e + 1;
    }
    return out;
}

/// Read the whole source with a random mix of next(), unget(), skip_lines() and captures; check
/// every line, every line number and that the captured text is exactly the consumed bytes.
void check_source(line_source& src, const std::string& text, std::mt19937_64& rng) {
    const std::vector<std::string> ref = reference_lines(text);
    std::size_t k = 0;  // lines consumed
    std::string captured, all_captured;
    std::size_t capture_from_line = 0;
    bool capturing = false;
    while (k < ref.size()) {
        const unsigned op = static_cast<unsigned>(rng() % 10);
        if (op == 0 && !capturing) {
            src.begin_capture(captured);
            capturing = true;
            capture_from_line = k;
        } else if (op == 1 && capturing) {
            // Either form: a view of the mapped window (when the capture stayed inside one) or a copy.
            line_source::captured_view view;
            if (rng() % 2 == 0) {
                if (src.end_capture(view)) {
                    REQUIRE(captured.empty());
                    REQUIRE(view.window != nullptr);
                    captured.assign(view.text);
                }
            } else {
                src.end_capture();
            }
            capturing = false;
            std::string expect;
            for (std::size_t i = capture_from_line; i < k; ++i) expect += ref[i];
            std::string got;  // compare without line terminators
            for (char c : captured)
                if (c != '\n' && c != '\r') got += c;
            std::string expect_nocr;
            for (char c : expect)
                if (c != '\r') expect_nocr += c;
            REQUIRE(got == expect_nocr);
        } else if (op == 2) {
            const std::size_t n = rng() % 200;
            const bool ok = src.skip_lines(n);
            REQUIRE(ok == (k + n <= ref.size()));
            k = std::min(k + n, ref.size());
            REQUIRE(src.line() == k);
        } else {
            std::string_view l;
            REQUIRE(src.next(l));
            REQUIRE(l == ref[k]);
            ++k;
            REQUIRE(src.line() == k);
            if (op == 3) {
                src.unget();
                --k;
                REQUIRE(src.line() == k);
            }
        }
    }
    std::string_view l;
    CHECK(!src.next(l));
    CHECK(src.line() == ref.size());
    if (capturing) src.end_capture();
}
}  // namespace

TEST_SUITE("io.line_source") {

TEST_CASE("next / skip_lines / unget / capture agree with a reference split across 1 MiB blocks") {
    std::mt19937_64 rng(99);
    for (const bool trailing : {true, false}) {
        const std::string text = random_text(rng, 3'300'000, trailing);
        io_test::temp_file t(trailing ? "lines_a.txt" : "lines_b.txt", text);
        line_source file(t.str());
        check_source(file, text, rng);
        line_source memory("memory", text);
        check_source(memory, text, rng);
    }
}

TEST_CASE("files read through mmap windows: sliding, growing for long lines, capture, unget") {
    // Small windows (64 KiB, and files of any size mapped) make the window slide hundreds of
    // times; a 300 KB line makes it grow.
    using materia::io::detail::mmap_min_bytes;
    using materia::io::detail::mmap_window_bytes;
    const std::size_t min0 = mmap_min_bytes.load(), window0 = mmap_window_bytes.load();
    mmap_min_bytes = 1;
    mmap_window_bytes = std::size_t{1} << 16;
    std::mt19937_64 rng(98);
    for (const bool trailing : {true, false}) {
        std::string text = random_text(rng, 1'500'000, trailing);
        text.insert(700'000, std::string(300'000, 'L') + "\n");
        io_test::temp_file t(trailing ? "map_a.txt" : "map_b.txt", text);
        line_source file(t.str());
        check_source(file, text, rng);
    }
    {
        io_test::temp_file t("map_tiny.txt", "one\ntwo");
        line_source file(t.str());
        check_source(file, "one\ntwo", rng);
    }
    mmap_min_bytes = min0;
    mmap_window_bytes = window0;
}

TEST_CASE("a captured view keeps its window mapped after the source moved on or was destroyed") {
    using materia::io::detail::mmap_min_bytes;
    using materia::io::detail::mmap_window_bytes;
    const std::size_t min0 = mmap_min_bytes.load(), window0 = mmap_window_bytes.load();
    mmap_min_bytes = 1;
    mmap_window_bytes = std::size_t{1} << 16;
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + "\n";  // ~228 kB: 4 windows
    io_test::temp_file t("view_lifetime.txt", text);
    std::vector<line_source::captured_view> views;
    std::vector<std::size_t> first_lines;
    {
        line_source src(t.str());
        std::string copy;
        std::string_view l;
        for (int k = 0; k < 200; ++k) {
            first_lines.push_back(src.line());
            src.begin_capture(copy);
            for (int j = 0; j < 100 && src.next(l); ++j) {
            }
            line_source::captured_view v;
            if (src.end_capture(v)) views.push_back(std::move(v));
            else first_lines.pop_back();  // across a window end: copied instead
        }
    }  // the source and its current window are gone; the views keep theirs
    REQUIRE(views.size() > 150);
    for (std::size_t k = 0; k < views.size(); ++k) {
        const std::size_t first = first_lines[k];
        line_source again("view", views[k].window, views[k].text, views[k].tail, first);
        std::string_view l;
        for (std::size_t j = 0; j < 100; ++j) {
            REQUIRE(again.next(l));
            CHECK(l == "line " + std::to_string(first + j));
            CHECK(again.line() == first + j + 1);
        }
        CHECK(!again.next(l));
    }
    mmap_min_bytes = min0;
    mmap_window_bytes = window0;
}

TEST_CASE("short texts: empty, one line, only newlines, a line of exactly 64 bytes") {
    std::mt19937_64 rng(5);
    for (const std::string& text : {std::string(), std::string("x"), std::string("\n\n\n"),
                                   std::string(64, 'a') + "\n" + std::string(63, 'b') + "\n",
                                   std::string(128, 'c'), std::string(200, '\n')}) {
        line_source memory("memory", text);
        check_source(memory, text, rng);
    }
}

TEST_CASE("line numbers continue from first_line for a frame handed to a worker") {
    line_source src("traj.xyz", "a\nb\n", 41);
    std::string_view l;
    REQUIRE(src.next(l));
    CHECK(src.line() == 42);
    CHECK_THROWS_WITH_AS(src.fail("bad"), doctest::Contains("traj.xyz:42"), materia::parse_error);
}

}  // TEST_SUITE
