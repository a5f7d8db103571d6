// The number parsers of the readers (io/text_input.hpp): fast_decimal (Clinger's fast path) and
// the tokenizer's next_double / next_long must give exactly what std::from_chars gives —
// bit-identical values and the same accept/reject decision — on every string.
#include <materia/io/text_input.hpp>

#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {
using namespace materia::io::detail;

/// The reference: what to_double did before the fast path (std::from_chars, '+' allowed, finite).
bool reference_double(std::string_view t, double& x) {
    if (t.size() > 1 && t[0] == '+' && t[1] != '-') t.remove_prefix(1);
    const auto r = std::from_chars(t.data(), t.data() + t.size(), x);
    return r.ec == std::errc() && r.ptr == t.data() + t.size() && std::isfinite(x);
}

std::uint64_t bits(double x) {
    std::uint64_t b = 0;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

/// Compare to_double with the reference on one string; returns whether the fast path decided it.
bool same_as_from_chars(const std::string& s) {
    double a = 0, b = 0;
    const bool ra = to_double(s, a);
    const bool rb = reference_double(s, b);
    CHECK_MESSAGE(ra == rb, "accept/reject differs for '" << s << "'");
    if (ra && rb) CHECK_MESSAGE(bits(a) == bits(b), "value differs for '" << s << "': " << a << " vs " << b);
    double c = 0;
    const char* e = s.data() + s.size();
    return !s.empty() && fast_decimal(s.data(), e, c) == e;
}

/// Random decimal text: sign, integer digits, fraction digits, exponent, in MD-like and odd shapes.
std::string random_decimal(std::mt19937_64& rng) {
    std::string s;
    const auto pick = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
    const auto digit = [&] { return static_cast<char>('0' + pick(10)); };
    if (pick(4) == 0) {  // garbage from the number alphabet
        static constexpr char alphabet[] = "0123456789.eE+- x";
        const unsigned len = 1 + pick(12);
        for (unsigned i = 0; i < len; ++i) s += alphabet[pick(sizeof alphabet - 1)];
        return s;
    }
    if (pick(3) == 0) s += pick(2) == 0 ? '-' : '+';
    const unsigned ni = pick(4) == 0 ? pick(3) : pick(9);
    const unsigned nf = pick(4) == 0 ? pick(4) : pick(23);
    for (unsigned i = 0; i < ni; ++i) s += digit();
    if (pick(8) != 0) {
        s += '.';
        for (unsigned i = 0; i < nf; ++i) s += digit();
    }
    if (pick(3) == 0) {
        s += pick(2) == 0 ? 'e' : 'E';
        const unsigned sign = pick(3);
        if (sign == 1) s += '-';
        if (sign == 2) s += '+';
        const unsigned ne = pick(4);
        for (unsigned i = 0; i < ne; ++i) s += digit();
    }
    return s;
}
}  // namespace

TEST_SUITE("io.numbers") {

TEST_CASE("to_double is bit-identical to std::from_chars on 400 000 random decimal strings") {
    std::mt19937_64 rng(20261121);
    std::size_t fast = 0;
    const std::size_t n = 400000;
    for (std::size_t i = 0; i < n; ++i) if (same_as_from_chars(random_decimal(rng))) ++fast;
    // The fast path must actually be exercised (it decides roughly half of these shapes).
    CHECK(fast > n / 4);
    CHECK(fast < n);
}

TEST_CASE("MD-style coordinates (%.8f of uniform values, both signs) all take the fast path, exactly") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(-100.0, 100.0);
    char buf[64];
    std::size_t fast = 0;
    for (int i = 0; i < 100000; ++i) {
        std::snprintf(buf, sizeof buf, i % 2 == 0 ? "%.8f" : "%.6e", u(rng));
        if (same_as_from_chars(buf)) ++fast;
    }
    CHECK(fast == 100000);
}

TEST_CASE("edge cases of the fast path agree with from_chars") {
    const std::vector<std::string> cases = {
        "0", "-0", "-0.0", "+0.0", "1.", "-1.", ".5", "-.5", "+.5", ".", "-", "+", "--1", "+-1", "-+1",
        "1e", "1e+", "1e-", "1e5", "1E-5", "1e22", "1e23", "1e-22", "1e-23", "0e999", "-0e-999",
        "9007199254740992", "9007199254740993", "9007199254740993.0", "1234567890123456789",
        "12345678901234567890", "0.0000000000000000000001", "4.9e-324", "2.2250738585072014e-308",
        "1.7976931348623157e308", "1.8e308", "1e400", "-1e400", "nan", "inf", "-inf", "NaN",
        "1.5x", "1..5", "1.5.", "0x10", "1,5", "00000000000000000000001", "123456.78901234", "3.14159265358979",
        "0.1", "0.2", "0.3", "2.675", "1e0000001", "1e000001", "12345678.12345678", "99999999.99999999"};
    for (const std::string& s : cases) (void)same_as_from_chars(s);
    double x = 0;
    REQUIRE(to_double("-0.0", x));
    CHECK(std::signbit(x));
    REQUIRE(to_double("12.34567890", x));
    CHECK(bits(x) == bits(12.3456789));
    CHECK(!to_double("nan", x));
    CHECK(!to_double("1e400", x));
}

TEST_CASE("tokenizer::next_double: one pass per field, general parser for the rest") {
    tokenizer tk("  1.25\t-3e2 abc 7.5x 1e400");
    std::string_view t;
    double x = 0;
    CHECK(tk.next_double(t, x) == 1);
    CHECK(x == 1.25);
    CHECK(tk.next_double(t, x) == 1);
    CHECK(x == -300.0);
    CHECK(tk.next_double(t, x) == -1);
    CHECK(t == "abc");
    CHECK(tk.next_double(t, x) == -1);
    CHECK(t == "7.5x");
    CHECK(tk.next_double(t, x) == -1);  // out of the fast range: from_chars decides (and rejects)
    CHECK(t == "1e400");
    CHECK(tk.next_double(t, x) == 0);
}

TEST_CASE("tokenizer::next_long agrees with to_long") {
    const std::vector<std::string> cases = {"0",  "-7",  "+12", "123456789012345678", "1234567890123456789",
                                            "-",  "+-1", "1.0", "12a", "99999999999999999999", "-000"};
    for (const std::string& s : cases) {
        const std::string padded = " " + s + " ";
        tokenizer tk(padded);
        std::string_view t;
        long long v = 0, w = 0;
        const int got = tk.next_long(t, v);
        REQUIRE(got != 0);
        CHECK(t == s);
        const bool ok = to_long(s, w);
        if (got > 0) {
            CHECK_MESSAGE(ok, s);
            CHECK_MESSAGE(v == w, s);
        }
        if (!ok) CHECK_MESSAGE(got < 0, s);
    }
    tokenizer empty("   ");
    std::string_view t;
    long long v = 0;
    CHECK(empty.next_long(t, v) == 0);
}

}  // TEST_SUITE
