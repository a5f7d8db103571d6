// materia/structure/altbc.hpp — Peierls-distortion maps: the angular-limited three-body
// correlation (ALTBC), a 2-D histogram of the two bond lengths of nearly collinear triplets.
//
// Entry points: materia::altbc_params, materia::altbc_accumulator (accumulate / merge / reset /
// result, flat state), materia::altbc_result, the one-shot materia::altbc(points, species, cell, params).
//
// Definition (Raty, Godlevsky, Ghosez, Bichara, Gaspard & Chelikowsky, PRL 85, 1950 (2000);
// SCIENCE.md §3.1): for every centre i and every unordered pair of its neighbours j ≠ k with
// r_min ≤ r_ij, r_ik < r_max and bond angle θ_jik ≥ 180° − Δ (default Δ = 25°, i.e. 180° ± 25°;
// tested as cos θ ≤ −cos Δ), histogram the two lengths (r_ij, r_ik) on bins × bins equal cells.
// Undistorted octahedra give one peak on the diagonal r1 = r2; a Peierls-like distortion gives
// peaks at (r_short, r_long) and (r_long, r_short).
// Variants (all from integer counts, always returned):
//  * symmetrised: each triplet adds (r_ij, r_ik) and (r_ik, r_ij), so the map is symmetric and
//    sums to 2 × triplets;
//  * sorted: each triplet adds (short, long) once (upper triangle, row = short bond);
//  * normalised g: counts / ideal-gas expectation, so an uncorrelated system gives 1:
//      E(a, b) = Σ_f N_c,f (N_f − 1)(N_f − 2)/V_f² · V_shell(a) · V_shell(b) · (1 − cos Δ)/2,
//    V_shell the exact shell volume 4π/3 (r_hi³ − r_lo³) (for the sorted map the diagonal
//    expectation is E/2; frames with N < 3 use N² instead of (N−1)(N−2)).  Needs a volume:
//    frames of open or partly periodic cells leave g empty.
//    Exact for r_max below half the shortest cell width (beyond it own images add a few pairs);
//  * density: counts / (Σ counts · Δr²), ∫∫ density dr1 dr2 = 1 (1/Å²).
// Resolved by centre species (all centres summed in the total maps).
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/neighbors/neighbor_list.hpp>
#include <materia/structure/coordination.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

namespace materia {

/// Parameters of an ALTBC map.
struct altbc_params {
    double r_max = 0;             ///< upper edge of both axes and the bond search radius, Å
    std::size_t bins = 0;         ///< bins per axis, 1 … 4096
    double r_min = 0;             ///< lower edge of both axes, Å (≥ 0)
    double angle_window = 25.0;   ///< Δ in degrees: triplets with θ ≥ 180° − Δ, 0 < Δ ≤ 180
    int threads = 0;              ///< worker threads (0 = all); results do not depend on it

    /// \throws materia::invalid_argument naming the bad parameter.
    void validate() const {
        if (!(r_max > 0) || !std::isfinite(r_max)) throw_invalid("altbc: r_max must be positive and finite (got ", r_max, ")");
        if (!(r_min >= 0) || !(r_min < r_max))
            throw_invalid("altbc: r_min must satisfy 0 <= r_min < r_max (got ", r_min, ")");
        if (bins == 0 || bins > 4096) throw_invalid("altbc: bins must be between 1 and 4096 (got ", bins, ")");
        if (!(angle_window > 0 && angle_window <= 180))
            throw_invalid("altbc: angle_window must be in (0, 180] degrees (got ", angle_window, ")");
    }
};

/// ALTBC maps of an accumulator.  Maps are row-major bins × bins: value(i, j) at [i·bins + j],
/// i along r1 (the short bond in sorted maps), j along r2.
struct altbc_result {
    std::vector<std::string> species;  ///< sorted species names
    std::vector<double> edges;         ///< bins+1 edges, Å (both axes)
    std::vector<double> r;             ///< bin centres, Å
    std::size_t bins = 0;
    double angle_window = 0;           ///< Δ, degrees
    std::size_t frames = 0;

    std::vector<std::uint64_t> counts;            ///< symmetrised, all centres
    std::vector<std::uint64_t> counts_sorted;     ///< (short, long), all centres
    std::vector<std::vector<std::uint64_t>> counts_center;         ///< [c] symmetrised
    std::vector<std::vector<std::uint64_t>> counts_sorted_center;  ///< [c] sorted
    std::uint64_t triplets = 0;                   ///< unordered collinear triplets
    std::vector<std::uint64_t> triplets_center;   ///< [c]

    bool normalised = false;                       ///< g maps available (every frame had a volume)
    std::vector<double> g;                         ///< symmetrised / ideal gas (→ 1 uncorrelated)
    std::vector<double> g_sorted;                  ///< sorted / ideal gas
    std::vector<std::vector<double>> g_center;     ///< [c]
    std::vector<double> density;                   ///< symmetrised, ∫∫ = 1, 1/Å²
    std::vector<double> density_sorted;            ///< sorted, ∫∫ = 1, 1/Å²

    [[nodiscard]] std::size_t n_species() const noexcept { return species.size(); }
    [[nodiscard]] std::size_t at(std::size_t i, std::size_t j) const noexcept { return i * bins + j; }
};

/// Accumulates ALTBC maps over frames.
///
/// Thread safety: give each user thread its own accumulator and merge().
class altbc_accumulator {
public:
    /// \throws materia::invalid_argument for bad parameters or no species.
    altbc_accumulator(altbc_params params, std::vector<std::string> species_names)
        : m_p(params), m_species(detail::sorted_species(std::move(species_names), "altbc")) {
        m_p.validate();
        reset();
    }

    void reset() {
        const std::size_t s = m_species.size(), b2 = m_p.bins * m_p.bins;
        m_sym.assign(s * b2, 0);
        m_sorted.assign(s * b2, 0);
        m_norm.assign(s, 0.0);
        m_frames = 0;
        m_frames_with_volume = 0;
    }

    /// Add a frame whose neighbour list is known; it must contain every bond shorter than r_max
    /// (bonds outside [r_min, r_max) are ignored).  `box` gives the volume for the normalised map.
    /// \throws materia::invalid_argument for size mismatches, unknown species, coincident atoms.
    void accumulate(const neighbor_list& nl, const species_list& species, const materia::cell& box) {
        if (nl.size() != species.size())
            throw_invalid("altbc: neighbour list of ", nl.size(), " atoms but ", species.size(), " species entries");
        const auto map = detail::map_species(m_species, species, "altbc");
        const auto sp = detail::mapped_atoms(species, map);
        const std::size_t bins = m_p.bins, b2 = bins * bins, s = m_species.size();
        const double r_min = m_p.r_min, r_max = m_p.r_max;
        const double inv_dr = static_cast<double>(bins) / (r_max - r_min);
        const double c_lim = -std::cos(m_p.angle_window * std::numbers::pi / 180.0);
        const int t = chunk_count(resolve_threads(m_p.threads));
        std::vector<std::vector<std::uint64_t>> sym(static_cast<std::size_t>(t)), srt(static_cast<std::size_t>(t));
        parallel_chunks(nl.size(), t, [&](int k, std::size_t i0, std::size_t i1) {
            auto& hs = sym[static_cast<std::size_t>(k)];
            auto& ho = srt[static_cast<std::size_t>(k)];
            hs.assign(s * b2, 0);
            ho.assign(s * b2, 0);
            struct bond {
                std::array<double, 3> u;
                double r;
                std::size_t bin;
            };
            std::vector<bond> bonds;
            for (std::size_t i = i0; i < i1; ++i) {
                bonds.clear();
                for (const auto& e : nl.neighbors(i)) {
                    if (!(e.r >= r_min && e.r < r_max)) continue;
                    if (!(e.r > 0)) throw_invalid("altbc: atom ", i, " and atom ", e.j, " coincide (bond length 0)");
                    auto bin = static_cast<std::size_t>((e.r - r_min) * inv_dr);
                    if (bin >= bins) bin = bins - 1;
                    const double inv = 1.0 / e.r;
                    bonds.push_back({{e.d[0] * inv, e.d[1] * inv, e.d[2] * inv}, e.r, bin});
                }
                const std::size_t base = sp[i] * b2;
                for (std::size_t a = 0; a < bonds.size(); ++a)
                    for (std::size_t b = a + 1; b < bonds.size(); ++b) {
                        const auto& u = bonds[a].u;
                        const auto& v = bonds[b].u;
                        const double c = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
                        if (c > c_lim) continue;
                        const std::size_t ba = bonds[a].bin, bb = bonds[b].bin;
                        ++hs[base + ba * bins + bb];
                        ++hs[base + bb * bins + ba];
                        if (bonds[a].r <= bonds[b].r) ++ho[base + ba * bins + bb];
                        else ++ho[base + bb * bins + ba];
                    }
            }
        });
        for (std::size_t k = 0; k < sym.size(); ++k)
            for (std::size_t x = 0; x < m_sym.size(); ++x) {
                m_sym[x] += sym[k][x];
                m_sorted[x] += srt[k][x];
            }
        if (box.has_lattice() && box.fully_periodic()) {
            const double v = box.volume();
            const double n = static_cast<double>(species.size());
            // Ordered pairs of other atoms around a centre: (N−1)(N−2) (ideal gas → exactly 1, as
            // the N_a(N_b − δ_ab) convention of rdf.hpp).  With fewer than 3 atoms only periodic
            // images can close a triplet; then the image-inclusive N² is the only finite choice.
            const double pairs = (n >= 3.0 ? (n - 1.0) * (n - 2.0) : n * n) / (v * v);
            std::vector<double> nc(s, 0.0);
            for (auto c : sp) nc[c] += 1.0;
            for (std::size_t c = 0; c < s; ++c) m_norm[c] += nc[c] * pairs;
            ++m_frames_with_volume;
        }
        ++m_frames;
    }

    /// Add a frame: builds the neighbour list with cutoff r_max for all pairs.
    /// \throws materia::invalid_argument for bad input.
    template <point_set P>
    void accumulate(const P& points, const species_list& species, const materia::cell& box) {
        const auto nl = neighbor_list::build(points, species, box, pair_cutoffs(species.n_species(), m_p.r_max),
                                             m_p.threads);
        accumulate(nl, species, box);
    }

    /// \throws materia::invalid_argument when parameters or species differ.
    void merge(const altbc_accumulator& other) {
        if (other.m_species != m_species || other.m_p.bins != m_p.bins || other.m_p.r_max != m_p.r_max ||
            other.m_p.r_min != m_p.r_min || other.m_p.angle_window != m_p.angle_window)
            throw_invalid("altbc_accumulator::merge: the accumulators have different parameters or species");
        for (std::size_t x = 0; x < m_sym.size(); ++x) {
            m_sym[x] += other.m_sym[x];
            m_sorted[x] += other.m_sorted[x];
        }
        for (std::size_t c = 0; c < m_norm.size(); ++c) m_norm[c] += other.m_norm[c];
        m_frames += other.m_frames;
        m_frames_with_volume += other.m_frames_with_volume;
    }

    [[nodiscard]] std::size_t n_frames() const noexcept { return m_frames; }
    [[nodiscard]] const altbc_params& params() const noexcept { return m_p; }
    [[nodiscard]] const std::vector<std::string>& species() const noexcept { return m_species; }

    /// \throws materia::domain_error when no frame was accumulated.
    [[nodiscard]] altbc_result result() const {
        if (m_frames == 0) throw_domain("altbc: no frames accumulated");
        const std::size_t s = m_species.size(), bins = m_p.bins, b2 = bins * bins;
        altbc_result out;
        out.species = m_species;
        out.bins = bins;
        out.angle_window = m_p.angle_window;
        out.frames = m_frames;
        const double dr = (m_p.r_max - m_p.r_min) / static_cast<double>(bins);
        out.edges.resize(bins + 1);
        for (std::size_t k = 0; k <= bins; ++k) out.edges[k] = m_p.r_min + dr * static_cast<double>(k);
        out.edges[bins] = m_p.r_max;
        out.r.resize(bins);
        std::vector<double> shell(bins);
        for (std::size_t k = 0; k < bins; ++k) {
            const double lo = out.edges[k], hi = out.edges[k + 1];
            out.r[k] = 0.5 * (lo + hi);
            shell[k] = 4.0 / 3.0 * std::numbers::pi * (hi * hi * hi - lo * lo * lo);
        }
        out.counts.assign(b2, 0);
        out.counts_sorted.assign(b2, 0);
        out.triplets_center.assign(s, 0);
        for (std::size_t c = 0; c < s; ++c) {
            std::vector<std::uint64_t> hs(m_sym.begin() + static_cast<std::ptrdiff_t>(c * b2),
                                          m_sym.begin() + static_cast<std::ptrdiff_t>((c + 1) * b2));
            std::vector<std::uint64_t> ho(m_sorted.begin() + static_cast<std::ptrdiff_t>(c * b2),
                                          m_sorted.begin() + static_cast<std::ptrdiff_t>((c + 1) * b2));
            for (std::size_t x = 0; x < b2; ++x) {
                out.counts[x] += hs[x];
                out.counts_sorted[x] += ho[x];
                out.triplets_center[c] += ho[x];
            }
            out.triplets += out.triplets_center[c];
            out.counts_center.push_back(std::move(hs));
            out.counts_sorted_center.push_back(std::move(ho));
        }
        const double w = 0.5 * (1.0 - std::cos(m_p.angle_window * std::numbers::pi / 180.0));
        out.normalised = m_frames_with_volume == m_frames;
        double norm_total = 0;
        for (double x : m_norm) norm_total += x;
        auto normalise = [&](const std::vector<std::uint64_t>& h, double norm, bool sorted) {
            std::vector<double> g(b2, 0.0);
            if (!(norm > 0)) return g;
            for (std::size_t i = 0; i < bins; ++i)
                for (std::size_t j = 0; j < bins; ++j) {
                    if (sorted && j < i) continue;
                    double e = norm * (shell[i] * shell[j]) * w;  // symmetric in i, j bit for bit
                    if (sorted && i == j) e *= 0.5;
                    g[i * bins + j] = static_cast<double>(h[i * bins + j]) / e;
                }
            return g;
        };
        if (out.normalised) {
            out.g = normalise(out.counts, norm_total, false);
            out.g_sorted = normalise(out.counts_sorted, norm_total, true);
            for (std::size_t c = 0; c < s; ++c) out.g_center.push_back(normalise(out.counts_center[c], m_norm[c], false));
        }
        auto dens = [&](const std::vector<std::uint64_t>& h) {
            std::vector<double> d(b2, 0.0);
            std::uint64_t total = 0;
            for (auto x : h) total += x;
            if (total == 0) return d;
            for (std::size_t x = 0; x < b2; ++x) d[x] = static_cast<double>(h[x]) / (static_cast<double>(total) * dr * dr);
            return d;
        };
        out.density = dens(out.counts);
        out.density_sorted = dens(out.counts_sorted);
        return out;
    }

    // ---- flat, versioned state (MPI reductions, files) ----
    static constexpr std::uint64_t state_version = 1;
    /// [version, frames, frames_with_volume, bins, S, symmetrised (S·bins²), sorted (S·bins²)].
    [[nodiscard]] std::vector<std::uint64_t> integer_state() const {
        std::vector<std::uint64_t> v{state_version, m_frames, m_frames_with_volume, m_p.bins, m_species.size()};
        v.insert(v.end(), m_sym.begin(), m_sym.end());
        v.insert(v.end(), m_sorted.begin(), m_sorted.end());
        return v;
    }
    /// [Σ_f N_c (N−1)(N−2)/V² per centre species (S)].
    [[nodiscard]] std::vector<double> real_state() const { return m_norm; }
    /// \throws materia::invalid_argument on mismatch.
    void set_state(const std::vector<std::uint64_t>& ints, const std::vector<double>& reals) {
        const std::size_t s = m_species.size();
        if (ints.size() != 5 + 2 * m_sym.size() || reals.size() != s)
            throw_invalid("altbc_accumulator::set_state: state sizes do not match this accumulator");
        if (ints[0] != state_version || ints[3] != m_p.bins || ints[4] != s)
            throw_invalid("altbc_accumulator::set_state: incompatible state (version ", ints[0], ")");
        m_frames = static_cast<std::size_t>(ints[1]);
        m_frames_with_volume = static_cast<std::size_t>(ints[2]);
        const auto n = static_cast<std::ptrdiff_t>(m_sym.size());
        std::copy(ints.begin() + 5, ints.begin() + 5 + n, m_sym.begin());
        std::copy(ints.begin() + 5 + n, ints.end(), m_sorted.begin());
        m_norm = reals;
    }

private:
    altbc_params m_p;
    std::vector<std::string> m_species;
    std::vector<std::uint64_t> m_sym;     // [c·bins² + i·bins + j]
    std::vector<std::uint64_t> m_sorted;  // [c·bins² + short·bins + long]
    std::vector<double> m_norm;           // Σ_f N_c (N−1)(N−2)/V²
    std::size_t m_frames = 0;
    std::size_t m_frames_with_volume = 0;
};

/// One-shot ALTBC map of one frame.  \throws materia::invalid_argument for bad input.
template <point_set P>
[[nodiscard]] altbc_result altbc(const P& points, const species_list& species, const materia::cell& box,
                                 const altbc_params& params) {
    altbc_accumulator acc(params, species.names());
    acc.accumulate(points, species, box);
    return acc.result();
}

}  // namespace materia
