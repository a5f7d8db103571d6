// materia/io/elements.hpp — chemical element symbols for validating species read from files.
//
// Entry points: materia::io::element_symbol(Z), element_number(symbol), is_element_symbol(symbol).
// The table itself is core/elements.hpp (shared with phase/composition.hpp).
//
// Formats that spell out element symbols (extended XYZ species, VASP species lines, LAMMPS
// `element` columns) are checked against this table so that a typo or binary garbage is reported as
// a parse error instead of silently becoming a new "species".  "X" (Z = 0) is accepted as ASE's
// dummy atom, "D" and "T" as hydrogen isotopes.  Symbols are case-sensitive, as in ASE (ase.data.chemical_symbols).
#pragma once

#include <materia/core/elements.hpp>

#include <cstddef>
#include <string_view>

namespace materia::io {

/// Atomic number of a symbol ("Si" → 14, "X" → 0), or -1 when it is not an element symbol.
/// The hydrogen isotopes "D" and "T" are accepted (Z = 1): real XYZ files use them (e.g. LAMMPS'
/// examples/PACKAGES/pimd/para-h2/H2.xyz), and they stay distinct species names.
[[nodiscard]] constexpr int element_number(std::string_view symbol) noexcept {
    const int z = materia::detail::lookup_element(symbol);
    if (z < 0 && (symbol == "D" || symbol == "T")) return 1;  // "D" and "T" have no table slot
    return z;
}

/// Whether the text is exactly a chemical symbol (case-sensitive) or the dummy "X".
[[nodiscard]] constexpr bool is_element_symbol(std::string_view symbol) noexcept {
    return element_number(symbol) >= 0;
}

/// Symbol of atomic number Z (0..118; 0 is the dummy "X"), or an empty view when out of range.
[[nodiscard]] constexpr std::string_view element_symbol(long long z) noexcept {
    if (z < 0 || z >= static_cast<long long>(materia::detail::element_symbols.size())) return {};
    return materia::detail::element_symbols[static_cast<std::size_t>(z)];
}

}  // namespace materia::io
