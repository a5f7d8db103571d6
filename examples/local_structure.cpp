// Local structure of a Peierls-distorted rock salt (GeTe-like): bond angles, coordination numbers,
// the ALTBC map, and the atomic-hydrogen fraction of a toy hydride — all from one neighbour list
// per structure.
//
// The positions are handed to materia from three kinds of user containers — std::vector of
// std::array<double,3>, an Eigen N×3 matrix (column-major here: materia reads Eigen's strides, so
// either layout works without a copy) and an xt::xtensor<double,2> — and the program checks that
// all three give identical histograms and numbers.  Lengths in Å, angles in degrees.
// Exit status 1 on any mismatch or wrong physics.
//
// Build: part of the examples (cmake --build build --target example_local_structure).
#include <materia/adapt/eigen.hpp>
#include <materia/adapt/xtensor.hpp>
#include <materia/neighbors/neighbor_list.hpp>
#include <materia/structure/altbc.hpp>
#include <materia/structure/bond_angles.hpp>
#include <materia/structure/coordination.hpp>
#include <materia/structure/hydrogen.hpp>

#include <Eigen/Core>
#include <xtensor/xtensor.hpp>

#include <array>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
using points = std::vector<std::array<double, 3>>;

// Copies of the same points in the containers a user of Eigen or xtensor would already have.
Eigen::Matrix<double, Eigen::Dynamic, 3> to_eigen(const points& p) {  // column-major (Eigen's default)
    Eigen::Matrix<double, Eigen::Dynamic, 3> m(static_cast<Eigen::Index>(p.size()), 3);
    for (std::size_t i = 0; i < p.size(); ++i)
        for (std::size_t d = 0; d < 3; ++d) m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(d)) = p[i][d];
    return m;
}
xt::xtensor<double, 2> to_xtensor(const points& p) {
    xt::xtensor<double, 2> x = xt::zeros<double>({p.size(), std::size_t{3}});
    for (std::size_t i = 0; i < p.size(); ++i)
        for (std::size_t d = 0; d < 3; ++d) x(i, d) = p[i][d];
    return x;
}

// Everything the example reports about one structure, so the three containers can be compared.
struct local_structure {
    materia::adf_result angles;
    materia::coordination_result cn;
    materia::altbc_result altbc;
};

// One neighbour list (Ge–Te bonds up to 3.6 Å), built from the user's container, shared by all
// three analyses.
template <class P>
local_structure analyse(const P& pos, const materia::species_list& species, const materia::cell& box) {
    const auto cut = materia::pair_cutoffs::parse("Ge-Te=3.6", species.names());
    const auto nl = materia::neighbor_list::build(pos, species, box, cut);
    materia::adf_params ap;
    ap.bins = 36;
    materia::adf_accumulator adf(ap, species.names());
    adf.accumulate(nl, species);
    materia::coordination_accumulator cn(species.names());
    cn.accumulate(nl, species);
    materia::altbc_params bp;
    bp.r_min = 2.5;
    bp.r_max = 3.5;
    bp.bins = 20;
    materia::altbc_accumulator alt(bp, species.names());
    alt.accumulate(nl, species, box);
    return {adf.result(), cn.result(), alt.result()};
}

bool same(const local_structure& x, const local_structure& y) {
    return x.angles.counts == y.angles.counts && x.angles.p == y.angles.p && x.cn.mean == y.cn.mean &&
           x.cn.histogram == y.cn.histogram && x.altbc.counts_sorted == y.altbc.counts_sorted &&
           x.altbc.triplets == y.altbc.triplets;
}

void require(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("container mismatch: ") + what);
}
}  // namespace

int main() try {
    // 4×4×4 cubic rock-salt cells of GeTe, a = 6.0 Å, with every Ge moved along [111] by 0.25 Å:
    // each Ge gets three short and three long Ge–Te bonds (a Peierls-like distortion).
    const double a = 6.0, shift = 0.25 / 1.7320508075688772;
    const std::array<std::array<double, 3>, 4> fcc{{{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}}};
    std::vector<std::array<double, 3>> pos;
    std::vector<std::string> names;
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            for (int k = 0; k < 4; ++k)
                for (const auto& b : fcc) {
                    pos.push_back({a * (i + b[0]) + shift, a * (j + b[1]) + shift, a * (k + b[2]) + shift});
                    names.push_back("Ge");
                    pos.push_back({a * (i + b[0] + 0.5), a * (j + b[1]), a * (k + b[2])});
                    names.push_back("Te");
                }
    const auto species = materia::species_list::from_names(names);
    const auto box = materia::cell::orthorhombic(4 * a, 4 * a, 4 * a);

    const local_structure ls = analyse(pos, species, box);             // std::vector
    require(same(ls, analyse(to_eigen(pos), species, box)), "GeTe, Eigen vs std::vector");
    require(same(ls, analyse(to_xtensor(pos), species, box)), "GeTe, xtensor vs std::vector");
    std::printf("std::vector, Eigen (column-major) and xtensor: identical angles, CN and ALTBC\n");

    const auto& angles = ls.angles;
    std::printf("bond angles per atom: %.3f; largest bins of p(theta):\n", angles.angles_per_centre(2));
    for (std::size_t k = 0; k < angles.theta.size(); ++k)
        if (angles.p[k] > 0.005) std::printf("  theta %6.1f deg  p = %.5f /deg\n", angles.theta[k], angles.p[k]);

    const auto& c = ls.cn;
    for (std::size_t s = 0; s < c.n_species(); ++s)
        std::printf("CN(%s) = %.3f\n", c.species[s].c_str(), c.mean[c.index(s, c.n_species())]);

    const auto& m = ls.altbc;
    std::size_t best = 0;
    for (std::size_t x = 0; x < m.counts_sorted.size(); ++x)
        if (m.counts_sorted[x] > m.counts_sorted[best]) best = x;
    std::printf("ALTBC: %llu collinear triplets, peak at (r_short, r_long) = (%.3f, %.3f) A\n",
                static_cast<unsigned long long>(m.triplets), m.r[best / m.bins], m.r[best % m.bins]);

    // A toy hydride: 8 La with an H₂ molecule and two isolated H each (cell 10 Å).
    std::vector<std::array<double, 3>> hp;
    std::vector<std::string> hn;
    for (int k = 0; k < 8; ++k) {
        const double x = 5.0 * (k % 2), y = 5.0 * ((k / 2) % 2), z = 5.0 * (k / 4);
        hp.push_back({x, y, z});
        hn.push_back("La");
        hp.push_back({x + 1.5, y, z});
        hp.push_back({x + 1.5 + 0.74, y, z});
        hp.push_back({x, y + 2.0, z});
        hp.push_back({x, y, z + 2.0});
        hn.insert(hn.end(), {"H", "H", "H", "H"});
    }
    const auto hs = materia::species_list::from_names(hn);
    const auto hbox = materia::cell::orthorhombic(10, 10, 10);
    const double f = materia::atomic_hydrogen_fraction(hp, hs, hbox);
    require(f == materia::atomic_hydrogen_fraction(to_eigen(hp), hs, hbox) &&
                f == materia::atomic_hydrogen_fraction(to_xtensor(hp), hs, hbox),
            "hydride");
    std::printf("atomic-hydrogen fraction (nearest H > 0.9 A): %.3f (same from Eigen and xtensor)\n", f);
    return (f == 0.5 && m.triplets > 0) ? 0 : 1;
} catch (const std::exception& e) {
    std::fprintf(stderr, "local_structure: %s\n", e.what());
    return 1;
}
