// materia/io/gro.hpp — GROMACS .gro reader (one or more frames; nm → Å).
//
// Entry point (materia::io::detail): gro_parser (used through io/reader.hpp).
//
// Layout (GROMACS manual, "gro file"): a title line (may contain "t= 12.5" in ps and "step= 100"),
// the atom count, N fixed-column atom lines
//   residue number (5) residue name (5) atom name (5) atom number (5) x y z [vx vy vz]
// with coordinates in nm in fields whose width is the distance between their decimal points
// (8 for the default %8.3f; GROMACS read_whole_conf measures it the same way), and a free-format
// box line: v1(x) v2(y) v3(z) [v1(y) v1(z) v2(x) v2(z) v3(x) v3(y)] in nm, so the lattice rows are
// a = (v1x, v1y, v1z), b = (v2x, v2y, v2z), c = (v3x, v3y, v3z).  A box of zeros means no cell.
//
// Species: .gro names atoms, not elements.  The element is the first letter of the atom name
// (OW → O, HW1 → H, CA → C), except for mixed-case names that start with a two-letter element
// (Sb → Sb, as ASE writes them) and ions whose residue name equals the atom name and whose two
// letters form an element (NA/NA → Na, CL/CL → Cl).  This matches the peer converter
// (../shared/peers/to_xyz.py) apart from the ion rule.  When no element fits, the atom name is kept.
#pragma once

#include <materia/io/frame_parser.hpp>
#include <materia/io/read_options.hpp>

#include <cctype>
#include <string>
#include <string_view>

namespace materia::io::detail {

/// GROMACS .gro, one frame per read().
class gro_parser final : public frame_parser {
public:
    gro_parser(line_source& src, const read_options& /*opts: nothing applies to .gro*/) : m_src(src) {}

    bool read(frame& f) override { return next_frame(&f); }
    bool skip() override { return next_frame(nullptr); }

    /// Element guessed from a residue name and an atom name (see the file comment).
    [[nodiscard]] static std::string element_of(std::string_view residue, std::string_view atom) {
        std::string letters;
        for (char c : atom)
            if (std::isalpha(static_cast<unsigned char>(c)) != 0) letters += c;
        if (letters.empty()) return std::string(atom);
        // Mixed case ("Sb", "Cl1") is an explicit two-letter element; upper case two letters only for
        // ions named like their residue (NA/NA), since CA, CB, HG1 … are carbons and hydrogens.
        if (letters.size() >= 2 && std::isupper(static_cast<unsigned char>(letters[0])) != 0 &&
            std::islower(static_cast<unsigned char>(letters[1])) != 0 && is_element_symbol(letters.substr(0, 2)))
            return letters.substr(0, 2);
        if (letters.size() == 2 && residue == atom) {
            std::string two{static_cast<char>(std::toupper(static_cast<unsigned char>(letters[0]))),
                            static_cast<char>(std::tolower(static_cast<unsigned char>(letters[1])))};
            if (is_element_symbol(two)) return two;
        }
        const std::string one(1, static_cast<char>(std::toupper(static_cast<unsigned char>(letters[0]))));
        if (is_element_symbol(one)) return one;
        return std::string(atom);
    }

private:
    bool next_frame(frame* f) {
        std::string_view line;
        // The title may be blank, but blank lines at the very end of the file are not a frame.
        if (!m_src.next(line)) return false;
        std::string title(line);
        if (is_blank(line)) {
            while (is_blank(line))
                if (!m_src.next(line)) return false;
            m_src.unget();
            title.clear();
        }
        if (!m_src.next(line)) m_src.fail_eof("the number of atoms (line 2 of a .gro frame)");
        const std::size_t n = parse_count_line(m_src, line, "the number of atoms");
        if (f == nullptr) {
            if (!m_src.skip_lines(n)) m_src.fail_eof(std::to_string(n) + " atom lines");
            if (!m_src.next(line)) m_src.fail_eof("the box line");
            return true;
        }
        reset_frame(*f);
        parse_title(title, *f);
        reserve_atoms(*f, n);
        std::size_t width = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (!m_src.next(line))
                m_src.fail_eof("atom line " + std::to_string(i + 1) + " of " + std::to_string(n));
            if (i == 0) width = field_width(line);
            if (line.size() < 20 + 3 * width)
                m_src.fail("expected a fixed-column .gro atom line of at least " + std::to_string(20 + 3 * width) +
                           " characters, got " + std::to_string(line.size()));
            vec3 r{};
            for (std::size_t d = 0; d < 3; ++d)
                r[d] = 10.0 * parse_double(m_src, trim(line.substr(20 + d * width, width)), "a coordinate (nm)");
            push_position(m_src, *f, r);
            const std::string_view res = trim(line.substr(5, 5)), atom = trim(line.substr(10, 5));
            if (res != m_last_res || atom != m_last_atom) {
                m_last_res.assign(res);
                m_last_atom.assign(atom);
                m_last_element = element_of(res, atom);
            }
            set_species(*f, i, m_last_element);
        }
        f->species.resize(n);
        if (!m_src.next(line)) m_src.fail_eof("the box line (3 or 9 numbers in nm)");
        tokenizer tk(line);
        std::string_view t;
        std::array<double, 9> b{};
        std::size_t k = 0;
        while (tk.next(t)) {
            if (k == 9) m_src.fail("expected 3 or 9 box numbers, got more");
            b[k++] = 10.0 * parse_double(m_src, t, "a box component (nm)");
        }
        if (k != 3 && k != 9) m_src.fail("expected 3 or 9 box numbers (nm), got " + std::to_string(k));
        bool all_zero = true;
        for (double x : b) all_zero = all_zero && x == 0.0;
        if (all_zero) {
            f->cell = materia::cell::open();
        } else {
            const mat3 rows{vec3{b[0], b[3], b[4]}, vec3{b[5], b[1], b[6]}, vec3{b[7], b[8], b[2]}};
            f->cell = make_cell(m_src, m_src.line(), rows);
        }
        return true;
    }

    /// Width of a coordinate field: distance between the first two decimal points after column 20.
    std::size_t field_width(std::string_view line) const {
        if (line.size() < 21) m_src.fail("expected a fixed-column .gro atom line, got " + quoted(line));
        const std::size_t p1 = line.find('.', 20);
        const std::size_t p2 = p1 == std::string_view::npos ? p1 : line.find('.', p1 + 1);
        if (p2 == std::string_view::npos)
            m_src.fail("expected coordinates with decimal points after column 20, got " + quoted(line.substr(20)));
        const std::size_t w = p2 - p1;
        if (w < 4 || w > 30) m_src.fail("expected .gro coordinate fields of a sensible width, got " + std::to_string(w));
        return w;
    }

    void parse_title(std::string_view title, frame& f) const {
        if (const std::size_t p = title.find("t="); p != std::string_view::npos) {
            tokenizer tk(title.substr(p + 2));
            std::string_view t;
            double x = 0;
            if (tk.next(t) && to_double(t, x)) f.time = x;
        }
        if (const std::size_t p = title.find("step="); p != std::string_view::npos) {
            tokenizer tk(title.substr(p + 5));
            std::string_view t;
            long long x = 0;
            if (tk.next(t) && to_long(t, x)) f.step = x;
        }
    }

    line_source& m_src;
    std::string m_last_res, m_last_atom, m_last_element;
};

}  // namespace materia::io::detail
