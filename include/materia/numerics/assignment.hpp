// materia/numerics/assignment.hpp — the linear assignment problem (minimum-cost perfect matching).
//
// Entry points: materia::solve_assignment(cost, n_rows, n_cols) (dense, O(n² m)),
// materia::sparse_cost (CSR lists of allowed (row, column, cost) entries),
// materia::solve_assignment_sparse(sparse) (Dijkstra with a heap, O(n·E log m) worst case, fast for
// local problems), materia::assignment_result {col_of_row, cost, feasible, row/col duals}.
//
// Problem: rows i < n, columns j < m (n ≤ m); choose distinct columns σ(i) minimising Σ_i c_{i σ(i)}.
//
// Method: shortest augmenting paths with dual potentials (Kuhn–Munkres in the form of Jonker &
// Volgenant, Computing 38, 325 (1987); the same family as scipy's linear_sum_assignment, Crouse,
// IEEE TAES 52, 1679 (2016)).  Each row is inserted by a Dijkstra search over reduced costs
// c_ij − u_i − v_j ≥ 0, then potentials are updated and the path augmented.  The duals u, v are
// returned: every allowed entry has c_ij − u_i − v_j ≥ 0 (up to rounding) and the matched ones 0,
// which is an optimality certificate (LP duality).  For the sparse variant this gives a test of
// GLOBAL optimality when the omitted entries are known to cost at least c_min: the sparse optimum is
// optimal for the full problem if no omitted (i, j) has u_i + v_j > c_min (sparse_optimal_for(r, s,
// c_min), exact for the returned duals; the one-line bound c_min ≥ max u + max v is a quick version).
//
// Ties (e.g. a perfect lattice): any optimal assignment may be returned; the cost is exact.
// Costs: finite numbers; in the dense form +infinity marks a forbidden pair.
#pragma once

#include <materia/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

namespace materia {

/// Marks a row without a column (only in an infeasible result).
inline constexpr std::size_t no_assignment = static_cast<std::size_t>(-1);

/// Result of a linear assignment.
struct assignment_result {
    std::vector<std::size_t> col_of_row;  ///< σ(i); no_assignment where infeasible
    double cost = 0;                      ///< Σ_i c_{i σ(i)}, summed from the input costs
    bool feasible = true;                 ///< false when some row cannot be matched (forbidden/missing entries)
    std::vector<double> row_dual;         ///< u_i
    std::vector<double> col_dual;         ///< v_j
};

/// Dense assignment on a row-major n_rows × n_cols cost matrix (n_rows ≤ n_cols).
/// \throws materia::invalid_argument for a size mismatch, n_rows > n_cols, NaN or −inf costs.
[[nodiscard]] inline assignment_result solve_assignment(const std::vector<double>& cost, std::size_t n_rows, std::size_t n_cols) {
    if (cost.size() != n_rows * n_cols)
        throw_invalid("solve_assignment: cost has ", cost.size(), " entries, expected ", n_rows, " x ", n_cols);
    if (n_rows > n_cols) throw_invalid("solve_assignment: more rows than columns (", n_rows, " > ", n_cols, "); transpose the problem");
    for (double c : cost)
        if (std::isnan(c) || c == -std::numeric_limits<double>::infinity())
            throw_invalid("solve_assignment: costs must be finite or +inf (got ", c, ")");
    const double inf = std::numeric_limits<double>::infinity();
    const std::size_t n = n_rows, m = n_cols;
    assignment_result r;
    r.col_of_row.assign(n, no_assignment);
    r.row_dual.assign(n, 0.0);
    r.col_dual.assign(m, 0.0);
    if (n == 0) return r;
    // 1-based arrays with a virtual column 0 (the e-maxx formulation of the Hungarian algorithm).
    std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0), minv(m + 1);
    std::vector<std::size_t> p(m + 1, 0), way(m + 1, 0);
    std::vector<char> used(m + 1);
    for (std::size_t i = 1; i <= n; ++i) {
        p[0] = i;
        std::size_t j0 = 0;
        std::fill(minv.begin(), minv.end(), inf);
        std::fill(used.begin(), used.end(), char{0});
        do {
            used[j0] = 1;
            const std::size_t i0 = p[j0];
            double delta = inf;
            std::size_t j1 = 0;
            const double* row = cost.data() + (i0 - 1) * m;
            for (std::size_t j = 1; j <= m; ++j) {
                if (used[j]) continue;
                const double cur = row[j - 1] - u[i0] - v[j];
                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            if (j1 == 0 || delta == inf) {  // every remaining column is forbidden for this tree
                r.feasible = false;
                r.cost = inf;
                return r;
            }
            for (std::size_t j = 0; j <= m; ++j) {
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            const std::size_t j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0 != 0);
    }
    for (std::size_t j = 1; j <= m; ++j)
        if (p[j] != 0) r.col_of_row[p[j] - 1] = j - 1;
    r.cost = 0;
    for (std::size_t i = 0; i < n; ++i) r.cost += cost[i * m + r.col_of_row[i]];
    for (std::size_t i = 0; i < n; ++i) r.row_dual[i] = u[i + 1];
    for (std::size_t j = 0; j < m; ++j) r.col_dual[j] = v[j + 1];
    return r;
}

/// Allowed entries of a sparse assignment problem in compressed rows: row i owns entries
/// row_start[i] … row_start[i+1]−1 of `col` and `cost`.
struct sparse_cost {
    std::size_t n_rows = 0, n_cols = 0;
    std::vector<std::size_t> row_start{0};
    std::vector<std::size_t> col;
    std::vector<double> cost;

    /// Start an empty problem.
    sparse_cost(std::size_t rows = 0, std::size_t cols = 0) : n_rows(rows), n_cols(cols) { row_start.reserve(rows + 1); }
    /// Append an entry to the row being built (rows are built in order with end_row()).
    void add(std::size_t j, double c) {
        col.push_back(j);
        cost.push_back(c);
    }
    /// Close the current row.
    void end_row() { row_start.push_back(col.size()); }
};

/// Sparse assignment by successive shortest paths (Dijkstra with a binary heap over the allowed
/// entries).  Returns feasible = false when no perfect matching of the rows exists on the allowed
/// entries (then the caller can widen the sparsity pattern or fall back to the dense solver).
/// \throws materia::invalid_argument for a malformed structure, a column index out of range, or a
///         non-finite cost.
[[nodiscard]] inline assignment_result solve_assignment_sparse(const sparse_cost& s) {
    const std::size_t n = s.n_rows, m = s.n_cols;
    if (s.row_start.size() != n + 1 || s.row_start.back() != s.col.size() || s.col.size() != s.cost.size())
        throw_invalid("solve_assignment_sparse: malformed structure (", s.row_start.size(), " row starts for ", n,
                      " rows, ", s.col.size(), " columns, ", s.cost.size(), " costs)");
    if (n > m) throw_invalid("solve_assignment_sparse: more rows than columns (", n, " > ", m, ")");
    for (std::size_t e = 0; e < s.col.size(); ++e) {
        if (s.col[e] >= m) throw_invalid("solve_assignment_sparse: column ", s.col[e], " out of range (", m, " columns)");
        if (!std::isfinite(s.cost[e])) throw_invalid("solve_assignment_sparse: costs must be finite (got ", s.cost[e], ")");
    }
    const double inf = std::numeric_limits<double>::infinity();
    assignment_result r;
    r.col_of_row.assign(n, no_assignment);
    std::vector<double> u(n, 0.0), v(m, inf);
    // Column reduction: v_j = min_i c_ij makes every reduced cost non-negative from the start.
    for (std::size_t e = 0; e < s.col.size(); ++e) v[s.col[e]] = std::min(v[s.col[e]], s.cost[e]);
    for (double& x : v)
        if (x == inf) x = 0;  // a column nobody can use
    std::vector<std::size_t> row_of_col(m, no_assignment), pred(m, no_assignment);
    std::vector<double> dist(m, inf);
    std::vector<char> done(m, 0);
    std::vector<std::size_t> touched, finished;
    using item = std::pair<double, std::size_t>;
    for (std::size_t s_row = 0; s_row < n; ++s_row) {
        std::priority_queue<item, std::vector<item>, std::greater<>> heap;
        touched.clear();
        finished.clear();
        auto relax = [&](std::size_t i, double di) {
            for (std::size_t e = s.row_start[i]; e < s.row_start[i + 1]; ++e) {
                const std::size_t j = s.col[e];
                if (done[j]) continue;
                const double nd = di + std::max(0.0, s.cost[e] - u[i] - v[j]);  // clamp rounding noise
                if (nd < dist[j]) {
                    if (dist[j] == inf) touched.push_back(j);
                    dist[j] = nd;
                    pred[j] = i;
                    heap.push({nd, j});
                }
            }
        };
        relax(s_row, 0.0);
        std::size_t sink = no_assignment;
        double dsink = 0;
        while (!heap.empty()) {
            const auto [d, j] = heap.top();
            heap.pop();
            if (done[j] || d > dist[j]) continue;
            done[j] = 1;
            finished.push_back(j);
            if (row_of_col[j] == no_assignment) {
                sink = j;
                dsink = d;
                break;
            }
            relax(row_of_col[j], d);
        }
        if (sink == no_assignment) {
            r.feasible = false;
            r.cost = inf;
            r.row_dual = u;
            r.col_dual = v;
            return r;
        }
        // Potentials: u_i ← u_i − (dist_i − dsink), v_j ← v_j + (dist_j − dsink) on finished nodes
        // (dist_i of a matched row is the distance of its column; the source row has 0).
        u[s_row] += dsink;
        for (std::size_t j : finished) {
            const double shift = dist[j] - dsink;
            v[j] += shift;
            if (row_of_col[j] != no_assignment) u[row_of_col[j]] -= shift;
        }
        // Augment along the predecessor chain.
        std::size_t j = sink;
        while (true) {
            const std::size_t i = pred[j];
            const std::size_t prev = r.col_of_row[i];
            row_of_col[j] = i;
            r.col_of_row[i] = j;
            if (i == s_row) break;
            j = prev;
        }
        for (std::size_t t : touched) {
            dist[t] = inf;
            done[t] = 0;
            pred[t] = no_assignment;
        }
    }
    r.cost = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t e = s.row_start[i]; e < s.row_start[i + 1]; ++e)
            if (s.col[e] == r.col_of_row[i]) {
                r.cost += s.cost[e];
                break;
            }
    r.row_dual = std::move(u);
    r.col_dual = std::move(v);
    return r;
}

/// Whether a feasible sparse optimum is also optimal for the full problem in which every omitted
/// entry costs at least c_min: true when c_min ≥ max_i u_i + max_j v_j (then no omitted entry has a
/// negative reduced cost, so the duals certify optimality).  A quick, conservative test; the
/// overload with the sparse_cost is exact for the returned duals.
[[nodiscard]] inline bool sparse_optimal_for(const assignment_result& r, double c_min) {
    if (!r.feasible || r.row_dual.empty()) return r.feasible;
    const double umax = *std::max_element(r.row_dual.begin(), r.row_dual.end());
    const double vmax = r.col_dual.empty() ? 0.0 : *std::max_element(r.col_dual.begin(), r.col_dual.end());
    return c_min >= umax + vmax;
}

/// Dual certificate with re-balanced duals: the sparse optimum r of the square problem s is optimal
/// for the full problem, in which every omitted entry costs at least c_min, when there are row
/// potentials u and a bound W with
///   u_i − u_k ≤ c_ij − c_{k σ(k)}  for allowed entries (i, j = σ(k))   (dual feasibility),
///   u_i ≤ W  and  W − u_k ≤ c_min − c_{k σ(k)}                         (omitted entries),
/// because then v_j = c_{k j} − u_k (k = σ⁻¹(j)) gives u_i + v_j ≤ c_ij for EVERY pair.  These are
/// difference constraints; a Bellman–Ford relaxation started from the solver's duals finds such u
/// (usually in a few passes) or gives up after max_passes (then: false, use the dense solver).
/// Sound: true is only returned when every constraint holds.
[[nodiscard]] inline bool sparse_optimal_for(const assignment_result& r, const sparse_cost& s, double c_min,
                                             std::size_t max_passes = 64) {
    if (!r.feasible) return false;
    if (sparse_optimal_for(r, c_min)) return true;
    const std::size_t n = s.n_rows;
    if (n != s.n_cols || r.row_dual.size() != n || r.col_of_row.size() != n || s.row_start.size() != n + 1) return false;
    std::vector<std::size_t> row_of_col(n, no_assignment);
    std::vector<double> matched(n, 0.0);  // c_{k σ(k)}
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t j = r.col_of_row[k];
        if (j >= n) return false;
        row_of_col[j] = k;
        bool found = false;
        for (std::size_t e = s.row_start[k]; e < s.row_start[k + 1]; ++e)
            if (s.col[e] == j) {
                matched[k] = s.cost[e];
                found = true;
                break;
            }
        if (!found) return false;
    }
    std::vector<double> x(r.row_dual);  // u, then W at index n
    double W = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < n; ++k) W = std::min(W, x[k] + c_min - matched[k]);
    x.push_back(W);
    double scale = std::abs(c_min);
    for (double c : s.cost) scale = std::max(scale, std::abs(c));
    const double tol = 1e-12 * std::max(scale, 1.0);
    for (std::size_t pass = 0; pass < max_passes; ++pass) {
        bool changed = false;
        auto relax = [&](std::size_t from, std::size_t to, double w) {
            if (x[from] + w < x[to] - tol) {
                x[to] = x[from] + w;
                changed = true;
            }
        };
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t e = s.row_start[i]; e < s.row_start[i + 1]; ++e) {
                const std::size_t k = row_of_col[s.col[e]];
                if (k != i) relax(k, i, s.cost[e] - matched[k]);  // x_i ≤ x_k + c_ij − c_kσ(k)
            }
        for (std::size_t i = 0; i < n; ++i) relax(n, i, 0.0);               // x_i ≤ W
        for (std::size_t k = 0; k < n; ++k) relax(k, n, c_min - matched[k]); // W ≤ x_k + c_min − c_kσ(k)
        if (!changed) return true;
    }
    return false;
}

}  // namespace materia
