// materia/io/xdatcar.hpp — VASP XDATCAR trajectory reader (fixed and variable cell).
//
// Entry point (materia::io::detail): xdatcar_parser (used through io/reader.hpp).
//
// Layout (VASP 5+): a POSCAR-like header (comment, scale, lattice, species, counts) and then, per
// frame, a line "Direct configuration=  K" followed by N lines of fractional coordinates.  With a
// fixed cell the header appears once; with a variable cell (NpT, ISIF=3) it is repeated before each
// "configuration" line, so any non-"configuration" line where a frame is due starts a new header.
// "Cartesian configuration=" (written by some tools) is read as Cartesian Å times the scale.
// The step K becomes frame::step.
//
// VASP 4 files come in two shapes:
//  - a POSCAR-like header without the species line (counts on line 6): names from
//    read_options::species (--species), else from the comment line (as for POSCAR);
//  - the VASP 4.6 header (vasp.4.6 main.F): "NIONS NIONS NBLOCK" / "volume a b c POTIM" (lengths
//    in m, volume in Å³ per atom or per cell) / TEBEG / "CAR" / system name, then per frame a blank
//    or "Konfig=K" line and NIONS lines of fractional coordinates.  Only the cell LENGTHS are
//    written, so the cell is taken as orthorhombic and a·b·c must match the volume (else a
//    parse_error: a tilted cell cannot be recovered); there are no species counts, so
//    read_options::species must give one name (all atoms) or one name per atom.
#pragma once

#include <materia/io/poscar.hpp>

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

namespace materia::io::detail {

/// VASP XDATCAR, one configuration per read().
class xdatcar_parser final : public frame_parser {
public:
    xdatcar_parser(line_source& src, const read_options& opts) : m_src(src), m_opts(opts) {}

    bool read(frame& f) override { return next_frame(&f); }
    bool skip() override { return next_frame(nullptr); }

private:
    static bool is_configuration(std::string_view line) noexcept {
        const std::string_view t = trim(line);
        // "Direct configuration=     1", "Cartesian configuration= 1", "Konfig=1" (VASP 4)
        return t.find("onfiguration") != std::string_view::npos || t.rfind("Konfig", 0) == 0;
    }

    /// NIONS when the line is "NIONS NIONS NBLOCK", the first line of a VASP 4.6 XDATCAR (3 or 4
    /// integers, the first two equal and positive); 0 otherwise.
    static std::size_t vasp46_atom_count(std::string_view line) noexcept {
        tokenizer tk(line);
        std::string_view t;
        std::array<long long, 4> v{};
        std::size_t n = 0;
        while (tk.next(t)) {
            if (n == 4 || !to_long(t, v[n])) return 0;
            ++n;
        }
        return n >= 3 && v[0] > 0 && v[0] == v[1] ? static_cast<std::size_t>(v[0]) : 0;
    }

    /// The VASP 4.6 header after its first line (n = NIONS); see the file comment.
    void read_vasp46_header(std::size_t n) {
        if (n > (std::size_t{1} << 40)) m_src.fail("expected an atom count below 2^40");
        std::string_view line;
        if (!m_src.next(line)) m_src.fail_eof("'volume a b c POTIM' (line 2 of a VASP 4 XDATCAR)");
        const std::size_t cell_line = m_src.line();
        std::array<double, 4> v{};
        {
            tokenizer tk(line);
            std::string_view t;
            for (std::size_t k = 0; k < 4; ++k) {
                if (!tk.next(t))
                    m_src.fail("expected 'volume a b c POTIM' (line 2 of a VASP 4 XDATCAR), got " + quoted(line));
                v[k] = parse_double(m_src, t, "a number of 'volume a b c POTIM'");
            }
        }
        if (!m_src.next(line)) m_src.fail_eof("the temperature (line 3 of a VASP 4 XDATCAR)");
        if (!m_src.next(line)) m_src.fail_eof("'CAR' (line 4 of a VASP 4 XDATCAR)");
        if (trim(line) != "CAR" && trim(line) != "car")
            m_src.fail("expected 'CAR' on line 4 of a VASP 4 XDATCAR (after 'NIONS NIONS NBLOCK'), got " + quoted(line));
        if (!m_src.next(line)) m_src.fail_eof("the system name (line 5 of a VASP 4 XDATCAR)");
        const double a = v[1] * 1e10, b = v[2] * 1e10, c = v[3] * 1e10;  // m → Å
        if (!(a > 0 && b > 0 && c > 0 && std::isfinite(a * b * c)))
            m_src.fail_at(cell_line, "expected positive cell lengths a b c (in m) on line 2 of a VASP 4 XDATCAR");
        const double vol = a * b * c, per_atom = vol / static_cast<double>(n);
        if (!(std::abs(vol - v[0]) <= 1e-3 * vol || std::abs(per_atom - v[0]) <= 1e-3 * per_atom))
            m_src.fail_at(cell_line, "a VASP 4 XDATCAR gives only the cell lengths: expected an orthorhombic cell "
                                     "with a*b*c = the volume (per cell or per atom), got a*b*c = " +
                                         std::to_string(vol) + " A^3 and volume " + std::to_string(v[0]));
        const std::vector<std::string>& names = m_opts.species;
        if (names.size() != 1 && names.size() != n)
            m_src.fail_at(1, "a VASP 4 XDATCAR has no species counts: expected --species with one name (all " +
                                 std::to_string(n) + " atoms) or one name per atom, got " +
                                 std::to_string(names.size()) + " names");
        m_header = vasp_header{};
        m_header.lattice = mat3{vec3{a, 0, 0}, vec3{0, b, 0}, vec3{0, 0, c}};
        m_header.names = names;
        m_header.counts.assign(names.size(), names.size() == 1 ? n : 1);
        m_header.natoms = n;
        m_header.lattice_line = cell_line;
        m_cell = make_cell(m_src, cell_line, m_header.lattice);
        m_have_header = true;
        m_vasp46 = true;
    }

    /// One VASP 4.6 frame: blank or "Konfig=K" lines, then the coordinates.
    bool next_vasp46_frame(frame* f) {
        std::string_view line;
        std::optional<long long> step;
        for (;;) {
            if (!m_src.next(line)) return false;
            if (is_blank(line)) continue;
            if (is_configuration(line)) {
                if (const std::size_t eq = line.find('='); eq != std::string_view::npos) {
                    long long k = 0;
                    const std::string_view v = trim(line.substr(eq + 1));
                    if (!v.empty() && !to_long(v, k)) m_src.fail("expected an integer after 'Konfig=', got " + quoted(v));
                    if (!v.empty()) step = k;
                }
                continue;
            }
            m_src.unget();  // the first coordinate line
            break;
        }
        ++m_frames;
        if (!step) step = static_cast<long long>(m_frames);
        return read_block(f, step, false);
    }

    // The coordinate block of one frame: skipped when f is null (frame selection), else read.
    bool read_block(frame* f, std::optional<long long> step, bool cartesian) {
        if (f == nullptr) {
            if (!m_src.skip_lines(m_header.natoms))
                m_src.fail_eof(std::to_string(m_header.natoms) + " coordinate lines");
            return true;
        }
        reset_frame(*f);
        f->cell = *m_cell;
        f->step = step;
        read_vasp_coordinates(m_src, m_header, cartesian, false, *m_cell, *f);
        return true;
    }

    bool next_frame(frame* f) {
        if (m_vasp46) return next_vasp46_frame(f);
        std::string_view line;
        do {
            if (!m_src.next(line)) return false;
        } while (is_blank(line) && m_have_header);
        if (!m_have_header) {
            if (const std::size_t n = vasp46_atom_count(line); n > 0) {
                read_vasp46_header(n);
                return next_vasp46_frame(f);
            }
        }
        if (!is_configuration(line)) {
            read_vasp_header(m_src, m_opts, line, m_header);
            m_cell = make_cell(m_src, m_header.lattice_line, m_header.lattice);
            m_have_header = true;
            if (!m_src.next(line)) m_src.fail_eof("a 'Direct configuration=' line");
            if (!is_configuration(line))
                m_src.fail("expected a 'Direct configuration= K' line, got " + quoted(line));
        } else if (!m_have_header) {
            m_src.fail("expected an XDATCAR header (comment, scale, lattice, species, counts) before " +
                       quoted(line));
        }
        const bool cartesian = trim(line).substr(0, 1) == "C" || trim(line).substr(0, 1) == "c";
        std::optional<long long> step;
        if (const std::size_t eq = line.find('='); eq != std::string_view::npos) {
            long long k = 0;
            const std::string_view v = trim(line.substr(eq + 1));
            if (!v.empty()) {
                if (!to_long(v, k)) m_src.fail("expected an integer after 'configuration=', got " + quoted(v));
                step = k;
            }
        }
        return read_block(f, step, cartesian);
    }

    line_source& m_src;
    const read_options& m_opts;
    vasp_header m_header;
    std::optional<materia::cell> m_cell;
    bool m_have_header = false;
    bool m_vasp46 = false;    // VASP 4.6 header: frames are blank/"Konfig=" lines + coordinates
    std::size_t m_frames = 0;  // frames of a VASP 4.6 file so far (their step without "Konfig=")
};

}  // namespace materia::io::detail
