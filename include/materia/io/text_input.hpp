// materia/io/text_input.hpp — fast line-oriented text input shared by every structure reader.
//
// Entry points (materia::io::detail): line_source (lines from a file or from memory, with
// 1-based line numbers, parse_error helpers, capture of consumed text for the parallel reader —
// a view of the mapped window when the text lies in one, else a copy — parse_lines /
// in_place + consumed for parsing atom lines where they lie, and for the parallel reader's
// guessed frame starts: sources over a view of a mapped file or mapped from a byte offset, and
// seek_line, which finds a frame's first line near a guessed offset), tokenizer
// (whitespace fields without copies; next_double / next_long parse while splitting),
// fast_decimal (Clinger's exact fast path), to_double / to_long, the in-place field parsers
// (find_line_fields + decimal_field / long_field, scan_decimal / scan_long, skip_field),
// parse_double / parse_long / parse_count_line (finite values only, errors naming file and line).
//
// Why not iostreams: `is >> x` per token is 5–10× slower than std::from_chars on large buffered
// reads, and a 10 GB trajectory must stream.  line_source maps regular files of 4 MiB or more in
// 32 MiB windows (mmap, POSIX; no copy at all) and reads other input in 1 MiB blocks with fread,
// finds line ends from 64-byte newline masks (SSE2 on x86-64), and hands out std::string_view
// lines that stay valid until the next call.  A line longer than 64 MiB is an error (garbage
// input must not exhaust memory).  The hot loops of the extended XYZ and LAMMPS dump readers do
// not split lines at all: they parse atom lines in place (parse_lines), finding the fields of a
// line from byte masks and converting numbers without a per-digit loop (here in SWAR, and in
// io/fields_avx2.hpp with AVX2); any line they do not take goes through next() and the general
// parsers, which word the errors.  Numbers are always bit-identical to std::from_chars
// (tests/io/test_numbers.cpp, test_in_place.cpp); measured speeds in benchmarks/compare_io.sh.
#pragma once

#include <materia/core/error.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(MAP_POPULATE)
#define MATERIA_IO_MMAP 1
#endif
#endif
#ifndef MATERIA_IO_MMAP
#define MATERIA_IO_MMAP 0
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

/// Whether the readers parse atom lines in place (line_source::parse_lines); true except in tests
/// and fuzzers, which compare the in-place parsers with the line-by-line ones they stand in for.
inline std::atomic<bool> in_place_parsing{true};

/// Regular files of at least mmap_min_bytes are read through mmap, mmap_window_bytes (a multiple
/// of the page size) at a time (POSIX): no copy into a buffer, which costs about as much as
/// finding the lines (`wc -l`).  Settable for tests (small windows exercise the window sliding).
/// Caveat of every mmap reader: a file truncated by another process while it is being read ends
/// the program with SIGBUS instead of a parse error; mmap_min_bytes = SIZE_MAX always uses fread.
inline std::atomic<std::size_t> mmap_min_bytes{std::size_t{1} << 22};
inline std::atomic<std::size_t> mmap_window_bytes{std::size_t{1} << 25};

[[nodiscard]] constexpr std::string_view trim(std::string_view s) noexcept;

/// Lines of a text file (or of an in-memory text) with line numbers.
class line_source {
public:
    static constexpr std::size_t block_size = std::size_t{1} << 20;
    static constexpr std::size_t max_line = std::size_t{1} << 26;
    /// '\n' bytes kept after the buffered text (see parse_lines): in-place parsers may load up to
    /// this many bytes past any position they reach, and every scan stops at a '\n'.
    static constexpr std::size_t pad = 64;

    /// Open a file for reading.  \throws materia::invalid_argument naming the file if it cannot be
    /// opened.
    explicit line_source(const std::string& path) : m_name(path) {
        m_file = std::fopen(path.c_str(), "rb");
        if (m_file == nullptr)
            throw_invalid("cannot open structure file '", path, "': ", std::strerror(errno));
        m_file_ref = std::shared_ptr<std::FILE>(m_file, [](std::FILE* f) { std::fclose(f); });
#if MATERIA_IO_MMAP
        struct stat st {};
        if (::fstat(::fileno(m_file), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
            static_cast<std::size_t>(st.st_size) >= mmap_min_bytes.load()) {
            m_file_size = static_cast<std::size_t>(st.st_size);
            m_map_window = mmap_window_bytes.load();
            if (remap(0)) return;
        }
#endif
        m_buf.assign(block_size + pad, '\n');
        m_data = m_buf.data();
    }

    /// Read from a text held in memory (fuzzing, tests, one frame handed to a worker thread);
    /// name is used in error messages, and line numbers count on from first_line (the number of
    /// lines before the text in its file).
    line_source(std::string name, std::string content, std::size_t first_line = 0)
        : m_name(std::move(name)), m_buf(std::move(content)), m_line(first_line) {
        m_end = m_buf.size();
        m_buf.append(pad, '\n');
        m_data = m_buf.data();
        m_eof = true;
    }

    /// Read a text that lies in memory owned elsewhere (a frame inside a mapped window of its
    /// file, handed to a worker thread without a copy: see end_capture(captured_view&)).  `keep`
    /// keeps that memory alive; `tail` bytes after the text are readable too (the in-place
    /// parsers load up to `pad` bytes past any position they reach; with fewer, the last lines go
    /// through next()).  name and first_line as above.
    line_source(std::string name, std::shared_ptr<void> keep, std::string_view text, std::size_t tail,
                std::size_t first_line)
        : m_name(std::move(name)),
          m_data(text.data()),
          m_window_ref(std::move(keep)),
          m_end(text.size()),
          m_line(first_line),
          m_eof(true),
          m_unpadded(true),
          m_tail(tail) {}

#if MATERIA_IO_MMAP
    /// Read a regular file of file_size bytes through mmap from byte `at` on (a frame start given
    /// or guessed by the parallel reader: see seek_line), `window` bytes mapped at a time (slid
    /// and grown as needed), sharing the open `file` with other sources.  Line numbers count on
    /// from first_line; bytes_read() is the offset in the file.  \throws materia::parse_error if
    /// the file cannot be mapped.
    line_source(std::string name, std::shared_ptr<std::FILE> file, std::size_t file_size, std::size_t at,
                std::size_t window, std::size_t first_line = 0)
        : m_name(std::move(name)), m_file(file.get()), m_file_ref(std::move(file)), m_line(first_line) {
        m_file_size = file_size;
        m_map_window = window;
        if (at >= file_size) {  // at the end: no text
            m_buf.assign(pad, '\n');
            m_data = m_buf.data();
            m_consumed = file_size;
            m_eof = true;
            return;
        }
        if (!remap(at)) throw parse_error(m_name, m_line + 1, "read error (mmap)");
    }

    /// Move to the start of the line nearest to byte `guess` of the input (as bytes_read() counts;
    /// within `radius` bytes of it and within the buffered or mapped text after the current
    /// position) whose text, trimmed, is `header`; false (nothing moved) if there is none.
    /// at_line_start: whether the current position starts a line.  The parallel reader guesses
    /// where a frame starts from the previous frames' lengths and finds its first line (an
    /// extended XYZ atom count, "ITEM: TIMESTEP") this way; whether the guess was right is checked
    /// afterwards.
    bool seek_line(std::string_view header, std::size_t guess, std::size_t radius, bool at_line_start) {
        if (header.empty() || guess < m_consumed) return false;
        const char* const d = m_data;
        const std::size_t g = guess - m_consumed;
        const std::size_t lo = std::max(m_pos, g > radius ? g - radius : 0);
        const std::size_t hi = std::min(m_end, g + radius);
        if (lo >= hi) return false;
        std::size_t best = 0, best_dist = static_cast<std::size_t>(-1);
        std::size_t s = lo;
        if (!(s == m_pos ? at_line_start : d[s - 1] == '\n')) {
            // Not a line start: from the next one.
            const void* nl = std::memchr(d + s, '\n', hi - s);
            if (nl == nullptr) return false;
            s = static_cast<std::size_t>(static_cast<const char*>(nl) - d) + 1;
        }
        while (s <= hi && s < m_end) {
            const std::size_t dist = s > g ? s - g : g - s;
            if (s > g && dist >= best_dist) break;  // farther from here on
            const void* nl = std::memchr(d + s, '\n', m_end - s);
            if (nl == nullptr) break;  // the line may go on past the mapped text
            const std::size_t e = static_cast<std::size_t>(static_cast<const char*>(nl) - d);
            if (dist < best_dist && trim(std::string_view(d + s, e - s)) == header) {
                best = s;
                best_dist = dist;
            }
            s = e + 1;
        }
        if (best_dist == static_cast<std::size_t>(-1)) return false;
        m_pos = m_prev_pos = best;
        m_window_valid = false;
        return true;
    }
#endif

    /// Take back the text of an in-memory source (its capacity is reused for the next frame).
    [[nodiscard]] std::string take_text() noexcept {
        m_buf.resize(m_end);  // without the padding
        return std::move(m_buf);
    }

    /// Copy every byte consumed from now on into *out (cleared first) until end_capture(): the
    /// parallel reader hands the text of a frame, found by the cheap skip pass, to a worker.
    void begin_capture(std::string& out) noexcept {
        out.clear();
        m_capture = &out;
        m_capture_from = m_pos;
        m_capture_moved = false;
    }
    /// Stop copying (see begin_capture).
    void end_capture() {
        if (m_capture == nullptr) return;
        m_capture->append(m_data + m_capture_from, m_pos - m_capture_from);
        m_capture = nullptr;
    }

    /// Text captured without a copy: it lies in a mapped window of the file, kept mapped by
    /// `window` (shared with the line_source, which moves on to later windows), with `tail`
    /// readable bytes after it.  Read it with the line_source(name, keep, text, tail, first_line)
    /// constructor.
    struct captured_view {
        std::shared_ptr<void> window;
        std::string_view text;
        std::size_t tail = 0;
    };
    /// Stop capturing: when every captured byte is still in the current mapped window (the usual
    /// case: frames of a few MB, windows of 32 MiB), view refers to them and nothing is copied
    /// (copying the text cost the finding thread as much as finding the frames); otherwise the
    /// text is completed in the string given to begin_capture and view is empty.  Returns whether
    /// view was set.
    bool end_capture(captured_view& view) {
        view = {};
        if (m_capture == nullptr) return false;
        if (m_capture_moved || m_map == nullptr) {
            end_capture();
            return false;
        }
        view.window = m_window_ref;
        view.text = std::string_view(m_data + m_capture_from, m_pos - m_capture_from);
        view.tail = m_end - m_pos;
        m_capture = nullptr;
        return true;
    }

    // A mapped window is unmapped by m_window_ref's deleter, once no captured view holds it; the
    // file is closed by m_file_ref's, once no other source shares it.
    ~line_source() = default;
    line_source(const line_source&) = delete;
    line_source& operator=(const line_source&) = delete;
    line_source(line_source&&) = delete;
    line_source& operator=(line_source&&) = delete;

    /// The first bytes of the input (up to one block), without consuming anything.
    [[nodiscard]] std::string_view head() {
        if (!m_eof && m_end - m_pos < block_size) refill();
        return {m_data + m_pos, m_end - m_pos};
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
            const char* const d = m_data;
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
            const char* data = m_data;
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
            const char* const d = m_data;
            std::size_t p = m_pos;
            std::size_t line_start = m_pos;  // of the line being skipped
            while (k > 0 && m_end - p >= 64) {
                std::uint64_t mask = newline_mask64(d + p);
                while (mask != 0 && k > 0) {
                    ++m_line;
                    line_start = p + static_cast<std::size_t>(std::countr_zero(mask)) + 1;
                    if (--k == 0) break;
                    mask &= mask - 1;
                }
                p = k > 0 ? p + 64 : line_start;
            }
            // The rest of the current line goes through next() (it may end without a '\n' at
            // the end of the input: still a line).
            p = line_start;
            m_pos = m_prev_pos = p;
            m_prev_line = m_line;
            if (k == 0) return true;
            if (!next(l)) return false;
            --k;
        }
        return true;
    }

    /// Parse up to max_lines whole lines in place, without splitting them first (the hot loop of
    /// the extended XYZ and LAMMPS dump readers).  fn(p, end) gets the start of a line and the end
    /// of the buffered text; it returns the position just past the line's '\n' (which must lie
    /// before end) when it handled the line, or nullptr to leave the line to next() (anything
    /// unusual: the general path then parses it and words any error).  Loads of up to `pad` bytes
    /// past any position a scan reaches are safe, and scans stop at end: after buffered text come
    /// `pad` '\n' bytes; in a mapped file end is placed just after a '\n' at least `pad` bytes
    /// before the end of the mapping.
    /// Returns the number of lines handled; stops at the first line fn leaves, at the end of the
    /// input, or when no whole line is buffered.  Line numbers and bytes_read() count on as with
    /// next(); unget() is not available right after.
    template <class Fn>
    std::size_t parse_lines(std::size_t max_lines, Fn&& fn) {
        std::size_t done = 0;
        while (done < max_lines) {
            const in_place_text t = in_place();
            const char* p = t.begin;
            std::size_t k = 0;
            bool left = false;
            while (done + k < max_lines && p < t.soft) {
                const char* const q = fn(p, t.end);
                if (q == nullptr) {
                    left = true;
                    break;
                }
                p = q;
                ++k;
            }
            consumed(p, k);
            done += k;
            if (left || k == 0 || t.last) break;
        }
        return done;
    }

    /// The buffered text for parsing in place (parse_lines spelled out, for loops that cannot
    /// take a callback, e.g. those compiled for AVX2): lines starting before soft may be parsed
    /// (a line reaching end is not complete); then consumed(past the last line parsed, lines).
    /// last: no more text will come (soft == end).
    struct in_place_text {
        const char* begin;
        const char* end;
        const char* soft;
        bool last;
    };
    [[nodiscard]] in_place_text in_place() {
        constexpr std::size_t margin = 4096;  // refill when less than this is buffered
        if (!m_eof && m_end - m_pos <= margin) refill();
        const char* const d = m_data;
        if (m_unpadded) {
            // A mapped file has no '\n' pad: end is just past the last '\n' that has `pad` or more
            // readable bytes after it (m_tail of them lie past m_end in a captured view), so every
            // line before end is complete and loads stay inside.
            const std::size_t readable = m_end + m_tail;
            std::size_t e = readable > m_pos + pad ? std::min(m_end, readable - pad) : m_pos;
            while (e > m_pos && d[e - 1] != '\n') --e;
            return {d + m_pos, d + e, d + e, false};
        }
        // Near the end of a block the rest is read first (a line crossing the end would be left).
        const std::size_t soft = m_eof ? m_end : (m_end >= margin ? m_end - margin : 0);
        return {d + m_pos, d + m_end, d + (soft > m_pos ? soft : m_pos), m_eof};
    }
    /// Lines parsed in place from in_place(): p is just past the last one.
    void consumed(const char* p, std::size_t lines) noexcept {
        m_pos = static_cast<std::size_t>(p - m_data);
        m_prev_pos = m_pos;
        m_line += lines;
        m_prev_line = m_line;
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
#if MATERIA_IO_MMAP
    /// Map the window of the file that holds byte `at` (from the page that holds it); false if
    /// mmap fails (then the caller reads with fread).  The old window is unmapped.
    bool remap(std::size_t at) {
        const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        const std::size_t off = at / page * page;
        const std::size_t len = std::min(m_map_window, m_file_size - off);
        m_window_ref.reset();  // unmapped now unless a captured view still holds it
        m_map = nullptr;
        // MAP_POPULATE: the pages are in the page cache (or read ahead now); mapping them all at
        // once costs less than a fault per page.
        void* const m = ::mmap(nullptr, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, ::fileno(m_file),
                               static_cast<off_t>(off));
        if (m == MAP_FAILED) return false;
        m_window_ref = std::shared_ptr<void>(m, [len](void* q) { ::munmap(q, len); });
        m_map = m;
        m_unpadded = true;
        m_map_len = len;
        m_data = static_cast<const char*>(m);
        m_consumed = off;
        m_pos = at - off;
        m_end = len;
        m_eof = off + len == m_file_size;
        return true;
    }
#endif

    void refill() {
        m_window_valid = false;  // the bytes move
        const std::size_t rem = m_end - m_pos;
        if (m_capture != nullptr) {
            // Bytes before m_pos are consumed lines: save them before the block moves.
            m_capture->append(m_data + m_capture_from, m_pos - m_capture_from);
            m_capture_from = m_pos;
            m_capture_moved = true;
        }
#if MATERIA_IO_MMAP
        if (m_map != nullptr) {
            // Slide the window to the page of m_pos; grow it when that makes no progress (a line
            // longer than the window).
            const std::size_t at = m_consumed + m_pos;
            const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
            if (at / page * page == m_consumed) {
                if (m_map_window >= max_line)
                    throw parse_error(m_name, m_line + 1, "line longer than 64 MiB: expected a text file");
                m_map_window *= 2;
            }
            if (!remap(at)) throw parse_error(m_name, m_line + 1, "read error (mmap)");
            m_capture_from = m_pos;
            return;
        }
#endif
        if (m_pos > 0) {
            std::memmove(m_buf.data(), m_data + m_pos, rem);
            m_consumed += m_pos;
            m_pos = 0;
            m_capture_from = 0;
            m_end = rem;
        }
        const std::size_t capacity = m_buf.size() - pad;
        if (m_end == capacity) {
            if (capacity >= max_line)
                throw parse_error(m_name, m_line + 1, "line longer than 64 MiB: expected a text file");
            m_buf.resize(capacity * 2 + pad);
            m_data = m_buf.data();
        }
        const std::size_t got = std::fread(m_buf.data() + m_end, 1, m_buf.size() - pad - m_end, m_file);
        m_end += got;
        std::memset(m_buf.data() + m_end, '\n', pad);  // see parse_lines
        if (got == 0) {
            if (std::ferror(m_file) != 0) throw parse_error(m_name, m_line + 1, "read error");
            m_eof = true;
        }
    }

    std::string m_name;
    std::FILE* m_file = nullptr;
    std::shared_ptr<std::FILE> m_file_ref;  // owns m_file (shared by sources reading the same file)
    std::string m_buf;              // the text (fread blocks or in memory), with the '\n' pad
    const char* m_data = nullptr;   // m_buf.data(), or the mapped window of the file
    void* m_map = nullptr;          // mmap mode: the window [m_consumed, m_consumed + m_map_len)
    std::shared_ptr<void> m_window_ref;  // owns the mapped window (or the memory of a captured view)
    std::size_t m_map_len = 0, m_map_window = 0, m_file_size = 0;
    std::size_t m_pos = 0, m_end = 0;
    std::size_t m_prev_pos = 0, m_prev_line = 0;
    std::size_t m_line = 0;
    std::uintmax_t m_consumed = 0;
    bool m_eof = false;
    bool m_unpadded = false;  // no '\n' pad after the text (a mapped window or a captured view)
    std::size_t m_tail = 0;   // readable bytes after m_end (a captured view; see in_place)
    std::string* m_capture = nullptr;
    std::size_t m_capture_from = 0;
    bool m_capture_moved = false;  // the window moved during the capture: the text was copied
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

/// Bytes that end a field when parsing in place (line_source::parse_lines): the separators of
/// is_space and '\n'.
inline constexpr std::array<bool, 256> field_end_table = [] {
    std::array<bool, 256> t = space_table;
    t[static_cast<unsigned char>('\n')] = true;
    return t;
}();

[[nodiscard]] constexpr bool is_field_end(char c) noexcept { return field_end_table[static_cast<unsigned char>(c)]; }

/// The high bit of every byte of a little-endian word that is not an ASCII digit (SWAR; no carry
/// crosses a byte: the low 7 bits are tested apart from the high bit).
[[nodiscard]] constexpr std::uint64_t nondigit_bits(std::uint64_t v) noexcept {
    constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL, high = 0x8080808080808080ULL;
    const std::uint64_t w = v & low7;
    const std::uint64_t above = w + 0x4646464646464646ULL;          // high bit set: (b & 0x7F) >= '9' + 1
    const std::uint64_t below = (w | high) - 0x3030303030303030ULL;  // high bit clear: (b & 0x7F) < '0'
    return (above | ~below | v) & high;
}

/// Number of leading ASCII digits of a word (0..8).
[[nodiscard]] constexpr unsigned leading_digits(std::uint64_t v) noexcept {
    const std::uint64_t nd = nondigit_bits(v);
    return nd == 0 ? 8U : static_cast<unsigned>(std::countr_zero(nd)) >> 3;
}

/// The value of the first k (0..8) bytes of a word, all ASCII digits: the digits are shifted to
/// the top of the word (zero bytes in front are leading zeros) and summed by three
/// multiplications (eight_digits_value), with no loop and no branch on k.
[[nodiscard]] constexpr std::uint64_t first_digits_value(std::uint64_t v, unsigned k) noexcept {
    // The subtraction borrows only out of bytes past the k digits, which the shift drops.
    std::uint64_t d = v - 0x3030303030303030ULL;
    d = k == 0 ? 0 : d << (64 - 8 * k);
    constexpr std::uint64_t mask = 0x000000FF000000FFULL;
    constexpr std::uint64_t mul1 = 0x000F424000000064ULL;  // 100 + (1000000 << 32)
    constexpr std::uint64_t mul2 = 0x0000271000000001ULL;  // 1 + (10000 << 32)
    d = (d * 10) + (d >> 8);
    return (((d & mask) * mul1) + (((d >> 16) & mask) * mul2)) >> 32;
}

/// 10^k as an integer, k = 0..19.
inline constexpr std::array<std::uint64_t, 20> integer_powers_of_ten = [] {
    std::array<std::uint64_t, 20> t{};
    std::uint64_t x = 1;
    for (auto& v : t) {
        v = x;
        x *= 10;
    }
    return t;
}();

/// In-place decimal for line_source::parse_lines: "[-]d…d[.d…d]" with at most 7 integer and 15
/// fraction digits (whole words of digits are read at once: no per-digit loop, no branch on the
/// digit counts), ending at a field end (is_field_end).  Up to 24 bytes from p are read, so the
/// buffer must be padded (line_source::pad).  The value is Clinger's exact fast path, as in
/// fast_decimal, so bit-identical to std::from_chars; returns the end of the number, or nullptr
/// for every other shape (exponents, '+', long numbers, malformed text: the caller then uses the
/// general path, which also words the error).
[[nodiscard]] MATERIA_IO_INLINE const char* scan_decimal(const char* p, double& x) noexcept {
    const bool neg = *p == '-';
    p += neg ? 1 : 0;
    const std::uint64_t v = load8(p);
    const unsigned ni = leading_digits(v);
    if (ni == 8) return nullptr;
    std::uint64_t m = first_digits_value(v, ni);
    p += ni;
    unsigned nf = 0;
    if (*p == '.') {
        ++p;
        const std::uint64_t f = load8(p);
        nf = leading_digits(f);
        m = m * integer_powers_of_ten[nf] + first_digits_value(f, nf);
        p += nf;
        if (nf == 8) {
            const std::uint64_t g = load8(p);
            const unsigned ng = leading_digits(g);
            if (ng == 8) return nullptr;
            m = m * integer_powers_of_ten[ng] + first_digits_value(g, ng);  // wraps only beyond 19 digits
            p += ng;
            nf += ng;
        }
    }
    if (ni + nf == 0 || ni + nf > 19 || !is_field_end(*p) || m > (std::uint64_t{1} << 53)) return nullptr;
    const double d = static_cast<double>(m) / exact_powers_of_ten[nf];
    x = neg ? -d : d;
    return p;
}

/// In-place integer for line_source::parse_lines: "[-|+]d…d" with 1..16 digits ending at a field
/// end (the values to_long gives); nullptr for anything else.  Reads up to 17 bytes from p.
[[nodiscard]] MATERIA_IO_INLINE const char* scan_long(const char* p, long long& out) noexcept {
    const bool neg = *p == '-';
    p += (*p == '-' || *p == '+') ? 1 : 0;
    const std::uint64_t v = load8(p);
    unsigned n = leading_digits(v);
    std::uint64_t m = first_digits_value(v, n);
    if (n == 8) {
        const std::uint64_t w = load8(p + 8);
        const unsigned k = leading_digits(w);
        if (k == 8) return nullptr;
        m = m * integer_powers_of_ten[k] + first_digits_value(w, k);
        n += k;
    }
    p += n;
    if (n == 0 || !is_field_end(*p)) return nullptr;
    const auto s = static_cast<long long>(m);
    out = neg ? -s : s;
    return p;
}

/// The end of the field at p (the first is_field_end byte), for in-place parsers: 8 bytes at a time
/// (SWAR: bytes below 0x21 are candidates, every field end among them), so up to 7 bytes past the
/// field's end are read (the buffer is padded: line_source::pad).
[[nodiscard]] MATERIA_IO_INLINE const char* skip_field(const char* p) noexcept {
    for (;;) {
        const std::uint64_t w = load8(p);
        // High bit of each byte below 0x21 (bytes ≥ 0x80 never: ~w clears it); borrows only make
        // bytes after the first such byte look like candidates, and those are not looked at.
        const std::uint64_t low = (w - 0x2121212121212121ULL) & ~w & 0x8080808080808080ULL;
        if (low == 0) {
            p += 8;
            continue;
        }
        p += static_cast<unsigned>(std::countr_zero(low)) >> 3;
        if (is_field_end(*p)) return p;
        ++p;  // a control byte inside the field
    }
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

/// Where the fields of one line are, from SIMD byte masks of the 64 bytes at its start (for
/// line_source::parse_lines, whose padding makes the 64 bytes readable): bit i of field_end is set
/// where byte i ends a field (is_field_end) or lies past the line, starts where a field starts,
/// dots where byte i is '.'; length is the index of the line's '\n'.  Knowing every field's
/// extent up front frees the number parsers from scanning: the fields of a line, and the next
/// line, are parsed independently of each other (no chain of pointer updates), so the CPU
/// overlaps them.
struct line_fields {
    std::uint64_t field_end = 0, starts = 0, dots = 0;
    unsigned length = 0;

    /// Start of the next field (consumed) and its end, as offsets from the line start.
    MATERIA_IO_INLINE void next(unsigned& s, unsigned& e) noexcept {
        s = static_cast<unsigned>(std::countr_zero(starts));
        starts &= starts - 1;
        e = s + static_cast<unsigned>(std::countr_zero(field_end >> s));
    }
};

/// The line_fields of the line at p; false if the line is 64 bytes or longer (no '\n' within the
/// 64 bytes; the caller then scans).
[[nodiscard]] MATERIA_IO_INLINE bool find_line_fields(const char* p, line_fields& lf) noexcept {
    std::uint64_t fe = 0, nl = 0, dot = 0;
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(' '), nine = _mm_set1_epi8(9), four = _mm_set1_epi8(4);
    const __m128i newline = _mm_set1_epi8('\n'), period = _mm_set1_epi8('.');
    for (int k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
        const __m128i t = _mm_sub_epi8(v, nine);  // '\t' '\n' '\v' '\f' '\r' → 0..4
        const __m128i ends = _mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(_mm_min_epu8(t, four), t));
        const auto bits = [](__m128i m) {
            return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(m)));
        };
        fe |= bits(ends) << (16 * k);
        nl |= bits(_mm_cmpeq_epi8(v, newline)) << (16 * k);
        dot |= bits(_mm_cmpeq_epi8(v, period)) << (16 * k);
    }
#else
    for (unsigned i = 0; i < 64; ++i) {
        fe |= static_cast<std::uint64_t>(is_field_end(p[i])) << i;
        nl |= static_cast<std::uint64_t>(p[i] == '\n') << i;
        dot |= static_cast<std::uint64_t>(p[i] == '.') << i;
    }
#endif
    if (nl == 0) return false;
    const unsigned len = static_cast<unsigned>(std::countr_zero(nl));
    const std::uint64_t in_line = (std::uint64_t{1} << len) - 1;  // len < 64
    lf.length = len;
    lf.field_end = fe | ~in_line;
    lf.dots = dot & in_line;
    lf.starts = ~lf.field_end & ((lf.field_end << 1) | 1);
    return true;
}

/// The high bits of the first k (0..8) bytes of a word.
[[nodiscard]] constexpr std::uint64_t first_bytes_high(unsigned k) noexcept {
    return k >= 8 ? 0x8080808080808080ULL : 0x8080808080808080ULL & ((std::uint64_t{1} << (8 * k)) - 1);
}

/// The field [p + s, p + e) of a line (offsets from line_fields) as a double, bit-identical to
/// to_double.  Plain decimals with up to 8 integer and 16 fraction digits are read as whole words
/// (the digits are checked, not scanned: the extent and the '.' are known from the masks); other
/// shapes (exponents, '+', more digits) go through fast_decimal.  False where neither applies:
/// the caller's general path then decides, and words the error.
[[nodiscard]] MATERIA_IO_INLINE bool decimal_field(const char* p, unsigned s, unsigned e, std::uint64_t dots,
                                                   double& x) noexcept {
    const char* const b = p + s;
    const bool neg = *b == '-';
    const unsigned i0 = s + (neg ? 1U : 0U);
    const std::uint64_t in_field = (e - i0 >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << (e - i0)) - 1)) << i0;
    const std::uint64_t d = dots & in_field;
    const unsigned dot = d != 0 ? static_cast<unsigned>(std::countr_zero(d)) : e;
    const unsigned ni = dot - i0;
    const unsigned nf = dot < e ? e - dot - 1 : 0;
    if (ni <= 8 && nf <= 16) {
        const std::uint64_t iw = load8(p + i0);
        const std::uint64_t fw = load8(p + dot + 1);
        const std::uint64_t gw = load8(p + dot + 9);
        const unsigned nf1 = nf < 8 ? nf : 8, nf2 = nf - nf1;
        const bool digits_ok = ((nondigit_bits(iw) & first_bytes_high(ni)) | (nondigit_bits(fw) & first_bytes_high(nf1)) |
                                (nondigit_bits(gw) & first_bytes_high(nf2))) == 0;
        std::uint64_t m = first_digits_value(iw, ni) * integer_powers_of_ten[nf] +
                          first_digits_value(fw, nf1) * integer_powers_of_ten[nf2] + first_digits_value(gw, nf2);
        // Beyond 19 digits m may have wrapped: never used then.
        if (digits_ok && ni + nf != 0 && ni + nf <= 19 && m <= (std::uint64_t{1} << 53)) {
            const double v = static_cast<double>(m) / exact_powers_of_ten[nf];
            x = neg ? -v : v;
            return true;
        }
    }
    return fast_decimal(b, p + e, x) == p + e;
}

/// The field [p + s, p + e) as an integer, the value to_long gives; false where to_long fails.
[[nodiscard]] MATERIA_IO_INLINE bool long_field(const char* p, unsigned s, unsigned e, long long& out) noexcept {
    const char* const b = p + s;
    const bool neg = *b == '-';
    const unsigned i0 = s + ((*b == '-' || *b == '+') ? 1U : 0U);
    const unsigned n = e - i0;
    if (n >= 1 && n <= 8) {
        const std::uint64_t w = load8(p + i0);
        if ((nondigit_bits(w) & first_bytes_high(n)) != 0) return false;
        const auto v = static_cast<long long>(first_digits_value(w, n));
        out = neg ? -v : v;
        return true;
    }
    return to_long(std::string_view(b, e - s), out);
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
