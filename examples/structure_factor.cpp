// examples/structure_factor.cpp — a tour of materia's structure-factor tools in one small program:
//  1. direct S(k) of a copper crystal: Bragg peaks at (2π/a)√(h²+k²+l²);
//  2. the Debye equation of a small SiO2-like cluster with X-ray weighting and its error bound;
//  3. Percus–Yevick hard spheres: S(q), principal peak, and g(r) back by the inverse transform;
//  4. Faber–Ziman weights of SiO2 for neutrons and X-rays.
#include <materia/structure/structure_factor.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

int main() {
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
    const auto direct = sq_direct(cu, species_list::uniform(cu.size(), "Cu"), cell::orthorhombic(2 * a, 2 * a, 2 * a), dp);
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
    return peak ? 0 : 1;
}
