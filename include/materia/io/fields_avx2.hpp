// materia/io/fields_avx2.hpp — AVX2 kernels for parsing atom lines in place (run-time dispatch).
//
// Entry points (materia::io::detail, only where MATERIA_HAVE_AVX2_KERNEL): find_line_fields_avx2
// (line_fields_avx2: field extents, '.', '-' and non-digit bytes of one line from two 32-byte
// loads), decimal_field_avx2 and long_field_avx2 (a field as a double or an integer),
// three_decimals_avx2 / three_coordinates_avx2 (x y z at once), MATERIA_IO_AVX2 (the attributes
// for functions that use them: target AVX2, always inlined).  Callers check cpu_has_avx2() once
// per frame (materia/core/cpu_features.hpp).
//
// Why: an atom line is three numbers and a name; parsing it digit by digit costs ~150 cycles, an
// order of magnitude more than finding its end (the `wc -l` baseline).  Here the extents of all
// fields come from byte masks (field ends classified by one pshufb lookup), and a number of up to
// 16 characters is converted without looking at its digits one by one: one shuffle drops the '.' and
// right-aligns the digits, then pmaddubsw / pmaddwd / packusdw / pmaddwd sum them in pairs, quads
// and octets.  Both tricks are simdjson's (G. Langdale, D. Lemire, "Parsing gigabytes of JSON
// per second", VLDB Journal 28, 2019: whitespace classification, parse_eight_digits_unrolled).
// The value is Clinger's exact fast path, as in fast_decimal: bit-identical to std::from_chars
// (tests/io/test_numbers.cpp).  Anything else (exponents, '+', more digits, malformed text) goes
// to the scalar parsers, which decide exactly as before.  Three coordinates in a row (x y z, the
// hot case of both readers) share their bookkeeping and their arithmetic (three_decimals_avx2):
// one test of all their bytes, x and y summed in one 256-bit register, the three significands
// converted and divided in one vector: about half the instructions of three single fields (the
// extended XYZ reader −14 %, the dump reader −20 % instructions per atom line, with the
// lammps_dump.hpp and frame_parser.hpp changes of session 5).
#pragma once

#include <materia/core/cpu_features.hpp>
#include <materia/io/text_input.hpp>

#include <array>
#include <bit>
#include <cstdint>
#include <string_view>

#if MATERIA_HAVE_AVX2_KERNEL
#define MATERIA_IO_AVX2 __attribute__((target("avx2,bmi,bmi2,popcnt"), always_inline)) inline

namespace materia::io::detail {

/// Shuffle masks for pshufb: entry [ni][nf] (ni + nf ≤ 16, and ≤ 15 with a '.', which must lie
/// in the same 16 bytes) takes the ni integer digits, skips the
/// '.', takes the nf fraction digits of a number loaded at its first digit, and right-aligns them
/// in 16 lanes (lanes in front are zero: index with the high bit set).
struct alignas(16) digit_shuffle {
    std::array<unsigned char, 16> lane;
};
inline constexpr std::array<std::array<digit_shuffle, 17>, 17> digit_shuffles = [] {
    std::array<std::array<digit_shuffle, 17>, 17> t{};
    for (unsigned ni = 0; ni <= 16; ++ni)
        for (unsigned nf = 0; ni + nf <= 16; ++nf) {
            const unsigned n = ni + nf;
            for (unsigned j = 0; j < 16; ++j) {
                if (j < 16 - n) {
                    t[ni][nf].lane[j] = 0x80;
                } else {
                    const unsigned k = j - (16 - n);
                    t[ni][nf].lane[j] = static_cast<unsigned char>(k < ni ? k : k + 1);
                }
            }
        }
    return t;
}();

/// line_fields of the line at p (64 readable bytes) plus the non-digit bytes; false when the line
/// has 64 bytes or more.
struct line_fields_avx2 : line_fields {
    std::uint64_t nondigit = 0;
    std::uint64_t minus = 0;  ///< '-' bytes (also past the line)
};

MATERIA_IO_AVX2 void byte_masks_avx2(__m256i v, std::uint64_t& fe, std::uint64_t& nl, std::uint64_t& dot,
                                     std::uint64_t& digit, std::uint64_t& minus, int shift) noexcept {
    // Field ends ' ' '\t' '\n' '\v' '\f' '\r' have distinct low nibbles (0, 9..13): a byte is one
    // of them iff it equals the table entry its low nibble selects (pshufb; bytes ≥ 0x80 give 0).
    const __m256i table = _mm256_setr_epi8(' ', -1, -1, -1, -1, -1, -1, -1, -1, '\t', '\n', '\v', '\f', '\r', -1, -1,
                                           ' ', -1, -1, -1, -1, -1, -1, -1, -1, '\t', '\n', '\v', '\f', '\r', -1, -1);
    const __m256i ends = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(table, v), v);
    const __m256i d = _mm256_sub_epi8(v, _mm256_set1_epi8('0'));
    const __m256i digits = _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(9)), d);
    const auto bits = [](int m) { return static_cast<std::uint64_t>(static_cast<std::uint32_t>(m)); };
    fe |= bits(_mm256_movemask_epi8(ends)) << shift;
    nl |= bits(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')))) << shift;
    dot |= bits(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('.')))) << shift;
    digit |= bits(_mm256_movemask_epi8(digits)) << shift;
    minus |= bits(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('-')))) << shift;
}

MATERIA_IO_AVX2 bool find_line_fields_avx2(const char* p, line_fields_avx2& lf) noexcept {
    std::uint64_t fe = 0, nl = 0, dot = 0, digit = 0, minus = 0;
    byte_masks_avx2(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)), fe, nl, dot, digit, minus, 0);
    byte_masks_avx2(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32)), fe, nl, dot, digit, minus, 32);
    if (nl == 0) return false;
    const unsigned len = static_cast<unsigned>(std::countr_zero(nl));
    const std::uint64_t in_line = (std::uint64_t{1} << len) - 1;  // len < 64
    lf.length = len;
    lf.field_end = fe | ~in_line;
    lf.dots = dot & in_line;
    lf.nondigit = ~digit;
    lf.minus = minus;
    lf.starts = ~lf.field_end & ((lf.field_end << 1) | 1);
    return true;
}

/// The value of up to 16 digits at p (ni before a '.', nf after it), by shuffle and multiply-adds.
MATERIA_IO_AVX2 std::uint64_t digits_value_avx2(const char* p, unsigned ni, unsigned nf) noexcept {
    __m128i w = _mm_subs_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), _mm_set1_epi8('0'));
    w = _mm_shuffle_epi8(w, _mm_load_si128(reinterpret_cast<const __m128i*>(digit_shuffles[ni][nf].lane.data())));
    const __m128i pairs = _mm_maddubs_epi16(w, _mm_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
    const __m128i quads = _mm_madd_epi16(pairs, _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1));
    const __m128i packed = _mm_packus_epi32(quads, quads);
    const __m128i octets = _mm_madd_epi16(packed, _mm_setr_epi16(10000, 1, 10000, 1, 10000, 1, 10000, 1));
    const auto x = static_cast<std::uint64_t>(_mm_cvtsi128_si64(octets));
    return (x & 0xFFFFFFFFULL) * 100000000ULL + (x >> 32);
}

/// ±1: the sign is applied by an (exact) multiplication, which also keeps "-0.0" negative.
inline constexpr std::array<double, 2> unit_signs = {1.0, -1.0};

/// The field [p + s, p + e) as a double, bit-identical to to_double; false where to_double would
/// need std::from_chars (the caller's general path decides then).
MATERIA_IO_AVX2 bool decimal_field_avx2(const char* p, unsigned s, unsigned e, const line_fields_avx2& lf,
                                        double& x) noexcept {
    const bool neg = p[s] == '-';
    const unsigned i0 = s + (neg ? 1U : 0U);
    const std::uint64_t field = (std::uint64_t{1} << e) - (std::uint64_t{1} << i0);  // e < 64
    const std::uint64_t d = lf.dots & field;
    const unsigned dot = d != 0 ? static_cast<unsigned>(std::countr_zero(d)) : e;
    const unsigned ni = dot - i0;
    const unsigned n = e - i0 - (d != 0 ? 1U : 0U);
    // Plain: every non-digit of the field is its one '.', 1..16 digits, and all of them (with the
    // '.') in the 16 bytes loaded.
    if ((lf.nondigit & field) == (d & (~d + 1)) && n != 0 && e - i0 <= 16) {
        const std::uint64_t m = digits_value_avx2(p + i0, ni, n - ni);
        if (m <= (std::uint64_t{1} << 53)) {
            const double v = static_cast<double>(static_cast<std::int64_t>(m)) / exact_powers_of_ten[n - ni];
            x = v * unit_signs[neg ? 1 : 0];  // no branch: the signs of coordinates are unpredictable
            return true;
        }
    }
    return fast_decimal(p + s, p + e, x) == p + e;
}

/// ±10^k (k = 0..15), entry 16·neg + k: dividing by −10^k gives exactly −(m / 10^k) (IEEE
/// division rounds symmetrically), so the sign of a coordinate rides on its power of ten for free.
inline constexpr std::array<double, 32> signed_powers_of_ten = [] {
    std::array<double, 32> t{};
    for (std::size_t k = 0; k < 16; ++k) {
        t[k] = exact_powers_of_ten[k];
        t[16 + k] = -exact_powers_of_ten[k];
    }
    return t;
}();

/// digit_shuffles for numbers with a '.' and at most 15 digits, entry 16·ni + nf (a power-of-two
/// stride: the index is a shift and an or).
inline constexpr std::array<digit_shuffle, 256> dotted_digit_shuffles = [] {
    std::array<digit_shuffle, 256> t{};
    for (unsigned ni = 0; ni < 16; ++ni)
        for (unsigned nf = 0; ni + nf < 16; ++nf) t[16 * ni + nf] = digit_shuffles[ni][nf];
    return t;
}();

/// For three_decimals_avx2: the digits of the field [p + s, p + e) (one '.' in it, a '-' at s
/// where signs has bit s) right-aligned in 16 lanes (values 0..9), and ±10^(fraction digits);
/// false unless the field's '.' lies in it and it has 1..15 digits.
MATERIA_IO_AVX2 bool coordinate_digits_avx2(const char* p, unsigned s, unsigned e, std::uint64_t signs,
                                            std::uint64_t dots, __m128i& digits, double& divisor) noexcept {
    const unsigned neg = static_cast<unsigned>(signs >> s) & 1U;
    const unsigned i0 = s + neg;
    const unsigned dot = s + static_cast<unsigned>(std::countr_zero(dots >> s));
    const unsigned nf = e - dot - 1;  // wraps when the '.' is past the field
    const unsigned ni = dot - i0;
    if (nf > 15U || e - i0 - 2 > 14U) return false;
    const __m128i text = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i0));
    const __m128i lane =
        _mm_load_si128(reinterpret_cast<const __m128i*>(dotted_digit_shuffles[16 * ni + nf].lane.data()));
    digits = _mm_shuffle_epi8(_mm_subs_epu8(text, _mm_set1_epi8('0')), lane);
    divisor = signed_powers_of_ten[16 * neg + nf];
    return true;
}

/// The core of three_decimals_avx2, for callers that have checked the bytes of the three fields
/// [p + s[k], p + e[k]) (digits, '.' and a leading '-' where signs has a bit, e < 64) and that
/// they hold three '.' in all: each field's '.' must lie in it and it must have 1..15 digits,
/// else false (r unchanged).
MATERIA_IO_AVX2 bool three_coordinates_avx2(const char* p, const std::array<unsigned, 3>& s,
                                            const std::array<unsigned, 3>& e, std::uint64_t signs, std::uint64_t dots,
                                            std::array<double, 3>& r) noexcept {
    __m128i x{}, y{}, z{};
    std::array<double, 3> divisor{};
    if (!coordinate_digits_avx2(p, s[0], e[0], signs, dots, x, divisor[0]) ||
        !coordinate_digits_avx2(p, s[1], e[1], signs, dots, y, divisor[1]) ||
        !coordinate_digits_avx2(p, s[2], e[2], signs, dots, z, divisor[2]))
        return false;
    // x and y in the two 128-bit lanes of one register (the multiply-adds work per lane), z beside.
    const __m256i xy = _mm256_set_m128i(y, x);
    const __m256i w10 = _mm256_set1_epi16(0x010A);         // bytes 10, 1
    const __m256i w100 = _mm256_set1_epi32(0x00010064);    // 16-bit 100, 1
    const __m256i w10000 = _mm256_set1_epi32(0x00012710);  // 16-bit 10000, 1
    const __m256i quads = _mm256_madd_epi16(_mm256_maddubs_epi16(xy, w10), w100);
    const __m256i oct_xy = _mm256_madd_epi16(_mm256_packus_epi32(quads, quads), w10000);
    const __m128i quads_z =
        _mm_madd_epi16(_mm_maddubs_epi16(z, _mm256_castsi256_si128(w10)), _mm256_castsi256_si128(w100));
    const __m128i oct_z = _mm_madd_epi16(_mm_packus_epi32(quads_z, quads_z), _mm256_castsi256_si128(w10000));
    // Each 64-bit lane holds (first 8 digits, last 8 digits) as two 32-bit values: m = hi·10^8 + lo.
    const __m256i e8 = _mm256_set1_epi64x(100000000);
    const __m256i m_xy = _mm256_add_epi64(_mm256_mul_epu32(oct_xy, e8), _mm256_srli_epi64(oct_xy, 32));  // x, -, y, -
    const __m128i m_z = _mm_add_epi64(_mm_mul_epu32(oct_z, _mm256_castsi256_si128(e8)), _mm_srli_epi64(oct_z, 32));
    const __m256i m = _mm256_blend_epi32(_mm256_permute4x64_epi64(m_xy, 0x08), _mm256_broadcastq_epi64(m_z), 0xF0);
    const __m256d two52 = _mm256_set1_pd(4503599627370496.0);  // 2^52
    const __m256d v = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(m, _mm256_castpd_si256(two52))), two52);
    const __m256d q = _mm256_div_pd(v, _mm256_setr_pd(divisor[0], divisor[1], divisor[2], 1.0));
    _mm_storeu_pd(r.data(), _mm256_castpd256_pd128(q));
    _mm_store_sd(r.data() + 2, _mm256_extractf128_pd(q, 1));
    return true;
}

/// The three fields that lf.next() gives next (x y z: consecutive coordinate columns) as doubles
/// in r, bit-identical to decimal_field_avx2 on each; false (lf and r unchanged) unless all three
/// have the shape of MD output, "[-]d…d.d…d" with one '.' and 1..15 digits — the caller then
/// parses them one by one as before.  Why: the bookkeeping is shared (one test of the bytes of all
/// three fields, no per-field branch), the digits of x and y are summed in one 256-bit register
/// and z beside it, the significands (below 10^15 < 2^52) become doubles by the exponent-bits
/// trick (2^52 + m is exact: no scalar conversion), and one vdivpd by ±10^nf (Clinger's exact
/// fast path, the sign riding on the divisor) gives the three values.
MATERIA_IO_AVX2 bool three_decimals_avx2(const char* p, line_fields_avx2& lf, std::array<double, 3>& r) noexcept {
    // The three fields' starts and ends first, then one test of all their bytes: digits, one '.'
    // each and '-' signs at field starts only.
    std::uint64_t starts = lf.starts;
    if (std::popcount(starts) < 3) return false;
    const unsigned s0 = static_cast<unsigned>(std::countr_zero(starts));
    starts &= starts - 1;
    const unsigned s1 = static_cast<unsigned>(std::countr_zero(starts));
    starts &= starts - 1;
    const unsigned s2 = static_cast<unsigned>(std::countr_zero(starts));
    starts &= starts - 1;
    const unsigned e2 = s2 + static_cast<unsigned>(std::countr_zero(lf.field_end >> s2));  // e < 64
    const std::uint64_t span = (std::uint64_t{1} << e2) - (std::uint64_t{1} << s0);
    const std::uint64_t signs = lf.minus & lf.starts;
    if ((lf.nondigit & span & ~(lf.field_end | lf.dots | signs)) != 0 || std::popcount(lf.dots & span) != 3)
        return false;
    const unsigned e0 = s0 + static_cast<unsigned>(std::countr_zero(lf.field_end >> s0));
    const unsigned e1 = s1 + static_cast<unsigned>(std::countr_zero(lf.field_end >> s1));
    if (!three_coordinates_avx2(p, {s0, s1, s2}, {e0, e1, e2}, signs, lf.dots, r)) return false;
    lf.starts = starts;
    return true;
}

/// The field [p + s, p + e) as an integer, the value to_long gives; false where to_long fails.
MATERIA_IO_AVX2 bool long_field_avx2(const char* p, unsigned s, unsigned e, const line_fields_avx2& lf,
                                     long long& out) noexcept {
    const bool neg = p[s] == '-';
    const unsigned i0 = s + ((p[s] == '-' || p[s] == '+') ? 1U : 0U);
    const std::uint64_t field = (std::uint64_t{1} << e) - (std::uint64_t{1} << i0);
    const unsigned n = e - i0;
    if ((lf.nondigit & field) == 0 && n - 1 < 16) {
        // Short integers (types, image flags, ids) are cheaper in a word than by shuffle, and
        // one digit (types, image flags) cheaper still.
        const auto v = n == 1 ? static_cast<long long>(p[i0] - '0')
                              : static_cast<long long>(digits_value_avx2(p + i0, n, 0));
        out = neg ? -v : v;
        return true;
    }
    return to_long(std::string_view(p + s, e - s), out);
}

}  // namespace materia::io::detail
#endif
