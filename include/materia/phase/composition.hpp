// materia/phase/composition.hpp — chemical formulas as element-count vectors.
//
// Entry points:
//   materia::phase::element_symbol(Z), element_number("Fe")       periodic table (Z = 1 … 118)
//   materia::phase::parse_formula("Y2ThH24")                        -> composition
//   materia::phase::parse_formula_into(text, composition&)          allocation-free re-use for bulk input
//   composition::amount(Z), total(), fraction(Z), elements(), formula()
//
// Grammar (whitespace is not allowed inside a formula):
//   formula := group+ ;  group := (Symbol | '(' formula ')' | '[' formula ']') count? ;
//   count   := digits ['.' digits] | '.' digits           (decimals such as Li0.5Fe0.5O are fine)
// A symbol is one capital letter followed by at most two lower-case letters and must be a known
// element.  Errors (materia::invalid_argument) name the formula and the 1-based character
// position: "parse_formula: unknown element symbol 'Xx' at position 3 in 'LiXxO2'".
// Counts of zero are accepted and the element is then dropped (pymatgen does the same).
#pragma once

#include <materia/core/elements.hpp>
#include <materia/core/error.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace materia::phase {

/// Chemical symbols of the elements Z = 1 … 118: element_symbols[Z − 1] (a view of the table
/// in core/elements.hpp, which also holds the dummy "X" at Z = 0).
inline constexpr std::span<const std::string_view, 118> element_symbols{materia::detail::element_symbols.data() + 1, 118};

/// Atomic number of a chemical symbol ("Fe" -> 26), or 0 if it is not an element.
[[nodiscard]] inline int element_number(std::string_view symbol) noexcept {
    const int z = materia::detail::lookup_element(symbol);  // symbol lookup is two array reads: it runs per formula term
    return z > 0 ? z : 0;
}

/// Chemical symbol of element Z (1 … 118).  \throws materia::invalid_argument outside that range.
[[nodiscard]] inline std::string_view element_symbol(int z) {
    if (z < 1 || z > 118) throw_invalid("element_symbol: atomic number must be in 1..118 (got ", z, ")");
    return element_symbols[static_cast<std::size_t>(z - 1)];
}

/// A chemical composition: element amounts (atoms per formula unit, any non-negative real) in
/// order of first appearance.  Amounts are exact for integer counts and decimal counts are
/// read with std::strtod semantics.
class composition {
public:
    /// One element and its amount.
    struct term {
        int z;          ///< atomic number
        double amount;  ///< atoms per formula unit (> 0)
    };

    composition() = default;

    /// From (symbol, amount) pairs.  \throws materia::invalid_argument for an unknown symbol or
    /// a negative / non-finite amount.
    composition(std::initializer_list<std::pair<std::string_view, double>> terms) {
        for (const auto& [sym, amt] : terms) {
            const int z = element_number(sym);
            if (z == 0) throw_invalid("composition: unknown element symbol '", sym, "'");
            add(z, amt);
        }
    }

    /// Add `amount` atoms of element z (merged with an existing term).
    /// \throws materia::invalid_argument if z is not 1..118 or the amount is negative/non-finite.
    void add(int z, double amount) {
        if (z < 1 || z > 118) throw_invalid("composition::add: atomic number must be in 1..118 (got ", z, ")");
        if (!(amount >= 0.0) || !std::isfinite(amount))
            throw_invalid("composition::add: amount of ", element_symbols[static_cast<std::size_t>(z - 1)],
                          " must be finite and >= 0 (got ", amount, ")");
        for (auto& t : m_terms)
            if (t.z == z) {
                t.amount += amount;
                return;
            }
        if (amount > 0.0) m_terms.push_back({z, amount});
    }

    void clear() noexcept { m_terms.clear(); }
    [[nodiscard]] const std::vector<term>& terms() const noexcept { return m_terms; }
    [[nodiscard]] std::size_t size() const noexcept { return m_terms.size(); }
    [[nodiscard]] bool empty() const noexcept { return m_terms.empty(); }

    /// Amount of element z (0 when absent).
    [[nodiscard]] double amount(int z) const noexcept {
        for (const auto& t : m_terms)
            if (t.z == z) return t.amount;
        return 0.0;
    }
    /// Amount of the element with this symbol (0 when absent or unknown).
    [[nodiscard]] double amount(std::string_view symbol) const noexcept { return amount(element_number(symbol)); }

    /// Total number of atoms per formula unit.
    [[nodiscard]] double total() const noexcept {
        double s = 0.0;
        for (const auto& t : m_terms) s += t.amount;
        return s;
    }

    /// Atomic fraction of element z, amount(z) / total(); 0 for an empty composition.
    [[nodiscard]] double fraction(int z) const noexcept {
        const double n = total();
        return n > 0.0 ? amount(z) / n : 0.0;
    }

    /// Symbols of the elements present, in order of first appearance.
    [[nodiscard]] std::vector<std::string> elements() const {
        std::vector<std::string> out;
        out.reserve(m_terms.size());
        for (const auto& t : m_terms) out.emplace_back(element_symbols[static_cast<std::size_t>(t.z - 1)]);
        return out;
    }

    /// A formula string ("Li2O", "Fe0.5Ni0.5"); counts of 1 are omitted, others printed with up
    /// to 12 significant digits.
    [[nodiscard]] std::string formula() const {
        std::string s;
        for (const auto& t : m_terms) {
            s += element_symbols[static_cast<std::size_t>(t.z - 1)];
            if (t.amount != 1.0) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.12g", t.amount);
                s += buf;
            }
        }
        return s;
    }

    /// Same elements with the same atomic fractions (relative tolerance `tol` on fractions).
    [[nodiscard]] bool same_reduced(const composition& o, double tol = 1e-12) const noexcept {
        if (o.size() != size()) return false;
        const double n1 = total(), n2 = o.total();
        for (const auto& t : m_terms)
            if (std::abs(t.amount / n1 - o.amount(t.z) / n2) > tol) return false;
        return true;
    }

private:
    std::vector<term> m_terms;
};

namespace detail {

[[noreturn]] inline void formula_error(std::string_view text, std::size_t pos, const std::string& what) {
    throw_invalid("parse_formula: ", what, " at position ", pos + 1, " in '", text, "'");
}

// Reads an optional count at text[pos]; returns 1 when there is none.
inline double read_count(std::string_view text, std::size_t& pos) {
    const std::size_t start = pos;
    double value = 0.0;
    bool digits = false;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        value = value * 10.0 + static_cast<double>(text[pos] - '0');
        ++pos;
        digits = true;
    }
    if (pos < text.size() && text[pos] == '.') {
        // Decimal part: re-read the whole number with strtod so that "0.1" is the correctly
        // rounded double (accumulating digit by digit would not be).
        ++pos;
        bool frac = false;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ++pos;
            frac = true;
        }
        if (!frac && !digits) formula_error(text, start, "a count needs digits");
        const std::string num(text.substr(start, pos - start));
        return std::strtod(num.c_str(), nullptr);
    }
    if (!digits) return 1.0;
    if (digits && pos - start > 15) formula_error(text, start, "count has too many digits");
    return value;
}

}  // namespace detail

/// Parse a chemical formula into `out` (cleared first; its storage is re-used, so bulk parsing
/// does not allocate).  See the file comment for the grammar.
/// \throws materia::invalid_argument naming the formula and the 1-based position of the error.
inline void parse_formula_into(std::string_view text, composition& out) {
    out.clear();
    if (text.empty()) throw_invalid("parse_formula: empty formula");
    // Terms are appended as they are read; a closing bracket multiplies the terms appended since
    // its opening bracket.  Merging of repeated elements happens once at the end.
    struct raw_term {
        int z;
        double amount;
    };
    thread_local std::vector<raw_term> raw;
    thread_local std::vector<std::pair<std::size_t, std::size_t>> open;  // (raw index, text position)
    raw.clear();
    open.clear();
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char c = text[pos];
        if (c >= 'A' && c <= 'Z') {
            const std::size_t start = pos;
            ++pos;
            while (pos < text.size() && text[pos] >= 'a' && text[pos] <= 'z' && pos - start < 3) ++pos;
            const std::string_view sym = text.substr(start, pos - start);
            const int z = element_number(sym);
            if (z == 0)
                detail::formula_error(text, start, "unknown element symbol '" + std::string(sym) + "'");
            const double n = detail::read_count(text, pos);
            raw.push_back({z, n});
        } else if (c == '(' || c == '[') {
            if (open.size() > 64) detail::formula_error(text, pos, "brackets nested too deeply");
            open.emplace_back(raw.size(), pos);
            ++pos;
        } else if (c == ')' || c == ']') {
            if (open.empty()) detail::formula_error(text, pos, std::string("unmatched '") + c + "'");
            const auto [first, opened_at] = open.back();
            const char expect = text[opened_at] == '(' ? ')' : ']';
            if (c != expect)
                detail::formula_error(text, pos, std::string("'") + c + "' does not match '" + text[opened_at] + "'");
            if (first == raw.size()) detail::formula_error(text, opened_at, "empty brackets");
            open.pop_back();
            ++pos;
            const double n = detail::read_count(text, pos);
            for (std::size_t k = first; k < raw.size(); ++k) raw[k].amount *= n;
        } else {
            detail::formula_error(text, pos, std::string("unexpected character '") + c + "'");
        }
    }
    if (!open.empty()) detail::formula_error(text, open.back().second, "unclosed bracket");
    for (const auto& t : raw) out.add(t.z, t.amount);
    if (out.empty()) throw_invalid("parse_formula: formula '", text, "' has no atoms (all counts are zero)");
}

/// Parse a chemical formula ("Y2ThH24", "Ca3(PO4)2", "Li0.5CoO2").
/// \throws materia::invalid_argument naming the formula and the position of the error.
[[nodiscard]] inline composition parse_formula(std::string_view text) {
    composition c;
    parse_formula_into(text, c);
    return c;
}

}  // namespace materia::phase
