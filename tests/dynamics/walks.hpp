// Synthetic trajectories for the dynamics tests (make_traj.py-style Gaussian random walks).
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/species.hpp>

#include <array>
#include <random>
#include <string>
#include <vector>

namespace walks {

using vec3 = std::array<double, 3>;
using trajectory = std::vector<std::vector<vec3>>;

/// N atoms alternating species "O" (σ_O) and "Si" (σ_Si), Gaussian steps of σ Å per Cartesian
/// component per frame, starting uniformly in [0, L)³ + offset.  Exact MSD(lag) = 3σ²·lag.
inline trajectory gaussian_walk(std::size_t n, std::size_t frames, double sigma_si, double sigma_o, double box,
                                unsigned seed, double offset = 0.0) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, box);
    std::normal_distribution<double> g(0.0, 1.0);
    trajectory t(frames, std::vector<vec3>(n));
    for (std::size_t i = 0; i < n; ++i) t[0][i] = {u(rng) + offset, u(rng) + offset, u(rng) + offset};
    for (std::size_t f = 1; f < frames; ++f)
        for (std::size_t i = 0; i < n; ++i) {
            const double s = i % 2 == 0 ? sigma_si : sigma_o;
            for (std::size_t d = 0; d < 3; ++d) t[f][i][d] = t[f - 1][i][d] + s * g(rng);
        }
    return t;
}

/// Species for gaussian_walk: even atoms Si, odd atoms O.
inline materia::species_list walk_species(std::size_t n) {
    std::vector<std::string> names(n);
    for (std::size_t i = 0; i < n; ++i) names[i] = i % 2 == 0 ? "Si" : "O";
    return materia::species_list::from_names(names);
}

/// Every frame wrapped into the cell.
inline trajectory wrap_all(const trajectory& t, const materia::cell& c) {
    trajectory w = t;
    for (auto& f : w)
        for (auto& r : f) r = c.wrap(r);
    return w;
}

}  // namespace walks
