// materia/io/lammps_dump.hpp — LAMMPS text dump reader (dump atom / custom).
//
// Entry point (materia::io::detail): lammps_dump_parser (used through io/reader.hpp).
//
// Per frame (LAMMPS doc "dump"):
//   ITEM: TIMESTEP / step        ITEM: TIME / t (optional)     ITEM: UNITS / name (optional)
//   ITEM: NUMBER OF ATOMS / N
//   ITEM: BOX BOUNDS [xy xz yz] [pp pp pp]   then 3 lines "lo hi [tilt]"
//   ITEM: BOX BOUNDS abc origin [pp pp pp]   then 3 lines "ax ay az ox" (general triclinic)
//   ITEM: ATOMS col1 col2 ...                then N lines
// Columns in any order.  Positions from x y z, else xs ys zs (scaled), xu yu zu (unwrapped), xsu ysu
// zsu; image flags ix iy iz are attached only to wrapped positions (x or xs).  Species from an
// `element` column (checked symbols), else `type` through read_options::types (without a map the
// decimal type is the name).  Atoms are sorted by `id` when present, so frames line up for
// dynamics even when LAMMPS writes them in processor order.
//
// Triclinic bounds: the dump gives the bounding box of the tilted cell, so (LAMMPS Howto triclinic)
//   xlo = xlo_bound − min(0, xy, xz, xy+xz),  xhi = xhi_bound − max(0, xy, xz, xy+xz),
//   ylo = ylo_bound − min(0, yz),             yhi = yhi_bound − max(0, yz),
// and the lattice rows are a = (xhi−xlo, 0, 0), b = (xy, yhi−ylo, 0), c = (xz, yz, zhi−zlo).
// A scaled position f becomes r = (xlo, ylo, zlo) + f·H.
//
// Atom lines are parsed in place where the CPU has AVX2: lines shorter than 64 bytes with the
// kernels of io/fields_avx2.hpp, longer ones (velocities, forces… as extra columns) by scanning
// (scan_decimal / scan_long); lines they do not take go through the general loop of read_atoms,
// with the same values and messages.  The columns `id type x y z [ix iy iz]` (any of x/xs/xu/xsu;
// LAMMPS' most common custom dump) have a straight path of their own (id_type_xyz_line: no
// per-column dispatch, id and type by one SWAR word each, the species by direct index into a type
// cache filled when the parser is made): −15 % instructions per atom line; a line it declines goes
// to the per-column path above, unchanged.  Since session 5 it tests every byte of a line at once
// (digits, separators, three '.', '-' where a sign may stand), reads x y z with
// three_decimals_avx2's core and the usual one-digit image flags from the digit mask, and the
// arrays of the frame keep their size from frame to frame (no zero-fill): −20 % instructions per
// line again (callgrind: 545 → 434 per line, benchmarks/bench_io.cpp's dump).
#pragma once

#include <materia/core/cpu_features.hpp>
#include <materia/io/fields_avx2.hpp>
#include <materia/io/frame_parser.hpp>
#include <materia/io/read_options.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace materia::io::detail {

/// LAMMPS text dump, one snapshot per read().
class lammps_dump_parser final : public frame_parser {
public:
    lammps_dump_parser(line_source& src, const read_options& opts) : m_src(src), m_opts(opts) {
        // The direct-indexed type cache, filled up front so that the straight atom path
        // (id_type_xyz_line) finds every small mapped type from the first line on.
        for (const auto& [type, name] : m_opts.types)
            if (type >= 0 && type < 256) {
                const auto k = static_cast<std::size_t>(type);
                m_type_cache[k] = &name;
                m_type_words[k] = text_word(name);
            }
    }

    bool read(frame& f) override { return next_frame(&f); }
    bool skip() override { return next_frame(nullptr); }

private:
    static constexpr std::size_t none = static_cast<std::size_t>(-1);
    // x, y, z first: the hot loop tests `role <= z`.
    enum class column_role : unsigned char { x, y, z, ix, iy, iz, id, species, other };

    static bool starts_with(std::string_view s, std::string_view p) noexcept {
        return s.size() >= p.size() && s.substr(0, p.size()) == p;
    }

    std::string_view item_line(const char* expected) {
        std::string_view line;
        if (!m_src.next(line)) m_src.fail_eof(expected);
        return line;
    }

    bool next_frame(frame* f) {
        std::string_view line;
        do {
            if (!m_src.next(line)) return false;
        } while (is_blank(line));
        std::optional<long long> step;
        std::optional<double> time;
        std::optional<std::size_t> natoms;
        bool have_box = false;
        mat3 h{};
        vec3 origin{};
        std::array<bool, 3> pbc{true, true, true};
        std::size_t box_line = 0;
        for (;;) {
            const std::string_view t = trim(line);
            if (!starts_with(t, "ITEM:"))
                m_src.fail("expected an 'ITEM:' line of a LAMMPS dump, got " + quoted(t));
            const std::string_view item = trim(t.substr(5));
            if (item == "TIMESTEP") {
                const std::string_view v = trim(item_line("the timestep"));
                step = parse_long(m_src, v, "the timestep");
            } else if (item == "TIME") {
                time = parse_double(m_src, trim(item_line("the time")), "the time");
            } else if (item == "UNITS") {
                (void)item_line("the units");
            } else if (starts_with(item, "NUMBER OF ATOMS")) {
                natoms = parse_count_line(m_src, item_line("the number of atoms"), "the number of atoms");
            } else if (starts_with(item, "BOX BOUNDS")) {
                parse_box(item.substr(10), h, origin, pbc);
                box_line = m_src.line() - 2;
                have_box = true;
            } else if (starts_with(item, "ATOMS")) {
                if (!natoms) m_src.fail("expected 'ITEM: NUMBER OF ATOMS' before 'ITEM: ATOMS'");
                if (!have_box) m_src.fail("expected 'ITEM: BOX BOUNDS' before 'ITEM: ATOMS'");
                if (f == nullptr) {
                    if (!m_src.skip_lines(*natoms)) m_src.fail_eof(std::to_string(*natoms) + " atom lines");
                    return true;
                }
                set_columns(item.substr(5));
                reset_frame_in_place(*f, m_has_img);
                f->cell = make_cell(m_src, box_line, h, pbc);
                f->step = step;
                f->time = time;
                read_atoms(*f, *natoms, h, origin);
                return true;
            } else {
                // An item we do not use (e.g. from a newer LAMMPS): skip to the next ITEM line.
                for (;;) {
                    if (!m_src.next(line)) m_src.fail_eof("'ITEM: ATOMS'");
                    if (starts_with(trim(line), "ITEM:")) break;
                }
                continue;
            }
            if (!m_src.next(line)) m_src.fail_eof("'ITEM: ATOMS' and the atom lines");
        }
    }

    void parse_box(std::string_view spec, mat3& h, vec3& origin, std::array<bool, 3>& pbc) {
        std::vector<std::string_view> words;
        {
            tokenizer tk(spec);
            std::string_view t;
            while (tk.next(t)) words.push_back(t);
        }
        bool tilt = false, general = false;
        std::size_t w = 0;
        if (words.size() >= 3 && words[0] == "xy" && words[1] == "xz" && words[2] == "yz") {
            tilt = true;
            w = 3;
        } else if (words.size() >= 2 && words[0] == "abc" && words[1] == "origin") {
            general = true;
            w = 2;
        }
        if (words.size() - w != 0 && words.size() - w != 3)
            m_src.fail("expected 'ITEM: BOX BOUNDS [xy xz yz] pp pp pp', got " + quoted(spec));
        for (std::size_t k = 0; w + k < words.size(); ++k) {
            const std::string_view b = words[w + k];
            if (b.empty() || b.size() > 2 || b.find_first_not_of("pfsm") != std::string_view::npos)
                m_src.fail("expected boundary flags like pp, ff, ss, fm, got " + quoted(b));
            pbc[k] = b.find_first_not_of('p') == std::string_view::npos;
        }
        std::array<std::array<double, 4>, 3> v{};
        const std::size_t per_line = general ? 4 : (tilt ? 3 : 2);
        for (std::size_t k = 0; k < 3; ++k) {
            std::string_view line;
            if (!m_src.next(line)) m_src.fail_eof("box bounds line " + std::to_string(k + 1));
            tokenizer tk(line);
            std::string_view t;
            std::size_t n = 0;
            while (tk.next(t)) {
                if (n == per_line)
                    m_src.fail("expected " + std::to_string(per_line) + " numbers on a box bounds line, got more");
                v[k][n++] = parse_double(m_src, t, "a box bound");
            }
            if (n != per_line)
                m_src.fail("expected " + std::to_string(per_line) + " numbers on a box bounds line, got " +
                           std::to_string(n));
        }
        if (general) {
            for (std::size_t k = 0; k < 3; ++k) {
                h[k] = {v[k][0], v[k][1], v[k][2]};
                origin[k] = v[k][3];
            }
            return;
        }
        const double xy = tilt ? v[0][2] : 0.0, xz = tilt ? v[1][2] : 0.0, yz = tilt ? v[2][2] : 0.0;
        const double xlo = v[0][0] - std::min({0.0, xy, xz, xy + xz});
        const double xhi = v[0][1] - std::max({0.0, xy, xz, xy + xz});
        const double ylo = v[1][0] - std::min(0.0, yz);
        const double yhi = v[1][1] - std::max(0.0, yz);
        const double zlo = v[2][0], zhi = v[2][1];
        h = mat3{vec3{xhi - xlo, 0, 0}, vec3{xy, yhi - ylo, 0}, vec3{xz, yz, zhi - zlo}};
        origin = {xlo, ylo, zlo};
    }

    void set_columns(std::string_view spec) {
        if (spec == m_column_spec && !m_column_spec.empty()) return;  // same layout as the last frame
        m_column_spec.assign(spec);
        std::vector<std::string_view> names;
        tokenizer tk(spec);
        std::string_view t;
        while (tk.next(t)) names.push_back(t);
        m_ncols = names.size();
        auto find = [&](std::string_view n) {
            for (std::size_t k = 0; k < names.size(); ++k)
                if (names[k] == n) return k;
            return none;
        };
        m_id = find("id");
        m_type = find("type");
        m_element = find("element");
        m_pos = {none, none, none};
        m_scaled = false;
        m_wrapped = true;
        const std::array<std::array<const char*, 3>, 4> sets = {{{"x", "y", "z"},
                                                                 {"xs", "ys", "zs"},
                                                                 {"xu", "yu", "zu"},
                                                                 {"xsu", "ysu", "zsu"}}};
        for (std::size_t s = 0; s < sets.size(); ++s) {
            const std::array<std::size_t, 3> c = {find(sets[s][0]), find(sets[s][1]), find(sets[s][2])};
            if (c[0] != none && c[1] != none && c[2] != none) {
                m_pos = c;
                m_scaled = s == 1 || s == 3;
                m_wrapped = s < 2;
                break;
            }
        }
        m_img = {find("ix"), find("iy"), find("iz")};
        m_has_img = m_wrapped && m_img[0] != none && m_img[1] != none && m_img[2] != none;
        if (m_pos[0] == none) {
            m_column_spec.clear();
            m_src.fail("expected position columns x y z, xs ys zs, xu yu zu or xsu ysu zsu in 'ITEM: ATOMS', got " +
                       quoted(spec));
        }
        if (m_element == none && m_type == none) {
            m_column_spec.clear();
            m_src.fail("expected an 'element' or 'type' column in 'ITEM: ATOMS', got " + quoted(spec));
        }
        m_roles.assign(m_ncols, column_role::other);
        for (std::size_t d = 0; d < 3; ++d) {
            m_roles[m_pos[d]] = static_cast<column_role>(static_cast<unsigned char>(column_role::x) + d);
            if (m_has_img) m_roles[m_img[d]] = static_cast<column_role>(static_cast<unsigned char>(column_role::ix) + d);
        }
        if (m_id != none) m_roles[m_id] = column_role::id;
        m_roles[m_element != none ? m_element : m_type] = column_role::species;
        using R = column_role;
        const std::vector<column_role> plain = {R::id, R::species, R::x, R::y, R::z};
        const std::vector<column_role> images = {R::id, R::species, R::x, R::y, R::z, R::ix, R::iy, R::iz};
        m_id_type_xyz = m_element == none && (m_roles == plain || (m_has_img && m_roles == images));
    }

    /// Scratch for the atom ids of one frame, one per thread, kept from frame to frame: the
    /// parallel reader makes a parser per frame, and a fresh id array each time (grown in
    /// chunks and zero-filled) cost 2 threads 5 % more instructions than 1.  Used only within a
    /// read() (so by one parser at a time on a thread), bound at its start: a parser may be read
    /// from another thread than the one that made it.
    static std::vector<long long>& thread_ids() {
        thread_local std::vector<long long> ids;
        return ids;
    }

    void read_atoms(frame& f, std::size_t n, const mat3& h, const vec3& origin) {
        m_ids = &thread_ids();
        reserve_atoms(f, n);
        if (m_has_img) f.images->reserve(std::min<std::size_t>(n, std::size_t{1} << 20));
        // Positions, image flags and ids keep the last frame's size (reset_frame_in_place): the
        // AVX2 loop writes them in place and fits them; the general loop below appends.
        bool avx2 = false;
#if MATERIA_HAVE_AVX2_KERNEL
        avx2 = in_place_parsing.load(std::memory_order_relaxed) && materia::detail::cpu_has_avx2();
#endif
        if (!avx2) {
            clear_atoms(f);
            m_ids->clear();
        }
        std::string_view line;
        for (std::size_t i = 0; i < n; ++i) {
#if MATERIA_HAVE_AVX2_KERNEL
            // Atom lines in place (the hot loop); a line it leaves is parsed below.
            if (avx2) {
                if (m_id_type_xyz)
                    i = m_has_img ? atoms_avx2<true, true>(f, i, n, h, origin) : atoms_avx2<true, false>(f, i, n, h, origin);
                else
                    i = atoms_avx2<false, false>(f, i, n, h, origin);
                if (i == n) break;
            }
#endif
            if (!m_src.next(line))
                m_src.fail_eof("atom line " + std::to_string(i + 1) + " of " + std::to_string(n));
            // One pass over the fields, parsing each by its role (no field vector).
            tokenizer tk(line);
            std::string_view t, name;
            vec3 r{};
            std::array<int, 3> im{};
            long long id = 0, type = 0;
            bool type_ok = false;
            std::size_t j = 0;
            for (;; ++j) {
                if (j < m_ncols && m_roles[j] <= column_role::z) {
                    // Coordinates: tokenizer::next_double reads the characters once.
                    double x = 0;
                    const int got = tk.next_double(t, x);
                    if (got == 0) break;
                    if (got < 0) x = parse_double(m_src, t, "a coordinate");
                    r[static_cast<std::size_t>(m_roles[j]) - static_cast<std::size_t>(column_role::x)] = x;
                    continue;
                }
                if (j >= m_ncols || m_roles[j] == column_role::other ||
                    (m_roles[j] == column_role::species && m_element != none)) {
                    if (!tk.next(t)) break;
                    if (j == m_ncols)
                        m_src.fail("expected " + std::to_string(m_ncols) + " columns as named by 'ITEM: ATOMS', got more");
                    if (m_roles[j] == column_role::species) name = t;
                    continue;
                }
                // Integer columns: tokenizer::next_long parses plain integers in the same pass;
                // anything else goes to parse_long, which words the error as before.
                long long v = 0;
                const int got = tk.next_long(t, v);
                if (got == 0) break;
                const column_role role = m_roles[j];
                switch (role) {
                    case column_role::ix:
                    case column_role::iy:
                    case column_role::iz: {
                        if (got < 0) v = parse_long(m_src, t, "an image flag");
                        if (v < -1000000000LL || v > 1000000000LL) m_src.fail("expected an image flag of modest size");
                        im[static_cast<std::size_t>(role) - static_cast<std::size_t>(column_role::ix)] = static_cast<int>(v);
                        break;
                    }
                    case column_role::id: id = got > 0 ? v : parse_long(m_src, t, "an atom id"); break;
                    case column_role::species:  // numeric type: checked after the column count, as always
                        name = t;
                        type_ok = got > 0;
                        type = v;
                        break;
                    default: break;
                }
            }
            if (j != m_ncols)
                m_src.fail("expected " + std::to_string(m_ncols) + " columns as named by 'ITEM: ATOMS', got " +
                           std::to_string(j));
            if (m_scaled) r = materia::detail::add(origin, to_cartesian(h, r));
            push_position(m_src, f, r);
            if (m_element != none) {
                m_symbols.check(m_src, name);
                set_species(f, i, name);
            } else {
                if (!type_ok) type = parse_long(m_src, name, "an atom type");
                if (m_opts.types.empty()) {
                    set_species(f, i, name);
                } else {
                    set_species(f, i, type_name(type));
                }
            }
            if (m_has_img) f.images->push_back(im);
            if (m_id != none) m_ids->push_back(id);
        }
        // (n = 0 with the AVX2 loop: nothing above touched the arrays kept from the last frame.)
        fit_atoms(f, n);
        if (m_id != none) m_ids->resize(n);
        f.species.resize(n);
        if (m_id != none) sort_by_id(f);
    }

#if MATERIA_HAVE_AVX2_KERNEL
    /// Atom lines i, i+1, … < n parsed in place with the AVX2 kernels (io/fields_avx2.hpp); returns
    /// the index of the first line left to the general loop of read_atoms (lines of 64 bytes or
    /// more, and anything unusual: it gives the same values and words the errors).  Straight: the
    /// columns are id type x y z [ix iy iz] (Images: with ix iy iz), LAMMPS' most common custom
    /// dump — each line first by id_type_xyz_line, straight-line code with no per-column dispatch;
    /// a line it declines goes to atom_avx2, so values and errors are those of before.
    template <bool Straight, bool Images>
    [[gnu::target("avx2,bmi,bmi2,popcnt")]] std::size_t atoms_avx2(frame& f, std::size_t i, std::size_t n,
                                                                  const mat3& h, const vec3& origin) {
        // Positions, image flags and ids are written in place, in chunks (three push_backs per
        // atom were a seventh of the parse).  Here f.positions, f.images and m_ids hold i entries
        // or more (reset_frame_in_place keeps the last frame's: they grow only past it); on return
        // exactly i.
        const bool has_img = Straight ? Images : m_has_img;
        const bool has_id = Straight || m_id != none;
        std::array<int, 3> no_image{};
        long long no_id = 0;
        while (i < n) {
            const line_source::in_place_text t = m_src.in_place();
            const char* p = t.begin;
            const std::size_t i0 = i;
            bool left = false;
            while (!left && i < n && p < t.soft) {
                const std::size_t chunk = std::min<std::size_t>(n - i, 2048);
                const std::size_t base = i;
                grow_atoms(f, base + chunk);
                grow_species(f, base + chunk);
                if (m_id != none && m_ids->size() < base + chunk) m_ids->resize(base + chunk);
                vec3* const pos = f.positions.data() + base;
                std::array<int, 3>* const img = has_img ? f.images->data() + base : nullptr;
                long long* const ids = has_id ? m_ids->data() + base : nullptr;
                std::size_t k = 0;
                for (; k < chunk && p < t.soft; ++k) {
                    std::array<int, 3>& im = has_img ? img[k] : no_image;
                    long long& id = has_id ? ids[k] : no_id;
                    const char* q = nullptr;
                    if constexpr (Straight) q = id_type_xyz_line<Images>(p, t.end, f, i + k, h, origin, pos[k], im, id);
                    if (q == nullptr) q = atom_avx2(p, t.end, f, i + k, h, origin, pos[k], im, id);
                    if (q == nullptr) {
                        left = true;
                        break;
                    }
                    p = q;
                }
                i += k;
            }
            m_src.consumed(p, i - i0);
            if (left || i == i0 || t.last) break;
        }
        // Exactly i entries: the general loop appends from here.
        fit_atoms(f, i);
        if (m_id != none) m_ids->resize(i);
        return i;
    }

    /// One line "id type x y z [ix iy iz]" (64 bytes or shorter, single spaces or not) into r, im,
    /// id and species i: the position past its '\n', or nullptr for anything it does not take —
    /// ids and types that are not 1 to 8 plain digits, a type without a cached species, other
    /// field counts, any byte but digits, separators, '.' and '-' before a coordinate or a flag,
    /// coordinates and flags the kernels leave (atom_avx2 then parses the line).  Ids and types
    /// by one SWAR word each (first_digits_value); the species by direct index.  The caller has
    /// grown f.species past i (grow_species).
    template <bool Images>
    MATERIA_IO_AVX2 const char* id_type_xyz_line(const char* p, const char* end, frame& f, std::size_t i,
                                                 const mat3& h, const vec3& origin, vec3& r, std::array<int, 3>& im,
                                                 long long& id) {
        line_fields_avx2 lf;
        if (!find_line_fields_avx2(p, lf)) return nullptr;
        if (p + lf.length == end) return nullptr;  // the pad: the line is not complete in the buffer
        if (std::popcount(lf.starts) != (Images ? 8 : 5)) return nullptr;
        // One test of every byte of the line: digits, separators, three '.' (each coordinate
        // checks that it holds one) and '-' at the starts of coordinates and image flags only.
        const std::uint64_t later = lf.starts & (lf.starts - 1);  // all starts but the id's
        const std::uint64_t signs = lf.minus & later & (later - 1);  // … and but the type's
        if ((lf.nondigit & ~(lf.field_end | lf.dots | signs)) != 0 || std::popcount(lf.dots) != 3) return nullptr;
        // Id and type: 1 to 8 digits (checked above) by one SWAR word each.
        unsigned a = 0, b = 0, ta = 0, tb = 0;
        lf.next(a, b);
        lf.next(ta, tb);
        if (b - a > 8 || tb - ta > 8) return nullptr;
        id = static_cast<long long>(first_digits_value(load8(p + a), b - a));
        const std::string_view type_text(p + ta, tb - ta);
        const std::string* species = nullptr;
        std::uint64_t species_word = 0;
        if (!m_opts.types.empty()) {
            // Types are small: one digit is cheaper than the word (a well-predicted branch).
            const std::uint64_t type = tb - ta == 1 ? static_cast<std::uint64_t>(p[ta] - '0')
                                                    : first_digits_value(load8(p + ta), tb - ta);
            if (type >= m_type_cache.size() || m_type_cache[type] == nullptr) return nullptr;
            species = m_type_cache[type];
            species_word = m_type_words[type];
        }
        std::array<unsigned, 3> cs{}, ce{};
        lf.next(cs[0], ce[0]);
        lf.next(cs[1], ce[1]);
        lf.next(cs[2], ce[2]);
        if (!three_coordinates_avx2(p, cs, ce, signs, lf.dots, r)) return nullptr;
        if constexpr (Images) {
            // Usually each flag is one digit, with or without '-': then the rest of the line holds
            // exactly three digits (its bytes are checked above) and no '-' alone; each flag is
            // its digit, negated when a '-' precedes it (no branch on the sign).
            const std::uint64_t rest = (std::uint64_t{1} << lf.length) - (std::uint64_t{1} << ce[2]);
            std::uint64_t digits = ~lf.nondigit & rest;
            if (std::popcount(digits) == 3 && (signs & rest & (lf.field_end >> 1)) == 0) {
                for (std::size_t k = 0; k < 3; ++k) {
                    const unsigned d = static_cast<unsigned>(std::countr_zero(digits));
                    digits &= digits - 1;
                    const int neg = static_cast<int>((signs >> (d - 1)) & 1U);
                    im[k] = ((p[d] - '0') ^ -neg) + neg;  // -digit when neg
                }
                lf.starts = 0;
            }
        }
        if (Images && lf.starts != 0) {
            lf.next(a, b);
            if (!one_digit_flag(p, a, b, signs, im[0]) && !image_flag_avx2(p, a, b, lf, im[0])) return nullptr;
            lf.next(a, b);
            if (!one_digit_flag(p, a, b, signs, im[1]) && !image_flag_avx2(p, a, b, lf, im[1])) return nullptr;
            lf.next(a, b);
            if (!one_digit_flag(p, a, b, signs, im[2]) && !image_flag_avx2(p, a, b, lf, im[2])) return nullptr;
        }
        if (m_scaled) {
            r = materia::detail::add(origin, to_cartesian(h, r));
            if (!(std::isfinite(r[0]) && std::isfinite(r[1]) && std::isfinite(r[2]))) return nullptr;
        }
        if (species == nullptr) set_species(f, i, type_text);
        else if (species->size() <= 8) set_name_word(f.species[i], *species, species_word);  // (grown by the caller)
        else set_species(f, i, *species);
        return p + lf.length + 1;
    }

    /// One atom line in place, into r, im, id (written also when it fails) and species i: the
    /// position past its '\n', or nullptr (the general loop of read_atoms then parses the line).
    MATERIA_IO_AVX2 const char* atom_avx2(const char* p, const char* end, frame& f, std::size_t i, const mat3& h,
                                          const vec3& origin, vec3& r, std::array<int, 3>& im, long long& id) {
        line_fields_avx2 lf;
        if (!find_line_fields_avx2(p, lf)) return scan_atom(p, end, f, i, h, origin, r, im, id);
        if (p + lf.length == end) return nullptr;  // the pad: the line is not complete in the buffer
        r = {};
        im = {};
        id = 0;
        long long type = 0;
        std::string_view name;
        if (m_id_type_xyz) {
            // Columns id type x y z [ix iy iz] (LAMMPS' most common custom dump): no dispatch.
            if (static_cast<std::size_t>(std::popcount(lf.starts)) != m_ncols) return nullptr;
            unsigned a = 0, b = 0;
            lf.next(a, b);
            if (!long_field_avx2(p, a, b, lf, id)) return nullptr;
            lf.next(a, b);
            name = std::string_view(p + a, b - a);
            if (!long_field_avx2(p, a, b, lf, type)) return nullptr;
            for (std::size_t d = 0; d < 3; ++d) {
                lf.next(a, b);
                if (!decimal_field_avx2(p, a, b, lf, r[d])) return nullptr;
            }
            for (std::size_t d = 0; d < 3 && m_has_img; ++d) {
                lf.next(a, b);
                if (!image_flag_avx2(p, a, b, lf, im[d])) return nullptr;
            }
        }
        for (std::size_t j = 0; j < m_ncols && !m_id_type_xyz; ++j) {
            if (lf.starts == 0) return nullptr;  // too few columns
            unsigned a = 0, b = 0;
            lf.next(a, b);
            const column_role role = m_roles[j];
            switch (role) {
                case column_role::x:
                case column_role::y:
                case column_role::z:
                    if (!decimal_field_avx2(p, a, b, lf, r[static_cast<std::size_t>(role)])) return nullptr;
                    break;
                case column_role::ix:
                case column_role::iy:
                case column_role::iz:
                    if (!image_flag_avx2(p, a, b, lf,
                                         im[static_cast<std::size_t>(role) - static_cast<std::size_t>(column_role::ix)]))
                        return nullptr;
                    break;
                case column_role::id:
                    if (!long_field_avx2(p, a, b, lf, id)) return nullptr;
                    break;
                case column_role::species:
                    name = std::string_view(p + a, b - a);
                    if (m_element == none && !long_field_avx2(p, a, b, lf, type)) return nullptr;
                    break;
                case column_role::other: break;
            }
        }
        if (lf.starts != 0) return nullptr;  // more columns than named
        if (!store_atom(f, i, r, type, name, h, origin)) return nullptr;
        return p + lf.length + 1;
    }

    /// The usual image flags "d" and "-d" of a line whose bytes are checked (digits, and '-' only
    /// where signs has a bit) without a branch on the sign (random signs mispredict); false for
    /// other lengths.
    MATERIA_IO_AVX2 static bool one_digit_flag(const char* p, unsigned s, unsigned e, std::uint64_t signs,
                                               int& out) noexcept {
        const int neg = static_cast<int>((signs >> s) & 1U);
        const int digit = p[e - 1] - '0';
        out = (digit ^ -neg) + neg;  // -digit when neg
        return e - s - static_cast<unsigned>(neg) == 1;
    }

    /// An image flag field [p + s, p + e) as to_long reads it, for the usual one-digit flags
    /// "d" and "-d" without a branch on the sign (random signs mispredict); other shapes through
    /// long_field_avx2.  False where the general loop must decide (not an integer, or not of
    /// modest size: |v| > 10^9).
    MATERIA_IO_AVX2 bool image_flag_avx2(const char* p, unsigned s, unsigned e, const line_fields_avx2& lf,
                                         int& out) noexcept {
        const unsigned len = e - s;
        const int last = p[e - 1] - '0';
        const int neg = (len == 2 && p[s] == '-') ? 1 : 0;
        if (static_cast<unsigned>(last) < 10 && (len == 1 || neg != 0)) {
            out = (last ^ -neg) + neg;  // -last when neg
            return true;
        }
        long long v = 0;
        if (!long_field_avx2(p, s, e, lf, v) || v < -1000000000LL || v > 1000000000LL) return false;
        out = static_cast<int>(v);
        return true;
    }
#endif

    /// Species i and the Cartesian position r of an atom whose line was parsed in place; false
    /// (f unchanged) where the general loop of read_atoms must decide (it words the errors).
    MATERIA_IO_INLINE bool store_atom(frame& f, std::size_t i, vec3& r, long long type, std::string_view name,
                                      const mat3& h, const vec3& origin) {
        if (m_scaled) {
            r = materia::detail::add(origin, to_cartesian(h, r));
            if (!(std::isfinite(r[0]) && std::isfinite(r[1]) && std::isfinite(r[2]))) return false;
        }
        if (m_element != none) {
            if (!is_element_symbol(name)) return false;
            set_species(f, i, name);
        } else if (m_opts.types.empty()) {
            set_species(f, i, name);
        } else {
            const auto k = static_cast<std::size_t>(type);
            if (type < 0 || k >= m_type_cache.size() || m_type_cache[k] == nullptr) return false;
            set_species(f, i, *m_type_cache[k]);
        }
        return true;
    }

    /// One atom line of 64 bytes or more (velocities, forces, charges… after the positions) parsed
    /// in place: fields found by scanning, numbers by scan_decimal / scan_long (the values
    /// to_double / to_long give); the position past its '\n', or nullptr for any line the general
    /// loop must see (other shapes, errors).  Columns without a role are passed over unparsed,
    /// as the general loop does.
    const char* scan_atom(const char* p, const char* end, frame& f, std::size_t i, const mat3& h, const vec3& origin,
                          vec3& r, std::array<int, 3>& im, long long& id) {
        r = {};
        im = {};
        id = 0;
        long long type = 0;
        std::string_view name;
        const char* q = p;
        for (std::size_t j = 0; j < m_ncols; ++j) {
            while (is_space(*q)) ++q;
            if (*q == '\n') return nullptr;  // too few columns
            const column_role role = m_roles[j];
            switch (role) {
                case column_role::x:
                case column_role::y:
                case column_role::z:
                    q = scan_decimal(q, r[static_cast<std::size_t>(role)]);
                    if (q == nullptr) return nullptr;
                    break;
                case column_role::ix:
                case column_role::iy:
                case column_role::iz: {
                    long long v = 0;
                    q = scan_long(q, v);
                    if (q == nullptr || v < -1000000000LL || v > 1000000000LL) return nullptr;
                    im[static_cast<std::size_t>(role) - static_cast<std::size_t>(column_role::ix)] = static_cast<int>(v);
                    break;
                }
                case column_role::id:
                    q = scan_long(q, id);
                    if (q == nullptr) return nullptr;
                    break;
                case column_role::species: {
                    const char* const b = q;
                    if (m_element == none) {
                        q = scan_long(q, type);
                        if (q == nullptr) return nullptr;
                    } else {
                        q = skip_field(q);
                    }
                    name = std::string_view(b, static_cast<std::size_t>(q - b));
                    break;
                }
                case column_role::other: q = skip_field(q); break;
            }
        }
        while (is_space(*q)) ++q;
        if (*q != '\n') return nullptr;  // more columns than named
        if (q == end) return nullptr;    // the pad: the line is not complete in the buffer
        if (!store_atom(f, i, r, type, name, h, origin)) return nullptr;
        return q + 1;
    }

    /// The species of a numeric type through read_options::types, with a direct-indexed cache for
    /// small types (a std::map lookup per atom was a tenth of the reading time).
    const std::string& type_name(long long type) {
        const bool small = type >= 0 && type < 256;
        const std::size_t k = static_cast<std::size_t>(type);
        if (small && k < m_type_cache.size() && m_type_cache[k] != nullptr) return *m_type_cache[k];
        auto it = m_opts.types.find(type);
        if (it == m_opts.types.end())
            m_src.fail("atom type " + std::to_string(type) + " has no species in the types map (--types)");
        if (small) {
            m_type_cache[k] = &it->second;
            m_type_words[k] = text_word(it->second);
        }
        return it->second;
    }

    static vec3 to_cartesian(const mat3& h, const vec3& s) noexcept {
        vec3 r{};
        for (std::size_t k = 0; k < 3; ++k)
            for (std::size_t d = 0; d < 3; ++d) r[d] += s[k] * h[k][d];
        return r;
    }

    void sort_by_id(frame& f) {
        // Usually the ids increase already (one pass: no sort, and no duplicates).
        if (std::adjacent_find(m_ids->begin(), m_ids->end(), std::greater_equal<>()) == m_ids->end()) return;
        m_order.resize(m_ids->size());
        std::iota(m_order.begin(), m_order.end(), std::size_t{0});
        std::sort(m_order.begin(), m_order.end(), [&](std::size_t a, std::size_t b) { return (*m_ids)[a] < (*m_ids)[b]; });
        for (std::size_t i = 1; i < m_order.size(); ++i)
            if ((*m_ids)[m_order[i]] == (*m_ids)[m_order[i - 1]])
                m_src.fail("duplicate atom id " + std::to_string((*m_ids)[m_order[i]]) + " in this frame");
        std::vector<vec3> pos(f.positions.size());
        std::vector<std::string> sp(f.species.size());
        for (std::size_t i = 0; i < m_order.size(); ++i) {
            pos[i] = f.positions[m_order[i]];
            sp[i] = std::move(f.species[m_order[i]]);
        }
        f.positions.swap(pos);
        f.species.swap(sp);
        if (f.images) {
            std::vector<std::array<int, 3>> im(f.images->size());
            for (std::size_t i = 0; i < m_order.size(); ++i) im[i] = (*f.images)[m_order[i]];
            f.images->swap(im);
        }
    }

    line_source& m_src;
    const read_options& m_opts;
    std::string m_column_spec;
    std::size_t m_ncols = 0, m_id = none, m_type = none, m_element = none;
    std::array<std::size_t, 3> m_pos{none, none, none}, m_img{none, none, none};
    bool m_scaled = false, m_wrapped = true, m_has_img = false;
    bool m_id_type_xyz = false;  // columns id type x y z [ix iy iz]: atom_avx2's straight path
    std::vector<column_role> m_roles;
    std::vector<long long>* m_ids = nullptr;  // the ids of the frame being read (see thread_ids)
    std::vector<std::size_t> m_order;
    std::array<const std::string*, 256> m_type_cache{};  // types 0..255 with a name (else nullptr)
    std::array<std::uint64_t, 256> m_type_words{};        // text_word of each cached name (set_name_word)
    symbol_checker m_symbols;
};

}  // namespace materia::io::detail
