// materia/io/frame_parser.hpp — the interface every format parser implements, and shared helpers.
//
// Entry points (materia::io::detail): frame_parser {read(frame&), skip()}, make_cell(src, line,
// rows, pbc), symbol_checker (validates element symbols), reserve_atoms(), reset_frame and, for
// parsers that write atoms in place, reset_frame_in_place / grow_atoms / fit_atoms / clear_atoms.
//
// A parser reads frame after frame from a line_source.  read() fills every field of the frame it
// is given (positions, species, cell, images, time, step; index is set by the front end) and
// reuses the frame's storage, so streaming a trajectory allocates nothing after the first frame.
// skip() passes over one frame while parsing as little as possible (it still checks the structure,
// so a truncated file is reported by the counting pass too).
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/io/elements.hpp>
#include <materia/io/frame.hpp>
#include <materia/io/text_input.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace materia::io::detail {

/// One structure-file format: frames in file order.
class frame_parser {
public:
    frame_parser() = default;
    virtual ~frame_parser() = default;
    frame_parser(const frame_parser&) = delete;
    frame_parser& operator=(const frame_parser&) = delete;
    frame_parser(frame_parser&&) = delete;
    frame_parser& operator=(frame_parser&&) = delete;

    /// Parse the next frame into f; false at the end of the file.
    /// \throws materia::parse_error on malformed content.
    virtual bool read(frame& f) = 0;
    /// Pass over the next frame; false at the end of the file.
    virtual bool skip() = 0;
};

/// A cell from lattice rows, turning a singular lattice into a parse_error at `line`.
[[nodiscard]] inline materia::cell make_cell(const line_source& src, std::size_t line, const mat3& rows,
                                             std::array<bool, 3> pbc = {true, true, true}) {
    try {
        return materia::cell(rows, pbc);
    } catch (const materia::invalid_argument& e) {
        src.fail_at(line, std::string("expected a cell with non-zero volume (") + e.what() + ")");
    }
}

/// Checks element symbols (a constant-time table lookup per atom line).
class symbol_checker {
public:
    void check(const line_source& src, std::string_view s) const {
        if (!is_element_symbol(s)) src.fail("expected a chemical element symbol (e.g. Si, O), got " + quoted(s));
    }
};

/// Reserve storage for n atoms, but never trust a count read from the file for more than 1 Mi
/// atoms up front: a corrupt count must fail at the missing lines, not in the allocator.
inline void reserve_atoms(frame& f, std::size_t n) {
    const std::size_t r = std::min<std::size_t>(n, std::size_t{1} << 20);
    f.positions.reserve(r);
    f.species.reserve(r);
}

/// set_species when the name changes (out of line: the hot path stays small).
[[gnu::noinline]] inline void assign_species(frame& f, std::size_t k, std::string_view name) {
    if (k < f.species.size()) f.species[k].assign(name.data(), name.size());
    else f.species.emplace_back(name);
}

/// Set species name k (reusing the existing string when the frame is being refilled).
#if defined(__GNUC__) || defined(__clang__)
[[gnu::always_inline]]
#endif
inline void set_species(frame& f, std::size_t k, std::string_view name) {
    if (k < f.species.size()) {
        // Streaming reuses the frame: most names equal the previous frame's, so compare first.
        // Names are short: an inline loop beats a call to memcmp.
        const std::string& s = f.species[k];
        if (s.size() == name.size()) {
            std::size_t i = 0;
            while (i < name.size() && s[i] == name[i]) ++i;
            if (i == name.size()) return;
        }
    }
    assign_species(f, k, name);
}

/// The low `n` bytes (n ≤ 8) of a word: the bytes of a text of n characters in load8's order.
[[nodiscard]] constexpr std::uint64_t low_bytes_mask(std::size_t n) noexcept {
    return n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
}

/// A text of up to 8 characters as a word, as load8 of its bytes masked to its length would give
/// (byte by byte: the text itself need not have 8 readable bytes).
[[nodiscard]] inline std::uint64_t text_word(std::string_view t) noexcept {
    std::uint64_t w = 0;
    for (std::size_t i = 0; i < t.size() && i < 8; ++i)
        w |= static_cast<std::uint64_t>(static_cast<unsigned char>(t[i])) << (8 * i);
    return w;
}

/// Assign a species name (out of line: the hot path stays small).
[[gnu::noinline]] inline void assign_name(std::string& s, std::string_view name) { s.assign(name.data(), name.size()); }

/// Set the species name s to `name`, of at most 8 characters whose bytes are also given as a word
/// (text_word): the name kept from the last frame is compared in one step.  A std::string's
/// buffer always has 8 readable bytes (the in-object buffer of a short string is 16 bytes long,
/// a longer one is on the heap), so its first word can be loaded whatever its length.
#if defined(__GNUC__) || defined(__clang__)
[[gnu::always_inline]]
#endif
inline void set_name_word(std::string& s, std::string_view name, std::uint64_t word) {
    if (s.size() == name.size() && (load8(s.data()) & low_bytes_mask(name.size())) == word) return;
    assign_name(s, name);
}

/// Make f.species hold at least n names (new ones empty), for loops that set them by index.
inline void grow_species(frame& f, std::size_t n) {
    if (f.species.size() < n) f.species.resize(n);
}

/// Append a position computed from parsed numbers (scaled, fractional, nm): finite inputs can
/// still overflow, and an infinite coordinate must never reach an analysis.
inline void push_position(const line_source& src, frame& f, const vec3& r) {
    if (!(std::isfinite(r[0]) && std::isfinite(r[1]) && std::isfinite(r[2])))
        src.fail("expected coordinates that give a finite position (overflow)");
    f.positions.push_back(r);
}

/// Start refilling a frame: clear per-frame fields but keep the capacity.
inline void reset_frame(frame& f) {
    f.positions.clear();
    f.images.reset();
    f.time.reset();
    f.step.reset();
}

/// Start refilling a frame whose atoms are written in place (the AVX2 loops of the extended XYZ
/// and LAMMPS dump readers): like reset_frame, but positions keep their size, and so do the image
/// flags when the frame has them (`images`).  Why: growing cleared vectors value-initialises every
/// entry before it is overwritten; for frames as long as the last one (a trajectory) the loops
/// then never zero-fill (−20 instructions per atom line).  The loops size the arrays with
/// grow_atoms / fit_atoms; a parser that appends instead calls clear_atoms first.
inline void reset_frame_in_place(frame& f, bool images) {
    if (!images) f.images.reset();
    else if (!f.images) f.images.emplace();
    f.time.reset();
    f.step.reset();
}

/// Make positions (and image flags) hold at least n entries, value-initialising only new ones.
inline void grow_atoms(frame& f, std::size_t n) {
    if (f.positions.size() < n) f.positions.resize(n);
    if (f.images && f.images->size() < n) f.images->resize(n);
}

/// Make positions (and image flags) hold exactly n entries (shrinking costs nothing).
inline void fit_atoms(frame& f, std::size_t n) {
    f.positions.resize(n);
    if (f.images) f.images->resize(n);
}

/// Empty positions and image flags (for appending after reset_frame_in_place).
inline void clear_atoms(frame& f) { fit_atoms(f, 0); }

}  // namespace materia::io::detail
