// materia/structure/sq_partials.hpp — partial structure factors and the conversions between the
// Faber–Ziman, Ashcroft–Langreth and Bhatia–Thornton conventions, plus weighted totals.
//
// Entry points: materia::sq_partials (FZ partials on a q grid), faber_ziman_total(partials, weighting),
// ashcroft_langreth_from_faber_ziman / faber_ziman_from_ashcroft_langreth,
// bhatia_thornton_from_faber_ziman / faber_ziman_from_bhatia_thornton (binary systems).
//
// Conventions (SCIENCE.md §2.1):
//  * Faber–Ziman: S_ab(q) = 1 + 4πρ0 ∫ r² [g_ab − 1] sin(qr)/(qr) dr → 1 at large q, S_ab = S_ba;
//    total S(q) = Σ_ab w_ab S_ab with w_ab = c_a c_b f_a f_b/⟨f⟩² (ordered pairs);
//  * Ashcroft–Langreth: S^AL_ab = δ_ab + sqrt(c_a c_b) [S^FZ_ab − 1];
//  * Bhatia–Thornton (binary, c = c_1): S_NN = c² S_11 + (1−c)² S_22 + 2c(1−c) S_12,
//    S_NC = c(1−c)[c(S_11 − S_12) − (1−c)(S_22 − S_12)], S_CC = c(1−c){1 + c(1−c)[S_11 + S_22 − 2S_12]}.
//    Bhatia & Thornton, Phys. Rev. B 2, 3004 (1970); Ashcroft & Langreth, Phys. Rev. 156, 685 (1967).
#pragma once

#include <materia/core/error.hpp>
#include <materia/structure/sq_weights.hpp>

#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace materia {

/// Partial structure factors of S species on a q grid.  Partials are stored for unordered pairs
/// a ≤ b at pair_index(a, b) (row-major upper triangle), since S_ab = S_ba.
struct sq_partials {
    std::vector<std::string> species;      ///< species names (sorted)
    std::vector<double> concentration;     ///< c_a = N_a/N, Σ = 1
    std::vector<double> q;                 ///< q grid, Å⁻¹
    std::vector<std::vector<double>> s;    ///< [pair_index(a,b)][iq]

    [[nodiscard]] std::size_t n_species() const noexcept { return species.size(); }
    [[nodiscard]] std::size_t n_pairs() const noexcept { return species.size() * (species.size() + 1) / 2; }
    /// Index of the unordered pair (a, b).
    [[nodiscard]] std::size_t pair_index(std::size_t a, std::size_t b) const noexcept {
        if (a > b) std::swap(a, b);
        return a * species.size() - a * (a + 1) / 2 + b;
    }
    /// S_ab at q index k (either order).
    [[nodiscard]] double at(std::size_t a, std::size_t b, std::size_t k) const { return s[pair_index(a, b)][k]; }

    /// \throws materia::invalid_argument when the shapes are inconsistent.
    void validate(const char* who) const {
        if (species.empty()) throw_invalid(who, ": no species");
        if (concentration.size() != species.size())
            throw_invalid(who, ": ", species.size(), " species but ", concentration.size(), " concentrations");
        if (s.size() != n_pairs()) throw_invalid(who, ": expected ", n_pairs(), " partials, got ", s.size());
        for (const auto& v : s)
            if (v.size() != q.size()) throw_invalid(who, ": a partial has ", v.size(), " values for ", q.size(), " q points");
    }
};

/// Weighted Faber–Ziman total S(q) = Σ_ab w_ab(q) S_ab(q) with the scattering factors of `weighting`
/// (X-ray form factors re-evaluated at each q).  Tends to 1 at large q when the partials do.
/// \throws materia::invalid_argument for inconsistent shapes or unknown elements (xray/neutron)
/// \throws materia::domain_error when ⟨f⟩ = 0
[[nodiscard]] inline std::vector<double> faber_ziman_total(const sq_partials& p, sq_weighting weighting) {
    p.validate("faber_ziman_total");
    const std::size_t ns = p.n_species();
    std::vector<double> out(p.q.size(), 0.0);
    std::vector<double> w;
    for (std::size_t k = 0; k < p.q.size(); ++k) {
        if (k == 0 || weighting == sq_weighting::xray)
            w = faber_ziman_weights(p.concentration, scattering_factors(weighting, p.species, p.q[k]));
        double t = 0;
        for (std::size_t a = 0; a < ns; ++a)
            for (std::size_t b = 0; b < ns; ++b) t += w[a * ns + b] * p.at(a, b, k);
        out[k] = t;
    }
    return out;
}

/// Weighted total with explicit per-species scattering factors f_a (q-independent).
/// \throws as faber_ziman_weights.
[[nodiscard]] inline std::vector<double> faber_ziman_total(const sq_partials& p, const std::vector<double>& f) {
    p.validate("faber_ziman_total");
    const auto w = faber_ziman_weights(p.concentration, f);
    const std::size_t ns = p.n_species();
    std::vector<double> out(p.q.size(), 0.0);
    for (std::size_t k = 0; k < p.q.size(); ++k)
        for (std::size_t a = 0; a < ns; ++a)
            for (std::size_t b = 0; b < ns; ++b) out[k] += w[a * ns + b] * p.at(a, b, k);
    return out;
}

/// Ashcroft–Langreth partials S^AL_ab = δ_ab + sqrt(c_a c_b)(S^FZ_ab − 1), same layout.
[[nodiscard]] inline sq_partials ashcroft_langreth_from_faber_ziman(const sq_partials& fz) {
    fz.validate("ashcroft_langreth_from_faber_ziman");
    sq_partials al = fz;
    for (std::size_t a = 0; a < fz.n_species(); ++a)
        for (std::size_t b = a; b < fz.n_species(); ++b) {
            const double f = std::sqrt(fz.concentration[a] * fz.concentration[b]);
            auto& v = al.s[al.pair_index(a, b)];
            for (double& x : v) x = (a == b ? 1.0 : 0.0) + f * (x - 1.0);
        }
    return al;
}

/// Inverse of ashcroft_langreth_from_faber_ziman: S^FZ_ab = 1 + (S^AL_ab − δ_ab)/sqrt(c_a c_b).
/// \throws materia::domain_error when a concentration is zero (the FZ partial is undefined).
[[nodiscard]] inline sq_partials faber_ziman_from_ashcroft_langreth(const sq_partials& al) {
    al.validate("faber_ziman_from_ashcroft_langreth");
    sq_partials fz = al;
    for (std::size_t a = 0; a < al.n_species(); ++a)
        for (std::size_t b = a; b < al.n_species(); ++b) {
            const double f = std::sqrt(al.concentration[a] * al.concentration[b]);
            if (!(f > 0)) throw_domain("faber_ziman_from_ashcroft_langreth: zero concentration of '", al.species[a], "' or '",
                                       al.species[b], "'");
            auto& v = fz.s[fz.pair_index(a, b)];
            for (double& x : v) x = 1.0 + (x - (a == b ? 1.0 : 0.0)) / f;
        }
    return fz;
}

/// Bhatia–Thornton number–concentration structure factors of a binary system.
struct bhatia_thornton {
    std::vector<std::string> species;  ///< the two species; c is the concentration of species[0]
    double c = 0;
    std::vector<double> q;
    std::vector<double> nn, nc, cc;    ///< S_NN, S_NC, S_CC
};

/// S_NN, S_NC, S_CC from binary Faber–Ziman partials (formulas in the file comment).
/// Without chemical order (all S_ab = S): S_NN = S, S_NC = 0, S_CC = c(1−c).
/// \throws materia::invalid_argument when there are not exactly two species.
[[nodiscard]] inline bhatia_thornton bhatia_thornton_from_faber_ziman(const sq_partials& fz) {
    fz.validate("bhatia_thornton_from_faber_ziman");
    if (fz.n_species() != 2)
        throw_invalid("bhatia_thornton_from_faber_ziman: needs exactly 2 species (got ", fz.n_species(), ")");
    bhatia_thornton bt;
    bt.species = fz.species;
    bt.c = fz.concentration[0];
    bt.q = fz.q;
    const double c = bt.c, d = 1.0 - c, cd = c * d;
    const auto& s11 = fz.s[fz.pair_index(0, 0)];
    const auto& s22 = fz.s[fz.pair_index(1, 1)];
    const auto& s12 = fz.s[fz.pair_index(0, 1)];
    for (std::size_t k = 0; k < fz.q.size(); ++k) {
        bt.nn.push_back(c * c * s11[k] + d * d * s22[k] + 2 * cd * s12[k]);
        bt.nc.push_back(cd * (c * (s11[k] - s12[k]) - d * (s22[k] - s12[k])));
        bt.cc.push_back(cd * (1.0 + cd * (s11[k] + s22[k] - 2 * s12[k])));
    }
    return bt;
}

/// Binary Faber–Ziman partials from S_NN, S_NC, S_CC (the inverse of the linear map above):
/// with u = S_NN, v = S_NC/(c(1−c)), w = (S_CC/(c(1−c)) − 1)/(c(1−c)):
/// S_11 = u + 2(1−c) v + (1−c)² w, S_22 = u − 2c v + c² w, S_12 = u + (1−2c) v − c(1−c) w.
/// \throws materia::domain_error unless 0 < c < 1; invalid_argument for inconsistent sizes.
[[nodiscard]] inline sq_partials faber_ziman_from_bhatia_thornton(const bhatia_thornton& bt) {
    if (!(bt.c > 0 && bt.c < 1)) throw_domain("faber_ziman_from_bhatia_thornton: need 0 < c < 1 (got ", bt.c, ")");
    if (bt.species.size() != 2) throw_invalid("faber_ziman_from_bhatia_thornton: needs 2 species (got ", bt.species.size(), ")");
    if (bt.nn.size() != bt.q.size() || bt.nc.size() != bt.q.size() || bt.cc.size() != bt.q.size())
        throw_invalid("faber_ziman_from_bhatia_thornton: S_NN, S_NC, S_CC and q differ in length");
    const double c = bt.c, d = 1.0 - c, cd = c * d;
    sq_partials fz;
    fz.species = bt.species;
    fz.concentration = {c, d};
    fz.q = bt.q;
    fz.s.assign(3, std::vector<double>(bt.q.size()));
    for (std::size_t k = 0; k < bt.q.size(); ++k) {
        const double u = bt.nn[k], v = bt.nc[k] / cd, w = (bt.cc[k] / cd - 1.0) / cd;
        fz.s[fz.pair_index(0, 0)][k] = u + 2 * d * v + d * d * w;
        fz.s[fz.pair_index(1, 1)][k] = u - 2 * c * v + c * c * w;
        fz.s[fz.pair_index(0, 1)][k] = u + (1 - 2 * c) * v - cd * w;
    }
    return fz;
}

}  // namespace materia
