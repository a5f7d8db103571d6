// materia/neighbors/cell_list.hpp — linked-cell pair search, exact for any cutoff on any cell.
//
// Entry points: materia::cell_list (build once per frame), cell_list::for_each_pair(visitor),
// cell_list::for_each_pair_parallel(threads, make_sink), materia::for_each_pair(points, cell, r_cut, v).
//
// What "exact" means here: every pair (i, j, n) with |r_j + n·H − r_i| < r_cut is visited exactly
// once, for all lattice translations n along periodic directions — including j == i with n ≠ 0 (an
// atom's own images) and cutoffs larger than half the cell or larger than the cell itself.
//
// How: atoms are binned on a grid in fractional coordinates whose bins are about r_cut/2 wide
// (perpendicular width).  Two atoms closer than r_cut differ in fractional coordinate i by less
// than r_cut/d_i (d_i the perpendicular width of the cell), so their bins differ by at most
// K_i = ceil(r_cut / bin width) along i.  We visit the half-stencil of bin offsets within ±K
// (offset > 0 lexicographically, plus i < j inside a bin), unwrapping a periodic offset into a bin
// and an integer lattice shift.  Each (i, j, n) corresponds to exactly one unwrapped bin offset, and
// its reverse (j, i, −n) to the negated offset, so nothing is counted twice and nothing is missed.
// Offsets whose bins cannot come within r_cut of each other are pruned once per build.
//
// Speed: bins are stored column by column (z fastest), so the surviving offsets (a, b, c) with one
// (a, b) form a "row" whose bins are consecutive in memory, except where the row wraps around a
// periodic boundary.  Each atom is therefore tested against a few long contiguous slot ranges
// (segments) rather than ~50 short bins: the distance loop runs over structure-of-arrays data with
// no branches (r² into a buffer, then a branch-free compaction of the hits), and only the hits reach
// the visitor.  visit_blocks() hands those blocks out directly (the rdf kernel uses it);
// visit_bins() expands them into neighbor_pair for everyone else.
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/core/points.hpp>
#include <materia/neighbors/within_cutoff.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace materia {

/// One pair found by the search: the displacement d = r_j + n·H − r_i (in the user's original,
/// unwrapped coordinates), its squared length, and the lattice offset n of the image of j.
struct neighbor_pair {
    std::size_t i;
    std::size_t j;
    std::array<int, 3> image;
    double dx, dy, dz;
    double r2;  ///< squared distance
};

/// A linked-cell index of one frame.  Holds its own sorted copy of the coordinates (binning needs
/// them reordered); the user's container is only read during construction.
class cell_list {
public:
    /// Build the index.  \param r_cut  search radius (same length unit as positions), > 0.
    /// \throws materia::invalid_argument for r_cut ≤ 0 or non-finite coordinates.
    template <class T>
    cell_list(points_view<const T> pts, const materia::cell& box, double r_cut) {
        build(pts, box, r_cut);
    }
    template <point_set P>
    cell_list(const P& pts, const materia::cell& box, double r_cut) : cell_list(as_points(pts), box, r_cut) {}

    [[nodiscard]] std::size_t size() const noexcept { return m_n; }
    [[nodiscard]] double cutoff() const noexcept { return m_rc; }
    [[nodiscard]] std::size_t n_bins() const noexcept { return m_bin_start.empty() ? 0 : m_bin_start.size() - 1; }
    [[nodiscard]] std::array<std::size_t, 3> grid() const noexcept { return m_nb; }
    [[nodiscard]] const materia::cell& box() const noexcept { return m_cell; }

    /// Visit every pair closer than the cutoff once (half list): v(const neighbor_pair&).
    template <class Visitor>
    void for_each_pair(Visitor&& v) const {
        visit_bins(0, n_bins(), v);
    }

    /// Visit the pairs whose first atom lies in bins [b_begin, b_end) (for manual parallelism).
    template <class Visitor>
    void visit_bins(std::size_t b_begin, std::size_t b_end, Visitor& v) const;

    /// The pairs of one atom against one contiguous range of sorted slots, all with one lattice
    /// shift: for k < n_hits, slot j = j_begin + hits[k] lies within the cutoff of slot i_slot with
    /// squared distance r2[k].  Slots index the cell list's own sorted copy; atom_of(slot)
    /// gives the user's index.  The pointers are valid only during the call.
    struct pair_block {
        std::size_t i_slot;
        std::size_t j_begin;
        const std::uint32_t* hits;
        std::size_t n_hits;
        const double* r2;          ///< r2[k]: squared distance of hit k
        std::array<int, 3> shift;  ///< lattice shift of the j bin (sorted, wrapped coordinates)
    };

    /// The fast path: visit the pairs of bins [b_begin, b_end) as pair_blocks, v(const pair_block&).
    /// The same pairs as visit_bins (each unordered pair and image once), without building a
    /// neighbor_pair per pair — for kernels that need only distances (histograms).
    template <class BlockVisitor>
    void visit_blocks(std::size_t b_begin, std::size_t b_end, BlockVisitor& v) const;

    /// The user's index of the atom in sorted slot `slot`.
    [[nodiscard]] std::size_t atom_of(std::size_t slot) const noexcept { return m_order[slot]; }

    /// Parallel visit: each of `threads` chunks of bins gets its own sink from make_sink(), and the
    /// sinks are returned in chunk order for the caller to merge (deterministic for any schedule).
    template <class MakeSink>
    [[nodiscard]] auto for_each_pair_parallel(int threads, MakeSink&& make_sink) const {
        using sink_t = decltype(make_sink());
        const int t = chunk_count(resolve_threads(threads));
        std::vector<sink_t> sinks;
        sinks.reserve(static_cast<std::size_t>(t));
        for (int k = 0; k < t; ++k) sinks.push_back(make_sink());
        parallel_chunks(n_bins(), t, [&](int k, std::size_t b, std::size_t e) {
            visit_bins(b, e, sinks[static_cast<std::size_t>(k)]);
        });
        return sinks;
    }

private:
    // Offsets (a, b, c) for every c in [c_lo, c_hi]: the surviving stencil, grouped by (a, b).
    struct stencil_row {
        int a, b, c_lo, c_hi;
    };

    template <class T>
    void build(points_view<const T> pts, const materia::cell& box, double r_cut);

    std::size_t m_n = 0;
    double m_rc = 0, m_rc2 = 0;
    materia::cell m_cell;
    std::array<std::size_t, 3> m_nb{1, 1, 1};
    std::array<bool, 3> m_periodic{false, false, false};
    std::vector<std::size_t> m_bin_start;  // CSR over bins, size n_bins+1
    std::vector<std::size_t> m_order;      // sorted slot -> original atom index
    std::vector<double> m_x, m_y, m_z;     // wrapped Cartesian positions, sorted by bin
    std::vector<std::array<int, 3>> m_wrap;  // wrapped = original + m_wrap·H
    std::vector<stencil_row> m_rows;         // half stencil in rows, the (0, 0) row first
};

// ------------------------------------------------------------------------------------------------
// Implementation
// ------------------------------------------------------------------------------------------------

template <class T>
void cell_list::build(points_view<const T> pts, const materia::cell& box, double r_cut) {
    if (!(r_cut > 0) || !std::isfinite(r_cut))
        throw_invalid("cell_list: the cutoff must be positive and finite (got ", r_cut, ")");
    m_n = pts.size();
    m_rc = r_cut;
    m_rc2 = r_cut * r_cut;
    for (std::size_t i = 0; i < m_n; ++i)
        for (std::size_t k = 0; k < 3; ++k)
            if (!std::isfinite(static_cast<double>(pts(i, k))))
                throw_invalid("cell_list: coordinate ", k, " of atom ", i, " is not finite (got ",
                              static_cast<double>(pts(i, k)), ")");

    // A cluster without a lattice gets a bounding box with nothing periodic, so one code path
    // serves both.
    if (!box.has_lattice()) {
        vec3 lo{0, 0, 0}, hi{0, 0, 0};
        for (std::size_t i = 0; i < m_n; ++i)
            for (std::size_t k = 0; k < 3; ++k) {
                const double x = static_cast<double>(pts(i, k));
                if (i == 0 || x < lo[k]) lo[k] = x;
                if (i == 0 || x > hi[k]) hi[k] = x;
            }
        vec3 len{};
        for (std::size_t k = 0; k < 3; ++k) len[k] = std::max(hi[k] - lo[k], r_cut);
        m_cell = materia::cell(mat3{vec3{len[0], 0, 0}, vec3{0, len[1], 0}, vec3{0, 0, len[2]}}, {false, false, false});
    } else {
        m_cell = box;
    }
    const vec3 width = m_cell.perpendicular_widths();
    for (std::size_t k = 0; k < 3; ++k) m_periodic[k] = m_cell.periodic(k);

    // Fractional coordinates; wrap periodic directions into [0, 1) and remember the integer shift.
    std::vector<vec3> frac(m_n);
    std::vector<std::array<int, 3>> wrap(m_n, {0, 0, 0});
    vec3 fmin{0, 0, 0}, fmax{0, 0, 0};
    for (std::size_t i = 0; i < m_n; ++i) {
        vec3 f = m_cell.to_fractional(pts.point(i));
        for (std::size_t k = 0; k < 3; ++k) {
            if (m_periodic[k]) {
                const double fl = std::floor(f[k]);
                if (std::abs(fl) > 1e9)
                    throw_invalid("cell_list: atom ", i, " lies ", fl, " cells away from the origin");
                wrap[i][k] = -static_cast<int>(fl);
                f[k] -= fl;
            } else {
                if (i == 0 || f[k] < fmin[k]) fmin[k] = f[k];
                if (i == 0 || f[k] > fmax[k]) fmax[k] = f[k];
            }
        }
        frac[i] = f;
    }

    // Grid: bins about r_cut/2 wide; at most ~4 bins per atom so sparse systems stay cheap.
    constexpr double subdivision = 2.0;
    vec3 span{};      // fractional extent covered by the grid along each direction
    vec3 origin{};    // fractional coordinate of the grid's lower edge
    for (std::size_t k = 0; k < 3; ++k) {
        span[k] = m_periodic[k] ? 1.0 : std::max(fmax[k] - fmin[k], 0.0);
        origin[k] = m_periodic[k] ? 0.0 : fmin[k];
        const double extent = span[k] * width[k];
        const double nb = std::floor(extent * subdivision / r_cut);
        m_nb[k] = static_cast<std::size_t>(std::clamp(nb, 1.0, 1.0e6));
    }
    const double max_bins = 4.0 * static_cast<double>(m_n) + 64.0;
    while (static_cast<double>(m_nb[0]) * static_cast<double>(m_nb[1]) * static_cast<double>(m_nb[2]) > max_bins) {
        for (auto& nb : m_nb) nb = std::max<std::size_t>(1, (nb + 1) / 2);
    }
    std::array<int, 3> reach{};
    vec3 fwidth{};  // fractional width of one bin
    for (std::size_t k = 0; k < 3; ++k) {
        fwidth[k] = span[k] > 0 ? span[k] / static_cast<double>(m_nb[k]) : 0.0;
        const double bin_perp = fwidth[k] * width[k];
        if (bin_perp > 0) {
            // The 1e-10 margin keeps pairs at exactly r_cut·integer bin ratios from slipping past
            // the stencil through rounding of fractional coordinates.
            double kk = std::ceil(r_cut / bin_perp * (1.0 + 1e-10));
            if (!m_periodic[k]) kk = std::min(kk, static_cast<double>(m_nb[k] - 1));
            reach[k] = static_cast<int>(std::min(kk, 1.0e6));
        } else {
            reach[k] = 0;
        }
    }

    // Bin atoms (counting sort keeps the original order inside each bin: deterministic).
    const std::size_t nbins = m_nb[0] * m_nb[1] * m_nb[2];
    std::vector<std::size_t> bin_of(m_n);
    for (std::size_t i = 0; i < m_n; ++i) {
        std::array<std::size_t, 3> b{};
        for (std::size_t k = 0; k < 3; ++k) {
            double u = fwidth[k] > 0 ? (frac[i][k] - origin[k]) / fwidth[k] : 0.0;
            u = std::clamp(std::floor(u), 0.0, static_cast<double>(m_nb[k] - 1));
            b[k] = static_cast<std::size_t>(u);
        }
        bin_of[i] = (b[0] * m_nb[1] + b[1]) * m_nb[2] + b[2];
    }
    m_bin_start.assign(nbins + 1, 0);
    for (std::size_t i = 0; i < m_n; ++i) ++m_bin_start[bin_of[i] + 1];
    for (std::size_t b = 0; b < nbins; ++b) m_bin_start[b + 1] += m_bin_start[b];
    std::vector<std::size_t> fill(m_bin_start.begin(), m_bin_start.end() - 1);
    m_order.assign(m_n, 0);
    m_x.assign(m_n, 0);
    m_y.assign(m_n, 0);
    m_z.assign(m_n, 0);
    m_wrap.assign(m_n, {0, 0, 0});
    for (std::size_t i = 0; i < m_n; ++i) {
        const std::size_t slot = fill[bin_of[i]]++;
        m_order[slot] = i;
        // Wrapped position = original + integer lattice shift, so displacements are exact
        // differences of the user's coordinates plus a lattice translation.
        const vec3 r = detail::add(pts.point(i), m_cell.translation(wrap[i]));
        m_x[slot] = r[0];
        m_y[slot] = r[1];
        m_z[slot] = r[2];
        m_wrap[slot] = wrap[i];
    }

    // Half stencil with pruning: skip offsets whose bins are farther apart than r_cut everywhere.
    vec3 e[3];
    for (std::size_t k = 0; k < 3; ++k) e[k] = detail::scale(m_cell.vector(k), fwidth[k]);
    double diag = 0;  // longest diagonal of one bin
    for (int s1 = -1; s1 <= 1; s1 += 2)
        for (int s2 = -1; s2 <= 1; s2 += 2) {
            const vec3 d = detail::add(detail::add(e[0], detail::scale(e[1], s1)), detail::scale(e[2], s2));
            diag = std::max(diag, detail::norm(d));
        }
    // The zero offset belongs to the (0, 0) row; pairs inside one bin are taken with i < j.
    m_rows.clear();
    for (int a = -reach[0]; a <= reach[0]; ++a)
        for (int b = -reach[1]; b <= reach[1]; ++b) {
            stencil_row row{a, b, 1, 0};  // empty until a c survives
            for (int c = -reach[2]; c <= reach[2]; ++c) {
                const bool zero = a == 0 && b == 0 && c == 0;
                const bool positive = a > 0 || (a == 0 && (b > 0 || (b == 0 && c > 0)));
                if (!positive && !zero) continue;
                const vec3 centre = detail::add(detail::add(detail::scale(e[0], a), detail::scale(e[1], b)),
                                                detail::scale(e[2], c));
                if (!zero && detail::norm(centre) - diag >= r_cut * (1.0 + 1e-10)) continue;
                // |centre(c)| is convex in c, so the surviving c of a row form one interval.
                if (row.c_lo > row.c_hi) row.c_lo = c;
                row.c_hi = c;
            }
            if (row.c_lo > row.c_hi) continue;
            if (a == 0 && b == 0) m_rows.insert(m_rows.begin(), row);
            else m_rows.push_back(row);
        }
}

template <class BlockVisitor>
void cell_list::visit_blocks(std::size_t b_begin, std::size_t b_end, BlockVisitor& v) const {
    const auto nb1 = static_cast<long long>(m_nb[1]);
    const auto nb2 = static_cast<long long>(m_nb[2]);
    const long long nbs[3] = {static_cast<long long>(m_nb[0]), nb1, nb2};
    const double rc2 = m_rc2;
    struct segment {
        std::size_t j0, j1;
        std::array<int, 3> shift;
        vec3 s;
        bool from_self;  // the segment starts at the atom's own bin: only slots after the atom
    };
    std::vector<segment> segs;
    std::vector<double> r2buf;
    std::vector<std::uint32_t> hits;
    // floor division: the lattice shift of an unwrapped bin coordinate
    const auto floor_div = [](long long u, long long n) { return u >= 0 ? u / n : -((-u + n - 1) / n); };
    for (std::size_t bin = b_begin; bin < b_end; ++bin) {
        const std::size_t i0 = m_bin_start[bin], i1 = m_bin_start[bin + 1];
        if (i0 == i1) continue;
        const long long bz = static_cast<long long>(bin) % nb2;
        const long long by = (static_cast<long long>(bin) / nb2) % nb1;
        const long long bx = static_cast<long long>(bin) / (nb2 * nb1);
        // The contiguous slot ranges of this bin's half stencil.
        segs.clear();
        for (const auto& row : m_rows) {
            long long q[2];
            int sh[2] = {0, 0};
            bool outside = false;
            const long long u2[2] = {bx + row.a, by + row.b};
            for (std::size_t k = 0; k < 2; ++k) {
                long long u = u2[k];
                if (m_periodic[k]) {
                    const long long w = floor_div(u, nbs[k]);
                    u -= w * nbs[k];
                    sh[k] = static_cast<int>(w);
                } else if (u < 0 || u >= nbs[k]) {
                    outside = true;
                    break;
                }
                q[k] = u;
            }
            if (outside) continue;
            const auto column = static_cast<std::size_t>((q[0] * nb1 + q[1]) * nb2);
            long long lo = bz + row.c_lo, hi = bz + row.c_hi;
            if (!m_periodic[2]) {
                lo = std::max(lo, 0LL);
                hi = std::min(hi, nb2 - 1);
                if (lo > hi) continue;
            }
            const bool zero_row = row.a == 0 && row.b == 0;
            // One segment per periodic image of the column that the row's c-range touches.
            for (long long w = m_periodic[2] ? floor_div(lo, nb2) : 0, w1 = m_periodic[2] ? floor_div(hi, nb2) : 0;
                 w <= w1; ++w) {
                const long long zlo = std::max(lo - w * nb2, 0LL), zhi = std::min(hi - w * nb2, nb2 - 1);
                const std::size_t j0 = m_bin_start[column + static_cast<std::size_t>(zlo)];
                const std::size_t j1 = m_bin_start[column + static_cast<std::size_t>(zhi) + 1];
                const bool from_self = zero_row && w == 0 && zlo == bz;
                if (j0 == j1) continue;
                const std::array<int, 3> shift{sh[0], sh[1], static_cast<int>(w)};
                segs.push_back({j0, j1, shift, m_cell.translation(shift), from_self});
            }
        }
        for (std::size_t a = i0; a < i1; ++a) {
            for (const auto& sg : segs) {
                const std::size_t jb = sg.from_self ? a + 1 : sg.j0;
                if (jb >= sg.j1) continue;
                const std::size_t m = sg.j1 - jb;
                if (r2buf.size() < m + detail::select_within_slack) {
                    r2buf.resize(m + detail::select_within_slack);
                    hits.resize(m + detail::select_within_slack);
                }
                // x_j − (x_i − s): the same arithmetic whichever kernel runs (within_cutoff.hpp).
                const double xi = m_x[a] - sg.s[0], yi = m_y[a] - sg.s[1], zi = m_z[a] - sg.s[2];
                std::uint32_t* h = hits.data();
                double* r2 = r2buf.data();
                const std::size_t n = detail::select_within(m_x.data() + jb, m_y.data() + jb, m_z.data() + jb, m, xi,
                                                            yi, zi, rc2, h, r2);
                if (n > 0) v(pair_block{a, jb, h, n, r2, sg.shift});
            }
        }
    }
}

template <class Visitor>
void cell_list::visit_bins(std::size_t b_begin, std::size_t b_end, Visitor& v) const {
    auto expand = [&](const pair_block& blk) {
        const std::size_t a = blk.i_slot;
        const auto& wa = m_wrap[a];
        const vec3 s = m_cell.translation(blk.shift);
        const double xi = m_x[a] - s[0], yi = m_y[a] - s[1], zi = m_z[a] - s[2];
        for (std::size_t k = 0; k < blk.n_hits; ++k) {
            const std::size_t b = blk.j_begin + blk.hits[k];
            const auto& wb = m_wrap[b];
            v(neighbor_pair{m_order[a], m_order[b],
                            {blk.shift[0] + wb[0] - wa[0], blk.shift[1] + wb[1] - wa[1], blk.shift[2] + wb[2] - wa[2]},
                            m_x[b] - xi, m_y[b] - yi, m_z[b] - zi, blk.r2[k]});
        }
    };
    visit_blocks(b_begin, b_end, expand);
}

/// One-shot helper: visit every pair of `pts` closer than r_cut in `box` (half list).
template <point_set P, class Visitor>
void for_each_pair(const P& pts, const materia::cell& box, double r_cut, Visitor&& v) {
    cell_list cl(as_points(pts), box, r_cut);
    cl.for_each_pair(v);
}

}  // namespace materia
