// materia/structure/sq_direct.hpp — S(k) of periodic cells by direct reciprocal-space sums over EVERY
// commensurate wave vector up to k_max (exact enumeration), spherically binned, with partials;
// optional deterministic (seeded) sampling of the k vectors for very large cells.
//
// Entry points: materia::sq_direct_params, materia::sq_direct_accumulator (accumulate / merge /
// reset / result, integer_state / real_state / set_state), materia::sq_direct_result, and the
// one-shot materia::sq_direct(points, species, cell, params).
//
// Formulas (SCIENCE.md §2.1): k = 2π(h b1 + k b2 + l b3) with b_i the reciprocal vectors WITHOUT 2π
// (a_i·b_j = δ_ij), so k·r = 2π(h f1 + k f2 + l f3) with fractional coordinates f;
//   ρ_a(k) = Σ_{j∈a} exp(−i k·r_j),   S(k) = |Σ_a ρ_a|²/N,
//   Faber–Ziman partial per k: S_ab(k) = 1 + [Re(ρ_a ρ_b*) − δ_ab N_a] / (N c_a c_b),
// so S(k) = Σ_ab c_a c_b S_ab(k).  k = 0 (the forward peak N) is excluded.  Because S(−k) = S(k) for
// real positions, only one of ±k is evaluated; k_count reports both.  Bin values are means over all
// k vectors with q_min ≤ |k| < q_max in the bin (and over frames).  Valid only for |k| ≥ 2π/L: the
// smallest |k| is the shortest reciprocal vector, so low-q bins may be empty (NaN, k_count 0).
//
// Cost: O(N · n_k) complex multiply-adds (n_k ≈ V k_max³/(12π²)), vectorised with Eigen over atoms
// (sorted by species), phases from per-axis tables exp(−2πi h f) (memory (H1 + 2H2 + 2H3 + 3)·N·16 B,
// H_i = ⌊k_max |a_i|/2π⌋), columns (h, k) split over threads by cost; thread partials are merged
// in thread order, so a run is deterministic for a given thread count.
// freud's StaticStructureFactorDirect samples k randomly (misses peaks of lamellar systems,
// freud #1306); here sampling is opt-in and decided per k vector by a hash of (h, k, l, seed), so it
// does not depend on threads or order.
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/structure/sq_partials.hpp>
#include <materia/structure/sq_weights.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

namespace materia {

/// Parameters of the direct S(k) histogram.
struct sq_direct_params {
    double q_min = 0;             ///< lower edge of the first bin (Å⁻¹), ≥ 0
    double q_max = 0;             ///< upper edge of the last bin = k_max (Å⁻¹), > q_min
    std::size_t bins = 0;         ///< number of equal |k| bins, ≥ 1
    double sample_fraction = 1.0; ///< (0, 1]: keep each k vector with this probability (1 = exact, all k)
    std::uint64_t seed = 0;       ///< seed of the sampling hash
    int threads = 0;              ///< worker threads (0 = all)

    /// \throws materia::invalid_argument naming the bad parameter.
    void validate() const {
        if (!(q_min >= 0) || !std::isfinite(q_min)) throw_invalid("sq_direct: q_min must be >= 0 (got ", q_min, ")");
        if (!(q_max > q_min) || !std::isfinite(q_max))
            throw_invalid("sq_direct: q_max must be finite and > q_min (got q_max=", q_max, ", q_min=", q_min, ")");
        if (bins == 0 || bins > 10000000) throw_invalid("sq_direct: bins must be in [1, 1e7] (got ", bins, ")");
        if (!(sample_fraction > 0 && sample_fraction <= 1))
            throw_invalid("sq_direct: sample_fraction must be in (0, 1] (got ", sample_fraction, ")");
    }
};

/// Binned direct S(k).  Empty bins have k_count 0 and NaN values.
struct sq_direct_result {
    std::vector<double> edges;        ///< bins+1 edges (Å⁻¹)
    std::vector<double> q;            ///< bin centres
    std::vector<double> q_mean;       ///< mean |k| of the k vectors in each bin (NaN if empty)
    std::vector<std::uint64_t> k_count;  ///< k vectors (±k both counted) summed over frames
    sq_partials partials;             ///< Faber–Ziman partials at the bin centres
    std::vector<double> s;            ///< number-weighted S = Σ_ab c_a c_b S_ab (= ⟨|ρ(k)|²/N⟩)
    std::size_t frames = 0;
    bool sampled = false;             ///< whether k vectors were sampled (sample_fraction < 1)

    /// Indices of the bins that received at least one k vector.
    [[nodiscard]] std::vector<std::size_t> nonempty() const {
        std::vector<std::size_t> out;
        for (std::size_t b = 0; b < k_count.size(); ++b)
            if (k_count[b] > 0) out.push_back(b);
        return out;
    }
};

namespace detail {
[[nodiscard]] inline std::uint64_t splitmix64(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
/// Deterministic keep/drop decision of the k vector (h, k, l).
[[nodiscard]] inline bool keep_k_vector(long h, long k, long l, std::uint64_t seed, double fraction) noexcept {
    if (fraction >= 1.0) return true;
    std::uint64_t x = splitmix64(seed ^ 0x5851f42d4c957f2dULL);
    x = splitmix64(x ^ static_cast<std::uint64_t>(h));
    x = splitmix64(x ^ static_cast<std::uint64_t>(k));
    x = splitmix64(x ^ static_cast<std::uint64_t>(l));
    return static_cast<double>(x >> 11) * 0x1.0p-53 < fraction;
}
}  // namespace detail

/// Accumulates direct S(k) over frames.
class sq_direct_accumulator {
public:
    /// \param species_names the species of the frames (sorted, unique); every frame must contain each.
    /// \throws materia::invalid_argument for bad params or no species.
    sq_direct_accumulator(sq_direct_params params, std::vector<std::string> species_names) : m_p(params) {
        m_p.validate();
        std::sort(species_names.begin(), species_names.end());
        species_names.erase(std::unique(species_names.begin(), species_names.end()), species_names.end());
        if (species_names.empty()) throw_invalid("sq_direct: at least one species is needed");
        m_species = std::move(species_names);
        reset();
    }

    /// Forget all frames.
    void reset() {
        const std::size_t s = m_species.size();
        m_count.assign(m_p.bins, 0);
        m_ksum.assign(m_p.bins, 0.0);
        m_t.assign(s * (s + 1) / 2 * m_p.bins, 0.0);
        m_conc.assign(s, 0.0);
        m_frames = 0;
    }

    /// Add one periodic frame.
    /// \throws materia::invalid_argument for size mismatch, unknown species, a declared species
    ///         without atoms in the frame, non-finite positions
    /// \throws materia::domain_error when the cell is not periodic in all three directions
    template <point_set P>
    void accumulate(const P& points, const species_list& species, const materia::cell& box) {
        const auto pts = as_points(points);
        const std::size_t n = pts.size();
        if (species.size() != n) throw_invalid("sq_direct: ", n, " positions but ", species.size(), " species entries");
        if (n == 0) throw_invalid("sq_direct: a frame needs at least 1 atom (got 0)");
        if (!box.has_lattice() || !box.fully_periodic())
            throw_domain("sq_direct: the direct method needs a cell periodic in all three directions");
        const std::size_t s = m_species.size(), np = s * (s + 1) / 2, nbins = m_p.bins;
        std::vector<std::uint32_t> map(species.n_species());
        for (std::size_t k = 0; k < species.n_species(); ++k) {
            auto it = std::lower_bound(m_species.begin(), m_species.end(), species.name(k));
            if (it == m_species.end() || *it != species.name(k))
                throw_invalid("sq_direct: species '", species.name(k), "' was not declared to the accumulator");
            map[k] = static_cast<std::uint32_t>(it - m_species.begin());
        }
        // atoms sorted by species: contiguous ranges [start[a], start[a+1])
        std::vector<std::size_t> start(s + 1, 0);
        for (std::size_t i = 0; i < n; ++i) ++start[map[species[i]] + 1];
        for (std::size_t a = 0; a < s; ++a) {
            if (start[a + 1] == 0) throw_invalid("sq_direct: species '", m_species[a], "' has no atoms in this frame");
            start[a + 1] += start[a];
        }
        std::vector<std::size_t> fill(start.begin(), start.end() - 1), order(n);
        for (std::size_t i = 0; i < n; ++i) order[fill[map[species[i]]]++] = i;
        std::vector<double> na(s);
        for (std::size_t a = 0; a < s; ++a) na[a] = static_cast<double>(start[a + 1] - start[a]);
        const double nd = static_cast<double>(n);

        // fractional coordinates and per-axis phase tables exp(−2πi m f)
        std::array<long, 3> hmax{};
        for (std::size_t d = 0; d < 3; ++d)
            hmax[d] = static_cast<long>(std::floor(m_p.q_max * detail::norm(box.vector(d)) / (2 * std::numbers::pi)));
        {
            const double table_bytes = 16.0 * static_cast<double>(n) *
                                       static_cast<double>(2 * (hmax[0] + hmax[1] + hmax[2]) + 3);
            if (table_bytes > 2e9)
                throw_invalid("sq_direct: the phase tables would need ", table_bytes / 1e9, " GB (", n,
                              " atoms, q_max = ", m_p.q_max, "); lower q_max");
            // half-space k vectors inside q_max: V q_max³/(12π²); refuse hopeless requests up front
            const double nk = box.volume() * m_p.q_max * m_p.q_max * m_p.q_max / (12 * std::numbers::pi * std::numbers::pi);
            if (nk > 1e10 || nk * m_p.sample_fraction * static_cast<double>(n) > 1e14)
                throw_invalid("sq_direct: about ", nk, " k vectors up to q_max = ", m_p.q_max, " for ", n,
                              " atoms is too much work; lower q_max or use sample_fraction");
        }
        std::array<Eigen::ArrayXXd, 3> cre, cim;  // [axis] (atoms × (2H+1)), column m ↔ index m + H
        for (std::size_t d = 0; d < 3; ++d) {
            const long h = hmax[d];
            cre[d].resize(static_cast<Eigen::Index>(n), 2 * h + 1);
            cim[d].resize(static_cast<Eigen::Index>(n), 2 * h + 1);
        }
        for (std::size_t jj = 0; jj < n; ++jj) {
            const auto p = pts.point(order[jj]);
            if (!std::isfinite(p[0]) || !std::isfinite(p[1]) || !std::isfinite(p[2]))
                throw_invalid("sq_direct: position of atom ", order[jj], " is not finite");
            const vec3 f = box.to_fractional(p);
            for (std::size_t d = 0; d < 3; ++d) {
                const long h = hmax[d];
                const double fr = f[d] - std::floor(f[d]);  // reduce for accuracy of the phases
                for (long m = -h; m <= h; ++m) {
                    const double ph = -2 * std::numbers::pi * static_cast<double>(m) * fr;
                    cre[d](static_cast<Eigen::Index>(jj), m + h) = std::cos(ph);
                    cim[d](static_cast<Eigen::Index>(jj), m + h) = std::sin(ph);
                }
            }
        }
        // reciprocal vectors with 2π
        std::array<vec3, 3> bv{};
        for (std::size_t d = 0; d < 3; ++d) bv[d] = detail::scale(box.reciprocal(d), 2 * std::numbers::pi);
        // columns (h, k) with their l ranges
        struct column {
            long h, k, l0, l1;
        };
        std::vector<column> cols;
        std::vector<double> cost_prefix{0.0};
        const double b3b3 = detail::dot(bv[2], bv[2]);
        const double qmax2 = m_p.q_max * m_p.q_max;
        for (long h = 0; h <= hmax[0]; ++h)
            for (long k = -hmax[1]; k <= hmax[1]; ++k) {
                if (h == 0 && k < 0) continue;
                const vec3 g0 = detail::add(detail::scale(bv[0], static_cast<double>(h)), detail::scale(bv[1], static_cast<double>(k)));
                const double bg = detail::dot(g0, bv[2]), gg = detail::dot(g0, g0);
                const double disc = bg * bg - b3b3 * (gg - qmax2);
                if (disc < 0) continue;
                const double sq = std::sqrt(disc);
                long l0 = static_cast<long>(std::ceil((-bg - sq) / b3b3)) - 1;  // ±1 margin; |k| tested exactly
                long l1 = static_cast<long>(std::floor((-bg + sq) / b3b3)) + 1;
                l0 = std::max(l0, -hmax[2]);
                l1 = std::min(l1, hmax[2]);
                if (h == 0 && k == 0) l0 = std::max(l0, 1L);
                if (l1 < l0) continue;
                cols.push_back({h, k, l0, l1});
                cost_prefix.push_back(cost_prefix.back() + static_cast<double>(l1 - l0 + 1));
            }

        const int nt = chunk_count(resolve_threads(m_p.threads));
        struct partial {
            std::vector<std::uint64_t> count;
            std::vector<double> ksum, t;
        };
        std::vector<partial> local(static_cast<std::size_t>(nt));
        const double total_cost = cost_prefix.back();
        const double dq_inv = static_cast<double>(nbins) / (m_p.q_max - m_p.q_min);
        const double qmin = m_p.q_min;
        const auto n_i = static_cast<Eigen::Index>(n);
        parallel_chunks(static_cast<std::size_t>(nt), nt, [&](int t, std::size_t, std::size_t) {
            auto& loc = local[static_cast<std::size_t>(t)];
            loc.count.assign(nbins, 0);
            loc.ksum.assign(nbins, 0.0);
            loc.t.assign(np * nbins, 0.0);
            // columns whose cumulative cost starts in this thread's share
            const double lo = total_cost * t / nt, hi = total_cost * (t + 1) / nt;
            const auto c0 = static_cast<std::size_t>(std::lower_bound(cost_prefix.begin(), cost_prefix.end() - 1, lo) - cost_prefix.begin());
            const auto c1 = t + 1 == nt ? cols.size()
                                        : static_cast<std::size_t>(std::lower_bound(cost_prefix.begin(), cost_prefix.end() - 1, hi) -
                                                                   cost_prefix.begin());
            Eigen::ArrayXd ar(n_i), ai(n_i);
            std::vector<double> rre(s), rim(s);
            for (std::size_t c = c0; c < c1 && c < cols.size(); ++c) {
                const auto& col = cols[c];
                const auto e1r = cre[0].col(col.h + hmax[0]), e1i = cim[0].col(col.h + hmax[0]);
                const auto e2r = cre[1].col(col.k + hmax[1]), e2i = cim[1].col(col.k + hmax[1]);
                ar = e1r * e2r - e1i * e2i;
                ai = e1r * e2i + e1i * e2r;
                const vec3 g0 = detail::add(detail::scale(bv[0], static_cast<double>(col.h)),
                                            detail::scale(bv[1], static_cast<double>(col.k)));
                for (long l = col.l0; l <= col.l1; ++l) {
                    const vec3 g = detail::add(g0, detail::scale(bv[2], static_cast<double>(l)));
                    const double kk = std::sqrt(detail::dot(g, g));
                    if (!(kk < m_p.q_max) || kk < qmin || kk == 0) continue;
                    if (!detail::keep_k_vector(col.h, col.k, l, m_p.seed, m_p.sample_fraction)) continue;
                    auto bin = static_cast<std::size_t>((kk - qmin) * dq_inv);
                    if (bin >= nbins) bin = nbins - 1;
                    const auto e3r = cre[2].col(l + hmax[2]), e3i = cim[2].col(l + hmax[2]);
                    for (std::size_t a = 0; a < s; ++a) {
                        const auto b0 = static_cast<Eigen::Index>(start[a]);
                        const auto len = static_cast<Eigen::Index>(start[a + 1] - start[a]);
                        rre[a] = (ar.segment(b0, len) * e3r.segment(b0, len) - ai.segment(b0, len) * e3i.segment(b0, len)).sum();
                        rim[a] = (ar.segment(b0, len) * e3i.segment(b0, len) + ai.segment(b0, len) * e3r.segment(b0, len)).sum();
                    }
                    ++loc.count[bin];
                    loc.ksum[bin] += kk;
                    for (std::size_t a = 0; a < s; ++a)
                        for (std::size_t b = a; b < s; ++b) {
                            const double re = rre[a] * rre[b] + rim[a] * rim[b] - (a == b ? na[a] : 0.0);
                            loc.t[pair_index(a, b) * nbins + bin] += re * nd / (na[a] * na[b]);
                        }
                }
            }
        });
        for (const auto& loc : local) {
            for (std::size_t b = 0; b < nbins; ++b) {
                m_count[b] += loc.count[b];
                m_ksum[b] += loc.ksum[b];
            }
            for (std::size_t k = 0; k < m_t.size(); ++k) m_t[k] += loc.t[k];
        }
        for (std::size_t a = 0; a < s; ++a) m_conc[a] += na[a] / nd;
        ++m_frames;
    }

    /// Add another accumulator's frames (same parameters and species).  Counts add exactly; the
    /// floating sums add in call order, so a fixed merge order gives bit-identical results.
    /// \throws materia::invalid_argument when parameters or species differ.
    void merge(const sq_direct_accumulator& o) {
        if (o.m_species != m_species || o.m_p.bins != m_p.bins || o.m_p.q_min != m_p.q_min || o.m_p.q_max != m_p.q_max ||
            o.m_p.sample_fraction != m_p.sample_fraction || o.m_p.seed != m_p.seed)
            throw_invalid("sq_direct_accumulator::merge: the accumulators have different parameters or species");
        for (std::size_t b = 0; b < m_count.size(); ++b) {
            m_count[b] += o.m_count[b];
            m_ksum[b] += o.m_ksum[b];
        }
        for (std::size_t k = 0; k < m_t.size(); ++k) m_t[k] += o.m_t[k];
        for (std::size_t a = 0; a < m_conc.size(); ++a) m_conc[a] += o.m_conc[a];
        m_frames += o.m_frames;
    }

    [[nodiscard]] std::size_t n_frames() const noexcept { return m_frames; }
    [[nodiscard]] const sq_direct_params& params() const noexcept { return m_p; }
    [[nodiscard]] const std::vector<std::string>& species() const noexcept { return m_species; }

    /// The binned S(k).  \throws materia::domain_error when no frame was accumulated.
    [[nodiscard]] sq_direct_result result() const {
        if (m_frames == 0) throw_domain("sq_direct: no frames accumulated");
        const std::size_t s = m_species.size(), nbins = m_p.bins;
        sq_direct_result r;
        r.frames = m_frames;
        r.sampled = m_p.sample_fraction < 1.0;
        const double dq = (m_p.q_max - m_p.q_min) / static_cast<double>(nbins);
        for (std::size_t b = 0; b <= nbins; ++b) r.edges.push_back(m_p.q_min + dq * static_cast<double>(b));
        r.edges[nbins] = m_p.q_max;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        auto& p = r.partials;
        p.species = m_species;
        for (double c : m_conc) p.concentration.push_back(c / static_cast<double>(m_frames));
        p.s.assign(s * (s + 1) / 2, std::vector<double>(nbins, nan));
        r.s.assign(nbins, nan);
        for (std::size_t b = 0; b < nbins; ++b) {
            r.q.push_back(0.5 * (r.edges[b] + r.edges[b + 1]));
            r.k_count.push_back(2 * m_count[b]);
            const double cnt = static_cast<double>(m_count[b]);
            r.q_mean.push_back(m_count[b] ? m_ksum[b] / cnt : nan);
            if (!m_count[b]) continue;
            double tot = 0;
            for (std::size_t a = 0; a < s; ++a)
                for (std::size_t c = a; c < s; ++c) {
                    const double v = 1.0 + m_t[pair_index(a, c) * nbins + b] / cnt;
                    p.s[pair_index(a, c)][b] = v;
                    tot += (a == c ? 1.0 : 2.0) * p.concentration[a] * p.concentration[c] * v;
                }
            r.s[b] = tot;
        }
        p.q = r.q;
        return r;
    }

    // ---- flat, versioned state for MPI reductions and files ----
    static constexpr std::uint64_t state_version = 1;
    /// [version, frames, bins, n_species, half-space k counts…]
    [[nodiscard]] std::vector<std::uint64_t> integer_state() const {
        std::vector<std::uint64_t> v{state_version, m_frames, m_p.bins, m_species.size()};
        v.insert(v.end(), m_count.begin(), m_count.end());
        return v;
    }
    /// [Σ|k| per bin, FZ sums per pair and bin, Σ concentrations]
    [[nodiscard]] std::vector<double> real_state() const {
        std::vector<double> v(m_ksum);
        v.insert(v.end(), m_t.begin(), m_t.end());
        v.insert(v.end(), m_conc.begin(), m_conc.end());
        return v;
    }
    /// \throws materia::invalid_argument when the state does not fit this accumulator.
    void set_state(const std::vector<std::uint64_t>& ints, const std::vector<double>& reals) {
        const std::size_t nb = m_p.bins, s = m_species.size();
        if (ints.size() != 4 + nb || reals.size() != nb + m_t.size() + s)
            throw_invalid("sq_direct_accumulator::set_state: state sizes do not match this accumulator");
        if (ints[0] != state_version || ints[2] != nb || ints[3] != s)
            throw_invalid("sq_direct_accumulator::set_state: incompatible state (version ", ints[0], ")");
        m_frames = ints[1];
        std::copy(ints.begin() + 4, ints.end(), m_count.begin());
        std::copy(reals.begin(), reals.begin() + static_cast<std::ptrdiff_t>(nb), m_ksum.begin());
        std::copy(reals.begin() + static_cast<std::ptrdiff_t>(nb), reals.begin() + static_cast<std::ptrdiff_t>(nb + m_t.size()),
                  m_t.begin());
        std::copy(reals.end() - static_cast<std::ptrdiff_t>(s), reals.end(), m_conc.begin());
    }

private:
    [[nodiscard]] std::size_t pair_index(std::size_t a, std::size_t b) const noexcept {
        if (a > b) std::swap(a, b);
        return a * m_species.size() - a * (a + 1) / 2 + b;
    }

    sq_direct_params m_p;
    std::vector<std::string> m_species;
    std::vector<std::uint64_t> m_count;  // half-space k vectors per bin
    std::vector<double> m_ksum;          // Σ |k| per bin
    std::vector<double> m_t;             // [pair][bin] Σ (Re ρ_aρ_b* − δ N_a) N/(N_a N_b)
    std::vector<double> m_conc;          // Σ_f c_a
    std::size_t m_frames = 0;
};

/// One-shot direct S(k) of a single frame.
template <point_set P>
[[nodiscard]] sq_direct_result sq_direct(const P& points, const species_list& species, const materia::cell& box,
                                         const sq_direct_params& params) {
    sq_direct_accumulator acc(params, species.names());
    acc.accumulate(points, species, box);
    return acc.result();
}

}  // namespace materia
