// materia/dynamics/msd.hpp — mean-squared displacement with all time origins (windowed MSD).
//
// Entry points: materia::msd_accumulator (feed unwrapped frames one at a time; result()),
// materia::msd_options, materia::msd_result (total, per species, per Cartesian component, per atom),
// materia::msd_fft(frames, species, options) and materia::msd_direct(frames, species, max_lag)
// (the O(M²) reference used by the tests); msd_accumulator::merge / integer_state / real_state /
// set_state combine independent trajectories (MPI reductions, files).
//
// Definition (SCIENCE.md §4.1): for M stored frames and lag m (0 ≤ m < M),
//   MSD(m) = 1/(N (M − m)) Σ_i Σ_{k=0}^{M−1−m} |r_i(k + m) − r_i(k)|²,
// every frame k is a time origin.  Positions must be UNWRAPPED (materia::unwrapper).
//
// Algorithm (Kneller et al., Comput. Phys. Commun. 91, 191 (1995); Calandrini et al., JDN 12, 201
// (2011); tidynamics): for one coordinate series x_k,
//   Σ_k (x_{k+m} − x_k)² = Σ_{k<K} x_k² + Σ_{k<K} x_{k+m}² − 2 Σ_{k<K} x_k x_{k+m},  K = M − m,
// the squares from prefix sums and the correlation by FFT (zero-padded to P ≥ 2M, no aliasing),
// O(M log M) per coordinate.  Two real series share one complex FFT (z = x + i y; the spectra are
// separated by Hermitian symmetry), and each series is shifted by its mean first — the MSD does not
// change, but the cancellation in S1 − 2 S2 then involves numbers of the size of the displacements
// instead of the size of the box, which keeps the FFT result within ~1e-12 relative of the direct
// double sum (tested to 1e-10).
//
// Streaming with bounded memory (options.max_lag = L > 0): origins are processed in blocks of B
// frames.  A block needs its own frames plus the next L (the partners of its origins), so only a ring
// of B + L frames is kept; each block is a cross-correlation of the block with that window by FFT of
// length P = 2^k ≥ B + L.  Results are exact (identical to the all-lags algorithm for m ≤ L).
//
// Memory a trajectory needs (N atoms, M frames, 8-byte doubles):
//   all lags (max_lag = 0): 24·N·M bytes (every unwrapped frame is kept) — 2,000 atoms × 500 frames
//     = 24 MB; 10,000 × 10,000 = 2.4 GB (use max_lag then);
//   streaming (max_lag = L): 24·N·(B + L) bytes for the ring (B defaults to P − L with P the power
//     of two ≥ 3(L+1)), independent of M — 10,000 atoms, L = 100: 123 MB;
//   plus per_atom: 8·N·(lags) bytes; plus per thread two complex buffers of P values, a gather
//   buffer of 32 atoms × 3 × (B + L) doubles and the per-species sums (3 · species · lags doubles).
//
// Merging (issue 13, "msd where it applies"): the MSD is a time correlation, so ONE trajectory
// cannot be split into frame blocks that are reduced afterwards — the pairs (k, k + m) that straddle
// a block boundary would be lost and the result would not equal the single run.  What does merge
// exactly is an ensemble of INDEPENDENT trajectories of the same system (replicas, different seeds,
// or segments deliberately treated as independent): their raw sums Σ_i Σ_k |Δr|² and their origin
// counts add, so the merged MSD(m) = Σ_runs raw(m) / (N Σ_runs (M_run − m)), the average over every
// time origin of every run — what one process gets by feeding each run to its own accumulator and
// merging.  merge() does that, and the flat state (integer_state: version, sizes, frames, runs,
// origins per lag; real_state: the raw sums) lets MPI ranks or files be combined the same way.
// Origin counts and frame counts are integers (identical for any grouping); the sums are doubles
// (equal to a single process up to summation order, ~1e-15 relative).  For a single long trajectory
// on several ranks, split the ATOMS instead (each rank unwraps and feeds its own atom subset; the
// per-species sums of disjoint subsets add) — not provided as a merge here because the subsets
// have different species lists.
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/numerics/fft.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace materia {

/// Options of the MSD accumulator.
struct msd_options {
    /// Largest lag (frames) to compute.  0: all lags 0 … M−1, keeping every frame in memory
    /// (24 bytes per atom per frame).  > 0: streaming in bounded memory, lags 0 … min(L, M−1).
    std::size_t max_lag = 0;
    /// Streaming block length B (origins per FFT block); 0 chooses P − L with P = 2^k ≥ 3(L+1).
    std::size_t block = 0;
    /// Also keep the MSD of every atom (8 bytes per atom per lag).
    bool per_atom = false;
    /// Worker threads (≤ 0: all cores).  Results do not depend on it beyond summation order.
    int threads = 1;
};

/// Mean-squared displacements (Å² when positions are in Å) as a function of lag (frames).
struct msd_result {
    std::vector<std::string> species;          ///< species names (sorted), index s below
    std::vector<std::size_t> atoms_per_species; ///< N_s
    std::size_t n_atoms = 0;                   ///< N
    std::size_t n_frames = 0;                  ///< M (summed over the trajectories of a merged result)
    std::vector<std::size_t> lag;              ///< lag m in frames (0, 1, …)
    std::vector<std::size_t> origins;          ///< number of time origins M − m for each lag (Σ over merged runs)
    std::vector<double> msd;                   ///< all atoms, 3-D: MSD(m)
    std::array<std::vector<double>, 3> msd_dim;  ///< all atoms, per Cartesian component x, y, z
    std::vector<std::vector<double>> msd_species;                      ///< [s][m]
    std::vector<std::array<std::vector<double>, 3>> msd_species_dim;   ///< [s][d][m]
    std::vector<std::vector<double>> msd_atom;  ///< [i][m], 3-D (only with per_atom)

    /// MSD over a subset of Cartesian components, e.g. "xy" (2-D, lateral) or "z"; for all atoms
    /// (species = nullopt) or one species index.
    /// \throws materia::invalid_argument for letters other than x, y, z or a bad species index.
    [[nodiscard]] std::vector<double> component(std::string_view dims, std::optional<std::size_t> s = std::nullopt) const {
        if (dims.empty()) throw_invalid("msd_result::component: no dimension letters (expected e.g. \"xy\")");
        if (s && *s >= msd_species.size())
            throw_invalid("msd_result::component: species index ", *s, " out of range (", msd_species.size(), " species)");
        std::vector<double> out(lag.size(), 0.0);
        std::array<bool, 3> used{false, false, false};
        for (char ch : dims) {
            const int d = ch == 'x' ? 0 : ch == 'y' ? 1 : ch == 'z' ? 2 : -1;
            if (d < 0) throw_invalid("msd_result::component: dimension letters must be x, y, z (got \"", dims, "\")");
            const auto du = static_cast<std::size_t>(d);
            if (used[du]) throw_invalid("msd_result::component: dimension repeated in \"", dims, "\"");
            used[du] = true;
            const auto& src = s ? msd_species_dim[*s][du] : msd_dim[du];
            for (std::size_t m = 0; m < out.size(); ++m) out[m] += src[m];
        }
        return out;
    }
};

namespace detail {

/// Raw sums Σ_atoms Σ_origins (Δx_d)² per species s, dimension d and lag m, plus per atom.
struct msd_sums {
    std::size_t lags = 0;
    std::size_t groups = 0;
    std::vector<double> by_group;  // [(s*3 + d)*lags + m]
    std::vector<double> by_atom;   // [i*lags + m] (optional)

    void init(std::size_t n_groups, std::size_t n_lags, std::size_t n_atoms_for_per_atom) {
        lags = n_lags;
        groups = n_groups;
        by_group.assign(n_groups * 3 * n_lags, 0.0);
        by_atom.assign(n_atoms_for_per_atom * n_lags, 0.0);
    }
};

/// Assemble an msd_result from raw sums and the number of time origins of every lag.
inline msd_result finish_msd(const msd_sums& sums, const species_list& species, std::size_t n_frames,
                             const std::vector<std::size_t>& origins, bool per_atom) {
    msd_result r;
    const std::size_t L = sums.lags;
    const std::size_t S = species.n_species();
    r.species = species.names();
    r.atoms_per_species = species.counts();
    r.n_atoms = species.size();
    r.n_frames = n_frames;
    r.lag.resize(L);
    r.origins.assign(origins.begin(), origins.begin() + static_cast<std::ptrdiff_t>(L));
    for (std::size_t m = 0; m < L; ++m) r.lag[m] = m;
    r.msd.assign(L, 0.0);
    for (auto& v : r.msd_dim) v.assign(L, 0.0);
    r.msd_species.assign(S, std::vector<double>(L, 0.0));
    r.msd_species_dim.resize(S);
    for (std::size_t s = 0; s < S; ++s) {
        const double ns = static_cast<double>(r.atoms_per_species[s]);
        for (std::size_t d = 0; d < 3; ++d) {
            auto& out = r.msd_species_dim[s][d];
            out.assign(L, 0.0);
            for (std::size_t m = 0; m < L; ++m) {
                const double raw = sums.by_group[(s * 3 + d) * L + m];
                const double norm = static_cast<double>(r.origins[m]);
                out[m] = ns > 0 ? raw / (ns * norm) : 0.0;
                r.msd_species[s][m] += out[m];
                r.msd_dim[d][m] += raw / (static_cast<double>(r.n_atoms) * norm);
            }
        }
    }
    for (std::size_t m = 0; m < L; ++m) r.msd[m] = r.msd_dim[0][m] + r.msd_dim[1][m] + r.msd_dim[2][m];
    if (per_atom) {
        r.msd_atom.assign(r.n_atoms, std::vector<double>(L, 0.0));
        for (std::size_t i = 0; i < r.n_atoms; ++i)
            for (std::size_t m = 0; m < L; ++m)
                r.msd_atom[i][m] = sums.by_atom[i * L + m] / static_cast<double>(r.origins[m]);
    }
    return r;
}

/// Assemble an msd_result of one trajectory of n_frames frames (M − m origins at lag m).
inline msd_result finish_msd(const msd_sums& sums, const species_list& species, std::size_t n_frames, bool per_atom) {
    std::vector<std::size_t> origins(sums.lags);
    for (std::size_t m = 0; m < sums.lags; ++m) origins[m] = n_frames - m;
    return finish_msd(sums, species, n_frames, origins, per_atom);
}

}  // namespace detail

/// Streaming MSD: add unwrapped frames in time order, then result().
///
/// \code
///   materia::msd_accumulator acc(species, {.max_lag = 0});   // all lags, FFT
///   materia::unwrapper u;
///   for (const auto& f : frames) acc.add_frame(u.next(f.positions, f.cell));
///   materia::msd_result r = acc.result();                   // r.msd[m], r.msd_species[s][m]
/// \endcode
/// Memory: see the file comment (24·N·M bytes for all lags, 24·N·(B + L) for max_lag = L).
class msd_accumulator {
public:
    /// \param species species of the N atoms (fixes N and the groups).
    /// \throws materia::invalid_argument for zero atoms.
    explicit msd_accumulator(species_list species, msd_options opts = {})
        : m_species(std::move(species)), m_opts(opts) {
        m_n = m_species.size();
        if (m_n == 0) throw_invalid("msd_accumulator: no atoms (got 0)");
        if (m_opts.max_lag > 0) {
            const std::size_t L = m_opts.max_lag;
            if (m_opts.block == 0) m_block = next_power_of_two(3 * (L + 1)) - L;
            else m_block = m_opts.block;
            m_capacity = m_block + L;
            m_ring.assign(m_capacity * m_n * 3, 0.0);
            m_sums.init(m_species.n_species(), L + 1, m_opts.per_atom ? m_n : 0);
        }
    }

    /// Append the next frame of unwrapped positions (same atoms, same order, every frame).
    /// \throws materia::invalid_argument when the atom count differs or a coordinate is not finite.
    template <point_set P>
    void add_frame(const P& positions) {
        const auto v = as_points(positions);
        if (v.size() != m_n) throw_invalid("msd_accumulator::add_frame: frame ", m_frames, " has ", v.size(), " atoms, expected ", m_n);
        double* dst = nullptr;
        if (m_opts.max_lag == 0) {
            m_ring.resize((m_frames + 1) * m_n * 3);
            dst = m_ring.data() + m_frames * m_n * 3;
        } else {
            dst = m_ring.data() + (m_frames % m_capacity) * m_n * 3;
        }
        for (std::size_t i = 0; i < m_n; ++i)
            for (std::size_t d = 0; d < 3; ++d) {
                const double x = static_cast<double>(v(i, d));
                if (!std::isfinite(x)) throw_invalid("msd_accumulator::add_frame: non-finite coordinate of atom ", i, " in frame ", m_frames, " (got ", x, ")");
                dst[i * 3 + d] = x;
            }
        ++m_frames;
        if (m_opts.max_lag > 0 && m_frames == m_block_start + m_capacity) {
            process_block(m_sums, m_block_start, m_block, m_capacity, m_opts.max_lag);
            m_block_start += m_block;
        }
    }

    /// The MSD so far (may be called repeatedly; does not change the state).  After merge() or
    /// set_state(): the average over every time origin of every trajectory (see the file comment).
    /// \throws materia::domain_error before the first frame.
    [[nodiscard]] msd_result result() const {
        if (m_frames == 0 && m_closed.runs == 0) throw_domain("msd_accumulator::result: no frames were added");
        if (m_closed.runs == 0) return detail::finish_msd(own_sums(), m_species, m_frames, m_opts.per_atom);
        const closed_runs all = total();
        std::vector<std::size_t> origins(all.origins.begin(), all.origins.end());
        return detail::finish_msd(all.sums, m_species, static_cast<std::size_t>(all.frames), origins, m_opts.per_atom);
    }

    /// Add another INDEPENDENT trajectory (or set of them) of the same system: its time origins
    /// join this accumulator's (ensemble average; see the file comment for why one trajectory
    /// cannot be split by frames).  `other` is unchanged; this accumulator keeps its own open
    /// trajectory, to which later add_frame() calls still append.
    /// \throws materia::invalid_argument when the atoms, species or options (max_lag, per_atom) differ.
    void merge(const msd_accumulator& other) {
        check_compatible(other, "merge");
        add_runs(m_closed, other.total());
    }

    // ---- flat, versioned state (MPI reductions, files) ----
    static constexpr std::uint64_t state_version = 1;
    /// [version, N, S, max_lag, per_atom, lags, Σ frames, runs, N_s (S values), origins (lags values)]:
    /// every trajectory seen, the open one included (closed as if it ended now).
    [[nodiscard]] std::vector<std::uint64_t> integer_state() const {
        const closed_runs all = total();
        const auto counts = m_species.counts();
        std::vector<std::uint64_t> v{state_version, m_n, m_species.n_species(), m_opts.max_lag,
                                     m_opts.per_atom ? 1u : 0u, all.sums.lags, all.frames, all.runs};
        for (const auto c : counts) v.push_back(c);
        v.insert(v.end(), all.origins.begin(), all.origins.end());
        return v;
    }
    /// [raw sums Σ_i Σ_k (Δx_d)² by (species, dimension, lag) (3·S·lags values), then per atom
    /// (N·lags, only with per_atom)], in Å² (units of the positions squared).
    [[nodiscard]] std::vector<double> real_state() const {
        const closed_runs all = total();
        std::vector<double> v(all.sums.by_group);
        v.insert(v.end(), all.sums.by_atom.begin(), all.sums.by_atom.end());
        return v;
    }
    /// Replace the whole state by one from integer_state()/real_state() of a compatible accumulator
    /// (same atoms, species and options), e.g. after an MPI reduction.  The open trajectory is
    /// dropped: later add_frame() calls start a new, independent trajectory.
    /// \throws materia::invalid_argument for a wrong version, wrong sizes or an incompatible state.
    void set_state(const std::vector<std::uint64_t>& ints, const std::vector<double>& reals) {
        const std::size_t S = m_species.n_species();
        if (ints.size() < 8) throw_invalid("msd_accumulator::set_state: integer state too short (", ints.size(), " values)");
        if (ints[0] != state_version)
            throw_invalid("msd_accumulator::set_state: incompatible state version ", ints[0], " (expected ", state_version, ")");
        if (ints[1] != m_n || ints[2] != S || ints[3] != m_opts.max_lag || ints[4] != (m_opts.per_atom ? 1u : 0u))
            throw_invalid("msd_accumulator::set_state: the state is of another accumulator (atoms ", ints[1], ", species ",
                          ints[2], ", max_lag ", ints[3], ", per_atom ", ints[4], ")");
        const auto lags = static_cast<std::size_t>(ints[5]);
        if ((m_opts.max_lag > 0 && lags > m_opts.max_lag + 1) || ints.size() != 8 + S + lags)
            throw_invalid("msd_accumulator::set_state: state sizes do not match this accumulator (", ints.size(),
                          " integers for ", lags, " lags)");
        const std::size_t n_reals = 3 * S * lags + (m_opts.per_atom ? m_n * lags : 0);
        if (reals.size() != n_reals)
            throw_invalid("msd_accumulator::set_state: real state has ", reals.size(), " values, expected ", n_reals);
        const auto counts = m_species.counts();
        for (std::size_t s = 0; s < S; ++s)
            if (ints[8 + s] != counts[s]) throw_invalid("msd_accumulator::set_state: atoms per species differ (species ", s, ")");
        if ((ints[7] == 0) != (lags == 0))
            throw_invalid("msd_accumulator::set_state: ", ints[7], " runs with ", lags, " lags");
        for (std::size_t m = 0; m < lags; ++m)
            if (ints[8 + S + m] == 0 || ints[8 + S + m] > ints[6])
                throw_invalid("msd_accumulator::set_state: ", ints[8 + S + m], " origins at lag ", m, " (", ints[6], " frames)");
        closed_runs c;
        c.sums.init(S, lags, m_opts.per_atom ? m_n : 0);
        std::copy(reals.begin(), reals.begin() + static_cast<std::ptrdiff_t>(3 * S * lags), c.sums.by_group.begin());
        std::copy(reals.begin() + static_cast<std::ptrdiff_t>(3 * S * lags), reals.end(), c.sums.by_atom.begin());
        c.origins.assign(ints.begin() + static_cast<std::ptrdiff_t>(8 + S), ints.end());
        c.frames = ints[6];
        c.runs = ints[7];
        m_closed = std::move(c);
        // Drop the open trajectory (its frames are part of the state that was replaced).
        m_frames = 0;
        m_block_start = 0;
        if (m_opts.max_lag == 0) m_ring.clear();
        else m_sums.init(S, m_opts.max_lag + 1, m_opts.per_atom ? m_n : 0);
    }

    /// Frames of the open trajectory (the one add_frame() appends to).
    [[nodiscard]] std::size_t frames() const noexcept { return m_frames; }
    /// Frames of every trajectory: merged or restored ones plus the open one.
    [[nodiscard]] std::size_t total_frames() const noexcept { return static_cast<std::size_t>(m_closed.frames) + m_frames; }
    /// Number of independent trajectories (runs) in the result.
    [[nodiscard]] std::size_t runs() const noexcept { return static_cast<std::size_t>(m_closed.runs) + (m_frames > 0 ? 1 : 0); }
    [[nodiscard]] std::size_t atoms() const noexcept { return m_n; }
    /// Bytes held for positions now (the ring or the whole trajectory) plus the running sums (and
    /// those of merged trajectories).
    [[nodiscard]] std::size_t memory_bytes() const noexcept {
        return (m_ring.capacity() + m_sums.by_group.capacity() + m_sums.by_atom.capacity() +
                m_closed.sums.by_group.capacity() + m_closed.sums.by_atom.capacity() + m_closed.origins.capacity()) *
               sizeof(double);
    }
    /// Bytes of position storage a trajectory of n_atoms × n_frames needs with these options.
    [[nodiscard]] static std::size_t memory_estimate(std::size_t n_atoms, std::size_t n_frames, const msd_options& o) {
        if (o.max_lag == 0) return 24 * n_atoms * n_frames;
        const std::size_t L = o.max_lag;
        const std::size_t B = o.block ? o.block : next_power_of_two(3 * (L + 1)) - L;
        return 24 * n_atoms * (B + L);
    }

private:
    using complex = std::complex<double>;

    // Finished trajectories: raw sums, origins per lag, frames and runs (all zero-sized when none).
    struct closed_runs {
        detail::msd_sums sums;
        std::vector<std::uint64_t> origins;
        std::uint64_t frames = 0;
        std::uint64_t runs = 0;
    };

    // Raw sums of the open trajectory (m_frames > 0): lags 0 … min(max_lag, M − 1).
    [[nodiscard]] detail::msd_sums own_sums() const {
        if (m_opts.max_lag == 0) {
            detail::msd_sums sums;
            sums.init(m_species.n_species(), m_frames, m_opts.per_atom ? m_n : 0);
            process_block(sums, 0, m_frames, m_frames, m_frames - 1);
            return sums;
        }
        detail::msd_sums sums = m_sums;
        const std::size_t rest = m_frames - m_block_start;
        if (rest > 0) process_block(sums, m_block_start, rest, rest, std::min(m_opts.max_lag, rest - 1));
        // Lags beyond M − 1 have no origins: cut them off.
        const std::size_t lags = std::min(m_opts.max_lag + 1, m_frames);
        if (lags < sums.lags) {
            detail::msd_sums cut;
            cut.init(sums.groups, lags, m_opts.per_atom ? m_n : 0);
            for (std::size_t g = 0; g < sums.groups * 3; ++g)
                for (std::size_t m = 0; m < lags; ++m) cut.by_group[g * lags + m] = sums.by_group[g * sums.lags + m];
            for (std::size_t i = 0; i < (m_opts.per_atom ? m_n : 0); ++i)
                for (std::size_t m = 0; m < lags; ++m) cut.by_atom[i * lags + m] = sums.by_atom[i * sums.lags + m];
            sums = std::move(cut);
        }
        return sums;
    }

    // into += from (lags: the longer of the two; a lag only one side has keeps that side's values).
    static void add_runs(closed_runs& into, const closed_runs& from) {
        if (from.runs == 0) return;
        const std::size_t L = std::max(into.sums.lags, from.sums.lags);
        if (L > into.sums.lags) {
            closed_runs grown;
            grown.sums.init(from.sums.groups, L, from.sums.by_atom.size() / std::max<std::size_t>(from.sums.lags, 1));
            grown.origins.assign(L, 0);
            const std::size_t l0 = into.sums.lags;
            for (std::size_t g = 0; g < into.sums.groups * 3; ++g)
                for (std::size_t m = 0; m < l0; ++m) grown.sums.by_group[g * L + m] = into.sums.by_group[g * l0 + m];
            const std::size_t na = l0 ? into.sums.by_atom.size() / l0 : 0;
            for (std::size_t i = 0; i < na; ++i)
                for (std::size_t m = 0; m < l0; ++m) grown.sums.by_atom[i * L + m] = into.sums.by_atom[i * l0 + m];
            for (std::size_t m = 0; m < l0; ++m) grown.origins[m] = into.origins[m];
            grown.frames = into.frames;
            grown.runs = into.runs;
            into = std::move(grown);
        }
        const std::size_t lf = from.sums.lags;
        for (std::size_t g = 0; g < from.sums.groups * 3; ++g)
            for (std::size_t m = 0; m < lf; ++m) into.sums.by_group[g * L + m] += from.sums.by_group[g * lf + m];
        const std::size_t na = lf ? from.sums.by_atom.size() / lf : 0;
        for (std::size_t i = 0; i < na; ++i)
            for (std::size_t m = 0; m < lf; ++m) into.sums.by_atom[i * L + m] += from.sums.by_atom[i * lf + m];
        for (std::size_t m = 0; m < lf; ++m) into.origins[m] += from.origins[m];
        into.frames += from.frames;
        into.runs += from.runs;
    }

    // Every trajectory: the closed ones plus the open one (closed as if it ended now).
    [[nodiscard]] closed_runs total() const {
        closed_runs all = m_closed;
        if (m_frames > 0) {
            closed_runs own;
            own.sums = own_sums();
            own.origins.resize(own.sums.lags);
            for (std::size_t m = 0; m < own.sums.lags; ++m) own.origins[m] = m_frames - m;
            own.frames = m_frames;
            own.runs = 1;
            add_runs(all, own);
        }
        return all;
    }

    void check_compatible(const msd_accumulator& o, const char* fn) const {
        bool same = o.m_n == m_n && o.m_species.names() == m_species.names() && o.m_opts.max_lag == m_opts.max_lag &&
                    o.m_opts.per_atom == m_opts.per_atom;
        for (std::size_t i = 0; same && i < m_n; ++i) same = o.m_species[i] == m_species[i];
        if (!same)
            throw_invalid("msd_accumulator::", fn, ": the accumulators have different atoms, species or options (atoms ",
                          o.m_n, " vs ", m_n, ", max_lag ", o.m_opts.max_lag, " vs ", m_opts.max_lag, ")");
    }

    // Copy the window frames [start, start + len) of atoms [i0, i1) into buf[(a*3 + d)*len + j]
    // (series-major), each series shifted by its window mean.  Reading frame by frame keeps the
    // memory access contiguous (a frame stores its atoms next to each other); reading one series at
    // a time would jump 24·N bytes per value.
    void gather_batch(std::size_t i0, std::size_t i1, std::size_t start, std::size_t len, std::vector<double>& buf) const {
        const std::size_t cap = m_opts.max_lag == 0 ? m_frames : m_capacity;
        const std::size_t stride = m_n * 3;
        const std::size_t na = i1 - i0;
        buf.resize(na * 3 * len);
        for (std::size_t j = 0; j < len; ++j) {
            const double* src = m_ring.data() + ((start + j) % cap) * stride + i0 * 3;
            for (std::size_t k = 0; k < na * 3; ++k) buf[k * len + j] = src[k];
        }
        for (std::size_t k = 0; k < na * 3; ++k) {
            double* x = buf.data() + k * len;
            double mean = 0;
            for (std::size_t j = 0; j < len; ++j) mean += x[j];
            mean /= static_cast<double>(len);
            for (std::size_t j = 0; j < len; ++j) x[j] -= mean;
        }
    }

    // Add the contributions of origins [start, start + n_a) with partners up to start + n_c − 1,
    // lags 0 … L, to sums.  n_a ≤ n_c.
    void process_block(detail::msd_sums& sums, std::size_t start, std::size_t n_a, std::size_t n_c, std::size_t L) const {
        const std::size_t P = next_power_of_two(std::max(n_c, n_a + L));
        const fft_plan plan(P);
        const bool same = (n_a == n_c);
        const std::size_t units = (m_n + 1) / 2;
        const int threads = chunk_count(resolve_threads(m_opts.threads));
        const std::size_t G = m_species.n_species();
        const std::size_t lags = sums.lags;
        std::vector<std::vector<double>> partial(static_cast<std::size_t>(threads));
        parallel_chunks(units, threads, [&](int t, std::size_t b, std::size_t e) {
            auto& part = partial[static_cast<std::size_t>(t)];
            part.assign(G * 3 * lags, 0.0);
            std::vector<complex> za(P), zc(P), scratch;
            std::vector<double> q1(n_c + 1), q2(n_c + 1), zeros(n_c, 0.0), buf;
            constexpr std::size_t batch_units = 16;  // 32 atoms: a 32·3·n_c buffer per batch
            std::size_t batch_begin = b, batch_end = b;
            for (std::size_t u = b; u < e; ++u) {
                if (u >= batch_end) {
                    batch_begin = u;
                    batch_end = std::min(e, u + batch_units);
                    gather_batch(2 * batch_begin, std::min(m_n, 2 * batch_end), start, n_c, buf);
                }
                const std::size_t i1 = 2 * u;
                const bool has2 = i1 + 1 < m_n;
                const std::size_t i2 = has2 ? i1 + 1 : i1;
                for (std::size_t d = 0; d < 3; ++d) {
                    const double* c1 = buf.data() + ((i1 - 2 * batch_begin) * 3 + d) * n_c;
                    const double* c2 = has2 ? buf.data() + ((i2 - 2 * batch_begin) * 3 + d) * n_c : zeros.data();
                    q1[0] = q2[0] = 0;
                    for (std::size_t j = 0; j < n_c; ++j) {
                        q1[j + 1] = q1[j] + c1[j] * c1[j];
                        q2[j + 1] = q2[j] + c2[j] * c2[j];
                    }
                    std::fill(zc.begin(), zc.end(), complex(0, 0));
                    for (std::size_t j = 0; j < n_c; ++j) zc[j] = complex(c1[j], c2[j]);
                    plan.transform(zc.data(), false, scratch);
                    if (!same) {
                        std::fill(za.begin(), za.end(), complex(0, 0));
                        for (std::size_t j = 0; j < n_a; ++j) za[j] = complex(c1[j], c2[j]);
                        plan.transform(za.data(), false, scratch);
                    }
                    const std::vector<complex>& A = same ? zc : za;
                    // Separate the two real series' spectra, form conj(A_s)·C_s, repack.
                    for (std::size_t k = 0; k <= P / 2; ++k) {
                        const std::size_t nk = (P - k) % P;
                        const complex a_k = A[k], a_nk = std::conj(A[nk]);
                        const complex c_k = zc[k], c_nk = std::conj(zc[nk]);
                        const complex A1 = 0.5 * (a_k + a_nk), A2 = complex(0, -0.5) * (a_k - a_nk);
                        const complex C1 = 0.5 * (c_k + c_nk), C2 = complex(0, -0.5) * (c_k - c_nk);
                        const complex R1 = std::conj(A1) * C1, R2 = std::conj(A2) * C2;
                        // Spectrum of r1 + i r2 at k and at −k (R_s(−k) = conj(R_s(k)) for real r_s).
                        const complex S_k = R1 + complex(0, 1) * R2;
                        const complex S_nk = std::conj(R1) + complex(0, 1) * std::conj(R2);
                        za[k] = S_k;
                        if (nk != k) za[nk] = S_nk;
                    }
                    plan.transform(za.data(), true, scratch);
                    const double invP = 1.0 / static_cast<double>(P);
                    const std::size_t g1 = m_species[i1], g2 = m_species[i2];
                    const std::size_t mmax = std::min(L, n_c - 1);
                    // m = 0 is 0 by definition; skipping it avoids a −1e-18 from FFT rounding.
                    for (std::size_t m = 1; m <= mmax; ++m) {
                        const std::size_t K = std::min(n_a, n_c - m);
                        const double r1 = za[m].real() * invP, r2 = za[m].imag() * invP;
                        const double v1 = q1[K] + (q1[K + m] - q1[m]) - 2.0 * r1;
                        part[(g1 * 3 + d) * lags + m] += v1;
                        if (!sums.by_atom.empty()) sums.by_atom[i1 * lags + m] += v1;
                        if (has2) {
                            const double v2 = q2[K] + (q2[K + m] - q2[m]) - 2.0 * r2;
                            part[(g2 * 3 + d) * lags + m] += v2;
                            if (!sums.by_atom.empty()) sums.by_atom[i2 * lags + m] += v2;
                        }
                    }
                }
            }
        });
        for (const auto& part : partial)
            for (std::size_t k = 0; k < part.size(); ++k) sums.by_group[k] += part[k];
    }

    species_list m_species;
    msd_options m_opts;
    std::size_t m_n = 0;
    std::size_t m_frames = 0;
    std::size_t m_block = 0;
    std::size_t m_capacity = 0;
    std::size_t m_block_start = 0;
    std::vector<double> m_ring;
    detail::msd_sums m_sums;
    closed_runs m_closed;  // merged or restored trajectories
};

/// MSD of a whole trajectory held in memory (frames of unwrapped positions) by the FFT algorithm.
/// \throws materia::invalid_argument for no frames, mismatched atom counts or species size.
template <class Frames>
[[nodiscard]] msd_result msd_fft(const Frames& frames, const species_list& species, msd_options opts = {}) {
    if (std::size(frames) == 0) throw_invalid("msd_fft: no frames (got 0)");
    msd_accumulator acc(species, opts);
    for (const auto& f : frames) {
        if (as_points(f).size() != species.size())
            throw_invalid("msd_fft: a frame has ", as_points(f).size(), " atoms but species lists ", species.size());
        acc.add_frame(f);
    }
    return acc.result();
}

/// Reference O(N M²) windowed MSD by the direct double sum over origins (for tests and checks).
/// \param max_lag largest lag (0: all lags M − 1).
/// \throws materia::invalid_argument for no frames or mismatched atom counts.
template <class Frames>
[[nodiscard]] msd_result msd_direct(const Frames& frames, const species_list& species, std::size_t max_lag = 0,
                                    bool per_atom = false) {
    const std::size_t M = std::size(frames);
    if (M == 0) throw_invalid("msd_direct: no frames (got 0)");
    const std::size_t N = species.size();
    if (N == 0) throw_invalid("msd_direct: no atoms (got 0)");
    // Copied to doubles so that any point set (float or double, any layout) works.
    std::vector<std::vector<vec3>> pos;
    pos.reserve(M);
    for (const auto& f : frames) {
        const auto v = as_points(f);
        if (v.size() != N) throw_invalid("msd_direct: a frame has ", v.size(), " atoms but species lists ", N);
        auto& p = pos.emplace_back(N);
        for (std::size_t i = 0; i < N; ++i) p[i] = v.point(i);
    }
    const std::size_t L = (max_lag == 0 ? M - 1 : std::min(max_lag, M - 1)) + 1;
    detail::msd_sums sums;
    sums.init(species.n_species(), L, per_atom ? N : 0);
    for (std::size_t m = 0; m < L; ++m)
        for (std::size_t k = 0; k + m < M; ++k)
            for (std::size_t i = 0; i < N; ++i)
                for (std::size_t d = 0; d < 3; ++d) {
                    const double dx = pos[k + m][i][d] - pos[k][i][d];
                    sums.by_group[(species[i] * 3 + d) * L + m] += dx * dx;
                    if (per_atom) sums.by_atom[i * L + m] += dx * dx;
                }
    return detail::finish_msd(sums, species, M, per_atom);
}

}  // namespace materia
