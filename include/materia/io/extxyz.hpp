// materia/io/extxyz.hpp — extended XYZ and plain XYZ reader.
//
// Entry point (materia::io::detail): extxyz_parser (used through io/reader.hpp).
//
// A frame is: a line with the atom count N; a comment line of key=value pairs; N atom lines.
// Keys used (names case-insensitive, values "quoted", {braced} or bare):
//   Lattice="ax ay az bx by bz cx cy cz"   rows a, b, c in Å (ASE/extxyz convention)
//   Properties=species:S:1:pos:R:3:...     name:type:width triples, type S/R/I/L; species may be
//                                          species:S:1 or Z:I:1 (atomic numbers); pos:R:3 is
//                                          required; other columns are skipped by their widths;
//                                          image:I:3 (if present) gives image flags
//   pbc="T T F"                            periodicity (default T T T with a Lattice)
//   time=…  (ps), step=… / timestep=…
// Without Properties the line is plain XYZ: "species x y z [ignored…]" (species may be an atomic
// number).  Without Lattice the cell is read_options::cell, else an open cell.  References:
// https://github.com/libAtoms/extxyz and ASE ase/io/extxyz.py (key_val_str_to_dict,
// parse_properties).
//
// Atom lines are parsed in place (line_source::parse_lines; AVX2 kernels from io/fields_avx2.hpp
// where the CPU has them, SWAR otherwise); lines they do not take (numbers only std::from_chars
// decides, unusual shapes, errors) go through parse_atom, with the same values and messages.
// "species x y z" lines read the three coordinates at once (three_decimals_avx2), compare the
// species with the last frame's in one word, and write positions into arrays that keep their size
// from frame to frame (reset_frame_in_place: no zero-fill).
#pragma once

#include <materia/core/cpu_features.hpp>
#include <materia/io/fields_avx2.hpp>
#include <materia/io/frame_parser.hpp>
#include <materia/io/read_options.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cctype>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace materia::io::detail {

/// Reader for (extended) XYZ files, one frame per read().
class extxyz_parser final : public frame_parser {
public:
    extxyz_parser(line_source& src, const read_options& opts) : m_src(src), m_opts(opts) {}

    bool read(frame& f) override {
        std::string_view line;
        do {
            if (!m_src.next(line)) return false;
        } while (is_blank(line));
        const std::size_t n = parse_count_line(m_src, line, "the number of atoms");
        if (!m_src.next(line)) m_src.fail_eof("the comment line of an XYZ frame");
        const std::size_t comment_line = m_src.line();
        // Time and step come from the comment line.  Positions and image flags keep the last
        // frame's size (as reset_frame_in_place leaves them): the AVX2 loop writes them in place
        // and fits them; the other paths append (clear_atoms below).
        f.time.reset();
        f.step.reset();
        parse_comment(line, f, comment_line);
        if (!m_image_col) f.images.reset();
        else if (!f.images) f.images.emplace();
        reserve_atoms(f, n);
        if (m_image_col) f.images->reserve(std::min<std::size_t>(n, std::size_t{1} << 20));
        const bool in_place = in_place_parsing.load(std::memory_order_relaxed);
        bool avx2 = false;
#if MATERIA_HAVE_AVX2_KERNEL
        avx2 = in_place && materia::detail::cpu_has_avx2();
#endif
        if (!avx2) clear_atoms(f);
        for (std::size_t i = 0; i < n;) {
            // Atom lines in place (the hot loop); a line it leaves goes through parse_atom.
#if MATERIA_HAVE_AVX2_KERNEL
            if (avx2) {
                i = atoms_avx2(f, i, n);
                if (i == n) break;
            } else
#endif
            if (in_place) {
                m_src.parse_lines(n - i, [&](const char* p, const char* end) {
                    atom_values v;
                    const char* const q = fast_atom(p, end, v);
                    if (q != nullptr) store(f, i++, v);
                    return q;
                });
                if (i == n) break;
            }
            if (!m_src.next(line))
                m_src.fail_eof("atom line " + std::to_string(i + 1) + " of " + std::to_string(n));
            parse_atom(line, f, i);
            ++i;
        }
        fit_atoms(f, n);  // (n = 0 with the AVX2 loop: the arrays kept from the last frame)
        f.species.resize(n);
        return true;
    }

    bool skip() override {
        std::string_view line;
        do {
            if (!m_src.next(line)) return false;
        } while (is_blank(line));
        const std::size_t n = parse_count_line(m_src, line, "the number of atoms");
        if (!m_src.skip_lines(n + 1))
            m_src.fail_eof(std::to_string(n) + " atom lines after the comment line");
        return true;
    }

private:
    struct column {
        std::size_t first;  // first field index of the property
    };

    static bool iequals(std::string_view a, std::string_view b) noexcept {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
                return false;
        return true;
    }

    static bool parse_bool(std::string_view t, bool& b) noexcept {
        if (iequals(t, "T") || iequals(t, "true") || t == "1") return b = true, true;
        if (iequals(t, "F") || iequals(t, "false") || t == "0") return b = false, true;
        return false;
    }

    /// key=value pairs of the comment line (ASE key_val_str_to_dict, simplified: no escapes
    /// inside quotes).  Unknown keys and free text are ignored, as in plain XYZ comments.
    void parse_comment(std::string_view s, frame& f, std::size_t line) {
        std::optional<std::string_view> lattice, properties, pbc, time, step;
        std::size_t i = 0;
        const std::size_t n = s.size();
        while (i < n) {
            while (i < n && is_space(s[i])) ++i;
            const std::size_t k0 = i;
            while (i < n && !is_space(s[i]) && s[i] != '=') ++i;
            const std::string_view key = s.substr(k0, i - k0);
            std::size_t j = i;
            while (j < n && is_space(s[j])) ++j;
            if (j >= n || s[j] != '=') {  // a bare word (free text or a flag): ignored
                i = j;
                continue;
            }
            ++j;
            while (j < n && is_space(s[j])) ++j;
            std::string_view value;
            if (j < n && (s[j] == '"' || s[j] == '\'' || s[j] == '{' || s[j] == '[')) {
                const char close = s[j] == '{' ? '}' : s[j] == '[' ? ']' : s[j];
                const std::size_t v0 = j + 1;
                std::size_t e = s.find(close, v0);
                if (close == ']') e = s.rfind(']');  // nested [[..],[..]] lattice: up to the last ']'
                if (e == std::string_view::npos || e < v0) {
                    if (iequals(key, "lattice") || iequals(key, "properties") || iequals(key, "pbc"))
                        m_src.fail_at(line, "expected a closing " + std::string(1, close) + " for " +
                                                std::string(key) + "=");
                    break;
                }
                value = s.substr(v0, e - v0);
                i = e + 1;
            } else {
                const std::size_t v0 = j;
                while (j < n && !is_space(s[j])) ++j;
                value = s.substr(v0, j - v0);
                i = j;
            }
            if (iequals(key, "lattice")) lattice = value;
            else if (iequals(key, "properties")) properties = value;
            else if (iequals(key, "pbc")) pbc = value;
            else if (iequals(key, "time")) time = value;
            else if (iequals(key, "step") || iequals(key, "timestep")) step = value;
        }

        // Properties → column layout.
        m_species_col = m_pos_col = 0;
        m_image_col.reset();
        m_species_is_z = false;
        m_plain = !properties.has_value();
        if (m_plain) {
            m_ncols = 4;
            m_species_col = 0;
            m_pos_col = 1;
        } else {
            parse_properties(*properties, line);
        }
        set_roles();

        // Cell.
        std::array<bool, 3> periodic{true, true, true};
        if (pbc) {
            std::string text(*pbc);
            for (char& c : text)
                if (c == ',' || c == '[' || c == ']') c = ' ';
            tokenizer tk(text);
            std::string_view t;
            std::size_t k = 0;
            while (tk.next(t)) {
                bool b = false;
                if (k >= 3 || !parse_bool(t, b))
                    m_src.fail_at(line, "expected pbc=\"T T T\" (three of T/F), got pbc=" + quoted(*pbc));
                periodic[k++] = b;
            }
            if (k != 3) m_src.fail_at(line, "expected pbc=\"T T T\" (three of T/F), got pbc=" + quoted(*pbc));
        }
        if (lattice) {
            std::string text(*lattice);
            for (char& c : text)
                if (c == ',' || c == '[' || c == ']') c = ' ';
            tokenizer tk(text);
            std::string_view t;
            mat3 rows{};
            std::size_t k = 0;
            while (tk.next(t)) {
                double x = 0;
                if (k >= 9 || !to_double(t, x))
                    m_src.fail_at(line, "expected Lattice=\"ax ay az bx by bz cx cy cz\" (9 finite numbers), got " +
                                            quoted(*lattice));
                rows[k / 3][k % 3] = x;
                ++k;
            }
            if (k != 9)
                m_src.fail_at(line, "expected Lattice=\"ax ay az bx by bz cx cy cz\" (9 finite numbers), got " +
                                        std::to_string(k) + " numbers");
            f.cell = make_cell(m_src, line, rows, periodic);
        } else if (m_opts.cell) {
            f.cell = *m_opts.cell;
        } else {
            f.cell = materia::cell::open();
        }
        if (time) {
            double x = 0;
            if (!to_double(*time, x)) m_src.fail_at(line, "expected time=<finite number>, got " + quoted(*time));
            f.time = x;
        }
        if (step) {
            long long x = 0;
            if (!to_long(*step, x)) m_src.fail_at(line, "expected step=<integer>, got " + quoted(*step));
            f.step = x;
        }
    }

    void parse_properties(std::string_view p, std::size_t line) {
        std::vector<std::string_view> parts;
        std::size_t a = 0;
        while (true) {
            const std::size_t c = p.find(':', a);
            parts.push_back(p.substr(a, c == std::string_view::npos ? std::string_view::npos : c - a));
            if (c == std::string_view::npos) break;
            a = c + 1;
        }
        if (parts.size() % 3 != 0)
            m_src.fail_at(line, "expected Properties=name:type:width triples, got " + quoted(p));
        std::size_t col = 0;
        bool have_species = false, have_pos = false;
        for (std::size_t k = 0; k < parts.size(); k += 3) {
            const std::string_view name = parts[k], type = parts[k + 1];
            long long width = 0;
            if (name.empty() || !to_long(parts[k + 2], width) || width < 1 || width > 1000)
                m_src.fail_at(line, "expected Properties=name:type:width with a width of 1..1000, got " +
                                        quoted(name) + ":" + quoted(type) + ":" + quoted(parts[k + 2]));
            if (type != "S" && type != "R" && type != "I" && type != "L")
                m_src.fail_at(line, "expected a Properties type S, R, I or L, got " + quoted(type) + " for " +
                                        quoted(name));
            const std::size_t w = static_cast<std::size_t>(width);
            if ((iequals(name, "species") && type == "S" && w == 1) && !have_species) {
                m_species_col = col;
                have_species = true;
                m_species_is_z = false;
            } else if (iequals(name, "Z") && type == "I" && w == 1 && !have_species) {
                m_species_col = col;
                have_species = true;
                m_species_is_z = true;
            } else if ((iequals(name, "pos") || iequals(name, "positions")) && !have_pos) {
                if (type != "R" || w != 3)
                    m_src.fail_at(line, "expected pos:R:3 in Properties, got " + quoted(name) + ":" +
                                            quoted(type) + ":" + quoted(parts[k + 2]));
                m_pos_col = col;
                have_pos = true;
            } else if ((iequals(name, "image") || iequals(name, "images")) && type == "I" && w == 3) {
                m_image_col = col;
            }
            col += w;
        }
        if (!have_species)
            m_src.fail_at(line, "expected a species:S:1 or Z:I:1 column in Properties, got " + quoted(p));
        if (!have_pos) m_src.fail_at(line, "expected a pos:R:3 column in Properties, got " + quoted(p));
        m_ncols = col;
    }

    /// Role of each declared column, for fast_atom.
    enum class column_role : unsigned char { pos, image, species, other };

    /// The name of species field sp (a symbol, or a symbol from an atomic number), as parse_atom
    /// decides it; false where parse_atom would fail or take an unusual path.  Fields of up to 8
    /// bytes are cached by their bytes (one word compare; the buffer is padded, so 8 bytes are
    /// readable at any field): atom lines repeat a few species.  Names point to static storage.
    /// name_word: the name's bytes as a word (for set_name_word; names are element symbols).
    bool species_name(std::string_view sp, std::string_view& name, std::uint64_t& name_word) noexcept {
        if (sp.empty() || sp.size() > 8) return false;
        const std::uint64_t word = load8(sp.data()) & low_bytes_mask(sp.size());
        for (std::size_t k = 0; k < m_species_cache_size; ++k)
            if (m_species_cache[k].word == word && m_species_cache[k].size == sp.size()) {
                name = m_species_cache[k].name;
                name_word = m_species_cache[k].name_word;
                return true;
            }
        long long z = 0;
        if (m_species_is_z || (m_plain && sp[0] >= '0' && sp[0] <= '9')) {
            if (!to_long(sp, z)) return false;
            name = element_symbol(z);
            if (name.empty()) return false;
        } else {
            const int zz = element_number(sp);
            if (zz < 0) return false;
            name = sp == "D" ? std::string_view("D") : sp == "T" ? std::string_view("T") : element_symbol(zz);
        }
        if (name.size() > 8) return false;  // (element symbols have 1..3 letters)
        name_word = text_word(name);
        if (m_species_cache_size < m_species_cache.size())
            m_species_cache[m_species_cache_size++] = {word, sp.size(), name, name_word};
        return true;
    }
    bool species_name(std::string_view sp, std::string_view& name) noexcept {
        std::uint64_t name_word = 0;
        return species_name(sp, name, name_word);
    }

    /// What an atom line gives (the in-place parsers compute it; their callers store it).
    struct atom_values {
        std::array<double, 3> r{};
        std::array<int, 3> im{};
        std::string_view name;
    };

    void store(frame& f, std::size_t i, const atom_values& v) {
        set_species(f, i, v.name);
        f.positions.push_back(v.r);
        if (m_image_col) f.images->push_back(v.im);
    }

    /// One atom line parsed in place (see line_source::parse_lines): the position past its '\n',
    /// or nullptr for any line parse_atom must see — it gives exactly the same values for the
    /// lines taken here, and words the errors.
    const char* fast_atom(const char* p, const char* end, atom_values& v) {
        line_fields lf;
        if (!find_line_fields(p, lf)) return scan_atom(p, end, v);
        if (p + lf.length == end) return nullptr;  // the pad: the line is not complete in the buffer
        std::string_view sp;
        for (std::size_t j = 0; j < m_ncols; ++j) {
            if (lf.starts == 0) return nullptr;  // too few fields
            unsigned a = 0, b = 0;
            lf.next(a, b);
            switch (m_roles[j]) {
                case column_role::pos:
                    if (!decimal_field(p, a, b, lf.dots, v.r[j - m_pos_col])) return nullptr;
                    break;
                case column_role::image: {
                    long long x = 0;
                    if (!long_field(p, a, b, x) || x < -1000000000LL || x > 1000000000LL) return nullptr;
                    v.im[j - *m_image_col] = static_cast<int>(x);
                    break;
                }
                case column_role::species: sp = std::string_view(p + a, b - a); break;
                case column_role::other: break;
            }
        }
        if (!m_plain && lf.starts != 0) return nullptr;  // more fields than declared (plain XYZ ignores them)
        if (!species_name(sp, v.name)) return nullptr;
        return p + lf.length + 1;
    }

#if MATERIA_HAVE_AVX2_KERNEL
    /// Atom lines i, i+1, … < n parsed in place with the AVX2 kernels (fast_atom's twin);
    /// returns the index of the first line left to parse_atom.  Positions and images are written
    /// in place, in chunks (cheaper than a push_back per atom).
    [[gnu::target("avx2,bmi,bmi2,popcnt")]] std::size_t atoms_avx2(frame& f, std::size_t i, std::size_t n) {
        std::array<int, 3> no_image{};
        while (i < n) {
            const line_source::in_place_text t = m_src.in_place();
            const char* p = t.begin;
            const std::size_t i0 = i;
            bool left = false;
            while (!left && i < n && p < t.soft) {
                const std::size_t chunk = std::min<std::size_t>(n - i, 2048);
                const std::size_t base = i;
                grow_atoms(f, base + chunk);  // i entries or more here (reset_frame_in_place)
                grow_species(f, base + chunk);
                std::string* const names = f.species.data() + base;
                std::array<double, 3>* const pos = f.positions.data() + base;
                std::array<int, 3>* const img = m_image_col ? f.images->data() + base : nullptr;
                std::size_t k = 0;
                for (; k < chunk && p < t.soft; ++k) {
                    std::string_view name;
                    std::uint64_t name_word = 0;
                    const char* const q =
                        atom_avx2(p, t.end, pos[k], img != nullptr ? img[k] : no_image, name, name_word);
                    if (q == nullptr) {
                        left = true;
                        break;
                    }
                    set_name_word(names[k], name, name_word);
                    p = q;
                }
                i += k;
            }
            m_src.consumed(p, i - i0);
            if (left || i == i0 || t.last) break;
        }
        fit_atoms(f, i);  // exactly i entries: parse_atom appends from here
        return i;
    }

    /// One atom line (see fast_atom): r, im and name are written (also when it returns nullptr).
    MATERIA_IO_AVX2 const char* atom_avx2(const char* p, const char* end, std::array<double, 3>& r,
                                          std::array<int, 3>& im, std::string_view& name,
                                          std::uint64_t& name_word) {
        line_fields_avx2 lf;
        if (!find_line_fields_avx2(p, lf)) {
            atom_values v;
            const char* const q = scan_atom(p, end, v);
            r = v.r;
            im = v.im;
            name = v.name;
            name_word = text_word(v.name);
            return q;
        }
        if (p + lf.length == end) return nullptr;  // the pad: the line is not complete in the buffer
        std::string_view sp;
        if (m_simple) {
            // species x y z: no per-column dispatch.
            if (std::popcount(lf.starts) < 4) return nullptr;
            unsigned a = 0, b = 0;
            lf.next(a, b);
            sp = std::string_view(p + a, b - a);
            // The three coordinates in one go; fields it does not take one by one.
            if (!three_decimals_avx2(p, lf, r))
                for (std::size_t d = 0; d < 3; ++d) {
                    lf.next(a, b);
                    if (!decimal_field_avx2(p, a, b, lf, r[d])) return nullptr;
                }
        } else {
            for (std::size_t j = 0; j < m_ncols; ++j) {
                if (lf.starts == 0) return nullptr;  // too few fields
                unsigned a = 0, b = 0;
                lf.next(a, b);
                switch (m_roles[j]) {
                    case column_role::pos:
                        if (!decimal_field_avx2(p, a, b, lf, r[j - m_pos_col])) return nullptr;
                        break;
                    case column_role::image: {
                        long long v = 0;
                        if (!long_field_avx2(p, a, b, lf, v) || v < -1000000000LL || v > 1000000000LL) return nullptr;
                        im[j - *m_image_col] = static_cast<int>(v);
                        break;
                    }
                    case column_role::species: sp = std::string_view(p + a, b - a); break;
                    case column_role::other: break;
                }
            }
        }
        if (!m_plain && lf.starts != 0) return nullptr;  // more fields than declared (plain XYZ ignores them)
        if (!species_name(sp, name, name_word)) return nullptr;
        return p + lf.length + 1;
    }
#endif

    /// fast_atom for lines of 64 bytes or more: the fields are found by scanning.
    const char* scan_atom(const char* p, const char* end, atom_values& v) {
        const char* sp_begin = nullptr;
        const char* sp_end = nullptr;
        const char* q = p;
        for (std::size_t j = 0; j < m_ncols; ++j) {
            while (is_space(*q)) ++q;
            if (*q == '\n') return nullptr;  // too few fields
            switch (m_roles[j]) {
                case column_role::pos:
                    q = scan_decimal(q, v.r[j - m_pos_col]);
                    if (q == nullptr) return nullptr;
                    break;
                case column_role::image: {
                    long long x = 0;
                    q = scan_long(q, x);
                    if (q == nullptr || x < -1000000000LL || x > 1000000000LL) return nullptr;
                    v.im[j - *m_image_col] = static_cast<int>(x);
                    break;
                }
                case column_role::species:
                    sp_begin = q;
                    q = skip_field(q);
                    sp_end = q;
                    break;
                case column_role::other: q = skip_field(q); break;
            }
        }
        if (m_plain) {
            // Plain XYZ ignores further columns.
            while (*q != '\n') ++q;
        } else {
            while (is_space(*q)) ++q;
            if (*q != '\n') return nullptr;  // more fields than declared
        }
        if (q == end) return nullptr;  // the pad: the line is not complete in the buffer
        if (!species_name(std::string_view(sp_begin, static_cast<std::size_t>(sp_end - sp_begin)), v.name))
            return nullptr;
        return q + 1;
    }

    void set_roles() {
        m_roles.assign(m_ncols, column_role::other);
        for (std::size_t d = 0; d < 3; ++d) m_roles[m_pos_col + d] = column_role::pos;
        if (m_image_col)
            for (std::size_t d = 0; d < 3; ++d) m_roles[*m_image_col + d] = column_role::image;
        m_roles[m_species_col] = column_role::species;
        m_simple = m_species_col == 0 && m_pos_col == 1 && !m_image_col && (m_plain || m_ncols == 4);
        m_species_cache_size = 0;  // a field may mean another name now
    }

    void parse_atom(std::string_view line, frame& f, std::size_t i) {
        // One pass over the fields, parsing each by its role (no field vector: this is the hot
        // loop).  Coordinates go through tokenizer::next_double, which reads the characters once.
        tokenizer tk(line);
        std::string_view t, sp;
        std::array<double, 3> r{};
        std::array<int, 3> im{};
        std::size_t j = 0;
        for (;; ++j) {
            if (j < m_ncols && j - m_pos_col < 3) {  // unsigned: false for j < m_pos_col
                double x = 0;
                const int got = tk.next_double(t, x);
                if (got == 0) break;
                if (got < 0) x = parse_double(m_src, t, "a coordinate");
                r[j - m_pos_col] = x;
                continue;
            }
            if (!tk.next(t)) break;
            if (j == m_ncols) {
                if (m_plain) break;  // plain XYZ: extra columns ignored
                m_src.fail("expected " + std::to_string(m_ncols) +
                           " fields as declared by Properties, got more: " + quoted(t));
            }
            if (j == m_species_col) {
                sp = t;
            } else if (m_image_col && j - *m_image_col < 3) {
                const long long v = parse_long(m_src, t, "an image flag");
                if (v < -1000000000LL || v > 1000000000LL) m_src.fail("expected an image flag of modest size");
                im[j - *m_image_col] = static_cast<int>(v);
            }
        }
        if (j != m_ncols)
            m_src.fail("expected " + std::to_string(m_ncols) + " fields (" +
                       (m_plain ? std::string("species x y z") : std::string("as declared by Properties")) +
                       "), got " + std::to_string(j));
        long long z = 0;
        if (m_species_is_z || (m_plain && sp[0] >= '0' && sp[0] <= '9' && to_long(sp, z))) {
            if (m_species_is_z && !to_long(sp, z)) m_src.fail("expected an atomic number Z, got " + quoted(sp));
            const std::string_view sym = element_symbol(z);
            if (sym.empty()) m_src.fail("expected an atomic number 0..118, got " + quoted(sp));
            set_species(f, i, sym);
        } else {
            m_symbols.check(m_src, sp);
            set_species(f, i, sp);
        }
        f.positions.push_back(r);
        if (m_image_col) f.images->push_back(im);
    }

    line_source& m_src;
    const read_options& m_opts;
    symbol_checker m_symbols;
    std::size_t m_ncols = 4, m_species_col = 0, m_pos_col = 1;
    std::optional<std::size_t> m_image_col;
    bool m_species_is_z = false;
    bool m_plain = true;
    std::vector<column_role> m_roles;
    bool m_simple = false;  // columns species x y z (and, in plain XYZ, anything after them)
    struct species_entry {
        std::uint64_t word = 0;  // the field's bytes
        std::size_t size = 0;
        std::string_view name;
        std::uint64_t name_word = 0;  // name's bytes (see text_word)
    };
    std::array<species_entry, 8> m_species_cache{};  // see species_name
    std::size_t m_species_cache_size = 0;
};

}  // namespace materia::io::detail
