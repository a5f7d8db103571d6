// benchmarks/bench_fit.cpp — speed of the Debye + 3 Einstein heat-capacity fit (the case of
// /work/shared/peers/scipy_fit.py) and of the automatic mode selection.
//
// Data: if the environment variable MATERIA_FIT_DATA names a file written by scipy_fit.py
// (columns T, C/T, sigma, exact), that file is fitted — benchmarks/compare_fit.py does this so both
// codes fit the same points.  Otherwise 60 points on T = 2..32 K with 1 % deterministic noise are
// synthesised from the same truth.  Starting point: scipy_fit.py's p0 = truth·[1.3, 0.8, 0.7, 1.3,
// 0.8, 1.15, 0.9, 1.1].
#include <benchmark/benchmark.h>

#include <materia/numerics/least_squares.hpp>
#include <materia/thermo/heat_capacity_fit.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct dataset {
    std::vector<double> T, y, sigma;
};

materia::low_t_model truth() {
    materia::low_t_model m;
    m.gamma = 5e-3;
    m.beta = materia::debye_beta_from_theta(250.0, 1.0);
    const double R3 = 3.0 * materia::gas_constant;
    m.terms = {{R3 * 0.05, 32.8}, {R3 * 0.2, 61.1}, {R3 * 0.6, 114.0}};
    return m;
}

materia::low_t_model start() {
    const materia::low_t_model t = truth();
    materia::low_t_model s;
    s.gamma = t.gamma * 1.3;
    s.beta = t.beta * 0.8;
    s.terms = {{t.terms[0].amplitude * 0.7, 32.8 * 1.15},
               {t.terms[1].amplitude * 1.3, 61.1 * 0.9},
               {t.terms[2].amplitude * 0.8, 114.0 * 1.1}};
    return s;
}

const dataset& data() {
    static const dataset d = [] {
        dataset out;
        if (const char* path = std::getenv("MATERIA_FIT_DATA")) {
            std::ifstream f(path);
            std::string line;
            while (std::getline(f, line)) {
                if (line.empty() || line[0] == '#') continue;
                std::istringstream is(line);
                double a = 0, b = 0, c = 0;
                is >> a >> b >> c;
                out.T.push_back(a);
                out.y.push_back(b);
                out.sigma.push_back(c);
            }
        }
        if (out.T.empty()) {
            const materia::low_t_model m = truth();
            std::mt19937_64 gen(42);
            for (int i = 0; i < 60; ++i) {
                const double t = 2.0 + 30.0 * i / 59.0;
                const double u1 = (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53;
                const double u2 = (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53;
                const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
                const double y0 = m.c_over_t(t);
                out.T.push_back(t);
                out.sigma.push_back(0.01 * y0);
                out.y.push_back(y0 + 0.01 * y0 * z);
            }
        }
        return out;
    }();
    return d;
}

// The comparison case: LM with the analytic Jacobian from scipy_fit.py's p0, absolute σ.
void BM_debye3einstein_analytic(benchmark::State& state) {
    const dataset& d = data();
    materia::cp_fit_options o;
    o.lsq.absolute_sigma = true;
    const materia::low_t_model s = start();
    int it = 0;
    for (auto _ : state) {
        auto r = materia::fit_low_t_c_over_t_from(d.T, d.y, d.sigma, s, o);
        it = r.fit.iterations;
        benchmark::DoNotOptimize(r.fit.params.data());
    }
    state.counters["iterations"] = it;
    state.counters["points"] = static_cast<double>(d.T.size());
}
BENCHMARK(BM_debye3einstein_analytic)->Unit(benchmark::kMicrosecond);

// Same fit through the generic engine with a forward-difference Jacobian (as curve_fit uses).
void BM_debye3einstein_finite_difference(benchmark::State& state) {
    const dataset& d = data();
    const std::vector<double> pv = start().to_params();
    const Eigen::VectorXd p0 = Eigen::Map<const Eigen::VectorXd>(pv.data(), 8);
    materia::lsq_options o;
    o.absolute_sigma = true;
    o.lower = {0, 0, 0, 0, 0, 0, 0, 0};
    o.upper = {1, 1, 100, 100, 100, 500, 500, 500};
    auto model = [](double t, const Eigen::VectorXd& p) { return materia::low_t_c_over_t(t, p, 8); };
    int it = 0;
    for (auto _ : state) {
        auto r = materia::curve_fit(model, d.T, d.y, d.sigma, p0, o);
        it = r.iterations;
        benchmark::DoNotOptimize(r.params.data());
    }
    state.counters["iterations"] = it;
}
BENCHMARK(BM_debye3einstein_finite_difference)->Unit(benchmark::kMicrosecond);

// No starting values: Θ-grid variable projection + LM refinement of the best combinations.
void BM_debye3einstein_grid_start(benchmark::State& state) {
    const dataset& d = data();
    for (auto _ : state) {
        auto r = materia::fit_low_t_c_over_t(d.T, d.y, d.sigma, 3);
        benchmark::DoNotOptimize(r.fit.params.data());
    }
}
BENCHMARK(BM_debye3einstein_grid_start)->Unit(benchmark::kMicrosecond);

// Full model selection K = 0..4 on Cp data (what `materia cpfit --einstein auto` does).
void BM_cpfit_auto_K0to4(benchmark::State& state) {
    const dataset& d = data();
    std::vector<double> cp(d.T.size());
    for (std::size_t i = 0; i < cp.size(); ++i) cp[i] = d.y[i] * d.T[i];
    materia::cp_fit_options o;
    o.einstein_terms = -1;
    for (auto _ : state) {
        auto r = materia::fit_heat_capacity(d.T, cp, o);
        benchmark::DoNotOptimize(r.selected);
    }
}
BENCHMARK(BM_cpfit_auto_K0to4)->Unit(benchmark::kMillisecond);

}  // namespace
