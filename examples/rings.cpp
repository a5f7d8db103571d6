// Ring statistics of small networks, exact under periodic boundaries: the 8-atom diamond cell
// (16 six-rings — a distance map that ignores images finds none), C60 under three definitions, and a
// few frames of a thermally disordered diamond supercell averaged with ring_accumulator.
//
// Parts 1 and 3 pass the same atoms from three kinds of user containers and check that the rings
// are identical: a std::vector<std::array<double,3>>, the first three columns of an Eigen N×4
// row-major array (x, y, z plus a per-atom column such as a charge — `leftCols<3>()` is a strided
// block, read in place without a copy) and an xt::xtensor<double,2> of shape (N, 3).
// Lengths in Å.  Exit status 1 on a mismatch or a wrong ring count.
//
// Build: part of the examples (cmake --build build --target example_rings).
#include <materia/adapt/eigen.hpp>
#include <materia/adapt/xtensor.hpp>
#include <materia/structure/bond_graph.hpp>
#include <materia/structure/rings.hpp>

#include <Eigen/Core>
#include <xtensor/xtensor.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <exception>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
using points = std::vector<std::array<double, 3>>;
using atom_table = Eigen::Matrix<double, Eigen::Dynamic, 4, Eigen::RowMajor>;  // x, y, z (Å), charge (e)

atom_table to_eigen_table(const points& p) {
    atom_table t(static_cast<Eigen::Index>(p.size()), 4);
    for (std::size_t i = 0; i < p.size(); ++i) {
        const auto r = static_cast<Eigen::Index>(i);
        t.row(r) << p[i][0], p[i][1], p[i][2], 0.0;  // the 4th column is not a coordinate
    }
    return t;
}
xt::xtensor<double, 2> to_xtensor(const points& p) {
    xt::xtensor<double, 2> x = xt::zeros<double>({p.size(), std::size_t{3}});
    for (std::size_t i = 0; i < p.size(); ++i)
        for (std::size_t d = 0; d < 3; ++d) x(i, d) = p[i][d];
    return x;
}

void require(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("container mismatch: ") + what);
}

points diamond(double a, int n) {
    const double basis[8][3] = {{0, 0, 0},       {0.5, 0.5, 0},     {0.5, 0, 0.5},     {0, 0.5, 0.5},
                                {0.25, 0.25, 0.25}, {0.75, 0.75, 0.25}, {0.75, 0.25, 0.75}, {0.25, 0.75, 0.75}};
    points p;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            for (int k = 0; k < n; ++k)
                for (const auto& b : basis) p.push_back({a * (i + b[0]), a * (j + b[1]), a * (k + b[2])});
    return p;
}

points c60() {  // truncated icosahedron, 1.40 Å bonds
    const double phi = (1 + std::sqrt(5.0)) / 2;
    const double base[3][3] = {{0, 1, 3 * phi}, {1, 2 + phi, 2 * phi}, {phi, 2, 2 * phi + 1}};
    points out;
    for (const auto& b : base)
        for (int sx : {-1, 1})
            for (int sy : {-1, 1})
                for (int sz : {-1, 1}) {
                    const double v[3] = {sx * b[0], sy * b[1], sz * b[2]};
                    for (int r = 0; r < 3; ++r) {
                        const std::array<double, 3> w{0.7 * v[r], 0.7 * v[(r + 1) % 3], 0.7 * v[(r + 2) % 3]};
                        bool dup = false;
                        for (const auto& q : out) dup = dup || q == w;
                        if (!dup) out.push_back(w);
                    }
                }
    return out;
}

void print_counts(const char* what, const materia::ring_result& r) {
    std::printf("%-34s", what);
    for (std::size_t s = 3; s < r.counts.size(); ++s)
        if (r.counts[s]) std::printf("  %zu x %zu-rings", r.counts[s], s);
    std::printf("  (total %zu)\n", r.total());
}
}  // namespace

int main() try {
    // 1. the 8-atom diamond cell: rings longer than the cell is wide are found exactly
    const double a = 5.43;
    const auto d8 = diamond(a, 1);
    const auto si = materia::species_list::uniform(d8.size(), "Si");
    const auto box8 = materia::cell::orthorhombic(a, a, a);
    materia::ring_options opt;  // King's criterion, sizes up to 10
    const auto r8 = materia::find_rings(d8, si, box8, materia::pair_cutoffs(1, 2.6), opt);  // std::vector
    const atom_table t8 = to_eigen_table(d8);
    const auto r8_eig = materia::find_rings(t8.leftCols<3>(), si, box8, materia::pair_cutoffs(1, 2.6), opt);
    const auto r8_xt = materia::find_rings(to_xtensor(d8), si, box8, materia::pair_cutoffs(1, 2.6), opt);
    // Same rings, same members, same periodic images, in the same order.
    require(r8.rings == r8_eig.rings && r8.rings == r8_xt.rings && r8.counts == r8_eig.counts &&
                r8.counts == r8_xt.counts,
            "diamond rings");
    print_counts("diamond, 8-atom cell (king):", r8);
    std::printf("  first ring, atoms (image):");
    for (const auto& m : r8.rings.front().nodes) std::printf(" %u(%d,%d,%d)", m.atom, m.image[0], m.image[1], m.image[2]);
    std::printf("\n  Rc(6) = %.3f  Pn(6) = %.3f  rings through atom 0: %zu\n", r8.rc[6], r8.pn[6], r8.rings_of(0).size());

    // 2. C60: shortest-path rings include 10 equatorial 18-rings, strong rings are the 32 faces
    const auto c = c60();
    const auto cs = materia::species_list::uniform(c.size(), "C");
    const auto g = materia::build_bond_graph(c, cs, materia::cell::open(), materia::pair_cutoffs(1, 1.85));
    opt.max_size = 20;
    for (auto def : {materia::ring_definition::king, materia::ring_definition::sp, materia::ring_definition::strong}) {
        opt.definition = def;
        const std::string label = "C60 (" + std::string(materia::to_string(def)) + "):";
        print_counts(label.c_str(), materia::find_rings(g, cs, opt));
    }

    // 3. averages over frames: a 64-atom diamond supercell with random displacements
    opt.definition = materia::ring_definition::sp;
    opt.max_size = 8;
    // One accumulator per container, fed the same frames: the averages must agree exactly.
    materia::ring_accumulator acc(opt), acc_eig(opt), acc_xt(opt);
    std::mt19937_64 rng(1);
    std::normal_distribution<double> noise(0.0, 0.08);  // Å, thermal displacements
    const auto d64 = diamond(a, 2);
    const auto s64 = materia::species_list::uniform(d64.size(), "Si");
    const auto box64 = materia::cell::orthorhombic(2 * a, 2 * a, 2 * a);
    for (int frame = 0; frame < 4; ++frame) {
        auto p = d64;
        for (auto& x : p)
            for (auto& v : x) v += noise(rng);
        acc.accumulate(p, s64, box64, materia::pair_cutoffs(1, 2.6));
        acc_eig.accumulate(to_eigen_table(p).leftCols<3>(), s64, box64, materia::pair_cutoffs(1, 2.6));
        acc_xt.accumulate(to_xtensor(p), s64, box64, materia::pair_cutoffs(1, 2.6));
    }
    const auto s = acc.result();
    const auto s_eig = acc_eig.result(), s_xt = acc_xt.result();
    require(s.count == s_eig.count && s.count == s_xt.count && s.count_std == s_eig.count_std &&
                s.count_std == s_xt.count_std && s.pn == s_eig.pn && s.pn == s_xt.pn,
            "ring averages over frames");
    std::printf("disordered diamond, %zu frames: six-rings %.2f +- %.2f per frame (%.3f per atom)\n", s.frames,
                s.count[6], s.count_std[6], s.per_atom[6]);
    std::printf("std::vector, Eigen N x 4 block and xtensor gave identical rings: yes\n");
    return (r8.counts[6] == 16 && r8.total() == 16) ? 0 : 1;
} catch (const std::exception& e) {
    std::fprintf(stderr, "rings: %s\n", e.what());
    return 1;
}
