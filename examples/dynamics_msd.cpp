// examples/dynamics_msd.cpp — diffusion from a wrapped trajectory, end to end:
// unwrap → MSD (all time origins, FFT) → D from a linear fit + α(τ) → reordered MSD′.
//
// The "simulation" is a Gaussian random walk (σ = 0.1 Å per component per frame, dt = 0.5 ps)
// wrapped into a 10 Å box, so the exact answer is D = σ²/(2 dt) = 0.01 Å²/ps = 1e-6 cm²/s.
//
// The same wrapped trajectory is analysed from three kinds of user containers, with no copies on
// materia's side: each frame as a std::vector<std::array<double,3>>; the whole trajectory in ONE
// column-major Eigen matrix of (frames·N) × 3 rows, each frame handed over as a block
// `traj.middleRows(f·N, N)` (a strided view into the matrix); and each frame as an
// xt::xtensor<double,2> of shape (N, 3).  The program checks that the three MSD curves (and so D)
// are bit-for-bit identical.  Exit status 1 on mismatch or a wrong D.
#include <materia/adapt/eigen.hpp>
#include <materia/adapt/xtensor.hpp>
#include <materia/dynamics/diffusion.hpp>
#include <materia/dynamics/msd.hpp>
#include <materia/dynamics/reordered_msd.hpp>
#include <materia/dynamics/unwrap.hpp>

#include <Eigen/Core>
#include <xtensor/xtensor.hpp>

#include <cmath>
#include <cstdio>
#include <exception>
#include <random>
#include <stdexcept>
#include <vector>

int main() try {
    const std::size_t n = 200, frames = 300;
    const double sigma = 0.1, dt = 0.5, box = 10.0;
    const materia::cell cell = materia::cell::orthorhombic(box, box, box);
    const auto species = materia::species_list::uniform(n, "H");

    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0.0, box);
    std::normal_distribution<double> g(0.0, sigma);
    std::vector<materia::vec3> truth(n);
    for (auto& r : truth) r = {u(rng), u(rng), u(rng)};

    // What an MD code writes: wrapped positions, here stored three ways.
    std::vector<std::vector<materia::vec3>> traj_vec(frames, std::vector<materia::vec3>(n));
    Eigen::Matrix<double, Eigen::Dynamic, 3> traj_eig(static_cast<Eigen::Index>(frames * n), 3);  // column-major
    std::vector<xt::xtensor<double, 2>> traj_xt(frames, xt::xtensor<double, 2>::from_shape({n, 3}));
    for (std::size_t f = 0; f < frames; ++f) {
        for (std::size_t i = 0; i < n; ++i) {
            const materia::vec3 w = cell.wrap(truth[i]);
            traj_vec[f][i] = w;
            for (std::size_t d = 0; d < 3; ++d) {
                traj_eig(static_cast<Eigen::Index>(f * n + i), static_cast<Eigen::Index>(d)) = w[d];
                traj_xt[f](i, d) = w[d];
            }
        }
        for (auto& r : truth)
            for (auto& x : r) x += g(rng);
    }

    // unwrap → MSD, one pipeline per container.  All lags (24 bytes per atom per frame), plus
    // per-atom curves for the error bar of D.
    const materia::msd_options mo{.max_lag = 0, .block = 0, .per_atom = true, .threads = 1};
    materia::unwrapper unwrap, unwrap_eig, unwrap_xt;  // image flags if given, else fractional displacements
    materia::msd_accumulator msd(species, mo), msd_eig(species, mo), msd_xt(species, mo);
    for (std::size_t f = 0; f < frames; ++f) {
        msd.add_frame(unwrap.next(traj_vec[f], cell));
        const auto rows = static_cast<Eigen::Index>(n);
        msd_eig.add_frame(unwrap_eig.next(traj_eig.middleRows(static_cast<Eigen::Index>(f) * rows, rows), cell));
        msd_xt.add_frame(unwrap_xt.next(traj_xt[f], cell));
    }
    const materia::msd_result res = msd.result();
    const materia::msd_result res_eig = msd_eig.result(), res_xt = msd_xt.result();
    if (res.msd != res_eig.msd || res.msd != res_xt.msd || res.msd_atom != res_eig.msd_atom ||
        res.msd_atom != res_xt.msd_atom)
        throw std::runtime_error("container mismatch: MSD from std::vector, Eigen and xtensor differ");
    std::printf("std::vector frames, Eigen trajectory blocks and xtensor frames: identical MSD (%zu lags)\n",
                res.msd.size());
    std::vector<double> t(res.lag.size());
    for (std::size_t m = 0; m < t.size(); ++m) t[m] = dt * static_cast<double>(m);
    const auto fit = materia::fit_diffusion(t, res.msd, 0.1 * t.back(), 0.5 * t.back());
    // Error bar from the scatter of per-atom D (the slope error of one fit through the correlated
    // MSD points, fit.D_cm2_s_stderr, is far too small).
    const auto atoms = materia::fit_diffusion_atoms(t, res.msd_atom, 0.1 * t.back(), 0.5 * t.back());
    const auto alpha = materia::local_exponent(t, res.msd);
    std::printf("MSD(%.1f ps) = %.4f A^2 (exact %.4f)\n", t[20], res.msd[20], 3 * sigma * sigma * 20);
    std::printf("D = %.4e +- %.1e cm^2/s (exact %.4e), alpha(10 ps) = %.3f\n", fit.D_cm2_s, atoms.D_cm2_s_stderr,
                sigma * sigma / (2 * dt) * materia::angstrom2_per_ps_to_cm2_per_s, alpha[20]);

    // Reordered MSD′: two identical atoms that swap sites in a simple-cubic lattice count as no motion.
    std::vector<materia::vec3> sites;
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            for (int k = 0; k < 4; ++k) sites.push_back({2.5 * i, 2.5 * j, 2.5 * k});
    auto swapped = sites;
    std::swap(swapped[0], swapped[1]);
    const materia::reordered_msd rm(sites, materia::species_list::uniform(sites.size(), "H"));
    const auto r = rm.evaluate(swapped, cell);
    std::printf("swap of two neighbours: MSD = %.4f A^2, MSD' = %.4f A^2, %zu atoms exchanged\n", r.msd_identity, r.msd,
                r.exchanged);
    const bool ok = std::abs(fit.D_cm2_s / 1e-6 - 1.0) < 0.15 && r.msd == 0.0;
    return ok ? 0 : 1;
} catch (const std::exception& e) {
    std::fprintf(stderr, "dynamics_msd: %s\n", e.what());
    return 1;
}
