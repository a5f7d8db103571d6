// materia/structure/bond_graph.hpp — the bond network of a periodic structure as a quotient graph:
// one vertex per atom of the cell, one directed edge per bond and direction, each edge labelled
// with the lattice image offset of its far end.
//
// Entry points: materia::bond_graph, bond_graph::from_neighbor_list(list),
// bond_graph::from_bonds(n_atoms, bonds), materia::build_bond_graph(points, species, cell, cutoffs).
//
// Why the image labels: the infinite periodic net is the "lift" of this graph — a vertex of the
// net is a pair (atom, image) and the edge i→(j, n) joins (i, m) to (j, m + n).  A closed walk of the
// quotient graph is a ring of the material only when its image offsets sum to zero; a non-zero sum
// is a chain that winds around the cell.  Graph distances must also be taken in the net, not in
// the quotient graph, or cells smaller than the rings give wrong shortest paths (the 8-atom diamond
// cell has 16 six-rings; a distance map that ignores images finds none).  <materia/structure/rings.hpp>
// searches rings in the net with this graph.
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/neighbors/neighbor_list.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace materia {

/// One bond of an explicit bond list: atoms i and j, with j taken in lattice image `image`
/// (bond vector r_j + image·H − r_i).  The bond is undirected; give each bond once.
struct bond {
    std::uint32_t i = 0;
    std::uint32_t j = 0;
    std::array<int, 3> image{};
};

/// The periodic quotient graph of a bond network in CSR form.  Both directions of every bond are
/// stored: edge i→(j, n) and edge j→(i, −n).  Rows are sorted by (j, image) and free of duplicates,
/// so the graph (and everything computed from it) does not depend on the input order of bonds.
struct bond_graph {
    struct edge {
        std::uint32_t j;               ///< the neighbour atom
        std::array<int, 3> image;      ///< lattice image of the neighbour
        friend bool operator==(const edge&, const edge&) = default;
    };
    std::vector<std::size_t> offsets{0};  ///< size N+1
    std::vector<edge> edges;

    [[nodiscard]] std::size_t size() const noexcept { return offsets.size() - 1; }
    [[nodiscard]] std::size_t degree(std::size_t i) const noexcept { return offsets[i + 1] - offsets[i]; }
    [[nodiscard]] std::span<const edge> neighbors(std::size_t i) const noexcept {
        return {edges.data() + offsets[i], edges.data() + offsets[i + 1]};
    }
    /// Number of undirected bonds.
    [[nodiscard]] std::size_t n_bonds() const noexcept { return edges.size() / 2; }
    /// Mean number of bonds per atom (0 for an empty graph).
    [[nodiscard]] double mean_degree() const noexcept {
        return size() == 0 ? 0.0 : static_cast<double>(edges.size()) / static_cast<double>(size());
    }
    /// Largest |image component| of any edge (bounds how far a search can drift per step).
    [[nodiscard]] int max_image_component() const noexcept {
        int m = 0;
        for (const auto& e : edges)
            for (int c : e.image) m = std::max(m, c < 0 ? -c : c);
        return m;
    }

    /// From a full neighbour list (materia::neighbor_list::build): same atoms, same images.
    [[nodiscard]] static bond_graph from_neighbor_list(const neighbor_list& list) {
        bond_graph g;
        const std::size_t n = list.size();
        g.offsets.assign(n + 1, 0);
        g.edges.reserve(list.entries.size());
        for (std::size_t i = 0; i < n; ++i) {
            for (const auto& e : list.neighbors(i)) {
                // an atom bonded to itself in the same image is not a bond (zero length)
                if (e.j == i && e.image == std::array<int, 3>{0, 0, 0}) continue;
                g.edges.push_back({e.j, e.image});
            }
            g.offsets[i + 1] = g.edges.size();
        }
        g.sort_rows();
        return g;
    }

    /// From an explicit list of undirected bonds among n_atoms atoms.  Duplicates (the same bond
    /// given twice, in either direction) are merged.
    /// \throws materia::invalid_argument for an atom index ≥ n_atoms or a bond of an atom to itself
    ///         in the same image.
    [[nodiscard]] static bond_graph from_bonds(std::size_t n_atoms, std::span<const bond> bonds) {
        bond_graph g;
        g.offsets.assign(n_atoms + 1, 0);
        for (const auto& b : bonds) {
            if (b.i >= n_atoms || b.j >= n_atoms)
                throw_invalid("bond_graph::from_bonds: bond (", b.i, ", ", b.j, ") names an atom >= n_atoms = ",
                              n_atoms);
            if (b.i == b.j && b.image == std::array<int, 3>{0, 0, 0})
                throw_invalid("bond_graph::from_bonds: atom ", b.i, " is bonded to itself in the same image");
            ++g.offsets[b.i + 1];
            ++g.offsets[b.j + 1];
        }
        for (std::size_t i = 0; i < n_atoms; ++i) g.offsets[i + 1] += g.offsets[i];
        g.edges.resize(g.offsets[n_atoms]);
        std::vector<std::size_t> fill(g.offsets.begin(), g.offsets.end() - 1);
        for (const auto& b : bonds) {
            g.edges[fill[b.i]++] = edge{b.j, b.image};
            g.edges[fill[b.j]++] = edge{b.i, {-b.image[0], -b.image[1], -b.image[2]}};
        }
        g.sort_rows();
        return g;
    }

    /// The graph without the bonds for which keep(i, j) is false (i, j atom indices).
    template <class Keep>
    [[nodiscard]] bond_graph filtered(Keep&& keep) const {
        bond_graph g;
        g.offsets.assign(size() + 1, 0);
        g.edges.reserve(edges.size());
        for (std::size_t i = 0; i < size(); ++i) {
            for (const auto& e : neighbors(i))
                if (keep(i, static_cast<std::size_t>(e.j))) g.edges.push_back(e);
            g.offsets[i + 1] = g.edges.size();
        }
        return g;
    }

private:
    // Sort each row by (j, image) and drop duplicate edges: a deterministic layout whatever the
    // order the bonds came in.
    void sort_rows() {
        std::vector<edge> out;
        out.reserve(edges.size());
        std::vector<std::size_t> off(offsets.size(), 0);
        for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
            auto b = edges.begin() + static_cast<std::ptrdiff_t>(offsets[i]);
            auto e = edges.begin() + static_cast<std::ptrdiff_t>(offsets[i + 1]);
            std::sort(b, e, [](const edge& x, const edge& y) {
                if (x.j != y.j) return x.j < y.j;
                return x.image < y.image;
            });
            const std::size_t start = out.size();
            for (auto it = b; it != e; ++it)
                if (out.size() == start || !(out.back() == *it)) out.push_back(*it);
            off[i + 1] = out.size();
        }
        edges = std::move(out);
        offsets = std::move(off);
    }
};

/// Bond network of one frame: bonds closer than cutoffs(species[i], species[j]) (strictly less),
/// every periodic image included (exact for any cell, even cells smaller than the cutoff).
/// \throws materia::invalid_argument when sizes or species disagree.
template <point_set P>
[[nodiscard]] bond_graph build_bond_graph(const P& points, const species_list& species, const materia::cell& box,
                                          const pair_cutoffs& cutoffs, int threads = 0) {
    return bond_graph::from_neighbor_list(neighbor_list::build(points, species, box, cutoffs, threads));
}

}  // namespace materia
