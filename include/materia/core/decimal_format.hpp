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

#include <bit>
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

// q / 10^8 and v / 10^4 as multiply-and-shift.  Written out because GCC 12 turns a quotient and
// remainder by the same constant into one hardware `div` (its divmod pairing): two per number,
// 22 → 20 ns a number once replaced.  The 64-bit magic is exact for
// every uint64 (GCC's own for /10^8), the 32-bit one for v < 2^32 / 1.1 (checked in the tests
// for every v < 10^8, all this is used for).
[[nodiscard]] inline std::uint64_t div_1e8(std::uint64_t q) noexcept {
    return static_cast<std::uint64_t>((uint128_t{q} * 0xABCC77118461CEFDull) >> 90);
}
[[nodiscard]] inline std::uint32_t div_1e4(std::uint32_t v) noexcept {
    return static_cast<std::uint32_t>((std::uint64_t{v} * 109951163u) >> 40);
}

// The n decimal digits of q (q < 10^n, 1 ≤ n ≤ 17, leading zeros written) at out[0..n), stored
// two at a time straight into place.  The pairs come from independent quotients (no chain of
// divisions), and nothing is staged in a buffer: reading back freshly stored bytes with wider
// loads stalls the CPU (a failed store-to-load forward) for longer than the digits take.
inline void write_digits(char* out, std::uint64_t q, int n) noexcept {
    const std::uint64_t hi = div_1e8(q);
    const auto lo8 = static_cast<std::uint32_t>(q - hi * 100000000u);
    const std::uint64_t top64 = div_1e8(hi);
    const auto mid8 = static_cast<std::uint32_t>(hi - top64 * 100000000u);
    const auto top = static_cast<std::uint32_t>(top64);  // < 10
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

// The 8 decimal digits of v < 10^8 as ASCII bytes in one word, the most significant digit in the
// lowest byte (first in memory on a little-endian machine).  SWAR: v split into two 4-digit
// lanes, each into two 2-digit lanes, each into two digits — division by 100 and by 10 done
// as multiply-and-shift on all lanes at once (exact for lane values below 10^4 and 10^2, which
// the tests check exhaustively), no lane overflowing into the next.
[[nodiscard]] inline std::uint64_t eight_digits_ascii(std::uint32_t v) noexcept {
    const std::uint32_t high4 = div_1e4(v);
    const std::uint64_t y = high4 | (std::uint64_t{v - high4 * 10000u} << 32);
    std::uint64_t z = ((y * 10486u) >> 20) & 0x0000007F0000007Full;  // each 32-bit lane / 100
    z |= (y - z * 100u) << 16;                                       // … and its remainder above it
    std::uint64_t w = ((z * 103u) >> 10) & 0x000F000F000F000Full;    // each 16-bit lane / 10
    w |= (z - w * 10u) << 8;
    return w + 0x3030303030303030ull;
}

// The fixed-notation text of ±q·10^(exp10−n+1) (q has exactly n ≤ 15 digits, −4 ≤ exp10 < n) at
// o, trailing fractional zeros removed; returns the end.  The digits are assembled in a 128-bit
// register (byte i = i-th character) — decimal point inserted and trailing zeros found by
// shifts, masks and one count of leading zeros — and stored with one 16-byte write: no loop over
// characters and no reading back of just-stored bytes.  o needs 32 bytes of room.  Little-endian
// only (the caller checks).
[[nodiscard]] inline char* place_digits(char* o, bool negative, std::uint64_t q, int n, int exp10) noexcept {
    constexpr uint128_t ones = (uint128_t{0x0101010101010101ull} << 64) | 0x0101010101010101ull;
    const std::uint64_t high8 = div_1e8(q);
    uint128_t v = (uint128_t{eight_digits_ascii(static_cast<std::uint32_t>(q - high8 * 100000000u))} << 64) |
                  eight_digits_ascii(static_cast<std::uint32_t>(high8));
    v >>= 8 * (16 - n);  // drop the leading zeros of the 16-digit form: bytes 0 … n−1 are the digits
    const uint128_t in_digits = (uint128_t{1} << (8 * n)) - 1;
    // Digits up to the last nonzero one (the first digit is nonzero: q ≥ 10^(n−1)).
    const uint128_t nonzero = v ^ ((ones * '0') & in_digits);
    const auto hi = static_cast<std::uint64_t>(nonzero >> 64);
    const int top_bit = hi != 0 ? 127 - __builtin_clzll(hi) : 63 - __builtin_clzll(static_cast<std::uint64_t>(nonzero));
    int kept = top_bit / 8 + 1;
    if (negative) *o++ = '-';
    if (exp10 >= 0) {
        const int int_digits = exp10 + 1;
        if (kept <= int_digits) {  // an integer: no point
            std::memcpy(o, &v, 16);
            return o + int_digits;
        }
        const uint128_t low = (uint128_t{1} << (8 * int_digits)) - 1;
        const uint128_t text = (v & low) | (uint128_t{'.'} << (8 * int_digits)) | ((v & ~low & in_digits) << 8);
        std::memcpy(o, &text, 16);  // kept + 1 ≤ n + 1 ≤ 16 characters
        return o + kept + 1;
    }
    const int zeros = -exp10 - 1;  // 0 … 3
    std::memcpy(o, "0.000000", 8);
    o += 2 + zeros;
    std::memcpy(o, &v, 16);
    return o + kept;
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
    if constexpr (std::endian::native == std::endian::little) {
        if (precision <= 15) return detail::place_digits(first, (bits >> 63) != 0, q, precision, exp10);
    }
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
