// materia/structure/bond_angles.hpp — bond-angle distributions (ADF/BAD) with per-pair cutoffs,
// resolved by centre species and by neighbour-species pair, accumulated over frames.
//
// Entry points: materia::adf_params, materia::adf_accumulator (accumulate / merge / reset /
// result, flat state), materia::adf_result, materia::for_each_angle(neighbor_list, fn), the
// one-shot materia::bond_angle_distribution(points, species, cell, cutoffs, params), and
// materia::first_minimum_cutoffs(rdf_result) for cutoffs at the first minima of the partial g(r).
//
// Conventions (SCIENCE.md §3.1; echoed by adf_result::conventions()):
//  * triplet j–i–k, i the centre, j and k two different bonds of i (different atoms, or different
//    periodic images of one atom — both are real neighbours in a small cell), bonds from a
//    neighbor_list (r < R_ab per species pair, every periodic image counts);
//  * θ = acos(clamp(d̂_ij · d̂_ik, −1, 1)) in degrees, so exactly collinear triplets give 180°, never
//    NaN; each unordered pair {j, k} counted once per centre (as LAMMPS compute adf);
//  * N equal bins on [0°, 180°]; an angle θ lands in bin floor(θ/Δθ), θ = 180° in the last bin;
//  * species resolution: centre species c and unordered neighbour pair (a ≤ b), named "a-c-b";
//  * normalisations, all from the same integer counts (always returned):
//      p(θ)        probability density in θ, 1/degree:  Σ_k p_k Δθ = 1;
//      per_centre  mean number of angles per centre atom in the bin (Σ over bins = angles/atom);
//      p_cos       density in cos θ: counts / (angles · |cos θ_lo − cos θ_hi|) (exact bin width in
//                  cos θ, so it stays finite at 0° and 180°); random neighbour directions give
//                  exactly ½ (and p(θ) = sin θ/2 per radian) — the "sin-corrected" ADF.
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/neighbors/neighbor_list.hpp>
#include <materia/structure/coordination.hpp>
#include <materia/structure/rdf.hpp>
#include <materia/structure/rdf_analysis.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

namespace materia {

/// Parameters of a bond-angle histogram.
struct adf_params {
    std::size_t bins = 180;  ///< equal bins on [0°, 180°], 1 … 1e7
    int threads = 0;         ///< worker threads (0 = all); results do not depend on it

    /// \throws materia::invalid_argument naming the bad parameter.
    void validate() const {
        if (bins == 0 || bins > 10000000) throw_invalid("adf: bins must be between 1 and 1e7 (got ", bins, ")");
    }
};

namespace detail {
constexpr double rad_to_deg = 180.0 / std::numbers::pi;

/// Bond angle in degrees from two bond vectors and their lengths, acos argument clamped.
[[nodiscard]] inline double angle_deg(const std::array<double, 3>& u, double ru, const std::array<double, 3>& v,
                                      double rv) noexcept {
    double c = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (ru * rv);
    c = std::clamp(c, -1.0, 1.0);
    return std::acos(c) * rad_to_deg;
}
}  // namespace detail

/// Visit every bond angle of a neighbour list: fn(i, const entry& j, const entry& k, θ in degrees)
/// for each centre i and each unordered pair of its bonds (j before k in the list order).
/// Bonds of zero length are refused.  \throws materia::invalid_argument for a zero-length bond.
template <class Fn>
void for_each_angle(const neighbor_list& nl, Fn&& fn) {
    for (std::size_t i = 0; i < nl.size(); ++i) {
        const auto nb = nl.neighbors(i);
        for (std::size_t a = 0; a < nb.size(); ++a) {
            if (!(nb[a].r > 0)) throw_invalid("for_each_angle: atom ", i, " and atom ", nb[a].j, " coincide");
            for (std::size_t b = a + 1; b < nb.size(); ++b)
                fn(i, nb[a], nb[b], detail::angle_deg(nb[a].d, nb[a].r, nb[b].d, nb[b].r));
        }
    }
}

/// Normalised bond-angle distributions of an accumulator.  Index conventions: centre species c;
/// unordered neighbour pair p(a, b) with a ≤ b (pair_index); triplet t = c·P + p (triplet_index),
/// P = S(S+1)/2.
struct adf_result {
    std::vector<std::string> species;  ///< sorted species names
    std::vector<double> edges;         ///< bins+1 edges, degrees
    std::vector<double> theta;         ///< bin centres, degrees
    double width = 0;                  ///< Δθ, degrees

    std::vector<std::uint64_t> counts;                       ///< all angles [bin]
    std::vector<std::vector<std::uint64_t>> counts_center;   ///< [c][bin]
    std::vector<std::vector<std::uint64_t>> counts_triplet;  ///< [t][bin]
    std::uint64_t angles = 0;                ///< Σ counts
    std::vector<std::uint64_t> angles_center;   ///< [c]
    std::vector<std::uint64_t> angles_triplet;  ///< [t]
    std::vector<std::uint64_t> centres;      ///< Σ_f N_c: centre atoms seen, [c]
    std::size_t frames = 0;

    std::vector<double> p;                          ///< density in θ, 1/degree, Σ p Δθ = 1
    std::vector<std::vector<double>> p_center;      ///< [c], each normalised on its own angles
    std::vector<std::vector<double>> p_triplet;     ///< [t]
    std::vector<double> per_centre;                 ///< angles per atom in the bin (all centres)
    std::vector<std::vector<double>> per_centre_center;  ///< [c]: angles per atom of species c
    std::vector<double> p_cos;                      ///< density in cos θ (random directions: ½)
    std::vector<std::vector<double>> p_cos_center;  ///< [c]
    std::vector<std::vector<double>> p_cos_triplet; ///< [t]

    [[nodiscard]] std::size_t n_species() const noexcept { return species.size(); }
    [[nodiscard]] std::size_t n_pairs() const noexcept { return species.size() * (species.size() + 1) / 2; }
    [[nodiscard]] std::size_t pair_index(std::size_t a, std::size_t b) const noexcept {
        if (a > b) std::swap(a, b);
        return a * species.size() - a * (a + 1) / 2 + b;
    }
    /// Index of the triplet a–c–b (centre c) in the *_triplet arrays.
    [[nodiscard]] std::size_t triplet_index(std::size_t c, std::size_t a, std::size_t b) const noexcept {
        return c * n_pairs() + pair_index(a, b);
    }
    /// "a-c-b" with a ≤ b, e.g. "Ge-Te-Ge".
    [[nodiscard]] std::string triplet_name(std::size_t c, std::size_t a, std::size_t b) const {
        if (a > b) std::swap(a, b);
        return species[a] + "-" + species[c] + "-" + species[b];
    }
    /// Mean number of bond angles per atom of species c (all atoms when c = n_species()).
    [[nodiscard]] double angles_per_centre(std::size_t c) const {
        if (c == species.size()) {
            std::uint64_t n = 0;
            for (auto x : centres) n += x;
            return n ? static_cast<double>(angles) / static_cast<double>(n) : 0.0;
        }
        return centres.at(c) ? static_cast<double>(angles_center.at(c)) / static_cast<double>(centres[c]) : 0.0;
    }
    [[nodiscard]] std::string conventions() const {
        return "theta = acos(clamped cosine) in degrees; each unordered bond pair once per centre; bins [lo,hi) of "
               "[0,180], 180 in the last bin; p: density in theta (1/deg, sum p*dtheta = 1); per_centre: angles per "
               "centre atom per bin; p_cos: density in cos(theta) with exact bin widths (random directions: 1/2)";
    }
};

/// Accumulates bond-angle histograms over frames.
///
/// Thread safety: accumulate() uses threads internally; give each user thread its own
/// accumulator and merge().  Integer counts make merge exact and thread-count independent.
class adf_accumulator {
public:
    /// \param species_names  every species that frames may contain (sorted internally).
    /// \param cutoffs        optional bond cutoffs R_ab in the sorted species order: needed by the
    ///                       points overload of accumulate(); with a prebuilt neighbour list,
    ///                       bonds with r ≥ R_ab are ignored (empty: use every bond of the list).
    /// \throws materia::invalid_argument for bad parameters, no species, cutoffs of wrong size.
    adf_accumulator(adf_params params, std::vector<std::string> species_names, pair_cutoffs cutoffs = {})
        : m_p(params), m_species(detail::sorted_species(std::move(species_names), "adf")), m_cut(std::move(cutoffs)) {
        m_p.validate();
        detail::check_cutoffs(m_cut, m_species.size(), "adf");
        reset();
    }

    void reset() {
        const std::size_t s = m_species.size();
        m_hist.assign(s * n_pairs() * m_p.bins, 0);
        m_centres.assign(s, 0);
        m_frames = 0;
    }

    /// Add a frame whose bonds are known (the list built once and shared, e.g. with rings and
    /// coordination).  \throws materia::invalid_argument for size mismatches, unknown species or
    /// coincident atoms.
    void accumulate(const neighbor_list& nl, const species_list& species) {
        if (nl.size() != species.size())
            throw_invalid("adf: neighbour list of ", nl.size(), " atoms but ", species.size(), " species entries");
        const auto map = detail::map_species(m_species, species, "adf");
        const auto sp = detail::mapped_atoms(species, map);
        const std::size_t s = m_species.size(), np = n_pairs(), bins = m_p.bins;
        std::vector<std::uint32_t> pidx(s * s);
        for (std::size_t a = 0; a < s; ++a)
            for (std::size_t b = 0; b < s; ++b) pidx[a * s + b] = static_cast<std::uint32_t>(pair_of(a, b));
        const bool filter = m_cut.n_species() != 0;
        const double inv_w = static_cast<double>(bins) / 180.0;
        const int t = chunk_count(resolve_threads(m_p.threads));
        std::vector<std::vector<std::uint64_t>> local(static_cast<std::size_t>(t));
        parallel_chunks(nl.size(), t, [&](int k, std::size_t b0, std::size_t b1) {
            auto& h = local[static_cast<std::size_t>(k)];
            h.assign(s * np * bins, 0);
            struct bond {
                std::array<double, 3> u;  // unit vector
                std::uint32_t s;
            };
            std::vector<bond> bonds;
            for (std::size_t i = b0; i < b1; ++i) {
                bonds.clear();
                const std::uint32_t si = sp[i];
                for (const auto& e : nl.neighbors(i)) {
                    const std::uint32_t sj = sp[e.j];
                    if (filter && !(e.r < m_cut(si, sj))) continue;
                    if (!(e.r > 0)) throw_invalid("adf: atom ", i, " and atom ", e.j, " coincide (bond length 0)");
                    const double inv = 1.0 / e.r;
                    bonds.push_back({{e.d[0] * inv, e.d[1] * inv, e.d[2] * inv}, sj});
                }
                const std::size_t base = si * np;
                for (std::size_t a = 0; a < bonds.size(); ++a) {
                    const auto& u = bonds[a].u;
                    const std::uint32_t* prow = pidx.data() + bonds[a].s * s;
                    for (std::size_t b = a + 1; b < bonds.size(); ++b) {
                        const auto& v = bonds[b].u;
                        const double c = std::clamp(u[0] * v[0] + u[1] * v[1] + u[2] * v[2], -1.0, 1.0);
                        auto bin = static_cast<std::size_t>(std::acos(c) * detail::rad_to_deg * inv_w);
                        if (bin >= bins) bin = bins - 1;
                        ++h[(base + prow[bonds[b].s]) * bins + bin];
                    }
                }
            }
        });
        for (const auto& h : local)
            for (std::size_t x = 0; x < h.size(); ++x) m_hist[x] += h[x];
        for (auto c : sp) ++m_centres[c];
        ++m_frames;
    }

    /// Add a frame: builds the neighbour list with the accumulator's cutoffs.
    /// \throws materia::invalid_argument when the accumulator has no cutoffs, or for bad input.
    template <point_set P>
    void accumulate(const P& points, const species_list& species, const materia::cell& box) {
        if (m_cut.n_species() == 0) throw_invalid("adf: accumulate(points, ...) needs cutoffs given to the constructor");
        const auto map = detail::map_species(m_species, species, "adf");
        const auto nl = neighbor_list::build(points, species, box, detail::frame_cutoffs(m_cut, map), m_p.threads);
        accumulate(nl, species);
    }

    /// Add another accumulator's frames.  \throws materia::invalid_argument when bins or species differ.
    void merge(const adf_accumulator& other) {
        if (other.m_species != m_species || other.m_p.bins != m_p.bins)
            throw_invalid("adf_accumulator::merge: the accumulators have different bins or species");
        for (std::size_t x = 0; x < m_hist.size(); ++x) m_hist[x] += other.m_hist[x];
        for (std::size_t c = 0; c < m_centres.size(); ++c) m_centres[c] += other.m_centres[c];
        m_frames += other.m_frames;
    }

    [[nodiscard]] std::size_t n_frames() const noexcept { return m_frames; }
    [[nodiscard]] const adf_params& params() const noexcept { return m_p; }
    [[nodiscard]] const std::vector<std::string>& species() const noexcept { return m_species; }
    [[nodiscard]] const pair_cutoffs& cutoffs() const noexcept { return m_cut; }
    /// Raw counts, flat [(c·P + p)·bins + bin].
    [[nodiscard]] const std::vector<std::uint64_t>& raw_histogram() const noexcept { return m_hist; }

    /// \throws materia::domain_error when no frame was accumulated.
    [[nodiscard]] adf_result result() const {
        if (m_frames == 0) throw_domain("adf: no frames accumulated");
        const std::size_t s = m_species.size(), np = n_pairs(), bins = m_p.bins;
        adf_result out;
        out.species = m_species;
        out.frames = m_frames;
        out.centres = m_centres;
        out.width = 180.0 / static_cast<double>(bins);
        out.edges.resize(bins + 1);
        for (std::size_t k = 0; k <= bins; ++k) out.edges[k] = out.width * static_cast<double>(k);
        out.edges[bins] = 180.0;
        out.theta.resize(bins);
        std::vector<double> dcos(bins);
        for (std::size_t k = 0; k < bins; ++k) {
            out.theta[k] = 0.5 * (out.edges[k] + out.edges[k + 1]);
            dcos[k] = std::cos(out.edges[k] / detail::rad_to_deg) - std::cos(out.edges[k + 1] / detail::rad_to_deg);
        }
        out.counts.assign(bins, 0);
        out.counts_center.assign(s, std::vector<std::uint64_t>(bins, 0));
        out.counts_triplet.assign(s * np, std::vector<std::uint64_t>(bins, 0));
        out.angles_center.assign(s, 0);
        out.angles_triplet.assign(s * np, 0);
        for (std::size_t t = 0; t < s * np; ++t) {
            const std::size_t c = t / np;
            for (std::size_t k = 0; k < bins; ++k) {
                const std::uint64_t x = m_hist[t * bins + k];
                out.counts_triplet[t][k] = x;
                out.counts_center[c][k] += x;
                out.counts[k] += x;
                out.angles_triplet[t] += x;
                out.angles_center[c] += x;
                out.angles += x;
            }
        }
        auto density = [&](const std::vector<std::uint64_t>& h, std::uint64_t total, bool cosine) {
            std::vector<double> d(bins, 0.0);
            if (total == 0) return d;
            const double n = static_cast<double>(total);
            for (std::size_t k = 0; k < bins; ++k)
                d[k] = static_cast<double>(h[k]) / (n * (cosine ? dcos[k] : out.width));
            return d;
        };
        auto per_atom = [&](const std::vector<std::uint64_t>& h, std::uint64_t atoms) {
            std::vector<double> d(bins, 0.0);
            if (atoms == 0) return d;
            for (std::size_t k = 0; k < bins; ++k) d[k] = static_cast<double>(h[k]) / static_cast<double>(atoms);
            return d;
        };
        std::uint64_t all_atoms = 0;
        for (auto x : m_centres) all_atoms += x;
        out.p = density(out.counts, out.angles, false);
        out.p_cos = density(out.counts, out.angles, true);
        out.per_centre = per_atom(out.counts, all_atoms);
        for (std::size_t c = 0; c < s; ++c) {
            out.p_center.push_back(density(out.counts_center[c], out.angles_center[c], false));
            out.p_cos_center.push_back(density(out.counts_center[c], out.angles_center[c], true));
            out.per_centre_center.push_back(per_atom(out.counts_center[c], m_centres[c]));
        }
        for (std::size_t t = 0; t < s * np; ++t) {
            out.p_triplet.push_back(density(out.counts_triplet[t], out.angles_triplet[t], false));
            out.p_cos_triplet.push_back(density(out.counts_triplet[t], out.angles_triplet[t], true));
        }
        return out;
    }

    // ---- flat, versioned state (MPI reductions, files); all integer ----
    static constexpr std::uint64_t state_version = 1;
    /// [version, frames, bins, S, histogram (S·P·bins), centre atoms (S)].
    [[nodiscard]] std::vector<std::uint64_t> integer_state() const {
        std::vector<std::uint64_t> v{state_version, m_frames, m_p.bins, m_species.size()};
        v.insert(v.end(), m_hist.begin(), m_hist.end());
        v.insert(v.end(), m_centres.begin(), m_centres.end());
        return v;
    }
    /// No floating-point state (kept for the uniform accumulator interface).
    [[nodiscard]] std::vector<double> real_state() const { return {}; }
    /// Replace the state by one from integer_state() of a compatible accumulator (e.g. after an
    /// MPI sum, where version, bins and S must be reset by the caller or summed equally).
    /// \throws materia::invalid_argument on mismatch.
    void set_state(const std::vector<std::uint64_t>& ints, const std::vector<double>& reals = {}) {
        const std::size_t s = m_species.size();
        if (ints.size() != 4 + m_hist.size() + s || !reals.empty())
            throw_invalid("adf_accumulator::set_state: state sizes do not match this accumulator");
        if (ints[0] != state_version || ints[2] != m_p.bins || ints[3] != s)
            throw_invalid("adf_accumulator::set_state: incompatible state (version ", ints[0], ")");
        m_frames = static_cast<std::size_t>(ints[1]);
        std::copy(ints.begin() + 4, ints.begin() + 4 + static_cast<std::ptrdiff_t>(m_hist.size()), m_hist.begin());
        std::copy(ints.end() - static_cast<std::ptrdiff_t>(s), ints.end(), m_centres.begin());
    }

private:
    [[nodiscard]] std::size_t n_pairs() const noexcept { return m_species.size() * (m_species.size() + 1) / 2; }
    [[nodiscard]] std::size_t pair_of(std::size_t a, std::size_t b) const noexcept {
        if (a > b) std::swap(a, b);
        return a * m_species.size() - a * (a + 1) / 2 + b;
    }

    adf_params m_p;
    std::vector<std::string> m_species;
    pair_cutoffs m_cut;
    std::vector<std::uint64_t> m_hist;     // [(c·P + p)·bins + bin]
    std::vector<std::uint64_t> m_centres;  // Σ_f N_c
    std::size_t m_frames = 0;
};

/// One-shot bond-angle distribution of one frame.  `cutoffs` in the species order of `species`.
/// \throws materia::invalid_argument for bad input.
template <point_set P>
[[nodiscard]] adf_result bond_angle_distribution(const P& points, const species_list& species,
                                                 const materia::cell& box, const pair_cutoffs& cutoffs,
                                                 const adf_params& params = {}) {
    adf_accumulator acc(params, species.names(), cutoffs);
    acc.accumulate(points, species, box);
    return acc.result();
}

/// Bond cutoffs at the first minimum of every partial g_ab(r) (SCIENCE.md §1.2: smoothed, first
/// minimum after the main peak).  Pairs whose partial has no interior minimum (or no pairs at
/// all) get `fallback` (0 = never bonded); never the r_max edge.  Species order = res.species.
/// \throws materia::invalid_argument for a negative fallback.
[[nodiscard]] inline pair_cutoffs first_minimum_cutoffs(const rdf_result& res, double fallback = 0.0,
                                                        double smoothing_bins = 1.5) {
    if (!(fallback >= 0) || !std::isfinite(fallback))
        throw_invalid("first_minimum_cutoffs: fallback must be finite and >= 0 (got ", fallback, ")");
    const std::size_t s = res.n_species();
    pair_cutoffs out(s, fallback);
    for (std::size_t a = 0; a < s; ++a)
        for (std::size_t b = a; b < s; ++b) {
            const auto& g = res.g_partial[res.pair_index(a, b)];
            bool any = false;
            for (double x : g) any = any || x > 0;
            if (!any || g.size() < 5) continue;
            if (const auto m = first_minimum(res.r, g, smoothing_bins)) out.set(a, b, m->r);
        }
    return out;
}

}  // namespace materia
