// materia/phase/hull_csv.hpp — the fast path from a `name,formula,energy` CSV text to the rows of
// `materia hull` (name, formula, e_form, e_above_hull, stable, decomposition) for millions of
// entries.
//
// Entry points:
//   materia::phase::csv_hull h(text, source, options)   parse + evaluate (text must outlive h)
//   h.diagram()            the phase diagram of the distinct formulas (one entry per formula:
//                          its lowest row), whose hull equals the hull of every row
//   h.size(), h.name(i), h.formula(i), h.formation_energy(i), h.e_above_hull(i), h.is_stable(i)
//   h.write_rows(threshold, threads, sink)  the CSV rows, block by block, to sink(string_view)
//   h.format_rows(threshold, threads)        the same as one string
//   h.fractions()          n × components() atomic fractions of every row (for batch queries)
//   (file text without a copy: materia::mapped_file in core/mapped_file.hpp)
//
// Why a separate path: a million-row screening file holds far fewer distinct formulas (a ternary
// with 0–40 atoms per element has at most 41³), and everything but the energy depends only on
// the formula.  So the rows are split in parallel without copying (names and formulas stay views
// into the text), each distinct formula is parsed once (a per-thread open-addressing cache keyed
// by the formula text), the hull is built from the lowest row of each formula, and each formula
// is located on the hull and its decomposition string formatted once.  A row then costs one
// std::from_chars, a few multiply-adds and two std::to_chars.  The numbers are bit-for-bit those
// of phase_diagram built from every row: the same formation-energy arithmetic, the same hull
// points in the same order (the lowest entry per composition, first row on ties), the same
// point location.
#pragma once

#include <materia/core/decimal_format.hpp>
#include <materia/core/error.hpp>
#include <materia/core/large_page_allocator.hpp>
#include <materia/core/parallel.hpp>
#include <materia/phase/composition.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace materia::phase {

namespace detail {

// The large per-formula and per-row tables: in transparent huge pages (a million-row file fills
// tens of megabytes of them, which in 4 KiB pages cost ~20,000 page faults — a fifth of the CPU
// time of `materia hull` on 10^6 rows).
template <class T>
using big_vector = std::vector<T, large_page_allocator<T>>;

/// The end of the line starting at p (its '\n', or `end`) and the first two commas before it
/// (nullptr when there are fewer).  One pass, 16 bytes at a time with SSE2 while 16 bytes are
/// left before `end` (never reading past it): three memchr calls per row cost more than the
/// rest of splitting it.
struct line_marks {
    const char* end = nullptr;
    const char* comma1 = nullptr;
    const char* comma2 = nullptr;
};
[[nodiscard]] inline line_marks scan_line(const char* p, const char* end) noexcept {
    line_marks m;
    m.end = end;
    auto comma = [&m](const char* c) noexcept {
        if (m.comma1 == nullptr) m.comma1 = c;
        else if (m.comma2 == nullptr) m.comma2 = c;
    };
#if defined(__SSE2__)
    const __m128i newline = _mm_set1_epi8('\n'), commas = _mm_set1_epi8(',');
    for (; end - p >= 16; p += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const auto nl = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)));
        auto cm = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, commas)));
        if (nl != 0) cm &= (nl & (0u - nl)) - 1;  // only the commas before the newline
        for (; cm != 0 && m.comma2 == nullptr; cm &= cm - 1) comma(p + std::countr_zero(cm));
        if (nl != 0) {
            m.end = p + std::countr_zero(nl);
            return m;
        }
    }
#endif
    for (; p < end; ++p) {
        if (*p == '\n') {
            m.end = p;
            return m;
        }
        if (*p == ',') comma(p);
    }
    return m;
}

/// Indices 0 … n−1 ordered by key[i] (distinct keys): an LSD radix sort on the keys, 11 bits per
/// pass, as many passes as the largest key needs (two for a million rows) — a comparison sort
/// of 64k formulas by their row index was 4 ms of the serial part of csv_hull.
[[nodiscard]] inline std::vector<std::size_t> order_by_key(const std::vector<std::size_t>& key) {
    const std::size_t n = key.size();
    std::vector<std::size_t> a(n), b(n);
    for (std::size_t i = 0; i < n; ++i) a[i] = i;
    std::size_t top = 0;
    for (const std::size_t k : key) top |= k;
    constexpr int bits = 11;
    constexpr std::size_t radix = std::size_t{1} << bits;
    for (int shift = 0; shift < 64 && (top >> shift) != 0; shift += bits) {
        std::size_t count[radix + 1] = {};
        for (const std::size_t k : key) ++count[((k >> shift) & (radix - 1)) + 1];
        for (std::size_t d = 0; d < radix; ++d) count[d + 1] += count[d];
        for (const std::size_t i : a) b[count[(key[i] >> shift) & (radix - 1)]++] = i;  // stable
        a.swap(b);
    }
    return a;
}

/// Open-addressing map from formula text to a dense id (ids in insertion order).  A slot holds
/// the key's hash, length and — for keys of up to 16 bytes, nearly every formula — the key
/// itself, so that a lookup reads one 32-byte slot and nothing else; longer keys are compared
/// against a copy in an arena.  Lookups can be prepared and prefetched ahead (prepare(),
/// prefetch()) so that a batch of rows waits for memory once, not once per row.
class formula_cache {
public:
    /// A key with its hash (and, when short, its bytes as two zero-padded words).
    struct prepared {
        std::string_view text;
        std::uint64_t w0 = 0, w1 = 0, hash = 0;
    };

    /// `expected_keys`: how many distinct keys to make room for up front (the table still grows
    /// past it).  Growing is not free: a rehash re-inserts every key into fresh memory, and the
    /// doublings up to 70k keys cost ~4 ms of a million-row parse per thread.
    explicit formula_cache(std::size_t expected_keys = 512) {
        std::size_t slots = 1024;
        while (slots < 2 * expected_keys) slots *= 2;
        m_slots.assign(slots, slot{});
    }

    /// Hash `s`.  `readable_end` bounds the memory after s that may be read (a key of up to 16
    /// bytes is loaded as 16 bytes at once when that much is readable).
    [[nodiscard]] static prepared prepare(std::string_view s, const char* readable_end) noexcept {
        prepared k;
        k.text = s;
        const std::size_t n = s.size();
        if (n <= 16) {
            // The key as two zero-padded words.  Loaded whole and masked when 16 bytes are
            // readable: no byte stores to a buffer that is then read as words (that stalls on
            // store forwarding: ~10 % of the parse time).  The masks keep the first bytes of a
            // little-endian word; elsewhere every key takes the buffer path.
            if (std::endian::native == std::endian::little && readable_end - s.data() >= 16) {
                std::uint64_t lo, hi;
                std::memcpy(&lo, s.data(), 8);
                std::memcpy(&hi, s.data() + 8, 8);
                auto low_bytes = [](std::size_t m) noexcept { return m >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * m)) - 1; };
                k.w0 = lo & low_bytes(n);
                k.w1 = n > 8 ? hi & low_bytes(n - 8) : 0;
            } else {
                unsigned char buf[16] = {};
                std::memcpy(buf, s.data(), n);
                std::memcpy(&k.w0, buf, 8);
                std::memcpy(&k.w1, buf + 8, 8);
            }
            std::uint64_t h = (k.w0 ^ (0x9e3779b97f4a7c15ull * (n + 1))) * 0xff51afd7ed558ccdull;
            h ^= h >> 32;
            h = (h ^ k.w1) * 0xc4ceb9fe1a85ec53ull;
            h ^= h >> 29;
            k.hash = h;
        } else {
            k.hash = hash(s);
        }
        return k;
    }
    /// Start loading the slot a lookup of k will read first.
    void prefetch(const prepared& k) const noexcept { __builtin_prefetch(&m_slots[k.hash & (m_slots.size() - 1)]); }

    /// Id of `s`, or the largest uint32 if it is not in the cache (read-only: safe to call from
    /// several threads while nobody inserts).
    [[nodiscard]] std::uint32_t find(std::string_view s) const {
        const prepared k = prepare(s, s.data() + s.size());
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = k.hash & mask;; i = (i + 1) & mask) {
            const slot& sl = m_slots[i];
            if (sl.id1 == 0) return std::numeric_limits<std::uint32_t>::max();
            if (matches(sl, k)) return sl.id1 - 1;
        }
    }
    /// Id of `s`, inserting it (fresh = true) if new.
    std::uint32_t find_or_insert(std::string_view s, bool& fresh) { return find_or_insert(prepare(s, s.data() + s.size()), fresh); }
    std::uint32_t find_or_insert(const prepared& k, bool& fresh) {
        const std::size_t mask = m_slots.size() - 1;
        const std::size_t n = k.text.size();
        std::size_t i = k.hash & mask;
        while (true) {
            const slot& sl = m_slots[i];
            if (sl.id1 == 0) break;
            if (matches(sl, k)) {
                fresh = false;
                return sl.id1 - 1;
            }
            i = (i + 1) & mask;
        }
        fresh = true;
        const auto id = static_cast<std::uint32_t>(m_hash.size());
        m_off.push_back(m_arena.size());
        m_arena.append(k.text);
        m_hash.push_back(k.hash);
        m_slots[i] = slot{k.w0, k.w1, k.hash, id + 1, static_cast<std::uint32_t>(n)};
        if (2 * m_hash.size() > m_slots.size()) rehash();
        return id;
    }
    [[nodiscard]] std::size_t size() const noexcept { return m_hash.size(); }
    [[nodiscard]] std::string_view key(std::size_t id) const noexcept {
        const std::size_t b = m_off[id];
        const std::size_t e = id + 1 < m_off.size() ? m_off[id + 1] : m_arena.size();
        return std::string_view(m_arena).substr(b, e - b);
    }

    static std::uint64_t hash(std::string_view s) noexcept {
        std::uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
        std::size_t p = 0;
        for (; p + 8 <= s.size(); p += 8) {
            std::uint64_t w;
            std::memcpy(&w, s.data() + p, 8);
            h = (h ^ w) * 0xff51afd7ed558ccdull;
            h ^= h >> 32;
        }
        std::uint64_t w = 0;
        std::memcpy(&w, s.data() + p, s.size() - p);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
        h ^= h >> 29;
        return h;
    }

private:
    struct slot {
        std::uint64_t w0 = 0, w1 = 0;  // the key's bytes if it has ≤ 16
        std::uint64_t hash = 0;
        std::uint32_t id1 = 0;         // id + 1; 0 = empty
        std::uint32_t len = 0;
    };
    [[nodiscard]] bool matches(const slot& sl, const prepared& k) const noexcept {
        const std::size_t n = k.text.size();
        return sl.hash == k.hash && sl.len == n && (n <= 16 ? (sl.w0 == k.w0 && sl.w1 == k.w1) : key(sl.id1 - 1) == k.text);
    }
    void rehash() {
        big_vector<slot> s(m_slots.size() * 2);
        const std::size_t mask = s.size() - 1;
        for (const slot& old : m_slots) {
            if (old.id1 == 0) continue;
            std::size_t i = old.hash & mask;
            while (s[i].id1 != 0) i = (i + 1) & mask;
            s[i] = old;
        }
        m_slots.swap(s);
    }
    big_vector<slot> m_slots;
    std::string m_arena;
    std::vector<std::size_t> m_off;
    std::vector<std::uint64_t> m_hash;
};

}  // namespace detail

/// Hull evaluation of every row of a `name,formula,energy` CSV text (energies in eV/atom; the
/// columns in any order, other columns ignored, `#` and blank lines skipped), with the results of
/// phase_diagram built from all rows.  The text must outlive the object (names and formulas are
/// views into it).  Thread-safe for const use.
/// \throws materia::parse_error naming `source` and the line (the first bad line of the file) for
/// malformed rows, unknown elements or more than 6 components; materia::invalid_argument from
/// phase_diagram for a missing elemental reference.
class csv_hull {
public:
    csv_hull(std::string_view text, const std::string& source, hull_options options = {})
        : m_text(text), m_opt(std::move(options)) {
        try {
            parse(source, false);
        } catch (const std::exception&) {
            // The fast read parses the distinct formulas after all rows, so the error it found
            // may not be the file's first.  Read again the plain way (one thread, each formula
            // parsed where it first occurs), which throws the first error of the file.
            clear_parsed();
            parse(source, true);
        }
        evaluate();
    }

    /// Diagram of the distinct formulas (entry j = the lowest row of one formula).
    [[nodiscard]] const phase_diagram& diagram() const noexcept { return *m_pd; }
    /// Number of data rows.
    [[nodiscard]] std::size_t size() const noexcept { return m_first.back(); }
    [[nodiscard]] std::size_t components() const noexcept { return m_k; }
    [[nodiscard]] std::string_view name(std::size_t i) const {
        const row& r = at(i);
        return m_text.substr(r.name_off, r.name_len);
    }
    [[nodiscard]] std::string_view formula(std::size_t i) const {
        const row& r = at(i);
        return m_text.substr(formula_offset(r), r.formula_len);
    }
    /// Formation energy of row i (eV/atom).
    [[nodiscard]] double formation_energy(std::size_t i) const { return eform(at(i)); }
    /// Energy above the hull of row i (eV/atom, ≥ 0).
    [[nodiscard]] double e_above_hull(std::size_t i) const {
        const row& r = at(i);
        const double eh = eform(r) - m_hull_e[r.formula];
        return eh > 0.0 ? eh : 0.0;
    }
    [[nodiscard]] bool is_stable(std::size_t i) const { return e_above_hull(i) <= m_opt.stable_tolerance; }
    /// Decomposition string of row i ("0.25 YH6 + 0.75 ThH10").
    [[nodiscard]] std::string_view decomposition_string(std::size_t i) const { return dec(at(i).formula); }

    /// Rows whose formation energy lies beyond ±limit eV/atom — physically implausible (the most
    /// stable known compounds are near −4 eV/atom), almost always a wrong energy or elemental
    /// reference (e.g. an element at −1e6 eV/atom turns every compound containing it "unstable"
    /// by ~1e6).  Returns the count and the row with the largest |E_form| (size() when none), so a
    /// caller can report it instead of silently accepting the diagram.
    struct implausible_rows {
        std::size_t count = 0;
        std::size_t worst = 0;
    };
    [[nodiscard]] implausible_rows implausible_formation_energies(double limit = 10.0) const {
        // Per chunk (in parallel), then merged in chunk order: the first row wins ties.
        const std::size_t nch = m_chunks.size();
        std::vector<implausible_rows> part(nch);
        std::vector<double> part_worst(nch, -1.0);
        parallel_chunks(nch, resolve_threads(m_opt.threads), [&](int, std::size_t c0, std::size_t c1) {
            for (std::size_t c = c0; c < c1; ++c)
                for (std::size_t i = 0; i < m_chunks[c].size(); ++i) {
                    const double a = std::abs(eform(m_chunks[c][i]));
                    if (!(a <= limit)) {
                        ++part[c].count;
                        if (a > part_worst[c]) {
                            part_worst[c] = a;
                            part[c].worst = m_first[c] + i;
                        }
                    }
                }
        });
        implausible_rows out{0, size()};
        double worst = -1.0;
        for (std::size_t c = 0; c < nch; ++c) {
            out.count += part[c].count;
            if (part[c].count > 0 && part_worst[c] > worst) {
                worst = part_worst[c];
                out.worst = part[c].worst;
            }
        }
        return out;
    }

    /// Format the output rows `name,formula,e_form,e_above_hull,stable,decomposition\n` of every
    /// row with e_above_hull ≤ threshold and hand them to `sink(std::string_view)` in file order.
    /// Parallel: the threads take blocks of `rows_per_block` rows in turn and format each into a
    /// buffer of its own; whichever thread finishes a block and finds the writer free passes
    /// every finished block that is next in file order to the sink, so writing overlaps
    /// formatting on all threads and the load balances itself.  `sink` is called from one thread
    /// at a time, in file order; the output does not depend on the thread count.
    template <class Sink>
    void write_rows(double threshold, int threads, Sink&& sink, std::size_t rows_per_block = 8192) const {
        const int t = resolve_threads(threads);
        const std::size_t n = size();
        const std::size_t per = std::max<std::size_t>(rows_per_block, 1);
        const std::size_t nblocks = (n + per - 1) / per;
        std::vector<out_block> done(nblocks);
        std::unique_ptr<std::atomic<bool>[]> ready(new std::atomic<bool>[nblocks]);
        for (std::size_t b = 0; b < nblocks; ++b) ready[b].store(false, std::memory_order_relaxed);
        std::atomic<std::size_t> next_block{0};
        std::mutex writer, pool_mutex;
        std::size_t next_to_write = 0;  // guarded by `writer`
        std::vector<out_block> pool;    // written buffers for reuse (no fresh pages to fault in)
        // Pass every finished block that is next in order to the sink.
        auto drain = [&] {
            while (next_to_write < nblocks && ready[next_to_write].load(std::memory_order_acquire)) {
                out_block& blk = done[next_to_write];
                if (blk.used) sink(std::string_view(blk.data.get(), blk.used));
                blk.used = 0;
                {
                    const std::lock_guard<std::mutex> lock(pool_mutex);
                    pool.push_back(std::move(blk));
                }
                ++next_to_write;
            }
        };
        parallel_chunks(static_cast<std::size_t>(t), t, [&](int, std::size_t, std::size_t) {
            for (std::size_t b; (b = next_block.fetch_add(1, std::memory_order_relaxed)) < nblocks;) {
                out_block blk;
                {
                    const std::lock_guard<std::mutex> lock(pool_mutex);
                    if (!pool.empty()) {
                        blk = std::move(pool.back());
                        pool.pop_back();
                    }
                }
                format_block(b * per, std::min(n, (b + 1) * per), threshold, blk);
                done[b] = std::move(blk);
                ready[b].store(true, std::memory_order_release);
                if (writer.try_lock()) {
                    const std::lock_guard<std::mutex> lock(writer, std::adopt_lock);
                    drain();
                }
            }
        });
        drain();  // the blocks finished while another thread held the writer
    }

    /// The output rows as one string (see write_rows).
    [[nodiscard]] std::string format_rows(double threshold, int threads, std::size_t rows_per_block = 8192) const {
        std::string out;
        write_rows(threshold, threads, [&](std::string_view s) { out.append(s); }, rows_per_block);
        return out;
    }

    /// Atomic fractions of every row (n × components(), diagram().elements() order).
    [[nodiscard]] std::vector<double> fractions() const {
        std::vector<double> x;
        x.reserve(size() * m_k);
        for (const auto& rows : m_chunks)
            for (const row& r : rows) x.insert(x.end(), &m_x[r.formula * m_k], &m_x[r.formula * m_k] + m_k);
        return x;
    }
    /// Energies (eV/atom) of every row.
    [[nodiscard]] std::vector<double> energies() const {
        std::vector<double> e;
        e.reserve(size());
        for (const auto& rows : m_chunks)
            for (const row& r : rows) e.push_back(r.energy);
        return e;
    }

private:
    static constexpr std::size_t block_bytes = std::size_t{1} << 20;
    // An output buffer without zero-initialisation (std::string::resize would clear it first).
    struct out_block {
        std::unique_ptr<char[]> data;
        std::size_t cap = 0, used = 0;
        // Room for `more` bytes after `used`, keeping the content.
        void reserve_more(std::size_t more) {
            if (used + more <= cap) return;
            const std::size_t c = std::max({cap * 2, used + more, block_bytes});
            std::unique_ptr<char[]> d(new char[c]);
            if (used) std::memcpy(d.get(), data.get(), used);
            data = std::move(d);
            cap = c;
        }
    };

    // Rows [b, e) (global indices) formatted into blk, by a loop compiled once per component
    // count K: the record's layout and the formation energy's K terms are then fixed (no memcpy
    // call of 8·K bytes per row, no loop over K).
    void format_block(std::size_t b, std::size_t e, double threshold, out_block& blk) const {
        switch (m_k) {
            case 1: return format_block_k<1>(b, e, threshold, blk);
            case 2: return format_block_k<2>(b, e, threshold, blk);
            case 3: return format_block_k<3>(b, e, threshold, blk);
            case 4: return format_block_k<4>(b, e, threshold, blk);
            case 5: return format_block_k<5>(b, e, threshold, blk);
            default: return format_block_k<6>(b, e, threshold, blk);
        }
    }
    // The formula records of rows a little ahead are prefetched: a million-row file has tens of
    // thousands of formulas, whose records (megabytes) are read in random order, so without it
    // most rows wait for memory.
    template <std::size_t K>
    void format_block_k(std::size_t b, std::size_t e, double threshold, out_block& blk) const {
        static_assert(K >= 1 && K <= phase_diagram::max_components);
        blk.used = 0;
        constexpr std::size_t ahead = 12;
        for_rows(b, e, [&](const row* r0, const row* r1) {
            for (const row* r = r0; r != r1; ++r) {
                if (r1 - r > static_cast<std::ptrdiff_t>(ahead)) {
                    const char* rec = m_rec.get() + 8 * std::size_t{m_rec_off[r[ahead].formula]};
                    __builtin_prefetch(rec);
                    __builtin_prefetch(rec + 64);
                    __builtin_prefetch(rec + 127);
                }
                const char* rec = m_rec.get() + 8 * std::size_t{m_rec_off[r->formula]};
                std::uint32_t dlen;
                std::memcpy(&dlen, rec + 8 * (K + 1), sizeof dlen);
                blk.reserve_more(std::size_t{r->name_len} + r->formula_len + dlen + 160);
                blk.used = static_cast<std::size_t>(format<K>(blk.data.get() + blk.used, *r, rec, dlen, threshold) - blk.data.get());
            }
        });
    }

    struct row {
        std::size_t name_off;       // byte offset of the name in the text
        std::uint32_t name_len;
        std::uint32_t formula;      // local id while parsing, then the global formula id
        std::int32_t formula_rel;   // formula offset relative to the name (negative if it comes first)
        std::uint32_t formula_len;
        double energy;              // eV/atom
    };
    struct parsed_formula {
        std::array<int, phase_diagram::max_components> z{};
        std::array<double, phase_diagram::max_components> a{};
        std::uint8_t n = 0;
    };
    // One chunk of whole lines, parsed by one thread.
    struct chunk_state {
        std::size_t begin = 0, end = 0;
        std::vector<row, large_page_allocator<row>> rows;
        detail::formula_cache cache;
        detail::big_vector<parsed_formula> forms;
        detail::big_vector<std::size_t> first_off;  // byte offset of each formula's first line
    };

    [[nodiscard]] const row& at(std::size_t i) const {
        if (i >= size()) throw_invalid("csv_hull: row ", i, " out of range (", size(), " rows)");
        const auto c = static_cast<std::size_t>(std::upper_bound(m_first.begin(), m_first.end(), i) - m_first.begin()) - 1;
        return m_chunks[c][i - m_first[c]];
    }
    [[nodiscard]] static std::size_t formula_offset(const row& r) noexcept {
        return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(r.name_off) + r.formula_rel);
    }
    [[nodiscard]] std::string_view dec(std::size_t f) const noexcept {
        const char* rec = m_rec.get() + 8 * std::size_t{m_rec_off[f]};
        std::uint32_t len;
        std::memcpy(&len, rec + 8 * (m_k + 1), sizeof len);
        return {rec + 8 * (m_k + 1) + 4, len};
    }

    [[nodiscard]] double eform(const row& r) const noexcept { return eform(r.energy, &m_x[r.formula * m_k]); }
    // The arithmetic of phase_diagram::init (normalised fractions, then subtract in order), so
    // that the numbers are bit for bit the diagram's.
    [[nodiscard]] double eform(double energy, const double* x) const noexcept {
        double ef = energy;
        for (std::size_t j = 0; j < m_k; ++j) ef -= x[j] * m_ref[j];
        return ef;
    }

    // fn(first, last) over the rows [b, e) (global indices), chunk by chunk.
    template <class Fn>
    void for_rows(std::size_t b, std::size_t e, Fn&& fn) const {
        for (std::size_t c = 0; c < m_chunks.size(); ++c) {
            const std::size_t lo = std::max(b, m_first[c]), hi = std::min(e, m_first[c + 1]);
            if (lo < hi) fn(m_chunks[c].data() + (lo - m_first[c]), m_chunks[c].data() + (hi - m_first[c]));
        }
    }

    // Copy n bytes; short copies (the usual names, formulas, decompositions) are one fixed 32- or
    // 64-byte move when the source has that much readable memory (the destination always has 160
    // bytes of slack): no library call per field.
    static char* copy(char* o, const char* src, std::size_t n, const char* src_end) noexcept {
        if (n <= 32 && src_end - src >= 32) std::memcpy(o, src, 32);
        else if (n <= 64 && src_end - src >= 64) std::memcpy(o, src, 64);
        else std::memcpy(o, src, n);
        return o + n;
    }

    // One output row at o (enough room reserved by the caller); returns the new end.  `rec` is
    // the formula's record (see build_records), `dlen` its decomposition length.
    // K = components(); the formation energy is eform()'s arithmetic (same terms, same order),
    // with the fractions read from the record in place.
    template <std::size_t K>
    char* format(char* o, const row& r, const char* rec, std::uint32_t dlen, double threshold) const {
        double hull_e;
        std::memcpy(&hull_e, rec, sizeof hull_e);
        double ef = r.energy;
        for (std::size_t j = 0; j < K; ++j) {
            double xj;
            std::memcpy(&xj, rec + 8 * (j + 1), sizeof xj);
            ef -= xj * m_ref[j];
        }
        double eh = ef - hull_e;
        if (!(eh > 0.0)) eh = 0.0;
        if (!(eh <= threshold)) return o;
        const char* text = m_text.data();
        const char* text_end = text + m_text.size();
        if (r.formula_rel == static_cast<std::int64_t>(r.name_len) + 1) {  // "name,formula" is contiguous in the input
            o = copy(o, text + r.name_off, std::size_t{r.name_len} + 1 + r.formula_len, text_end);
        } else {
            o = copy(o, text + r.name_off, r.name_len, text_end);
            *o++ = ',';
            o = copy(o, text + formula_offset(r), r.formula_len, text_end);
        }
        *o++ = ',';
        o = to_chars_general(o, o + 40, ef, 12);
        *o++ = ',';
        if (eh == 0.0) *o++ = '0';
        else o = to_chars_general(o, o + 40, eh, 12);
        *o++ = ',';
        *o++ = eh <= m_opt.stable_tolerance ? '1' : '0';
        *o++ = ',';
        const char* d = rec + 8 * (K + 1) + 4;
        o = copy(o, d, dlen, m_rec.get() + m_rec_size);
        *o++ = '\n';
        return o;
    }

    // The decomposition strings of all formulas as built in parallel: text[c] holds those of the
    // formulas begin[c] … begin[c+1]−1 (chunks in order; unused chunks begin at nf), formula f's
    // at text[c][start[f] …] with length[f] characters.
    struct decomposition_parts {
        std::vector<std::string> text;
        std::vector<std::size_t> begin, start;
        std::vector<std::uint32_t> length;
    };

    // One record per formula, 8-byte aligned and packed in formula order: hull formation energy,
    // the K fractions, the decomposition length (uint32) and text.  Everything a row needs from
    // its formula sits in one or two cache lines.  Filled in parallel (each thread first-touches
    // its own part), padding zeroed so that every readable byte is defined.
    void build_records(const decomposition_parts& parts, int threads) {
        m_rec_off.assign(m_nf, 0);
        std::size_t total = 0;  // in units of 8 bytes: 32-bit offsets reach 32 GiB
        for (std::size_t f = 0; f < m_nf; ++f) {
            if (total > std::numeric_limits<std::uint32_t>::max())
                throw_invalid("csv_hull: decomposition records beyond 32 GiB (", m_nf, " formulas)");
            m_rec_off[f] = static_cast<std::uint32_t>(total);
            total += record_words(parts.length[f]);
        }
        m_rec_size = 8 * total + 128;  // + readable slack for copy() and the prefetches
        m_rec = std::unique_ptr<char[], record_free>(large_page_allocator<char>().allocate(m_rec_size), record_free{m_rec_size});
        std::memset(m_rec.get() + 8 * total, 0, 128);
        parallel_chunks(m_nf, threads, [&](int, std::size_t b, std::size_t e) {
            std::size_t c = static_cast<std::size_t>(std::upper_bound(parts.begin.begin(), parts.begin.end(), b) - parts.begin.begin()) - 1;
            for (std::size_t f = b; f < e; ++f) {
                while (f >= parts.begin[c + 1]) ++c;
                char* p = m_rec.get() + 8 * std::size_t{m_rec_off[f]};
                const std::uint32_t len = parts.length[f];
                std::memcpy(p, &m_hull_e[f], 8);
                std::memcpy(p + 8, &m_x[f * m_k], 8 * m_k);
                std::memcpy(p + 8 * (m_k + 1), &len, 4);
                std::memcpy(p + 8 * (m_k + 1) + 4, parts.text[c].data() + parts.start[f], len);
                const std::size_t used = 8 * (m_k + 1) + 4 + len;
                std::memset(p + used, 0, 8 * record_words(len) - used);
            }
        });
    }
    // Size of a record in 8-byte words.
    [[nodiscard]] std::size_t record_words(std::size_t decomposition_length) const noexcept {
        return (8 * (m_k + 1) + 4 + decomposition_length + 7) / 8;
    }

    // The common row `name,formula,energy` (no blanks around the fields, no '+' sign, no third
    // comma), given its first two commas (scan_line), read with one from_chars.  Returns false
    // for anything else — the general parser then reads the line (and reports errors), so
    // results are the same.
    static bool quick_row(std::string_view l, const char* c1, const char* c2, detail::csv_row& r) noexcept {
        const char* b = l.data();
        const char* e = b + l.size();
        if (e != b && e[-1] == '\r') --e;
        if (e - b < 5 || b[0] == '#' || b[0] <= ' ') return false;
        if (c1 == nullptr || c1 == b || c1[-1] <= ' ' || c1 + 1 >= e || c1[1] <= ' ') return false;
        if (c2 == nullptr || c2 - c1 < 2 || c2[-1] <= ' ' || c2 + 1 >= e || c2[1] <= ' ' || c2[1] == '+' || e[-1] <= ' ') return false;
        const auto res = std::from_chars(c2 + 1, e, r.energy);
        if (res.ec != std::errc() || res.ptr != e || !std::isfinite(r.energy)) return false;
        r.name = std::string_view(b, static_cast<std::size_t>(c1 - b));
        r.formula = std::string_view(c1 + 1, static_cast<std::size_t>(c2 - c1 - 1));
        return true;
    }

    // The parsed form of one formula text first seen on the line starting at byte `line_start`.
    parsed_formula parse_one_formula(std::string_view text, composition& comp, const std::string& source, std::size_t line_start) const {
        try {
            parse_formula_into(text, comp);
        } catch (const invalid_argument& ex) {
            throw parse_error(source, line_number(line_start), ex.what());
        }
        if (comp.size() > phase_diagram::max_components)
            throw parse_error(source, line_number(line_start), "formula '" + std::string(text) + "' has more than 6 elements");
        parsed_formula f;
        for (const auto& t : comp.terms()) {
            f.z[f.n] = t.z;
            f.a[f.n] = t.amount;
            ++f.n;
        }
        return f;
    }

    std::size_t line_number(std::size_t offset) const {
        return static_cast<std::size_t>(std::count(m_text.begin(), m_text.begin() + static_cast<std::ptrdiff_t>(offset), '\n')) + 1;
    }

    void clear_parsed() {
        m_chunks.clear();
        m_first.clear();
        m_elements.clear();
        m_k = m_nf = 0;
        m_amounts.clear();
        m_x.clear();
    }

    // Rows split and hashed in parallel chunks; each distinct formula parsed once.  eager =
    // false (the fast read): formulas are parsed after the rows, in parallel over the distinct
    // formulas, instead of by every thread that meets them first (each thread meets nearly all
    // of them: 69k formulas per thread for a million-row ternary, a third of the parse time).
    // eager = true: one thread, formulas parsed at their first row — for the exact first error.
    void parse(const std::string& source, bool eager) {
        const std::string_view text = m_text;
        // Header: the first line that is neither blank nor a comment.
        std::size_t pos = 0, hdr_line = 0;
        std::string_view header;
        bool found = false;
        while (pos < text.size()) {
            ++hdr_line;
            const std::size_t nl = text.find('\n', pos);
            const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
            const std::string_view l = text.substr(pos, end - pos);
            pos = nl == std::string_view::npos ? text.size() : nl + 1;
            const auto t = detail::trim(l);
            if (!t.empty() && t.front() != '#') {
                header = l;
                found = true;
                break;
            }
        }
        if (!found) throw parse_error(source, hdr_line, "no header line (expected name,formula,energy)");
        const auto cols = detail::parse_header(header, source, hdr_line);
        // Chunks of whole lines.
        const int threads = eager ? 1 : resolve_threads(m_opt.threads);
        const std::size_t body = text.size() - pos;
        std::size_t nchunks = static_cast<std::size_t>(chunk_count(threads));
        if (body < (std::size_t{1} << 16)) nchunks = 1;
        std::vector<chunk_state> ch(nchunks);
        std::size_t b = pos;
        for (std::size_t c = 0; c < nchunks; ++c) {
            std::size_t e = (c + 1 == nchunks) ? text.size() : pos + body * (c + 1) / nchunks;
            if (e < b) e = b;
            if (c + 1 < nchunks) {
                const std::size_t nl = text.find('\n', e);
                e = nl == std::string_view::npos ? text.size() : nl + 1;
            }
            ch[c].begin = b;
            ch[c].end = e;
            b = e;
        }
        const char* text_end = text.data() + text.size();
        const bool standard = cols.count == 3 && cols.name == 0 && cols.formula == 1 && cols.energy == 2;
        parallel_chunks(nchunks, threads, [&](int, std::size_t c0, std::size_t c1) {
            composition comp;
            detail::csv_row r;
            // Rows are split and hashed in batches; the cache slots of a whole batch are
            // prefetched before the first lookup (a lookup is otherwise a cache miss per row).
            constexpr std::size_t batch_size = 16;
            struct pending {
                detail::csv_row r;
                std::size_t line_start;
                detail::formula_cache::prepared key;
            };
            std::array<pending, batch_size> batch;
            std::size_t nb = 0;
            for (std::size_t c = c0; c < c1; ++c) {
                chunk_state& s = ch[c];
                s.rows.reserve((s.end - s.begin) / 24 + 1);
                // Room for a distinct formula per ~100 bytes of rows, up to 2^17 (a 4 MiB
                // table): a million-row ternary holds ~70k formulas.
                s.cache = detail::formula_cache(std::min<std::size_t>((s.end - s.begin) / 100, std::size_t{1} << 17));
                auto flush = [&] {
                    for (std::size_t k = 0; k < nb; ++k) {
                        const pending& q = batch[k];
                        bool fresh = false;
                        const std::uint32_t id = s.cache.find_or_insert(q.key, fresh);
                        if (fresh) {
                            if (eager) s.forms.push_back(parse_one_formula(q.r.formula, comp, source, q.line_start));
                            s.first_off.push_back(q.line_start);
                        }
                        row w;
                        w.name_off = static_cast<std::size_t>(q.r.name.data() - text.data());
                        w.name_len = static_cast<std::uint32_t>(q.r.name.size());
                        w.formula = id;
                        w.formula_rel = static_cast<std::int32_t>(q.r.formula.data() - q.r.name.data());  // within one line
                        w.formula_len = static_cast<std::uint32_t>(q.r.formula.size());
                        w.energy = q.r.energy;
                        s.rows.push_back(w);
                    }
                    nb = 0;
                };
                std::size_t p = s.begin;
                while (p < s.end) {
                    const detail::line_marks mk = detail::scan_line(text.data() + p, text.data() + s.end);
                    const auto e = static_cast<std::size_t>(mk.end - text.data());
                    const std::string_view l = text.substr(p, e - p);
                    const std::size_t line_start = p;
                    p = e + 1;
                    bool ok = standard && quick_row(l, mk.comma1, mk.comma2, r);
                    if (!ok) try {
                        ok = detail::parse_row(l, cols, source, 0, r);
                    } catch (const parse_error&) {
                        flush();  // an earlier line of the batch may hold the first error
                        (void)detail::parse_row(l, cols, source, line_number(line_start), r);  // rethrows with the line
                    }
                    if (!ok) continue;
                    if (l.size() > 0x7fffffffu) {
                        flush();
                        throw parse_error(source, line_number(line_start), "line longer than 2 GiB");
                    }
                    pending& q = batch[nb];
                    q.r = r;
                    q.line_start = line_start;
                    q.key = detail::formula_cache::prepare(r.formula, text_end);
                    s.cache.prefetch(q.key);
                    if (++nb == batch_size) flush();
                }
                flush();
            }
        });
        // Merge the formula caches in file order: global ids by first occurrence.  The first
        // chunk's cache becomes the global one as it is (its ids are already in file order); the
        // other chunks' formulas are looked up in it in parallel (read-only), and only those it
        // lacks are added, one chunk after the other.
        detail::formula_cache global = std::move(ch[0].cache);
        detail::big_vector<parsed_formula> forms = std::move(ch[0].forms);
        detail::big_vector<std::size_t> first_off = std::move(ch[0].first_off);
        std::vector<std::vector<std::uint32_t>> remap(nchunks);
        remap[0].resize(global.size());
        for (std::size_t l = 0; l < global.size(); ++l) remap[0][l] = static_cast<std::uint32_t>(l);
        constexpr std::uint32_t unseen = std::numeric_limits<std::uint32_t>::max();
        for (std::size_t c = 1; c < nchunks; ++c) {
            const detail::formula_cache& local = ch[c].cache;
            remap[c].assign(local.size(), unseen);
            parallel_chunks(local.size(), local.size() < 256 ? 1 : threads, [&](int, std::size_t lb, std::size_t le) {
                for (std::size_t l = lb; l < le; ++l) remap[c][l] = global.find(local.key(l));
            });
            for (std::size_t l = 0; l < local.size(); ++l) {
                if (remap[c][l] != unseen) continue;
                bool fresh = false;
                remap[c][l] = global.find_or_insert(local.key(l), fresh);
                if (fresh) {
                    if (eager) forms.push_back(ch[c].forms[l]);
                    first_off.push_back(ch[c].first_off[l]);
                }
            }
        }
        if (!eager) {
            forms.resize(global.size());
            parallel_chunks(forms.size(), forms.size() < 256 ? 1 : threads, [&](int, std::size_t fb, std::size_t fe) {
                composition comp;
                for (std::size_t f = fb; f < fe; ++f) forms[f] = parse_one_formula(global.key(f), comp, source, first_off[f]);
            });
        }
        m_first.assign(1, 0);
        for (std::size_t c = 0; c < nchunks; ++c) m_first.push_back(m_first.back() + ch[c].rows.size());
        if (m_first.back() == 0) throw parse_error(source, line_number(text.size()), "no data rows after the header");
        // Components in order of first appearance (formulas in first-occurrence order).
        std::array<std::size_t, 119> col{};
        col.fill(detail::npos);
        for (std::size_t f = 0; f < forms.size(); ++f)
            for (std::size_t t = 0; t < forms[f].n; ++t) {
                const auto z = static_cast<std::size_t>(forms[f].z[t]);
                if (col[z] != detail::npos) continue;
                if (m_elements.size() == phase_diagram::max_components) {
                    std::string list;
                    for (const int e : m_elements) list += std::string(element_symbol(e)) + ",";
                    throw parse_error(source, line_number(first_off[f]),
                                      "a 7th component " + std::string(element_symbol(forms[f].z[t])) + " (after " +
                                          list + " at most 6 are supported)");
                }
                col[z] = m_elements.size();
                m_elements.push_back(forms[f].z[t]);
            }
        m_k = m_elements.size();
        const std::size_t nf = forms.size();
        m_nf = nf;
        m_amounts.assign(nf * m_k, 0.0);
        m_x.assign(nf * m_k, 0.0);
        for (std::size_t f = 0; f < nf; ++f) {
            for (std::size_t t = 0; t < forms[f].n; ++t)
                m_amounts[f * m_k + col[static_cast<std::size_t>(forms[f].z[t])]] = forms[f].a[t];
            double tot = 0.0;
            for (std::size_t j = 0; j < m_k; ++j) tot += m_amounts[f * m_k + j];
            for (std::size_t j = 0; j < m_k; ++j) m_x[f * m_k + j] = m_amounts[f * m_k + j] / tot;
        }
        // Elemental references as phase_diagram chooses them: given, else the lowest row of the
        // pure element — found while the rows' local formula ids become global ones (one pass
        // over the rows for both).  Per-chunk minima merged in chunk order.
        m_ref.assign(m_k, std::numeric_limits<double>::quiet_NaN());
        std::vector<char> given(m_k, 0);
        for (const auto& [sym, val] : m_opt.references) {
            const int z = element_number(sym);
            const auto it = std::find(m_elements.begin(), m_elements.end(), z);
            if (z == 0 || it == m_elements.end() || !std::isfinite(val)) continue;  // phase_diagram reports these
            const auto j = static_cast<std::size_t>(it - m_elements.begin());
            m_ref[j] = val;
            given[j] = 1;
        }
        std::vector<std::size_t> pure(nf, detail::npos);
        for (std::size_t f = 0; f < nf; ++f)
            for (std::size_t j = 0; j < m_k; ++j)
                if (m_x[f * m_k + j] == 1.0 && !given[j]) pure[f] = j;
        std::vector<double> part(nchunks * m_k, std::numeric_limits<double>::quiet_NaN());
        m_chunks.resize(nchunks);
        parallel_chunks(nchunks, threads, [&](int, std::size_t c0, std::size_t c1) {
            for (std::size_t c = c0; c < c1; ++c) {
                double* lowest = &part[c * m_k];
                // The first chunk's ids are the global ones already: its rows are only read (no
                // rewrite of half the row table at 2 threads: both cores share the memory bandwidth).
                const bool renumber = c != 0;
                for (row& r : ch[c].rows) {
                    if (renumber) r.formula = remap[c][r.formula];
                    const std::size_t j = pure[r.formula];
                    if (j != detail::npos && !(r.energy >= lowest[j])) lowest[j] = r.energy;
                }
                m_chunks[c] = std::move(ch[c].rows);
            }
        });
        for (std::size_t c = 0; c < nchunks; ++c)
            for (std::size_t j = 0; j < m_k; ++j) {
                const double v = part[c * m_k + j];
                if (!std::isnan(v) && !(v >= m_ref[j])) m_ref[j] = v;
            }
    }

    void evaluate() {
        const std::size_t nf = m_nf;
        const int threads = resolve_threads(m_opt.threads);
        const std::size_t nch = m_chunks.size();
        // Lowest row of each formula (by formation energy, first row on ties).  For one formula
        // the formation energy is a fixed chain of subtractions from the energy, so it never
        // decreases as the energy grows: a row can only win (strictly lower e_form, as it comes
        // after the rows seen so far) if its energy is below every energy seen so far for the
        // formula.  Only those rows (a few per formula) have e_form computed.
        struct lowest {
            double energy = std::numeric_limits<double>::infinity();  // lowest seen (energies are finite)
            double eform = 0.0;                                       // of the best row
            std::size_t row = detail::npos;
        };
        std::vector<std::size_t> best(nf, detail::npos);
        auto scan = [&](std::size_t c, lowest* low) {
            const row* rows = m_chunks[c].data();
            for (std::size_t i = 0, n = m_chunks[c].size(); i < n; ++i) {
                const row& r = rows[i];
                lowest& l = low[r.formula];
                if (!(r.energy < l.energy)) continue;
                l.energy = r.energy;
                const double ef = eform(r);
                if (l.row == detail::npos || ef < l.eform) {
                    l.row = m_first[c] + i;
                    l.eform = ef;
                }
            }
        };
        if (nch > 1 && nch * nf <= (std::size_t{1} << 24)) {
            detail::big_vector<lowest> part(nch * nf);
            parallel_chunks(nch, threads, [&](int, std::size_t c0, std::size_t c1) {
                for (std::size_t c = c0; c < c1; ++c) scan(c, &part[c * nf]);
            });
            for (std::size_t f = 0; f < nf; ++f) {
                const lowest* win = nullptr;
                for (std::size_t c = 0; c < nch; ++c) {  // chunk order: a later chunk wins only if strictly lower
                    const lowest& l = part[c * nf + f];
                    if (l.row != detail::npos && (win == nullptr || l.eform < win->eform)) win = &l;
                }
                if (win != nullptr) best[f] = win->row;
            }
        } else {
            std::vector<lowest> all(nf);
            for (std::size_t c = 0; c < nch; ++c) scan(c, all.data());
            for (std::size_t f = 0; f < nf; ++f) best[f] = all[f].row;
        }
        // The diagram of those rows, in row order (the order phase_diagram would see them in).
        const std::vector<std::size_t> order = detail::order_by_key(best);
        std::vector<double> amounts(nf * m_k), energies(nf);
        std::vector<std::string> names(nf);
        std::vector<std::size_t> entry_of(nf);
        parallel_chunks(nf, nf < 256 ? 1 : threads, [&](int, std::size_t b, std::size_t e) {
            for (std::size_t j = b; j < e; ++j) {
                // The lowest rows are scattered over the whole row table, and their names over the
                // text: load the rows 16 formulas ahead, and the names of rows loaded 8 ago.
                if (j + 16 < e) __builtin_prefetch(&at(best[order[j + 16]]));
                if (j + 8 < e) __builtin_prefetch(m_text.data() + at(best[order[j + 8]]).name_off);
                const std::size_t f = order[j];
                entry_of[f] = j;
                std::copy_n(&m_amounts[f * m_k], m_k, &amounts[j * m_k]);
                const row& r = at(best[f]);
                energies[j] = r.energy;
                names[j] = std::string(m_text.substr(r.name_off, r.name_len));
            }
        });
        m_pd = std::make_unique<phase_diagram>(m_elements, std::move(amounts), std::move(energies), std::move(names), m_opt);
        m_ref = m_pd->reference_energies();
        m_hull_e.resize(nf);
        // Decomposition strings in parallel over the formulas (one string per chunk of formulas),
        // then copied straight into the records, also in parallel.
        const int tf = nf < 256 ? 1 : threads;
        decomposition_parts parts;
        parts.text.resize(static_cast<std::size_t>(chunk_count(tf)));
        parts.begin.assign(parts.text.size() + 1, nf);
        parts.start.resize(nf);
        parts.length.resize(nf);
        parallel_chunks(nf, tf, [&](int c, std::size_t b, std::size_t e) {
            std::string& out = parts.text[static_cast<std::size_t>(c)];
            parts.begin[static_cast<std::size_t>(c)] = b;
            for (std::size_t f = b; f < e; ++f) {
                m_hull_e[f] = m_pd->hull_formation_energy(entry_of[f]);
                parts.start[f] = out.size();
                m_pd->append_decomposition(out, entry_of[f]);
                parts.length[f] = static_cast<std::uint32_t>(out.size() - parts.start[f]);
            }
        });
        build_records(parts, tf);
    }

    std::string_view m_text;
    hull_options m_opt;
    std::vector<std::vector<row, large_page_allocator<row>>> m_chunks;  // rows in file order, chunk by chunk
    std::vector<std::size_t> m_first;        // index of each chunk's first row; back() = rows
    std::vector<int> m_elements;
    std::size_t m_k = 0, m_nf = 0;
    detail::big_vector<double> m_amounts, m_x;
    std::vector<double> m_ref, m_hull_e;
    struct record_free {
        std::size_t size = 0;
        void operator()(char* p) const noexcept { large_page_allocator<char>().deallocate(p, size); }
    };
    std::unique_ptr<char[], record_free> m_rec{nullptr, record_free{}};  // per-formula output records (build_records)
    std::size_t m_rec_size = 0;
    std::vector<std::uint32_t> m_rec_off;    // record of formula f at m_rec[8·m_rec_off[f]] (a small table: stays in cache)
    std::unique_ptr<phase_diagram> m_pd;
};

}  // namespace materia::phase
