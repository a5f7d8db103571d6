// Ring definitions against brute force on small random graphs: every simple cycle up to the
// maximum size is enumerated by depth-first search and classified from all-pairs BFS distances
// (SP: every pair at ring distance; King/Guttman: shortest cycles through an angle / a bond;
// strong: not in the GF(2) span of the smaller SP cycles).
#include <doctest/doctest.h>

#include <materia/structure/rings.hpp>

#include <algorithm>
#include <cstdint>
#include <queue>
#include <random>
#include <set>
#include <vector>

using namespace materia;

namespace {

struct small_graph {
    std::size_t n;
    std::vector<std::vector<std::uint32_t>> adj;
    std::vector<std::vector<int>> dist;
};

small_graph random_graph(std::size_t n, std::size_t extra_edges, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    small_graph g{n, std::vector<std::vector<std::uint32_t>>(n), {}};
    std::set<std::pair<std::uint32_t, std::uint32_t>> edges;
    // a random spanning tree plus random extra edges
    for (std::uint32_t i = 1; i < n; ++i) {
        std::uniform_int_distribution<std::uint32_t> pick(0, i - 1);
        edges.insert({pick(rng), i});
    }
    std::uniform_int_distribution<std::uint32_t> any(0, static_cast<std::uint32_t>(n - 1));
    while (edges.size() < n - 1 + extra_edges) {
        auto a = any(rng), b = any(rng);
        if (a == b) continue;
        edges.insert({std::min(a, b), std::max(a, b)});
    }
    for (auto [a, b] : edges) {
        g.adj[a].push_back(b);
        g.adj[b].push_back(a);
    }
    g.dist.assign(n, std::vector<int>(n, 1 << 20));
    for (std::size_t s = 0; s < n; ++s) {
        std::queue<std::uint32_t> q;
        g.dist[s][s] = 0;
        q.push(static_cast<std::uint32_t>(s));
        while (!q.empty()) {
            auto u = q.front();
            q.pop();
            for (auto v : g.adj[u])
                if (g.dist[s][v] > g.dist[s][u] + 1) {
                    g.dist[s][v] = g.dist[s][u] + 1;
                    q.push(v);
                }
        }
    }
    return g;
}

// all simple cycles (as canonical vertex sequences) of size 3..m
std::vector<std::vector<std::uint32_t>> all_cycles(const small_graph& g, std::size_t m) {
    std::set<std::vector<std::uint32_t>> out;
    std::vector<std::uint32_t> path;
    std::vector<char> on(g.n, 0);
    auto canon = [](std::vector<std::uint32_t> c) {
        const auto it = std::min_element(c.begin(), c.end());
        std::rotate(c.begin(), it, c.end());
        if (c[1] > c.back()) std::reverse(c.begin() + 1, c.end());
        return c;
    };
    auto dfs = [&](auto&& self, std::uint32_t u) -> void {
        for (auto v : g.adj[u]) {
            if (v == path[0] && path.size() >= 3) out.insert(canon(path));
            if (on[v] || v < path[0] || path.size() >= m) continue;
            on[v] = 1;
            path.push_back(v);
            self(self, v);
            path.pop_back();
            on[v] = 0;
        }
    };
    for (std::uint32_t s = 0; s < g.n; ++s) {
        path.assign(1, s);
        on[s] = 1;
        dfs(dfs, s);
        on[s] = 0;
    }
    return {out.begin(), out.end()};
}

bool is_sp(const small_graph& g, const std::vector<std::uint32_t>& c) {
    const std::size_t n = c.size();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j)
            if (g.dist[c[i]][c[j]] != static_cast<int>(std::min(j - i, n - (j - i)))) return false;
    return true;
}

std::vector<std::size_t> histogram(const std::vector<std::vector<std::uint32_t>>& cs, std::size_t m) {
    std::vector<std::size_t> h(m + 1, 0);
    for (const auto& c : cs) ++h[c.size()];
    return h;
}

std::vector<std::uint64_t> edge_bits(const small_graph& g, const std::vector<std::uint32_t>& c) {
    std::vector<std::uint64_t> bits((g.n * g.n + 63) / 64, 0);
    for (std::size_t k = 0; k < c.size(); ++k) {
        auto a = c[k], b = c[(k + 1) % c.size()];
        const std::size_t e = std::min(a, b) * g.n + std::max(a, b);
        bits[e / 64] ^= std::uint64_t{1} << (e % 64);
    }
    return bits;
}

bool in_span(std::vector<std::vector<std::uint64_t>> basis_src, std::vector<std::uint64_t> v) {
    // plain Gaussian elimination
    std::vector<std::vector<std::uint64_t>> basis;
    std::vector<std::size_t> piv;
    auto lowest = [](const std::vector<std::uint64_t>& x) {
        for (std::size_t w = 0; w < x.size(); ++w)
            if (x[w]) return w * 64 + static_cast<std::size_t>(__builtin_ctzll(x[w]));
        return static_cast<std::size_t>(-1);
    };
    auto reduce = [&](std::vector<std::uint64_t>& x) {
        for (std::size_t b = 0; b < basis.size(); ++b)
            if ((x[piv[b] / 64] >> (piv[b] % 64)) & 1u)
                for (std::size_t w = 0; w < x.size(); ++w) x[w] ^= basis[b][w];
    };
    for (auto& s : basis_src) {
        reduce(s);
        const auto p = lowest(s);
        if (p == static_cast<std::size_t>(-1)) continue;
        for (auto& b : basis)
            if ((b[p / 64] >> (p % 64)) & 1u)
                for (std::size_t w = 0; w < b.size(); ++w) b[w] ^= s[w];
        basis.push_back(s);
        piv.push_back(p);
    }
    reduce(v);
    return lowest(v) == static_cast<std::size_t>(-1);
}

}  // namespace

TEST_CASE("rings: all definitions agree with brute-force enumeration on random graphs") {
    const std::size_t m = 9;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        const std::size_t n = 14 + seed % 5;
        const auto g = random_graph(n, n / 2 + seed % 4, seed);
        std::vector<bond> bonds;
        for (std::uint32_t a = 0; a < n; ++a)
            for (auto b : g.adj[a])
                if (a < b) bonds.push_back({a, b, {0, 0, 0}});
        const auto bg = bond_graph::from_bonds(n, bonds);
        const auto sp = species_list::uniform(n);
        auto run = [&](ring_definition d) {
            ring_options o;
            o.definition = d;
            o.max_size = m;
            return find_rings(bg, sp, o).counts;
        };
        const auto cycles = all_cycles(g, m);
        // SP
        std::vector<std::vector<std::uint32_t>> spc;
        for (const auto& c : cycles)
            if (is_sp(g, c)) spc.push_back(c);
        CAPTURE(seed);
        CHECK(run(ring_definition::sp) == histogram(spc, m));
        CHECK(run(ring_definition::primitive) == histogram(spc, m));
        // King: cycle through u with neighbours a, b of minimal length among cycles through a-u-b
        std::set<std::vector<std::uint32_t>> king, gut;
        for (std::uint32_t u = 0; u < n; ++u)
            for (std::size_t i = 0; i < g.adj[u].size(); ++i) {
                for (std::size_t j = i + 1; j < g.adj[u].size(); ++j) {
                    const auto a = g.adj[u][i], b = g.adj[u][j];
                    std::size_t best = m + 1;
                    std::vector<std::vector<std::uint32_t>> hit;
                    for (const auto& c : cycles) {
                        for (std::size_t k = 0; k < c.size(); ++k) {
                            const auto p = c[(k + c.size() - 1) % c.size()], q = c[(k + 1) % c.size()];
                            if (c[k] == u && ((p == a && q == b) || (p == b && q == a))) {
                                if (c.size() < best) {
                                    best = c.size();
                                    hit.clear();
                                }
                                if (c.size() == best) hit.push_back(c);
                            }
                        }
                    }
                    king.insert(hit.begin(), hit.end());
                }
                // Guttman: shortest cycles through the bond u-a
                const auto a = g.adj[u][i];
                std::size_t best = m + 1;
                std::vector<std::vector<std::uint32_t>> hit;
                for (const auto& c : cycles)
                    for (std::size_t k = 0; k < c.size(); ++k)
                        if ((c[k] == u && c[(k + 1) % c.size()] == a) || (c[k] == a && c[(k + 1) % c.size()] == u)) {
                            if (c.size() < best) {
                                best = c.size();
                                hit.clear();
                            }
                            if (c.size() == best) hit.push_back(c);
                        }
                gut.insert(hit.begin(), hit.end());
            }
        CHECK(run(ring_definition::king) == histogram({king.begin(), king.end()}, m));
        CHECK(run(ring_definition::guttman) == histogram({gut.begin(), gut.end()}, m));
        // strong: SP cycles not in the span of the smaller SP cycles (global span here)
        std::vector<std::vector<std::uint32_t>> strong;
        for (const auto& c : spc) {
            std::vector<std::vector<std::uint64_t>> smaller;
            for (const auto& d : spc)
                if (d.size() < c.size()) smaller.push_back(edge_bits(g, d));
            if (!in_span(smaller, edge_bits(g, c))) strong.push_back(c);
        }
        CHECK(run(ring_definition::strong) == histogram(strong, m));
        CHECK(!spc.empty());
    }
}
