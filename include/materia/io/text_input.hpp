// materia/io/text_input.hpp — fast line-oriented text input shared by every structure reader.
//
// Entry points (materia::io::detail): line_source (buffered lines from a file or from memory, with
// 1-based line numbers, parse_error helpers, and capture of consumed text for the parallel
// reader), tokenizer (whitespace fields without copies; next_double / next_long parse while
// splitting), fast_decimal (Clinger's exact fast path), to_double / to_long, parse_double /
// parse_long / parse_count_line (finite values only, errors naming file and line).
//
// Why not iostreams: `is >> x` per token is 5–10× slower than std::from_chars on large buffered
// reads, and a 10 GB trajectory must stream.  line_source reads 1 MiB blocks with fread, finds line
// ends from 64-byte newline masks (SSE2 on x86-64), and hands out std::string_view lines that stay
// valid until the next call.  A line longer than 64 MiB is an error (garbage input must not
// exhaust memory).  Numbers: fast_decimal for plain decimals (bit-identical to std::from_chars,
// which handles everything else); measured speeds in benchmarks/compare_io.sh.
#pragma once

#include <materia/core/error.hpp>

#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// The number parser is called for every coordinate: inlining it into the tokenizer loop matters
// (GCC judges it too large on its own).
#if defined(__GNUC__) || defined(__clang__)
#define MATERIA_IO_INLINE [[gnu::always_inline]] inline
#else
#define MATERIA_IO_INLINE inline
#endif

namespace materia::io::detail {

/// Bit i set where p[i] == '\n', for the 64 bytes at p (SSE2 on x86-64, a plain loop elsewhere).
[[nodiscard]] inline std::uint64_t newline_mask64(const char* p) noexcept {
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n');
    std::uint64_t m = 0;
    for (int k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
        m |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl))))
             << (16 * k);
    }
    return m;
#else
    std::uint64_t m = 0;
    for (unsigned i = 0; i < 64; ++i) m |= static_cast<std::uint64_t>(p[i] == '\n') << i;
    return m;
#endif
}

/// Lines of a text file (or of an in-memory text) with line numbers.
class line_source {
public:
    static constexpr std::size_t block_size = std::size_t{1} << 20;
    static constexpr std::size_t max_line = std::size_t{1} << 26;

    /// Open a file for reading.  \throws materia::invalid_argument naming the file if it cannot be
    /// opened.
    explicit line_source(const std::string& path) : m_name(path) {
        m_file = std::fopen(path.c_str(), "rb");
        if (m_file == nullptr)
            throw_invalid("cannot open structure file '", path, "': ", std::strerror(errno));
        m_buf.resize(block_size);
    }

    /// Read from a text held in memory (fuzzing, tests, one frame handed to a worker thread);
    /// name is used in error messages, and line numbers count on from first_line (the number of
    /// lines before the text in its file).
    line_source(std::string name, std::string content, std::size_t first_line = 0)
        : m_name(std::move(name)), m_buf(std::move(content)), m_line(first_line) {
        m_end = m_buf.size();
        m_eof = true;
    }

    /// Take back the text of an in-memory source (its capacity is reused for the next frame).
    [[nodiscard]] std::string take_text() noexcept { return std::move(m_buf); }

    /// Copy every byte consumed from now on into *out (cleared first) until end_capture(): the
    /// parallel reader hands the text of a frame, found by the cheap skip pass, to a worker.
    void begin_capture(std::string& out) noexcept {
        out.clear();
        m_capture = &out;
        m_capture_from = m_pos;
    }
    /// Stop copying (see begin_capture).
    void end_capture() {
        if (m_capture == nullptr) return;
        m_capture->append(m_buf.data() + m_capture_from, m_pos - m_capture_from);
        m_capture = nullptr;
    }

    ~line_source() {
        if (m_file != nullptr) std::fclose(m_file);
    }
    line_source(const line_source&) = delete;
    line_source& operator=(const line_source&) = delete;
    line_source(line_source&&) = delete;
    line_source& operator=(line_source&&) = delete;

    /// The first bytes of the input (up to one block), without consuming anything.
    [[nodiscard]] std::string_view head() {
        if (!m_eof && m_end - m_pos < block_size) refill();
        return {m_buf.data() + m_pos, m_end - m_pos};
    }

    /// Next line without its '\n' (and a trailing '\r'); false at the end of the input.
    /// Line ends come from the newline bits of 64-byte windows (newline_mask64, one window usually
    /// holds one or two short atom lines: cheaper than a memchr call per line); near the end of
    /// the buffered bytes, memchr and refill.
    bool next(std::string_view& line) {
        m_prev_pos = m_pos;
        m_prev_line = m_line;
        {
            // m_window holds the newline bits of the 64 bytes at m_window_at (all of them, so
            // that unget() needs no care); bits before m_pos are masked off here.
            const char* const d = m_buf.data();
            std::size_t base = m_window_at;
            std::uint64_t full = m_window;
            bool ok = true;
            if (!(m_window_valid && m_pos >= base && m_pos - base < 64)) {
                if (m_end - m_pos >= 64) {
                    base = m_pos;
                    full = newline_mask64(d + base);
                } else {
                    ok = false;
                }
            }
            std::uint64_t mask = ok ? full & (~std::uint64_t{0} << (m_pos - base)) : 0;
            while (ok && mask == 0) {
                base += 64;
                if (m_end - base < 64) {
                    ok = false;
                } else {
                    full = newline_mask64(d + base);
                    mask = full;
                }
            }
            if (ok) {
                m_window_at = base;
                m_window = full;
                m_window_valid = true;
                const std::size_t e = base + static_cast<std::size_t>(std::countr_zero(mask));
                line = std::string_view(d + m_pos, e - m_pos);
                m_pos = e + 1;
                if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
                ++m_line;
                return true;
            }
            m_window_valid = false;
        }
        std::size_t searched = m_pos;
        for (;;) {
            const char* data = m_buf.data();
            const void* nl = std::memchr(data + searched, '\n', m_end - searched);
            if (nl != nullptr) {
                const std::size_t e = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
                line = std::string_view(data + m_pos, e - m_pos);
                m_pos = e + 1;
                break;
            }
            if (m_eof) {
                if (m_pos == m_end) return false;
                line = std::string_view(data + m_pos, m_end - m_pos);
                m_pos = m_end;
                break;
            }
            const std::size_t scanned = m_end - m_pos;
            refill();
            searched = m_pos + scanned;
            m_prev_pos = m_pos;
        }
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        ++m_line;
        return true;
    }

    /// Give back the line returned by the last next() (valid only right after it).
    void unget() noexcept {
        m_pos = m_prev_pos;
        m_line = m_prev_line;
    }

    /// Skip k lines; false if the input ends first (then line() is the last line read).
    /// The skip pass lives here (unselected frames, frame counting, the parallel reader's frame
    /// finding): buffered text is scanned 64 bytes at a time for newlines (newline_mask64), about
    /// 3× faster than a memchr call per short line; the last partial block goes through next().
    bool skip_lines(std::size_t k) {
        std::string_view l;
        while (k > 0) {
            const char* const d = m_buf.data();
            std::size_t p = m_pos;
            while (k > 0 && m_end - p >= 64) {
                std::uint64_t mask = newline_mask64(d + p);
                while (mask != 0 && k > 0) {
                    ++m_line;
                    if (--k == 0) {
                        p += static_cast<std::size_t>(std::countr_zero(mask)) + 1;
                        break;
                    }
                    mask &= mask - 1;
                }
                if (k > 0) p += 64;
            }
            m_pos = m_prev_pos = p;
            m_prev_line = m_line;
            if (k == 0) return true;
            if (!next(l)) return false;
            --k;
        }
        return true;
    }

    /// 1-based number of the last line returned (0 before the first).
    [[nodiscard]] std::size_t line() const noexcept { return m_line; }
    [[nodiscard]] const std::string& name() const noexcept { return m_name; }
    /// Bytes consumed so far (for progress reports).
    [[nodiscard]] std::uintmax_t bytes_read() const noexcept { return m_consumed + m_pos; }

    /// Throw a parse_error at the current line.
    [[noreturn]] void fail(const std::string& what) const { throw parse_error(m_name, m_line, what); }
    /// Throw a parse_error at a given line.
    [[noreturn]] void fail_at(std::size_t line, const std::string& what) const {
        throw parse_error(m_name, line, what);
    }
    /// Throw the error for input that ends where `expected` was due.
    [[noreturn]] void fail_eof(const std::string& expected) const {
        throw parse_error(m_name, m_line + 1, "unexpected end of file: expected " + expected);
    }

private:
    void refill() {
        m_window_valid = false;  // the bytes move
        const std::size_t rem = m_end - m_pos;
        if (m_capture != nullptr) {
            // Bytes before m_pos are consumed lines: save them before the block moves.
            m_capture->append(m_buf.data() + m_capture_from, m_pos - m_capture_from);
            m_capture_from = m_pos;
        }
        if (m_pos > 0) {
            std::memmove(m_buf.data(), m_buf.data() + m_pos, rem);
            m_consumed += m_pos;
            m_pos = 0;
            m_capture_from = 0;
            m_end = rem;
        }
        if (m_end == m_buf.size()) {
            if (m_buf.size() >= max_line)
                throw parse_error(m_name, m_line + 1, "line longer than 64 MiB: expected a text file");
            m_buf.resize(m_buf.size() * 2);
        }
        const std::size_t got = std::fread(m_buf.data() + m_end, 1, m_buf.size() - m_end, m_file);
        m_end += got;
        if (got == 0) {
            if (std::ferror(m_file) != 0) throw parse_error(m_name, m_line + 1, "read error");
            m_eof = true;
        }
    }

    std::string m_name;
    std::FILE* m_file = nullptr;
    std::string m_buf;
    std::size_t m_pos = 0, m_end = 0;
    std::size_t m_prev_pos = 0, m_prev_line = 0;
    std::size_t m_line = 0;
    std::uintmax_t m_consumed = 0;
    bool m_eof = false;
    std::string* m_capture = nullptr;
    std::size_t m_capture_from = 0;
    std::size_t m_window_at = 0;  // see next()
    std::uint64_t m_window = 0;
    bool m_window_valid = false;
};

/// Field separators: space, tab, CR, VT, FF (a table: this test runs for every byte of a file).
inline constexpr std::array<bool, 256> space_table = [] {
    std::array<bool, 256> t{};
    for (char c : {' ', '\t', '\r', '\v', '\f'}) t[static_cast<unsigned char>(c)] = true;
    return t;
}();

[[nodiscard]] constexpr bool is_space(char c) noexcept { return space_table[static_cast<unsigned char>(c)]; }

[[nodiscard]] constexpr bool is_blank(std::string_view s) noexcept {
    for (char c : s)
        if (!is_space(c)) return false;
    return true;
}

/// Whether a text (several lines) holds only whitespace.
[[nodiscard]] constexpr bool is_blank_text(std::string_view s) noexcept {
    for (char c : s)
        if (!is_space(c) && c != '\n') return false;
    return true;
}

[[nodiscard]] constexpr std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

/// Powers of ten that are exact doubles (10^0 … 10^22).
inline constexpr std::array<double, 23> exact_powers_of_ten = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

[[nodiscard]] constexpr bool is_digit(char c) noexcept { return static_cast<unsigned char>(c - '0') < 10; }

/// Whether 8 bytes (little-endian word) are all ASCII digits (fast_float's test).
[[nodiscard]] inline bool eight_digits(std::uint64_t v) noexcept {
    return ((v & 0xF0F0F0F0F0F0F0F0ULL) | (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ==
           0x3333333333333333ULL;
}

/// The value of 8 ASCII digits in a little-endian word, 3 multiplications (SWAR, as in fast_float).
[[nodiscard]] inline std::uint64_t eight_digits_value(std::uint64_t v) noexcept {
    constexpr std::uint64_t mask = 0x000000FF000000FFULL;
    constexpr std::uint64_t mul1 = 0x000F424000000064ULL;  // 100 + (1000000 << 32)
    constexpr std::uint64_t mul2 = 0x0000271000000001ULL;  // 1 + (10000 << 32)
    v -= 0x3030303030303030ULL;
    v = (v * 10) + (v >> 8);
    v = (((v & mask) * mul1) + (((v >> 16) & mask) * mul2)) >> 32;
    return v;
}

/// 8 bytes as a little-endian word (compilers turn this into one load on little-endian machines).
[[nodiscard]] inline std::uint64_t load8(const char* p) noexcept {
    if constexpr (std::endian::native == std::endian::little) {
        std::uint64_t v = 0;
        std::memcpy(&v, p, 8);
        return v;
    } else {
        std::uint64_t v = 0;
        for (int k = 7; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(p[k]);
        return v;
    }
}

/// Clinger's fast path for a plain decimal at [p, e): [+|-] digits [. digits] [(e|E) [+|-] digits].
/// When the decimal significand has at most 19 digits, is at most 2^53 and the decimal exponent is
/// in [-22, 22], both the significand and 10^|exp| are exact doubles, so ONE correctly rounded
/// multiplication or division gives the correctly rounded value — bit-identical to strtod and
/// std::from_chars (Clinger 1990, "How to read floating point numbers accurately", PLDI; the same
/// path opens fast_float).  Returns the end of the number when it ends at a field separator or at
/// e and the fast path applies; nullptr otherwise (the caller then asks std::from_chars, which
/// also decides what is malformed).  Typical MD output ("12.34567890") always takes this path.
[[nodiscard]] MATERIA_IO_INLINE const char* fast_decimal(const char* p, const char* e, double& x) noexcept {
    bool neg = false;
    if (p != e && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        ++p;
    }
    std::uint64_t m = 0;
    const char* const d0 = p;
    while (p != e && is_digit(*p)) m = m * 10 + static_cast<std::uint64_t>(*p++ - '0');
    std::ptrdiff_t digits = p - d0;
    std::ptrdiff_t exp10 = 0;
    if (p != e && *p == '.') {
        ++p;
        const char* const f0 = p;
        // 8 digits at a time (SWAR), then one by one.
        while (e - p >= 8) {
            const std::uint64_t v = load8(p);
            if (!eight_digits(v)) break;
            m = m * 100000000 + eight_digits_value(v);
            p += 8;
        }
        while (p != e && is_digit(*p)) m = m * 10 + static_cast<std::uint64_t>(*p++ - '0');
        exp10 = f0 - p;
        digits += p - f0;
    }
    // Beyond 19 digits m may have wrapped: never used then.
    if (digits == 0 || digits > 19) return nullptr;
    if (p != e && (*p == 'e' || *p == 'E')) {
        ++p;
        bool eneg = false;
        if (p != e && (*p == '-' || *p == '+')) {
            eneg = *p == '-';
            ++p;
        }
        const char* const x0 = p;
        std::ptrdiff_t ev = 0;
        while (p != e && is_digit(*p) && p - x0 < 6) ev = ev * 10 + (*p++ - '0');
        if (p == x0 || (p != e && is_digit(*p))) return nullptr;
        exp10 += eneg ? -ev : ev;
    }
    if (p != e && !is_space(*p)) return nullptr;
    if (m > (std::uint64_t{1} << 53) || exp10 < -22 || exp10 > 22) return nullptr;
    double d = static_cast<double>(m);
    if (exp10 < 0) d /= exact_powers_of_ten[static_cast<std::size_t>(-exp10)];
    else d *= exact_powers_of_ten[static_cast<std::size_t>(exp10)];
    x = neg ? -d : d;
    return p;
}

/// Parse a whole field as a finite double (a leading '+' is allowed; "nan", "inf" are not).
/// Plain decimals take fast_decimal; everything else (long significands, large exponents,
/// malformed text) goes to std::from_chars, which is correctly rounded, so the value is always
/// bit-identical to std::from_chars (tests/io/test_numbers.cpp checks millions of strings).
[[nodiscard]] inline bool to_double(std::string_view t, double& x) noexcept {
    const char* const e = t.data() + t.size();
    if (!t.empty() && fast_decimal(t.data(), e, x) == e) return true;
    if (t.size() > 1 && t[0] == '+' && t[1] != '-') t.remove_prefix(1);
    const auto r = std::from_chars(t.data(), t.data() + t.size(), x);
    return r.ec == std::errc() && r.ptr == t.data() + t.size() && std::isfinite(x);
}

/// Whitespace-separated fields of one line, without copies.
class tokenizer {
public:
    explicit constexpr tokenizer(std::string_view s) noexcept : m_s(s) {}
    /// Next field; false when none is left.
    constexpr bool next(std::string_view& tok) noexcept {
        std::size_t i = m_p;
        const std::size_t n = m_s.size();
        while (i < n && is_space(m_s[i])) ++i;
        if (i == n) {
            m_p = n;
            return false;
        }
        std::size_t j = i + 1;
        while (j < n && !is_space(m_s[j])) ++j;
        tok = m_s.substr(i, j - i);
        m_p = j;
        return true;
    }
    /// Next field read as a double: 1 = parsed into x by fast_decimal (the common case: one pass
    /// over the characters), 0 = no field left, -1 = a field that needs the general parser
    /// (to_double / parse_double, which also word the error); then tok holds the field.
    MATERIA_IO_INLINE int next_double(std::string_view& tok, double& x) noexcept {
        const char* const b = m_s.data();
        const std::size_t n = m_s.size();
        std::size_t i = m_p;
        while (i < n && is_space(b[i])) ++i;
        if (i == n) {
            m_p = n;
            return 0;
        }
        if (const char* q = fast_decimal(b + i, b + n, x); q != nullptr) {
            m_p = static_cast<std::size_t>(q - b);
            return 1;
        }
        std::size_t j = i + 1;
        while (j < n && !is_space(b[j])) ++j;
        tok = m_s.substr(i, j - i);
        m_p = j;
        return -1;
    }
    /// Next field read as an integer: 1 = a plain [+|-]digits field of at most 18 digits, parsed
    /// into v (the value to_long gives), 0 = no field left, -1 = any other field (then tok holds it
    /// for to_long / parse_long).  tok is set in every case but 0.
    MATERIA_IO_INLINE int next_long(std::string_view& tok, long long& v) noexcept {
        const char* const b = m_s.data();
        const std::size_t n = m_s.size();
        std::size_t i = m_p;
        while (i < n && is_space(b[i])) ++i;
        if (i == n) {
            m_p = n;
            return 0;
        }
        std::size_t j = i;
        const bool neg = b[j] == '-';
        if (b[j] == '-' || b[j] == '+') ++j;
        const std::size_t d0 = j;
        long long x = 0;
        while (j < n && is_digit(b[j]) && j - d0 < 18) x = x * 10 + (b[j++] - '0');
        if (j > d0 && (j == n || is_space(b[j]))) {
            tok = m_s.substr(i, j - i);
            m_p = j;
            v = neg ? -x : x;
            return 1;
        }
        while (j < n && !is_space(b[j])) ++j;
        tok = m_s.substr(i, j - i);
        m_p = j;
        return -1;
    }
    /// The unread rest of the line.
    [[nodiscard]] constexpr std::string_view rest() const noexcept { return m_s.substr(m_p); }

private:
    std::string_view m_s;
    std::size_t m_p = 0;
};

/// Parse a whole field as an integer (a leading '+' is allowed).  Up to 18 digits are handled
/// inline (they cannot overflow); longer fields go to std::from_chars, which checks the range.
[[nodiscard]] inline bool to_long(std::string_view t, long long& x) noexcept {
    std::size_t i = 0;
    const bool neg = !t.empty() && t[0] == '-';
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) i = 1;
    if (t.size() > i && t.size() - i <= 18) {
        long long v = 0;
        for (std::size_t k = i; k < t.size(); ++k) {
            const char c = t[k];
            if (c < '0' || c > '9') return false;
            v = v * 10 + (c - '0');
        }
        x = neg ? -v : v;
        return true;
    }
    if (t.size() > 1 && t[0] == '+' && t[1] != '-') t.remove_prefix(1);
    const auto r = std::from_chars(t.data(), t.data() + t.size(), x);
    return r.ec == std::errc() && r.ptr == t.data() + t.size();
}

/// Quote a field for an error message, shortened so binary garbage stays readable.
[[nodiscard]] inline std::string quoted(std::string_view t) {
    std::string s = "'";
    const std::size_t n = t.size() < 40 ? t.size() : 40;
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(t[i]);
        if (c >= 32 && c < 127) s += static_cast<char>(c);
        else s += '?';
    }
    if (t.size() > n) s += "...";
    return s + "'";
}

/// A finite double or a parse_error at the current line saying what was expected.
[[nodiscard]] inline double parse_double(const line_source& src, std::string_view t, const char* what) {
    double x = 0;
    if (!to_double(t, x))
        src.fail(std::string("expected ") + what + " (a finite number), got " + quoted(t));
    return x;
}

/// An integer or a parse_error at the current line.
[[nodiscard]] inline long long parse_long(const line_source& src, std::string_view t, const char* what) {
    long long x = 0;
    if (!to_long(t, x)) src.fail(std::string("expected ") + what + " (an integer), got " + quoted(t));
    return x;
}

/// A line holding one non-negative integer (an atom count) or a parse_error.
[[nodiscard]] inline std::size_t parse_count_line(const line_source& src, std::string_view line,
                                                  const char* what) {
    tokenizer tk(line);
    std::string_view t;
    if (!tk.next(t)) src.fail(std::string("expected ") + what + " (a non-negative integer), got an empty line");
    long long n = 0;
    if (!to_long(t, n) || n < 0)
        src.fail(std::string("expected ") + what + " (a non-negative integer), got " + quoted(t));
    std::string_view extra;
    if (tk.next(extra))
        src.fail(std::string("expected only ") + what + " on this line, got also " + quoted(extra));
    return static_cast<std::size_t>(n);
}

}  // namespace materia::io::detail
