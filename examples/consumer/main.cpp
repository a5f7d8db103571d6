// Uses the installed package: counts the bonds of diamond silicon through the umbrella header.
#include <materia/materia.hpp>

#include <array>
#include <cstdio>
#include <vector>

int main() {
    const double a = 5.431;  // Å
    std::vector<std::array<double, 3>> pos;
    const double basis[8][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5},
                                {0.25, 0.25, 0.25}, {0.75, 0.75, 0.25}, {0.75, 0.25, 0.75}, {0.25, 0.75, 0.75}};
    for (const auto& b : basis) pos.push_back({a * b[0], a * b[1], a * b[2]});
    const auto box = materia::cell::orthorhombic(a, a, a);
    std::size_t bonds = 0;
    materia::for_each_pair(pos, box, 2.5, [&](const materia::neighbor_pair&) { ++bonds; });
    std::printf("materia %s: %zu Si-Si bonds in the 8-atom diamond cell (expected 16)\n", materia::version_string, bonds);
    return bonds == 16 ? 0 : 1;
}
