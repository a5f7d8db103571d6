// pair_distribution — g(r) of fcc argon from three kinds of user containers, with no copies.
//
// The same 4×4×4 fcc crystal (a = 5.26 Å) is stored as a std::vector of arrays, an Eigen N×3
// row-major matrix and an xtensor (N, 3) array; each is handed to materia as it is.  The first
// shell must hold 12 neighbours at a/√2 whatever the container.
#include <materia/adapt/eigen.hpp>
#include <materia/adapt/xtensor.hpp>
#include <materia/structure/rdf.hpp>
#include <materia/structure/rdf_analysis.hpp>

#include <Eigen/Core>
#include <xtensor/xtensor.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

int main() {
    const double a = 5.26;  // Å, fcc argon near 0 K
    const int n = 4;
    const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    std::vector<std::array<double, 3>> vec;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            for (int k = 0; k < n; ++k)
                for (const auto& b : basis) vec.push_back({a * (i + b[0]), a * (j + b[1]), a * (k + b[2])});

    Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> eig(static_cast<Eigen::Index>(vec.size()), 3);
    xt::xtensor<double, 2> xts = xt::zeros<double>({vec.size(), std::size_t{3}});
    for (std::size_t i = 0; i < vec.size(); ++i)
        for (std::size_t d = 0; d < 3; ++d) {
            eig(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(d)) = vec[i][d];
            xts(i, d) = vec[i][d];
        }

    const auto box = materia::cell::orthorhombic(n * a, n * a, n * a);
    const auto species = materia::species_list::uniform(vec.size(), "Ar");
    const materia::rdf_params params{/*r_max*/ 9.0, /*bins*/ 180};

    const auto g_vec = materia::rdf(vec, species, box, params);
    const auto g_eig = materia::rdf(eig, species, box, params);
    const auto g_xt = materia::rdf(xts, species, box, params);

    const auto peak = materia::first_peak(g_vec.r, g_vec.g);
    const auto cn = materia::coordination_at(g_vec, 0, 0, 0.85 * a);
    std::printf("fcc Ar: first peak at %.4f Å (a/sqrt2 = %.4f), coordination %.3f (expected 12)\n", peak.r,
                a / std::sqrt(2.0), cn);
    const bool same = g_vec.counts == g_eig.counts && g_vec.counts == g_xt.counts;
    std::printf("std::vector, Eigen and xtensor give identical histograms: %s\n", same ? "yes" : "NO");
    return (same && std::abs(cn - 12.0) < 1e-9 && std::abs(peak.r - a / std::sqrt(2.0)) < 0.05) ? 0 : 1;
}
