// tools/materia/structure_input.hpp — turn the common structure options of the CLI into reader
// options: --format, --cell, --box, --types, --species, --frames (../shared/CLI.md "Common rules").
//
// Entry points: materia::cli::read_options_from(args), frame_selection_from(args).
// Malformed option text is a usage error (exit 2) naming the option; problems with the input file
// itself surface later from the reader as materia::parse_error / invalid_argument (exit 3).
#pragma once

#include "cli.hpp"

#include <materia/core/cell.hpp>
#include <materia/io/format.hpp>
#include <materia/io/frame_selection.hpp>
#include <materia/io/read_options.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace materia::cli {

namespace detail {
/// Comma-separated fields, trimmed of spaces.
inline std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> out;
    std::size_t p = 0;
    while (true) {
        const std::size_t c = text.find(',', p);
        std::string part = text.substr(p, c == std::string::npos ? std::string::npos : c - p);
        const auto b = part.find_first_not_of(" \t");
        const auto e = part.find_last_not_of(" \t");
        out.push_back(b == std::string::npos ? std::string() : part.substr(b, e - b + 1));
        if (c == std::string::npos) break;
        p = c + 1;
    }
    return out;
}
}  // namespace detail

/// Reader options from --format, --cell ax,ay,az,bx,by,bz,cx,cy,cz, --box Lx,Ly,Lz,
/// --types 1=Sb,2=Se and --species A,B.
/// \throws cli::usage_error naming the option when its text is malformed.
inline io::read_options read_options_from(const arguments& args) {
    io::read_options o;
    const std::string& cmd = args.command();
    // --threads also parses the frames of multi-frame files in parallel (same frames, same errors)
    if (auto t = args.integer("threads")) {
        if (*t < 0) throw usage_error(cmd + ": --threads must be >= 0 (got " + std::to_string(*t) + ")");
        o.threads = static_cast<int>(*t);
    } else {
        o.threads = 0;  // all cores, as for the analyses
    }
    if (auto f = args.get("format")) {
        try {
            o.fmt = io::parse_format(*f);
        } catch (const materia::invalid_argument&) {
            throw usage_error(cmd + ": --format must be one of extxyz, xyz, poscar, xdatcar, lammps-dump, gro (got '" +
                              *f + "')");
        }
    }
    if (args.has("cell") && args.has("box"))
        throw usage_error(cmd + ": give either --cell or --box, not both");
    if (auto c = args.get("cell")) {
        const auto parts = detail::split_commas(*c);
        if (parts.size() != 9)
            throw usage_error(cmd + ": --cell needs 9 comma-separated numbers ax,ay,az,bx,by,bz,cx,cy,cz (got '" + *c +
                              "')");
        mat3 rows{};
        for (std::size_t k = 0; k < 9; ++k) rows[k / 3][k % 3] = args.parse_number(parts[k], "--cell");
        try {
            o.cell = materia::cell(rows);
        } catch (const materia::invalid_argument& e) {
            throw usage_error(cmd + ": --cell: " + e.what());
        }
    }
    if (auto b = args.get("box")) {
        const auto parts = detail::split_commas(*b);
        if (parts.size() != 3)
            throw usage_error(cmd + ": --box needs 3 comma-separated lengths Lx,Ly,Lz (got '" + *b + "')");
        std::array<double, 3> l{};
        for (std::size_t k = 0; k < 3; ++k) {
            l[k] = args.parse_number(parts[k], "--box");
            if (!(l[k] > 0)) throw usage_error(cmd + ": --box lengths must be positive (got '" + *b + "')");
        }
        o.cell = materia::cell::orthorhombic(l[0], l[1], l[2]);
    }
    if (auto t = args.get("types")) {
        for (const auto& part : detail::split_commas(*t)) {
            const auto eq = part.find_first_of("=:");
            if (eq == std::string::npos || eq == 0 || eq + 1 >= part.size())
                throw usage_error(cmd + ": --types needs TYPE=NAME pairs like 1=Sb,2=Se (got '" + *t + "')");
            const long long id = args.parse_integer(part.substr(0, eq), "--types type");
            std::string name = part.substr(eq + 1);
            if (name.find_first_of(" \t") != std::string::npos)
                throw usage_error(cmd + ": --types names must not contain spaces (got '" + *t + "')");
            if (!o.types.emplace(id, name).second)
                throw usage_error(cmd + ": --types names type " + std::to_string(id) + " twice (got '" + *t + "')");
        }
    }
    if (auto s = args.get("species")) {
        for (const auto& name : detail::split_commas(*s)) {
            if (name.empty() || name.find_first_of(" \t") != std::string::npos)
                throw usage_error(cmd + ": --species needs comma-separated names like Sb,Se (got '" + *s + "')");
            o.species.push_back(name);
        }
    }
    return o;
}

/// Frame selection from --frames START:STOP:STEP (Python slice meaning; default all frames).
/// \throws cli::usage_error naming --frames when the text is malformed.
inline io::frame_selection frame_selection_from(const arguments& args) {
    auto f = args.get("frames");
    if (!f) return {};
    try {
        return io::frame_selection::parse(*f);
    } catch (const materia::invalid_argument& e) {
        throw usage_error(args.command() + ": --frames: " + e.what());
    }
}

}  // namespace materia::cli
