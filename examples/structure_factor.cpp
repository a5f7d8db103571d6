// examples/structure_factor.cpp — a tour of materia's structure-factor tools in one small program:
//  1. direct S(k) of a copper crystal: Bragg peaks at (2π/a)√(h²+k²+l²);
//  2. the Debye equation of a small SiO2-like cluster with X-ray weighting and its error bound;
//  3. Percus–Yevick hard spheres: S(q), principal peak, and g(r) back by the inverse transform;
//  4. Faber–Ziman weights of SiO2 for neutrons and X-rays.
//
// Positions can live in the user's own containers: parts 1 and 2 hand the same atoms to materia as a
// std::vector<std::array<double,3>>, an Eigen N×3 matrix (an owning row-major matrix in part 1, an
// Eigen::Map over the std::vector's own memory in part 2: zero copy) and an xt::xtensor<double,2>,
// and check that the three results are bit-for-bit identical (every container becomes the same
// strided view, so the arithmetic is the same).  Lengths in Å, q in Å⁻¹.  Exit status 1 on mismatch.
#include <materia/adapt/eigen.hpp>
#include <materia/adapt/xtensor.hpp>
#include <materia/structure/structure_factor.hpp>

#include <Eigen/Core>
#include <xtensor/xtensor.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <exception>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
using row_major_n3 = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;

// Exact equality, NaN == NaN (empty S(k) bins hold NaN in q_mean).
bool identical(const std::vector<double>& x, const std::vector<double>& y) {
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (!(x[i] == y[i] || (std::isnan(x[i]) && std::isnan(y[i])))) return false;
    return true;
}

void require(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("container mismatch: ") + what);
}

// The same points copied into an owning Eigen matrix and an xtensor array (what a user who already
// keeps positions in Eigen or xtensor would have).
row_major_n3 to_eigen(const std::vector<std::array<double, 3>>& p) {
    row_major_n3 m(static_cast<Eigen::Index>(p.size()), 3);
    for (std::size_t i = 0; i < p.size(); ++i)
        for (std::size_t d = 0; d < 3; ++d) m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(d)) = p[i][d];
    return m;
}
xt::xtensor<double, 2> to_xtensor(const std::vector<std::array<double, 3>>& p) {
    xt::xtensor<double, 2> x = xt::zeros<double>({p.size(), std::size_t{3}});
    for (std::size_t i = 0; i < p.size(); ++i)
        for (std::size_t d = 0; d < 3; ++d) x(i, d) = p[i][d];
    return x;
}
}  // namespace

int main() try {
    using namespace materia;
    constexpr double pi = std::numbers::pi;

    // 1. fcc Cu, 2×2×2 conventional cells
    const double a = 3.615;
    std::vector<std::array<double, 3>> cu;
    const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j)
            for (int k = 0; k < 2; ++k)
                for (const auto& b : basis) cu.push_back({a * (i + b[0]), a * (j + b[1]), a * (k + b[2])});
    sq_direct_params dp;
    dp.q_max = 5.5;
    dp.bins = 550;
    const auto cu_species = species_list::uniform(cu.size(), "Cu");
    const auto cu_box = cell::orthorhombic(2 * a, 2 * a, 2 * a);
    const auto direct = sq_direct(cu, cu_species, cu_box, dp);                   // std::vector
    const auto direct_eig = sq_direct(to_eigen(cu), cu_species, cu_box, dp);     // Eigen N×3
    const auto direct_xt = sq_direct(to_xtensor(cu), cu_species, cu_box, dp);    // xtensor (N, 3)
    require(identical(direct.s, direct_eig.s) && identical(direct.s, direct_xt.s) &&
                direct.k_count == direct_eig.k_count && direct.k_count == direct_xt.k_count,
            "direct S(k)");
    std::printf("fcc Cu (a = %.3f A): Bragg peaks of the direct S(k)\n", a);
    for (std::size_t b : direct.nonempty())
        if (direct.s[b] > 1.0)
            std::printf("  |k| = %.5f 1/A  (h2+k2+l2 = %.3f)  S = %.1f  (%llu k vectors)\n", direct.q_mean[b],
                        std::pow(direct.q_mean[b] * a / (2 * pi), 2), direct.s[b],
                        static_cast<unsigned long long>(direct.k_count[b]));

    // 2. Debye equation of a 9-atom cluster (3 Si, 6 O) with X-ray form factors
    const std::vector<std::array<double, 3>> pos{{0, 0, 0},     {1.6, 0, 0},   {-0.5, 1.5, 0}, {-0.5, -0.8, 1.3},
                                                 {3.1, 0.4, 0}, {4.5, 0, 0.8}, {3.4, 1.9, 0},  {-1.9, 2.3, 0.3},
                                                 {-2.2, 3.8, 0}};
    const std::vector<std::string> names{"Si", "O", "O", "O", "Si", "O", "O", "Si", "O"};
    std::vector<double> q;
    for (int k = 0; k < 6; ++k) q.push_back(1.0 + 2.0 * k);
    const auto deb = debye_sq(pos, species_list::from_names(names), q);
    const auto sx = deb.s_faber_ziman(sq_weighting::xray);
    // Zero copy: an Eigen::Map over the std::vector's memory (N rows of 3 contiguous doubles) —
    // the way to pass a buffer an MD code or a Python binding already owns.
    const Eigen::Map<const row_major_n3> pos_map(pos.front().data(), static_cast<Eigen::Index>(pos.size()), 3);
    const auto sx_map = debye_sq(pos_map, species_list::from_names(names), q).s_faber_ziman(sq_weighting::xray);
    const auto sx_xt = debye_sq(to_xtensor(pos), species_list::from_names(names), q).s_faber_ziman(sq_weighting::xray);
    require(identical(sx, sx_map) && identical(sx, sx_xt), "Debye S(q)");
    const auto bound = deb.s_error_bound(sq_weighting::xray);
    std::printf("\nDebye S(q), X-ray weighting (%s)\n", weighting_source(sq_weighting::xray).c_str());
    for (std::size_t k = 0; k < q.size(); ++k) std::printf("  q = %5.2f  S = %+.6f  (histogram error <= %.1e)\n", q[k], sx[k], bound[k]);

    // 3. Percus–Yevick hard spheres, η = 0.4
    const percus_yevick_hard_spheres py(0.4, 1.0);
    std::vector<double> qs, ss;
    for (int k = 0; k <= 100000; ++k) {
        qs.push_back(0.01 * k);
        ss.push_back(py.s(qs.back()));
    }
    const auto peak = principal_peak(qs, ss);
    const std::vector<double> r{1.2, 1.5, 2.0};
    const auto g = gr_from_sq(qs, ss, py.density(), r);
    std::printf("\nPercus-Yevick eta = 0.4: S(0) = %.6f, principal peak q sigma = %.4f (S = %.4f)\n", py.s0(),
                peak ? peak->q : 0.0, peak ? peak->height : 0.0);
    for (std::size_t k = 0; k < r.size(); ++k) std::printf("  g(%.1f sigma) = %.4f\n", r[k], g.g[k]);

    // 4. Faber–Ziman weights of SiO2
    const std::vector<double> c{1.0 / 3.0, 2.0 / 3.0};
    const auto wn = faber_ziman_weights(c, {neutron_scattering_length("Si"), neutron_scattering_length("O")});
    const auto wx = faber_ziman_weights(c, scattering_factors(sq_weighting::xray, {"Si", "O"}, 2.0));
    std::printf("\nSiO2 Faber-Ziman weights  Si-Si   Si-O(both)  O-O\n");
    std::printf("  neutron              %.4f  %.4f     %.4f\n", wn[0], wn[1] + wn[2], wn[3]);
    std::printf("  X-ray, q = 2 1/A     %.4f  %.4f     %.4f\n", wx[0], wx[1] + wx[2], wx[3]);
    std::printf("\nstd::vector, Eigen and xtensor positions gave identical S(k) and S(q): yes\n");
    return peak ? 0 : 1;
} catch (const std::exception& e) {
    std::fprintf(stderr, "structure_factor: %s\n", e.what());
    return 1;
}
