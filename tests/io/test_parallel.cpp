// Parallel parsing (read_options::threads > 1): frames are found by the skip pass, parsed by
// several threads and delivered in file order.  The frames and the errors must be exactly those
// of the sequential reader, for every thread count and selection.
#include "io_test_util.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

/// 9 extended XYZ frames of 3..40 atoms (sizes vary so that batches are uneven), blank lines
/// between some frames, mixed species, full-precision and short numbers.
std::string extxyz_text() {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> u(-2.0, 12.0);
    const char* names[] = {"Si", "O", "Sb", "Se"};
    std::string s;
    char buf[160];
    for (int k = 0; k < 9; ++k) {
        const int n = 3 + static_cast<int>(rng() % 38);
        s += std::to_string(n) + "\nLattice=\"10 0 0 0 " + std::to_string(10 + k) +
             " 0 0 0 11\" Properties=species:S:1:pos:R:3 step=" + std::to_string(100 * k) + "\n";
        for (int i = 0; i < n; ++i) {
            std::snprintf(buf, sizeof buf, k % 2 == 0 ? "%s %.8f %.8f %.8f\n" : "%s %.17g %.3e %g\n",
                          names[rng() % 4], u(rng), u(rng), u(rng));
            s += buf;
        }
        if (k == 4) s += "\n\n";
    }
    return s;
}

/// 7 LAMMPS dump frames, ids shuffled, image flags, triclinic box.
std::string dump_text() {
    std::mt19937_64 rng(12);
    std::uniform_real_distribution<double> u(0.0, 9.0);
    std::string s;
    char buf[200];
    for (int k = 0; k < 7; ++k) {
        const int n = 5 + static_cast<int>(rng() % 30);
        s += "ITEM: TIMESTEP\n" + std::to_string(10 * k) + "\nITEM: NUMBER OF ATOMS\n" + std::to_string(n) +
             "\nITEM: BOX BOUNDS xy xz yz pp pp pp\n0 10 0.5\n0 9 0\n0 9.5 0\nITEM: ATOMS id type x y z ix iy iz\n";
        std::vector<int> ids(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) ids[static_cast<std::size_t>(i)] = i + 1;
        std::shuffle(ids.begin(), ids.end(), rng);
        for (int id : ids) {
            std::snprintf(buf, sizeof buf, "%d %d %.6f %.6f %.6f %d %d %d\n", id, 1 + id % 2, u(rng), u(rng),
                          u(rng), static_cast<int>(rng() % 3) - 1, 0, 1);
            s += buf;
        }
    }
    return s;
}

std::vector<materia::frame> read_all(const std::string& path, int threads, const materia::io::frame_selection& sel = {},
                                     materia::io::read_options opts = {}) {
    opts.threads = threads;
    std::vector<materia::frame> out;
    materia::io::for_each_frame(path, opts, sel, [&](const materia::frame& f) { out.push_back(f); });
    return out;
}

/// Frames equal to the bit: positions, species, cell, images, step, time, index.
void check_same(const std::vector<materia::frame>& a, const std::vector<materia::frame>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
        CAPTURE(k);
        CHECK(a[k].index == b[k].index);
        CHECK(a[k].step == b[k].step);
        CHECK(a[k].time == b[k].time);
        CHECK(a[k].species == b[k].species);
        REQUIRE(a[k].positions.size() == b[k].positions.size());
        CHECK(std::memcmp(a[k].positions.data(), b[k].positions.data(), a[k].positions.size() * sizeof(materia::vec3)) == 0);
        CHECK(io_test::cell_diff(a[k].cell, b[k].cell) == 0.0);
        CHECK(a[k].images.has_value() == b[k].images.has_value());
        if (a[k].images && b[k].images) CHECK(*a[k].images == *b[k].images);
    }
}

/// What a sequential or parallel read delivers before it throws: frame indices, and the message.
std::pair<std::vector<std::size_t>, std::string> read_until_error(const std::string& path, int threads) {
    materia::io::read_options opts;
    opts.threads = threads;
    std::vector<std::size_t> seen;
    try {
        materia::io::for_each_frame(path, opts, {}, [&](const materia::frame& f) { seen.push_back(f.index); });
    } catch (const materia::parse_error& e) {
        return {seen, e.what()};
    }
    return {seen, ""};
}

}  // namespace

TEST_SUITE("io.parallel") {

TEST_CASE("extended XYZ: 1, 2, 3 and 5 threads give identical frames, for several selections") {
    io_test::temp_file t("par.extxyz", extxyz_text());
    const auto ref = read_all(t.str(), 1);
    REQUIRE(ref.size() == 9);
    CHECK(ref[8].step == 800);
    for (int threads : {2, 3, 5}) {
        CAPTURE(threads);
        check_same(read_all(t.str(), threads), ref);
        const auto sel = materia::io::frame_selection::parse("1:8:3");
        const auto part = read_all(t.str(), threads, sel);
        REQUIRE(part.size() == 3);
        CHECK(part[0].index == 1);
        CHECK(part[2].index == 7);
        check_same(part, read_all(t.str(), 1, sel));
        // A negative selection takes the counting route: still identical.
        const auto back = materia::io::frame_selection::parse("::-2");
        check_same(read_all(t.str(), threads, back), read_all(t.str(), 1, back));
    }
}

TEST_CASE("LAMMPS dump: threads give identical frames (sorted by id, images, triclinic cell)") {
    io_test::temp_file t("par.lammpstrj", dump_text());
    materia::io::read_options o;
    o.types = {{1, "Sb"}, {2, "Se"}};
    const auto ref = read_all(t.str(), 1, {}, o);
    REQUIRE(ref.size() == 7);
    CHECK(ref[3].species[0] == "Se");  // id 1 → type 2
    CHECK(ref[3].images.has_value());
    for (int threads : {2, 4}) check_same(read_all(t.str(), threads, {}, o), ref);
}

TEST_CASE("errors are the sequential reader's: same message, same frames delivered first") {
    const std::string good = extxyz_text();
    // Frame 5 (0-based): a bad coordinate on one atom line.
    std::string bad_number = good;
    {
        std::size_t pos = 0;
        for (int k = 0; k < 6; ++k) pos = bad_number.find("Lattice", pos + 1);
        pos = bad_number.find('\n', pos) + 1;           // first atom line of frame 5
        pos = bad_number.find(' ', pos) + 1;            // its x
        bad_number.replace(pos, 1, "x");
    }
    // Truncated in the middle of frame 7: the skip pass fails there.
    const std::string truncated = good.substr(0, good.find("step=700") + 200);
    // A bad atom count line in frame 2.
    std::string bad_count = good;
    {
        std::size_t pos = 0;
        for (int k = 0; k < 3; ++k) pos = bad_count.find("Lattice", pos + 1);
        pos = bad_count.rfind('\n', pos - 2) + 1;  // start of the count line of frame 2
        bad_count.replace(pos, 0, "z");
    }
    // Frames delivered before the error, sequentially (frame 7 is truncated after ~200 bytes).
    const std::vector<std::size_t> before = {5, 7, 2};
    for (std::size_t n = 0; n < 3; ++n) {
        const std::string* text = std::array<const std::string*, 3>{&bad_number, &truncated, &bad_count}[n];
        io_test::temp_file t("par_err" + std::to_string(n) + ".extxyz", *text);
        const auto seq = read_until_error(t.str(), 1);
        REQUIRE(!seq.second.empty());
        CHECK(seq.first.size() == before[n]);
        CHECK(seq.second.find(t.str()) != std::string::npos);
        for (int threads : {2, 3}) {
            CAPTURE(threads);
            const auto par = read_until_error(t.str(), threads);
            CHECK(par.second == seq.second);
            CHECK(par.first == seq.first);
        }
    }
}

}  // TEST_SUITE
