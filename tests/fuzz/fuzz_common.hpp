// Shared body of the libFuzzer targets for the structure readers (tests/fuzz/fuzz_<format>.cpp).
//
// Contract under test: for ANY bytes, reading either succeeds or throws materia::parse_error /
// materia::invalid_argument; anything else (another exception, a crash, a sanitizer report, a hang,
// runaway memory) is a finding.  Oracles on success: skipping frames gives the same frame count,
// every frame with element-symbol species survives write_extxyz → read bit for bit, and parallel
// reading (threads > 1) delivers the same frames and the same error as sequential reading (also
// from a file read through small mmap windows, for the formats parsed in parallel).
//
// Built by scripts/fuzz.sh with clang++ -fsanitize=fuzzer,address,undefined.
#pragma once

#include <materia/io/elements.hpp>
#include <materia/io/reader.hpp>
#include <materia/io/write_extxyz.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

namespace fuzz {

inline void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz oracle failed: %s\n", what);
        std::abort();
    }
}

inline bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

inline void roundtrip(const materia::frame& f) {
    for (const auto& s : f.species)
        if (!materia::io::is_element_symbol(s)) return;  // e.g. LAMMPS types without a map
    std::ostringstream os;
    materia::io::write_extxyz(os, f);
    auto r = materia::io::frame_reader::from_string("roundtrip.extxyz", os.str());
    materia::frame g;
    check(r.next(g), "written frame reads back");
    check(g.size() == f.size() && g.species == f.species, "round trip: atoms and species");
    for (std::size_t i = 0; i < f.size(); ++i)
        for (std::size_t d = 0; d < 3; ++d) check(same_bits(f.positions[i][d], g.positions[i][d]), "round trip: positions");
    check(f.cell.has_lattice() == g.cell.has_lattice(), "round trip: lattice presence");
    check(f.images.has_value() == g.images.has_value(), "round trip: images");
}

/// The parallel reader (read_options::threads > 1: frames found by the skip pass, parsed one by
/// one from their captured text) must deliver exactly the frames of the sequential reader and
/// fail with exactly its error message.
inline void parallel_matches(const char* name, const std::string& text, materia::io::read_options opts) {
    struct outcome {
        std::size_t delivered = 0;
        std::vector<materia::frame> frames;  // the first 200
        std::string error;
    };
    auto read = [&](int threads) {
        opts.threads = threads;
        outcome o;
        try {
            materia::io::detail::for_each_selected(
                name, [&] { return materia::io::frame_reader::from_string(name, text, opts); }, {},
                [&](const materia::frame& f) {
                    if (o.frames.size() < 200) o.frames.push_back(f);
                    ++o.delivered;
                },
                {}, 0, &opts);
        } catch (const std::exception& e) {
            o.error = e.what();
        }
        return o;
    };
    const outcome a = read(1), b = read(3);
    check(a.error == b.error, "parallel reading: the same error as sequential reading");
    check(a.delivered == b.delivered && a.frames.size() == b.frames.size(), "parallel reading: the same frames");
    for (std::size_t k = 0; k < a.frames.size(); ++k) {
        const materia::frame &f = a.frames[k], &g = b.frames[k];
        check(f.index == g.index && f.species == g.species && f.size() == g.size() && f.step == g.step,
              "parallel reading: same frame index, species, step");
        for (std::size_t i = 0; i < f.size(); ++i)
            for (std::size_t d = 0; d < 3; ++d)
                check(same_bits(f.positions[i][d], g.positions[i][d]), "parallel reading: same positions");
    }
}

/// The same through a file read by mmap in one-page windows (frames inside a window are parsed by
/// the workers straight from it, frames across window ends from a copy; line_source::pad bytes
/// past a view's end are not always readable): the parallel reader must still deliver the
/// sequential reader's frames and error.
inline void mapped_parallel_matches(const std::string& text, materia::io::read_options opts) {
    if (text.empty()) return;
    const std::string path = "/tmp/materia_fuzz_" + std::to_string(::getpid()) + ".txt";
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        if (f == nullptr) return;
        const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
        std::fclose(f);
        if (!ok) return;
    }
    using materia::io::detail::mmap_min_bytes;
    using materia::io::detail::mmap_window_bytes;
    const std::size_t min0 = mmap_min_bytes.load(), window0 = mmap_window_bytes.load();
    mmap_min_bytes = 1;
    mmap_window_bytes = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    auto read = [&](int threads) {
        opts.threads = threads;
        std::vector<materia::frame> frames;
        std::string error;
        try {
            materia::io::for_each_frame(path, opts, {}, [&](const materia::frame& f) {
                if (frames.size() < 200) frames.push_back(f);
            });
        } catch (const std::exception& e) {
            error = e.what();
        }
        return std::make_pair(std::move(frames), std::move(error));
    };
    const auto a = read(1), b = read(2);
    mmap_min_bytes = min0;
    mmap_window_bytes = window0;
    std::remove(path.c_str());
    check(a.second == b.second, "mapped parallel reading: the same error as sequential reading");
    check(a.first.size() == b.first.size(), "mapped parallel reading: the same frames");
    for (std::size_t k = 0; k < a.first.size(); ++k) {
        const materia::frame &f = a.first[k], &g = b.first[k];
        check(f.species == g.species && f.size() == g.size() && f.images == g.images && f.step == g.step,
              "mapped parallel reading: same species, size, images, step");
        for (std::size_t i = 0; i < f.size(); ++i)
            for (std::size_t d = 0; d < 3; ++d)
                check(same_bits(f.positions[i][d], g.positions[i][d]), "mapped parallel reading: same positions");
    }
}

/// In-place parsing of atom lines (the SIMD field kernels, materia::io::detail::in_place_parsing)
/// must give exactly the frames and the error of the line-by-line parsers.
inline void in_place_matches(const char* name, const std::string& text, const materia::io::read_options& opts) {
    auto read = [&](bool in_place) {
        materia::io::detail::in_place_parsing.store(in_place);
        std::vector<materia::frame> frames;
        std::string error;
        try {
            auto r = materia::io::frame_reader::from_string(name, text, opts);
            materia::frame f;
            while (frames.size() < 200 && r.next(f)) frames.push_back(f);
        } catch (const std::exception& e) {
            error = e.what();
        }
        materia::io::detail::in_place_parsing.store(true);
        return std::make_pair(std::move(frames), std::move(error));
    };
    const auto a = read(true), b = read(false);
    check(a.second == b.second, "in-place parsing: the same error as line-by-line parsing");
    check(a.first.size() == b.first.size(), "in-place parsing: the same frames");
    for (std::size_t k = 0; k < a.first.size(); ++k) {
        const materia::frame &f = a.first[k], &g = b.first[k];
        check(f.species == g.species && f.size() == g.size() && f.images == g.images && f.step == g.step,
              "in-place parsing: same species, size, images, step");
        for (std::size_t i = 0; i < f.size(); ++i)
            for (std::size_t d = 0; d < 3; ++d)
                check(same_bits(f.positions[i][d], g.positions[i][d]), "in-place parsing: same positions");
    }
}

/// Read all frames of `data` as format `fmt`; run the oracles.
inline int run(materia::io::format fmt, const char* name, const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    materia::io::read_options opts;
    opts.fmt = fmt;
    opts.types = {{1, "Sb"}, {2, "Se"}};
    opts.species = {"Ge", "Sb", "Te"};
    parallel_matches(name, text, opts);
    if (materia::io::detail::parallel_format(fmt)) mapped_parallel_matches(text, opts);
    in_place_matches(name, text, opts);
    std::size_t n_read = 0;
    try {
        auto r = materia::io::frame_reader::from_string(name, text, opts);
        materia::frame f;
        while (r.next(f)) {
            ++n_read;
            check(f.species.size() == f.positions.size(), "species and positions agree");
            roundtrip(f);
            if (n_read > 100000) break;
        }
    } catch (const materia::parse_error&) {
        return 0;
    } catch (const materia::invalid_argument&) {
        return 0;
    }
    // The counting pass must agree with the full parse (the skip path is used for --frames).
    try {
        auto r = materia::io::frame_reader::from_string(name, text, opts);
        std::size_t n_skipped = 0;
        while (r.skip()) ++n_skipped;
        if (n_read <= 100000) check(n_skipped == n_read, "skip() counts the same frames as next()");
    } catch (const materia::parse_error&) {
        check(false, "skip() threw where next() succeeded");
    }
    return 0;
}

}  // namespace fuzz
