// materia/core/decimal_format.hpp — fast, exact "%.Pg" formatting of doubles for bulk CSV output.
//
// Entry point: materia::to_chars_general(first, last, x, precision) — the same characters as
// std::to_chars(first, last, x, std::chars_format::general, precision), several times faster for
// the numbers a results table is made of.
//
// Why: `materia hull` writes two rounded energies for each of millions of rows, and libstdc++'s
// precision-general to_chars (Ryu printf, ~80 ns a call) was a fifth of the whole run.  Here the
// rounding is done exactly in integers: x = M·2^E with a 53-bit M, so the P significant digits
// are q = round(M·10^p / 2^−E) with p = P − 1 − X (X the decimal exponent), computed in 128-bit
// arithmetic with the remainder deciding the rounding (ties to even, as to_chars).  No floating
// point is involved, so the result is the correctly rounded one, and the cases this does not
// cover (zero, subnormals, inf/NaN, |x| ≥ 2^53, exponential notation, p > 19) go to
// std::to_chars unchanged.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace materia {

namespace detail {

__extension__ using uint128_t = unsigned __int128;  // __extension__: GCC/Clang builtin, no -Wpedantic noise

inline constexpr std::uint64_t pow10_table[20] = {1ull,
                                                   10ull,
                                                   100ull,
                                                   1000ull,
                                                   10000ull,
                                                   100000ull,
                                                   1000000ull,
                                                   10000000ull,
                                                   100000000ull,
                                                   1000000000ull,
                                                   10000000000ull,
                                                   100000000000ull,
                                                   1000000000000ull,
                                                   10000000000000ull,
                                                   100000000000000ull,
                                                   1000000000000000ull,
                                                   10000000000000000ull,
                                                   100000000000000000ull,
                                                   1000000000000000000ull,
                                                   10000000000000000000ull};

// 10^-20 … 10^22 (index k + 20 holds 10^k).
inline constexpr double pow10_double[43] = {1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10,
                                            1e-9,  1e-8,  1e-7,  1e-6,  1e-5,  1e-4,  1e-3,  1e-2,  1e-1,  1e0,   1e1,
                                            1e2,   1e3,   1e4,   1e5,   1e6,   1e7,   1e8,   1e9,   1e10,  1e11,  1e12,
                                            1e13,  1e14,  1e15,  1e16,  1e17,  1e18,  1e19,  1e20,  1e21,  1e22};

inline constexpr char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// The n decimal digits of q (q < 10^n, 1 ≤ n ≤ 17, leading zeros written) at out[0..n), stored
// two at a time straight into place.  The pairs come from independent quotients (no chain of
// divisions), and nothing is staged in a buffer: reading back freshly stored bytes with wider
// loads stalls the CPU (a failed store-to-load forward) for longer than the digits take.
inline void write_digits(char* out, std::uint64_t q, int n) noexcept {
    const auto lo8 = static_cast<std::uint32_t>(q % 100000000u);
    const std::uint64_t hi = q / 100000000u;
    const auto mid8 = static_cast<std::uint32_t>(hi % 100000000u);
    const auto top = static_cast<std::uint32_t>(hi / 100000000u);  // < 10
    const std::uint32_t pairs[9] = {lo8 % 100,         lo8 / 100 % 100,  lo8 / 10000 % 100, lo8 / 1000000,
                                    mid8 % 100,        mid8 / 100 % 100, mid8 / 10000 % 100, mid8 / 1000000,
                                    top};  // two digits each, lowest first
    char* p = out + n;
    int k = 0;
    for (; n >= 2; n -= 2, ++k) {
        p -= 2;
        std::memcpy(p, digit_pairs + 2 * pairs[k], 2);
    }
    if (n == 1) p[-1] = static_cast<char>('0' + pairs[k]);  // pairs[k] < 10 here since q < 10^n
}

}  // namespace detail

/// Write x as std::to_chars(first, last, x, std::chars_format::general, precision) does (the
/// same characters: `precision` significant digits correctly rounded, trailing zeros removed,
/// fixed notation for decimal exponents −4 … precision−1, else exponential), returning the end
/// pointer.  [first, last) must have room for the result (32 bytes always suffice); precision
/// outside 1 … 17 and every case the fast path does not cover are handed to std::to_chars.
[[nodiscard]] inline char* to_chars_general(char* first, char* last, double x, int precision) noexcept {
    auto fallback = [&] { return std::to_chars(first, last, x, std::chars_format::general, precision).ptr; };
    if (precision < 1 || precision > 17 || last - first < 32) return fallback();
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    const auto biased = static_cast<int>((bits >> 52) & 0x7ff);
    if (biased == 0 || biased == 0x7ff) return fallback();  // zero, subnormal, inf, NaN
    const std::uint64_t mantissa = (bits & ((std::uint64_t{1} << 52) - 1)) | (std::uint64_t{1} << 52);
    const int shift = 1075 - biased;                        // x = mantissa · 2^−shift
    if (shift <= 0 || shift > 120) return fallback();       // |x| ≥ 2^53 or far below 1e-20
    // Decimal exponent: floor(log10 2^(biased−1023)) (78913/2^18 ≈ log10 2) is X or X − 1; one
    // comparison with the next power of ten settles it (the rare misjudgement at a boundary is
    // caught by the digit count below).
    int exp10 = ((biased - 1023) * 78913) >> 18;
    if (exp10 >= -20 && exp10 < 22 && std::abs(x) >= detail::pow10_double[exp10 + 21]) ++exp10;
    std::uint64_t q = 0;
    for (int attempt = 0;; ++attempt) {
        const int p = precision - 1 - exp10;
        if (p < 0 || p > 19 || attempt > 2) return fallback();
        const detail::uint128_t prod = detail::uint128_t{mantissa} * detail::pow10_table[p];
        // Round half up by adding half an ulp of q; an exact tie leaves zero below the cut,
        // and then q goes back down to even.
        const detail::uint128_t up = prod + (detail::uint128_t{1} << (shift - 1));
        q = static_cast<std::uint64_t>(up >> shift);
        if ((up & ((detail::uint128_t{1} << shift) - 1)) == 0) q &= ~std::uint64_t{1};
        if (q >= detail::pow10_table[precision]) {
            ++exp10;  // the estimate was one low, or rounding carried into a new digit
            continue;
        }
        if (q < detail::pow10_table[precision - 1]) {
            --exp10;  // guard: an estimate one too high (not expected for |x| ≥ 1e-36)
            continue;
        }
        break;
    }
    if (exp10 < -4 || exp10 >= precision) return fallback();  // exponential notation
    // Digits straight into place, then the integer digits moved one byte left to open the
    // decimal point (byte copies of just-stored bytes forward without stalls).
    char* o = first;
    if ((bits >> 63) != 0) *o++ = '-';
    if (exp10 >= 0) {
        const int int_digits = exp10 + 1;
        detail::write_digits(o + 1, q, precision);  // o[1 .. precision]
        for (int i = 0; i < int_digits; ++i) o[i] = o[i + 1];
        char* end = o + precision + 1;
        while (end > o + int_digits + 1 && end[-1] == '0') --end;  // strip trailing fractional zeros
        if (end == o + int_digits + 1) return o + int_digits;     // no fraction left: no point
        o[int_digits] = '.';
        return end;
    }
    *o++ = '0';
    *o++ = '.';
    for (int z = 0; z < -exp10 - 1; ++z) *o++ = '0';
    detail::write_digits(o, q, precision);
    char* end = o + precision;
    while (end[-1] == '0') --end;  // the first digit is not zero
    return end;
}

}  // namespace materia
