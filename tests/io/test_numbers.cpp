// The number parsers of the readers (io/text_input.hpp): fast_decimal (Clinger's fast path) and
// the tokenizer's next_double / next_long must give exactly what std::from_chars gives —
// bit-identical values and the same accept/reject decision — on every string.
#include <materia/io/fields_avx2.hpp>
#include <materia/io/text_input.hpp>

#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
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

// ---------------------------------------------------------------------------------------------
// The in-place field parsers (line_source::parse_lines): scan_decimal / scan_long, decimal_field /
// long_field (SWAR) and their AVX2 twins decimal_field_avx2 / long_field_avx2 (io/fields_avx2.hpp).
// Whenever one of them accepts a field, the value must be bit-identical to to_double / to_long
// (std::from_chars); whenever to_double rejects a field, they must reject it too.

namespace {

/// A field as the readers see it: in a line with a name before it, padded like line_source.
struct padded_line {
    std::string text;
    unsigned s = 0, e = 0;  // the field's extent in text
    explicit padded_line(const std::string& field) {
        text = "Si " + field + " 1.5\n";
        s = 3;
        e = 3 + static_cast<unsigned>(field.size());
        text.append(materia::io::detail::line_source::pad, '\n');
    }
};

struct field_outcome {
    bool ok = false;
    double x = 0;
};

field_outcome swar_decimal(const std::string& field) {
    padded_line l(field);
    field_outcome o;
    if (field.size() + 9 >= 64) return o;  // decimal_field takes lines shorter than 64 bytes
    line_fields lf;
    REQUIRE(find_line_fields(l.text.data(), lf));
    unsigned a = 0, b = 0;
    lf.next(a, b);
    lf.next(a, b);
    if (a != l.s || b != l.e) return o;  // the field holds a separator: not one field
    o.ok = decimal_field(l.text.data(), a, b, lf.dots, o.x);
    return o;
}

field_outcome scan_decimal_of(const std::string& field) {
    padded_line l(field);
    field_outcome o;
    const char* q = scan_decimal(l.text.data() + l.s, o.x);
    o.ok = q == l.text.data() + l.e;
    if (q != nullptr && q != l.text.data() + l.e) o.ok = false;
    return o;
}

#if MATERIA_HAVE_AVX2_KERNEL
[[gnu::target("avx2,bmi,bmi2,popcnt")]] field_outcome avx2_decimal(const std::string& field) {
    padded_line l(field);
    field_outcome o;
    if (field.size() + 9 >= 64) return o;
    line_fields_avx2 lf;
    if (!find_line_fields_avx2(l.text.data(), lf)) return o;
    unsigned a = 0, b = 0;
    lf.next(a, b);
    lf.next(a, b);
    if (a != l.s || b != l.e) return o;
    o.ok = decimal_field_avx2(l.text.data(), a, b, lf, o.x);
    return o;
}

[[gnu::target("avx2,bmi,bmi2,popcnt")]] bool avx2_long(const std::string& field, long long& v) {
    padded_line l(field);
    if (field.size() + 9 >= 64) return false;
    line_fields_avx2 lf;
    if (!find_line_fields_avx2(l.text.data(), lf)) return false;
    unsigned a = 0, b = 0;
    lf.next(a, b);
    lf.next(a, b);
    if (a != l.s || b != l.e) return false;
    return long_field_avx2(l.text.data(), a, b, lf, v);
}
#endif

/// Checks every in-place parser against the reference on one field; returns how many of the
/// (up to three) parsers took it.
int check_in_place(const std::string& field) {
    double ref = 0;
    const bool ref_ok = reference_double(field, ref);
    int taken = 0;
    auto check_one = [&](const field_outcome& o, const char* which) {
        if (!o.ok) return;
        ++taken;
        CHECK_MESSAGE(ref_ok, which << " accepts '" << field << "', which from_chars rejects");
        if (ref_ok) CHECK_MESSAGE(bits(o.x) == bits(ref), which << " value differs for '" << field << "'");
    };
    check_one(swar_decimal(field), "decimal_field");
    check_one(scan_decimal_of(field), "scan_decimal");
#if MATERIA_HAVE_AVX2_KERNEL
    if (materia::detail::cpu_has_avx2()) check_one(avx2_decimal(field), "decimal_field_avx2");
#endif
    return taken;
}

/// Decimal strings of every digit count: sign, 0..19 integer digits (leading zeros sometimes),
/// 0..19 fraction digits, sometimes an exponent.
std::string shaped_decimal(std::mt19937_64& rng) {
    const auto pick = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
    std::string s;
    const unsigned sign = pick(5);
    if (sign == 0) s += '-';
    if (sign == 1) s += '+';
    const unsigned ni = pick(20), nf = pick(20);
    const bool zeros = pick(4) == 0;
    for (unsigned i = 0; i < ni; ++i) s += static_cast<char>('0' + (zeros && i < 3 ? 0 : pick(10)));
    if (pick(10) != 0) s += '.';
    for (unsigned i = 0; i < nf; ++i) s += static_cast<char>('0' + pick(10));
    if (pick(6) == 0) {
        s += pick(2) == 0 ? 'e' : 'E';
        if (pick(2) == 0) s += pick(2) == 0 ? '-' : '+';
        const unsigned ne = 1 + pick(3);
        for (unsigned i = 0; i < ne; ++i) s += static_cast<char>('0' + pick(10));
    }
    return s;
}

}  // namespace

TEST_SUITE("io.numbers") {

TEST_CASE("in-place decimal parsers (SWAR, AVX2) equal std::from_chars on 200 000 shaped and random strings") {
    // MATERIA_IO_NUMBER_PAIRS=10000000 checks 20 million strings (session 3: all passed).
    std::mt19937_64 rng(20261121);
    std::size_t taken = 0;
    const char* env = std::getenv("MATERIA_IO_NUMBER_PAIRS");
    const std::size_t n = env != nullptr ? std::strtoull(env, nullptr, 10) : 100000;
    for (std::size_t i = 0; i < n; ++i) {
        taken += static_cast<std::size_t>(check_in_place(shaped_decimal(rng)) > 0);
        (void)check_in_place(random_decimal(rng));
    }
    CHECK(taken > n / 3);  // the fast paths are exercised
}

TEST_CASE("in-place decimal parsers take every MD-shaped coordinate (%.Nf, N = 0..16), bit-identically") {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(-1000.0, 1000.0);
    char buf[64];
    for (int digits = 0; digits <= 16; ++digits) {
        int all = 0;
        for (int i = 0; i < 5000; ++i) {
            std::snprintf(buf, sizeof buf, "%.*f", digits, u(rng) / (i % 7 == 0 ? 1e3 : 1.0));
            const std::string s = buf;
            const std::size_t digit_count = s.size() - (s[0] == '-' ? 1 : 0) - (digits > 0 ? 1 : 0);
            const int taken = check_in_place(s);
            // All three take up to 15 digits (scan_decimal: up to 7 integer digits).
            if (digit_count <= 15) all += taken >= 2 ? 1 : 0;
            else all += 1;
        }
        CHECK_MESSAGE(all == 5000, "digits " << digits);
    }
}

TEST_CASE("in-place decimal parsers: edge cases") {
    const std::vector<std::string> cases = {
        "0", "-0", "0.0", "-0.0", "+0.0", "00000000.00000000", "-00.000", "1.", "-1.", ".5", "-.5", "+.5", ".",
        "-", "+", "--1", "-+1", "1e5", "1E-5", "1e22", "1e23", "1e-22", "1e-23", "9007199254740992",
        "9007199254740993", "900719925474099.3", "9007199254740.993", "1234567890123456", "12345678.12345678",
        "99999999.99999999", "0.000000000000000000001", "4.9e-324", "2.2250738585072014e-308", "1e-320",
        "1.7976931348623157e308", "1.8e308", "1e400", "-1e400", "nan", "inf", "1.5x", "1..5", "1.5.",
        "0x10", "1,5", "12345678901234567", "1234567.123456789", "0.1234567890123456", "-0.1234567890123456",
        "12345678", "123456789", "1234567.8", "12345678.9", "1.2345678", "1.23456789", "1.234567890123456"};
    for (const std::string& s : cases) (void)check_in_place(s);
    CHECK(swar_decimal("12.34567890").ok);
    CHECK(bits(swar_decimal("-0.0").x) == bits(-0.0));
    CHECK(!swar_decimal("1.5.").ok);
    CHECK(!scan_decimal_of("1e5").ok);  // exponents: not scan_decimal's shape
#if MATERIA_HAVE_AVX2_KERNEL
    if (materia::detail::cpu_has_avx2()) {
        CHECK(avx2_decimal("12.34567890").ok);
        CHECK(bits(avx2_decimal("-0.0").x) == bits(-0.0));
        CHECK(avx2_decimal("1.5e-3").ok);  // through fast_decimal
        CHECK(bits(avx2_decimal("1.5e-3").x) == bits(1.5e-3));
        CHECK(!avx2_decimal("1e400").ok);
        CHECK(!avx2_decimal("4.9e-324").ok);  // subnormal: from_chars decides
    }
#endif
}

TEST_CASE("in-place integer parsers agree with to_long") {
    std::mt19937_64 rng(3);
    std::vector<std::string> cases = {"0", "-0", "+0", "-7", "+12", "123456789012345678", "1234567890123456789",
                                      "12345678", "123456789", "1234567890123456", "12345678901234567", "-",
                                      "+", "+-1", "1.0", "12a", "99999999999999999999", "-000", "0x1"};
    for (int i = 0; i < 20000; ++i) {
        std::string s;
        const unsigned sign = static_cast<unsigned>(rng() % 4);
        if (sign == 0) s += '-';
        if (sign == 1) s += '+';
        const unsigned n = static_cast<unsigned>(rng() % 20);
        for (unsigned k = 0; k < n; ++k) s += static_cast<char>('0' + rng() % 10);
        if (rng() % 10 == 0) s += "x";
        cases.push_back(s);
    }
    for (const std::string& s : cases) {
        long long ref = 0;
        const bool ref_ok = to_long(s, ref);
        padded_line l(s);
        long long v = 0;
        const char* q = scan_long(l.text.data() + l.s, v);
        if (q == l.text.data() + l.e) {
            CHECK_MESSAGE(ref_ok, s);
            CHECK_MESSAGE(v == ref, s);
        }
        if (s.size() + 9 < 64) {
            line_fields lf;
            REQUIRE(find_line_fields(l.text.data(), lf));
            unsigned a = 0, b = 0;
            lf.next(a, b);
            lf.next(a, b);
            if (a == l.s && b == l.e) {
                long long w = 0;
                const bool ok = long_field(l.text.data(), a, b, w);
                CHECK_MESSAGE(ok == ref_ok, s);
                if (ok && ref_ok) CHECK_MESSAGE(w == ref, s);
#if MATERIA_HAVE_AVX2_KERNEL
                if (materia::detail::cpu_has_avx2()) {
                    long long x = 0;
                    const bool ok2 = avx2_long(s, x);
                    CHECK_MESSAGE(ok2 == ref_ok, s);
                    if (ok2 && ref_ok) CHECK_MESSAGE(x == ref, s);
                }
#endif
            }
        }
    }
}

#if MATERIA_HAVE_AVX2_KERNEL
namespace {

/// three_decimals_avx2 on "Si a b c[ rest]" (with single or mixed separators): whenever it takes
/// the three fields, each value must be bit-identical to from_chars and lf must be where three
/// lf.next() calls leave it; when it declines, lf and r must be unchanged.  Returns whether it
/// took them.
std::string three_line(const std::array<std::string, 3>& x, const std::string& sep, const std::string& rest) {
    return "Si" + sep + x[0] + sep + x[1] + " " + x[2] + rest + "\n";
}

[[gnu::target("avx2,bmi,bmi2,popcnt")]] bool check_three(const std::array<std::string, 3>& x, const std::string& sep,
                                                         const std::string& rest) {
    std::string text = three_line(x, sep, rest);
    if (text.size() >= 64) return false;
    text.append(line_source::pad, '\n');
    line_fields_avx2 lf;
    REQUIRE(find_line_fields_avx2(text.data(), lf));
    unsigned a = 0, b = 0;
    lf.next(a, b);  // the name
    line_fields_avx2 after = lf;
    for (int k = 0; k < 3; ++k)
        if (after.starts != 0) after.next(a, b);
    const line_fields_avx2 before = lf;
    std::array<double, 3> r = {7.0, 7.0, 7.0};
    const bool ok = three_decimals_avx2(text.data(), lf, r);
    const std::string shown = "'" + text.substr(0, text.find('\n')) + "'";
    if (!ok) {
        CHECK_MESSAGE(lf.starts == before.starts, shown);
        CHECK_MESSAGE((r[0] == 7.0 && r[1] == 7.0 && r[2] == 7.0), shown);
        return false;
    }
    CHECK_MESSAGE(lf.starts == after.starts, shown);
    // The fields as the line splits them (random strings may hold separators).
    tokenizer tk(std::string_view(text.data(), text.find('\n')));
    std::string_view field;
    REQUIRE(tk.next(field));  // the name
    for (std::size_t k = 0; k < 3; ++k) {
        REQUIRE(tk.next(field));
        double ref = 0;
        const bool ref_ok = reference_double(field, ref);
        CHECK_MESSAGE(ref_ok, "three_decimals_avx2 accepts " << shown << ", field " << k);
        if (ref_ok) CHECK_MESSAGE(bits(r[k]) == bits(ref), "value of field " << k << " differs for " << shown);
    }
    return true;
}

}  // namespace

TEST_CASE("three_decimals_avx2 (x y z at once) equals std::from_chars, and takes every MD-shaped triple") {
    if (!materia::detail::cpu_has_avx2()) return;
    std::mt19937_64 rng(20261122);
    std::uniform_real_distribution<double> u(-1000.0, 1000.0);
    const std::vector<std::string> seps = {" ", "  ", "\t", " \t "};
    char buf[3][64];
    // MD output: %.Nf of random values, every N; all taken while each has at most 15 digits.
    std::size_t md = 0, md_taken = 0;
    for (int digits = 1; digits <= 14; ++digits)
        for (int i = 0; i < 3000; ++i) {
            std::array<std::string, 3> x;
            bool short_enough = true;
            for (std::size_t k = 0; k < 3; ++k) {
                std::snprintf(buf[k], sizeof buf[k], "%.*f", digits, u(rng) / (i % 5 == 0 ? 1e3 : 1.0));
                x[k] = buf[k];
                short_enough &= x[k].size() - (x[k][0] == '-' ? 1 : 0) - 1 <= 15;
            }
            const std::string& sep = seps[rng() % seps.size()];
            const std::string rest = i % 3 == 0 ? " 1 0 -1" : "";
            const bool ok = check_three(x, sep, rest);
            if (short_enough && three_line(x, sep, rest).size() < 64) {
                ++md;
                md_taken += ok ? 1U : 0U;
            }
        }
    CHECK(md > 30000);
    CHECK(md_taken == md);
    // Shaped and random strings (exponents, signs, no '.', too many digits, garbage): any mix.
    std::size_t taken = 0;
    for (int i = 0; i < 60000; ++i) {
        std::array<std::string, 3> x;
        for (auto& f : x) f = rng() % 4 == 0 ? random_decimal(rng) : shaped_decimal(rng);
        if (x[0].empty() || x[1].empty() || x[2].empty()) continue;
        taken += check_three(x, seps[rng() % seps.size()], rng() % 2 == 0 ? "" : " 0") ? 1U : 0U;
    }
    CHECK(taken > 300);  // (three random fields are rarely all plain)
    // Edge cases: signs, zeros, the 15-digit limit, a '.' at either end, fields that are not numbers.
    const std::vector<std::string> edge = {"0.0", "-0.0", "-0.000000", "1.", "-1.", ".5", "-.5", ".", "-.", "-",
                                           "1..5", "1.5.", "--1.5", "-+1.5", "+1.5", "1.5e3", "15", "-15",
                                           "123456789012345.", "12345678901234.5", "1234567890123456.",
                                           ".123456789012345", ".1234567890123456", "0.12345678901234",
                                           "999999999999999.", "9.99999999999999", "1.5-", "1-.5", "1.5x"};
    std::size_t edge_taken = 0;
    for (const auto& a : edge)
        for (const auto& b : {std::string("1.25"), std::string("-7.5")}) {
            edge_taken += check_three({a, b, "2.5"}, " ", "") ? 1U : 0U;
            edge_taken += check_three({b, a, "2.5"}, " ", "") ? 1U : 0U;
            edge_taken += check_three({"2.5", b, a}, " ", "") ? 1U : 0U;
        }
    CHECK(edge_taken > 30);
    CHECK(check_three({"-0.0", "0.0", "-0.000"}, " ", ""));
    CHECK(!check_three({"1.5", "2.5", "1e3"}, " ", ""));
    CHECK(!check_three({"1.5", "2.5", "."}, " ", ""));
    CHECK(!check_three({"1.5", "2.5", "1234567890123456."}, " ", ""));
    CHECK(!check_three({"1.5", "2", "3.5"}, " ", ""));  // no '.': one by one (decimal_field_avx2)
}
#endif

TEST_CASE("skip_field stops at the first field end, whatever bytes the field holds") {
    using materia::io::detail::is_field_end;
    using materia::io::detail::skip_field;
    std::mt19937_64 rng(31);
    // Field bytes: digits, letters, control bytes that are not separators, bytes >= 0x80.
    const std::string inner = std::string("0123456789.-+eExSi") + '\x01' + '\x1f' + '\x80' + '\xff' + '\x00';
    const std::string ends = std::string(" \t\n\r\v\f");
    for (int t = 0; t < 20000; ++t) {
        const std::size_t n = rng() % 40;
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s += inner[rng() % inner.size()];
        s += ends[rng() % ends.size()];
        s += "abc def";
        s.append(64, '\n');  // the pad of line_source
        std::size_t ref = 0;
        while (!is_field_end(s[ref])) ++ref;
        CHECK(ref == n);
        CHECK(skip_field(s.data()) == s.data() + n);
    }
}

}  // TEST_SUITE
