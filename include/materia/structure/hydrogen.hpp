// materia/structure/hydrogen.hpp — atomic-hydrogen fraction of hydrides: the fraction of H atoms
// whose nearest H neighbour is farther than a threshold (default 0.9 Å), as used to screen
// hydride superconductors (molecular H₂ has a 0.741 Å bond, so 0.9 Å separates H₂ from atomic H).
//
// Entry points: materia::hydrogen_params, materia::hydrogen_flags(points, species, cell, params)
// (per-H verdicts), materia::hydrogen_accumulator (accumulate / merge / reset / result, flat
// state), the one-shot materia::atomic_hydrogen_fraction(points, species, cell, params), and
// materia::nearest_neighbor_distances(points, species, cell, name, r_search).
//
// Conventions (SCIENCE.md §7):
//  * f_H = (# H whose nearest H is farther than the threshold) / N_H;
//  * "nearest H" includes every periodic image, the atom's own images too: in a cell shorter
//    than the threshold an H atom is its own molecular partner;
//  * ties: an H at exactly the threshold from its nearest H is molecular (atomic means strictly
//    farther: d_min > threshold);
//  * an H with no other H at all (N_H = 1 in an open or large cell) is atomic, so N_H = 1 gives
//    f = 1 unless its own image is closer than the threshold;
//  * no H atoms at all: the fraction is undefined (result() throws materia::domain_error).
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/neighbors/cell_list.hpp>
#include <materia/neighbors/neighbor_list.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace materia {

/// Parameters of the atomic-hydrogen analysis.
struct hydrogen_params {
    double threshold = 0.9;     ///< Å; atomic when the nearest H is strictly farther, > 0
    std::string species = "H";  ///< species name of hydrogen (e.g. "D" for deuterium)

    /// \throws materia::invalid_argument naming the bad parameter.
    void validate() const {
        if (!(threshold > 0) || !std::isfinite(threshold))
            throw_invalid("atomic_hydrogen: threshold must be positive and finite (got ", threshold, ")");
        if (species.empty()) throw_invalid("atomic_hydrogen: the hydrogen species name is empty");
    }
};

/// Per-atom verdicts of one frame: the H atoms (indices into the frame) and whether each is atomic.
struct hydrogen_verdicts {
    std::vector<std::size_t> hydrogen;  ///< atom indices of the H atoms, ascending
    std::vector<std::uint8_t> atomic;   ///< 1 when that H is atomic, 0 when molecular
    [[nodiscard]] std::size_t n_atomic() const noexcept {
        std::size_t n = 0;
        for (auto a : atomic) n += a;
        return n;
    }
};

/// Distance from every atom of species `name` to its nearest atom of the same species (other
/// atoms and all periodic images, its own included), or +∞ when none is closer than r_search.
/// Result indexed like the atoms of that species in ascending atom order.
/// \throws materia::invalid_argument for size mismatches or r_search ≤ 0.
template <point_set P>
[[nodiscard]] std::vector<double> nearest_neighbor_distances(const P& points, const species_list& species,
                                                             const materia::cell& box, const std::string& name,
                                                             double r_search) {
    const auto pts = as_points(points);
    if (species.size() != pts.size())
        throw_invalid("nearest_neighbor_distances: ", pts.size(), " positions but ", species.size(), " species entries");
    if (!(r_search > 0) || !std::isfinite(r_search))
        throw_invalid("nearest_neighbor_distances: r_search must be positive (got ", r_search, ")");
    std::vector<std::array<double, 3>> sel;
    if (species.contains(name)) {
        const auto h = species.index_of(name);
        for (std::size_t i = 0; i < pts.size(); ++i)
            if (species[i] == h) sel.push_back(pts.point(i));
    }
    std::vector<double> d2(sel.size(), std::numeric_limits<double>::infinity());
    if (sel.empty()) return d2;
    cell_list cl(sel, box, r_search);
    cl.for_each_pair([&](const neighbor_pair& p) {
        d2[p.i] = std::min(d2[p.i], p.r2);
        d2[p.j] = std::min(d2[p.j], p.r2);
    });
    for (auto& x : d2) x = std::sqrt(x);
    return d2;
}

/// Which H atoms of a frame are atomic (nearest H strictly farther than params.threshold).
/// \throws materia::invalid_argument for bad parameters or size mismatches.
template <point_set P>
[[nodiscard]] hydrogen_verdicts hydrogen_flags(const P& points, const species_list& species, const materia::cell& box,
                                               const hydrogen_params& params = {}) {
    params.validate();
    // Search slightly beyond the threshold so that a pair at exactly the threshold (molecular by
    // convention) is found by the strict r < r_cut test of the cell list.
    const double th = params.threshold;
    const auto d = nearest_neighbor_distances(points, species, box, params.species, th * (1.0 + 1e-9));
    hydrogen_verdicts out;
    if (species.contains(params.species)) {
        const auto h = species.index_of(params.species);
        for (std::size_t i = 0; i < species.size(); ++i)
            if (species[i] == h) out.hydrogen.push_back(i);
    }
    out.atomic.resize(d.size());
    for (std::size_t k = 0; k < d.size(); ++k) out.atomic[k] = d[k] > th ? 1 : 0;
    return out;
}

/// Verdicts from a prebuilt neighbour list.  `used` are the cutoffs the list was built with (same
/// species order); their H–H entry must exceed the threshold so that every H–H pair within the
/// threshold is in the list.  \throws materia::invalid_argument when it does not, or on mismatch.
[[nodiscard]] inline hydrogen_verdicts hydrogen_flags(const neighbor_list& nl, const species_list& species,
                                                      const pair_cutoffs& used, const hydrogen_params& params = {}) {
    params.validate();
    if (nl.size() != species.size())
        throw_invalid("atomic_hydrogen: neighbour list of ", nl.size(), " atoms but ", species.size(),
                      " species entries");
    hydrogen_verdicts out;
    if (!species.contains(params.species)) return out;
    const auto h = species.index_of(params.species);
    if (used.n_species() != species.n_species() || !(used(h, h) > params.threshold))
        throw_invalid("atomic_hydrogen: the neighbour list must be built with an H-H cutoff above the threshold ",
                      params.threshold, " (got ", used.n_species() == species.n_species() ? used(h, h) : 0.0, ")");
    for (std::size_t i = 0; i < nl.size(); ++i) {
        if (species[i] != h) continue;
        bool atomic = true;
        for (const auto& e : nl.neighbors(i))
            if (species[e.j] == h && e.r <= params.threshold) {
                atomic = false;
                break;
            }
        out.hydrogen.push_back(i);
        out.atomic.push_back(atomic ? 1 : 0);
    }
    return out;
}

/// Atomic-hydrogen statistics of an accumulator.
struct hydrogen_result {
    std::uint64_t hydrogen = 0;  ///< Σ_f N_H
    std::uint64_t atomic = 0;    ///< Σ_f atomic H
    double fraction = 0;         ///< atomic / hydrogen
    double threshold = 0;        ///< Å
    std::size_t frames = 0;
};

/// Accumulates the atomic-hydrogen fraction over frames (pooled: Σ atomic / Σ N_H).
class hydrogen_accumulator {
public:
    /// \throws materia::invalid_argument for bad parameters.
    explicit hydrogen_accumulator(hydrogen_params params = {}) : m_p(std::move(params)) { m_p.validate(); }

    void reset() noexcept { m_h = m_atomic = m_frames = 0; }

    template <point_set P>
    void accumulate(const P& points, const species_list& species, const materia::cell& box) {
        add(hydrogen_flags(points, species, box, m_p));
    }
    /// From a shared neighbour list built with cutoffs `used` (see hydrogen_flags).
    void accumulate(const neighbor_list& nl, const species_list& species, const pair_cutoffs& used) {
        add(hydrogen_flags(nl, species, used, m_p));
    }

    /// \throws materia::invalid_argument when thresholds or species differ.
    void merge(const hydrogen_accumulator& other) {
        if (other.m_p.threshold != m_p.threshold || other.m_p.species != m_p.species)
            throw_invalid("hydrogen_accumulator::merge: the accumulators have different parameters");
        m_h += other.m_h;
        m_atomic += other.m_atomic;
        m_frames += other.m_frames;
    }

    [[nodiscard]] std::size_t n_frames() const noexcept { return static_cast<std::size_t>(m_frames); }
    [[nodiscard]] const hydrogen_params& params() const noexcept { return m_p; }

    /// \throws materia::domain_error when no frame or no hydrogen atom was accumulated.
    [[nodiscard]] hydrogen_result result() const {
        if (m_frames == 0) throw_domain("atomic_hydrogen: no frames accumulated");
        if (m_h == 0) throw_domain("atomic_hydrogen: no '", m_p.species, "' atoms in ", m_frames, " frame(s)");
        hydrogen_result out;
        out.hydrogen = m_h;
        out.atomic = m_atomic;
        out.fraction = static_cast<double>(m_atomic) / static_cast<double>(m_h);
        out.threshold = m_p.threshold;
        out.frames = static_cast<std::size_t>(m_frames);
        return out;
    }

    static constexpr std::uint64_t state_version = 1;
    /// [version, frames, N_H, atomic].
    [[nodiscard]] std::vector<std::uint64_t> integer_state() const { return {state_version, m_frames, m_h, m_atomic}; }
    [[nodiscard]] std::vector<double> real_state() const { return {}; }
    /// \throws materia::invalid_argument on a malformed state.
    void set_state(const std::vector<std::uint64_t>& ints, const std::vector<double>& reals = {}) {
        if (ints.size() != 4 || ints[0] != state_version || !reals.empty() || ints[3] > ints[2])
            throw_invalid("hydrogen_accumulator::set_state: incompatible state");
        m_frames = ints[1];
        m_h = ints[2];
        m_atomic = ints[3];
    }

private:
    void add(const hydrogen_verdicts& v) {
        m_h += v.hydrogen.size();
        m_atomic += v.n_atomic();
        ++m_frames;
    }
    hydrogen_params m_p;
    std::uint64_t m_h = 0, m_atomic = 0, m_frames = 0;
};

/// One-shot atomic-hydrogen fraction of one frame.
/// \throws materia::domain_error when the frame has no hydrogen; invalid_argument for bad input.
template <point_set P>
[[nodiscard]] double atomic_hydrogen_fraction(const P& points, const species_list& species, const materia::cell& box,
                                              const hydrogen_params& params = {}) {
    hydrogen_accumulator acc(params);
    acc.accumulate(points, species, box);
    return acc.result().fraction;
}

}  // namespace materia
