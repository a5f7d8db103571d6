// materia/io/elements.hpp — chemical element symbols for validating species read from files.
//
// Entry points: materia::io::element_symbol(Z), element_number(symbol), is_element_symbol(symbol).
//
// Formats that spell out element symbols (extended XYZ species, VASP species lines, LAMMPS
// `element` columns) are checked against this table so that a typo or binary garbage is reported as
// a parse error instead of silently becoming a new "species".  "X" (Z = 0) is accepted as ASE's
// dummy atom, "D" and "T" as hydrogen isotopes.  Symbols are case-sensitive, as in ASE (ase.data.chemical_symbols).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace materia::io {

namespace detail {
/// Symbols indexed by atomic number Z = 0..118 (IUPAC 2016 names for 113–118).
inline constexpr std::array<std::string_view, 119> element_symbols = {
    "X",  "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si",
    "P",  "S",  "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu",
    "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru",
    "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr",
    "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",
    "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac",
    "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf",
    "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};
}  // namespace detail

namespace detail {
/// Slot of a one- or two-letter symbol in a 26 × 27 table: upper-case first letter, then nothing
/// or a lower-case second letter; -1 for any other text.
[[nodiscard]] constexpr int symbol_slot(std::string_view s) noexcept {
    if (s.empty() || s.size() > 2 || s[0] < 'A' || s[0] > 'Z') return -1;
    int second = 0;
    if (s.size() == 2) {
        if (s[1] < 'a' || s[1] > 'z') return -1;
        second = s[1] - 'a' + 1;
    }
    return (s[0] - 'A') * 27 + second;
}

/// Atomic number by slot (-1 where no element): a constant-time lookup, because readers check
/// the symbol of every atom line.
inline constexpr std::array<signed char, 26 * 27> element_by_slot = [] {
    std::array<signed char, 26 * 27> t{};
    for (auto& x : t) x = -1;
    for (std::size_t z = 0; z < element_symbols.size(); ++z)
        t[static_cast<std::size_t>(symbol_slot(element_symbols[z]))] = static_cast<signed char>(z);
    return t;
}();
}  // namespace detail

/// Atomic number of a symbol ("Si" → 14, "X" → 0), or -1 when it is not an element symbol.
/// The hydrogen isotopes "D" and "T" are accepted (Z = 1): real XYZ files use them (e.g. LAMMPS'
/// examples/PACKAGES/pimd/para-h2/H2.xyz), and they stay distinct species names.
[[nodiscard]] constexpr int element_number(std::string_view symbol) noexcept {
    const int slot = detail::symbol_slot(symbol);
    const int z = slot < 0 ? -1 : detail::element_by_slot[static_cast<std::size_t>(slot)];
    if (z < 0 && (symbol == "D" || symbol == "T")) return 1;  // "D" and "T" have no table slot
    return z;
}

/// Whether the text is exactly a chemical symbol (case-sensitive) or the dummy "X".
[[nodiscard]] constexpr bool is_element_symbol(std::string_view symbol) noexcept {
    return element_number(symbol) >= 0;
}

/// Symbol of atomic number Z (0..118; 0 is the dummy "X"), or an empty view when out of range.
[[nodiscard]] constexpr std::string_view element_symbol(long long z) noexcept {
    if (z < 0 || z >= static_cast<long long>(detail::element_symbols.size())) return {};
    return detail::element_symbols[static_cast<std::size_t>(z)];
}

}  // namespace materia::io
