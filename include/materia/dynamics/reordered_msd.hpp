// materia/dynamics/reordered_msd.hpp — the permutation-reordered MSD′ of identical atoms.
//
// Entry points: materia::reordered_msd (built on the reference frame; evaluate(positions, cell) per
// later frame), materia::reordered_msd_options, materia::reordered_msd_frame.
//
// Definition (Qin et al., LaH10 proton diffusion, eq. 3; SCIENCE.md §4.2):
//   MSD′(t) = (1/N) Σ_species min_P Σ_{i∈s} | r_{P(i)}(t) − r_i(0) |²_MI,
// P a permutation of the atoms of one species, |·|_MI the minimum-image length in the CURRENT cell
// (exact for triclinic cells, materia::cell::minimum_image).  Atoms that only exchange sites add
// nothing, so MSD′ separates structural relaxation from diffusion by exchange; with minimum images
// it saturates at the mean square distance to the nearest site.  Remove centre-of-mass drift first
// (unwrapper with remove_drift), otherwise a drift looks like displacement.
//
// Method: per species a linear assignment problem on the cost C_ij = |r_j(t) − r_i(0)|²_MI
// (materia/numerics/assignment.hpp).  Dense O(N_s³) by default.  With options.cutoff = r_c > 0 and
// r_c below the minimum-image radius, only pairs closer than r_c enter (found with the exact
// cell-list search); the sparse optimum is accepted only when its duals prove it optimal for the
// full problem (every omitted pair costs ≥ r_c², see sparse_optimal_for); otherwise — or when no
// perfect matching exists within r_c — the cutoff grows by 1.5× up to the minimum-image radius, and
// then the dense solver runs.  So the value is always the exact
// minimum (tested against brute force over all permutations for N ≤ 8).
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/neighbors/cell_list.hpp>
#include <materia/numerics/assignment.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace materia {

/// Options of materia::reordered_msd.
struct reordered_msd_options {
    /// Å; > 0: try the sparse assignment on pairs closer than cutoff first (exactness is verified;
    /// dense fallback).  0: always dense.  Worth it from a few hundred atoms per species.
    double cutoff = 0;
    /// Species with fewer atoms than this always use the dense solver.
    std::size_t sparse_min_atoms = 64;
};

/// MSD′ of one frame against the reference frame.
struct reordered_msd_frame {
    double msd = 0;                        ///< MSD′, all atoms (Å²)
    double msd_identity = 0;               ///< the same minimum-image sum without reordering (≥ msd)
    std::vector<double> msd_species;       ///< MSD′ per species (Å²), species order of the species_list
    std::vector<std::size_t> permutation;  ///< P(i): the atom that now occupies atom i's reference site
    std::size_t exchanged = 0;             ///< number of atoms i with P(i) ≠ i
    std::size_t dense_solves = 0;          ///< species solved densely (including sparse fallbacks)
    std::size_t sparse_solves = 0;         ///< species solved (and certified) sparsely
    std::size_t sparse_retries = 0;        ///< sparse attempts rejected (no matching or no certificate)
};

/// Permutation-minimised MSD′ against a fixed reference frame.
class reordered_msd {
public:
    /// \param reference positions r_i(0) (Å); \param species one species per atom.
    /// \throws materia::invalid_argument when sizes differ, there are no atoms, a coordinate is not
    ///         finite, or the cutoff is negative.
    template <point_set P>
    reordered_msd(const P& reference, species_list species, reordered_msd_options opts = {})
        : m_species(std::move(species)), m_opts(opts) {
        const auto v = as_points(reference);
        if (v.size() != m_species.size())
            throw_invalid("reordered_msd: ", v.size(), " reference positions but ", m_species.size(), " species entries");
        if (v.size() == 0) throw_invalid("reordered_msd: no atoms (got 0)");
        if (!(m_opts.cutoff >= 0) || !std::isfinite(m_opts.cutoff))
            throw_invalid("reordered_msd: cutoff must be >= 0 and finite (got ", m_opts.cutoff, ")");
        m_ref.resize(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) {
            m_ref[i] = v.point(i);
            for (double x : m_ref[i])
                if (!std::isfinite(x)) throw_invalid("reordered_msd: non-finite reference coordinate of atom ", i, " (got ", x, ")");
        }
        m_members.resize(m_species.n_species());
        for (std::size_t i = 0; i < m_ref.size(); ++i) m_members[m_species[i]].push_back(i);
    }

    /// MSD′ of a frame (same atoms, same order) against the reference, minimum images in cell c.
    /// \throws materia::invalid_argument for a different atom count or non-finite coordinates.
    template <point_set P>
    [[nodiscard]] reordered_msd_frame evaluate(const P& positions, const cell& c) const {
        const auto v = as_points(positions);
        const std::size_t n = m_ref.size();
        if (v.size() != n) throw_invalid("reordered_msd::evaluate: ", v.size(), " positions, expected ", n);
        std::vector<vec3> cur(n);
        for (std::size_t i = 0; i < n; ++i) {
            cur[i] = v.point(i);
            for (double x : cur[i])
                if (!std::isfinite(x)) throw_invalid("reordered_msd::evaluate: non-finite coordinate of atom ", i, " (got ", x, ")");
        }
        reordered_msd_frame out;
        out.permutation.assign(n, 0);
        out.msd_species.assign(m_members.size(), 0.0);
        double total = 0;
        for (std::size_t s = 0; s < m_members.size(); ++s) {
            const auto& mem = m_members[s];
            const std::size_t ns = mem.size();
            if (ns == 0) continue;
            double ident = 0;
            for (std::size_t a = 0; a < ns; ++a) ident += mi2(c, cur[mem[a]], m_ref[mem[a]]);
            out.msd_identity += ident;
            assignment_result res;
            bool solved = false;
            // Sparse first; when the certificate fails (atoms moved far: long jumps), widen the
            // cutoff by 1.5× while it stays below the minimum-image radius, then go dense.
            double rc = m_opts.cutoff;
            const double rmi = c.minimum_image_radius();
            while (!solved && rc > 0 && ns >= m_opts.sparse_min_atoms && rc < rmi && c.any_periodic()) {
                const sparse_cost sc = sparse_problem(c, mem, cur, rc);
                res = solve_assignment_sparse(sc);
                if (res.feasible && sparse_optimal_for(res, sc, rc * rc)) {
                    solved = true;
                    ++out.sparse_solves;
                } else {
                    ++out.sparse_retries;
                    rc = rc * 1.5 < rmi ? rc * 1.5 : (rc < 0.999 * rmi ? 0.999 * rmi : rmi);
                }
            }
            if (!solved) {
                std::vector<double> cost(ns * ns);
                for (std::size_t a = 0; a < ns; ++a)
                    for (std::size_t b = 0; b < ns; ++b) cost[a * ns + b] = mi2(c, cur[mem[b]], m_ref[mem[a]]);
                res = solve_assignment(cost, ns, ns);
                ++out.dense_solves;
            }
            // Sum the chosen costs in a fixed order from freshly computed distances, so that the value
            // does not depend on which solver ran.
            double best = 0;
            for (std::size_t a = 0; a < ns; ++a) {
                const std::size_t b = res.col_of_row[a];
                best += mi2(c, cur[mem[b]], m_ref[mem[a]]);
                out.permutation[mem[a]] = mem[b];
                if (b != a) ++out.exchanged;
            }
            // Never report more than the identity permutation (guards rounding in ties).
            best = std::min(best, ident);
            out.msd_species[s] = best / static_cast<double>(ns);
            total += best;
        }
        out.msd = total / static_cast<double>(n);
        out.msd_identity /= static_cast<double>(n);
        return out;
    }

    [[nodiscard]] std::size_t atoms() const noexcept { return m_ref.size(); }
    [[nodiscard]] const species_list& species() const noexcept { return m_species; }

private:
    static double mi2(const cell& c, const vec3& a, const vec3& b) noexcept {
        const vec3 d = c.minimum_image(detail::sub(a, b));
        return detail::dot(d, d);
    }

    // Sparse problem on pairs (reference a, current b) closer than rc: one cell-list search over the
    // 2 n_s points (reference first, then current), keeping the cross pairs.
    sparse_cost sparse_problem(const cell& c, const std::vector<std::size_t>& mem, const std::vector<vec3>& cur,
                                   double rc) const {
        const std::size_t ns = mem.size();
        std::vector<vec3> pts;
        pts.reserve(2 * ns);
        for (std::size_t a = 0; a < ns; ++a) pts.push_back(m_ref[mem[a]]);
        for (std::size_t b = 0; b < ns; ++b) pts.push_back(cur[mem[b]]);
        std::vector<std::vector<std::pair<std::size_t, double>>> rows(ns);
        const cell_list cl(pts, c, rc);
        cl.for_each_pair([&](const neighbor_pair& p) {
            const bool ia = p.i < ns, ja = p.j < ns;
            if (ia == ja) return;
            const std::size_t a = ia ? p.i : p.j;
            const std::size_t b = (ia ? p.j : p.i) - ns;
            rows[a].emplace_back(b, p.r2);
        });
        sparse_cost sc(ns, ns);
        for (std::size_t a = 0; a < ns; ++a) {
            for (const auto& [b, r2] : rows[a]) sc.add(b, r2);
            sc.end_row();
        }
        return sc;
    }

    species_list m_species;
    reordered_msd_options m_opts;
    std::vector<vec3> m_ref;
    std::vector<std::vector<std::size_t>> m_members;
};

}  // namespace materia
