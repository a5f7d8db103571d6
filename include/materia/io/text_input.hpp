// materia/io/text_input.hpp — fast line-oriented text input shared by every structure reader.
//
// Entry points (materia::io::detail): line_source (buffered lines from a file or from memory, with
// 1-based line numbers and parse_error helpers), tokenizer (whitespace fields without copies),
// parse_double / parse_count / parse_long (std::from_chars, finite values only).
//
// Why not iostreams: `is >> x` per token is 5–10× slower than std::from_chars on large buffered
// reads, and a 10 GB trajectory must stream.  line_source reads 1 MiB blocks with fread, finds line
// ends with memchr, and hands out std::string_view lines that stay valid until the next call.  A
// line longer than 64 MiB is an error (garbage input must not exhaust memory).
#pragma once

#include <materia/core/error.hpp>

#include <array>
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

namespace materia::io::detail {

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

    /// Read from a text held in memory (fuzzing, tests); name is used in error messages.
    line_source(std::string name, std::string content) : m_name(std::move(name)), m_buf(std::move(content)) {
        m_end = m_buf.size();
        m_eof = true;
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
    bool next(std::string_view& line) {
        m_prev_pos = m_pos;
        m_prev_line = m_line;
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
    bool skip_lines(std::size_t k) {
        std::string_view l;
        for (std::size_t i = 0; i < k; ++i)
            if (!next(l)) return false;
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
        const std::size_t rem = m_end - m_pos;
        if (m_pos > 0) {
            std::memmove(m_buf.data(), m_buf.data() + m_pos, rem);
            m_consumed += m_pos;
            m_pos = 0;
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
    /// The unread rest of the line.
    [[nodiscard]] constexpr std::string_view rest() const noexcept { return m_s.substr(m_p); }

private:
    std::string_view m_s;
    std::size_t m_p = 0;
};

/// Parse a whole field as a finite double (a leading '+' is allowed; "nan", "inf" are not).
/// libstdc++ 12's std::from_chars is fast_float-based: a hand-written Clinger fast path for plain
/// decimals measured 15 % slower, so there is none.
[[nodiscard]] inline bool to_double(std::string_view t, double& x) noexcept {
    if (t.size() > 1 && t[0] == '+' && t[1] != '-') t.remove_prefix(1);
    const auto r = std::from_chars(t.data(), t.data() + t.size(), x);
    return r.ec == std::errc() && r.ptr == t.data() + t.size() && std::isfinite(x);
}

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
