// materia/structure/rings.hpp — ring statistics of bond networks, exact under periodic boundaries.
//
// Entry points: materia::ring_definition (king, sp, guttman, primitive, strong), materia::ring_options,
// materia::find_rings(graph, species, options) -> ring_result (ring member lists with images, counts
// per size, R.I.N.G.S. normalisations Rc/Pn/Pmax/Pmin, per-atom membership), the frame overload
// find_rings(points, species, cell, cutoffs, options), and materia::ring_accumulator (averages and
// standard deviations over frames; accumulate / merge / reset / result, flat state).
//
// The network is the periodic net lifted from the quotient graph of <materia/structure/bond_graph.hpp>:
// every search runs on pairs (atom, image), so distances are those of the infinite crystal and a
// closed path is a ring only when its image offsets sum to zero (a path that returns to the same atom
// in another image is a chain winding around the cell, never a ring).  Cells smaller than the rings
// are therefore exact: the 2-atom primitive diamond cell has 4 six-rings, the 8-atom cubic cell 16.
//
// Definitions (n = ring size, every ring a simple cycle of the net, 3 ≤ n ≤ max_size):
//  * king      (King, Nature 213, 1112 (1967); R.I.N.G.S. default): for every atom A and every pair of
//              its neighbours B, C, all shortest closed paths B…C through A that avoid A elsewhere.
//  * guttman   (Guttman, JNCS 116, 145 (1990)): for every bond A–B, all shortest closed paths that
//              contain the bond.
//  * sp        (Franzblau, PRB 44, 4925 (1991)): shortest-path rings — for every pair of ring atoms one
//              of the two arcs is a shortest path of the network (what matscipy counts).
//  * primitive (Marians & Hobbs; Yuan & Cormack CMS 24, 343 (2002)): rings that are not the sum
//              (symmetric difference of edge sets) of two smaller rings.  These are exactly the SP rings,
//              and they are searched the same way.  Why: a shortcut P between two ring atoms splits the
//              ring into two smaller rings.  Conversely, let R = R1 + R2 with |R1|, |R2| < n, A = R ∩ R1,
//              B = R ∩ R2 and S = R1 ∩ R2 (paths S_j with ends on R).  Replace each S_j by the shorter
//              ring arc γ_j between its ends.  Then A + Σγ_j and B + Σγ_j are cycles of the ring itself
//              (0 or R) and add up to R, so A = Σγ_j or B = Σγ_j (mod 2), and min(|A|, |B|) ≤ Σ|γ_j|.
//              With no shortcut, |γ_j| ≤ |S_j|, so min(|A|, |B|) ≤ |S|, which contradicts
//              |R1| = |A| + |S| < n and |R2| = |B| + |S| < n.  Hence C60's ten 18-membered equators
//              (sums of the faces of a hemisphere, never of two rings) are primitive; they are not strong.
//  * strong    (Goetzke & Klein, JNCS 127, 215 (1991)): primitive rings that are not the sum of any number
//              of smaller rings.  Tested by Gaussian elimination over GF(2) against the smaller SP rings
//              (which span every shorter cycle: a cycle with a shortcut is the sum of two shorter ones)
//              lying within ⌊n/2⌋ bonds of the ring.  A decomposition that needs rings farther away is
//              not seen (the ring is then reported strong); molecules and cages up to n/2 bonds across,
//              such as C60, are exact.
//
// Algorithms: every search is local to one root atom — memory is the searched neighbourhood plus
// O(N) stamped index arrays per thread, never N² — roots are split over threads with
// parallel_chunks, and the merged list is sorted, so results are identical for any thread count.
// SP rings: each ring is built only from its smallest atom index r.  A BFS of depth ⌊max_size/2⌋ from
// r in the sub-network of atoms ≥ r gives shortest-path DAGs (distances there are never shorter than
// in the full network, and the arcs of an SP ring are shortest paths of both); pairs of vertex-disjoint
// shortest paths to a common vertex (even n) or to the two ends of one edge (odd n) are the candidates.
// A candidate is kept when no pair of atoms half a ring apart is closer than ⌊n/2⌋ in the full network
// (a shortcut between any pair extends along the ring to one between such a pair), tested with a
// bounded bidirectional BFS whose answers are memoised per root.  King/Guttman: BFS from each
// neighbour (resp. the root) avoiding the root (resp. the bond), all shortest paths enumerated.
// Every ring is stored in canonical form: its (atom, image) sequence translated so that the first
// member has image (0,0,0), rotated and reflected to the lexicographically smallest sequence.  Rings
// are de-duplicated on this form — two different rings through the same atoms in different images
// (small cells) stay distinct, translates of one ring are one ring.
//
// Normalisations (Le Roux & Jund, CMS 49, 70 (2010)), over the initiating atoms (all atoms, or those
// of the initiating species): Rc(n) = rings of size n / initiating atoms; Pn(n) = fraction of
// initiating atoms that belong to at least one ring of size n; Pmax(n), Pmin(n) = fraction of
// initiating atoms whose largest (smallest) ring has size n (atoms in no ring count in neither).
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/neighbors/neighbor_list.hpp>
#include <materia/structure/bond_graph.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <compare>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace materia {

/// Which rings are counted; see the file comment for the definitions.
enum class ring_definition { king, sp, guttman, primitive, strong };

/// Name used in outputs ("king", "sp", "guttman", "primitive", "strong").
[[nodiscard]] inline std::string_view to_string(ring_definition d) noexcept {
    switch (d) {
        case ring_definition::king: return "king";
        case ring_definition::sp: return "sp";
        case ring_definition::guttman: return "guttman";
        case ring_definition::primitive: return "primitive";
        case ring_definition::strong: return "strong";
    }
    return "king";
}

/// Parse a definition name.  \throws materia::invalid_argument naming the bad text.
[[nodiscard]] inline ring_definition parse_ring_definition(std::string_view s) {
    for (auto d : {ring_definition::king, ring_definition::sp, ring_definition::guttman, ring_definition::primitive,
                   ring_definition::strong})
        if (to_string(d) == s) return d;
    throw_invalid("ring_definition: expected king, sp, guttman, primitive or strong (got '", s, "')");
}

/// Options of a ring search.
struct ring_options {
    ring_definition definition = ring_definition::king;
    std::size_t max_size = 10;  ///< largest ring size searched, inclusive; 3 ≤ max_size ≤ 200
    bool abab = false;          ///< only rings whose species alternate A-B-A-B (heteropolar bonds only)
    bool no_homopolar = false;  ///< ignore bonds between atoms of the same species
    std::string initiating_species;  ///< empty: all atoms; else only rings initiated from / containing this species
    int threads = 0;            ///< worker threads (0 = all); results do not depend on it
    /// Refuse (materia::domain_error) once the search has found more than this many rings, counted
    /// before duplicates are merged (0: no limit).  Why: ring counts grow combinatorially with the
    /// coordination, so a cutoff that bonds each atom to dozens of neighbours would otherwise fill
    /// the memory (~200 bytes per ring) — a covalent network has a few rings per atom.
    std::size_t max_rings = 20'000'000;

    /// \throws materia::invalid_argument naming the bad option.
    void validate() const {
        if (max_size < 3 || max_size > 200)
            throw_invalid("ring_options: max_size must be between 3 and 200 (got ", max_size, ")");
        if (threads < 0) throw_invalid("ring_options: threads must be >= 0 (got ", threads, ")");
    }
};

/// One member of a ring: an atom of the cell and the lattice image it is taken in.
struct ring_node {
    std::uint32_t atom = 0;
    std::array<int, 3> image{};
    friend auto operator<=>(const ring_node&, const ring_node&) = default;
    friend bool operator==(const ring_node&, const ring_node&) = default;
};

/// A ring in canonical form: consecutive members are bonded, the last to the first; the first
/// member has image (0,0,0) and the sequence is the lexicographically smallest of its rotations and
/// reflections.  Positions: r_atom + image·H (unwrapped around the first member's cell).
struct ring {
    std::vector<ring_node> nodes;
    [[nodiscard]] std::size_t size() const noexcept { return nodes.size(); }
    friend auto operator<=>(const ring& a, const ring& b) {
        if (a.nodes.size() != b.nodes.size()) return a.nodes.size() <=> b.nodes.size();
        return a.nodes <=> b.nodes;
    }
    friend bool operator==(const ring&, const ring&) = default;
};

/// Rings of one frame with their statistics (all size-indexed vectors have max_size + 1 entries).
struct ring_result {
    ring_definition definition = ring_definition::king;
    std::size_t max_size = 0;
    std::size_t n_atoms = 0;
    std::size_t n_initiating = 0;          ///< atoms used for the normalisations
    /// King: angles (neighbour pairs), Guttman: bonds, that close no ring of size ≤ max_size — where
    /// larger rings may have been missed (R.I.N.G.S. "potentially missed rings"); 0 for the SP family.
    std::size_t unclosed = 0;
    std::vector<ring> rings;               ///< sorted by size, then by canonical sequence
    std::vector<std::size_t> counts;       ///< rings of each size
    std::vector<double> rc, pn, pmax, pmin;  ///< R.I.N.G.S. normalisations (see file comment)
    std::vector<std::size_t> membership_offsets;  ///< size n_atoms + 1
    std::vector<std::uint32_t> membership;        ///< ring indices of each atom (each ring once per atom)

    /// Indices into `rings` of the rings that contain atom i (in any image).
    [[nodiscard]] std::span<const std::uint32_t> rings_of(std::size_t i) const noexcept {
        return {membership.data() + membership_offsets[i], membership.data() + membership_offsets[i + 1]};
    }
    [[nodiscard]] std::size_t total() const noexcept { return rings.size(); }
};

namespace detail::rings {

// (atom, image) packed into 64 bits: atom in bits 36..63 (fewer than 2^28 atoms), each image
// component offset by 2048 in 12 bits.  Searches stay within 2·max_size·max|image| of the root image
// (ring members ≤ max_size/2 steps away, probes and strong-ring balls as far again), which
// find_rings checks against image_limit before searching, so fields never overflow.
inline constexpr int image_bias = 2048;
inline constexpr int image_limit = 2000;
inline constexpr std::size_t max_atoms = std::size_t{1} << 28;
[[nodiscard]] inline std::uint64_t pack(std::uint32_t atom, const std::array<int, 3>& im) noexcept {
    return (std::uint64_t{atom} << 36) | (static_cast<std::uint64_t>(im[0] + image_bias) << 24) |
           (static_cast<std::uint64_t>(im[1] + image_bias) << 12) | static_cast<std::uint64_t>(im[2] + image_bias);
}
[[nodiscard]] inline std::uint32_t atom_of(std::uint64_t key) noexcept { return static_cast<std::uint32_t>(key >> 36); }
[[nodiscard]] inline std::array<int, 3> image_of(std::uint64_t key) noexcept {
    return {static_cast<int>((key >> 24) & 4095u) - image_bias, static_cast<int>((key >> 12) & 4095u) - image_bias,
            static_cast<int>(key & 4095u) - image_bias};
}
inline constexpr std::uint64_t low36 = (std::uint64_t{1} << 36) - 1;
inline constexpr std::uint64_t no_key = ~std::uint64_t{0};

// Precomputed edge steps: the neighbour's atom and the packed image increment.
struct graph_view {
    const bond_graph* g = nullptr;
    std::vector<std::int64_t> delta;  // per edge: image increment in packed form
    explicit graph_view(const bond_graph& graph) : g(&graph), delta(graph.edges.size()) {
        for (std::size_t k = 0; k < graph.edges.size(); ++k) {
            const auto& im = graph.edges[k].image;
            delta[k] = (std::int64_t{im[0]} << 24) + (std::int64_t{im[1]} << 12) + std::int64_t{im[2]};
        }
    }
    template <class F>
    void for_each_neighbor(std::uint64_t key, F&& f) const {
        const std::uint32_t a = atom_of(key);
        const auto img = static_cast<std::int64_t>(key & low36);
        for (std::size_t k = g->offsets[a]; k < g->offsets[a + 1]; ++k)
            f((std::uint64_t{g->edges[k].j} << 36) | static_cast<std::uint64_t>(img + delta[k]));
    }
};

// Map (atom, image) key → uint32 for one local search.  An atom-indexed table (stamped, so clearing
// costs nothing) points to a short chain of the images of that atom met so far: one entry per atom
// in cells wider than the search, a few in small cells.  O(N) memory per search object, O(1) lookups.
class node_table {
public:
    static constexpr std::uint32_t npos = ~std::uint32_t{0};
    explicit node_table(std::size_t n_atoms) : m_stamp(n_atoms, 0), m_head(n_atoms, npos) { m_e.reserve(256); }
    [[nodiscard]] std::uint32_t find(std::uint64_t key) const noexcept {
        const std::uint32_t a = atom_of(key);
        if (m_stamp[a] != m_cur) return npos;
        for (std::uint32_t e = m_head[a]; e != npos; e = m_e[e].next)
            if (m_e[e].key == key) return m_e[e].val;
        return npos;
    }
    /// Insert if absent; returns the stored value and whether it was inserted.
    std::pair<std::uint32_t, bool> insert(std::uint64_t key, std::uint32_t val) {
        const std::uint32_t a = atom_of(key);
        if (m_stamp[a] != m_cur) {
            m_stamp[a] = m_cur;
            m_head[a] = npos;
        } else {
            for (std::uint32_t e = m_head[a]; e != npos; e = m_e[e].next)
                if (m_e[e].key == key) return {m_e[e].val, false};
        }
        m_e.push_back(slot{key, val, m_head[a]});
        m_head[a] = static_cast<std::uint32_t>(m_e.size() - 1);
        return {val, true};
    }
    void clear() noexcept {
        if (++m_cur == 0) {  // stamp wrapped: reset every atom once
            std::fill(m_stamp.begin(), m_stamp.end(), 0u);
            m_cur = 1;
        }
        m_e.clear();
    }
    [[nodiscard]] std::size_t size() const noexcept { return m_e.size(); }

private:
    struct slot {
        std::uint64_t key;
        std::uint32_t val, next;
    };
    std::vector<std::uint32_t> m_stamp, m_head;
    std::vector<slot> m_e;
    std::uint32_t m_cur = 1;
};

// Breadth-first search in the net from one source, keeping every shortest-path parent (the
// shortest-path DAG) so that all shortest paths can be enumerated.  Nodes get local ids in BFS order.
class lifted_bfs {
public:
    static constexpr std::uint32_t none = ~std::uint32_t{0};
    explicit lifted_bfs(std::size_t n_atoms) : m_index(n_atoms) {}

    std::vector<std::uint64_t> key;
    std::vector<int> dist;
    std::vector<std::uint32_t> layer_start;  // first local id of each distance; one extra at the end

    /// BFS from `src` to depth max_depth.  Never enters `forbidden_node`; never uses the edge between
    /// `fe_a` and `fe_b`.  After each completed layer d, stop(d) may end the search.
    template <class Stop>
    void run(const graph_view& gv, std::uint64_t src, int max_depth, std::uint64_t forbidden_node,
             std::uint64_t fe_a, std::uint64_t fe_b, Stop&& stop) {
        run(gv, src, max_depth, forbidden_node, fe_a, fe_b, stop, [](std::uint64_t) { return true; });
    }
    /// As above, entering only nodes with allow(key) true.
    template <class Stop, class Allow>
    void run(const graph_view& gv, std::uint64_t src, int max_depth, std::uint64_t forbidden_node,
             std::uint64_t fe_a, std::uint64_t fe_b, Stop&& stop, Allow&& allow) {
        clear();
        add(src, 0, none);
        layer_start.push_back(0);
        layer_start.push_back(1);
        for (int d = 1; d <= max_depth; ++d) {
            const std::uint32_t b = layer_start[static_cast<std::size_t>(d - 1)];
            const std::uint32_t e = layer_start[static_cast<std::size_t>(d)];
            for (std::uint32_t u = b; u < e; ++u) {
                const std::uint64_t ku = key[u];
                gv.for_each_neighbor(ku, [&](std::uint64_t kv) {
                    if (kv == forbidden_node || !allow(kv)) return;
                    if ((ku == fe_a && kv == fe_b) || (ku == fe_b && kv == fe_a)) return;
                    const auto [id, inserted] = m_index.insert(kv, static_cast<std::uint32_t>(key.size()));
                    if (inserted) {
                        add(kv, d, u);
                    } else if (dist[id] == d) {
                        add_parent(id, u);
                    }
                });
            }
            layer_start.push_back(static_cast<std::uint32_t>(key.size()));
            if (layer_start.back() == e) break;  // nothing new: the component is exhausted
            if (stop(d)) break;
        }
    }
    [[nodiscard]] std::uint32_t find(std::uint64_t k) const noexcept { return m_index.find(k); }
    [[nodiscard]] std::size_t size() const noexcept { return key.size(); }
    [[nodiscard]] int depth() const noexcept { return static_cast<int>(layer_start.size()) - 2; }
    [[nodiscard]] std::uint32_t n_parents(std::uint32_t v) const noexcept {
        std::uint32_t c = 0;
        for (std::uint32_t p = m_par_head[v]; p != none; p = m_pool_next[p]) ++c;
        return c;
    }

    /// All shortest paths source → v through nodes with ok(local id) true, each as local ids from
    /// the source to v, appended to `out` as consecutive blocks of dist[v]+1 ids.
    template <class Ok>
    void paths_to(std::uint32_t v, Ok&& ok, std::vector<std::uint32_t>& out) {
        const auto len = static_cast<std::size_t>(dist[v]) + 1;
        m_stack.assign(len, 0);
        walk(v, len - 1, ok, out, len);
    }

private:
    void clear() {
        m_index.clear();
        key.clear();
        dist.clear();
        layer_start.clear();
        m_par_head.clear();
        m_pool_node.clear();
        m_pool_next.clear();
    }
    void add(std::uint64_t k, int d, std::uint32_t parent) {
        if (key.size() == 0) m_index.insert(k, 0);
        key.push_back(k);
        dist.push_back(d);
        m_par_head.push_back(none);
        if (parent != none) add_parent(static_cast<std::uint32_t>(key.size() - 1), parent);
    }
    void add_parent(std::uint32_t v, std::uint32_t p) {
        m_pool_node.push_back(p);
        m_pool_next.push_back(m_par_head[v]);
        m_par_head[v] = static_cast<std::uint32_t>(m_pool_node.size() - 1);
    }
    template <class Ok>
    void walk(std::uint32_t v, std::size_t pos, Ok& ok, std::vector<std::uint32_t>& out, std::size_t len) {
        if (!ok(v)) return;
        m_stack[pos] = v;
        if (pos == 0) {
            out.insert(out.end(), m_stack.begin(), m_stack.begin() + static_cast<std::ptrdiff_t>(len));
            return;
        }
        // parents are visited in reverse insertion order; the final sort of rings removes any
        // dependence on it
        for (std::uint32_t p = m_par_head[v]; p != none; p = m_pool_next[p]) walk(m_pool_node[p], pos - 1, ok, out, len);
    }

    node_table m_index;
    std::vector<std::uint32_t> m_par_head, m_pool_node, m_pool_next;
    std::vector<std::uint32_t> m_stack;
};

// "Are x and y joined by a path of at most L bonds?" by bidirectional bounded BFS, always growing
// the smaller frontier; a node reached from one side that the other side has already reached closes
// a path of length ≤ (depth x side) + (depth y side) ≤ L.
class distance_probe {
public:
    explicit distance_probe(std::size_t n_atoms) : m_t{node_table(n_atoms), node_table(n_atoms)} {}
    bool within(const graph_view& gv, std::uint64_t x, std::uint64_t y, int L) {
        if (x == y) return true;
        if (L <= 0) return false;
        m_t[0].clear();
        m_t[1].clear();
        m_t[0].insert(x, 0);
        m_t[1].insert(y, 0);
        m_f[0].assign(1, x);
        m_f[1].assign(1, y);
        int depth[2] = {0, 0};
        while (depth[0] + depth[1] < L) {
            const std::size_t s = m_f[0].size() <= m_f[1].size() ? 0 : 1;
            node_table& mine = m_t[s];
            const node_table& other = m_t[1 - s];
            m_next.clear();
            bool hit = false;
            for (std::uint64_t u : m_f[s]) {
                gv.for_each_neighbor(u, [&](std::uint64_t v) {
                    if (mine.insert(v, 0).second) {
                        if (other.find(v) != node_table::npos) hit = true;
                        m_next.push_back(v);
                    }
                });
                if (hit) return true;
            }
            if (m_next.empty()) return false;
            m_f[s].swap(m_next);
            ++depth[s];
        }
        return false;
    }

private:
    node_table m_t[2];
    std::vector<std::uint64_t> m_f[2], m_next;
};

// Canonical form of a cycle given as packed (atom, image) keys in cyclic order.
inline ring canonical(std::span<const std::uint64_t> cyc) {
    const std::size_t n = cyc.size();
    std::uint32_t amin = atom_of(cyc[0]);
    for (auto k : cyc) amin = std::min(amin, atom_of(k));
    ring best, cand;
    cand.nodes.resize(n);
    bool have = false;
    for (std::size_t s = 0; s < n; ++s) {
        if (atom_of(cyc[s]) != amin) continue;
        const auto base = image_of(cyc[s]);
        for (int dir = 0; dir < 2; ++dir) {
            for (std::size_t k = 0; k < n; ++k) {
                const std::size_t idx = dir == 0 ? (s + k) % n : (s + n - k) % n;
                auto im = image_of(cyc[idx]);
                for (std::size_t c = 0; c < 3; ++c) im[c] -= base[c];
                cand.nodes[k] = ring_node{atom_of(cyc[idx]), im};
            }
            if (!have || cand.nodes < best.nodes) {
                best = cand;
                have = true;
            }
        }
    }
    return best;
}

// Species tests of a finished ring.
struct species_filter {
    const std::uint32_t* sp = nullptr;
    bool abab = false;
    bool use_init = false;
    std::uint32_t init = 0;
    [[nodiscard]] bool keep(const ring& r, bool check_init) const {
        const std::size_t n = r.size();
        if (abab) {
            if (n % 2 != 0) return false;
            for (std::size_t k = 0; k < n; ++k) {
                const auto a = sp[r.nodes[k].atom], b = sp[r.nodes[(k + 1) % n].atom], c = sp[r.nodes[(k + 2) % n].atom];
                if (a == b || a != c) return false;
            }
        }
        if (check_init && use_init) {
            bool any = false;
            for (const auto& m : r.nodes) any = any || sp[m.atom] == init;
            if (!any) return false;
        }
        return true;
    }
};

// Results of distance probes "d(x, y) <= L?" for one root (candidate rings from one root share
// many atom pairs).
class probe_memo {
public:
    probe_memo() { m_slots.assign(256, entry{}); }
    /// 0 = not known, 1 = false, 2 = true.
    [[nodiscard]] int get(std::uint64_t x, std::uint64_t y, int L) const noexcept {
        if (x > y) std::swap(x, y);
        std::size_t h = slot(x, y, L);
        while (true) {
            const auto& e = m_slots[h];
            if (e.state == 0) return 0;
            if (e.x == x && e.y == y && e.L == L) return e.state;
            h = (h + 1) & (m_slots.size() - 1);
        }
    }
    void put(std::uint64_t x, std::uint64_t y, int L, bool v) {
        if (x > y) std::swap(x, y);
        if (2 * (m_used.size() + 1) > m_slots.size()) grow();
        std::size_t h = slot(x, y, L);
        while (m_slots[h].state != 0) {
            if (m_slots[h].x == x && m_slots[h].y == y && m_slots[h].L == L) return;
            h = (h + 1) & (m_slots.size() - 1);
        }
        m_slots[h] = entry{x, y, L, v ? 2 : 1};
        m_used.push_back(h);
    }
    void clear() noexcept {
        for (auto h : m_used) m_slots[h].state = 0;
        m_used.clear();
    }

private:
    struct entry {
        std::uint64_t x = 0, y = 0;
        int L = 0;
        int state = 0;
    };
    [[nodiscard]] std::size_t slot(std::uint64_t x, std::uint64_t y, int L) const noexcept {
        constexpr std::uint64_t c1 = 0x9e3779b97f4a7c15u, c2 = 0x632be59bd9b4e019u, c3 = 0xbf58476d1ce4e5b9u;
        std::uint64_t k = (x * c1) ^ (y + c2 + (x << 6) + (x >> 2)) ^ static_cast<std::uint64_t>(L);
        k ^= k >> 29;
        k *= c3;
        k ^= k >> 32;
        return k & (m_slots.size() - 1);
    }
    void grow() {
        std::vector<entry> old;
        for (auto h : m_used) old.push_back(m_slots[h]);
        m_slots.assign(m_slots.size() * 2, entry{});
        m_used.clear();
        for (const auto& e : old) put(e.x, e.y, e.L, e.state == 2);
    }
    std::vector<entry> m_slots;
    std::vector<std::size_t> m_used;
};

// Per-thread worker: the searches from one root at a time.
class root_searcher {
public:
    root_searcher(const graph_view& gv, std::size_t max_size, species_filter filt)
        : m_gv(&gv), m_max(static_cast<int>(max_size)), m_filt(filt), m_bfs(gv.g->size()), m_probe(gv.g->size()) {}

    std::vector<ring> found;
    std::size_t unclosed = 0;  // King angles / Guttman bonds without a ring up to max_size

    // SP rings whose smallest atom index is `root`.
    void sp(std::uint32_t root) {
        const std::uint64_t rk = pack(root, {0, 0, 0});
        const int depth = m_max / 2;
        // Only rings whose smallest atom is the root are built here, so the BFS runs in the
        // sub-network of atoms >= root (much smaller on average).  Distances there are never
        // shorter than in the full network, and the arcs of an SP ring — shortest paths of the
        // full network lying in the sub-network — are shortest paths there too, so every SP ring
        // is still among the candidates; the SP test itself uses the full network.
        m_bfs.run(*m_gv, rk, depth, no_key, no_key, no_key, [](int) { return false; },
                  [root](std::uint64_t k) { return atom_of(k) >= root; });
        auto ok = [](std::uint32_t) { return true; };
        m_memo_start.assign(m_bfs.size(), -1);
        m_memo_count.assign(m_bfs.size(), 0);
        m_paths.clear();
        m_local_seen.clear();
        m_memo.clear();
        const int dmax = m_bfs.depth();
        for (int m = 1; m <= std::min(depth, dmax); ++m) {
            const std::uint32_t b = m_bfs.layer_start[static_cast<std::size_t>(m)];
            const std::uint32_t e = m_bfs.layer_start[static_cast<std::size_t>(m + 1)];
            const auto len = static_cast<std::size_t>(m) + 1;
            // even rings n = 2m: two vertex-disjoint shortest paths from the root to v
            if (m >= 2 && 2 * m <= m_max) {
                for (std::uint32_t v = b; v < e; ++v) {
                    if (!ok(v) || m_bfs.n_parents(v) < 2) continue;
                    const auto [s, c] = paths(v, ok);
                    for (std::size_t p = 0; p < c; ++p)
                        for (std::size_t q = p + 1; q < c; ++q) {
                            const std::uint32_t* P = &m_paths[s + p * len];
                            const std::uint32_t* Q = &m_paths[s + q * len];
                            if (!disjoint(P + 1, Q + 1, len - 2, len - 2)) continue;
                            m_cyc.clear();
                            for (std::size_t k = 0; k < len; ++k) m_cyc.push_back(m_bfs.key[P[k]]);
                            for (std::size_t k = len - 2; k >= 1; --k) m_cyc.push_back(m_bfs.key[Q[k]]);
                            consider_sp(root);
                        }
                }
            }
            // odd rings n = 2m+1: shortest paths to both ends of an edge u–w inside layer m
            if (2 * m + 1 <= m_max) {
                for (std::uint32_t u = b; u < e; ++u) {
                    if (!ok(u)) continue;
                    m_gv->for_each_neighbor(m_bfs.key[u], [&](std::uint64_t kw) {
                        const std::uint32_t w = m_bfs.find(kw);
                        if (w == lifted_bfs::none || w <= u || m_bfs.dist[w] != m || !ok(w)) return;
                        m_pairs.emplace_back(u, w);
                    });
                }
                for (const auto& [u, w] : m_pairs) {
                    const auto [su, cu] = paths(u, ok);
                    const auto [sw, cw] = paths(w, ok);
                    for (std::size_t p = 0; p < cu; ++p)
                        for (std::size_t q = 0; q < cw; ++q) {
                            const std::uint32_t* P = &m_paths[su + p * len];
                            const std::uint32_t* Q = &m_paths[sw + q * len];
                            if (!disjoint(P + 1, Q + 1, len - 1, len - 1)) continue;
                            m_cyc.clear();
                            for (std::size_t k = 0; k < len; ++k) m_cyc.push_back(m_bfs.key[P[k]]);
                            for (std::size_t k = len - 1; k >= 1; --k) m_cyc.push_back(m_bfs.key[Q[k]]);
                            consider_sp(root);
                        }
                }
                m_pairs.clear();
            }
        }
    }

    // King rings centred on `root`.
    void king(std::uint32_t root) {
        const std::uint64_t rk = pack(root, {0, 0, 0});
        m_nbr.clear();
        m_gv->for_each_neighbor(rk, [&](std::uint64_t k) { m_nbr.push_back(k); });
        const std::size_t deg = m_nbr.size();
        for (std::size_t e1 = 0; e1 + 1 < deg; ++e1) {
            // BFS from the first neighbour, never through the centre, until every later neighbour
            // has been reached (all shortest paths to it are then known)
            auto stop = [&](int) {
                for (std::size_t e2 = e1 + 1; e2 < deg; ++e2)
                    if (m_bfs.find(m_nbr[e2]) == lifted_bfs::none) return false;
                return true;
            };
            m_bfs.run(*m_gv, m_nbr[e1], m_max - 2, rk, no_key, no_key, stop);
            for (std::size_t e2 = e1 + 1; e2 < deg; ++e2) {
                const std::uint32_t t = m_bfs.find(m_nbr[e2]);
                if (t == lifted_bfs::none) {
                    ++unclosed;
                    continue;
                }
                m_tmp.clear();
                m_bfs.paths_to(t, [](std::uint32_t) { return true; }, m_tmp);
                const auto len = static_cast<std::size_t>(m_bfs.dist[t]) + 1;
                for (std::size_t s = 0; s < m_tmp.size(); s += len) {
                    m_cyc.assign(1, rk);
                    for (std::size_t k = 0; k < len; ++k) m_cyc.push_back(m_bfs.key[m_tmp[s + k]]);
                    emit_plain();
                }
            }
        }
    }

    // Guttman rings through the bonds of `root` (each bond handled from one end only unless
    // `both_ends`).
    void guttman(std::uint32_t root, bool both_ends) {
        const std::uint64_t rk = pack(root, {0, 0, 0});
        m_nbr.clear();
        m_gv->for_each_neighbor(rk, [&](std::uint64_t k) { m_nbr.push_back(k); });
        for (std::uint64_t nk : m_nbr) {
            // bond (root, j, n) and its reverse (j, root, -n): exactly one has rk < nk
            if (!both_ends && !(rk < nk)) continue;
            auto stop = [&](int) { return m_bfs.find(nk) != lifted_bfs::none; };
            m_bfs.run(*m_gv, rk, m_max - 1, no_key, rk, nk, stop);
            const std::uint32_t t = m_bfs.find(nk);
            if (t == lifted_bfs::none) {
                ++unclosed;
                continue;
            }
            m_tmp.clear();
            m_bfs.paths_to(t, [](std::uint32_t) { return true; }, m_tmp);
            const auto len = static_cast<std::size_t>(m_bfs.dist[t]) + 1;
            for (std::size_t s = 0; s < m_tmp.size(); s += len) {
                m_cyc.clear();
                for (std::size_t k = 0; k < len; ++k) m_cyc.push_back(m_bfs.key[m_tmp[s + k]]);
                emit_plain();
            }
        }
    }

    // King/Guttman lists hold each ring once per finding root; compact them now and then.
    void compact() {
        std::sort(found.begin(), found.end());
        found.erase(std::unique(found.begin(), found.end()), found.end());
        m_compacted = found.size();
    }
    void maybe_compact() {
        if (found.size() > 2 * m_compacted + 4096) compact();
    }

private:
    std::pair<std::size_t, std::size_t> paths(std::uint32_t v, auto& ok) {
        if (m_memo_start[v] < 0) {
            const std::size_t s = m_paths.size();
            m_bfs.paths_to(v, ok, m_paths);
            m_memo_start[v] = static_cast<std::ptrdiff_t>(s);
            m_memo_count[v] = (m_paths.size() - s) / (static_cast<std::size_t>(m_bfs.dist[v]) + 1);
        }
        return {static_cast<std::size_t>(m_memo_start[v]), m_memo_count[v]};
    }
    static bool disjoint(const std::uint32_t* a, const std::uint32_t* b, std::size_t na, std::size_t nb) {
        for (std::size_t i = 0; i < na; ++i)
            for (std::size_t j = 0; j < nb; ++j)
                if (a[i] == b[j]) return false;
        return true;
    }
    // m_cyc holds a cycle built from two shortest paths of the sub-network from the root
    // (position 0): test the shortest-path property in the full network for every pair of atoms
    // half a ring apart (n/2 for even n, both (n-1)/2 neighbours for odd n).  That suffices: a
    // shortcut of length s < k between atoms k apart on the ring extends along the ring to a path
    // shorter than ⌊n/2⌋ between an atom and its antipode.
    void consider_sp(std::uint32_t root) {
        const std::size_t n = m_cyc.size();
        const std::size_t h = n / 2;
        const std::size_t pairs = n % 2 == 0 ? h : n;
        for (std::size_t i = 0; i < pairs; ++i) {
            const std::size_t j = (i + h) % n;
            const int L = static_cast<int>(h) - 1;
            const int known = m_memo.get(m_cyc[i], m_cyc[j], L);
            if (known == 2) return;
            if (known == 1) continue;
            const bool close = m_probe.within(*m_gv, m_cyc[i], m_cyc[j], L);
            m_memo.put(m_cyc[i], m_cyc[j], L, close);
            if (close) return;
        }
        // the root atom may occur in several images: the same ring is then found once per occurrence
        std::size_t occ = 0;
        for (auto k : m_cyc) occ += atom_of(k) == root ? std::size_t{1} : std::size_t{0};
        ring r = canonical(m_cyc);
        if (!m_filt.keep(r, true)) return;
        if (occ > 1) {
            for (const auto& s : m_local_seen)
                if (s == r) return;
            m_local_seen.push_back(r);
        }
        found.push_back(std::move(r));
    }
    void emit_plain() {
        ring r = canonical(m_cyc);
        if (!m_filt.keep(r, false)) return;
        found.push_back(std::move(r));
    }

    const graph_view* m_gv;
    int m_max;
    species_filter m_filt;
    lifted_bfs m_bfs;
    distance_probe m_probe;
    probe_memo m_memo;
    std::vector<std::uint64_t> m_cyc, m_nbr;
    std::vector<std::uint32_t> m_paths, m_tmp;
    std::vector<std::ptrdiff_t> m_memo_start;
    std::vector<std::size_t> m_memo_count;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_pairs;
    std::vector<ring> m_local_seen;
    std::size_t m_compacted = 0;
};

// Strong-ring test: is ring `r` (size n) a GF(2) sum of smaller SP rings within ⌊n/2⌋ bonds of it?
class strong_tester {
public:
    strong_tester(const graph_view& gv, const std::vector<ring>& sp_rings, std::size_t n_atoms)
        : m_gv(&gv), m_rings(&sp_rings), m_seen(n_atoms) {
        // index the rings by their first atom (its image is (0,0,0) in canonical form)
        m_first_off.assign(n_atoms + 1, 0);
        for (const auto& r : sp_rings) ++m_first_off[r.nodes[0].atom + 1];
        for (std::size_t i = 0; i < n_atoms; ++i) m_first_off[i + 1] += m_first_off[i];
        m_first.resize(sp_rings.size());
        std::vector<std::size_t> fill(m_first_off.begin(), m_first_off.end() - 1);
        for (std::size_t k = 0; k < sp_rings.size(); ++k) m_first[fill[sp_rings[k].nodes[0].atom]++] = static_cast<std::uint32_t>(k);
    }

    bool is_strong(const ring& r) {
        const std::size_t n = r.size();
        const int radius = static_cast<int>(n / 2);
        // the ball of radius ⌊n/2⌋ around the ring in the net
        m_all_keys.clear();
        for (const auto& m : r.nodes) m_all_keys.push_back(pack(m.atom, m.image));
        m_ball_keys.clear();
        m_cands.clear();
        collect_ball(r, radius);
        for (std::uint64_t bk : m_ball_keys) {
            const std::uint32_t a = atom_of(bk);
            const auto t = image_of(bk);
            for (std::size_t q = m_first_off[a]; q < m_first_off[a + 1]; ++q) {
                const ring& c = (*m_rings)[m_first[q]];
                if (c.size() >= n) continue;
                bool inside = true;
                m_tmp_keys.clear();
                for (const auto& cm : c.nodes) {
                    const std::array<int, 3> im{cm.image[0] + t[0], cm.image[1] + t[1], cm.image[2] + t[2]};
                    const auto k = pack(cm.atom, im);
                    if (m_seen.find(k) == node_table::npos) {
                        inside = false;
                        break;
                    }
                    m_tmp_keys.push_back(k);
                }
                if (!inside) continue;
                m_cands.push_back(m_tmp_keys);
            }
        }
        if (m_cands.empty()) return true;
        // edge columns
        m_edges.clear();
        auto add_edges = [&](const std::vector<std::uint64_t>& cyc) {
            for (std::size_t k = 0; k < cyc.size(); ++k) m_edges.push_back(edge_key(cyc[k], cyc[(k + 1) % cyc.size()]));
        };
        add_edges(m_all_keys);
        for (const auto& c : m_cands) add_edges(c);
        std::sort(m_edges.begin(), m_edges.end());
        m_edges.erase(std::unique(m_edges.begin(), m_edges.end()), m_edges.end());
        const std::size_t words = (m_edges.size() + 63) / 64;
        auto to_bits = [&](const std::vector<std::uint64_t>& cyc) {
            std::vector<std::uint64_t> bits(words, 0);
            for (std::size_t k = 0; k < cyc.size(); ++k) {
                const auto e = edge_key(cyc[k], cyc[(k + 1) % cyc.size()]);
                const auto col = static_cast<std::size_t>(std::lower_bound(m_edges.begin(), m_edges.end(), e) - m_edges.begin());
                bits[col / 64] ^= std::uint64_t{1} << (col % 64);
            }
            return bits;
        };
        // XOR basis with distinct pivots (lowest set bit)
        std::vector<std::vector<std::uint64_t>> basis;
        std::vector<std::size_t> pivot;
        auto reduce = [&](std::vector<std::uint64_t>& v) {
            for (std::size_t b = 0; b < basis.size(); ++b) {
                const std::size_t p = pivot[b];
                if ((v[p / 64] >> (p % 64)) & 1u)
                    for (std::size_t w = 0; w < words; ++w) v[w] ^= basis[b][w];
            }
        };
        auto lowest = [&](const std::vector<std::uint64_t>& v) -> std::size_t {
            for (std::size_t w = 0; w < words; ++w)
                if (v[w]) return w * 64 + static_cast<std::size_t>(std::countr_zero(v[w]));
            return static_cast<std::size_t>(-1);
        };
        for (const auto& c : m_cands) {
            auto v = to_bits(c);
            reduce(v);
            const std::size_t p = lowest(v);
            if (p == static_cast<std::size_t>(-1)) continue;
            // keep the basis reduced at the new pivot so that one pass of reduce() suffices
            for (auto& bv : basis)
                if ((bv[p / 64] >> (p % 64)) & 1u)
                    for (std::size_t w = 0; w < words; ++w) bv[w] ^= v[w];
            basis.push_back(std::move(v));
            pivot.push_back(p);
        }
        auto target = to_bits(m_all_keys);
        reduce(target);
        return lowest(target) != static_cast<std::size_t>(-1);
    }

private:
    static std::pair<std::uint64_t, std::uint64_t> edge_key(std::uint64_t a, std::uint64_t b) {
        return a < b ? std::pair{a, b} : std::pair{b, a};
    }
    void collect_ball(const ring& r, int radius) {
        // repeat the multi-source BFS to list the keys (the table only answers membership)
        m_front.clear();
        m_seen.clear();
        for (const auto& m : r.nodes) {
            const auto k = pack(m.atom, m.image);
            if (m_seen.insert(k, 0).second) {
                m_front.push_back(k);
                m_ball_keys.push_back(k);
            }
        }
        for (int d = 1; d <= radius; ++d) {
            m_next.clear();
            for (auto u : m_front)
                m_gv->for_each_neighbor(u, [&](std::uint64_t v) {
                    if (m_seen.insert(v, 0).second) {
                        m_next.push_back(v);
                        m_ball_keys.push_back(v);
                    }
                });
            m_front.swap(m_next);
        }
    }

    const graph_view* m_gv;
    const std::vector<ring>* m_rings;
    std::vector<std::size_t> m_first_off;
    std::vector<std::uint32_t> m_first;
    node_table m_seen;
    std::vector<std::uint64_t> m_front, m_next, m_ball_keys, m_all_keys, m_tmp_keys;
    std::vector<std::vector<std::uint64_t>> m_cands;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> m_edges;
};

}  // namespace detail::rings

/// Find the rings of a bond network.
///
/// \param graph    the periodic quotient graph (see bond_graph.hpp)
/// \param species  species of every atom (species_list::uniform(n) when species do not matter)
/// \param opt      definition, inclusive maximum size, filters, threads
/// \returns rings (canonical, sorted), counts per size, Rc/Pn/Pmax/Pmin, per-atom membership.
/// \throws materia::invalid_argument for bad options, a species/graph size mismatch or an unknown
///         initiating species; materia::domain_error when bonds span so many cells that image
///         offsets of a search exceed ±500 cells (impossible for physical cutoffs).
/// Reference: Le Roux & Jund, Comput. Mater. Sci. 49, 70 (2010); Franzblau, PRB 44, 4925 (1991).
[[nodiscard]] inline ring_result find_rings(const bond_graph& graph, const species_list& species,
                                            const ring_options& opt) {
    using namespace detail::rings;
    opt.validate();
    const std::size_t n = graph.size();
    if (species.size() != n)
        throw_invalid("find_rings: the graph has ", n, " atoms but ", species.size(), " species entries");
    if (n >= max_atoms) throw_invalid("find_rings: at most 2^28 atoms are supported (got ", n, ")");
    const int maxc = graph.max_image_component();
    if (2 * static_cast<long long>(maxc) * static_cast<long long>(opt.max_size) > image_limit)
        throw_domain("find_rings: bonds span up to ", maxc, " cells; with max_size ", opt.max_size,
                     " the searched image offsets could exceed +-", image_limit, " cells");
    species_filter filt;
    filt.sp = species.indices().data();
    filt.abab = opt.abab;
    if (!opt.initiating_species.empty()) {
        filt.use_init = true;
        filt.init = species.index_of(opt.initiating_species);
    }
    // drop homopolar bonds when asked (ABAB rings cannot contain them either)
    const bond_graph* g = &graph;
    bond_graph reduced;
    if (opt.no_homopolar || opt.abab) {
        const auto& sp = species.indices();
        reduced = graph.filtered([&](std::size_t i, std::size_t j) { return sp[i] != sp[j]; });
        g = &reduced;
    }
    const graph_view gv(*g);
    const auto def = opt.definition;
    const bool sp_like = def == ring_definition::sp || def == ring_definition::primitive || def == ring_definition::strong;
    const int t = chunk_count(resolve_threads(opt.threads));
    std::vector<std::vector<ring>> parts(static_cast<std::size_t>(t));
    std::vector<std::size_t> part_unclosed(static_cast<std::size_t>(t), 0);
    // SP rings for `strong` are searched without the initiating-species filter (the span test needs
    // every smaller ring); the filter is applied afterwards.
    species_filter search_filt = filt;
    if (def == ring_definition::strong) {
        search_filt.use_init = false;
        search_filt.abab = false;
    }
    // Roots are dealt round-robin (thread k takes roots k, k+t, k+2t, …): the SP search from root r
    // only enters atoms ≥ r, so contiguous blocks of roots would be badly unbalanced.
    const auto stride = static_cast<std::size_t>(t);
    std::atomic<std::size_t> found_total{0};  // rings found by all threads (max_rings)
    std::atomic<bool> too_many{false};
    parallel_chunks(stride, t, [&](int k, std::size_t, std::size_t) {
        root_searcher rs(gv, opt.max_size, search_filt);
        std::size_t counted = 0;  // rs.found.size() when last added to found_total
        for (std::size_t i = static_cast<std::size_t>(k); i < n; i += stride) {
            if (opt.max_rings != 0) {
                if (rs.found.size() > counted &&
                    found_total.fetch_add(rs.found.size() - counted) + (rs.found.size() - counted) > opt.max_rings)
                    too_many = true;
                counted = rs.found.size();
                if (too_many) break;
            }
            const auto root = static_cast<std::uint32_t>(i);
            if (sp_like) {
                rs.sp(root);
            } else {
                // King and Guttman rings are initiated only from atoms of the initiating species
                if (filt.use_init && filt.sp[i] != filt.init) continue;
                if (def == ring_definition::king) rs.king(root);
                else rs.guttman(root, filt.use_init);
                rs.maybe_compact();
            }
        }
        if (!sp_like) rs.compact();
        parts[static_cast<std::size_t>(k)] = std::move(rs.found);
        part_unclosed[static_cast<std::size_t>(k)] = rs.unclosed;
    });
    if (too_many) {
        char degree[32];
        std::snprintf(degree, sizeof degree, "%.1f", g->mean_degree());
        throw_domain("find_rings: more than ", opt.max_rings, " rings found (ring_options::max_rings); the bond network has ",
                     degree, " bonds per atom on average, and ring counts grow combinatorially with it: ",
                     "use a smaller cutoff (bonds, not neighbour shells) or a smaller max_size");
    }
    ring_result out;
    out.definition = def;
    out.max_size = opt.max_size;
    out.n_atoms = n;
    for (auto u : part_unclosed) out.unclosed += u;
    for (auto& p : parts) {
        out.rings.insert(out.rings.end(), std::make_move_iterator(p.begin()), std::make_move_iterator(p.end()));
        p.clear();
        p.shrink_to_fit();
    }
    std::sort(out.rings.begin(), out.rings.end());
    out.rings.erase(std::unique(out.rings.begin(), out.rings.end()), out.rings.end());

    if (def == ring_definition::strong) {
        std::vector<char> keep(out.rings.size(), 0);
        parallel_chunks(out.rings.size(), t, [&](int, std::size_t b, std::size_t e) {
            strong_tester st(gv, out.rings, n);
            for (std::size_t k = b; k < e; ++k) {
                const ring& r = out.rings[k];
                keep[k] = (filt.keep(r, true) && st.is_strong(r)) ? 1 : 0;
            }
        });
        std::vector<ring> kept;
        for (std::size_t k = 0; k < out.rings.size(); ++k)
            if (keep[k]) kept.push_back(std::move(out.rings[k]));
        out.rings = std::move(kept);
    }

    // statistics
    const std::size_t m = opt.max_size;
    out.counts.assign(m + 1, 0);
    for (const auto& r : out.rings) ++out.counts[r.size()];
    out.membership_offsets.assign(n + 1, 0);
    std::vector<std::uint32_t> last(n, ~std::uint32_t{0});
    for (std::size_t k = 0; k < out.rings.size(); ++k)
        for (const auto& nd : out.rings[k].nodes)
            if (last[nd.atom] != k) {
                last[nd.atom] = static_cast<std::uint32_t>(k);
                ++out.membership_offsets[nd.atom + 1];
            }
    for (std::size_t i = 0; i < n; ++i) out.membership_offsets[i + 1] += out.membership_offsets[i];
    out.membership.resize(out.membership_offsets[n]);
    {
        std::vector<std::size_t> fill(out.membership_offsets.begin(), out.membership_offsets.end() - 1);
        std::fill(last.begin(), last.end(), ~std::uint32_t{0});
        for (std::size_t k = 0; k < out.rings.size(); ++k)
            for (const auto& nd : out.rings[k].nodes)
                if (last[nd.atom] != k) {
                    last[nd.atom] = static_cast<std::uint32_t>(k);
                    out.membership[fill[nd.atom]++] = static_cast<std::uint32_t>(k);
                }
    }
    std::size_t n_init = 0;
    std::vector<std::size_t> pn(m + 1, 0), pmax(m + 1, 0), pmin(m + 1, 0);
    std::vector<char> has(m + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (filt.use_init && filt.sp[i] != filt.init) continue;
        ++n_init;
        const auto rs = out.rings_of(i);
        if (rs.empty()) continue;
        std::fill(has.begin(), has.end(), 0);
        std::size_t lo = m, hi = 0;
        for (auto k : rs) {
            const std::size_t s = out.rings[k].size();
            has[s] = 1;
            lo = std::min(lo, s);
            hi = std::max(hi, s);
        }
        for (std::size_t s = 0; s <= m; ++s) pn[s] += has[s] ? std::size_t{1} : std::size_t{0};
        ++pmax[hi];
        ++pmin[lo];
    }
    out.n_initiating = n_init;
    const double inv = n_init > 0 ? 1.0 / static_cast<double>(n_init) : 0.0;
    out.rc.assign(m + 1, 0.0);
    out.pn.assign(m + 1, 0.0);
    out.pmax.assign(m + 1, 0.0);
    out.pmin.assign(m + 1, 0.0);
    for (std::size_t s = 0; s <= m; ++s) {
        out.rc[s] = static_cast<double>(out.counts[s]) * inv;
        out.pn[s] = static_cast<double>(pn[s]) * inv;
        out.pmax[s] = static_cast<double>(pmax[s]) * inv;
        out.pmin[s] = static_cast<double>(pmin[s]) * inv;
    }
    return out;
}

/// Rings of one frame: bonds from per-species-pair cutoffs (strictly shorter), then find_rings.
/// \throws as build_bond_graph and find_rings.
template <point_set P>
[[nodiscard]] ring_result find_rings(const P& points, const species_list& species, const materia::cell& box,
                                     const pair_cutoffs& cutoffs, const ring_options& opt) {
    return find_rings(build_bond_graph(points, species, box, cutoffs, opt.threads), species, opt);
}

/// Frame averages of ring statistics (vectors indexed by size 0..max_size).
struct ring_summary {
    ring_definition definition = ring_definition::king;
    std::size_t max_size = 0;
    std::size_t frames = 0;
    double mean_atoms = 0;      ///< ⟨N⟩
    double mean_initiating = 0; ///< ⟨initiating atoms⟩
    std::vector<double> count, count_std;        ///< rings per frame
    std::vector<double> per_atom, per_atom_std;  ///< rings per frame / N
    std::vector<double> rc, rc_std, pn, pn_std, pmax, pmax_std, pmin, pmin_std;
};

/// Accumulates ring statistics over frames: means and sample standard deviations (n − 1; 0 for
/// one frame) of the per-frame counts and normalisations.
///
/// Thread safety: one accumulator per user thread; combine with merge().
class ring_accumulator {
public:
    /// \throws materia::invalid_argument for bad options.
    explicit ring_accumulator(ring_options opt) : m_opt(std::move(opt)) {
        m_opt.validate();
        reset();
    }

    void reset() {
        m_sum.assign(n_series * (m_opt.max_size + 1), 0.0);
        m_sq.assign(n_series * (m_opt.max_size + 1), 0.0);
        m_atoms = 0;
        m_init = 0;
        m_frames = 0;
    }

    /// Add one frame's result (same definition and max size).  \throws materia::invalid_argument on mismatch.
    void accumulate(const ring_result& r) {
        if (r.definition != m_opt.definition || r.max_size != m_opt.max_size)
            throw_invalid("ring_accumulator::accumulate: the result was computed with other options (definition ",
                          to_string(r.definition), ", max_size ", r.max_size, ")");
        const std::size_t m = m_opt.max_size + 1;
        const double n = static_cast<double>(r.n_atoms);
        for (std::size_t s = 0; s < m; ++s) {
            const double c = static_cast<double>(r.counts[s]);
            const double vals[n_series] = {c, n > 0 ? c / n : 0.0, r.rc[s], r.pn[s], r.pmax[s], r.pmin[s]};
            for (std::size_t q = 0; q < n_series; ++q) {
                m_sum[q * m + s] += vals[q];
                m_sq[q * m + s] += vals[q] * vals[q];
            }
        }
        m_atoms += n;
        m_init += static_cast<double>(r.n_initiating);
        ++m_frames;
    }

    /// Search one frame and add it.
    template <point_set P>
    void accumulate(const P& points, const species_list& species, const materia::cell& box, const pair_cutoffs& cutoffs) {
        accumulate(find_rings(points, species, box, cutoffs, m_opt));
    }

    /// Add another accumulator's frames.  \throws materia::invalid_argument when options differ.
    void merge(const ring_accumulator& o) {
        if (o.m_opt.definition != m_opt.definition || o.m_opt.max_size != m_opt.max_size)
            throw_invalid("ring_accumulator::merge: the accumulators have different options");
        for (std::size_t k = 0; k < m_sum.size(); ++k) {
            m_sum[k] += o.m_sum[k];
            m_sq[k] += o.m_sq[k];
        }
        m_atoms += o.m_atoms;
        m_init += o.m_init;
        m_frames += o.m_frames;
    }

    [[nodiscard]] std::size_t n_frames() const noexcept { return m_frames; }
    [[nodiscard]] const ring_options& options() const noexcept { return m_opt; }

    /// Means and standard deviations.  \throws materia::domain_error when no frame was added.
    [[nodiscard]] ring_summary result() const {
        if (m_frames == 0) throw_domain("ring_accumulator: no frames accumulated");
        const std::size_t m = m_opt.max_size + 1;
        const double f = static_cast<double>(m_frames);
        ring_summary s;
        s.definition = m_opt.definition;
        s.max_size = m_opt.max_size;
        s.frames = m_frames;
        s.mean_atoms = m_atoms / f;
        s.mean_initiating = m_init / f;
        std::vector<double>* means[n_series] = {&s.count, &s.per_atom, &s.rc, &s.pn, &s.pmax, &s.pmin};
        std::vector<double>* stds[n_series] = {&s.count_std, &s.per_atom_std, &s.rc_std, &s.pn_std, &s.pmax_std, &s.pmin_std};
        for (std::size_t q = 0; q < n_series; ++q) {
            means[q]->assign(m, 0.0);
            stds[q]->assign(m, 0.0);
            for (std::size_t k = 0; k < m; ++k) {
                const double mean = m_sum[q * m + k] / f;
                (*means[q])[k] = mean;
                if (m_frames > 1) {
                    const double var = (m_sq[q * m + k] - f * mean * mean) / (f - 1.0);
                    (*stds[q])[k] = var > 0 ? std::sqrt(var) : 0.0;
                }
            }
        }
        return s;
    }

    // ---- flat, versioned state for MPI reductions and files ----
    static constexpr std::uint64_t state_version = 1;
    /// [version, frames, max_size, definition].
    [[nodiscard]] std::vector<std::uint64_t> integer_state() const {
        return {state_version, m_frames, m_opt.max_size, static_cast<std::uint64_t>(m_opt.definition)};
    }
    /// [sums (6 series × (max_size+1)), sums of squares (same), Σ atoms, Σ initiating atoms].
    [[nodiscard]] std::vector<double> real_state() const {
        std::vector<double> v(m_sum);
        v.insert(v.end(), m_sq.begin(), m_sq.end());
        v.push_back(m_atoms);
        v.push_back(m_init);
        return v;
    }
    /// Replace the state (for example by an MPI sum of states).  \throws materia::invalid_argument on mismatch.
    void set_state(const std::vector<std::uint64_t>& ints, const std::vector<double>& reals) {
        const std::size_t len = n_series * (m_opt.max_size + 1);
        if (ints.size() != 4 || reals.size() != 2 * len + 2)
            throw_invalid("ring_accumulator::set_state: state sizes do not match this accumulator (", ints.size(), ", ",
                          reals.size(), ")");
        if (ints[0] != state_version || ints[2] != m_opt.max_size ||
            ints[3] != static_cast<std::uint64_t>(m_opt.definition))
            throw_invalid("ring_accumulator::set_state: incompatible state (version ", ints[0], ")");
        m_frames = static_cast<std::size_t>(ints[1]);
        std::copy(reals.begin(), reals.begin() + static_cast<std::ptrdiff_t>(len), m_sum.begin());
        std::copy(reals.begin() + static_cast<std::ptrdiff_t>(len), reals.begin() + static_cast<std::ptrdiff_t>(2 * len),
                  m_sq.begin());
        m_atoms = reals[2 * len];
        m_init = reals[2 * len + 1];
    }

private:
    static constexpr std::size_t n_series = 6;  // count, per_atom, rc, pn, pmax, pmin
    ring_options m_opt;
    std::vector<double> m_sum, m_sq;
    double m_atoms = 0, m_init = 0;
    std::size_t m_frames = 0;
};

}  // namespace materia
