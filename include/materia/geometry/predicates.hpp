// materia/geometry/predicates.hpp — robust orientation predicates in 1 … 7 dimensions.
//
// Entry points:
//   materia::geometry::orient2d(a, b, c), orient3d(a, b, c, d)      sign of an orientation determinant
//   materia::geometry::orient<D>(points)                             the same for D+1 points in D dimensions
//   materia::geometry::hyperplane<D>                                  a facet's plane, pre-factored for
//                                                                     many side-of-plane tests
//   materia::geometry::detail::det_sign_exact<N>(matrix)             exact sign of an N×N determinant
//
// Convention: orient(p0, …, pD) = sign det[p1 − p0; p2 − p0; …; pD − p0] (rows).  In 2-D this is
// +1 when (a, b, c) turn counter-clockwise; in 3-D it is +1 when d lies on the side of plane
// (a, b, c) into which (b − a) × (c − a) points.
//
// Method (why it is exact): a floating-point evaluation with a forward error bound decides almost
// every call; when |det| is below the bound the sign is recomputed exactly with Shewchuk's
// expansion arithmetic (J. R. Shewchuk, "Adaptive precision floating-point arithmetic and fast
// robust geometric predicates", Discrete Comput. Geom. 18, 305 (1997)) on the *homogeneous*
// (D+1)×(D+1) matrix [p_i, 1], so no rounded coordinate difference ever enters the exact path.
// The determinant is expanded by minors over column subsets (N·2^(N−1) products), with every
// intermediate a non-overlapping expansion that is compressed after each minor.  Results are
// exact for any finite double inputs as long as no intermediate overflows or underflows
// (|coordinates| between about 1e-40 and 1e40 in 7-D is always safe).  No random joggle, no
// tolerance: ties return 0.
//
// Requires IEEE-754 double arithmetic with round-to-nearest; -ffast-math breaks it (checked).
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__FAST_MATH__)
#error "materia/geometry/predicates.hpp needs exact IEEE arithmetic: do not compile with -ffast-math"
#endif

namespace materia::geometry {

namespace detail {

inline constexpr double unit_roundoff = 0x1p-53;

/// x + y = a + b exactly, x = fl(a + b) (Knuth's TwoSum; no precondition on magnitudes).
inline void two_sum(double a, double b, double& x, double& y) noexcept {
    x = a + b;
    const double bv = x - a;
    const double av = x - bv;
    y = (a - av) + (b - bv);
}

/// x + y = a · b exactly, x = fl(a · b) (fused multiply-add gives the rounding error exactly).
inline void two_product(double a, double b, double& x, double& y) noexcept {
    x = a * b;
    y = std::fma(a, b, -x);
}

/// A non-overlapping expansion: components in increasing magnitude, zeros eliminated; its value
/// is the exact sum.  Empty means zero.
using expansion = std::vector<double>;

/// h = e + b (Shewchuk's GROW-EXPANSION with zero elimination).
inline void grow_expansion(const expansion& e, double b, expansion& h) {
    h.clear();
    double q = b;
    for (const double ei : e) {
        double qn = 0, hh = 0;
        two_sum(q, ei, qn, hh);
        q = qn;
        if (hh != 0.0) h.push_back(hh);
    }
    if (q != 0.0) h.push_back(q);
}

/// h = e · b (Shewchuk's SCALE-EXPANSION with zero elimination).
inline void scale_expansion(const expansion& e, double b, expansion& h) {
    h.clear();
    if (e.empty() || b == 0.0) return;
    double q = 0, hh = 0;
    two_product(e[0], b, q, hh);
    if (hh != 0.0) h.push_back(hh);
    for (std::size_t i = 1; i < e.size(); ++i) {
        double p1 = 0, p0 = 0, sum = 0;
        two_product(e[i], b, p1, p0);
        two_sum(q, p0, sum, hh);
        if (hh != 0.0) h.push_back(hh);
        two_sum(p1, sum, q, hh);
        if (hh != 0.0) h.push_back(hh);
    }
    if (q != 0.0) h.push_back(q);
}

/// e ← compressed e (Shewchuk's COMPRESS): same value, usually far fewer components.
inline void compress(expansion& e) {
    if (e.size() < 2) return;
    std::size_t bottom = e.size() - 1;
    double q = e[bottom];
    std::vector<double> g(e.size());
    for (std::size_t k = e.size() - 1; k-- > 0;) {
        double qn = 0, r = 0;
        two_sum(q, e[k], qn, r);
        if (r != 0.0) {
            g[bottom--] = qn;
            q = r;
        } else {
            q = qn;
        }
    }
    std::size_t top = 0;
    for (std::size_t k = bottom + 1; k < e.size(); ++k) {
        double qn = 0, r = 0;
        two_sum(g[k], q, qn, r);
        if (r != 0.0) g[top++] = r;
        q = qn;
    }
    if (q != 0.0) g[top++] = q;
    g.resize(top);
    e.swap(g);
}

/// Sign of an expansion: the sign of its largest component.
[[nodiscard]] inline int sign(const expansion& e) noexcept {
    if (e.empty()) return 0;
    return e.back() > 0.0 ? 1 : (e.back() < 0.0 ? -1 : 0);
}

/// Column subsets (bit masks) of an N-column matrix ordered by size, so the expansion by minors
/// can visit all subsets of one size without a popcount per mask.
template <std::size_t N>
struct mask_order {
    std::array<std::uint16_t, (std::size_t{1} << N)> mask{};
    std::array<std::size_t, N + 2> offset{};  ///< subsets of size c are mask[offset[c] .. offset[c+1])
    constexpr mask_order() {
        std::size_t k = 0;
        for (std::size_t c = 0; c <= N; ++c) {
            offset[c] = k;
            for (std::size_t m = 0; m < (std::size_t{1} << N); ++m)
                if (static_cast<std::size_t>(std::popcount(m)) == c) mask[k++] = static_cast<std::uint16_t>(m);
        }
        offset[N + 1] = k;
    }
};
template <std::size_t N>
inline constexpr mask_order<N> mask_order_v{};

/// Exact sign of det(m) for an N×N matrix of doubles (N ≤ 8), by minors over column subsets:
/// minor(rows 0..r, columns S) = Σ_t (−1)^(r+t) m[r][S_t] · minor(rows 0..r−1, S∖S_t).
template <std::size_t N>
[[nodiscard]] int det_sign_exact(const std::array<std::array<double, N>, N>& m) {
    static_assert(N >= 1 && N <= 8, "det_sign_exact: 1 <= N <= 8");
    constexpr std::size_t full = (std::size_t{1} << N) - 1;
    constexpr const auto& order = mask_order_v<N>;
    // Thread-local scratch: the expansions keep their capacity, so repeated calls do not allocate.
    thread_local std::vector<expansion> minor;
    thread_local expansion term, acc, tmp;
    minor.resize(full + 1);
    minor[0].assign(1, 1.0);
    for (std::size_t r = 0; r < N; ++r) {
        for (std::size_t idx = order.offset[r + 1]; idx < order.offset[r + 2]; ++idx) {
            const std::size_t mask = order.mask[idx];
            acc.clear();
            std::size_t t = 0;
            for (std::size_t j = 0; j < N; ++j) {
                const std::size_t bit = std::size_t{1} << j;
                if ((mask & bit) == 0) continue;
                const expansion& sub = minor[mask ^ bit];
                const double a = m[r][j];
                if (!sub.empty() && a != 0.0) {
                    scale_expansion(sub, ((r + t) % 2 == 0) ? a : -a, term);
                    for (const double c : term) {
                        grow_expansion(acc, c, tmp);
                        acc.swap(tmp);
                    }
                }
                ++t;
            }
            compress(acc);
            minor[mask].assign(acc.begin(), acc.end());
        }
    }
    return sign(minor[full]);
}

/// Floating-point determinant and permanent of |m| (same expansion by minors), for the filter.
template <std::size_t N>
void det_and_permanent(const std::array<std::array<double, N>, N>& m, double& det, double& perm) noexcept {
    constexpr std::size_t full = (std::size_t{1} << N) - 1;
    constexpr const auto& order = mask_order_v<N>;
    std::array<double, full + 1> d{}, p{};
    d[0] = 1.0;
    p[0] = 1.0;
    for (std::size_t r = 0; r < N; ++r) {
        for (std::size_t idx = order.offset[r + 1]; idx < order.offset[r + 2]; ++idx) {
            const std::size_t mask = order.mask[idx];
            double sd = 0.0, sp = 0.0;
            std::size_t t = 0;
            for (std::size_t j = 0; j < N; ++j) {
                const std::size_t bit = std::size_t{1} << j;
                if ((mask & bit) == 0) continue;
                const double a = m[r][j];
                sd += ((r + t) % 2 == 0 ? a : -a) * d[mask ^ bit];
                sp += std::abs(a) * p[mask ^ bit];
                ++t;
            }
            d[mask] = sd;
            p[mask] = sp;
        }
    }
    det = d[full];
    perm = p[full];
}

/// Relative error bound factor for a D×D determinant of rounded differences evaluated by minors:
/// |computed − exact| ≤ bound · permanent.  (D rounding steps in the differences, D−1 in each
/// product and at most D(D+1)/2 in the nested sums, doubled for safety.)
template <std::size_t D>
inline constexpr double det_error_factor = 2.0 * static_cast<double>(D * D + 4 * D + 4) * unit_roundoff;

/// Below this permanent the filter is not trusted (protects against underflow in the products).
inline constexpr double filter_floor = 1e-280;

/// Exact orientation of D+1 points (pointers to D coordinates each) via the homogeneous matrix.
/// Exact test of an obvious dependency of the homogeneous matrix [p_i, 1]: a coordinate that is
/// the same in every row, or the first m coordinates summing to the same value in every row
/// (m = D−1 and D).  Points on a face of a simplex (phase-diagram compositions with a missing
/// element) make these the common degenerate cases, and they are decided here without the
/// expansion determinant.
template <std::size_t D>
[[nodiscard]] bool obviously_singular(const std::array<const double*, D + 1>& p) {
    for (std::size_t j = 0; j < D; ++j) {
        bool same = true;
        for (std::size_t i = 1; i <= D && same; ++i) same = (p[i][j] == p[0][j]);
        if (same) return true;
    }
    thread_local expansion e0, e, t, diff;
    for (std::size_t m = (D > 1 ? D - 1 : D); m <= D; ++m) {
        auto row_sum = [&](std::size_t i, expansion& out) {
            out.clear();
            for (std::size_t j = 0; j < m; ++j) {
                grow_expansion(out, p[i][j], t);
                out.swap(t);
            }
            compress(out);
        };
        row_sum(0, e0);
        bool same = true;
        for (std::size_t i = 1; i <= D && same; ++i) {
            row_sum(i, e);
            diff = e;
            for (const double c : e0) {
                grow_expansion(diff, -c, t);
                diff.swap(t);
            }
            same = diff.empty();
        }
        if (same) return true;
    }
    return false;
}

template <std::size_t D>
[[nodiscard]] int orient_exact(const std::array<const double*, D + 1>& p) {
    if (obviously_singular<D>(p)) return 0;
    std::array<std::array<double, D + 1>, D + 1> h{};
    for (std::size_t i = 0; i <= D; ++i) {
        for (std::size_t j = 0; j < D; ++j) h[i][j] = p[i][j];
        h[i][D] = 1.0;
    }
    // det[p_i, 1] = (−1)^D det[p_i − p_0] (subtract row 0, expand along the column of ones).
    const int s = det_sign_exact<D + 1>(h);
    return (D % 2 == 0) ? s : -s;
}

}  // namespace detail

/// Orientation of D+1 points in D dimensions (pointers to D coordinates each):
/// sign det[p1 − p0; …; pD − p0] ∈ {−1, 0, +1}, exact for finite inputs.
template <std::size_t D>
[[nodiscard]] int orient(const std::array<const double*, D + 1>& p) {
    static_assert(D >= 1 && D <= 7, "orient: 1 <= D <= 7");
    std::array<std::array<double, D>, D> a{};
    for (std::size_t i = 0; i < D; ++i)
        for (std::size_t j = 0; j < D; ++j) a[i][j] = p[i + 1][j] - p[0][j];
    double det = 0, perm = 0;
    detail::det_and_permanent<D>(a, det, perm);
    const double bound = detail::det_error_factor<D> * perm;
    if (perm > detail::filter_floor && std::abs(det) > bound) return det > 0 ? 1 : -1;
    return detail::orient_exact<D>(p);
}

/// Orientation of D+1 points given as arrays.
template <std::size_t D>
[[nodiscard]] int orient(const std::array<std::array<double, D>, D + 1>& pts) {
    std::array<const double*, D + 1> p{};
    for (std::size_t i = 0; i <= D; ++i) p[i] = pts[i].data();
    return orient<D>(p);
}

/// +1 if a, b, c turn counter-clockwise, −1 clockwise, 0 collinear (exact).
[[nodiscard]] inline int orient2d(const std::array<double, 2>& a, const std::array<double, 2>& b,
                                  const std::array<double, 2>& c) {
    return orient<2>(std::array<const double*, 3>{a.data(), b.data(), c.data()});
}

/// Sign of det[b − a; c − a; d − a] (exact): +1 if d lies on the side of plane abc into which
/// (b − a) × (c − a) points.
[[nodiscard]] inline int orient3d(const std::array<double, 3>& a, const std::array<double, 3>& b,
                                  const std::array<double, 3>& c, const std::array<double, 3>& d) {
    return orient<3>(std::array<const double*, 4>{a.data(), b.data(), c.data(), d.data()});
}

/// The hyperplane through D points in D dimensions, factored once so that the side of many
/// query points can be decided cheaply: side(q) = orient(v0, …, v_{D−1}, q), exact.
/// The normal is the vector of cofactors of the last row of det[v1 − v0; …; q − v0], so
/// value(q) = normal · (q − v0) is that determinant evaluated in floating point.
template <std::size_t D>
class hyperplane {
public:
    hyperplane() = default;

    /// Set from D vertices (pointers to D coordinates each); the pointers must stay valid for
    /// side() calls that fall back to exact arithmetic.
    void set(const std::array<const double*, D>& v) noexcept {
        m_v = v;
        for (std::size_t j = 0; j < D; ++j) m_o[j] = v[0][j];
        if constexpr (D == 1) {
            m_n[0] = 1.0;
            m_an[0] = 1.0;
        } else {
            // Minors of rows 1..D−1 (differences) over column subsets of size D−1.
            constexpr std::size_t full = (std::size_t{1} << D) - 1;
            constexpr const auto& order = detail::mask_order_v<D>;
            std::array<double, full + 1> d{}, p{};
            d[0] = 1.0;
            p[0] = 1.0;
            for (std::size_t r = 0; r + 1 < D; ++r) {
                for (std::size_t idx = order.offset[r + 1]; idx < order.offset[r + 2]; ++idx) {
                    const std::size_t mask = order.mask[idx];
                    double sd = 0.0, sp = 0.0;
                    std::size_t t = 0;
                    for (std::size_t j = 0; j < D; ++j) {
                        const std::size_t bit = std::size_t{1} << j;
                        if ((mask & bit) == 0) continue;
                        const double a = v[r + 1][j] - m_o[j];
                        sd += ((r + t) % 2 == 0 ? a : -a) * d[mask ^ bit];
                        sp += std::abs(a) * p[mask ^ bit];
                        ++t;
                    }
                    d[mask] = sd;
                    p[mask] = sp;
                }
            }
            // Last row (q − v0) expanded: det = Σ_j (−1)^(D−1+j) (q_j − o_j) minor(full ∖ j).
            for (std::size_t j = 0; j < D; ++j) {
                const std::size_t sub = full ^ (std::size_t{1} << j);
                const double sgn = ((D - 1 + j) % 2 == 0) ? 1.0 : -1.0;
                m_n[j] = sgn * d[sub];
                m_an[j] = p[sub];
            }
        }
    }

    /// Floating-point value of det[v1 − v0; …; q − v0] (proportional to the signed distance of q).
    [[nodiscard]] double value(const double* q) const noexcept {
        double s = 0.0;
        for (std::size_t j = 0; j < D; ++j) s += m_n[j] * (q[j] - m_o[j]);
        return s;
    }

    /// Exact side of q: orient(v0, …, v_{D−1}, q).  `approx` receives value(q).
    [[nodiscard]] int side(const double* q, double& approx) const {
        double s = 0.0, b = 0.0;
        for (std::size_t j = 0; j < D; ++j) {
            const double dq = q[j] - m_o[j];
            s += m_n[j] * dq;
            b += m_an[j] * std::abs(dq);
        }
        approx = s;
        if (b > detail::filter_floor && std::abs(s) > detail::det_error_factor<D> * b) return s > 0 ? 1 : -1;
        std::array<const double*, D + 1> p{};
        for (std::size_t i = 0; i < D; ++i) p[i] = m_v[i];
        p[D] = q;
        return detail::orient_exact<D>(p);
    }
    [[nodiscard]] int side(const double* q) const {
        double a = 0;
        return side(q, a);
    }

    [[nodiscard]] const std::array<double, D>& normal() const noexcept { return m_n; }

private:
    std::array<const double*, D> m_v{};
    std::array<double, D> m_o{}, m_n{}, m_an{};
};

}  // namespace materia::geometry
