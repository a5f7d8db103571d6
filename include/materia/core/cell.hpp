// materia/core/cell.hpp — periodic (or partly open) simulation cells.
//
// Entry points: materia::cell (from three lattice vectors, lengths + angles, or an orthorhombic box),
// cell::volume(), perpendicular_widths(), to_fractional()/to_cartesian(), wrap(), minimum_image().
//
// Convention (ASE, extended XYZ): the lattice vectors a, b, c are the ROWS of the 3×3 matrix H, a
// Cartesian position is r = f·H for fractional coordinates f (a row vector), and f = r·H⁻¹.
// Lengths are in whatever unit the positions use (Å throughout the CLI).
#pragma once

#include <materia/core/error.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <numbers>

namespace materia {

using vec3 = std::array<double, 3>;
using mat3 = std::array<vec3, 3>;  ///< rows are vectors

namespace detail {
[[nodiscard]] constexpr double dot(const vec3& a, const vec3& b) noexcept {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
[[nodiscard]] constexpr vec3 cross(const vec3& a, const vec3& b) noexcept {
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
[[nodiscard]] inline double norm(const vec3& a) noexcept { return std::sqrt(dot(a, a)); }
[[nodiscard]] constexpr vec3 add(const vec3& a, const vec3& b) noexcept {
    return {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
}
[[nodiscard]] constexpr vec3 sub(const vec3& a, const vec3& b) noexcept {
    return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}
[[nodiscard]] constexpr vec3 scale(const vec3& a, double s) noexcept {
    return {a[0] * s, a[1] * s, a[2] * s};
}
}  // namespace detail

/// A simulation cell: three lattice vectors and a periodicity flag per direction.
///
/// A direction that is not periodic is never wrapped or replicated; its lattice vector still
/// defines the fractional coordinate used for binning and, when the user supplies it, the volume.
/// A fully open cell without lattice vectors (a finite cluster) is made by cell::open().
class cell {
public:
    /// A fully open cell with no lattice (a cluster).  volume() throws for it.
    cell() = default;

    /// Cell from lattice vectors given as rows a, b, c.
    /// \throws materia::invalid_argument for non-finite entries or a singular lattice.
    explicit cell(const mat3& rows, std::array<bool, 3> pbc = {true, true, true}) : m_h(rows), m_pbc(pbc) {
        for (const auto& r : rows)
            for (double x : r)
                if (!std::isfinite(x)) throw_invalid("cell: lattice vectors must be finite (got ", x, ")");
        m_has_lattice = true;
        const double det = detail::dot(rows[0], detail::cross(rows[1], rows[2]));
        const double scale = detail::norm(rows[0]) * detail::norm(rows[1]) * detail::norm(rows[2]);
        // A relative tolerance: |det| must not be negligible against the product of the lengths,
        // otherwise the vectors are (nearly) coplanar and fractional coordinates are meaningless.
        if (!(scale > 0) || !(std::abs(det) > 1e-12 * scale))
            throw_invalid("cell: lattice vectors are singular or degenerate (det = ", det,
                          ", |a||b||c| = ", scale, ")");
        m_det = det;
        // Inverse of H (rows are vectors): columns of H⁻¹ are the reciprocal vectors b_i* with
        // a_i·b_j* = δ_ij, b_1* = (b×c)/det etc.
        const vec3 r0 = detail::scale(detail::cross(rows[1], rows[2]), 1.0 / det);
        const vec3 r1 = detail::scale(detail::cross(rows[2], rows[0]), 1.0 / det);
        const vec3 r2 = detail::scale(detail::cross(rows[0], rows[1]), 1.0 / det);
        m_recip = {r0, r1, r2};
        for (int k = 0; k < 3; ++k) m_width[static_cast<std::size_t>(k)] = 1.0 / detail::norm(m_recip[static_cast<std::size_t>(k)]);
    }

    /// Orthorhombic box with edge lengths lx, ly, lz (all periodic).
    [[nodiscard]] static cell orthorhombic(double lx, double ly, double lz) {
        return cell(mat3{vec3{lx, 0, 0}, vec3{0, ly, 0}, vec3{0, 0, lz}});
    }

    /// Cell from lengths a, b, c and angles α (b∧c), β (a∧c), γ (a∧b) in degrees; a along x, b in
    /// the xy plane (the LAMMPS/ASE convention).
    [[nodiscard]] static cell from_lengths_angles(double a, double b, double c, double alpha_deg,
                                                  double beta_deg, double gamma_deg,
                                                  std::array<bool, 3> pbc = {true, true, true}) {
        for (double x : {a, b, c})
            if (!(x > 0) || !std::isfinite(x))
                throw_invalid("cell::from_lengths_angles: lengths must be positive and finite (got ", x, ")");
        for (double x : {alpha_deg, beta_deg, gamma_deg})
            if (!(x > 0 && x < 180))
                throw_invalid("cell::from_lengths_angles: angles must lie in (0, 180) degrees (got ", x, ")");
        const double d2r = std::numbers::pi / 180.0;
        const double ca = std::cos(alpha_deg * d2r), cb = std::cos(beta_deg * d2r);
        const double cg = std::cos(gamma_deg * d2r), sg = std::sin(gamma_deg * d2r);
        const double cx = c * cb;
        const double cy = c * (ca - cb * cg) / sg;
        const double cz2 = c * c - cx * cx - cy * cy;
        if (!(cz2 > 0))
            throw_invalid("cell::from_lengths_angles: the angles do not form a cell (alpha=", alpha_deg,
                          ", beta=", beta_deg, ", gamma=", gamma_deg, ")");
        return cell(mat3{vec3{a, 0, 0}, vec3{b * cg, b * sg, 0}, vec3{cx, cy, std::sqrt(cz2)}}, pbc);
    }

    /// A fully open cell (a finite cluster): no lattice, nothing periodic.
    [[nodiscard]] static cell open() { return cell(); }

    [[nodiscard]] bool has_lattice() const noexcept { return m_has_lattice; }
    [[nodiscard]] const mat3& matrix() const noexcept { return m_h; }
    [[nodiscard]] const vec3& vector(std::size_t k) const noexcept { return m_h[k]; }
    [[nodiscard]] const std::array<bool, 3>& pbc() const noexcept { return m_pbc; }
    [[nodiscard]] bool periodic(std::size_t k) const noexcept { return m_has_lattice && m_pbc[k]; }
    [[nodiscard]] bool any_periodic() const noexcept { return periodic(0) || periodic(1) || periodic(2); }
    [[nodiscard]] bool fully_periodic() const noexcept { return periodic(0) && periodic(1) && periodic(2); }
    /// Whether the lattice is left-handed (det H < 0); allowed, the volume is |det H|.
    [[nodiscard]] bool left_handed() const noexcept { return m_det < 0; }

    /// Cell volume |det H|.  \throws materia::domain_error for an open cell without lattice.
    [[nodiscard]] double volume() const {
        if (!m_has_lattice) throw_domain("cell::volume: the cell has no lattice vectors (open cluster)");
        return std::abs(m_det);
    }

    /// Perpendicular widths d_i = V / |a_j × a_k|: the distance between opposite faces.  A sphere of
    /// radius r fits in the cell without touching its own images only when r < min(d_i)/2.
    [[nodiscard]] const vec3& perpendicular_widths() const {
        if (!m_has_lattice) throw_domain("cell::perpendicular_widths: the cell has no lattice vectors");
        return m_width;
    }

    /// Largest radius for which the minimum-image convention finds every pair: min over periodic
    /// directions of d_i/2 (infinite for a cell with no periodic direction).
    [[nodiscard]] double minimum_image_radius() const {
        double r = std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < 3; ++k)
            if (periodic(k)) r = std::min(r, 0.5 * m_width[k]);
        return r;
    }

    /// Fractional coordinates f = r·H⁻¹.
    [[nodiscard]] vec3 to_fractional(const vec3& r) const noexcept {
        return {detail::dot(r, m_recip[0]), detail::dot(r, m_recip[1]), detail::dot(r, m_recip[2])};
    }
    /// Cartesian coordinates r = f·H.
    [[nodiscard]] vec3 to_cartesian(const vec3& f) const noexcept {
        vec3 r{};
        for (std::size_t k = 0; k < 3; ++k)
            for (std::size_t d = 0; d < 3; ++d) r[d] += f[k] * m_h[k][d];
        return r;
    }
    /// Reciprocal vector b_k* (column k of H⁻¹, without the 2π).
    [[nodiscard]] const vec3& reciprocal(std::size_t k) const noexcept { return m_recip[k]; }

    /// Wrap a position into the cell: fractional coordinates in [0, 1) along periodic directions.
    [[nodiscard]] vec3 wrap(const vec3& r) const noexcept {
        if (!m_has_lattice) return r;
        vec3 f = to_fractional(r);
        vec3 shift{};
        for (std::size_t k = 0; k < 3; ++k)
            if (m_pbc[k]) shift[k] = -std::floor(f[k]);
        return detail::add(r, to_cartesian(shift));
    }

    /// The shortest periodic image of a displacement d (exact for any triclinic shape).
    ///
    /// Rounding fractional coordinates alone is wrong for skewed cells (OpenMM #1831).  We round,
    /// then search every lattice translation that could still be shorter: an image shorter than the
    /// rounded one, of length L, differs from it by at most ceil(L/d_i) along direction i.
    [[nodiscard]] vec3 minimum_image(const vec3& d) const noexcept {
        if (!any_periodic()) return d;
        vec3 f = to_fractional(d);
        for (std::size_t k = 0; k < 3; ++k)
            if (m_pbc[k]) f[k] -= std::round(f[k]);
        const vec3 base = to_cartesian(f);
        const double len = detail::norm(base);
        std::array<int, 3> reach{};
        for (std::size_t k = 0; k < 3; ++k)
            reach[k] = m_pbc[k] ? static_cast<int>(std::ceil(len / m_width[k])) : 0;
        vec3 best = base;
        double best2 = detail::dot(base, base);
        for (int i = -reach[0]; i <= reach[0]; ++i)
            for (int j = -reach[1]; j <= reach[1]; ++j)
                for (int k = -reach[2]; k <= reach[2]; ++k) {
                    if (i == 0 && j == 0 && k == 0) continue;
                    const vec3 cand = detail::add(base, to_cartesian(vec3{double(i), double(j), double(k)}));
                    const double c2 = detail::dot(cand, cand);
                    if (c2 < best2) {
                        best2 = c2;
                        best = cand;
                    }
                }
        return best;
    }

    /// Cartesian translation n·H for an integer image offset.
    [[nodiscard]] vec3 translation(const std::array<int, 3>& n) const noexcept {
        return to_cartesian(vec3{double(n[0]), double(n[1]), double(n[2])});
    }

private:
    mat3 m_h{};
    mat3 m_recip{};  // m_recip[k] = b_k*, so f_k = r·b_k*
    vec3 m_width{};
    std::array<bool, 3> m_pbc{false, false, false};
    double m_det = 0;
    bool m_has_lattice = false;
};

}  // namespace materia
