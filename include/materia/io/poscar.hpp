// materia/io/poscar.hpp — VASP POSCAR / CONTCAR reader (and the header shared with XDATCAR).
//
// Entry points (materia::io::detail): poscar_parser (one frame), read_vasp_header() (comment,
// scale, lattice, species and counts; reused by xdatcar.hpp).
//
// Layout (VASP wiki "POSCAR"):
//   1  comment
//   2  scale: s > 0 multiplies lattice and Cartesian positions; s < 0 is the cell volume |s| in Å³
//      (the lattice is rescaled to it); three numbers scale x, y, z separately (VASP 6)
//   3–5 lattice vectors a, b, c (rows)
//   6  species names (VASP 5; "Si_pv" or "Fe/1a2b" POTCAR labels are cut at '_' or '/'); absent in
//      VASP 4, where the names come from read_options::species, else from the comment line
//   7  counts per species
//   [Selective dynamics]   (first letter S/s)
//   Direct | Cartesian     (first letter C/c/K/k means Cartesian, anything else Direct)
//   N coordinate lines: x y z [T F T] [label]
// Anything after the N coordinate lines (velocities, predictor-corrector data) is ignored.
#pragma once

#include <materia/io/frame_parser.hpp>
#include <materia/io/read_options.hpp>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace materia::io::detail {

/// The VASP header: scaled lattice, species names and counts.
struct vasp_header {
    mat3 lattice{};                      ///< rows a, b, c in Å (scale applied)
    std::array<double, 3> scale{1, 1, 1};  ///< factors applied to Cartesian coordinates
    std::vector<std::string> names;
    std::vector<std::size_t> counts;
    std::size_t natoms = 0;
    std::size_t lattice_line = 0;
};

/// Read the header after the comment line (already consumed and passed in).
inline void read_vasp_header(line_source& src, const read_options& opts, std::string_view comment,
                             vasp_header& h) {
    const std::string comment_copy(comment);  // the view dies with the next line
    std::string_view line;
    if (!src.next(line)) src.fail_eof("the scale factor line (line 2 of a VASP header)");
    {
        tokenizer tk(line);
        std::string_view t;
        std::vector<double> s;
        while (tk.next(t) && s.size() < 3) {
            if (t[0] == '!' || t[0] == '#') break;
            s.push_back(parse_double(src, t, "the scale factor"));
        }
        if (s.size() != 1 && s.size() != 3) src.fail("expected one scale factor (or three), got " + std::to_string(s.size()));
        h.scale = s.size() == 1 ? std::array<double, 3>{s[0], s[0], s[0]} : std::array<double, 3>{s[0], s[1], s[2]};
        if (s.size() == 3 && !(s[0] > 0 && s[1] > 0 && s[2] > 0))
            src.fail("expected three positive scale factors");
        if (s[0] == 0) src.fail("expected a non-zero scale factor, got 0");
    }
    const std::size_t scale_line = src.line();
    mat3 raw{};
    for (std::size_t k = 0; k < 3; ++k) {
        if (!src.next(line)) src.fail_eof("lattice vector " + std::to_string(k + 1) + " (three numbers)");
        tokenizer tk(line);
        std::string_view t;
        std::size_t d = 0;
        while (tk.next(t)) {
            if (t[0] == '!' || t[0] == '#') break;
            if (d == 3) src.fail("expected three numbers for lattice vector " + std::to_string(k + 1) + ", got more");
            raw[k][d++] = parse_double(src, t, "a lattice vector component");
        }
        if (d != 3) src.fail("expected three numbers for lattice vector " + std::to_string(k + 1) + ", got " + std::to_string(d));
    }
    h.lattice_line = src.line() - 2;
    if (h.scale[0] < 0) {
        // Negative scale = target volume: s = (|V_target| / |det raw|)^(1/3).
        const double det = materia::detail::dot(raw[0], materia::detail::cross(raw[1], raw[2]));
        if (!(std::abs(det) > 0)) src.fail_at(h.lattice_line, "expected a cell with non-zero volume");
        const double s = std::cbrt(-h.scale[0] / std::abs(det));
        if (!std::isfinite(s) || !(s > 0)) src.fail_at(scale_line, "expected a usable volume scale factor");
        h.scale = {s, s, s};
    }
    for (std::size_t k = 0; k < 3; ++k)
        for (std::size_t d = 0; d < 3; ++d) h.lattice[k][d] = raw[k][d] * h.scale[d];

    // Species line (VASP 5) or counts line (VASP 4).
    if (!src.next(line)) src.fail_eof("the species names or counts line");
    std::vector<std::string_view> fields;
    {
        tokenizer tk(line);
        std::string_view t;
        while (tk.next(t)) {
            if (t[0] == '!' || t[0] == '#') break;
            fields.push_back(t);
        }
    }
    if (fields.empty()) src.fail("expected species names or atom counts, got an empty line");
    long long probe = 0;
    h.names.clear();
    const bool vasp4 = to_long(fields[0], probe);
    if (!vasp4) {
        for (auto f : fields) {
            std::string_view name = f;
            const std::size_t cut = name.find_first_of("_/.");
            if (cut != std::string_view::npos && cut > 0) name = name.substr(0, cut);
            if (!is_element_symbol(name))
                src.fail("expected chemical element symbols on the species line, got " + quoted(f));
            h.names.emplace_back(name);
        }
        if (!src.next(line)) src.fail_eof("the atom counts line");
        fields.clear();
        tokenizer tk(line);
        std::string_view t;
        while (tk.next(t)) {
            if (t[0] == '!' || t[0] == '#') break;
            fields.push_back(t);
        }
    }
    h.counts.clear();
    h.natoms = 0;
    for (auto f : fields) {
        long long c = 0;
        if (!to_long(f, c) || c < 0 || c > (1LL << 40))
            src.fail("expected atom counts (non-negative integers), got " + quoted(f));
        h.counts.push_back(static_cast<std::size_t>(c));
        h.natoms += static_cast<std::size_t>(c);
        if (h.natoms > (std::size_t{1} << 40)) src.fail("expected a total atom count below 2^40");
    }
    if (h.natoms == 0) src.fail("expected at least one atom in the counts line");
    if (vasp4) {
        if (!opts.species.empty()) {
            if (opts.species.size() != h.counts.size())
                src.fail("VASP 4 file: " + std::to_string(h.counts.size()) + " counts, but " +
                         std::to_string(opts.species.size()) + " species names were given");
            h.names = opts.species;
        } else {
            // ASE's fallback: the comment line may list the species.
            tokenizer tk(comment_copy);
            std::string_view t;
            std::vector<std::string> guess;
            bool ok = true;
            while (tk.next(t)) {
                if (!is_element_symbol(t)) {
                    ok = false;
                    break;
                }
                guess.emplace_back(t);
            }
            if (!ok || guess.size() != h.counts.size())
                src.fail("expected a species line (VASP 5), or species names given with --species "
                         "for this VASP 4 file");
            h.names = std::move(guess);
        }
    } else if (h.names.size() != h.counts.size()) {
        src.fail("expected " + std::to_string(h.names.size()) + " atom counts (one per species), got " +
                 std::to_string(h.counts.size()));
    }
}

/// Species and positions of N coordinate lines (Direct or Cartesian).
inline void read_vasp_coordinates(line_source& src, const vasp_header& h, bool cartesian, bool selective,
                                  const materia::cell& c, frame& f) {
    reserve_atoms(f, h.natoms);
    std::size_t atom = 0;
    std::string_view line;
    for (std::size_t s = 0; s < h.counts.size(); ++s)
        for (std::size_t k = 0; k < h.counts[s]; ++k, ++atom) {
            if (!src.next(line))
                src.fail_eof("coordinate line " + std::to_string(atom + 1) + " of " + std::to_string(h.natoms));
            tokenizer tk(line);
            std::string_view t;
            vec3 x{};
            for (std::size_t d = 0; d < 3; ++d) {
                if (!tk.next(t)) src.fail("expected three coordinates, got " + std::to_string(d));
                x[d] = parse_double(src, t, "a coordinate");
            }
            if (selective) {
                for (std::size_t d = 0; d < 3; ++d) {
                    if (!tk.next(t)) break;  // flags are optional in practice
                    if (t != "T" && t != "F" && t != "t" && t != "f")
                        src.fail("expected selective-dynamics flags T or F, got " + quoted(t));
                }
            }
            if (cartesian) {
                for (std::size_t d = 0; d < 3; ++d) x[d] *= h.scale[d];
                push_position(src, f, x);
            } else {
                push_position(src, f, c.to_cartesian(x));
            }
            set_species(f, atom, h.names[s]);
        }
    f.species.resize(h.natoms);
}

/// VASP POSCAR/CONTCAR: exactly one frame.
class poscar_parser final : public frame_parser {
public:
    poscar_parser(line_source& src, const read_options& opts) : m_src(src), m_opts(opts) {}

    bool read(frame& f) override {
        if (m_done) return false;
        m_done = true;
        std::string_view line;
        if (!m_src.next(line)) return false;  // line 1 is a free comment (may be blank)
        reset_frame(f);
        vasp_header h;
        read_vasp_header(m_src, m_opts, line, h);
        f.cell = make_cell(m_src, h.lattice_line, h.lattice);
        if (!m_src.next(line)) m_src.fail_eof("'Direct' or 'Cartesian' (or 'Selective dynamics')");
        std::string_view mode = trim(line);
        bool selective = false;
        if (!mode.empty() && (mode[0] == 'S' || mode[0] == 's')) {
            selective = true;
            if (!m_src.next(line)) m_src.fail_eof("'Direct' or 'Cartesian'");
            mode = trim(line);
        }
        if (mode.empty()) m_src.fail("expected 'Direct' or 'Cartesian', got an empty line");
        const bool cartesian = mode[0] == 'C' || mode[0] == 'c' || mode[0] == 'K' || mode[0] == 'k';
        read_vasp_coordinates(m_src, h, cartesian, selective, f.cell, f);
        return true;
    }

    bool skip() override {
        frame f;
        return read(f);
    }

private:
    line_source& m_src;
    const read_options& m_opts;
    bool m_done = false;
};

}  // namespace materia::io::detail
