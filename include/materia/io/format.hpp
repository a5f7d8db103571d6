// materia/io/format.hpp — the structure-file formats materia reads, their names, and detection.
//
// Entry points: materia::io::format, parse_format(name), format_name(f),
// detect_format(path, head) (from the file name first, then from the first bytes).
//
// Detection order, from the name: *.extxyz → extxyz; *.xyz → extxyz or xyz by content; POSCAR,
// CONTCAR, *.vasp, *.poscar → poscar; XDATCAR* → xdatcar; *.dump, *.lammpstrj, dump.* → lammps_dump;
// *.gro → gro.  From content: "ITEM:" on line 1 → lammps_dump; a lone integer on line 1 → (ext)xyz;
// a lone integer on line 2 → gro; "configuration" in the head → xdatcar; a scale factor on line 2
// and three numbers on lines 3–5 → poscar.
#pragma once

#include <materia/core/error.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

namespace materia::io {

/// Structure-file formats.  xyz is plain XYZ (a cell comes from read_options::cell); it is read by
/// the same parser as extxyz, which also accepts files without Lattice/Properties.
enum class format { auto_detect, extxyz, xyz, poscar, xdatcar, lammps_dump, gro };

/// Canonical name of a format as the CLI spells it ("lammps-dump", …).
[[nodiscard]] inline std::string_view format_name(format f) noexcept {
    switch (f) {
        case format::auto_detect: return "auto";
        case format::extxyz: return "extxyz";
        case format::xyz: return "xyz";
        case format::poscar: return "poscar";
        case format::xdatcar: return "xdatcar";
        case format::lammps_dump: return "lammps-dump";
        case format::gro: return "gro";
    }
    return "unknown";
}

/// Format from its name, case-insensitive: auto, extxyz, xyz, poscar (contcar, vasp), xdatcar,
/// lammps-dump (lammps_dump, lammpstrj, dump), gro.
/// \throws materia::invalid_argument for any other name (the message lists the valid ones).
[[nodiscard]] inline format parse_format(std::string_view name) {
    std::string n(name);
    std::transform(n.begin(), n.end(), n.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (n == "auto" || n == "detect" || n.empty()) return format::auto_detect;
    if (n == "extxyz" || n == "ext-xyz" || n == "exyz") return format::extxyz;
    if (n == "xyz") return format::xyz;
    if (n == "poscar" || n == "contcar" || n == "vasp") return format::poscar;
    if (n == "xdatcar") return format::xdatcar;
    if (n == "lammps-dump" || n == "lammps_dump" || n == "lammpsdump" || n == "lammpstrj" || n == "dump" ||
        n == "lammps")
        return format::lammps_dump;
    if (n == "gro" || n == "gromacs") return format::gro;
    throw_invalid("parse_format: unknown format '", name,
                  "' (expected one of extxyz, xyz, poscar, xdatcar, lammps-dump, gro, auto)");
}

namespace detail {

[[nodiscard]] inline std::string lower(std::string_view s) {
    std::string n(s);
    std::transform(n.begin(), n.end(), n.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return n;
}

[[nodiscard]] inline bool ends_with(std::string_view s, std::string_view suffix) noexcept {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Whitespace-separated fields of a short text (detection only; the parsers tokenise in place).
[[nodiscard]] inline std::vector<std::string_view> split_ws(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\r') ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

[[nodiscard]] inline bool is_integer_text(std::string_view t) noexcept {
    long long v = 0;
    auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    return r.ec == std::errc() && r.ptr == t.data() + t.size();
}

[[nodiscard]] inline bool is_number_text(std::string_view t) noexcept {
    if (!t.empty() && t[0] == '+') t.remove_prefix(1);
    double v = 0;
    auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    return r.ec == std::errc() && r.ptr == t.data() + t.size();
}

/// Format from the file name alone (auto_detect when the name says nothing).
[[nodiscard]] inline format format_from_name(std::string_view path) {
    std::string_view base = path;
    if (auto slash = base.find_last_of('/'); slash != std::string_view::npos) base = base.substr(slash + 1);
    const std::string b = lower(base);
    if (ends_with(b, ".extxyz")) return format::extxyz;
    if (ends_with(b, ".gro")) return format::gro;
    if (b.find("xdatcar") != std::string::npos) return format::xdatcar;
    if (b.find("poscar") != std::string::npos || b.find("contcar") != std::string::npos ||
        ends_with(b, ".vasp"))
        return format::poscar;
    if (ends_with(b, ".lammpstrj") || ends_with(b, ".dump") || b.rfind("dump.", 0) == 0 ||
        ends_with(b, ".lammpsdump"))
        return format::lammps_dump;
    if (ends_with(b, ".xyz")) return format::xyz;  // refined by content below
    return format::auto_detect;
}

/// Format from the first bytes of the file (auto_detect when nothing matches).
[[nodiscard]] inline format format_from_content(std::string_view head) {
    std::vector<std::string_view> lines;
    std::size_t p = 0;
    while (p < head.size() && lines.size() < 8) {
        std::size_t nl = head.find('\n', p);
        if (nl == std::string_view::npos) nl = head.size();
        lines.push_back(head.substr(p, nl - p));
        p = nl + 1;
    }
    auto fields = [&](std::size_t k) {
        return k < lines.size() ? split_ws(lines[k]) : std::vector<std::string_view>{};
    };
    // Skip leading blank lines only for the line-1 tests (gro titles may be blank).
    std::size_t first = 0;
    while (first < lines.size() && fields(first).empty()) ++first;
    if (first >= lines.size()) return format::auto_detect;
    const auto f0 = fields(first);
    if (f0[0] == "ITEM:") return format::lammps_dump;
    if (f0.size() == 1 && is_integer_text(f0[0])) {
        const std::string l1 = first + 1 < lines.size() ? lower(lines[first + 1]) : std::string();
        if (l1.find("lattice=") != std::string::npos || l1.find("properties=") != std::string::npos)
            return format::extxyz;
        return format::xyz;
    }
    const auto f1 = fields(1);
    if (f1.size() == 1 && is_integer_text(f1[0])) return format::gro;
    if (lower(head).find("configuration") != std::string::npos) return format::xdatcar;
    if ((f1.size() == 1 || f1.size() == 3) && is_number_text(f1[0])) {
        bool lattice = true;
        for (std::size_t k = 2; k <= 4; ++k) {
            const auto fk = fields(k);
            lattice = lattice && fk.size() >= 3 && is_number_text(fk[0]) && is_number_text(fk[1]) &&
                      is_number_text(fk[2]);
        }
        if (lattice) return format::poscar;
    }
    return format::auto_detect;
}

}  // namespace detail

/// The format of a file from its name and (when the name is not decisive) its first bytes.
/// Returns auto_detect when neither tells.
[[nodiscard]] inline format detect_format(std::string_view path, std::string_view head) {
    const format by_name = detail::format_from_name(path);
    if (by_name != format::auto_detect && by_name != format::xyz) return by_name;
    const format by_content = detail::format_from_content(head);
    if (by_name == format::xyz)
        return by_content == format::extxyz ? format::extxyz : format::xyz;
    return by_content;
}

}  // namespace materia::io
