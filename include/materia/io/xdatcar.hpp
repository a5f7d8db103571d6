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
#pragma once

#include <materia/io/poscar.hpp>

#include <optional>
#include <string>
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

    bool next_frame(frame* f) {
        std::string_view line;
        do {
            if (!m_src.next(line)) return false;
        } while (is_blank(line) && m_have_header);
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

    line_source& m_src;
    const read_options& m_opts;
    vasp_header m_header;
    std::optional<materia::cell> m_cell;
    bool m_have_header = false;
};

}  // namespace materia::io::detail
