// examples/supercon_whh.cpp — from R(T) sweeps at several fields to Hc2(0), the materia way.
//
//   1. tc_from_rt / hc2_line_from_sweeps: Tc(H) by one criterion (here the 50 % midpoint);
//   2. hc2_slope_at_tc: dHc2/dT at Tc by a straight-line fit near Tc, with errors;
//   3. whh_hc2_dirty / _clean / _full: the WHH estimates (0.693, 0.727, full equation with α, λ_so);
//   4. fit_whh, fit_gl: fits of whole curves (each with its own Hc2(0));
//   5. pauli_limit, maki_alpha_from_slope, gl_coherence_length_nm.
// The sweeps are synthetic (a WHH line with Tc = 7 K, dHc2/dT = −2 T/K), so every printed number
// can be compared with the truth printed next to it.  Exit status 0 when all agree.
//
// Data containers: the functions take std::span<const double> (T in K, R in Ω, H in T), so a
// std::vector and a 1-D xt::xtensor pass directly (contiguous ranges convert implicitly) and an
// Eigen::VectorXd passes through materia::as_span(v) (adapt/eigen.hpp; Eigen 3.4's iterators
// are not C++20 contiguous iterators, so std::span does not convert it by itself) — views, no copies.  Steps 1 and 4 are repeated from Eigen and xtensor
// storage and must give identical numbers.
#include <materia/adapt/eigen.hpp>
#include <materia/numerics/roots.hpp>
#include <materia/supercon/gl.hpp>
#include <materia/supercon/hc2_slope.hpp>
#include <materia/supercon/pauli.hpp>
#include <materia/supercon/tc.hpp>
#include <materia/supercon/whh.hpp>

#include <Eigen/Core>
#include <xtensor/xtensor.hpp>

#include <cmath>
#include <cstdio>
#include <span>
#include <vector>

namespace {
// The same numbers in the other two containers a user may hold them in.
Eigen::VectorXd to_eigen(const std::vector<double>& v) {
    return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}
xt::xtensor<double, 1> to_xtensor(const std::vector<double>& v) {
    xt::xtensor<double, 1> x = xt::zeros<double>({v.size()});
    for (std::size_t i = 0; i < v.size(); ++i) x(i) = v[i];
    return x;
}
}  // namespace

int main() {
    const double tc0 = 7.0, slope = -2.0;  // truth (K, T/K)
    const std::vector<double> fields{0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0};

    // Synthetic sweeps: R = R_N(T)·½(1 + tanh((T − Tc(H))/0.08 K)), R_N = 12 + 0.3 T Ω.
    std::vector<std::vector<double>> Ts(fields.size()), Rs(fields.size());
    std::vector<materia::rt_sweep> sweeps;
    for (std::size_t k = 0; k < fields.size(); ++k) {
        double tc = tc0;
        if (fields[k] > 0) {
            auto g = [&](double T) { return materia::whh_hc2(T, tc0, slope) - fields[k]; };
            tc = materia::brent_find_root(g, 1e-3, tc0 * (1 - 1e-9)).root;
        }
        for (int i = 0; i < 160; ++i) {
            const double T = tc - 1.2 + 0.015 * i;
            Ts[k].push_back(T);
            Rs[k].push_back((12.0 + 0.3 * T) * 0.5 * (1.0 + std::tanh((T - tc) / 0.08)));
        }
        sweeps.push_back({fields[k], Ts[k], Rs[k]});
    }
    const auto zero_field = materia::tc_from_rt(Ts[0], Rs[0]);  // std::vector
    const Eigen::VectorXd T_eig = to_eigen(Ts[0]), R_eig = to_eigen(Rs[0]);
    const auto zf_eig = materia::tc_from_rt(materia::as_span(T_eig), materia::as_span(R_eig));  // Eigen, via as_span
    const auto zf_xt = materia::tc_from_rt(to_xtensor(Ts[0]), to_xtensor(Rs[0]));  // xtensor, implicit span
    const bool same_tc = zf_eig.t50 == zero_field.t50 && zf_xt.t50 == zero_field.t50 &&
                         zf_eig.onset == zero_field.onset && zf_xt.onset == zero_field.onset &&
                         zf_eig.width == zero_field.width && zf_xt.width == zero_field.width;
    std::printf("H = 0 sweep: onset %.4f K, 90%% %.4f K, 50%% %.4f K, 10%% %.4f K, zero %.4f K, width %.4f K\n",
                zero_field.onset, zero_field.t90, zero_field.t50, zero_field.t10, zero_field.zero, zero_field.width);

    const auto line = materia::hc2_line_from_sweeps(sweeps, materia::tc_criterion::fraction_50);
    const auto lin = materia::hc2_slope_at_tc(line.T, line.H);
    std::printf("slope fit (%zu points near Tc): Tc = %.4f ± %.4f K, dHc2/dT = %.4f ± %.4f T/K (truth %.1f, %.1f)\n",
                lin.n_used, lin.tc.value, lin.tc.error, lin.slope.value, lin.slope.error, tc0, slope);
    const auto dirty = materia::whh_hc2_dirty(lin), clean = materia::whh_hc2_clean(lin);
    const auto full = materia::whh_hc2_full(lin, {0.5, 0.2});
    std::printf("WHH dirty %.3f ± %.3f T, clean %.3f ± %.3f T, full(α=0.5, λ=0.2) %.3f ± %.3f T\n", dirty.value,
                dirty.error, clean.value, clean.error, full.value, full.error);

    const auto wf = materia::fit_whh(line.T, line.H);
    const Eigen::VectorXd lt_eig = to_eigen(line.T), lh_eig = to_eigen(line.H);
    const auto wf_eig = materia::fit_whh(materia::as_span(lt_eig), materia::as_span(lh_eig));
    const auto wf_xt = materia::fit_whh(to_xtensor(line.T), to_xtensor(line.H));
    const bool same_whh = wf_eig.hc2_zero.value == wf.hc2_zero.value && wf_xt.hc2_zero.value == wf.hc2_zero.value &&
                          wf_eig.tc.value == wf.tc.value && wf_xt.tc.value == wf.tc.value &&
                          wf_eig.hc2_zero.error == wf.hc2_zero.error && wf_xt.hc2_zero.error == wf.hc2_zero.error;
    std::printf("std::vector, Eigen::VectorXd and xt::xtensor<double,1>: identical Tc (%s) and WHH fit (%s)\n",
                same_tc ? "yes" : "NO", same_whh ? "yes" : "NO");
    const double truth_h0 = materia::whh_dirty_factor_exact * tc0 * -slope;
    std::printf("full WHH curve fit: Tc = %.4f K, slope = %.4f T/K, Hc2(0) = %.4f ± %.4f T (truth %.4f T)\n",
                wf.tc.value, wf.slope.value, wf.hc2_zero.value, wf.hc2_zero.error, truth_h0);
    const auto gl = materia::fit_gl(line.T, line.H);
    std::printf("GL fit: Hc2(0) = %.3f ± %.3f T (its own factor 1 — not comparable with 0.693·Tc·|slope|)\n",
                gl.hc2_zero.value, gl.hc2_zero.error);
    const auto hp = materia::pauli_limit(lin.tc);
    std::printf("Pauli limit 1.84·Tc = %.3f T, Maki α ≈ %.3f, ξ_GL(0) = %.3f nm\n", hp.value,
                materia::maki_alpha_from_slope(lin.slope.value), materia::gl_coherence_length_nm(dirty).value);
    const auto curve = materia::whh_hc2_curve({3.0, 0.0}, 50);
    std::printf("α = 3, λ_so = 0: %s\n", curve.multivalued ? curve.message.c_str() : "monotonic");

    const bool ok = std::abs(wf.hc2_zero.value - truth_h0) < 0.01 * truth_h0 && std::abs(lin.tc.value - tc0) < 0.02 &&
                    std::abs(zero_field.t50 - tc0) < 1e-3 && curve.multivalued && same_tc && same_whh;
    std::printf("%s\n", ok ? "OK" : "MISMATCH");
    return ok ? 0 : 1;
}
