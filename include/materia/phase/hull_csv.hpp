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
//   materia::phase::read_file_text(path)                 whole file in one read
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

#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/phase/composition.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace materia::phase {

/// The whole content of a file, read with one fread.  \throws materia::parse_error (line 0) if
/// the file cannot be opened or read.
[[nodiscard]] inline std::string read_file_text(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw parse_error(path, 0, "cannot open file");
    std::string text;
    if (std::fseek(f, 0, SEEK_END) == 0) {
        const long size = std::ftell(f);
        if (size > 0) {
            text.resize(static_cast<std::size_t>(size));
            std::rewind(f);
            const std::size_t got = std::fread(text.data(), 1, text.size(), f);
            text.resize(got);
        }
    }
    const bool bad = std::ferror(f) != 0;
    std::fclose(f);
    if (bad) throw parse_error(path, 0, "read error");
    return text;
}

namespace detail {

/// Open-addressing map from formula text to a dense id (ids in insertion order).  The keys are
/// copied into one small arena, so a lookup touches only cache-resident memory however far back
/// in a large file the formula first occurred.
class formula_cache {
public:
    formula_cache() { m_slots.assign(1024, 0); }
    /// Id of `s`, inserting it (fresh = true) if new.
    std::uint32_t find_or_insert(std::string_view s, bool& fresh) {
        const std::uint64_t h = hash(s);
        const std::size_t mask = m_slots.size() - 1;
        std::size_t i = h & mask;
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        while (true) {
            const std::uint64_t v = m_slots[i];
            if (v == 0) break;
            const auto id = static_cast<std::uint32_t>(v) - 1;
            if (static_cast<std::uint32_t>(v >> 32) == tag && key(id) == s) {
                fresh = false;
                return id;
            }
            i = (i + 1) & mask;
        }
        fresh = true;
        const auto id = static_cast<std::uint32_t>(m_hash.size());
        m_off.push_back(m_arena.size());
        m_arena.append(s);
        m_hash.push_back(h);
        m_slots[i] = slot(id, h);
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
    // A slot holds id + 1 (0 = empty) and the upper half of the hash, so that a probe reads one
    // word and compares key text only on a likely match.
    static std::uint64_t slot(std::uint32_t id, std::uint64_t h) noexcept { return (h >> 32 << 32) | (id + 1u); }
    void rehash() {
        std::vector<std::uint64_t> s(m_slots.size() * 2, 0);
        const std::size_t mask = s.size() - 1;
        for (std::uint32_t id = 0; id < m_hash.size(); ++id) {
            std::size_t i = m_hash[id] & mask;
            while (s[i] != 0) i = (i + 1) & mask;
            s[i] = slot(id, m_hash[id]);
        }
        m_slots.swap(s);
    }
    std::vector<std::uint64_t> m_slots;
    std::string m_arena;
    std::vector<std::size_t> m_off;
    std::vector<std::uint64_t> m_hash;
};

inline void append_g12(std::string& s, double x) {
    char buf[40];
    const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 12);
    s.append(buf, r.ptr);
}

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
        parse(source);
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
        implausible_rows out{0, size()};
        double worst = -1.0;
        for (std::size_t i = 0; i < size(); ++i) {
            const double a = std::abs(formation_energy(i));
            if (!(a <= limit)) {
                ++out.count;
                if (a > worst) {
                    worst = a;
                    out.worst = i;
                }
            }
        }
        return out;
    }

    /// Format the output rows `name,formula,e_form,e_above_hull,stable,decomposition\n` of every
    /// row with e_above_hull ≤ threshold and hand them to `sink(std::string_view)` in file order.
    /// Parallel: the first thread formats the first part of the file in blocks and passes each to
    /// the sink at once (so writing overlaps formatting), the others keep their blocks until the
    /// first is done.  `sink` is called from one thread at a time.
    template <class Sink>
    void write_rows(double threshold, int threads, Sink&& sink) const {
        const int t = resolve_threads(threads);
        std::vector<std::vector<out_block>> held(static_cast<std::size_t>(chunk_count(t)));
        parallel_chunks(size(), t, [&](int c, std::size_t b, std::size_t e) {
            out_block blk(block_bytes);
            auto flush = [&](std::size_t need) {
                if (c == 0) {
                    if (blk.used) sink(std::string_view(blk.data.get(), blk.used));
                    blk.used = 0;
                    if (need > blk.cap) blk = out_block(need);
                } else {
                    if (blk.used) held[static_cast<std::size_t>(c)].push_back(std::move(blk));
                    blk = out_block(std::max(block_bytes, need));
                }
            };
            for_rows(b, e, [&](const row* r0, const row* r1) {
                for (const row* r = r0; r != r1; ++r) {
                    const std::size_t need = std::size_t{r->name_len} + r->formula_len + (m_dec_off[r->formula + 1] - m_dec_off[r->formula]) + 160;
                    if (blk.used + need > blk.cap) flush(need);
                    blk.used = static_cast<std::size_t>(format(blk.data.get() + blk.used, *r, threshold) - blk.data.get());
                }
            });
            if (blk.used) flush(0);
        });
        for (const auto& list : held)
            for (const auto& blk : list) sink(std::string_view(blk.data.get(), blk.used));
    }

    /// The output rows as one string (see write_rows).
    [[nodiscard]] std::string format_rows(double threshold, int threads) const {
        std::string out;
        write_rows(threshold, threads, [&](std::string_view s) { out.append(s); });
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
        explicit out_block(std::size_t c) : data(new char[c]), cap(c) {}
    };

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
        std::vector<row> rows;
        detail::formula_cache cache;
        std::vector<parsed_formula> forms;
        std::vector<std::size_t> first_off;  // byte offset of each formula's first line
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
        return std::string_view(m_dec).substr(m_dec_off[f], m_dec_off[f + 1] - m_dec_off[f]);
    }

    [[nodiscard]] double eform(const row& r) const noexcept {
        // The arithmetic of phase_diagram::init (normalised fractions, then subtract in order).
        const double* x = &m_x[r.formula * m_k];
        double ef = r.energy;
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

    // One output row at o (enough room reserved by the caller); returns the new end.
    char* format(char* o, const row& r, double threshold) const {
        const double ef = eform(r);
        double eh = ef - m_hull_e[r.formula];
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
        o = std::to_chars(o, o + 40, ef, std::chars_format::general, 12).ptr;
        *o++ = ',';
        if (eh == 0.0) *o++ = '0';
        else o = std::to_chars(o, o + 40, eh, std::chars_format::general, 12).ptr;
        *o++ = ',';
        *o++ = eh <= m_opt.stable_tolerance ? '1' : '0';
        *o++ = ',';
        const std::size_t d0 = m_dec_off[r.formula], d1 = m_dec_off[r.formula + 1];
        o = copy(o, m_dec.data() + d0, d1 - d0, m_dec.data() + m_dec.size());
        *o++ = '\n';
        return o;
    }

    std::size_t line_number(std::size_t offset) const {
        return static_cast<std::size_t>(std::count(m_text.begin(), m_text.begin() + static_cast<std::ptrdiff_t>(offset), '\n')) + 1;
    }

    void parse(const std::string& source) {
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
        const int threads = resolve_threads(m_opt.threads);
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
        parallel_chunks(nchunks, threads, [&](int, std::size_t c0, std::size_t c1) {
            composition comp;
            detail::csv_row r;
            for (std::size_t c = c0; c < c1; ++c) {
                chunk_state& s = ch[c];
                s.rows.reserve((s.end - s.begin) / 24 + 1);
                std::size_t p = s.begin;
                while (p < s.end) {
                    const char* nlp = static_cast<const char*>(std::memchr(text.data() + p, '\n', s.end - p));
                    const std::size_t e = nlp ? static_cast<std::size_t>(nlp - text.data()) : s.end;
                    const std::string_view l = text.substr(p, e - p);
                    const std::size_t line_start = p;
                    p = e + 1;
                    auto lineno = [&] { return line_number(line_start); };
                    bool ok = false;
                    try {
                        ok = detail::parse_row(l, cols, source, 0, r);
                    } catch (const parse_error&) {
                        (void)detail::parse_row(l, cols, source, lineno(), r);  // rethrows with the line
                    }
                    if (!ok) continue;
                    if (l.size() > 0x7fffffffu) throw parse_error(source, lineno(), "line longer than 2 GiB");
                    bool fresh = false;
                    const std::uint32_t id = s.cache.find_or_insert(r.formula, fresh);
                    if (fresh) {
                        try {
                            parse_formula_into(r.formula, comp);
                        } catch (const invalid_argument& ex) {
                            throw parse_error(source, lineno(), ex.what());
                        }
                        if (comp.size() > phase_diagram::max_components)
                            throw parse_error(source, lineno(),
                                              "formula '" + std::string(r.formula) + "' has more than 6 elements");
                        parsed_formula f;
                        for (const auto& t : comp.terms()) {
                            f.z[f.n] = t.z;
                            f.a[f.n] = t.amount;
                            ++f.n;
                        }
                        s.forms.push_back(f);
                        s.first_off.push_back(line_start);
                    }
                    row w;
                    w.name_off = static_cast<std::size_t>(r.name.data() - text.data());
                    w.name_len = static_cast<std::uint32_t>(r.name.size());
                    w.formula = id;
                    w.formula_rel = static_cast<std::int32_t>(r.formula.data() - r.name.data());  // within one line
                    w.formula_len = static_cast<std::uint32_t>(r.formula.size());
                    w.energy = r.energy;
                    s.rows.push_back(w);
                }
            }
        });
        // Merge the formula caches in file order: global ids by first occurrence.
        detail::formula_cache global;
        std::vector<parsed_formula> forms;
        std::vector<std::size_t> first_off;
        std::vector<std::vector<std::uint32_t>> remap(nchunks);
        m_first.assign(1, 0);
        for (std::size_t c = 0; c < nchunks; ++c) {
            remap[c].resize(ch[c].cache.size());
            for (std::size_t l = 0; l < ch[c].cache.size(); ++l) {
                bool fresh = false;
                remap[c][l] = global.find_or_insert(ch[c].cache.key(l), fresh);
                if (fresh) {
                    forms.push_back(ch[c].forms[l]);
                    first_off.push_back(ch[c].first_off[l]);
                }
            }
            m_first.push_back(m_first.back() + ch[c].rows.size());
        }
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
        // Rows keep their chunk; local formula ids become global ones.
        m_chunks.resize(nchunks);
        parallel_chunks(nchunks, threads, [&](int, std::size_t c0, std::size_t c1) {
            for (std::size_t c = c0; c < c1; ++c) {
                for (row& r : ch[c].rows) r.formula = remap[c][r.formula];
                m_chunks[c] = std::move(ch[c].rows);
            }
        });
    }

    void evaluate() {
        const std::size_t nf = m_nf;
        // Elemental references as phase_diagram chooses them (given, else the lowest pure row).
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
        for (const auto& rows : m_chunks)
            for (const row& r : rows) {
                const std::size_t j = pure[r.formula];
                if (j != detail::npos && !(r.energy >= m_ref[j])) m_ref[j] = r.energy;
            }
        // Lowest row of each formula (by formation energy, first row on ties).
        std::vector<std::size_t> best(nf, detail::npos);
        std::vector<double> best_e(nf, 0.0);
        for (std::size_t c = 0; c < m_chunks.size(); ++c)
            for (std::size_t i = 0; i < m_chunks[c].size(); ++i) {
                const row& r = m_chunks[c][i];
                const double ef = eform(r);
                if (best[r.formula] == detail::npos || ef < best_e[r.formula]) {
                    best[r.formula] = m_first[c] + i;
                    best_e[r.formula] = ef;
                }
            }
        // The diagram of those rows, in row order (the order phase_diagram would see them in).
        std::vector<std::size_t> order(nf);
        for (std::size_t f = 0; f < nf; ++f) order[f] = f;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return best[a] < best[b]; });
        std::vector<double> amounts(nf * m_k), energies(nf);
        std::vector<std::string> names(nf);
        std::vector<std::size_t> entry_of(nf);
        for (std::size_t j = 0; j < nf; ++j) {
            const std::size_t f = order[j];
            entry_of[f] = j;
            std::copy_n(&m_amounts[f * m_k], m_k, &amounts[j * m_k]);
            const row& r = at(best[f]);
            energies[j] = r.energy;
            names[j] = std::string(m_text.substr(r.name_off, r.name_len));
        }
        m_pd = std::make_unique<phase_diagram>(m_elements, std::move(amounts), std::move(energies), std::move(names), m_opt);
        m_ref = m_pd->reference_energies();
        m_hull_e.resize(nf);
        m_dec_off.assign(nf + 1, 0);
        std::string s;
        for (std::size_t f = 0; f < nf; ++f) {
            m_hull_e[f] = m_pd->hull_formation_energy(entry_of[f]);
            m_pd->append_decomposition(m_dec, entry_of[f]);
            m_dec_off[f + 1] = m_dec.size();
        }
        m_dec.append(64, '\0');  // readable slack for copy()
    }

    std::string_view m_text;
    hull_options m_opt;
    std::vector<std::vector<row>> m_chunks;  // rows in file order, chunk by chunk
    std::vector<std::size_t> m_first;        // index of each chunk's first row; back() = rows
    std::vector<int> m_elements;
    std::size_t m_k = 0, m_nf = 0;
    std::vector<double> m_amounts, m_x, m_ref, m_hull_e;
    std::string m_dec;                       // decomposition strings of all formulas, packed
    std::vector<std::size_t> m_dec_off;
    std::unique_ptr<phase_diagram> m_pd;
};

}  // namespace materia::phase
