// materia/numerics/fft.hpp — a small complex discrete Fourier transform for any length.
//
// Entry points: materia::fft_plan (a reusable plan for one length n: forward(), inverse()),
// materia::fft(data) / materia::ifft(data) (one-shot conveniences), materia::next_power_of_two(n).
//
// Convention (numpy.fft): forward X_k = Σ_j x_j e^{−2πi jk/n}; inverse x_j = (1/n) Σ_k X_k e^{+2πi jk/n}.
//
// Method: power-of-two lengths use an iterative radix-2 Cooley–Tukey transform (bit-reversal
// permutation, then log2 n butterfly passes).  Every other length uses Bluestein's chirp-z
// algorithm (Bluestein 1970; Rabiner, Schafer & Rader 1969), which rewrites the length-n DFT as a
// convolution computed with power-of-two transforms of length m ≥ 2n − 1.  Cost O(n log n) for
// every n.
//
// Accuracy (measured in tests/dynamics/test_fft.cpp against a naive O(n²) DFT evaluated in long
// double): the twiddle factors are evaluated directly with std::polar for every
// index (never by recurrence, whose error grows linearly), so the relative RMS error is
// ~ε·log2(n) (ε = 2.2e-16): below 1e-15·log2 n for radix-2 and a few times that for Bluestein
// (the chirp e^{−iπ j²/n} is evaluated from j² mod 2n in integer arithmetic so that its phase stays
// exact for large j).  A forward+inverse round trip reproduces the input to ~1e-15 relative.
#pragma once

#include <materia/core/error.hpp>

#include <complex>
#include <cstddef>
#include <numbers>
#include <utility>
#include <vector>

namespace materia {

/// Smallest power of two ≥ n (1 for n = 0).
/// \throws materia::invalid_argument when the result would overflow std::size_t.
[[nodiscard]] inline std::size_t next_power_of_two(std::size_t n) {
    std::size_t p = 1;
    while (p < n) {
        if (p > (static_cast<std::size_t>(-1) >> 1)) throw_invalid("next_power_of_two: n too large (got ", n, ")");
        p <<= 1;
    }
    return p;
}

/// A precomputed discrete Fourier transform of one length n (any n ≥ 1).
///
/// A plan is immutable after construction, so one plan may be used from several threads at once as
/// long as each thread passes its own data (the Bluestein path uses a per-call scratch buffer, or
/// the caller-provided one).
class fft_plan {
public:
    using complex = std::complex<double>;

    fft_plan() = default;

    /// Plan for length n.  \throws materia::invalid_argument for n == 0.
    explicit fft_plan(std::size_t n) : m_n(n) {
        if (n == 0) throw_invalid("fft_plan: length must be positive (got ", n, ")");
        if (is_power_of_two(n)) {
            init_radix2(n, m_twiddle, m_bitrev);
            return;
        }
        // Bluestein: X_k = conj(w_k) Σ_j (x_j conj(w_j)) w_{k−j}, with chirp w_j = e^{+iπ j²/n}.
        m_m = next_power_of_two(2 * n - 1);
        init_radix2(m_m, m_twiddle, m_bitrev);
        m_chirp.resize(n);
        // j² mod 2n, updated exactly in integers ((j+1)² = j² + 2j + 1): π j²/n is periodic in j² with
        // period 2n, so the phase argument stays small and exact however large j gets.
        const std::size_t two_n = 2 * n;
        std::size_t jj = 0;
        for (std::size_t j = 0; j < n; ++j) {
            const double phase = std::numbers::pi * static_cast<double>(jj) / static_cast<double>(n);
            m_chirp[j] = std::polar(1.0, phase);
            jj = (jj + (2 * j + 1) % two_n) % two_n;
        }
        // Spectrum of the (circularly arranged) chirp b_j = w_j for |j| < n.
        m_chirp_fft.assign(m_m, complex(0, 0));
        m_chirp_fft[0] = m_chirp[0];
        for (std::size_t j = 1; j < n; ++j) m_chirp_fft[j] = m_chirp_fft[m_m - j] = m_chirp[j];
        radix2(m_chirp_fft.data(), false);
    }

    /// Transform length n.
    [[nodiscard]] std::size_t size() const noexcept { return m_n; }

    /// In-place forward transform X_k = Σ_j x_j e^{−2πi jk/n}.
    /// \throws materia::invalid_argument when data.size() != size().
    void forward(std::vector<complex>& data) const {
        check(data.size());
        std::vector<complex> scratch;
        transform(data.data(), false, scratch);
    }
    /// In-place inverse transform x_j = (1/n) Σ_k X_k e^{+2πi jk/n}.
    /// \throws materia::invalid_argument when data.size() != size().
    void inverse(std::vector<complex>& data) const {
        check(data.size());
        std::vector<complex> scratch;
        transform(data.data(), true, scratch);
        scale(data.data(), 1.0 / static_cast<double>(m_n));
    }

    /// Unchecked in-place transform of n values at `data`; the inverse is NOT scaled by 1/n here.
    /// `scratch` is reused between calls (only the Bluestein path needs it).
    void transform(complex* data, bool inverse, std::vector<complex>& scratch) const {
        if (m_m == 0) {
            radix2(data, inverse);
            return;
        }
        bluestein(data, inverse, scratch);
    }

private:
    static bool is_power_of_two(std::size_t n) noexcept { return n != 0 && (n & (n - 1)) == 0; }

    static void init_radix2(std::size_t n, std::vector<complex>& tw, std::vector<std::size_t>& rev) {
        // tw[k] = e^{−2πi k/n}, k < n/2, each evaluated directly (no recurrence error growth).
        tw.resize(n / 2);
        for (std::size_t k = 0; k < n / 2; ++k)
            tw[k] = std::polar(1.0, -2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(n));
        rev.assign(n, 0);
        std::size_t bits = 0;
        while ((std::size_t{1} << bits) < n) ++bits;
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t r = 0;
            for (std::size_t b = 0; b < bits; ++b)
                if (i & (std::size_t{1} << b)) r |= std::size_t{1} << (bits - 1 - b);
            rev[i] = r;
        }
    }

    // Iterative radix-2 on the plan's power-of-two length (m_n, or m_m for Bluestein).
    void radix2(complex* a, bool inverse) const {
        const std::size_t n = m_bitrev.size();
        for (std::size_t i = 0; i < n; ++i)
            if (i < m_bitrev[i]) std::swap(a[i], a[m_bitrev[i]]);
        for (std::size_t len = 2; len <= n; len <<= 1) {
            const std::size_t half = len / 2;
            const std::size_t step = n / len;
            for (std::size_t i = 0; i < n; i += len) {
                for (std::size_t k = 0; k < half; ++k) {
                    complex w = m_twiddle[k * step];
                    if (inverse) w = std::conj(w);
                    // Written out: std::complex operator* checks for NaN/inf (slow, C99 Annex G).
                    const complex& v0 = a[i + k + half];
                    const double re = v0.real() * w.real() - v0.imag() * w.imag();
                    const double im = v0.real() * w.imag() + v0.imag() * w.real();
                    const complex u = a[i + k];
                    a[i + k] = complex(u.real() + re, u.imag() + im);
                    a[i + k + half] = complex(u.real() - re, u.imag() - im);
                }
            }
        }
    }

    void bluestein(complex* x, bool inverse, std::vector<complex>& buf) const {
        // The inverse DFT is conj(forward(conj(x))) (unscaled).
        buf.assign(m_m, complex(0, 0));
        for (std::size_t j = 0; j < m_n; ++j) {
            const complex xj = inverse ? std::conj(x[j]) : x[j];
            buf[j] = xj * std::conj(m_chirp[j]);
        }
        radix2(buf.data(), false);
        for (std::size_t k = 0; k < m_m; ++k) buf[k] *= m_chirp_fft[k];
        radix2(buf.data(), true);
        const double inv_m = 1.0 / static_cast<double>(m_m);
        for (std::size_t k = 0; k < m_n; ++k) {
            const complex X = buf[k] * std::conj(m_chirp[k]) * inv_m;
            x[k] = inverse ? std::conj(X) : X;
        }
    }

    void check(std::size_t got) const {
        if (got != m_n || m_n == 0) throw_invalid("fft_plan: data length ", got, " does not match the plan length ", m_n);
    }
    static void scale(complex* a, std::size_t n, double s) noexcept {
        for (std::size_t i = 0; i < n; ++i) a[i] *= s;
    }
    void scale(complex* a, double s) const noexcept { scale(a, m_n, s); }

    std::size_t m_n = 0;
    std::size_t m_m = 0;  // Bluestein convolution length (0 for a power-of-two plan)
    std::vector<complex> m_twiddle;
    std::vector<std::size_t> m_bitrev;
    std::vector<complex> m_chirp;
    std::vector<complex> m_chirp_fft;
};

/// Forward DFT of any length (builds a plan; keep an fft_plan to transform many arrays).
/// \throws materia::invalid_argument for empty input.
[[nodiscard]] inline std::vector<std::complex<double>> fft(std::vector<std::complex<double>> x) {
    if (x.empty()) throw_invalid("fft: input must not be empty (got length 0)");
    fft_plan(x.size()).forward(x);
    return x;
}

/// Inverse DFT (with the 1/n factor) of any length.
/// \throws materia::invalid_argument for empty input.
[[nodiscard]] inline std::vector<std::complex<double>> ifft(std::vector<std::complex<double>> x) {
    if (x.empty()) throw_invalid("ifft: input must not be empty (got length 0)");
    fft_plan(x.size()).inverse(x);
    return x;
}

}  // namespace materia
