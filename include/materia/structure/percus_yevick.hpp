// materia/structure/percus_yevick.hpp — analytic Percus–Yevick structure factor of hard spheres,
// a closed-form reference for testing and validating S(q) transforms and peak finders.
//
// Entry point: materia::percus_yevick_hard_spheres{eta, sigma}: s(q), rho_c_hat(q), s0(),
// contact_value(), density().
//
// Wertheim, Phys. Rev. Lett. 10, 321 (1963); Thiele, J. Chem. Phys. 39, 474 (1963).  With packing
// fraction η and diameter σ, x = r/σ, the direct correlation function inside the core is
//   c(x) = −λ1 − 6ηλ2 x − ½ηλ1 x³  (x < 1; 0 outside),
//   λ1 = (1+2η)²/(1−η)⁴,  λ2 = −(1+η/2)²/(1−η)⁴,
// and S(q) = 1/(1 − ρ ĉ(q)), ρ = 6η/(πσ³).  With k = qσ and I_n(k) = ∫_0^1 xⁿ sin(kx) dx,
//   ρĉ(q) = (24η/k) [−λ1 I_1 − 6ηλ2 I_2 − ½ηλ1 I_4].
// Checks (SCIENCE.md §2.4): S(0) = (1−η)⁴/(1+2η)²; η = 0.4: S(0) = 0.04, first peak at qσ = 6.6395.
#pragma once

#include <materia/core/error.hpp>

#include <cmath>
#include <numbers>

namespace materia {

/// Percus–Yevick hard-sphere fluid.
struct percus_yevick_hard_spheres {
    double eta = 0.3;    ///< packing fraction, 0 < η < 1 (physical fluid η ≲ 0.49)
    double sigma = 1.0;  ///< hard-sphere diameter (length unit of q⁻¹)

    /// \throws materia::invalid_argument unless 0 < η < 1 and σ > 0.
    percus_yevick_hard_spheres(double packing_fraction, double diameter = 1.0) : eta(packing_fraction), sigma(diameter) {
        if (!(eta > 0 && eta < 1)) throw_invalid("percus_yevick_hard_spheres: eta must be in (0, 1) (got ", eta, ")");
        if (!(sigma > 0) || !std::isfinite(sigma))
            throw_invalid("percus_yevick_hard_spheres: sigma must be > 0 (got ", sigma, ")");
    }

    /// Number density ρ = 6η/(πσ³).
    [[nodiscard]] double density() const noexcept { return 6.0 * eta / (std::numbers::pi * sigma * sigma * sigma); }
    [[nodiscard]] double lambda1() const noexcept { return (1 + 2 * eta) * (1 + 2 * eta) / std::pow(1 - eta, 4); }
    [[nodiscard]] double lambda2() const noexcept { return -(1 + eta / 2) * (1 + eta / 2) / std::pow(1 - eta, 4); }

    /// I_n(k) = ∫_0^1 xⁿ sin(kx) dx for n = 1, 2, 4 (series for small k to avoid cancellation).
    [[nodiscard]] static double sine_moment(int n, double k) noexcept {
        if (std::abs(k) < 1.0) {
            double term = k, sum = 0;  // term = (−1)^m k^{2m+1}/(2m+1)!
            for (int m = 0; m < 12; ++m) {
                sum += term / (n + 2 * m + 2);
                term *= -k * k / ((2 * m + 2) * (2 * m + 3));
            }
            return sum;
        }
        const double s = std::sin(k), c = std::cos(k);
        switch (n) {
            case 1: return (s - k * c) / (k * k);
            case 2: return (-k * k * c + 2 * k * s + 2 * c - 2) / (k * k * k);
            default: {
                const double k2 = k * k;
                return (-k2 * k2 * c + 4 * k2 * k * s + 12 * k2 * c - 24 * k * s - 24 * c + 24) / (k2 * k2 * k);
            }
        }
    }

    /// ρ ĉ(q), dimensionless.
    [[nodiscard]] double rho_c_hat(double q) const noexcept {
        const double k = std::abs(q) * sigma;
        const double l1 = lambda1(), l2 = lambda2();
        if (k < 1e-8) return 24 * eta * (-l1 / 3 - 6 * eta * l2 / 4 - 0.5 * eta * l1 / 6);
        return 24 * eta / k * (-l1 * sine_moment(1, k) - 6 * eta * l2 * sine_moment(2, k) - 0.5 * eta * l1 * sine_moment(4, k));
    }

    /// S(q) = 1/(1 − ρĉ(q)).
    [[nodiscard]] double s(double q) const noexcept { return 1.0 / (1.0 - rho_c_hat(q)); }

    /// S(0) = (1−η)⁴/(1+2η)² (the PY compressibility).
    [[nodiscard]] double s0() const noexcept { return std::pow(1 - eta, 4) / ((1 + 2 * eta) * (1 + 2 * eta)); }

    /// Contact value g(σ⁺) = (1 + η/2)/(1 − η)² (PY, virial route).
    [[nodiscard]] double contact_value() const noexcept { return (1 + eta / 2) / ((1 - eta) * (1 - eta)); }
};

}  // namespace materia
