// materia/supercon/pauli.hpp — the Pauli (Clogston–Chandrasekhar) paramagnetic limit and the Maki
// parameter α that measures it against the orbital limit.
//
// Entry points
//   pauli_coefficient_clogston (1.84 T/K), pauli_coefficient_bcs (1.86 T/K, rounded),
//   pauli_coefficient_from_gap(ratio)        Δ0/(√2 μ_B k_B⁻¹) per K; ratio 1.764 → 1.857 T/K
//   pauli_limit(tc, coefficient)             μ0H_P = coefficient·Tc (tesla)
//   pauli_limit(value_with_error tc, coeff)  with the error propagated
//   maki_alpha(hc2_orb0, h_pauli0)           α = √2·Hc2^orb(0)/H_P(0)
//   maki_alpha_from_slope(slope, coeff)      α = √2·0.69267·|dHc2/dT|/coeff ≈ 0.5324·|slope| (T/K)
//
// μ0H_P = Δ0/(√2 μ_B): with the weak-coupling BCS gap Δ0 = 1.764 k_B Tc this is 1.857 T/K·Tc; the
// customary rounded coefficient is 1.84 (Clogston 1962).  Strong coupling raises Δ0/k_BTc and the
// coefficient, so it is a parameter everywhere (SCIENCE.md §6.1).
// Ref: A. M. Clogston, Phys. Rev. Lett. 9, 266 (1962); B. S. Chandrasekhar, Appl. Phys. Lett. 1, 7
//      (1962); K. Maki, Phys. Rev. 148, 362 (1966).  Constants: CODATA 2018.
#pragma once

#include <materia/core/error.hpp>
#include <materia/supercon/hc2_slope.hpp>

#include <cmath>
#include <numbers>

namespace materia {

/// Customary Pauli-limit coefficient μ0H_P/Tc = 1.84 T/K (Clogston–Chandrasekhar, rounded).
inline constexpr double pauli_coefficient_clogston = 1.84;
/// Weak-coupling BCS coefficient rounded to 1.86 T/K (exact value: pauli_coefficient_from_gap()).
inline constexpr double pauli_coefficient_bcs = 1.86;

/// μ0H_P/Tc = (Δ0/k_BTc)·k_B/(√2 μ_B) in T/K for a given gap ratio (BCS weak coupling: 1.764).
/// k_B = 1.380649e-23 J/K (exact), μ_B = 9.2740100783e-24 J/T (CODATA 2018).
/// \throws materia::invalid_argument for a non-positive or non-finite ratio
[[nodiscard]] inline double pauli_coefficient_from_gap(double gap_ratio = 1.764) {
    if (!(gap_ratio > 0) || !std::isfinite(gap_ratio))
        throw_invalid("pauli_coefficient_from_gap: gap ratio Δ0/k_BTc must be finite and > 0 (got ", gap_ratio, ")");
    constexpr double k_B = 1.380649e-23;
    constexpr double mu_B = 9.2740100783e-24;
    return gap_ratio * k_B / (std::numbers::sqrt2 * mu_B);
}

/// Pauli-limiting field μ0H_P(0) = coefficient·Tc (tesla for Tc in K).
/// \throws materia::invalid_argument for Tc < 0, coefficient ≤ 0, or non-finite input
[[nodiscard]] inline double pauli_limit(double tc, double coefficient = pauli_coefficient_clogston) {
    if (!(tc >= 0) || !std::isfinite(tc)) throw_invalid("pauli_limit: Tc must be finite and >= 0 K (got ", tc, ")");
    if (!(coefficient > 0) || !std::isfinite(coefficient))
        throw_invalid("pauli_limit: coefficient must be finite and > 0 T/K (got ", coefficient, ")");
    return coefficient * tc;
}

/// Pauli limit with the error of Tc propagated (σ_H = coefficient·σ_Tc).
[[nodiscard]] inline value_with_error pauli_limit(const value_with_error& tc,
                                                  double coefficient = pauli_coefficient_clogston) {
    return {pauli_limit(tc.value, coefficient), coefficient * tc.error};
}

/// Maki parameter α = √2·Hc2^orb(0)/H_P(0).
/// \throws materia::invalid_argument for negative orbital field or non-positive Pauli field
[[nodiscard]] inline double maki_alpha(double hc2_orbital_zero, double h_pauli_zero) {
    if (!(hc2_orbital_zero >= 0) || !std::isfinite(hc2_orbital_zero))
        throw_invalid("maki_alpha: orbital Hc2(0) must be finite and >= 0 (got ", hc2_orbital_zero, ")");
    if (!(h_pauli_zero > 0) || !std::isfinite(h_pauli_zero))
        throw_invalid("maki_alpha: Pauli field must be finite and > 0 (got ", h_pauli_zero, ")");
    return std::numbers::sqrt2 * hc2_orbital_zero / h_pauli_zero;
}

/// Maki α from the slope at Tc alone: Hc2^orb(0) = 0.69267·Tc·|slope| and H_P = coefficient·Tc
/// give α = √2·0.69267·|slope|/coefficient (0.5324·|slope| in T/K with 1.84; Tc cancels).
/// \param slope  dHc2/dT at Tc in T/K (sign ignored)
[[nodiscard]] inline double maki_alpha_from_slope(double slope, double coefficient = pauli_coefficient_clogston) {
    if (!std::isfinite(slope)) throw_invalid("maki_alpha_from_slope: slope must be finite (got ", slope, ")");
    constexpr double h0 = 0.69267287375563603674;  // π² e^{−γ_E}/8, see supercon/whh.hpp
    return maki_alpha(h0 * std::abs(slope), coefficient);
}

}  // namespace materia
