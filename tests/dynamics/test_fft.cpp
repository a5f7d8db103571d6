// Tests for materia/numerics/fft.hpp: radix-2 and Bluestein against a naive DFT in long double.
#include <doctest/doctest.h>

#include <materia/numerics/fft.hpp>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <vector>

namespace {

using cd = std::complex<double>;

std::vector<cd> random_signal(std::size_t n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<cd> x(n);
    for (auto& v : x) v = cd(g(rng), g(rng));
    return x;
}

// Naive O(n²) DFT in long double (the reference), sign −1 forward.
std::vector<cd> naive_dft(const std::vector<cd>& x, bool inverse) {
    const std::size_t n = x.size();
    std::vector<cd> out(n);
    const long double pi = std::numbers::pi_v<long double>;
    for (std::size_t k = 0; k < n; ++k) {
        long double re = 0, im = 0;
        for (std::size_t j = 0; j < n; ++j) {
            const std::size_t jk = (j * k) % n;  // exact phase reduction
            const long double ph = (inverse ? 2 : -2) * pi * static_cast<long double>(jk) / static_cast<long double>(n);
            const long double c = std::cos(ph), s = std::sin(ph);
            re += static_cast<long double>(x[j].real()) * c - static_cast<long double>(x[j].imag()) * s;
            im += static_cast<long double>(x[j].real()) * s + static_cast<long double>(x[j].imag()) * c;
        }
        if (inverse) {
            re /= static_cast<long double>(n);
            im /= static_cast<long double>(n);
        }
        out[k] = cd(static_cast<double>(re), static_cast<double>(im));
    }
    return out;
}

// Relative RMS error ‖a − b‖ / ‖b‖.
double rel_rms(const std::vector<cd>& a, const std::vector<cd>& b) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        num += std::norm(a[i] - b[i]);
        den += std::norm(b[i]);
    }
    return std::sqrt(num / den);
}

}  // namespace

TEST_SUITE("numerics.fft") {

TEST_CASE("fft: radix-2 lengths agree with a naive long-double DFT to ~1e-15") {
    for (std::size_t n : {1u, 2u, 4u, 8u, 16u, 64u, 256u, 512u}) {
        CAPTURE(n);
        const auto x = random_signal(n, 11 + static_cast<unsigned>(n));
        const auto X = materia::fft(x);
        const double err = rel_rms(X, naive_dft(x, false));
        CHECK(err < 1e-15 * (1.0 + std::log2(static_cast<double>(n))));
        const auto back = materia::ifft(X);
        CHECK(rel_rms(back, x) < 1e-15 * (1.0 + std::log2(static_cast<double>(n))));
    }
}

TEST_CASE("fft: Bluestein (non power-of-two) lengths agree with the naive DFT") {
    for (std::size_t n : {3u, 5u, 6u, 7u, 12u, 100u, 257u, 480u}) {
        CAPTURE(n);
        const auto x = random_signal(n, 97 + static_cast<unsigned>(n));
        const auto X = materia::fft(x);
        CHECK(rel_rms(X, naive_dft(x, false)) < 1e-14);
        const auto xi = materia::ifft(x);
        CHECK(rel_rms(xi, naive_dft(x, true)) < 1e-14);
        CHECK(rel_rms(materia::ifft(X), x) < 1e-14);
    }
}

TEST_CASE("fft: analytic transforms (delta, constant, single harmonic)") {
    for (std::size_t n : {8u, 9u}) {
        CAPTURE(n);
        std::vector<cd> delta(n, cd(0, 0));
        delta[0] = 1;
        for (const auto& v : materia::fft(delta)) {
            CHECK(v.real() == doctest::Approx(1.0).epsilon(1e-15));
            CHECK(std::abs(v.imag()) < 1e-15);
        }
        std::vector<cd> harmonic(n);
        const std::size_t k0 = 3;
        for (std::size_t j = 0; j < n; ++j)
            harmonic[j] = std::polar(1.0, 2 * std::numbers::pi * static_cast<double>(k0 * j) / static_cast<double>(n));
        const auto H = materia::fft(harmonic);
        for (std::size_t k = 0; k < n; ++k) {
            const double expect = k == k0 ? static_cast<double>(n) : 0.0;
            CHECK(std::abs(H[k] - cd(expect, 0)) < 1e-13);
        }
    }
}

TEST_CASE("fft: Parseval's theorem and linearity") {
    const auto x = random_signal(300, 5);
    const auto y = random_signal(300, 6);
    const auto X = materia::fft(x), Y = materia::fft(y);
    double ex = 0, eX = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        ex += std::norm(x[i]);
        eX += std::norm(X[i]);
    }
    CHECK(eX / 300.0 == doctest::Approx(ex).epsilon(1e-13));
    std::vector<cd> s(300);
    for (std::size_t i = 0; i < 300; ++i) s[i] = 2.0 * x[i] - y[i];
    const auto S = materia::fft(s);
    std::vector<cd> expect(300);
    for (std::size_t i = 0; i < 300; ++i) expect[i] = 2.0 * X[i] - Y[i];
    CHECK(rel_rms(S, expect) < 1e-14);
}

TEST_CASE("fft: a plan is reusable and next_power_of_two is right") {
    const materia::fft_plan plan(12);
    CHECK(plan.size() == 12);
    for (unsigned seed = 0; seed < 3; ++seed) {
        auto x = random_signal(12, seed);
        auto X = x;
        plan.forward(X);
        CHECK(rel_rms(X, naive_dft(x, false)) < 1e-14);
        plan.inverse(X);
        CHECK(rel_rms(X, x) < 1e-14);
    }
    CHECK(materia::next_power_of_two(0) == 1);
    CHECK(materia::next_power_of_two(1) == 1);
    CHECK(materia::next_power_of_two(5) == 8);
    CHECK(materia::next_power_of_two(1024) == 1024);
    CHECK(materia::next_power_of_two(1025) == 2048);
}

TEST_CASE("fft: bad input is refused") {
    CHECK_THROWS_AS(materia::fft_plan(0), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::fft({}), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::ifft({}), materia::invalid_argument);
    const materia::fft_plan plan(8);
    std::vector<cd> wrong(7);
    CHECK_THROWS_AS(plan.forward(wrong), materia::invalid_argument);
    CHECK_THROWS_AS(plan.inverse(wrong), materia::invalid_argument);
}

}  // TEST_SUITE
