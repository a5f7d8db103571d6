// Tests of materia/supercon/tc.hpp: Tc criteria from synthetic R(T) sweeps with known answers.
#include <doctest/doctest.h>

#include <materia/numerics/roots.hpp>
#include <materia/supercon/tc.hpp>
#include <materia/supercon/whh.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using doctest::Approx;

namespace {

// R(T) = (r0 + r1 T)·½(1 + tanh((T − tc)/w)): the exact fraction-f temperature solves
// ½(1 + tanh((T − tc)/w)) = f  →  T_f = tc + w·atanh(2f − 1) (R_N = r0 + r1 T cancels).
double tanh_rt(double T, double tc, double w, double r0 = 1.0, double r1 = 0.01) {
    return (r0 + r1 * T) * 0.5 * (1.0 + std::tanh((T - tc) / w));
}
double exact_fraction(double f, double tc, double w) { return tc + w * std::atanh(2 * f - 1); }

struct normal_source {
    std::mt19937_64 gen;
    explicit normal_source(std::uint64_t seed) : gen(seed) {}
    double operator()() {
        const double a = (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53;
        const double b = (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53;
        return std::sqrt(-2.0 * std::log(a)) * std::cos(6.283185307179586 * b);
    }
};

}  // namespace

TEST_SUITE("supercon.tc") {

TEST_CASE("tc_from_rt: noise-free tanh transition — fractions, onset and width against closed forms") {
    // The contract-checker curve: T = 2..7.95 step 0.05, tc = 5, w = 0.2, R_N = 1 + 0.01 T.
    std::vector<double> T, R;
    for (int i = 0; i < 120; ++i) {
        T.push_back(2 + 0.05 * i);
        R.push_back(tanh_rt(T.back(), 5.0, 0.2));
    }
    const auto r = materia::tc_from_rt(T, R);
    CHECK(r.normal_slope == Approx(0.01).epsilon(1e-4));
    CHECK(r.normal_intercept == Approx(1.0).epsilon(2e-4));
    // Linear interpolation on a 0.05 K grid of a tanh of width 0.2: error ~ (Δ²/8)|R''/R'| < 3e-3 K.
    CHECK(r.t50 == Approx(5.0).epsilon(1e-3));
    CHECK(r.t90 == Approx(exact_fraction(0.9, 5, 0.2)).epsilon(1e-3));
    CHECK(r.t10 == Approx(exact_fraction(0.1, 5, 0.2)).epsilon(1e-3));
    CHECK(r.width == Approx(2 * 0.2 * std::atanh(0.8)).epsilon(1e-2));
    // Tangent at the midpoint (slope R_N/(2w)) meets R_N at tc + w; the 5-point sliding slope
    // (±0.1 K = ±w/2) averages sech² and lowers the slope by ~7 %, so the onset sits at ~tc + 1.07w.
    CHECK(r.onset > 5.2);
    CHECK(r.onset < 5.22);
    CHECK(r.steepest_T == Approx(5.0).epsilon(1e-9));
    CHECK(r.onset_deviation > r.t90);
    CHECK(r.onset_deviation < 5.6);
    // Zero resistance where R = floor = 1e-3·R_N(T_s): solve tanh_rt(T) = floor exactly.
    CHECK(r.noise_floor == Approx(1e-3 * (1 + 0.01 * 5.0)).epsilon(1e-3));
    const double tz = materia::brent_find_root([&](double t) { return tanh_rt(t, 5.0, 0.2) - r.noise_floor; }, 3.0, 5.0).root;
    CHECK(r.zero < r.t10);
    CHECK(r.zero == Approx(tz).epsilon(2e-3));
    CHECK(r.crossings_50 == 1);
    // Ordering of criteria.
    CHECK(r.zero < r.t10);
    CHECK(r.t10 < r.t50);
    CHECK(r.t50 < r.t90);
    CHECK(r.onset < r.t90);  // tangent onset tc + w lies below the 90 % point tc + 1.0986 w
    CHECK(r.value(materia::tc_criterion::fraction_50) == r.t50);
}

TEST_CASE("tc_from_rt: unsorted input gives the same answer as sorted input") {
    std::vector<double> T, R;
    for (int i = 0; i < 80; ++i) {
        T.push_back(3 + 0.06 * i);
        R.push_back(tanh_rt(T.back(), 4.5, 0.15, 2.0, 0.05));
    }
    const auto a = materia::tc_from_rt(T, R);
    std::vector<std::size_t> perm(T.size());
    for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = (i * 37) % perm.size();  // 37 coprime to 80
    std::vector<double> Tp, Rp;
    for (auto k : perm) {
        Tp.push_back(T[k]);
        Rp.push_back(R[k]);
    }
    const auto b = materia::tc_from_rt(Tp, Rp);
    CHECK(a.t50 == b.t50);
    CHECK(a.t90 == b.t90);
    CHECK(a.zero == b.zero);
    CHECK(a.onset == b.onset);
}

TEST_CASE("tc_from_rt: noisy sweep (seeded) recovers the midpoint within the noise-limited error") {
    normal_source z(11);
    std::vector<double> T, R;
    for (int i = 0; i < 300; ++i) {
        T.push_back(2 + 0.02 * i);
        R.push_back(tanh_rt(T.back(), 5.0, 0.2) + 0.003 * z());
    }
    const auto r = materia::tc_from_rt(T, R);
    CHECK(r.t50 == Approx(5.0).epsilon(3e-3));
    CHECK(r.t90 == Approx(exact_fraction(0.9, 5, 0.2)).epsilon(4e-3));
    CHECK(r.t10 == Approx(exact_fraction(0.1, 5, 0.2)).epsilon(4e-3));
    CHECK(r.normal_sigma == Approx(0.003).epsilon(0.3));
    // Floor = median + 3σ of the baseline ≈ 3·0.003; zero T lies below the 10 % point.
    CHECK(r.noise_floor == Approx(0.009).epsilon(0.35));
    CHECK(r.zero < r.t10);
    CHECK(r.zero > 4.0);
}

TEST_CASE("tc_from_rt: a non-monotonic glitch in the transition — highest crossing for 90 %/50 %") {
    std::vector<double> T, R;
    for (int i = 0; i < 100; ++i) {
        T.push_back(2 + 0.05 * i);
        R.push_back(tanh_rt(T.back(), 4.0, 0.2));
    }
    // A bump: at T = 3.0 (well below the transition) R jumps above 50 % of R_N for one point.
    const auto k = static_cast<std::size_t>(20);
    R[k] = 0.6;
    const auto r = materia::tc_from_rt(T, R);
    CHECK(r.crossings_50 == 2);
    CHECK(r.t50 == Approx(4.0).epsilon(1e-3));  // highest crossing, not the glitch
    // Zero resistance is the LOWEST crossing of the floor: just below the glitch.
    CHECK(r.zero < 3.0);
    CHECK(r.zero > 2.9);
}

TEST_CASE("tc_from_rt: criteria not reached give NaN; a user noise floor and window are honoured") {
    // Sweep that only reaches 30 % of R_N at the lowest T (T = 5 + 0.2 atanh(−0.4) = 4.915):
    // no 10 % point, no zero resistance.
    std::vector<double> T, R;
    for (int i = 0; i < 60; ++i) {
        T.push_back(4.92 + 0.03 * i);
        R.push_back(tanh_rt(T.back(), 5.0, 0.2));
    }
    const auto r = materia::tc_from_rt(T, R);
    CHECK(std::isnan(r.t10));
    CHECK(std::isnan(r.zero));
    CHECK(std::isnan(r.width));
    CHECK(r.t50 == Approx(5.0).epsilon(2e-3));
    materia::tc_options o;
    o.normal_from = 5.8;
    o.normal_to = 6.4;
    o.noise_floor = 0.25;
    const auto u = materia::tc_from_rt(T, R, o);
    CHECK(u.normal_from >= 5.8);
    CHECK(u.normal_to <= 6.4);
    CHECK(u.noise_floor == 0.25);
    CHECK(std::isnan(u.zero));  // the lowest point (R ≈ 0.31) is above 0.25
}

TEST_CASE("tc_from_rt: bad input throws") {
    std::vector<double> T{1, 2, 3, 4, 5, 6, 7}, R{0, 0, 0, 1, 1, 1, 1};
    CHECK_THROWS_AS((void)materia::tc_from_rt(T, R), materia::invalid_argument);  // < 8 points
    T.push_back(8);
    R.push_back(std::numeric_limits<double>::quiet_NaN());
    CHECK_THROWS_AS((void)materia::tc_from_rt(T, R), materia::invalid_argument);
    R.back() = 1.0;
    std::vector<double> Rshort(5, 1.0);
    CHECK_THROWS_AS((void)materia::tc_from_rt(T, Rshort), materia::invalid_argument);
    // Semiconductor-like R rising on cooling everywhere: no transition.
    std::vector<double> Rsemi;
    for (double t : T) Rsemi.push_back(10.0 / t);
    CHECK_THROWS_AS((void)materia::tc_from_rt(T, Rsemi), materia::domain_error);
    CHECK_THROWS_AS((void)materia::parse_tc_criterion("0.7"), materia::invalid_argument);
    CHECK(materia::parse_tc_criterion("0.9") == materia::tc_criterion::fraction_90);
    CHECK(materia::tc_criterion_name(materia::tc_criterion::zero) == "zero");
}

TEST_CASE("hc2_line_from_sweeps: sweeps generated from a WHH line give back that line and its Hc2(0)") {
    // Tc(H) from the WHH curve (Tc0 = 6 K, slope −1.8 T/K); each sweep a tanh of width 0.1 K at Tc(H).
    const double tc0 = 6.0, slope = -1.8;
    const std::vector<double> fields{0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
    std::vector<std::vector<double>> Ts(fields.size()), Rs(fields.size());
    std::vector<double> tc_true;
    std::vector<materia::rt_sweep> sweeps;
    for (std::size_t k = 0; k < fields.size(); ++k) {
        // Invert H = whh_hc2(T): Brent on T.
        double tc = tc0;
        if (fields[k] > 0) {
            auto g = [&](double t) { return materia::whh_hc2(t, tc0, slope) - fields[k]; };
            tc = materia::brent_find_root(g, 0.01, tc0 * 0.999999).root;
        }
        tc_true.push_back(tc);
        for (int i = 0; i < 200; ++i) {
            Ts[k].push_back(tc - 2.0 + 0.02 * i);
            Rs[k].push_back(tanh_rt(Ts[k].back(), tc, 0.1, 5.0, 0.0));
        }
        sweeps.push_back({fields[k], Ts[k], Rs[k]});
    }
    // An extra sweep with no transition (all normal) must be skipped, not crash.
    std::vector<double> Tn, Rn;
    for (int i = 0; i < 50; ++i) {
        Tn.push_back(2 + 0.1 * i);
        Rn.push_back(5.0 + 0.001 * i);
    }
    sweeps.push_back({9.0, Tn, Rn});
    const auto line = materia::hc2_line_from_sweeps(sweeps, materia::tc_criterion::fraction_50);
    REQUIRE(line.T.size() == fields.size());
    CHECK(line.skipped.size() == 1);
    for (std::size_t k = 0; k < fields.size(); ++k) {
        CHECK(line.H[k] == fields[k]);
        CHECK(line.T[k] == Approx(tc_true[k]).epsilon(1e-3));
    }
    // Full WHH fit of the extracted line recovers Tc0, slope and Hc2(0) = 0.69267·Tc·|slope|.
    const auto f = materia::fit_whh(line.T, line.H);
    CHECK(f.tc.value == Approx(tc0).epsilon(2e-3));
    CHECK(f.slope.value == Approx(slope).epsilon(5e-3));
    CHECK(f.hc2_zero.value == Approx(materia::whh_dirty_factor_exact * tc0 * -slope).epsilon(5e-3));
}

}  // TEST_SUITE
