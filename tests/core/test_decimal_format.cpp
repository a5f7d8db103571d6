// to_chars_general must give exactly std::to_chars(general, precision)'s characters.
#include <doctest/doctest.h>

#include <materia/core/decimal_format.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace {

std::string ours(double x, int p) {
    char buf[64];
    return std::string(buf, materia::to_chars_general(buf, buf + sizeof buf, x, p));
}
std::string theirs(double x, int p) {
    char buf[64];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, p).ptr);
}

}  // namespace

TEST_CASE("to_chars_general: hand-checked values") {
    CHECK(ours(0.25, 12) == "0.25");
    CHECK(ours(-1.33134627455123, 12) == "-1.33134627455");
    CHECK(ours(0.0675998308946, 12) == "0.0675998308946");
    CHECK(ours(1234567890.125, 12) == "1234567890.12");  // exact tie: to even
    CHECK(ours(1234567890.375, 12) == "1234567890.38");  // exact tie: to even
    CHECK(ours(999999999999.6, 12) == "1e+12");          // rounding carries into exponential form
    CHECK(ours(0.000123456789012345, 12) == "0.000123456789012");
    CHECK(ours(1.5e-5, 12) == "1.5e-05");
    CHECK(ours(0.0, 12) == "0");
    CHECK(ours(-0.0, 12) == "-0");
    CHECK(ours(1.0, 12) == "1");
    CHECK(ours(100.0, 3) == "100");
    CHECK(ours(std::numeric_limits<double>::infinity(), 12) == "inf");
}

TEST_CASE("to_chars_general equals std::to_chars on random and edge-case values") {
    std::mt19937_64 rng(20261121);
    std::uniform_real_distribution<double> mag(-9.0, 18.0);
    std::uniform_int_distribution<std::uint64_t> any_bits;
    long mismatches = 0;
    std::string first_bad;
    auto check = [&](double x, int p) {
        if (ours(x, p) != theirs(x, p)) {
            if (mismatches++ == 0) first_bad = theirs(x, 17) + " at precision " + std::to_string(p) + ": " + ours(x, p) + " vs " + theirs(x, p);
        }
    };
    for (int i = 0; i < 400000; ++i) {
        const double x = std::pow(10.0, mag(rng)) * ((i & 1) ? -1.0 : 1.0);
        check(x, 12);
        check(x, 1 + i % 17);
    }
    for (int i = 0; i < 200000; ++i) {  // arbitrary bit patterns (every exponent)
        const std::uint64_t b = any_bits(rng);
        double x;
        std::memcpy(&x, &b, sizeof x);
        check(x, 12);
        check(x, 1 + i % 17);
    }
    // Exact decimal ties at the rounding digit: integers + k/2^m with few digits.
    for (int i = 0; i < 200000; ++i) {
        const double x = static_cast<double>(rng() % 100000000000ull) + static_cast<double>(rng() % 8) / 8.0;
        check(x, 12);
        check(x, 13);
        check(x / 1024.0, 12);
    }
    // Values around every power of ten (exponent estimate and carries).
    for (int e = -8; e <= 17; ++e) {
        const double t = std::pow(10.0, e);
        double lo = t, hi = t;
        for (int k = 0; k < 50; ++k) {
            lo = std::nextafter(lo, 0.0);
            hi = std::nextafter(hi, 1e300);
            for (int p = 1; p <= 17; ++p) {
                check(lo, p);
                check(hi, p);
                check(t * (1.0 - 0.5 * std::pow(10.0, -p)), p);
            }
        }
    }
    INFO(first_bad);
    CHECK(mismatches == 0);
}

TEST_CASE("div_1e4 and div_1e8: the multiply-and-shift quotients are exact") {
    // div_1e4 over every value it is used for (v < 10^8), checked in one pass without a
    // REQUIRE per value (10^8 assertions would dominate the test time).
    std::uint32_t wrong = 0, first_wrong = 0;
    for (std::uint32_t v = 0; v < 100000000u; ++v)
        if (materia::detail::div_1e4(v) != v / 10000u && wrong++ == 0) first_wrong = v;
    CHECK(wrong == 0);
    CHECK(first_wrong == 0);
    // div_1e8: GCC's own magic for every uint64; spot checks at the edges and at random.
    for (const std::uint64_t q : {0ull, 1ull, 99999999ull, 100000000ull, 100000001ull, 999999999999999ull, 1000000000000000ull,
                                  9999999999999999ull, 12345678901234567ull, 18446744073709551615ull})
        CHECK(materia::detail::div_1e8(q) == q / 100000000u);
    std::mt19937_64 rng(11);
    for (int i = 0; i < 1000000; ++i) {
        const std::uint64_t q = rng() >> (rng() % 64);
        REQUIRE(materia::detail::div_1e8(q) == q / 100000000u);
    }
}

TEST_CASE("eight_digits_ascii: the lane divisions are exact and the digits right") {
    // The two multiply-and-shift divisions, over every lane value they can see.
    for (std::uint64_t y = 0; y < 10000; ++y) REQUIRE(((y * 10486u) >> 20) == y / 100);
    for (std::uint64_t t = 0; t < 100; ++t) REQUIRE(((t * 103u) >> 10) == t / 10);
    auto text = [](std::uint32_t v) {
        const std::uint64_t w = materia::detail::eight_digits_ascii(v);
        char c[8];
        for (int i = 0; i < 8; ++i) c[i] = static_cast<char>((w >> (8 * i)) & 0xff);  // byte i = i-th character
        return std::string(c, 8);
    };
    auto expect = [](std::uint32_t v) {
        std::string s = std::to_string(v);
        return std::string(8 - s.size(), '0') + s;
    };
    for (const std::uint32_t v : {0u, 1u, 9u, 10u, 99u, 100u, 9999u, 10000u, 10001u, 12345678u, 90000009u, 99999999u})
        CHECK(text(v) == expect(v));
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::uint32_t> any(0, 99999999u);
    int bad = 0;
    for (int i = 0; i < 300000; ++i) {
        const std::uint32_t v = any(rng);
        bad += text(v) != expect(v);
    }
    CHECK(bad == 0);
}
