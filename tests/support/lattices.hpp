// tests/support/lattices.hpp — fixtures: perfect crystals, random configurations, brute-force pairs.
#pragma once

#include <materia/core/cell.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace materia::test {

using points = std::vector<std::array<double, 3>>;

/// Conventional cubic cell of a lattice with the given basis (fractional), replicated n×n×n.
inline points replicate(const std::vector<vec3>& basis, double a, int n) {
    points out;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            for (int k = 0; k < n; ++k)
                for (const auto& b : basis)
                    out.push_back({a * (i + b[0]), a * (j + b[1]), a * (k + b[2])});
    return out;
}
inline std::vector<vec3> fcc_basis() { return {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}}; }
inline std::vector<vec3> bcc_basis() { return {{0, 0, 0}, {0.5, 0.5, 0.5}}; }
inline std::vector<vec3> diamond_basis() {
    auto b = fcc_basis();
    for (std::size_t k = 0; k < 4; ++k) b.push_back({b[k][0] + 0.25, b[k][1] + 0.25, b[k][2] + 0.25});
    return b;
}

/// n uniform random points in the cell (fixed seed).
inline points random_points(const cell& c, std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    points out;
    for (std::size_t i = 0; i < n; ++i) {
        const vec3 f{u(rng), u(rng), u(rng)};
        out.push_back(c.to_cartesian(f));
    }
    return out;
}

/// A pair found by brute force: i ≤ j, image n (for i == j only the positive half of images).
struct bf_pair {
    std::size_t i, j;
    std::array<int, 3> image;
    double r;
    friend bool operator<(const bf_pair& a, const bf_pair& b) {
        if (a.i != b.i) return a.i < b.i;
        if (a.j != b.j) return a.j < b.j;
        return a.image < b.image;
    }
};

/// Every unordered pair (i, j, n) with |r_j + nH − r_i| < rc, by brute force over images.
inline std::vector<bf_pair> brute_force_pairs(const points& p, const cell& c, double rc) {
    std::array<int, 3> reach{};
    for (std::size_t k = 0; k < 3; ++k) {
        // images needed: fractional coordinates may be anywhere, so add the spread of positions
        double fmin = 0, fmax = 0;
        for (std::size_t i = 0; i < p.size(); ++i) {
            const double f = c.to_fractional(p[i])[k];
            if (i == 0 || f < fmin) fmin = f;
            if (i == 0 || f > fmax) fmax = f;
        }
        reach[k] = c.periodic(k) ? static_cast<int>(std::ceil(rc / c.perpendicular_widths()[k] + (fmax - fmin))) + 1 : 0;
    }
    std::vector<bf_pair> out;
    for (std::size_t i = 0; i < p.size(); ++i)
        for (std::size_t j = i; j < p.size(); ++j)
            for (int a = -reach[0]; a <= reach[0]; ++a)
                for (int b = -reach[1]; b <= reach[1]; ++b)
                    for (int d = -reach[2]; d <= reach[2]; ++d) {
                        const std::array<int, 3> n{a, b, d};
                        if (i == j && !(n > std::array<int, 3>{0, 0, 0})) continue;
                        const vec3 t = c.translation(n);
                        const vec3 dd = detail::sub(detail::add(p[j], t), p[i]);
                        const double r = detail::norm(dd);
                        if (r < rc) out.push_back({i, j, n, r});
                    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace materia::test
