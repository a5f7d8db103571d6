// materia/mpi.hpp — run materia's accumulators and hull evaluations inside the user's MPI program
// (optional header: include it only where <mpi.h> is available; nothing else in materia depends on
// MPI).
//
// Entry points: materia::mpi::block_range(n, comm) (this rank's share of n items),
// materia::mpi::owns(index, n, comm), materia::mpi::reduce(acc, comm, root),
// materia::mpi::allreduce(acc, comm), materia::mpi::reduce_in_frame_order(acc, frame_reals, comm,
// root) (bit-identical floating sums), materia::mpi::gather_blocks(mine, comm, root) (per-rank
// blocks concatenated at the root in rank order = input order), and for the convex hull
// materia::mpi::distributed_hull (build the hull once, evaluate this rank's block of entries,
// gather() the results to the root in input order), materia::mpi::entry_stability,
// materia::mpi::hull_candidates(table, options).
//
// Any accumulator with the flat state interface works (rdf, adf, coordination, ALTBC, hydrogen,
// sq_direct, ring and msd accumulators):
//     std::vector<std::uint64_t> integer_state() const;  std::vector<double> real_state() const;
//     void set_state(const std::vector<std::uint64_t>&, const std::vector<double>&);
//     void merge(const Acc&);
// The states of all ranks are gathered to the root and merged there in rank order, so the result
// is the same as merging the per-rank accumulators by hand — and, for integer histograms,
// bit-identical to a single-process run over the same frames, whatever the number of ranks.
// Floating sums in the states (per-frame volumes and normalisations) are added by reduce() in
// another association ((f1+…+f25) + (f26+…+f50) instead of frame by frame), so derived values agree
// to ~1e-15 relative, not always bit for bit: with 50 frames on 2 ranks, 58 of 200 G(r) values
// differed from `materia rdf` in the 12th printed digit (G = 4πρr(g − 1) amplifies the last bit
// where g ≈ 1).  reduce_in_frame_order() re-sums the per-frame contributions in frame order and
// makes the output bit-identical (what examples/mpi_rdf.cpp uses).
// (msd_accumulator merges independent trajectories, not frame blocks of one: see dynamics/msd.hpp.
// S(q) from g(r) (sq_from_rdf) is reduced through the rdf accumulator; debye_sq is a one-structure
// function with no frame accumulator; the other sq_* headers are conversions of finished curves.)
//
// Threads × ranks.  materia parallelises inside a process with OpenMP (the `threads` field of the
// params, `--threads` of the tools; 0 = all cores, i.e. omp_get_max_threads(), which honours
// OMP_NUM_THREADS).  Ranks and threads multiply: P ranks × T threads should not exceed the cores of
// a node, so with several ranks per node give every rank T = cores / ranks (`--threads T`, or
// OMP_NUM_THREADS=T exported by mpirun -x).  Open MPI binds each rank to one core by default when
// there are ≤ 2 ranks (--bind-to core): the T threads of that rank then share ONE core.  Start
// hybrid runs with `mpirun --bind-to none` (or --map-by ppr:R:node:PE=T, giving each rank T cores).
// Oversubscription (P·T > cores) still gives identical results — every reduction is in a fixed
// order and histograms are integers — only slower.  Measured numbers: benchmarks/RESULTS.md,
// "Scale-out (threads × MPI ranks)".
#pragma once

#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/phase/composition.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <mpi.h>

#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace materia::mpi {

namespace detail {
inline void check(int rc, const char* what) {
    if (rc != MPI_SUCCESS) throw_numerical("materia::mpi: ", what, " failed (MPI error ", rc, ")");
}
inline int rank(MPI_Comm comm) {
    int r = 0;
    check(MPI_Comm_rank(comm, &r), "MPI_Comm_rank");
    return r;
}
inline int size(MPI_Comm comm) {
    int s = 1;
    check(MPI_Comm_size(comm, &s), "MPI_Comm_size");
    return s;
}

// Gather variable-length vectors to the root (rank order).
template <class T>
std::vector<std::vector<T>> gather(const std::vector<T>& mine, MPI_Datatype type, MPI_Comm comm, int root) {
    const int me = rank(comm), n = size(comm);
    int count = static_cast<int>(mine.size());
    std::vector<int> counts(static_cast<std::size_t>(n), 0), displs(static_cast<std::size_t>(n), 0);
    check(MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, root, comm), "MPI_Gather");
    std::vector<T> all;
    if (me == root) {
        long long total = 0;
        for (int k = 0; k < n; ++k) {
            displs[static_cast<std::size_t>(k)] = static_cast<int>(total);
            total += counts[static_cast<std::size_t>(k)];
            if (total > INT_MAX) throw_numerical("materia::mpi: gathered data exceeds INT_MAX elements (", total, ")");
        }
        all.resize(static_cast<std::size_t>(total));
    }
    check(MPI_Gatherv(mine.data(), count, type, all.data(), counts.data(), displs.data(), type, root, comm),
          "MPI_Gatherv");
    std::vector<std::vector<T>> out;
    if (me == root)
        for (int k = 0; k < n; ++k) {
            const auto b = all.begin() + displs[static_cast<std::size_t>(k)];
            out.emplace_back(b, b + counts[static_cast<std::size_t>(k)]);
        }
    return out;
}

// The MPI datatype of a scalar element type.
template <class T>
MPI_Datatype datatype() {
    if constexpr (std::is_same_v<T, double>) return MPI_DOUBLE;
    else if constexpr (std::is_same_v<T, char>) return MPI_CHAR;
    else if constexpr (std::is_same_v<T, std::uint64_t>) {
        static_assert(sizeof(unsigned long long) == sizeof(std::uint64_t));
        return MPI_UNSIGNED_LONG_LONG;
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
        static_assert(sizeof(long long) == sizeof(std::int64_t));
        return MPI_LONG_LONG;
    } else if constexpr (std::is_same_v<T, int>) return MPI_INT;
    else static_assert(sizeof(T) == 0, "materia::mpi: element type must be double, char, int, int64_t or uint64_t");
}

template <class T>
void broadcast(std::vector<T>& v, MPI_Datatype type, MPI_Comm comm, int root) {
    auto n = static_cast<unsigned long long>(v.size());
    check(MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, root, comm), "MPI_Bcast");
    v.resize(static_cast<std::size_t>(n));
    check(MPI_Bcast(v.data(), static_cast<int>(n), type, root, comm), "MPI_Bcast");
}
}  // namespace detail

/// The contiguous block [begin, end) of n items that this rank owns (ranks in order, sizes differ
/// by at most one).  Contiguous blocks keep frame order, so merging in rank order = file order.
[[nodiscard]] inline std::pair<std::size_t, std::size_t> block_range(std::size_t n, MPI_Comm comm = MPI_COMM_WORLD) {
    const auto r = static_cast<std::size_t>(detail::rank(comm));
    const auto s = static_cast<std::size_t>(detail::size(comm));
    return {n * r / s, n * (r + 1) / s};
}

/// Whether this rank owns item `index` of n under block_range.
[[nodiscard]] inline bool owns(std::size_t index, std::size_t n, MPI_Comm comm = MPI_COMM_WORLD) {
    const auto [b, e] = block_range(n, comm);
    return index >= b && index < e;
}

/// Concatenate every rank's vector at `root`, in rank order (with block_range blocks: input order).
/// Returns the concatenation on the root and an empty vector elsewhere.  Collective.
/// Element types: double, char, int, std::int64_t, std::uint64_t.
/// \throws materia::numerical_error when an MPI call fails or the total exceeds INT_MAX elements.
template <class T>
[[nodiscard]] std::vector<T> gather_blocks(const std::vector<T>& mine, MPI_Comm comm = MPI_COMM_WORLD, int root = 0) {
    if (mine.size() > static_cast<std::size_t>(INT_MAX))
        throw_numerical("materia::mpi::gather_blocks: block of ", mine.size(), " elements exceeds INT_MAX");
    const auto parts = detail::gather(mine, detail::datatype<T>(), comm, root);
    std::vector<T> out;
    std::size_t total = 0;
    for (const auto& p : parts) total += p.size();
    out.reserve(total);
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

/// Merge every rank's accumulator into the one on `root` (in rank order).  On other ranks the
/// accumulator is left unchanged.  Collective: every rank must call it.
template <class Acc>
void reduce(Acc& acc, MPI_Comm comm = MPI_COMM_WORLD, int root = 0) {
    static_assert(sizeof(unsigned long long) == sizeof(std::uint64_t));
    const auto ints = detail::gather(acc.integer_state(), MPI_UNSIGNED_LONG_LONG, comm, root);
    const auto reals = detail::gather(acc.real_state(), MPI_DOUBLE, comm, root);
    if (detail::rank(comm) != root) return;
    Acc total = acc;
    total.set_state(ints[0], reals[0]);
    for (std::size_t k = 1; k < ints.size(); ++k) {
        Acc part = acc;
        part.set_state(ints[k], reals[k]);
        total.merge(part);
    }
    acc = std::move(total);
}

/// Frame-ordered reduction, for accumulators whose real_state() is a plain sum of per-frame
/// contributions (rdf, ALTBC, sq_direct, rings; not msd): integer states are merged as in reduce(),
/// and the floating part is re-summed at the root frame by frame in global frame order — the same
/// additions in the same order as one process accumulating every frame, so the result is
/// bit-identical to the single-process run (reduce() alone agrees to ~1e-15 relative).
/// `frame_reals`: this rank's frames, each as the real_state() of an accumulator that saw only that
/// frame, in frame order; ranks hold consecutive blocks of frames (block_range).  Collective.
/// \throws materia::invalid_argument when a frame's state has the wrong length.
template <class Acc>
void reduce_in_frame_order(Acc& acc, const std::vector<std::vector<double>>& frame_reals, MPI_Comm comm = MPI_COMM_WORLD,
                           int root = 0) {
    const std::size_t width = acc.real_state().size();
    std::vector<double> flat;
    flat.reserve(frame_reals.size() * width);
    for (const auto& r : frame_reals) {
        if (r.size() != width)
            throw_invalid("materia::mpi::reduce_in_frame_order: a frame's real state has ", r.size(), " values, expected ", width);
        flat.insert(flat.end(), r.begin(), r.end());
    }
    reduce(acc, comm, root);
    const auto all = gather_blocks(flat, comm, root);
    if (detail::rank(comm) != root) return;
    std::vector<double> total(width, 0.0);
    for (std::size_t f = 0; f + width <= all.size() && width > 0; f += width)
        for (std::size_t j = 0; j < width; ++j) total[j] += all[f + j];
    acc.set_state(acc.integer_state(), total);
}

/// reduce() followed by a broadcast of the merged state: every rank ends with the total.
template <class Acc>
void allreduce(Acc& acc, MPI_Comm comm = MPI_COMM_WORLD) {
    reduce(acc, comm, 0);
    auto ints = acc.integer_state();
    auto reals = acc.real_state();
    detail::broadcast(ints, MPI_UNSIGNED_LONG_LONG, comm, 0);
    detail::broadcast(reals, MPI_DOUBLE, comm, 0);
    acc.set_state(ints, reals);
}

// ---- convex hull: build once, split the entries, gather in input order ----
//
// Why it is exact: only an entry with e_form < 0 (or a pure element, which fixes a reference) can be
// a point of the lower hull.  The hull is therefore built from those candidates alone — the same
// points in the same order (phase_diagram orders hull points by entry index, and the candidates keep
// their relative order), hence the same facets.  A candidate's values are read from that diagram
// (phase_diagram evaluates every entry it is given while it is built); every other entry is
// located on the hull with phase_diagram::query().  e_form, e_above_hull (clamped at 0, exactly 0 on
// a vertex), `stable` and the decomposition equal those of phase_diagram built from all entries (what
// `materia hull` prints), bit for bit: the formation energy is formed with the same operations in
// the same order (elements in table order, total of the amounts first).  Decomposition terms refer
// to TABLE indices (entry) or to a component index (element, for a reference-only corner).
//
// Cost per rank: reading the table and one O(n) pass for the candidates (every rank), the diagram of
// the candidates (which phase_diagram evaluates in full while building), and, for n/P entries, the
// location of non-candidates, the decompositions and whatever the caller does per row (formatting,
// writing).  So the split pays when most entries lie above the reference plane (e_form ≥ 0) or the
// per-row work dominates; when nearly every entry is a candidate (random formation energies below
// zero), every rank repeats the full build and only the per-row work is divided — see
// benchmarks/RESULTS.md, "Scale-out".  Only the public API of <materia/phase/phase_diagram.hpp> is used.

/// Stability of one entry against the hull (see the comment above).
struct entry_stability {
    double e_form = 0.0;        ///< formation energy, eV/atom
    double e_above_hull = 0.0;  ///< eV/atom, ≥ 0, exactly 0 for a hull vertex
    bool stable = false;        ///< e_above_hull ≤ hull_options::stable_tolerance
    /// Hull phases: `entry` is a TABLE index, or npos with `element` = component index for a
    /// reference-only corner.  Fractions per atom, sum 1.
    std::vector<phase::decomposition_term> decomposition;
};

/// Indices (ascending) of the table entries that can be points of the lower hull: every pure-element
/// entry and every entry with a formation energy below a small positive margin (1e-6 eV/atom, so
/// rounding can only add candidates, which changes nothing).  References as phase_diagram takes
/// them: options.references, otherwise the lowest pure-element entry.
/// \throws materia::invalid_argument for a table whose rows do not match its elements.
[[nodiscard]] inline std::vector<std::size_t> hull_candidates(const phase::entry_table& t, const phase::hull_options& opt = {}) {
    const std::size_t k = t.elements.size(), n = t.size();
    if (t.amounts.size() != n * k) throw_invalid("mpi::hull_candidates: amounts has ", t.amounts.size(), " values, expected ", n * k);
    std::vector<double> ref(k, std::numeric_limits<double>::quiet_NaN());
    std::vector<char> given(k, 0);
    for (const auto& [sym, val] : opt.references)
        for (std::size_t j = 0; j < k; ++j)
            if (phase::element_number(sym) == t.elements[j]) {
                ref[j] = val;
                given[j] = 1;
            }
    std::vector<double> x(k);
    std::vector<char> pure(n, 0);
    auto normalise = [&](std::size_t i) {
        double tot = 0.0;
        for (std::size_t j = 0; j < k; ++j) tot += t.amounts[i * k + j];
        for (std::size_t j = 0; j < k; ++j) x[j] = t.amounts[i * k + j] / tot;
    };
    for (std::size_t i = 0; i < n; ++i) {
        normalise(i);
        for (std::size_t j = 0; j < k; ++j)
            if (x[j] == 1.0) {
                pure[i] = 1;
                if (!given[j] && !(t.energies[i] >= ref[j])) ref[j] = t.energies[i];
            }
    }
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < n; ++i) {
        if (pure[i]) {
            out.push_back(i);
            continue;
        }
        normalise(i);
        double ef = t.energies[i];
        for (std::size_t j = 0; j < k; ++j) ef -= x[j] * ref[j];
        if (ef < 1e-6 || !std::isfinite(ef)) out.push_back(i);  // non-finite: let phase_diagram report it
    }
    return out;
}

/// The hull of a table built once from its candidates; entries are then evaluated in any subset
/// (this rank's block) and gathered in input order.  Thread-safe for const use.
///
/// \code
///   const auto table = materia::phase::read_entries_csv_file(path);   // every rank
///   const materia::mpi::distributed_hull hull(table, options);          // every rank, same hull
///   auto mine = hull.evaluate_block();                                  // entries of this rank
///   auto all = hull.gather(mine);                                       // root: n rows, input order
/// \endcode
class distributed_hull {
public:
    /// \throws materia::invalid_argument as phase_diagram does (missing reference, > 6 components…).
    explicit distributed_hull(const phase::entry_table& t, phase::hull_options opt = {})
        : m_table(&t), m_opt(opt), m_candidates(hull_candidates(t, opt)), m_diagram(build(t, m_candidates, opt)),
          m_diagram_index(t.size(), phase::phase_diagram::npos) {
        for (std::size_t d = 0; d < m_candidates.size(); ++d) m_diagram_index[m_candidates[d]] = d;
    }

    /// The phase diagram of the candidate entries (the hull; its entry i is table entry table_index(i)).
    [[nodiscard]] const phase::phase_diagram& diagram() const noexcept { return m_diagram; }
    [[nodiscard]] std::size_t table_index(std::size_t diagram_entry) const { return m_candidates.at(diagram_entry); }
    [[nodiscard]] std::size_t size() const noexcept { return m_table->size(); }
    [[nodiscard]] const std::vector<std::size_t>& candidates() const noexcept { return m_candidates; }

    /// Stability of table entry i.  \throws materia::invalid_argument for i out of range.
    [[nodiscard]] entry_stability evaluate(std::size_t i) const {
        if (i >= size()) throw_invalid("mpi::distributed_hull::evaluate: entry ", i, " out of range (", size(), " entries)");
        const std::size_t d = m_diagram_index[i];
        if (d != phase::phase_diagram::npos) {  // a candidate: already evaluated when the hull was built
            entry_stability s;
            s.e_form = m_diagram.formation_energy(d);
            s.e_above_hull = m_diagram.e_above_hull(d);
            s.stable = m_diagram.is_stable(d);
            s.decomposition = m_diagram.decomposition(d);
            for (auto& term : s.decomposition)
                if (term.entry != phase::phase_diagram::npos) term.entry = m_candidates[term.entry];
            return s;
        }
        const std::size_t k = m_table->elements.size();
        phase::composition c;
        for (std::size_t j = 0; j < k; ++j)
            if (m_table->amounts[i * k + j] > 0.0) c.add(m_table->elements[j], m_table->amounts[i * k + j]);
        const auto q = m_diagram.query(c, m_table->energies[i]);
        entry_stability s;
        s.e_form = q.e_form;
        s.e_above_hull = q.e_above_hull > 0.0 ? q.e_above_hull : 0.0;
        s.stable = s.e_above_hull <= m_opt.stable_tolerance;
        s.decomposition = q.decomposition;
        for (auto& term : s.decomposition)
            if (term.entry != phase::phase_diagram::npos) term.entry = m_candidates[term.entry];
        return s;
    }

    /// Entries [begin, end), threaded with options.threads (results do not depend on it).
    [[nodiscard]] std::vector<entry_stability> evaluate_range(std::size_t begin, std::size_t end) const {
        if (begin > end || end > size()) throw_invalid("mpi::distributed_hull::evaluate_range: bad range [", begin, ", ", end, ")");
        std::vector<entry_stability> out(end - begin);
        parallel_chunks(end - begin, resolve_threads(m_opt.threads), [&](int, std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) out[i] = evaluate(begin + i);
        });
        return out;
    }

    /// This rank's contiguous block of the entries (block_range).  Not collective.
    [[nodiscard]] std::vector<entry_stability> evaluate_block(MPI_Comm comm = MPI_COMM_WORLD) const {
        const auto [b, e] = block_range(size(), comm);
        return evaluate_range(b, e);
    }

    /// Gather every rank's block to `root`, in rank order (= input order for evaluate_block blocks).
    /// Returns all rows on the root, an empty vector elsewhere.  Collective.
    [[nodiscard]] std::vector<entry_stability> gather(const std::vector<entry_stability>& block, MPI_Comm comm = MPI_COMM_WORLD,
                                                      int root = 0) const {
        // Flat: reals [e_form, e_above_hull, fractions…], integers [stable, terms, (entry, element)…].
        std::vector<double> reals;
        std::vector<std::uint64_t> ints;
        reals.reserve(block.size() * 4);
        ints.reserve(block.size() * 6);
        for (const auto& s : block) {
            reals.push_back(s.e_form);
            reals.push_back(s.e_above_hull);
            ints.push_back(s.stable ? 1 : 0);
            ints.push_back(s.decomposition.size());
            for (const auto& t : s.decomposition) {
                reals.push_back(t.fraction);
                ints.push_back(t.entry);
                ints.push_back(t.element);
            }
        }
        const auto all_reals = gather_blocks(reals, comm, root);
        const auto all_ints = gather_blocks(ints, comm, root);
        std::vector<entry_stability> out;
        if (detail::rank(comm) != root) return out;
        std::size_t pr = 0, pi = 0;
        while (pi < all_ints.size()) {
            entry_stability s;
            s.e_form = all_reals[pr++];
            s.e_above_hull = all_reals[pr++];
            s.stable = all_ints[pi++] != 0;
            const auto nt = static_cast<std::size_t>(all_ints[pi++]);
            for (std::size_t t = 0; t < nt; ++t) {
                const auto entry = static_cast<std::size_t>(all_ints[pi++]);
                const auto element = static_cast<std::size_t>(all_ints[pi++]);
                s.decomposition.push_back({entry, element, all_reals[pr++]});
            }
            out.push_back(std::move(s));
        }
        return out;
    }

    /// Name of a decomposition phase of evaluate(): the table entry's name, or the element symbol.
    [[nodiscard]] std::string term_name(const phase::decomposition_term& t) const {
        if (t.entry != phase::phase_diagram::npos) return m_table->names.at(t.entry);
        return std::string(phase::element_symbol(m_table->elements.at(t.element)));
    }

private:
    static phase::phase_diagram build(const phase::entry_table& t, const std::vector<std::size_t>& cand,
                                      const phase::hull_options& opt) {
        const std::size_t k = t.elements.size();
        std::vector<double> amounts;
        std::vector<double> energies;
        std::vector<std::string> names;
        amounts.reserve(cand.size() * k);
        energies.reserve(cand.size());
        names.reserve(cand.size());
        for (const std::size_t i : cand) {
            amounts.insert(amounts.end(), t.amounts.begin() + static_cast<std::ptrdiff_t>(i * k),
                           t.amounts.begin() + static_cast<std::ptrdiff_t>((i + 1) * k));
            energies.push_back(t.energies[i]);
            names.push_back(t.names.empty() ? "entry" + std::to_string(i) : t.names[i]);
        }
        return phase::phase_diagram(t.elements, std::move(amounts), std::move(energies), std::move(names), opt);
    }

    const phase::entry_table* m_table;
    phase::hull_options m_opt;
    std::vector<std::size_t> m_candidates;
    phase::phase_diagram m_diagram;
    std::vector<std::size_t> m_diagram_index;  // table entry -> diagram entry (npos: not a candidate)
};


}  // namespace materia::mpi
