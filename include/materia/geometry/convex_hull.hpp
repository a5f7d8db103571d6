// materia/geometry/convex_hull.hpp — exact-predicate convex hulls: 2-D, 3-D, and the D-dimensional
// lower hull over a simplex that phase diagrams need.
//
// Entry points:
//   materia::geometry::convex_hull_2d(points)          counter-clockwise hull vertex indices
//   materia::geometry::convex_hull_3d(points)          outward-oriented triangles + hull vertices
//   materia::geometry::simplex_lower_hull<K>           lower convex hull of lifted points (y, e) with
//                                                      y in the (K−1)-simplex: facets, adjacency,
//                                                      point location (grid + visibility walk),
//                                                      barycentric weights and facet planes
//   materia::geometry::detail::quickhull<D>            the D-dimensional engine (2 ≤ D ≤ 7)
//
// Algorithm: Quickhull (Barber, Dobkin & Huhdanpaa, ACM TOMS 22, 469 (1996)) with conflict lists,
// but every visibility decision is an exact orientation predicate (predicates.hpp), so there is
// no facet merging, no joggle and no precision error: a point is inserted only if it lies
// strictly beyond a facet, points on a facet's plane are never made vertices, and coplanar input
// yields coplanar (but never zero-volume) simplicial facets.  New facets replace the visible
// vertex in place, which keeps the outward orientation without any extra test.
//
// Point location (simplex_lower_hull): the lower facets project to a triangulation of the
// simplex; a query starts at the facet stored for its cell of a uniform grid (about one cell per
// facet) and crosses any ridge that separates it from the query point, decided by exact
// orientation predicates.  In a regular triangulation such a visibility walk cannot cycle
// (Edelsbrunner, Combinatorica 10, 251 (1990)), and from a nearby start it takes O(1) expected
// steps, so a query costs O(1)–O(log F) instead of pymatgen's O(F) facet scan.  Rounded
// compositions that are collinear only in exact arithmetic give "sliver" facets of rounding-level
// width; they are walked through exactly but never used to interpolate energies.
#pragma once

#include <materia/config.hpp>
#include <materia/core/error.hpp>
#include <materia/geometry/predicates.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

namespace materia::geometry {

namespace detail {

/// D-dimensional Quickhull over a caller-owned point array (which must not move while the hull
/// object is used: facet planes keep pointers into it).
template <std::size_t D>
class quickhull {
    static_assert(D >= 2 && D <= 7, "quickhull: 2 <= D <= 7");

public:
    using point = std::array<double, D>;
    static constexpr std::uint32_t none = 0xffffffffu;

    /// A (D−1)-simplex of the hull boundary.  nb[j] is the facet across the ridge opposite v[j].
    /// Orientation: orient(v[0], …, v[D−1], q) > 0 exactly when q is strictly beyond the facet.
    struct facet {
        std::array<std::uint32_t, D> v{};
        std::array<std::uint32_t, D> nb{};
        hyperplane<D> plane;
        std::vector<std::uint32_t> conflicts;
        std::uint32_t far_point = none;
        double far_value = 0.0;
        bool alive = true;
    };

    explicit quickhull(const std::vector<point>& pts) : m_pts(pts) {}

    /// Build the hull of `simplex` (D+1 affinely independent points) and `candidates`.
    /// \throws materia::invalid_argument if the simplex is flat.
    void build(const std::array<std::uint32_t, D + 1>& simplex, const std::vector<std::uint32_t>& candidates) {
        m_facets.clear();
        m_facets.reserve(4 * (D + 1));
        for (std::size_t i = 0; i <= D; ++i) {
            facet f;
            std::size_t k = 0;
            for (std::size_t j = 0; j <= D; ++j)
                if (j != i) f.v[k++] = simplex[j];
            set_plane(f);
            const int s = f.plane.side(p(simplex[i]));
            if (s == 0) throw_invalid("quickhull: the initial simplex is flat (points are not affinely independent)");
            if (s > 0) {
                std::swap(f.v[0], f.v[1]);
                set_plane(f);
            }
            for (std::size_t pos = 0; pos < D; ++pos) {
                std::uint32_t idx = 0;
                while (simplex[idx] != f.v[pos]) ++idx;
                f.nb[pos] = idx;
            }
            m_facets.push_back(std::move(f));
        }
        for (const std::uint32_t q : candidates) {
            for (std::uint32_t fi = 0; fi < m_facets.size(); ++fi) {
                if (try_assign(fi, q)) break;
            }
        }
        std::vector<std::uint32_t> work;
        for (std::uint32_t fi = 0; fi < m_facets.size(); ++fi)
            if (!m_facets[fi].conflicts.empty()) work.push_back(fi);
        while (!work.empty()) {
            const std::uint32_t fi = work.back();
            work.pop_back();
            if (!m_facets[fi].alive || m_facets[fi].conflicts.empty()) continue;
            insert(fi, work);
        }
    }

    [[nodiscard]] const std::vector<facet>& facets() const noexcept { return m_facets; }
    [[nodiscard]] const double* p(std::uint32_t i) const noexcept { return m_pts[i].data(); }

private:
    void set_plane(facet& f) const noexcept {
        std::array<const double*, D> v{};
        for (std::size_t k = 0; k < D; ++k) v[k] = p(f.v[k]);
        f.plane.set(v);
    }

    bool try_assign(std::uint32_t fi, std::uint32_t q) {
        facet& f = m_facets[fi];
        double val = 0.0;
        if (f.plane.side(p(q), val) <= 0) return false;
        f.conflicts.push_back(q);
        if (f.far_point == none || val > f.far_value) {
            f.far_point = q;
            f.far_value = val;
        }
        return true;
    }

    struct ridge_key {
        std::array<std::uint32_t, (D > 2 ? D - 2 : 1)> k{};
        std::uint32_t facet = 0;
        std::uint32_t pos = 0;
    };

    void insert(std::uint32_t f0, std::vector<std::uint32_t>& work) {
        const std::uint32_t apex = m_facets[f0].far_point;
        ++m_iter;
        if (m_vis.size() < m_facets.size()) {
            m_vis.resize(m_facets.size() * 2, 0);
            m_tested.resize(m_facets.size() * 2, 0);
        }
        // Facets strictly visible from the apex: a connected set found by breadth-first search.
        m_visible.clear();
        m_visible.push_back(f0);
        m_vis[f0] = m_iter;
        for (std::size_t idx = 0; idx < m_visible.size(); ++idx) {
            const facet& g = m_facets[m_visible[idx]];
            for (std::size_t j = 0; j < D; ++j) {
                const std::uint32_t h = g.nb[j];
                if (m_vis[h] == m_iter || m_tested[h] == m_iter) continue;
                if (m_facets[h].plane.side(p(apex)) > 0) {
                    m_vis[h] = m_iter;
                    m_visible.push_back(h);
                } else {
                    m_tested[h] = m_iter;
                }
            }
        }
        // One new facet per horizon ridge: the visible facet with its opposite vertex replaced
        // by the apex (same orientation, see the file comment).
        m_new.clear();
        m_keys.clear();
        for (const std::uint32_t gi : m_visible) {
            for (std::size_t j = 0; j < D; ++j) {
                const std::uint32_t h = m_facets[gi].nb[j];
                if (m_vis[h] == m_iter) continue;
                facet nf;
                nf.v = m_facets[gi].v;
                nf.v[j] = apex;
                nf.nb[j] = h;
                set_plane(nf);
                const auto ni = static_cast<std::uint32_t>(m_facets.size());
                facet& hf = m_facets[h];
                for (std::size_t k = 0; k < D; ++k)
                    if (hf.nb[k] == gi) {
                        hf.nb[k] = ni;
                        break;
                    }
                for (std::size_t m = 0; m < D; ++m) {
                    if (m == j) continue;
                    ridge_key rk;
                    std::size_t c = 0;
                    for (std::size_t t = 0; t < D; ++t)
                        if (t != m && t != j) rk.k[c++] = nf.v[t];
                    for (std::size_t x = 1; x < c; ++x)  // insertion sort of at most 5 ids
                        for (std::size_t y = x; y > 0 && rk.k[y - 1] > rk.k[y]; --y) std::swap(rk.k[y - 1], rk.k[y]);
                    rk.facet = ni;
                    rk.pos = static_cast<std::uint32_t>(m);
                    m_keys.push_back(rk);
                }
                m_facets.push_back(std::move(nf));
                m_new.push_back(ni);
            }
        }
        // Ridges through the apex are shared by exactly two new facets: pair them up.
        std::sort(m_keys.begin(), m_keys.end(), [](const ridge_key& a, const ridge_key& b) { return a.k < b.k; });
        if (m_keys.size() % 2 != 0)
            throw_numerical("quickhull: inconsistent horizon (odd number of apex ridges; internal error)");
        for (std::size_t t = 0; t < m_keys.size(); t += 2) {
            if (m_keys[t].k != m_keys[t + 1].k)
                throw_numerical("quickhull: inconsistent horizon (unmatched apex ridge; internal error)");
            m_facets[m_keys[t].facet].nb[m_keys[t].pos] = m_keys[t + 1].facet;
            m_facets[m_keys[t + 1].facet].nb[m_keys[t + 1].pos] = m_keys[t].facet;
        }
        // Hand the outside points of the removed facets to the new ones.
        for (const std::uint32_t gi : m_visible) {
            std::vector<std::uint32_t> pts;
            pts.swap(m_facets[gi].conflicts);
            m_facets[gi].alive = false;
            for (const std::uint32_t q : pts) {
                if (q == apex) continue;
                for (const std::uint32_t ni : m_new)
                    if (try_assign(ni, q)) break;
            }
        }
        for (const std::uint32_t ni : m_new)
            if (!m_facets[ni].conflicts.empty()) work.push_back(ni);
    }

    const std::vector<point>& m_pts;
    std::vector<facet> m_facets;
    std::vector<std::uint32_t> m_vis, m_tested, m_visible, m_new;
    std::vector<ridge_key> m_keys;
    std::uint32_t m_iter = 0;
};

}  // namespace detail

/// Convex hull of points in the plane (Andrew's monotone chain with exact orient2d).
/// Returns the indices of the hull vertices in counter-clockwise order starting from the
/// lexicographically smallest point; collinear boundary points and duplicates are not vertices.
/// Fewer than 3 distinct points, or all collinear: the (up to 2) extreme points.
[[nodiscard]] inline std::vector<std::size_t> convex_hull_2d(const std::vector<std::array<double, 2>>& pts) {
    for (const auto& q : pts)
        if (!std::isfinite(q[0]) || !std::isfinite(q[1]))
            throw_invalid("convex_hull_2d: coordinates must be finite (got ", q[0], ", ", q[1], ")");
    std::vector<std::size_t> idx(pts.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return pts[a] < pts[b]; });
    idx.erase(std::unique(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return pts[a] == pts[b]; }),
              idx.end());
    if (idx.size() < 3) return idx;
    std::vector<std::size_t> h(2 * idx.size());
    std::size_t k = 0;
    for (std::size_t i = 0; i < idx.size(); ++i) {
        while (k >= 2 && orient2d(pts[h[k - 2]], pts[h[k - 1]], pts[idx[i]]) <= 0) --k;
        h[k++] = idx[i];
    }
    for (std::size_t i = idx.size() - 1, t = k + 1; i-- > 0;) {
        while (k >= t && orient2d(pts[h[k - 2]], pts[h[k - 1]], pts[idx[i]]) <= 0) --k;
        h[k++] = idx[i];
    }
    h.resize(k - 1);
    if (h.size() < 3) h.resize(std::min<std::size_t>(h.size(), 2));  // collinear input
    return h;
}

/// Result of convex_hull_3d.
struct convex_hull_3d_result {
    int dimension = 3;  ///< affine dimension of the input (0 … 3); triangles only when 3
    std::vector<std::size_t> vertices;  ///< hull vertex indices, ascending
    std::vector<std::array<std::size_t, 3>> triangles;  ///< outward normal (b − a) × (c − a)
};

/// Convex hull of points in space (Quickhull with exact orient3d).  Coplanar faces come out
/// triangulated; points on the boundary that are not corners are not vertices.
/// \throws materia::invalid_argument for non-finite coordinates.
[[nodiscard]] inline convex_hull_3d_result convex_hull_3d(const std::vector<std::array<double, 3>>& pts) {
    convex_hull_3d_result out;
    for (const auto& q : pts)
        if (!std::isfinite(q[0]) || !std::isfinite(q[1]) || !std::isfinite(q[2]))
            throw_invalid("convex_hull_3d: coordinates must be finite (got ", q[0], ", ", q[1], ", ", q[2], ")");
    if (pts.empty()) {
        out.dimension = -1;
        return out;
    }
    const auto n = static_cast<std::uint32_t>(pts.size());
    // Initial simplex: lexicographic extremes, then the farthest points from their line and plane
    // (floating point to choose, exact predicates to confirm).
    std::uint32_t a = 0, b = 0;
    for (std::uint32_t i = 1; i < n; ++i) {
        if (pts[i] < pts[a]) a = i;
        if (pts[b] < pts[i]) b = i;
    }
    if (pts[a] == pts[b]) {
        out.dimension = 0;
        out.vertices = {a};
        return out;
    }
    auto cross_norm = [&](std::uint32_t i) {
        const double ux = pts[b][0] - pts[a][0], uy = pts[b][1] - pts[a][1], uz = pts[b][2] - pts[a][2];
        const double vx = pts[i][0] - pts[a][0], vy = pts[i][1] - pts[a][1], vz = pts[i][2] - pts[a][2];
        const double cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx;
        return cx * cx + cy * cy + cz * cz;
    };
    auto collinear = [&](std::uint32_t i) {
        auto pr = [&](std::size_t c0, std::size_t c1, std::uint32_t q) { return std::array<double, 2>{pts[q][c0], pts[q][c1]}; };
        return orient2d(pr(0, 1, a), pr(0, 1, b), pr(0, 1, i)) == 0 && orient2d(pr(1, 2, a), pr(1, 2, b), pr(1, 2, i)) == 0 &&
               orient2d(pr(0, 2, a), pr(0, 2, b), pr(0, 2, i)) == 0;
    };
    std::uint32_t c = n;
    double best = -1.0;
    for (std::uint32_t i = 0; i < n; ++i) {
        const double v = cross_norm(i);
        if (v > best && !collinear(i)) {
            best = v;
            c = i;
        }
    }
    if (c == n) {
        out.dimension = 1;
        out.vertices = {std::min(a, b), std::max(a, b)};
        return out;
    }
    std::uint32_t d = n;
    double bestd = -1.0;
    for (std::uint32_t i = 0; i < n; ++i) {
        const int s = orient3d(pts[a], pts[b], pts[c], pts[i]);
        if (s == 0) continue;
        const double ux = pts[b][0] - pts[a][0], uy = pts[b][1] - pts[a][1], uz = pts[b][2] - pts[a][2];
        const double vx = pts[c][0] - pts[a][0], vy = pts[c][1] - pts[a][1], vz = pts[c][2] - pts[a][2];
        const double wx = pts[i][0] - pts[a][0], wy = pts[i][1] - pts[a][1], wz = pts[i][2] - pts[a][2];
        const double v = std::abs(wx * (uy * vz - uz * vy) + wy * (uz * vx - ux * vz) + wz * (ux * vy - uy * vx));
        if (v > bestd) {
            bestd = v;
            d = i;
        }
    }
    if (d == n) {
        out.dimension = 2;
        return out;
    }
    detail::quickhull<3> qh(pts);
    std::vector<std::uint32_t> cand;
    cand.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i)
        if (i != a && i != b && i != c && i != d) cand.push_back(i);
    qh.build({a, b, c, d}, cand);
    std::vector<char> used(n, 0);
    for (const auto& f : qh.facets()) {
        if (!f.alive) continue;
        out.triangles.push_back({f.v[0], f.v[1], f.v[2]});
        for (const auto v : f.v) used[v] = 1;
    }
    for (std::uint32_t i = 0; i < n; ++i)
        if (used[i]) out.vertices.push_back(i);
    return out;
}

namespace detail {

/// One facet's linear algebra: with R the k×k matrix whose row i is (1, y of vertex i) (row-major
/// in `r`) and e the vertices' energies, writes the barycentric matrix W = R^{-T} (row-major,
/// λ = W · (1, y)) and the plane c = R⁻¹ e, and returns R's reciprocal condition number (LU
/// estimate).  Deliberately not a template on k: a fixed-size Eigen LU per K (2…7) costs ~2 s of
/// compile time each in every file that includes a phase diagram; one dynamic-size LU with a
/// fixed maximum (7×7, so still no heap allocation) serves every K.
inline double solve_facet_system(std::size_t k, const double* r, const double* e, double* w, double* c) {
    using small_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, 7, 7>;
    using small_vector = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, 7, 1>;
    const auto n = static_cast<Eigen::Index>(k);
    small_matrix m(n, n);
    small_vector rhs(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < n; ++j) m(i, j) = r[i * n + j];
        rhs(i) = e[i];
    }
    const Eigen::PartialPivLU<small_matrix> lu(m);
    const small_matrix inv = lu.inverse();
    const small_vector sol = lu.solve(rhs);
    // λ = R^{-T} (1, y):  W(a, j) = R⁻¹(j, a).
    for (Eigen::Index a = 0; a < n; ++a)
        for (Eigen::Index j = 0; j < n; ++j) w[a * n + j] = inv(j, a);
    for (Eigen::Index j = 0; j < n; ++j) c[j] = sol(j);
    // Eigen's condition estimate is not reliable for an exactly singular LU (a zero pivot from a
    // facet whose corners are collinear in floating point: it returned 0.028 for one), so a zero
    // pivot or a non-finite result counts as singular outright.
    bool finite = true;
    for (Eigen::Index i = 0; i < n; ++i) finite = finite && lu.matrixLU()(i, i) != 0.0 && std::isfinite(c[i]);
    for (Eigen::Index i = 0; i < n * n; ++i) finite = finite && std::isfinite(w[i]);
    return finite ? lu.rcond() : 0.0;
}

}  // namespace detail

/// Lower convex hull of lifted points (y, e) whose y lie in the standard (K−1)-simplex
/// {y_i ≥ 0, Σ y_i ≤ 1}: the geometry of a K-component phase diagram (y = atomic fractions of
/// components 2…K, e = formation energy per atom).  Points 0 … K−1 must be the corners
/// (y = 0, e_1, …, e_{K−1}) at e = 0; only `candidates` with e < 0 can become vertices.
/// The point array is copied, so the object is self-contained.
template <std::size_t K>
class simplex_lower_hull {
    static_assert(K >= 2 && K <= 7, "simplex_lower_hull: 2 <= K <= 7 components");

public:
    using point = std::array<double, K>;  ///< (y_1 … y_{K−1}, e)
    static constexpr std::uint32_t none = 0xffffffffu;

    /// One lower facet: K vertices (indices into the point array), neighbours across the ridge
    /// opposite each vertex (`none` on the boundary of the simplex), the matrix giving barycentric
    /// weights λ = W · (1, y) and the plane e(y) = c · (1, y).
    struct facet {
        std::array<std::uint32_t, K> v{};
        std::array<std::uint32_t, K> nb{};
        std::array<double, K * K> w{};
        std::array<double, K> c{};
        int orientation = 1;  ///< sign of the projected vertices' orientation (exact)
        bool sliver = false;  ///< ill-conditioned: located through, evaluated by neighbours
        double weight_error = 1.0;  ///< bound on the rounding error of the weights
    };

    simplex_lower_hull() = default;

    /// \param pts corners first (see class comment), then any other points.
    /// \param candidates indices of points allowed on the hull (each must have e < 0 exactly;
    ///        others are ignored).  \throws materia::invalid_argument for malformed corners.
    simplex_lower_hull(std::vector<point> pts, const std::vector<std::uint32_t>& candidates) : m_pts(std::move(pts)) {
        if (m_pts.size() < K)
            throw_invalid("simplex_lower_hull: need the ", K, " corner points first (got ", m_pts.size(), " points)");
        for (std::size_t i = 0; i < K; ++i)
            for (std::size_t j = 0; j < K; ++j) {
                const double want = (j + 1 == K) ? 0.0 : (j + 1 == i ? 1.0 : 0.0);
                if (m_pts[i][j] != want)
                    throw_invalid("simplex_lower_hull: point ", i, " must be corner ", i, " at energy 0");
            }
        double emin = 0.0;
        std::vector<std::uint32_t> cand;
        cand.reserve(candidates.size());
        for (const std::uint32_t q : candidates) {
            if (q < static_cast<std::uint32_t>(K) || q >= m_pts.size()) continue;
            if (!(m_pts[q][K - 1] < 0.0)) continue;
            cand.push_back(q);
            emin = std::min(emin, m_pts[q][K - 1]);
        }
        // A point high above the centroid closes the hull; facets through it are upper facets.
        point top{};
        for (std::size_t j = 0; j + 1 < K; ++j) top[j] = 1.0 / K;
        top[K - 1] = 1.0 - emin;
        m_top = static_cast<std::uint32_t>(m_pts.size());
        m_pts.push_back(top);
        detail::quickhull<K> qh(m_pts);
        std::array<std::uint32_t, K + 1> simplex{};
        for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(K); ++i) simplex[i] = i;
        simplex[K] = m_top;
        qh.build(simplex, cand);
        extract(qh);
        build_grid();
    }

    [[nodiscard]] const std::vector<facet>& facets() const noexcept { return m_facets; }
    [[nodiscard]] const std::vector<point>& points() const noexcept { return m_pts; }
    /// Indices of the hull vertices (corners included), ascending.
    [[nodiscard]] const std::vector<std::uint32_t>& vertices() const noexcept { return m_vertices; }

    /// Barycentric weights of y (K−1 coordinates) in facet f.
    [[nodiscard]] std::array<double, K> weights(std::uint32_t f, const double* y) const noexcept {
        const facet& F = m_facets[f];
        std::array<double, K> lam{};
        for (std::size_t i = 0; i < K; ++i) {
            double s = F.w[i * K];
            for (std::size_t j = 1; j < K; ++j) s += F.w[i * K + j] * y[j - 1];
            lam[i] = s;
        }
        return lam;
    }
    /// Hull energy of facet f's plane at y.
    [[nodiscard]] double plane(std::uint32_t f, const double* y) const noexcept {
        const facet& F = m_facets[f];
        double s = F.c[0];
        for (std::size_t j = 1; j < K; ++j) s += F.c[j] * y[j - 1];
        return s;
    }

    /// The facet whose projection contains y (K−1 coordinates inside the simplex; a point
    /// outside is attributed to a boundary facet next to it).  Exact: the walk decides every step
    /// with orientation predicates, so it terminates (the projection is a regular triangulation).
    [[nodiscard]] std::uint32_t locate(const double* y) const { return walk(y, m_grid[cell(y)]); }

    /// Walk from facet `start` to the facet containing y.
    [[nodiscard]] std::uint32_t walk(const double* y, std::uint32_t start) const {
        std::uint32_t f = start;
        const std::size_t cap = 64 + 4 * m_facets.size();
        for (std::size_t step = 0; step < cap; ++step) {
            const facet& F = m_facets[f];
            std::uint32_t next = none;
            // Cheap test first: on a well-conditioned facet, clearly positive weights mean inside.
            if (!F.sliver) {
                const auto lam = weights(f, y);
                if (*std::min_element(lam.begin(), lam.end()) > F.weight_error) return f;
            }
            for (std::size_t r = 0; r < K; ++r) {
                const std::size_t i = (r + step) % K;  // rotate the start: no preferred direction
                if (F.nb[i] == none) continue;
                std::array<const double*, K> p{};
                for (std::size_t k = 0; k < K; ++k) p[k] = (k == i) ? y : m_pts[F.v[k]].data();
                if (orient<K - 1>(p) * F.orientation < 0) {
                    next = F.nb[i];
                    break;
                }
            }
            if (next == none) return f;
            f = next;
        }
        return scan(y);  // unreachable for exact walks; kept as a guard
    }

    /// Hull energy at y with the facet and barycentric weights used.  Inside a sliver facet
    /// (projected volume at rounding level, from compositions that are coplanar only in exact
    /// arithmetic) the weights are meaningless, so the highest plane of the well-conditioned
    /// facets is used instead: the lower hull is convex, i.e. the maximum of its facet planes,
    /// and a sliver is within rounding distance of its neighbours.  That fallback is a scan, but
    /// only queries lying inside a sliver (exact-rational degeneracies) take it.
    double evaluate(const double* y, std::uint32_t& f, std::array<double, K>& lam) const {
        f = locate(y);
        if (m_facets[f].sliver) f = scan(y);
        lam = weights(f, y);
        return plane(f, y);
    }

    /// Brute force over the well-conditioned facets: the one whose plane is highest at y (the
    /// lower hull is the maximum of its facet planes).
    [[nodiscard]] std::uint32_t scan(const double* y) const {
        std::uint32_t best = 0;
        double bv = -std::numeric_limits<double>::infinity();
        for (std::uint32_t f = 0; f < m_facets.size(); ++f) {
            if (m_facets[f].sliver) continue;
            const double v = plane(f, y);
            if (v > bv) {
                bv = v;
                best = f;
            }
        }
        return best;
    }

    /// Facets whose barycentric matrix has a reciprocal condition number below this are slivers.
    static constexpr double sliver_rcond = 1e-10;

private:
    void extract(const detail::quickhull<K>& qh) {
        const auto& qf = qh.facets();
        std::vector<std::uint32_t> map(qf.size(), none);
        for (std::uint32_t i = 0; i < qf.size(); ++i) {
            const auto& f = qf[i];
            if (!f.alive) continue;
            if (std::find(f.v.begin(), f.v.end(), m_top) != f.v.end()) continue;
            // Vertical facets (projection of zero volume) lie on the simplex boundary.
            std::array<const double*, K> proj{};
            for (std::size_t k = 0; k < K; ++k) proj[k] = m_pts[f.v[k]].data();
            const int o = orient_projected(proj);
            if (o == 0) continue;
            map[i] = static_cast<std::uint32_t>(m_facets.size());
            facet g;
            g.v = f.v;
            g.orientation = o;
            m_facets.push_back(g);
        }
        if (m_facets.empty()) throw_numerical("simplex_lower_hull: no lower facet (internal error)");
        std::vector<char> used(m_pts.size(), 0);
        std::uint32_t li = 0;
        for (std::uint32_t i = 0; i < qf.size(); ++i) {
            if (map[i] == none) continue;
            facet& g = m_facets[li++];
            for (std::size_t j = 0; j < K; ++j) g.nb[j] = map[qf[i].nb[j]];
            std::array<double, K * K> r{};  // row k = (1, y of vertex k)
            std::array<double, K> e{};
            for (std::size_t k = 0; k < K; ++k) {
                const auto& q = m_pts[g.v[k]];
                r[k * K] = 1.0;
                for (std::size_t j = 1; j < K; ++j) r[k * K + j] = q[j - 1];
                e[k] = q[K - 1];
                used[g.v[k]] = 1;
            }
            const double rc = detail::solve_facet_system(K, r.data(), e.data(), g.w.data(), g.c.data());
            g.sliver = !(rc > sliver_rcond);
            g.weight_error = g.sliver ? 1.0 : 64.0 * K * std::numeric_limits<double>::epsilon() / rc;
        }
        for (std::uint32_t i = 0; i < m_pts.size(); ++i)
            if (used[i]) m_vertices.push_back(i);
    }

    // Orientation of K points projected to their first K−1 coordinates.
    static int orient_projected(const std::array<const double*, K>& p) { return orient<K - 1>(p); }

    [[nodiscard]] std::size_t cell(const double* y) const noexcept {
        std::size_t idx = 0;
        for (std::size_t j = 0; j + 1 < K; ++j) {
            double t = y[j] * static_cast<double>(m_res);
            std::size_t c = 0;
            if (t > 0.0) c = std::min(m_res - 1, static_cast<std::size_t>(t));
            idx = idx * m_res + c;
        }
        return idx;
    }

    void build_grid() {
        constexpr std::size_t dims = K - 1;
        const double f = static_cast<double>(m_facets.size());
        std::size_t res = static_cast<std::size_t>(std::ceil(std::pow(f, 1.0 / static_cast<double>(dims))));
        res = std::max<std::size_t>(res, 1);
        // Cap the number of cells at about 2^21.
        while (res > 1 && std::pow(static_cast<double>(res), static_cast<double>(dims)) > 2097152.0) --res;
        m_res = res;
        std::size_t cells = 1;
        for (std::size_t d = 0; d < dims; ++d) cells *= res;
        m_grid.assign(cells, 0);
        std::uint32_t hint = 0;
        std::array<double, K> y{};
        for (std::size_t idx = 0; idx < cells; ++idx) {
            std::size_t rem = idx;
            double sum = 0.0;
            for (std::size_t j = dims; j-- > 0;) {
                const std::size_t cj = rem % res;
                rem /= res;
                y[j] = (static_cast<double>(cj) + 0.5) / static_cast<double>(res);
                sum += y[j];
            }
            if (sum > 1.0)
                for (std::size_t j = 0; j < dims; ++j) y[j] /= sum;
            hint = walk(y.data(), hint);
            m_grid[idx] = hint;
        }
    }

    std::vector<point> m_pts;
    std::uint32_t m_top = 0;
    std::vector<facet> m_facets;
    std::vector<std::uint32_t> m_vertices;
    std::vector<std::uint32_t> m_grid;
    std::size_t m_res = 1;
};

}  // namespace materia::geometry
