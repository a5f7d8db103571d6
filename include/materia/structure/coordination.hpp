// materia/structure/coordination.hpp — coordination statistics from a bond network: per-atom
// coordination numbers, and per species and per neighbour species the mean and the full histogram
// of coordination numbers, accumulated over frames.
//
// Entry points: materia::per_atom_coordination(neighbor_list, species[, cutoffs]),
// materia::coordination_accumulator (accumulate / merge / reset / result, flat state),
// materia::coordination_result, the one-shot materia::coordination(points, species, cell, cutoffs).
//
// Conventions (SCIENCE.md §7):
//  * a bond is an entry of a neighbor_list (r_ij < R_ab, strictly less; every periodic image
//    counts, so an atom may be bonded to its own image in a small cell and to two images of the
//    same atom);
//  * CN_ab(i) = number of bonded neighbours of species b of an atom i of species a;
//    CN_a(i) = Σ_b CN_ab(i) (the "all" column of the CLI);
//  * mean CN_ab = Σ_f Σ_{i∈a} CN_ab(i) / Σ_f N_a, exact from integer sums (never from a truncated
//    histogram).  Built-in check: CN_ab · N_a = CN_ba · N_b (every bond is seen from both ends);
//  * the histogram of CN has as many entries as the largest CN seen (no truncation); fractions
//    are atoms with that CN / Σ_f N_a.
// The neighbour search is not redone here: pass the neighbor_list you built once (for example in
// `materia report`), or let the one-shot function build it.  An optional pair_cutoffs filters a
// list built with larger cutoffs (bond kept when r < R_ab).
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/neighbors/neighbor_list.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace materia {

namespace detail {

/// Sorted, de-duplicated species names; \throws materia::invalid_argument when empty.
inline std::vector<std::string> sorted_species(std::vector<std::string> names, const char* who) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (names.empty()) throw_invalid(who, ": at least one species is needed");
    return names;
}

/// For every species index of a frame, the index of the same name in an accumulator's sorted
/// species.  \throws materia::invalid_argument naming the unknown species.
inline std::vector<std::uint32_t> map_species(const std::vector<std::string>& sorted_names,
                                              const species_list& frame_species, const char* who) {
    std::vector<std::uint32_t> map(frame_species.n_species());
    for (std::size_t k = 0; k < frame_species.n_species(); ++k) {
        auto it = std::lower_bound(sorted_names.begin(), sorted_names.end(), frame_species.name(k));
        if (it == sorted_names.end() || *it != frame_species.name(k))
            throw_invalid(who, ": species '", frame_species.name(k), "' was not declared to the accumulator");
        map[k] = static_cast<std::uint32_t>(it - sorted_names.begin());
    }
    return map;
}

/// Cutoffs given in an accumulator's species order, re-indexed to a frame's species order.
inline pair_cutoffs frame_cutoffs(const pair_cutoffs& acc, const std::vector<std::uint32_t>& map) {
    pair_cutoffs out(map.size(), 0.0);
    for (std::size_t a = 0; a < map.size(); ++a)
        for (std::size_t b = a; b < map.size(); ++b) out.set(a, b, acc(map[a], map[b]));
    return out;
}

/// Check that cutoffs (if given, i.e. non-empty) match the number of accumulator species.
inline void check_cutoffs(const pair_cutoffs& c, std::size_t n_species, const char* who) {
    if (c.n_species() != 0 && c.n_species() != n_species)
        throw_invalid(who, ": cutoffs are for ", c.n_species(), " species but ", n_species, " species were declared");
}

/// Per-atom species mapped to accumulator indices.
inline std::vector<std::uint32_t> mapped_atoms(const species_list& sp, const std::vector<std::uint32_t>& map) {
    std::vector<std::uint32_t> out(sp.size());
    for (std::size_t i = 0; i < sp.size(); ++i) out[i] = map[sp[i]];
    return out;
}

}  // namespace detail

/// Per-atom coordination numbers of one frame.
struct atom_coordination {
    std::size_t n_species = 0;           ///< S (the species_list's species, in its order)
    std::vector<std::uint32_t> total;    ///< CN(i) = number of bonds of atom i
    std::vector<std::uint32_t> by_species;  ///< CN_b(i) = by_species[i·S + b]

    [[nodiscard]] std::uint32_t operator()(std::size_t atom, std::size_t neighbour_species) const {
        return by_species[atom * n_species + neighbour_species];
    }
};

/// Coordination number of every atom: bonds of the neighbour list, optionally filtered by
/// `cutoffs` (same species order as `species`; a bond is kept when r < R_ab; empty = keep all).
/// Species indices are those of `species` (sorted names).
/// \throws materia::invalid_argument when the list, species or cutoffs disagree in size.
[[nodiscard]] inline atom_coordination per_atom_coordination(const neighbor_list& nl, const species_list& species,
                                                             const pair_cutoffs& cutoffs = {}) {
    if (nl.size() != species.size())
        throw_invalid("per_atom_coordination: neighbour list of ", nl.size(), " atoms but ", species.size(),
                      " species entries");
    const std::size_t s = species.n_species();
    detail::check_cutoffs(cutoffs, s, "per_atom_coordination");
    const bool filter = cutoffs.n_species() != 0;
    atom_coordination out;
    out.n_species = s;
    out.total.assign(nl.size(), 0);
    out.by_species.assign(nl.size() * s, 0);
    for (std::size_t i = 0; i < nl.size(); ++i) {
        const auto si = species[i];
        for (const auto& e : nl.neighbors(i)) {
            const auto sj = species[e.j];
            if (filter && !(e.r < cutoffs(si, sj))) continue;
            ++out.total[i];
            ++out.by_species[i * s + sj];
        }
    }
    return out;
}

/// Coordination statistics of an accumulator.  Index (a, b) = a·(S+1) + b, with b = S for the
/// total over neighbour species ("all").
struct coordination_result {
    std::vector<std::string> species;   ///< sorted species names
    std::vector<double> mean;           ///< mean CN [a·(S+1)+b]
    std::vector<std::vector<std::uint64_t>> histogram;  ///< atoms with CN = n, [a·(S+1)+b][n]
    std::vector<std::vector<double>> fraction;          ///< histogram / Σ_f N_a
    std::vector<std::uint64_t> atoms;   ///< Σ_f N_a (centre atoms seen)
    std::size_t frames = 0;

    [[nodiscard]] std::size_t n_species() const noexcept { return species.size(); }
    /// Index of (centre species a, neighbour species b); b = n_species() for all neighbours.
    [[nodiscard]] std::size_t index(std::size_t a, std::size_t b) const noexcept {
        return a * (species.size() + 1) + b;
    }
    /// Fraction of atoms of species a with exactly n bonded neighbours of species b (b = S: any).
    [[nodiscard]] double fraction_at(std::size_t a, std::size_t b, std::size_t n) const {
        const auto& f = fraction.at(index(a, b));
        return n < f.size() ? f[n] : 0.0;
    }
};

/// Accumulates coordination-number statistics over frames.
///
/// Thread safety: one accumulator per user thread, combined with merge().
class coordination_accumulator {
public:
    /// \param species_names  every species that frames may contain (sorted internally).
    /// \param cutoffs        optional bond cutoffs in the sorted species order; needed by the
    ///                       points overload of accumulate(), and filters neighbour lists.
    /// \throws materia::invalid_argument for no species or cutoffs of the wrong size.
    explicit coordination_accumulator(std::vector<std::string> species_names, pair_cutoffs cutoffs = {})
        : m_species(detail::sorted_species(std::move(species_names), "coordination")), m_cut(std::move(cutoffs)) {
        detail::check_cutoffs(m_cut, m_species.size(), "coordination");
        reset();
    }

    void reset() {
        const std::size_t s = m_species.size();
        m_hist.assign(s * (s + 1), {});
        m_sum.assign(s * (s + 1), 0);
        m_atoms.assign(s, 0);
        m_frames = 0;
    }

    /// Add a frame whose bonds are already known.  `nl` must be built on the same atoms as
    /// `species`; with accumulator cutoffs, only bonds with r < R_ab count.
    /// \throws materia::invalid_argument for size mismatches or unknown species.
    void accumulate(const neighbor_list& nl, const species_list& species) {
        if (nl.size() != species.size())
            throw_invalid("coordination: neighbour list of ", nl.size(), " atoms but ", species.size(),
                          " species entries");
        const auto map = detail::map_species(m_species, species, "coordination");
        const auto sp = detail::mapped_atoms(species, map);
        const std::size_t s = m_species.size(), n = nl.size();
        const bool filter = m_cut.n_species() != 0;
        // per-atom counts in parallel (disjoint writes), histogrammed serially: deterministic.
        std::vector<std::uint32_t> cn(n * (s + 1), 0);
        parallel_chunks(n, chunk_count(resolve_threads(m_threads)), [&](int, std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) {
                std::uint32_t* row = cn.data() + i * (s + 1);
                for (const auto& en : nl.neighbors(i)) {
                    const auto sj = sp[en.j];
                    if (filter && !(en.r < m_cut(sp[i], sj))) continue;
                    ++row[sj];
                    ++row[s];
                }
            }
        });
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t a = sp[i];
            ++m_atoms[a];
            for (std::size_t b = 0; b <= s; ++b) {
                const std::uint32_t c = cn[i * (s + 1) + b];
                auto& h = m_hist[a * (s + 1) + b];
                if (h.size() <= c) h.resize(c + 1, 0);
                ++h[c];
                m_sum[a * (s + 1) + b] += c;
            }
        }
        ++m_frames;
    }

    /// Add a frame: builds the neighbour list with the accumulator's cutoffs.
    /// \throws materia::invalid_argument when the accumulator has no cutoffs, or bad input.
    template <point_set P>
    void accumulate(const P& points, const species_list& species, const materia::cell& box) {
        if (m_cut.n_species() == 0)
            throw_invalid("coordination: accumulate(points, ...) needs cutoffs given to the constructor");
        const auto map = detail::map_species(m_species, species, "coordination");
        const auto nl = neighbor_list::build(points, species, box, detail::frame_cutoffs(m_cut, map), m_threads);
        accumulate(nl, species);
    }

    /// Add another accumulator's frames.  \throws materia::invalid_argument when species differ.
    void merge(const coordination_accumulator& other) {
        if (other.m_species != m_species)
            throw_invalid("coordination_accumulator::merge: the accumulators have different species");
        for (std::size_t k = 0; k < m_hist.size(); ++k) {
            auto& h = m_hist[k];
            const auto& o = other.m_hist[k];
            if (h.size() < o.size()) h.resize(o.size(), 0);
            for (std::size_t n = 0; n < o.size(); ++n) h[n] += o[n];
            m_sum[k] += other.m_sum[k];
        }
        for (std::size_t a = 0; a < m_atoms.size(); ++a) m_atoms[a] += other.m_atoms[a];
        m_frames += other.m_frames;
    }

    /// Worker threads for accumulate (0 = all); results do not depend on it.
    void set_threads(int threads) noexcept { m_threads = threads; }
    [[nodiscard]] std::size_t n_frames() const noexcept { return m_frames; }
    [[nodiscard]] const std::vector<std::string>& species() const noexcept { return m_species; }
    [[nodiscard]] const pair_cutoffs& cutoffs() const noexcept { return m_cut; }

    /// \throws materia::domain_error when no frame was accumulated.
    [[nodiscard]] coordination_result result() const {
        if (m_frames == 0) throw_domain("coordination: no frames accumulated");
        const std::size_t s = m_species.size();
        coordination_result out;
        out.species = m_species;
        out.frames = m_frames;
        out.atoms = m_atoms;
        out.histogram = m_hist;
        out.mean.assign(s * (s + 1), 0.0);
        out.fraction.assign(s * (s + 1), {});
        for (std::size_t a = 0; a < s; ++a)
            for (std::size_t b = 0; b <= s; ++b) {
                const std::size_t k = a * (s + 1) + b;
                const double na = static_cast<double>(m_atoms[a]);
                out.mean[k] = na > 0 ? static_cast<double>(m_sum[k]) / na : 0.0;
                out.fraction[k].resize(m_hist[k].size(), 0.0);
                for (std::size_t n = 0; n < m_hist[k].size(); ++n)
                    out.fraction[k][n] = na > 0 ? static_cast<double>(m_hist[k][n]) / na : 0.0;
            }
        return out;
    }

    // ---- flat, versioned state (MPI reductions, files); all integer ----
    static constexpr std::uint64_t state_version = 1;
    /// [version, frames, S, max_len L, atoms (S), sums (S(S+1)), histograms (S(S+1) × L, zero-padded)].
    /// Histograms are padded to the longest one so that states of equal L add element-wise; for
    /// an MPI sum, agree on the largest L first and use state_with_length(L) on every rank.
    [[nodiscard]] std::vector<std::uint64_t> integer_state() const {
        std::size_t len = 0;
        for (const auto& h : m_hist) len = std::max(len, h.size());
        return state_with_length(len);
    }
    /// The integer state with histograms padded to length `len` (≥ the longest histogram).
    /// \throws materia::invalid_argument when len is too short.
    [[nodiscard]] std::vector<std::uint64_t> state_with_length(std::size_t len) const {
        for (const auto& h : m_hist)
            if (h.size() > len) throw_invalid("coordination: state length ", len, " is shorter than a histogram");
        std::vector<std::uint64_t> v{state_version, m_frames, m_species.size(), len};
        v.insert(v.end(), m_atoms.begin(), m_atoms.end());
        v.insert(v.end(), m_sum.begin(), m_sum.end());
        for (const auto& h : m_hist) {
            v.insert(v.end(), h.begin(), h.end());
            v.insert(v.end(), len - h.size(), 0);
        }
        return v;
    }
    /// No floating-point state (kept for the uniform accumulator interface).
    [[nodiscard]] std::vector<double> real_state() const { return {}; }
    /// Replace the state.  \throws materia::invalid_argument on a malformed or incompatible state.
    void set_state(const std::vector<std::uint64_t>& ints, const std::vector<double>& reals = {}) {
        const std::size_t s = m_species.size();
        if (ints.size() < 4 || ints[0] != state_version || ints[2] != s || !reals.empty())
            throw_invalid("coordination_accumulator::set_state: incompatible state");
        const auto len = static_cast<std::size_t>(ints[3]);
        if (ints.size() != 4 + s + s * (s + 1) + s * (s + 1) * len)
            throw_invalid("coordination_accumulator::set_state: state size does not match");
        m_frames = static_cast<std::size_t>(ints[1]);
        std::size_t p = 4;
        for (std::size_t a = 0; a < s; ++a) m_atoms[a] = ints[p++];
        for (std::size_t k = 0; k < s * (s + 1); ++k) m_sum[k] = ints[p++];
        for (std::size_t k = 0; k < s * (s + 1); ++k) {
            auto first = ints.begin() + static_cast<std::ptrdiff_t>(p);
            std::size_t used = len;
            while (used > 0 && ints[p + used - 1] == 0) --used;  // trim padding
            m_hist[k].assign(first, first + static_cast<std::ptrdiff_t>(used));
            p += len;
        }
    }

private:
    std::vector<std::string> m_species;
    pair_cutoffs m_cut;
    std::vector<std::vector<std::uint64_t>> m_hist;  // [a(S+1)+b][n]
    std::vector<std::uint64_t> m_sum;                // Σ CN, [a(S+1)+b]
    std::vector<std::uint64_t> m_atoms;              // Σ_f N_a
    std::size_t m_frames = 0;
    int m_threads = 0;
};

/// One-shot coordination statistics of one frame with the given cutoffs (species order of
/// `species`, i.e. sorted names).  \throws materia::invalid_argument for bad input.
template <point_set P>
[[nodiscard]] coordination_result coordination(const P& points, const species_list& species, const materia::cell& box,
                                               const pair_cutoffs& cutoffs, int threads = 0) {
    coordination_accumulator acc(species.names(), cutoffs);
    acc.set_threads(threads);
    acc.accumulate(points, species, box);
    return acc.result();
}

}  // namespace materia
