// Parallel parsing (read_options::threads > 1): frames are found by the skip pass, parsed by
// several threads and delivered in file order.  The frames and the errors must be exactly those
// of the sequential reader, for every thread count and selection.
#include "io_test_util.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <sys/mman.h>

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


/// Reading through mmap (every file, `window` bytes at a time) for the lifetime of this object:
/// the parallel reader then guesses where frames start (io/reader.hpp).
struct mapped_reading {
    std::size_t min0 = materia::io::detail::mmap_min_bytes.load();
    std::size_t window0 = materia::io::detail::mmap_window_bytes.load();
    explicit mapped_reading(std::size_t window) {
        materia::io::detail::mmap_min_bytes = 1;
        materia::io::detail::mmap_window_bytes = window;
    }
    ~mapped_reading() {
        materia::io::detail::mmap_min_bytes = min0;
        materia::io::detail::mmap_window_bytes = window0;
    }
    mapped_reading(const mapped_reading&) = delete;
    mapped_reading& operator=(const mapped_reading&) = delete;
};

/// n_frames extended XYZ frames of n atoms with lines of equal length (so that frames have equal
/// lengths and the guesses hit), except: frame `odd` has n + 7 atoms, blank lines (one with
/// spaces) after frames 7 and 8.
std::string equal_extxyz_text(int n_frames, int n, int odd) {
    std::mt19937_64 rng(21);
    std::uniform_real_distribution<double> u(10.0, 99.0);
    const char* names[] = {"Si", "Sb", "Se", "Ge"};
    std::string s;
    char buf[160];
    for (int k = 0; k < n_frames; ++k) {
        const int m = k == odd ? n + 7 : n;
        s += std::to_string(m) + "\nLattice=\"10 0 0 0 10 0 0 0 11\" Properties=species:S:1:pos:R:3 step=" +
             std::to_string(1000 + k) + "\n";
        for (int i = 0; i < m; ++i) {
            std::snprintf(buf, sizeof buf, "%s %.8f %.8f %.8f\n", names[rng() % 4], u(rng), u(rng), u(rng));
            s += buf;
        }
        if (k == 7) s += "\n";
        if (k == 8) s += "  \n\n";
    }
    return s;
}

/// n_frames LAMMPS dump frames of n atoms (shuffled ids, image flags), all of one length.
std::string equal_dump_text(int n_frames, int n) {
    std::mt19937_64 rng(22);
    std::uniform_real_distribution<double> u(1.0, 9.0);
    std::string s;
    char buf[200];
    for (int k = 0; k < n_frames; ++k) {
        s += "ITEM: TIMESTEP\n" + std::to_string(100 + k) + "\nITEM: NUMBER OF ATOMS\n" + std::to_string(n) +
             "\nITEM: BOX BOUNDS xy xz yz pp pp pp\n0 10 0.5\n0 9 0\n0 9.5 0\nITEM: ATOMS id type x y z ix iy iz\n";
        std::vector<int> ids(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) ids[static_cast<std::size_t>(i)] = 100 + i;
        std::shuffle(ids.begin(), ids.end(), rng);
        for (int id : ids) {
            std::snprintf(buf, sizeof buf, "%d %d %.6f %.6f %.6f %d %d %d\n", id, 1 + id % 2, u(rng), u(rng), u(rng),
                          static_cast<int>(rng() % 2), 0, 1);
            s += buf;
        }
    }
    return s;
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


TEST_CASE("mapped files: frames at guessed starts are exactly the sequential reader's") {
    // Equal frame lengths (guesses hit), blank lines between frames, one longer frame (the guesses
    // after it miss once), windows of 32 MiB and of one page (frames cross window ends).
    io_test::temp_file t("guess.extxyz", equal_extxyz_text(40, 30, 15));
    for (std::size_t window : {std::size_t{1} << 25, std::size_t{4096}}) {
        CAPTURE(window);
        const mapped_reading mapped(window);
        const auto ref = read_all(t.str(), 1);
        REQUIRE(ref.size() == 40);
        CHECK(ref[15].positions.size() == 37);
        CHECK(ref[39].step == 1039);
        for (int threads : {2, 3}) {
            CAPTURE(threads);
            const std::size_t stream0 = materia::io::detail::stream_frames.load();
            check_same(read_all(t.str(), threads), ref);
            // No fall-back to the skip pass: the odd frame is read again, the guesses recover.
            // (Which frames a worker guesses and which it reads from an exact start depends on
            // the scheduling; the guessing itself is tested below, deterministically.)
            CHECK(materia::io::detail::stream_frames.load() - stream0 == 40);
            for (const char* spec : {"1:35:3", "4:", ":9", "10:11", "::7"}) {
                CAPTURE(spec);
                const auto sel = materia::io::frame_selection::parse(spec);
                check_same(read_all(t.str(), threads, sel), read_all(t.str(), 1, sel));
            }
        }
    }
}

TEST_CASE("mapped files: a guessed start finds the frame's first line near the guess, or reports none") {
    // run_guessed_job, as a worker runs it: frame 5 of equal frames, guessed 300 bytes off.
    const std::string text = equal_extxyz_text(12, 30, 99);
    io_test::temp_file t("guess_job.extxyz", text);
    std::vector<std::size_t> starts;
    for (std::size_t pos = 0; (pos = text.find("30\nLattice", pos)) != std::string::npos; pos += 1) starts.push_back(pos);
    REQUIRE(starts.size() == 12);
    const std::size_t length = starts[1] - starts[0];
    std::FILE* f = std::fopen(t.str().c_str(), "rb");
    REQUIRE(f != nullptr);
    const std::shared_ptr<std::FILE> file(f, [](std::FILE* q) { std::fclose(q); });
    void* const m = ::mmap(nullptr, text.size(), PROT_READ, MAP_PRIVATE, ::fileno(f), 0);
    REQUIRE(m != MAP_FAILED);
    const std::shared_ptr<void> mapping(m, [n = text.size()](void* q) { ::munmap(q, n); });
    using materia::io::detail::guessed_job;
    const materia::io::read_options opts;
    const auto ref = read_all(t.str(), 1);
    for (const long off : {-300L, 0L, 300L}) {
        CAPTURE(off);
        guessed_job job;
        job.index = 5;
        job.want = true;
        job.guess = static_cast<std::size_t>(static_cast<long>(starts[5]) + off);
        materia::io::detail::run_guessed_job(t.str(), materia::io::format::extxyz, opts, mapping,
                                             static_cast<const char*>(m), text.size(), "30", length, job);
        CHECK(job.st == guessed_job::state::parsed);
        CHECK(job.start == starts[5]);
        CHECK(job.end == starts[6]);
        check_same({job.f}, {ref[5]});
    }
    // A first line that is nowhere near the guess: no start (the caller reads the frame again).
    guessed_job job;
    job.guess = starts[5];
    materia::io::detail::run_guessed_job(t.str(), materia::io::format::extxyz, opts, mapping,
                                         static_cast<const char*>(m), text.size(), "31", length, job);
    CHECK(job.st == guessed_job::state::no_start);
}

TEST_CASE("mapped files: LAMMPS dump frames at guessed starts, and frames of varying length") {
    materia::io::read_options o;
    o.types = {{1, "Sb"}, {2, "Se"}};
    io_test::temp_file dump("guess.lammpstrj", equal_dump_text(25, 40));
    // Frame lengths vary (3..40 atoms): guesses miss, the reader falls back to the skip pass.
    io_test::temp_file varied("guess_varied.extxyz", extxyz_text() + extxyz_text() + extxyz_text());
    const mapped_reading mapped(std::size_t{1} << 25);
    const auto ref = read_all(dump.str(), 1, {}, o);
    REQUIRE(ref.size() == 25);
    CHECK(ref[24].step == 124);
    const std::size_t stream0 = materia::io::detail::stream_frames.load();
    check_same(read_all(dump.str(), 2, {}, o), ref);
    CHECK(materia::io::detail::stream_frames.load() - stream0 == 25);
    check_same(read_all(dump.str(), 3, materia::io::frame_selection::parse("2::2"), o),
               read_all(dump.str(), 1, materia::io::frame_selection::parse("2::2"), o));
    const auto vref = read_all(varied.str(), 1);
    REQUIRE(vref.size() == 27);
    for (int threads : {2, 3}) check_same(read_all(varied.str(), threads), vref);
}

TEST_CASE("mapped files: a first line that repeats inside frames does not mislead the guesses") {
    // Plain XYZ whose comment line is the atom count: the nearest "12" to a guess may be a
    // comment line; such a frame does not start where the previous one ended and is read again.
    std::string s;
    std::mt19937_64 rng(23);
    std::uniform_real_distribution<double> u(10.0, 99.0);
    char buf[100];
    for (int k = 0; k < 30; ++k) {
        s += "12\n12\n";
        for (int i = 0; i < 12; ++i) {
            std::snprintf(buf, sizeof buf, "O %.5f %.5f %.5f\n", u(rng), u(rng), u(rng));
            s += buf;
        }
    }
    io_test::temp_file t("guess_comment.xyz", s);
    const mapped_reading mapped(std::size_t{1} << 25);
    const auto ref = read_all(t.str(), 1);
    REQUIRE(ref.size() == 30);
    for (int threads : {2, 4}) check_same(read_all(t.str(), threads), ref);
}

TEST_CASE("mapped files: trailing blank lines, no final newline, a selection past the end") {
    std::string base = equal_extxyz_text(12, 15, -1);
    const std::string trailing = base + "\n  \n\n";
    base.pop_back();  // no '\n' after the last atom line
    for (const std::string* text : std::array<const std::string*, 2>{&trailing, &base}) {
        io_test::temp_file t("guess_end.extxyz", *text);
        const mapped_reading mapped(std::size_t{1} << 25);
        const auto ref = read_all(t.str(), 1);
        REQUIRE(ref.size() == 12);
        check_same(read_all(t.str(), 2), ref);
        check_same(read_all(t.str(), 3, materia::io::frame_selection::parse("5:40")),
                   read_all(t.str(), 1, materia::io::frame_selection::parse("5:40")));
        std::string seq, par;
        for (int threads : {1, 2}) {
            try {
                (void)read_all(t.str(), threads, materia::io::frame_selection::parse("20:"));
            } catch (const materia::invalid_argument& e) {
                (threads == 1 ? seq : par) = e.what();
            }
        }
        CHECK(!seq.empty());
        CHECK(par == seq);  // "selects no frames ... (12 frames)"
    }
}

TEST_CASE("mapped files: errors at guessed starts are the sequential reader's, with their line numbers") {
    const std::string good = equal_extxyz_text(30, 20, -1);
    auto frame_start = [&](const std::string& text, int k) {  // offset of the count line of frame k
        std::size_t pos = 0;
        for (int j = 0; j <= k; ++j) pos = text.find("Lattice", pos + 1);
        return text.rfind('\n', pos - 2) + 1;
    };
    std::string bad_number = good;
    bad_number.replace(bad_number.find(' ', bad_number.find('\n', frame_start(good, 12) + 3) + 1) + 1, 1, "x");
    const std::string truncated = good.substr(0, frame_start(good, 21) + 150);
    std::string bad_count = good;
    bad_count.replace(frame_start(good, 5), 0, "z");
    std::string bad_species = good;
    bad_species.replace(frame_start(good, 26), 2, "25\nLattice=\"1 0 0 0 1 0 0 0 1\"\nQq 1 2 3");
    const std::vector<std::size_t> before = {12, 21, 5, 26};
    for (std::size_t n = 0; n < before.size(); ++n) {
        CAPTURE(n);
        const std::string* text = std::array<const std::string*, 4>{&bad_number, &truncated, &bad_count, &bad_species}[n];
        io_test::temp_file t("guess_err" + std::to_string(n) + ".extxyz", *text);
        const mapped_reading mapped(std::size_t{1} << 25);
        const auto seq = read_until_error(t.str(), 1);
        REQUIRE(!seq.second.empty());
        CHECK(seq.first.size() == before[n]);
        for (int threads : {2, 3}) {
            CAPTURE(threads);
            const auto par = read_until_error(t.str(), threads);
            CHECK(par.second == seq.second);
            CHECK(par.first == seq.first);
        }
    }
}

}  // TEST_SUITE
