// materia/structure/rdf.hpp — pair distribution functions: total and partial g(r), reduced G(r),
// running coordination numbers, accumulated over frames and mergeable across threads and processes.
//
// Entry points: materia::rdf_params, materia::rdf_accumulator (accumulate / merge / reset /
// result), materia::rdf_result, and the one-shot materia::rdf(points, species, cell, params).
// Related transforms and peak analysis live in <materia/structure/rdf_analysis.hpp>.
//
// Conventions (SCIENCE.md §1; echoed by result().conventions()):
//  * bins: N equal bins on [r_min, r_max); a pair at distance r lands in bin floor((r−r_min)/Δr)
//    (LAMMPS convention), r reported at bin centres, edges available;
//  * every periodic image inside r_max counts, so r_max may exceed half the cell (even the cell);
//  * partial g_ab(r_k) = Σ_f n_ab,f(k) / (Σ_f N_a,f (N_b,f − δ_ab)/V_f · V_shell(k)), with n_ab the
//    number of ordered pairs (i∈a, j∈b, j≠i) in the bin and V_shell the exact shell volume
//    4π/3 (r_{k+1}³ − r_k³).  An ideal gas gives exactly 1 on average (a species with a single
//    atom in the cell falls back to N_a N_b, since it only pairs with its own images).  The alternative self-pair
//    convention N_a N_b (freud/MDAnalysis "thermodynamic", g → (N−1)/N) is an option;
//  * per-frame volumes (NPT-correct): the denominators are sums over frames of N_a N_b / V_f;
//  * total g uses all ordered pairs and N(N−1) (or N²); it equals Σ_ab c_a c_b g_ab when the
//    self-pair convention is N_a N_b, and the number-weighted Faber–Ziman sum otherwise up to
//    the finite-size factors;
//  * G(r) = 4π r ρ (g(r) − 1) with ρ = ⟨N/V⟩ over frames;
//  * running coordination n_ab(r) = mean number of b atoms within r of an a atom, counted to the
//    bin's upper edge (Σ_f cumulative ordered counts / Σ_f N_a,f).
// Raw integer counts are always available, so users can renormalise.
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/neighbors/cell_list.hpp>
#include <materia/structure/distance_bins.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

namespace materia {

/// How self pairs enter the normalisation of a like-species partial.
enum class self_pair_norm {
    exclude,  ///< N_a (N_b − δ_ab): g → 1 exactly for an ideal gas (LAMMPS; default)
    include   ///< N_a N_b: g → (N_a − 1)/N_a (freud/MDAnalysis default)
};

/// Parameters of a pair-distribution histogram.
struct rdf_params {
    double r_max = 0;          ///< upper edge of the last bin (length unit of the positions), > r_min
    std::size_t bins = 0;      ///< number of equal bins, ≥ 1
    double r_min = 0;          ///< lower edge of the first bin, ≥ 0
    self_pair_norm self_pairs = self_pair_norm::exclude;
    int threads = 0;           ///< worker threads (0 = all); results do not depend on it

    /// \throws materia::invalid_argument naming the bad parameter.
    void validate() const {
        if (!(r_max > 0) || !std::isfinite(r_max)) throw_invalid("rdf: r_max must be positive and finite (got ", r_max, ")");
        if (!(r_min >= 0) || !std::isfinite(r_min)) throw_invalid("rdf: r_min must be >= 0 (got ", r_min, ")");
        if (!(r_max > r_min)) throw_invalid("rdf: r_max must be > r_min (got r_max=", r_max, ", r_min=", r_min, ")");
        if (bins == 0) throw_invalid("rdf: bins must be >= 1 (got 0)");
        if (bins > 100000000) throw_invalid("rdf: bins must be <= 1e8 (got ", bins, ")");
    }
};

/// Normalised pair-distribution curves of one accumulator (all vectors have `bins` entries, partial
/// arrays are indexed by unordered pair p(a,b) with a ≤ b, or by ordered pair a·S + b).
struct rdf_result {
    std::vector<std::string> species;  ///< sorted species names
    std::vector<double> edges;         ///< bins+1 bin edges
    std::vector<double> r;             ///< bin centres
    std::vector<double> g;             ///< total g(r)
    std::vector<double> G;             ///< reduced G(r) = 4π r ρ (g − 1)
    std::vector<std::vector<double>> g_partial;      ///< [unordered pair][bin]
    std::vector<std::vector<double>> n_running;      ///< [ordered pair a·S+b][bin], to the upper edge
    std::vector<std::vector<std::uint64_t>> counts;  ///< raw ordered pair counts [ordered pair][bin]
    double density = 0;          ///< ⟨N/V⟩ over frames
    double mean_volume = 0;      ///< ⟨V⟩ over frames
    std::vector<double> mean_species_count;  ///< ⟨N_a⟩ over frames
    std::size_t frames = 0;
    self_pair_norm self_pairs = self_pair_norm::exclude;

    [[nodiscard]] std::size_t n_species() const noexcept { return species.size(); }
    /// Index of the unordered pair (a, b) in g_partial.
    [[nodiscard]] std::size_t pair_index(std::size_t a, std::size_t b) const noexcept {
        if (a > b) std::swap(a, b);
        return a * species.size() - a * (a + 1) / 2 + b;
    }
    /// Text describing the conventions, for output metadata.
    [[nodiscard]] std::string conventions() const {
        return std::string("bins [lo,hi) floor((r-rmin)/dr), centres reported; exact shell volumes; all periodic images; "
                           "self pairs ") +
               (self_pairs == self_pair_norm::exclude ? "excluded: N_a(N_b-delta_ab)" : "included: N_a N_b") +
               "; per-frame volumes; G = 4 pi r rho (g-1); n(r) to bin upper edge";
    }
};

/// Accumulates pair-distance histograms over frames.
///
/// Thread safety: accumulate() uses threads internally; one accumulator must not be shared between
/// user threads without a lock — give each thread its own and merge().
class rdf_accumulator {
public:
    /// \param species_names  the species of every frame that will be accumulated (sorted names are
    ///        used; frames may contain a subset).  \throws materia::invalid_argument for bad params.
    rdf_accumulator(rdf_params params, std::vector<std::string> species_names) : m_p(params) {
        m_p.validate();
        std::sort(species_names.begin(), species_names.end());
        species_names.erase(std::unique(species_names.begin(), species_names.end()), species_names.end());
        if (species_names.empty()) throw_invalid("rdf: at least one species is needed");
        m_species = std::move(species_names);
        reset();
    }

    /// Forget all frames.
    void reset() {
        const std::size_t s = m_species.size();
        m_hist.assign(s * (s + 1) / 2, std::vector<std::uint64_t>(m_p.bins, 0));
        m_norm.assign(s * s, 0.0);
        m_norm_total = 0;
        m_species_atoms.assign(s, 0.0);
        m_density_sum = 0;
        m_volume_sum = 0;
        m_frames = 0;
    }

    /// Add one frame.  species.names() must all be among the accumulator's species.
    /// \throws materia::invalid_argument for size mismatches, unknown species, fewer than 2 atoms
    /// \throws materia::domain_error when the cell has no volume (open cluster)
    template <point_set P>
    void accumulate(const P& points, const species_list& species, const materia::cell& box) {
        const auto pts = as_points(points);
        if (species.size() != pts.size())
            throw_invalid("rdf: ", pts.size(), " positions but ", species.size(), " species entries");
        if (pts.empty()) throw_invalid("rdf: a frame needs at least 1 atom (got 0)");
        if (!box.has_lattice() || !box.fully_periodic())
            throw_domain("rdf: g(r) needs a volume: the cell must be periodic in all three directions");
        const double volume = box.volume();
        const std::size_t s = m_species.size();
        // map the frame's species indices to ours
        std::vector<std::uint32_t> map(species.n_species());
        for (std::size_t k = 0; k < species.n_species(); ++k) {
            auto it = std::lower_bound(m_species.begin(), m_species.end(), species.name(k));
            if (it == m_species.end() || *it != species.name(k))
                throw_invalid("rdf: species '", species.name(k), "' was not declared to the accumulator");
            map[k] = static_cast<std::uint32_t>(it - m_species.begin());
        }
        std::vector<std::uint32_t> sp(pts.size());
        std::vector<double> n_of(s, 0.0);
        for (std::size_t i = 0; i < pts.size(); ++i) {
            sp[i] = map[species[i]];
            n_of[sp[i]] += 1.0;
        }
        std::vector<std::uint32_t> pidx(s * s);
        for (std::size_t a = 0; a < s; ++a)
            for (std::size_t b = 0; b < s; ++b) pidx[a * s + b] = static_cast<std::uint32_t>(unordered_index(a, b, s));

        const std::size_t bins = m_p.bins;
        const double r_min = m_p.r_min;
        const std::size_t npairs = s * (s + 1) / 2;
        const detail::distance_binning binning{r_min, r_min * r_min,
                                               static_cast<double>(bins) / (m_p.r_max - m_p.r_min),
                                               static_cast<double>(bins - 1), static_cast<std::uint32_t>(bins)};
        cell_list cl(pts, box, m_p.r_max);
        // Species in the cell list's sorted order, and each species' row of the pair table, so the
        // per-pair work is a table lookup and one increment.  Rows have bins + 1 slots: the last one
        // takes the pairs below r_min (cheaper than a branch in the loop), and is dropped below.
        const std::size_t stride = bins + 1;
        std::vector<std::uint32_t> sp_sorted(pts.size());
        for (std::size_t slot = 0; slot < pts.size(); ++slot) sp_sorted[slot] = sp[cl.atom_of(slot)];
        std::vector<std::size_t> row_offset(s * s);
        for (std::size_t ab = 0; ab < s * s; ++ab) row_offset[ab] = static_cast<std::size_t>(pidx[ab]) * stride;
        const int t = chunk_count(resolve_threads(m_p.threads));
        std::vector<std::vector<std::uint64_t>> local(static_cast<std::size_t>(t));
        parallel_chunks(cl.n_bins(), t, [&](int k, std::size_t b0, std::size_t b1) {
            auto& h = local[static_cast<std::size_t>(k)];
            h.assign(npairs * stride, 0);
            std::uint64_t* hp = h.data();
            const std::uint32_t* spp = sp_sorted.data();
            const std::size_t* rows = row_offset.data();
            std::vector<std::uint32_t> bin_buf;
            auto visit = [&bin_buf, hp, spp, rows, s, &binning](const cell_list::pair_block& blk) {
                if (bin_buf.size() < blk.n_hits) bin_buf.resize(blk.n_hits);
                std::uint32_t* bin = bin_buf.data();
                detail::distance_bins(blk.r2, blk.n_hits, binning, bin);
                // Locals, not captures by reference: the histogram writes cannot alias them.
                std::uint64_t* const hist = hp;
                const std::size_t* row_i = rows + static_cast<std::size_t>(spp[blk.i_slot]) * s;
                const std::uint32_t* spj = spp + blk.j_begin;
                for (std::size_t m = 0; m < blk.n_hits; ++m) ++hist[row_i[spj[blk.hits[m]]] + bin[m]];
            };
            cl.visit_blocks(b0, b1, visit);
        });
        for (const auto& h : local)
            for (std::size_t p = 0; p < npairs; ++p)
                for (std::size_t b = 0; b < bins; ++b) m_hist[p][b] += h[p * stride + b];

        const double n_total = static_cast<double>(pts.size());
        const bool excl = m_p.self_pairs == self_pair_norm::exclude;
        // A species with a single atom has no j ≠ i partner, only its own periodic images; then
        // N_a (N_b − 1) = 0 and the N_a N_b form (the images' density is 1/V) is the only finite one.
        for (std::size_t a = 0; a < s; ++a)
            for (std::size_t b = 0; b < s; ++b) {
                const double partners = n_of[b] - ((excl && a == b && n_of[b] > 1.0) ? 1.0 : 0.0);
                m_norm[a * s + b] += n_of[a] * partners / volume;
            }
        m_norm_total += n_total * (n_total - ((excl && n_total > 1.0) ? 1.0 : 0.0)) / volume;
        for (std::size_t a = 0; a < s; ++a) m_species_atoms[a] += n_of[a];
        m_density_sum += n_total / volume;
        m_volume_sum += volume;
        ++m_frames;
    }

    /// Add another accumulator's frames (same parameters and species).  Integer histograms add
    /// exactly, so any grouping of frames over threads or processes gives identical counts.
    /// \throws materia::invalid_argument when parameters or species differ.
    void merge(const rdf_accumulator& other) {
        if (other.m_species != m_species || other.m_p.bins != m_p.bins || other.m_p.r_max != m_p.r_max ||
            other.m_p.r_min != m_p.r_min || other.m_p.self_pairs != m_p.self_pairs)
            throw_invalid("rdf_accumulator::merge: the accumulators have different parameters or species");
        for (std::size_t p = 0; p < m_hist.size(); ++p)
            for (std::size_t b = 0; b < m_p.bins; ++b) m_hist[p][b] += other.m_hist[p][b];
        for (std::size_t k = 0; k < m_norm.size(); ++k) m_norm[k] += other.m_norm[k];
        for (std::size_t k = 0; k < m_species_atoms.size(); ++k) m_species_atoms[k] += other.m_species_atoms[k];
        m_norm_total += other.m_norm_total;
        m_density_sum += other.m_density_sum;
        m_volume_sum += other.m_volume_sum;
        m_frames += other.m_frames;
    }

    [[nodiscard]] std::size_t n_frames() const noexcept { return m_frames; }
    [[nodiscard]] const rdf_params& params() const noexcept { return m_p; }
    [[nodiscard]] const std::vector<std::string>& species() const noexcept { return m_species; }
    /// Raw unordered-pair histograms [unordered pair][bin] (an a–a pair counted once).
    [[nodiscard]] const std::vector<std::vector<std::uint64_t>>& raw_histograms() const noexcept { return m_hist; }

    /// The normalised curves.  \throws materia::domain_error when no frame was accumulated.
    [[nodiscard]] rdf_result result() const {
        if (m_frames == 0) throw_domain("rdf: no frames accumulated");
        const std::size_t s = m_species.size(), bins = m_p.bins;
        rdf_result out;
        out.species = m_species;
        out.frames = m_frames;
        out.self_pairs = m_p.self_pairs;
        out.density = m_density_sum / static_cast<double>(m_frames);
        out.mean_volume = m_volume_sum / static_cast<double>(m_frames);
        for (double x : m_species_atoms) out.mean_species_count.push_back(x / static_cast<double>(m_frames));
        const double dr = (m_p.r_max - m_p.r_min) / static_cast<double>(bins);
        out.edges.resize(bins + 1);
        for (std::size_t k = 0; k <= bins; ++k) out.edges[k] = m_p.r_min + dr * static_cast<double>(k);
        out.edges[bins] = m_p.r_max;
        std::vector<double> shell(bins);
        out.r.resize(bins);
        for (std::size_t k = 0; k < bins; ++k) {
            const double lo = out.edges[k], hi = out.edges[k + 1];
            out.r[k] = 0.5 * (lo + hi);
            shell[k] = 4.0 / 3.0 * std::numbers::pi * (hi * hi * hi - lo * lo * lo);
        }
        out.counts.assign(s * s, std::vector<std::uint64_t>(bins, 0));
        for (std::size_t a = 0; a < s; ++a)
            for (std::size_t b = 0; b < s; ++b) {
                const auto& h = m_hist[unordered_index(a, b, s)];
                for (std::size_t k = 0; k < bins; ++k) out.counts[a * s + b][k] = (a == b ? 2 : 1) * h[k];
            }
        out.g_partial.assign(s * (s + 1) / 2, std::vector<double>(bins, 0.0));
        for (std::size_t a = 0; a < s; ++a)
            for (std::size_t b = a; b < s; ++b) {
                const double norm = m_norm[a * s + b];
                auto& g = out.g_partial[unordered_index(a, b, s)];
                for (std::size_t k = 0; k < bins; ++k)
                    g[k] = norm > 0 ? static_cast<double>(out.counts[a * s + b][k]) / (norm * shell[k]) : 0.0;
            }
        out.g.assign(bins, 0.0);
        out.G.assign(bins, 0.0);
        for (std::size_t k = 0; k < bins; ++k) {
            std::uint64_t total = 0;
            for (std::size_t p = 0; p < s * s; ++p) total += out.counts[p][k];
            out.g[k] = m_norm_total > 0 ? static_cast<double>(total) / (m_norm_total * shell[k]) : 0.0;
            out.G[k] = 4.0 * std::numbers::pi * out.r[k] * out.density * (out.g[k] - 1.0);
        }
        out.n_running.assign(s * s, std::vector<double>(bins, 0.0));
        for (std::size_t a = 0; a < s; ++a)
            for (std::size_t b = 0; b < s; ++b) {
                std::uint64_t cum = 0;
                auto& n = out.n_running[a * s + b];
                for (std::size_t k = 0; k < bins; ++k) {
                    cum += out.counts[a * s + b][k];
                    n[k] = m_species_atoms[a] > 0 ? static_cast<double>(cum) / m_species_atoms[a] : 0.0;
                }
            }
        return out;
    }

    // ---- flat, versioned state for MPI reductions and files (see <materia/mpi.hpp>) ----
    static constexpr std::uint64_t state_version = 1;
    /// Integer part of the state: [version, frames, bins, n_species, histograms…].
    [[nodiscard]] std::vector<std::uint64_t> integer_state() const {
        std::vector<std::uint64_t> v{state_version, m_frames, m_p.bins, m_species.size()};
        for (const auto& h : m_hist) v.insert(v.end(), h.begin(), h.end());
        return v;
    }
    /// Floating part of the state: [norms (S²), norm_total, species atoms (S), density sum, volume sum].
    [[nodiscard]] std::vector<double> real_state() const {
        std::vector<double> v(m_norm);
        v.push_back(m_norm_total);
        v.insert(v.end(), m_species_atoms.begin(), m_species_atoms.end());
        v.push_back(m_density_sum);
        v.push_back(m_volume_sum);
        return v;
    }
    /// Replace the state by one produced by integer_state()/real_state() of a compatible
    /// accumulator (for example after an MPI sum).  \throws materia::invalid_argument on mismatch.
    void set_state(const std::vector<std::uint64_t>& ints, const std::vector<double>& reals) {
        const std::size_t s = m_species.size(), bins = m_p.bins, np = s * (s + 1) / 2;
        if (ints.size() != 4 + np * bins || reals.size() != s * s + 1 + s + 2)
            throw_invalid("rdf_accumulator::set_state: state sizes do not match this accumulator");
        if (ints[0] != state_version || ints[2] != bins || ints[3] != s)
            throw_invalid("rdf_accumulator::set_state: incompatible state (version ", ints[0], ")");
        m_frames = ints[1];
        for (std::size_t p = 0; p < np; ++p)
            for (std::size_t b = 0; b < bins; ++b) m_hist[p][b] = ints[4 + p * bins + b];
        std::copy(reals.begin(), reals.begin() + static_cast<std::ptrdiff_t>(s * s), m_norm.begin());
        m_norm_total = reals[s * s];
        for (std::size_t a = 0; a < s; ++a) m_species_atoms[a] = reals[s * s + 1 + a];
        m_density_sum = reals[s * s + 1 + s];
        m_volume_sum = reals[s * s + 2 + s];
    }

private:
    static std::size_t unordered_index(std::size_t a, std::size_t b, std::size_t s) noexcept {
        if (a > b) std::swap(a, b);
        return a * s - a * (a + 1) / 2 + b;  // row-major upper triangle including the diagonal
    }

    rdf_params m_p;
    std::vector<std::string> m_species;
    std::vector<std::vector<std::uint64_t>> m_hist;  // [unordered pair][bin], each atom pair once
    std::vector<double> m_norm;                      // Σ_f N_a (N_b − δ) / V_f, [a·S + b]
    double m_norm_total = 0;
    std::vector<double> m_species_atoms;             // Σ_f N_a
    double m_density_sum = 0;
    double m_volume_sum = 0;
    std::size_t m_frames = 0;
};

/// One-shot g(r) of a single frame.
template <point_set P>
[[nodiscard]] rdf_result rdf(const P& points, const species_list& species, const materia::cell& box,
                             const rdf_params& params) {
    rdf_accumulator acc(params, species.names());
    acc.accumulate(points, species, box);
    return acc.result();
}

}  // namespace materia
