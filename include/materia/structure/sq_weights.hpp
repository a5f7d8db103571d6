// materia/structure/sq_weights.hpp — scattering weights for structure factors: X-ray form factors
// (Waasmaier–Kirfel), neutron coherent scattering lengths, and Faber–Ziman weights.
//
// Entry points: materia::sq_weighting (number | xray | neutron), find_element(name),
// xray_form_factor(name, q), neutron_scattering_length(name), scattering_factor(weighting, name, q),
// faber_ziman_weights(c, f), weighting_source(weighting).
//
// Conventions (SCIENCE.md §2.1): q = 4π sinθ/λ in Å⁻¹, s = q/(4π); f0(s) = c + Σ a_i exp(−b_i s²)
// in electrons; b_c in fm.  Faber–Ziman weights of ORDERED pairs, w_ab = c_a c_b f_a f_b / ⟨f⟩²,
// sum to 1; the weight of an unordered cross pair a ≠ b is 2 w_ab.
#pragma once

#include <materia/core/error.hpp>
#include <materia/structure/scattering_tables.hpp>

#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace materia {

/// How atoms are weighted in a total structure factor.
enum class sq_weighting {
    number,   ///< every atom weight 1: the number–number S(q)
    xray,     ///< Waasmaier–Kirfel X-ray form factor f0(q) (electrons), q-dependent
    neutron   ///< neutron coherent scattering length b_c (fm), q-independent
};

/// Text name of a weighting ("number", "xray", "neutron").
[[nodiscard]] inline std::string_view to_string(sq_weighting w) noexcept {
    switch (w) {
        case sq_weighting::xray: return "xray";
        case sq_weighting::neutron: return "neutron";
        default: return "number";
    }
}

/// The table a weighting uses, for output metadata.
[[nodiscard]] inline std::string weighting_source(sq_weighting w) {
    switch (w) {
        case sq_weighting::xray: return std::string(scattering_tables::xray_source);
        case sq_weighting::neutron: return std::string(scattering_tables::neutron_source);
        default: return "number weighting (f = 1 for every atom)";
    }
}

namespace detail {
/// "si" / "SI" / "Si12" / "Si_a" → "Si": leading letters, first upper, the rest lower, at most 2.
inline std::string element_symbol_of(std::string_view name) {
    std::string s;
    for (char ch : name) {
        if (!std::isalpha(static_cast<unsigned char>(ch))) break;
        s.push_back(ch);
    }
    // one- or two-letter symbols; a longer alphabetic label ("Sia") falls back to its first two letters
    if (s.size() > 2) s.resize(2);
    for (std::size_t k = 0; k < s.size(); ++k)
        s[k] = static_cast<char>(k == 0 ? std::toupper(static_cast<unsigned char>(s[k]))
                                        : std::tolower(static_cast<unsigned char>(s[k])));
    return s;
}
}  // namespace detail

/// The table entry of an element by symbol.  Exact symbols ("Si", "D") match first; otherwise the
/// leading letters are used case-insensitively ("SI", "si", "Si1", "O2-" → O; a three-letter label
/// tries its first two letters, then its first letter).
/// \throws materia::invalid_argument naming the species when no element matches.
[[nodiscard]] inline const scattering_tables::element_entry& find_element(std::string_view name) {
    for (const auto& e : scattering_tables::elements)
        if (e.symbol == name) return e;
    std::string s = detail::element_symbol_of(name);
    while (!s.empty()) {
        for (const auto& e : scattering_tables::elements)
            if (e.symbol == s) return e;
        s.pop_back();
    }
    throw_invalid("find_element: species '", std::string(name), "' is not a chemical element symbol");
}

/// Waasmaier–Kirfel f0 at s = q/(4π) from coefficients.
[[nodiscard]] inline double wk_form_factor(const std::array<double, 5>& a, double c, const std::array<double, 5>& b,
                                           double q) noexcept {
    const double s = q / (4.0 * std::numbers::pi);
    const double s2 = s * s;
    double f = c;
    for (std::size_t i = 0; i < 5; ++i) f += a[i] * std::exp(-b[i] * s2);
    return f;
}

/// X-ray atomic form factor f0(q) of Waasmaier & Kirfel, Acta Cryst. A51, 416 (1995):
/// f0 = c + Σ_{i=1..5} a_i exp(−b_i s²), s = q/(4π), q in Å⁻¹; electrons.  f0(0) ≈ Z (Si 13.9989).
/// Ions of the WK table ("O2-", "Si4+") are recognised by exact name; other names map to the element.
/// Valid for 0 ≤ q ≤ 4π·6 ≈ 75.4 Å⁻¹.
/// \throws materia::invalid_argument for an unknown species, an element without WK coefficients
///         (Z > 98), or q < 0 / not finite.
[[nodiscard]] inline double xray_form_factor(std::string_view name, double q) {
    if (!(q >= 0) || !std::isfinite(q)) throw_invalid("xray_form_factor: q must be finite and >= 0 (got ", q, ")");
    for (const auto& ion : scattering_tables::ions)
        if (ion.symbol == name) return wk_form_factor(ion.a, ion.c, ion.b, q);
    const auto& e = find_element(name);
    if (!e.has_wk)
        throw_invalid("xray_form_factor: no Waasmaier-Kirfel coefficients for '", std::string(name), "' (Z = ", e.z,
                      ")");
    return wk_form_factor(e.a, e.c, e.b, q);
}

/// Neutron coherent scattering length b_c (fm) of the element with natural isotopic abundance
/// ("D", "T" for the hydrogen isotopes), Rauch & Waschkowski (2003) via periodictable.
/// E.g. H −3.7409, D 6.674, O 5.805, Si 4.15071.
/// \throws materia::invalid_argument for an unknown species or an element without a tabulated value.
[[nodiscard]] inline double neutron_scattering_length(std::string_view name) {
    const auto& e = find_element(name);
    if (!e.has_b)
        throw_invalid("neutron_scattering_length: no coherent scattering length tabulated for '", std::string(name),
                      "' (Z = ", e.z, ")");
    return e.b_coh_fm;
}

/// Scattering factor of one species at q: 1 (number), f0(q) (xray), b_c (neutron).
/// \throws materia::invalid_argument as xray_form_factor / neutron_scattering_length.
[[nodiscard]] inline double scattering_factor(sq_weighting w, std::string_view name, double q) {
    switch (w) {
        case sq_weighting::xray: return xray_form_factor(name, q);
        case sq_weighting::neutron: return neutron_scattering_length(name);
        default: return 1.0;
    }
}

/// Scattering factors of every species at q.
[[nodiscard]] inline std::vector<double> scattering_factors(sq_weighting w, const std::vector<std::string>& species,
                                                            double q) {
    std::vector<double> f;
    f.reserve(species.size());
    for (const auto& s : species) f.push_back(scattering_factor(w, s, q));
    return f;
}

/// Faber–Ziman weights of ordered pairs, w_ab = c_a c_b f_a f_b / ⟨f⟩², ⟨f⟩ = Σ c_a f_a, returned
/// row-major [a·S + b]; Σ_ab w_ab = 1.  Faber & Ziman, Phil. Mag. 11, 153 (1965).
/// Example a-SiO2, neutron (Sears b): W_SiSi 0.069353, W_SiO + W_OSi 0.387993, W_OO 0.542654.
/// \throws materia::invalid_argument when sizes differ or concentrations are negative / do not sum to 1
/// \throws materia::domain_error when ⟨f⟩ = 0 (a null-scattering mixture has no FZ normalisation)
[[nodiscard]] inline std::vector<double> faber_ziman_weights(const std::vector<double>& c, const std::vector<double>& f) {
    if (c.size() != f.size() || c.empty())
        throw_invalid("faber_ziman_weights: ", c.size(), " concentrations but ", f.size(), " scattering factors");
    double sum = 0, mean_f = 0;
    for (std::size_t a = 0; a < c.size(); ++a) {
        if (!(c[a] >= 0)) throw_invalid("faber_ziman_weights: concentration must be >= 0 (got ", c[a], ")");
        sum += c[a];
        mean_f += c[a] * f[a];
    }
    if (std::abs(sum - 1.0) > 1e-9) throw_invalid("faber_ziman_weights: concentrations must sum to 1 (got ", sum, ")");
    if (!(std::abs(mean_f) > 0))
        throw_domain("faber_ziman_weights: mean scattering factor <f> is zero (got ", mean_f, ")");
    const std::size_t s = c.size();
    std::vector<double> w(s * s);
    for (std::size_t a = 0; a < s; ++a)
        for (std::size_t b = 0; b < s; ++b) w[a * s + b] = c[a] * c[b] * f[a] * f[b] / (mean_f * mean_f);
    return w;
}

}  // namespace materia
