// materia/mpi.hpp — run materia's accumulators inside the user's MPI program (optional header:
// include it only where <mpi.h> is available; nothing else in materia depends on MPI).
//
// Entry points: materia::mpi::block_range(n, comm) (this rank's share of n items),
// materia::mpi::owns(index, n, comm), materia::mpi::reduce(acc, comm, root),
// materia::mpi::allreduce(acc, comm).
//
// Any accumulator with the flat state interface works (rdf_accumulator, and the others that
// follow its pattern):
//     std::vector<std::uint64_t> integer_state() const;  std::vector<double> real_state() const;
//     void set_state(const std::vector<std::uint64_t>&, const std::vector<double>&);
//     void merge(const Acc&);
// The states of all ranks are gathered to the root and merged there in rank order, so the result
// is the same as merging the per-rank accumulators by hand — and, for integer histograms,
// bit-identical to a single-process run over the same frames, whatever the number of ranks.
#pragma once

#include <materia/core/error.hpp>

#include <mpi.h>

#include <cstddef>
#include <cstdint>
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
        int total = 0;
        for (int k = 0; k < n; ++k) {
            displs[static_cast<std::size_t>(k)] = total;
            total += counts[static_cast<std::size_t>(k)];
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

}  // namespace materia::mpi
