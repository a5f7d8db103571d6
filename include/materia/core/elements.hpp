// materia/core/elements.hpp — the periodic table's symbols, shared by the structure readers
// (io/elements.hpp) and the chemistry of phase diagrams (phase/composition.hpp).
//
// Entry points (materia::detail — the public faces are io::element_number / io::element_symbol,
// which accept ASE's dummy "X" and the isotopes "D", "T", and phase::element_number /
// phase::element_symbol, which know only the real elements 1 … 118):
//   element_symbols[Z]        symbol of Z = 0 … 118 (0 = "X", IUPAC 2016 names for 113–118)
//   lookup_element(symbol)    Z of a symbol in that table ("X" → 0), −1 for anything else
//
// Why one table: the two modules had a copy each; a correction to one would silently miss the
// other.  Lookup is by a 26 × 27 slot table (capital letter, then nothing or a lower-case
// letter), because readers check the symbol of every atom line and formula parsing runs over
// millions of rows.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace materia::detail {

/// Symbols indexed by atomic number Z = 0 … 118 (0 is the dummy "X").
inline constexpr std::array<std::string_view, 119> element_symbols = {
    "X",  "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si",
    "P",  "S",  "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu",
    "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru",
    "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr",
    "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",
    "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac",
    "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf",
    "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};

/// Slot of a one- or two-letter symbol in a 26 × 27 table, −1 for any other text.
[[nodiscard]] constexpr int element_symbol_slot(std::string_view s) noexcept {
    if (s.empty() || s.size() > 2 || s[0] < 'A' || s[0] > 'Z') return -1;
    int second = 0;
    if (s.size() == 2) {
        if (s[1] < 'a' || s[1] > 'z') return -1;
        second = s[1] - 'a' + 1;
    }
    return (s[0] - 'A') * 27 + second;
}

/// Atomic number by slot (−1 where no element).
inline constexpr std::array<signed char, 26 * 27> element_by_slot = [] {
    std::array<signed char, 26 * 27> t{};
    for (auto& x : t) x = -1;
    for (std::size_t z = 0; z < element_symbols.size(); ++z)
        t[static_cast<std::size_t>(element_symbol_slot(element_symbols[z]))] = static_cast<signed char>(z);
    return t;
}();

/// Z of a symbol in element_symbols ("X" → 0, "Fe" → 26), −1 when it is not one (case-sensitive).
[[nodiscard]] constexpr int lookup_element(std::string_view symbol) noexcept {
    const int slot = element_symbol_slot(symbol);
    return slot < 0 ? -1 : element_by_slot[static_cast<std::size_t>(slot)];
}

}  // namespace materia::detail
