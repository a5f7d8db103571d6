// In-place parsing of atom lines (line_source::parse_lines / in_place, the SSE2 and AVX2 field
// kernels of the extended XYZ and LAMMPS dump readers) against the line-by-line parsers they
// stand in for (detail::in_place_parsing = false): on texts of every line shape, and on thousands
// of corrupted copies, both must give bit-identical frames or exactly the same error message.
#include "io_test_util.hpp"

#include <materia/io/text_input.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

/// What reading a text gives: frames (positions as bits), or the error message.
struct outcome {
    std::vector<materia::frame> frames;
    std::string error;
};

outcome read_with(bool in_place, const std::string& name, const std::string& text, const materia::io::read_options& o,
                  bool from_file = false) {
    materia::io::detail::in_place_parsing.store(in_place);
    outcome r;
    try {
        if (from_file) {
            io_test::temp_file f(name, text);
            r.frames = materia::io::read_frames(f.str(), o);
        } else {
            r.frames = io_test::read_text(name, text, o);
        }
    } catch (const std::exception& e) {
        r.error = e.what();
    }
    materia::io::detail::in_place_parsing.store(true);
    return r;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// Compare the two ways of reading; returns whether they agree (with a message on the first difference).
bool agree(const std::string& name, const std::string& text, const materia::io::read_options& o, bool from_file = false) {
    const outcome a = read_with(true, name, text, o, from_file), b = read_with(false, name, text, o, from_file);
    if (a.error != b.error) {
        FAIL_CHECK("errors differ: in place '" << a.error << "' vs by line '" << b.error << "'");
        return false;
    }
    if (a.frames.size() != b.frames.size()) {
        FAIL_CHECK("frame counts differ: " << a.frames.size() << " vs " << b.frames.size());
        return false;
    }
    for (std::size_t k = 0; k < a.frames.size(); ++k) {
        const materia::frame &f = a.frames[k], &g = b.frames[k];
        if (f.species != g.species || f.positions.size() != g.positions.size() || f.images != g.images ||
            f.step != g.step) {
            FAIL_CHECK("frame " << k << " differs in species, size, images or step");
            return false;
        }
        for (std::size_t i = 0; i < f.positions.size(); ++i)
            for (std::size_t d = 0; d < 3; ++d)
                if (!same_bits(f.positions[i][d], g.positions[i][d])) {
                    FAIL_CHECK("frame " << k << " atom " << i << " differs: " << f.positions[i][d] << " vs "
                                        << g.positions[i][d]);
                    return false;
                }
    }
    return true;
}

/// A number in one of many shapes (fixed, exponent, signs, long, short, leading zeros).
std::string number(std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(-50.0, 50.0);
    char buf[64];
    const double x = u(rng);
    switch (rng() % 10) {
        case 0: std::snprintf(buf, sizeof buf, "%.17g", x); break;
        case 1: std::snprintf(buf, sizeof buf, "%.6e", x); break;
        case 2: std::snprintf(buf, sizeof buf, "%+.4f", x); break;
        case 3: std::snprintf(buf, sizeof buf, "%.0f", x); break;
        case 4: std::snprintf(buf, sizeof buf, "%.15f", x); break;
        case 5: std::snprintf(buf, sizeof buf, "%012.5f", x); break;
        case 6: std::snprintf(buf, sizeof buf, "%.3f", x * 1e6); break;
        default: std::snprintf(buf, sizeof buf, "%.8f", x); break;
    }
    return buf;
}

/// Field separator: mostly one space, sometimes several, tabs.
std::string sep(std::mt19937_64& rng) {
    switch (rng() % 12) {
        case 0: return "\t";
        case 1: return "   ";
        case 2: return " \t ";
        default: return " ";
    }
}

/// Line end: mostly '\n', sometimes CRLF or trailing blanks.
std::string eol(std::mt19937_64& rng) {
    switch (rng() % 15) {
        case 0: return "\r\n";
        case 1: return "  \n";
        default: return "\n";
    }
}

/// Extended XYZ frames with varied Properties (species or Z, images, extra columns, long lines).
std::string extxyz_text(std::mt19937_64& rng, int frames, int max_atoms) {
    const char* names[] = {"Si", "O", "Sb", "Se", "D", "X", "H"};
    std::string s;
    for (int k = 0; k < frames; ++k) {
        const int n = 1 + static_cast<int>(rng() % static_cast<unsigned>(max_atoms));
        const unsigned layout = static_cast<unsigned>(rng() % 5);
        std::string props;
        switch (layout) {
            case 0: props = "Properties=species:S:1:pos:R:3"; break;
            case 1: props = "Properties=species:S:1:pos:R:3:image:I:3"; break;
            case 2: props = "Properties=Z:I:1:pos:R:3:forces:R:3"; break;
            case 3: props = "Properties=id:I:1:species:S:1:pos:R:3"; break;
            default: props = ""; break;  // plain XYZ (extra columns ignored)
        }
        s += std::to_string(n) + "\nLattice=\"10 0 0 0 11 0 0 0 12\" " + props + " step=" + std::to_string(k) + "\n";
        for (int i = 0; i < n; ++i) {
            std::string line = rng() % 20 == 0 ? " " : "";
            const int z = 1 + static_cast<int>(rng() % 20);
            const char* sp = names[rng() % 7];
            switch (layout) {
                case 0: line += sp + sep(rng) + number(rng) + sep(rng) + number(rng) + sep(rng) + number(rng); break;
                case 1:
                    line += sp + sep(rng) + number(rng) + sep(rng) + number(rng) + sep(rng) + number(rng) + sep(rng) +
                            std::to_string(static_cast<int>(rng() % 5) - 2) + " 0 " + std::to_string(rng() % 3);
                    break;
                case 2:
                    line += std::to_string(z) + sep(rng) + number(rng) + sep(rng) + number(rng) + sep(rng) + number(rng) +
                            " " + number(rng) + " " + number(rng) + " " + number(rng);
                    break;
                case 3:
                    line += std::to_string(i + 1) + sep(rng) + sp + sep(rng) + number(rng) + sep(rng) + number(rng) +
                            sep(rng) + number(rng);
                    break;
                default:
                    line += (rng() % 4 == 0 ? std::to_string(z) : std::string(sp)) + sep(rng) + number(rng) + sep(rng) +
                            number(rng) + sep(rng) + number(rng) + (rng() % 3 == 0 ? " extra 1 2" : "");
                    break;
            }
            s += line + eol(rng);
        }
    }
    return s;
}

/// LAMMPS dump frames with varied column layouts (scaled, unwrapped, element, extra columns).
std::string dump_text(std::mt19937_64& rng, int frames, int max_atoms) {
    std::string s;
    for (int k = 0; k < frames; ++k) {
        const int n = 1 + static_cast<int>(rng() % static_cast<unsigned>(max_atoms));
        const unsigned layout = static_cast<unsigned>(rng() % 4);
        const char* cols[] = {"id type x y z ix iy iz", "id element xs ys zs", "type xu yu zu id vx vy vz",
                              "id type xsu ysu zsu"};
        s += "ITEM: TIMESTEP\n" + std::to_string(k) + "\nITEM: NUMBER OF ATOMS\n" + std::to_string(n) +
             "\nITEM: BOX BOUNDS xy xz yz pp pp pp\n0 10 0.5\n0 9 0\n0 9.5 0.25\nITEM: ATOMS " + cols[layout] + "\n";
        std::vector<int> ids(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) ids[static_cast<std::size_t>(i)] = i + 1;
        std::shuffle(ids.begin(), ids.end(), rng);
        for (int id : ids) {
            std::string line;
            const std::string type = std::to_string(1 + id % 2);
            switch (layout) {
                case 0:
                    line = std::to_string(id) + sep(rng) + type + sep(rng) + number(rng) + sep(rng) + number(rng) +
                           sep(rng) + number(rng) + " " + std::to_string(static_cast<int>(rng() % 3) - 1) + " 0 -2";
                    break;
                case 1: line = std::to_string(id) + " " + (id % 2 ? "Sb" : "Se") + " 0.25 " + number(rng) + " 0.5"; break;
                case 2:
                    line = type + " " + number(rng) + " " + number(rng) + " " + number(rng) + " " + std::to_string(id) +
                           " " + number(rng) + " " + number(rng) + " " + number(rng);
                    break;
                default: line = std::to_string(id) + " " + type + " 0.125 0.5 " + number(rng); break;
            }
            s += line + eol(rng);
        }
    }
    return s;
}

/// Corrupt a text: overwrite, insert or delete a few bytes (digits, signs, separators, letters).
std::string corrupt(std::string s, std::mt19937_64& rng) {
    static constexpr char alphabet[] = "0123456789.-+eE \t\nxSi\r";
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits && !s.empty(); ++k) {
        const std::size_t at = rng() % s.size();
        const char c = alphabet[rng() % (sizeof alphabet - 1)];
        switch (rng() % 3) {
            case 0: s[at] = c; break;
            case 1: s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c); break;
            default: s.erase(at, 1); break;
        }
    }
    return s;
}

materia::io::read_options dump_options() {
    materia::io::read_options o;
    o.types = {{1, "Sb"}, {2, "Se"}};
    return o;
}

/// A field of the straight `id type x y z [ix iy iz]` path (lammps_dump_parser::id_type_xyz_line)
/// in a shape it takes, or one it must decline (the general path then gives the value or the error).
std::string fast_path_int(std::mt19937_64& rng, long long usual) {
    switch (rng() % 24) {
        case 0: return "123456789012";  // more than 8 digits: declined, read by to_long
        case 1: return "12345678";      // 8 digits: the longest the SWAR word takes
        case 2: return "-" + std::to_string(usual);
        case 3: return "+" + std::to_string(usual);
        case 4: return "0" + std::to_string(usual);  // a leading zero
        case 5: return std::to_string(usual) + "x";
        case 6: return "abc";
        case 7: return "1.0";
        case 8: return "99999999999999999999";  // out of range of long long
        default: return std::to_string(usual);
    }
}

std::string fast_path_flag(std::mt19937_64& rng) {
    switch (rng() % 16) {
        case 0: return "-12";
        case 1: return "1000000001";  // not of modest size: the general path's error
        case 2: return "-1000000000";
        case 3: return "+1";
        case 4: return "--1";
        case 5: return "-";
        case 6: return "1e0";
        default: return std::to_string(static_cast<int>(rng() % 5) - 2);
    }
}

/// Dump frames in the layouts of the straight path (x, xs, xu, xsu; with and without image
/// flags), with its corner cases on some lines: long and signed ids and types, types beyond the
/// map, negative and long image flags, CRLF, tabs and runs of blanks, missing, extra and
/// non-numeric fields, lines longer than 64 bytes.
std::string fast_path_dump(std::mt19937_64& rng, int frames, int max_atoms, int odd_per_mille) {
    const char* pos[] = {"x y z", "xs ys zs", "xu yu zu", "xsu ysu zsu"};
    std::string s;
    for (int k = 0; k < frames; ++k) {
        const int n = 1 + static_cast<int>(rng() % static_cast<unsigned>(max_atoms));
        const bool images = rng() % 2 == 0;
        const char* p = pos[rng() % 4];
        s += "ITEM: TIMESTEP\n" + std::to_string(k) + "\nITEM: NUMBER OF ATOMS\n" + std::to_string(n) +
             "\nITEM: BOX BOUNDS xy xz yz pp pp pp\n0 10 0.5\n0 9 0\n0 9.5 0.25\nITEM: ATOMS id type " + p +
             (images ? " ix iy iz" : "") + "\n";
        std::vector<long long> ids(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) ids[static_cast<std::size_t>(i)] = i + 1 + (rng() % 8 == 0 ? 10000000 : 0);
        std::shuffle(ids.begin(), ids.end(), rng);
        for (long long id : ids) {
            const bool odd = static_cast<int>(rng() % 1000) < odd_per_mille;
            const long long type = 1 + id % 3;  // 3 is not in the map {1, 2, 300}
            std::string line = odd ? fast_path_int(rng, id) : std::to_string(id);
            line += sep(rng) + (odd ? fast_path_int(rng, type) : std::to_string(type));
            for (int d = 0; d < 3; ++d) line += sep(rng) + number(rng);
            if (images)
                for (int d = 0; d < 3; ++d)
                    line += " " + (odd ? fast_path_flag(rng) : std::to_string(static_cast<int>(rng() % 3) - 1));
            if (odd) {
                switch (rng() % 6) {
                    case 0: line = line.substr(0, line.rfind(' ')); break;  // a field missing
                    case 1: line += " 7"; break;                             // one too many
                    case 2: line += std::string(70, ' '); break;            // longer than 64 bytes
                    case 3: line = "  " + line; break;
                    default: break;
                }
            }
            s += line + eol(rng);
        }
    }
    return s;
}

}  // namespace

TEST_SUITE("io.in_place") {

TEST_CASE("extended XYZ: in-place and line-by-line parsing agree on every line shape") {
    std::mt19937_64 rng(101);
    for (int t = 0; t < 40; ++t) CHECK(agree("shapes.extxyz", extxyz_text(rng, 4, 60), {}));
}

TEST_CASE("LAMMPS dump: in-place and line-by-line parsing agree on every column layout") {
    std::mt19937_64 rng(102);
    for (int t = 0; t < 40; ++t) {
        CHECK(agree("shapes.lammpstrj", dump_text(rng, 4, 60), dump_options()));
        CHECK(agree("shapes.lammpstrj", dump_text(rng, 2, 30), {}));  // types named by their number
    }
}

TEST_CASE("frames reuse their arrays: longer, shorter, empty frames and image flags on and off") {
    // The in-place loops keep the last frame's positions and image flags (no zero-fill): every
    // frame must still have exactly its own atoms, flags only where it has them.
    std::string xyz, dump;
    const std::vector<int> sizes = {5, 2, 0, 7, 7, 1, 0, 0, 3};
    for (std::size_t k = 0; k < sizes.size(); ++k) {
        const int n = sizes[k];
        const bool images = k % 3 != 1;
        xyz += std::to_string(n) + "\nLattice=\"10 0 0 0 11 0 0 0 12\" Properties=species:S:1:pos:R:3" +
               (images ? ":image:I:3" : "") + "\n";
        dump += "ITEM: TIMESTEP\n" + std::to_string(k) + "\nITEM: NUMBER OF ATOMS\n" + std::to_string(n) +
                "\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 9\n0 9.5\nITEM: ATOMS id type x y z" +
                (images ? " ix iy iz" : "") + "\n";
        for (int i = 0; i < n; ++i) {
            const std::string x = std::to_string(k) + "." + std::to_string(i) + "5";
            xyz += std::string(i % 2 == 0 ? "Si " : "O ") + x + " -1.25 " + x + (images ? " 1 -1 0" : "") + "\n";
            dump += std::to_string(i + 1) + " " + std::to_string(1 + i % 2) + " " + x + " -1.25 " + x +
                    (images ? " 1 -1 0" : "") + "\n";
        }
    }
    CHECK(agree("reuse.extxyz", xyz, {}));
    CHECK(agree("reuse.lammpstrj", dump, dump_options()));
    const std::vector<materia::frame> frames = io_test::read_text("reuse.lammpstrj", dump, dump_options());
    REQUIRE(frames.size() == sizes.size());
    for (std::size_t k = 0; k < sizes.size(); ++k) {
        CHECK(frames[k].positions.size() == static_cast<std::size_t>(sizes[k]));
        CHECK(frames[k].species.size() == static_cast<std::size_t>(sizes[k]));
        CHECK(frames[k].images.has_value() == (k % 3 != 1));
        if (frames[k].images) CHECK(frames[k].images->size() == static_cast<std::size_t>(sizes[k]));
    }
    CHECK(frames[3].positions[6][1] == -1.25);
    CHECK(frames[3].positions[6][0] == 3.65);
    CHECK((*frames[3].images)[6] == std::array<int, 3>{1, -1, 0});
}

TEST_CASE("LAMMPS dump: atom lines of 64 bytes or more (velocities, forces) agree both ways") {
    // These lines are parsed in place by scanning (lammps_dump_parser::scan_atom), not from the
    // 64-byte masks: every layout, separator, number shape, and corruptions of them.
    std::mt19937_64 rng(107);
    const char* cols[] = {"id type x y z vx vy vz fx fy fz", "id element xs ys zs ix iy iz vx vy vz q",
                          "type x y z id c_pe ix iy iz"};
    int errors = 0;
    for (int t = 0; t < 60; ++t) {
        std::string s;
        for (int k = 0; k < 3; ++k) {
            const unsigned layout = static_cast<unsigned>(rng() % 3);
            const int n = 1 + static_cast<int>(rng() % 40);
            s += "ITEM: TIMESTEP\n" + std::to_string(k) + "\nITEM: NUMBER OF ATOMS\n" + std::to_string(n) +
                 "\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 9\n0 9.5\nITEM: ATOMS " + cols[layout] + "\n";
            for (int i = 0; i < n; ++i) {
                std::string line;
                const std::string id = std::to_string(n - i), type = std::to_string(1 + i % 2);
                const std::string img = std::to_string(static_cast<int>(rng() % 3) - 1);
                if (layout == 0) {
                    line = id + sep(rng) + type;
                    for (int c = 0; c < 9; ++c) line += sep(rng) + number(rng);
                } else if (layout == 1) {
                    line = id + sep(rng) + (i % 2 ? "Sb" : "Se");
                    for (int c = 0; c < 3; ++c) line += sep(rng) + number(rng);
                    line += " " + img + " 0 " + img;
                    for (int c = 0; c < 4; ++c) line += sep(rng) + number(rng);
                } else {
                    line = type;
                    for (int c = 0; c < 3; ++c) line += sep(rng) + number(rng);
                    line += " " + id + sep(rng) + number(rng) + " " + img + " " + img + " 1";
                }
                s += line + eol(rng);
            }
        }
        if (t % 2 == 1) s = corrupt(s, rng);
        if (!agree("wide.lammpstrj", s, dump_options())) break;
        errors += read_with(true, "wide.lammpstrj", s, dump_options()).error.empty() ? 0 : 1;
    }
    CHECK(errors > 5);
}

TEST_CASE("corrupted texts: the same frames or the same error message (file and line) both ways") {
    std::mt19937_64 rng(103);
    int errors = 0;
    for (int t = 0; t < 1500; ++t) {
        const bool dump = t % 2 == 1;
        const std::string clean = dump ? dump_text(rng, 2, 12) : extxyz_text(rng, 2, 12);
        const std::string bad = corrupt(clean, rng);
        const auto o = dump ? dump_options() : materia::io::read_options{};
        const std::string name = dump ? "bad.lammpstrj" : "bad.extxyz";
        if (!agree(name, bad, o)) break;
        errors += read_with(true, name, bad, o).error.empty() ? 0 : 1;
    }
    CHECK(errors > 300);  // the corruptions do reach the error paths
}

TEST_CASE("files across 1 MiB blocks, and the parallel reader, agree with line-by-line parsing") {
    std::mt19937_64 rng(104);
    const std::string ext = extxyz_text(rng, 12, 9000);  // a few MB: lines cross block ends
    const std::string dump = dump_text(rng, 10, 9000);
    REQUIRE(ext.size() > (std::size_t{2} << 20));
    CHECK(agree("blocks.extxyz", ext, {}, true));
    CHECK(agree("blocks.lammpstrj", dump, dump_options(), true));
    // Threads: in-place parsing of captured frames equals sequential line-by-line parsing.
    materia::io::read_options two = dump_options();
    two.threads = 2;
    const outcome a = read_with(true, "blocks2.lammpstrj", dump, two, true);
    const outcome b = read_with(false, "blocks2.lammpstrj", dump, dump_options(), true);
    CHECK(a.error == b.error);
    REQUIRE(a.frames.size() == b.frames.size());
    for (std::size_t k = 0; k < a.frames.size(); ++k) {
        CHECK(a.frames[k].species == b.frames[k].species);
        CHECK(a.frames[k].positions == b.frames[k].positions);
    }
}

TEST_CASE("files read through small mmap windows give the frames of in-memory reading") {
    using materia::io::detail::mmap_min_bytes;
    using materia::io::detail::mmap_window_bytes;
    const std::size_t min0 = mmap_min_bytes.load(), window0 = mmap_window_bytes.load();
    mmap_min_bytes = 1;
    mmap_window_bytes = std::size_t{1} << 16;  // lines and frames cross window ends
    std::mt19937_64 rng(105);
    for (int t = 0; t < 6; ++t) {
        const bool dump = t % 2 == 1;
        const std::string text = dump ? dump_text(rng, 3, 3000) : extxyz_text(rng, 3, 3000);
        const auto o = dump ? dump_options() : materia::io::read_options{};
        const std::string name = dump ? "map.lammpstrj" : "map.extxyz";
        CHECK(agree(name, text, o, true));
        const outcome file = read_with(true, name, text, o, true), memory = read_with(true, name, text, o);
        CHECK(file.error.empty() == memory.error.empty());
        REQUIRE(file.frames.size() == memory.frames.size());
        for (std::size_t k = 0; k < file.frames.size(); ++k) {
            CHECK(file.frames[k].species == memory.frames[k].species);
            CHECK(file.frames[k].positions == memory.frames[k].positions);
        }
    }
    mmap_min_bytes = min0;
    mmap_window_bytes = window0;
}

TEST_CASE("the parallel reader parses frames straight from mapped windows: same frames, same errors") {
    // Frames that lie in one window are handed to the workers as views of it (no copy), frames
    // across a window end as copies: with 256 KiB windows and frames of up to ~120 kB both occur.
    using materia::io::detail::mmap_min_bytes;
    using materia::io::detail::mmap_window_bytes;
    const std::size_t min0 = mmap_min_bytes.load(), window0 = mmap_window_bytes.load();
    mmap_min_bytes = 1;
    mmap_window_bytes = std::size_t{1} << 18;
    std::mt19937_64 rng(106);
    int errors = 0;
    for (int t = 0; t < 16; ++t) {
        const bool dump = t % 2 == 1;
        std::string text = dump ? dump_text(rng, 14, 3000) : extxyz_text(rng, 14, 3000);
        if (t >= 4) text = corrupt(text, rng);  // errors inside viewed and copied frames
        const auto o = dump ? dump_options() : materia::io::read_options{};
        auto two = o;
        two.threads = 2;
        const std::string name = dump ? "view.lammpstrj" : "view.extxyz";
        const outcome seq = read_with(true, name, text, o, true), par = read_with(true, name, text, two, true);
        CHECK(seq.error == par.error);
        errors += seq.error.empty() ? 0 : 1;
        REQUIRE(seq.frames.size() == par.frames.size());
        for (std::size_t k = 0; k < seq.frames.size(); ++k) {
            CHECK(seq.frames[k].species == par.frames[k].species);
            CHECK(seq.frames[k].positions == par.frames[k].positions);
            CHECK(seq.frames[k].step == par.frames[k].step);
        }
    }
    CHECK(errors >= 3);
    mmap_min_bytes = min0;
    mmap_window_bytes = window0;
}

TEST_CASE("a file whose last line has no newline, and a truncated frame") {
    const std::string text = "2\nProperties=species:S:1:pos:R:3\nSi 1.5 2.5 3.5\nO 0.25 -0.5 1.0";
    CHECK(agree("no_newline.extxyz", text, {}));
    CHECK(agree("no_newline.extxyz", text, {}, true));
    const auto frames = read_with(true, "no_newline.extxyz", text, {}).frames;
    REQUIRE(frames.size() == 1);
    CHECK(frames[0].positions[1][1] == -0.5);
    CHECK(frames[0].species[1] == "O");
    materia::io::detail::mmap_min_bytes = 1;  // also through mmap (no '\n' pad after the file)
    CHECK(agree("no_newline.extxyz", text, {}, true));
    materia::io::detail::mmap_min_bytes = std::size_t{1} << 22;
    const std::string truncated = "3\nProperties=species:S:1:pos:R:3\nSi 1.5 2.5 3.5\nO 0.25 -0.5 1.0\n";
    const outcome t = read_with(true, "trunc.extxyz", truncated, {});
    CHECK(t.error == "trunc.extxyz:5: unexpected end of file: expected atom line 3 of 3");
    CHECK(agree("trunc.extxyz", truncated, {}));
}


TEST_CASE("LAMMPS dump: the straight id-type-xyz path agrees with the general path on its corner cases") {
    std::mt19937_64 rng(108);
    materia::io::read_options mapped;
    mapped.types = {{1, "Sb"}, {2, "Se"}, {300, "Te"}};
    materia::io::read_options all_mapped;
    all_mapped.types = {{1, "Sb"}, {2, "Se"}, {3, "Te"}};
    int errors = 0, clean = 0;
    for (int t = 0; t < 120; ++t) {
        const int odd = t < 40 ? 0 : (t < 80 ? 5 : 60);
        const std::string text = fast_path_dump(rng, 3, 50, odd);
        const materia::io::read_options& o = t % 3 == 0 ? mapped : (t % 3 == 1 ? all_mapped : materia::io::read_options{});
        CHECK(agree("fast.lammpstrj", text, o));
        const outcome r = read_with(true, "fast.lammpstrj", text, o);
        (r.error.empty() ? clean : errors) += 1;
        // And corrupted copies of it.
        CHECK(agree("fast.lammpstrj", corrupt(text, rng), o));
    }
    CHECK(clean >= 40);  // unmapped type 3 fails the 'mapped' texts: the others parse
    CHECK(errors >= 30);
}

TEST_CASE("LAMMPS dump: the straight path's values and errors by hand") {
    const std::string head =
        "ITEM: TIMESTEP\n5\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n"
        "ITEM: ATOMS id type x y z ix iy iz\n";
    materia::io::read_options o;
    o.types = {{1, "Sb"}, {2, "Se"}};
    const std::string good = head + "12345678 2 1.5 -2.25 0.125 -1 0 7\r\n3 1\t 0.5  9.75 1e-3 12 -12 0\n"
                                    "123456789012 2 -0.0 3 4.000000001 0 -1000000000 1\n";
    CHECK(agree("hand.lammpstrj", good, o));
    const auto frames = read_with(true, "hand.lammpstrj", good, o).frames;
    REQUIRE(frames.size() == 1);
    const materia::frame& f = frames[0];
    REQUIRE(f.positions.size() == 3);
    // Sorted by id: 3, 12345678, 123456789012.
    CHECK(f.species == std::vector<std::string>{"Sb", "Se", "Se"});
    CHECK(f.positions[0] == materia::vec3{0.5, 9.75, 1e-3});
    CHECK(f.positions[1] == materia::vec3{1.5, -2.25, 0.125});
    CHECK(f.positions[2][0] == 0.0);
    CHECK(std::signbit(f.positions[2][0]));
    CHECK(f.positions[2][2] == 4.000000001);
    REQUIRE(f.images.has_value());
    CHECK((*f.images)[0] == std::array<int, 3>{12, -12, 0});
    CHECK((*f.images)[1] == std::array<int, 3>{-1, 0, 7});
    CHECK((*f.images)[2] == std::array<int, 3>{0, -1000000000, 1});
    // Errors: the same message as the general path, naming file, line and what.
    const outcome unmapped = read_with(true, "hand.lammpstrj", head + "1 1 0 0 0 0 0 0\n2 3 0 0 0 0 0 0\n3 1 0 0 0 0 0 0\n", o);
    CHECK(unmapped.error == "hand.lammpstrj:11: atom type 3 has no species in the types map (--types)");
    const outcome missing = read_with(true, "hand.lammpstrj", head + "1 1 0 0 0 0 0 0\n2 2 0 0 0 0 0\n3 1 0 0 0 0 0 0\n", o);
    CHECK(missing.error == "hand.lammpstrj:11: expected 8 columns as named by 'ITEM: ATOMS', got 7");
    const outcome flag = read_with(true, "hand.lammpstrj", head + "1 1 0 0 0 0 0 0\n2 2 0 0 0 0 1000000001 0\n3 1 0 0 0 0 0 0\n", o);
    CHECK(flag.error == "hand.lammpstrj:11: expected an image flag of modest size");
    for (const char* bad : {"1 1 0 0 0 0 0 0\n2 2 0 0 0 0 0 0 9\n3 1 0 0 0 0 0 0\n",
                                   "1 1 0 0 0 0 0 0\n2 x 0 0 0 0 0 0\n3 1 0 0 0 0 0 0\n",
                                   "1 1 0 0 0 0 0 0\n2a 2 0 0 0 0 0 0\n3 1 0 0 0 0 0 0\n",
                                   "1 1 0 0 0 0 0 0\n2 2 0 0 zero 0 0 0\n3 1 0 0 0 0 0 0\n",
                                   "1 1 0 0 0 0 0 0\n2 2 0 0 0 0 - 0\n3 1 0 0 0 0 0 0\n",
                                   "1 1 0 0 0 0 0 0\n1 2 0 0 0 0 0 0\n3 1 0 0 0 0 0 0\n"}) {
        const outcome r = read_with(true, "hand.lammpstrj", head + bad, o);
        CHECK(r.error.rfind("hand.lammpstrj:1", 0) == 0);
        CHECK(agree("hand.lammpstrj", head + bad, o));
    }
}

}  // TEST_SUITE
