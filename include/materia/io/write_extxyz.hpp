// materia/io/write_extxyz.hpp — extended XYZ writer.
//
// Entry point: materia::io::write_extxyz(os, frame).
//
// Numbers are written with std::to_chars in the shortest form that reads back to the identical
// double (at most 17 significant digits), so write → read round trips are exact.  The comment line
// carries Lattice (when the cell has one), Properties=species:S:1:pos:R:3[:image:I:3], pbc, and
// time/step when the frame has them — the keys io/extxyz.hpp reads back.
#pragma once

#include <materia/core/error.hpp>
#include <materia/io/frame.hpp>

#include <charconv>
#include <cmath>
#include <ostream>
#include <string>

namespace materia::io {

namespace detail {
inline void append_number(std::string& s, double x) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);
    s.append(buf, r.ptr);
}
inline void append_number(std::string& s, long long x) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);
    s.append(buf, r.ptr);
}
}  // namespace detail

/// Write one frame as extended XYZ (ASE/libAtoms conventions; readable by ASE, OVITO and materia).
/// \throws materia::invalid_argument if species and positions differ in length, a species name is
///         empty or contains whitespace, or a coordinate is not finite.
inline void write_extxyz(std::ostream& os, const materia::frame& f) {
    const std::size_t n = f.positions.size();
    if (f.species.size() != n)
        throw_invalid("write_extxyz: ", f.species.size(), " species names for ", n, " positions");
    if (f.images && f.images->size() != n)
        throw_invalid("write_extxyz: ", f.images->size(), " image flags for ", n, " positions");
    std::string s;
    s.reserve(64 + 48 * n);
    detail::append_number(s, static_cast<long long>(n));
    s += '\n';
    if (f.cell.has_lattice()) {
        s += "Lattice=\"";
        for (std::size_t k = 0; k < 3; ++k)
            for (std::size_t d = 0; d < 3; ++d) {
                if (k + d > 0) s += ' ';
                detail::append_number(s, f.cell.matrix()[k][d]);
            }
        s += "\" ";
    }
    s += f.images ? "Properties=species:S:1:pos:R:3:image:I:3" : "Properties=species:S:1:pos:R:3";
    s += " pbc=\"";
    for (std::size_t k = 0; k < 3; ++k) {
        if (k > 0) s += ' ';
        s += f.cell.periodic(k) ? 'T' : 'F';
    }
    s += '"';
    if (f.time) {
        s += " time=";
        detail::append_number(s, *f.time);
    }
    if (f.step) {
        s += " step=";
        detail::append_number(s, *f.step);
    }
    s += '\n';
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& sp = f.species[i];
        if (sp.empty() || sp.find_first_of(" \t\r\n") != std::string::npos)
            throw_invalid("write_extxyz: species name of atom ", i, " is empty or contains whitespace ('", sp, "')");
        s += sp;
        for (double x : f.positions[i]) {
            if (!std::isfinite(x)) throw_invalid("write_extxyz: coordinate of atom ", i, " is not finite (", x, ")");
            s += ' ';
            detail::append_number(s, x);
        }
        if (f.images)
            for (int m : (*f.images)[i]) {
                s += ' ';
                detail::append_number(s, static_cast<long long>(m));
            }
        s += '\n';
        if (s.size() > (std::size_t{1} << 20)) {
            os.write(s.data(), static_cast<std::streamsize>(s.size()));
            s.clear();
        }
    }
    os.write(s.data(), static_cast<std::streamsize>(s.size()));
    if (!os) throw_invalid("write_extxyz: the output stream failed");
}

}  // namespace materia::io
