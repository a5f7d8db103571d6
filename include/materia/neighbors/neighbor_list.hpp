// materia/neighbors/neighbor_list.hpp — bonds of a frame as a reusable full neighbour list.
//
// Entry points: materia::pair_cutoffs (one cutoff per unordered species pair, parsed from
// "Sb-Se=3.2,Se-Se=2.6" or a single radius), materia::neighbor_list::build(points, species, cell,
// cutoffs, threads).
//
// The list is CSR: neighbours of atom i are entries [offsets[i], offsets[i+1]), each with the
// neighbour index j, the lattice image n of j (so r_j + n·H − r_i is the bond vector: ring
// statistics need it to tell a ring from a path that winds around the cell) and the bond vector
// and length.  Rows are sorted by (j, image), so the list is identical for any thread count.
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/species.hpp>
#include <materia/neighbors/cell_list.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace materia {

/// Bond cutoffs per unordered species pair (0 means "never bonded").
class pair_cutoffs {
public:
    pair_cutoffs() = default;
    /// The same cutoff for all pairs of n_species species.
    pair_cutoffs(std::size_t n_species, double r) : m_n(n_species), m_r(n_species * n_species, r) {
        check(r, "pair_cutoffs");
    }

    /// Parse "R" (all pairs) or "A-B=R,C-D=R2,..." against the species names.  Pairs not named get
    /// no bond.  \throws materia::invalid_argument naming the bad part (unknown species, bad number).
    [[nodiscard]] static pair_cutoffs parse(std::string_view text, const std::vector<std::string>& names) {
        pair_cutoffs out;
        out.m_n = names.size();
        out.m_r.assign(out.m_n * out.m_n, 0.0);
        if (text.find('=') == std::string_view::npos) {
            const double r = number(text, text);
            std::fill(out.m_r.begin(), out.m_r.end(), r);
            return out;
        }
        std::size_t pos = 0;
        while (pos <= text.size()) {
            std::size_t comma = text.find(',', pos);
            if (comma == std::string_view::npos) comma = text.size();
            const std::string_view item = text.substr(pos, comma - pos);
            pos = comma + 1;
            if (item.empty()) {
                if (comma == text.size()) break;
                throw_invalid("cutoff: empty entry in '", text, "'");
            }
            const auto eq = item.find('=');
            const auto dash = item.find('-');
            if (eq == std::string_view::npos || dash == std::string_view::npos || dash > eq)
                throw_invalid("cutoff: expected A-B=R, got '", item, "'");
            const std::string a(item.substr(0, dash));
            const std::string b(item.substr(dash + 1, eq - dash - 1));
            const double r = number(item.substr(eq + 1), item);
            const auto ia = find(names, a, item);
            const auto ib = find(names, b, item);
            out.set(ia, ib, r);
            if (comma == text.size()) break;
        }
        return out;
    }

    void set(std::size_t a, std::size_t b, double r) {
        check(r, "pair_cutoffs::set");
        m_r.at(a * m_n + b) = r;
        m_r.at(b * m_n + a) = r;
    }
    [[nodiscard]] double operator()(std::size_t a, std::size_t b) const { return m_r[a * m_n + b]; }
    [[nodiscard]] std::size_t n_species() const noexcept { return m_n; }
    /// "A-B=R,..." for every bonded unordered pair (12 significant digits), "none" without bonds —
    /// the form parse() reads, for output metadata.
    [[nodiscard]] std::string describe(const std::vector<std::string>& names) const {
        std::string s;
        for (std::size_t a = 0; a < names.size() && a < m_n; ++a)
            for (std::size_t b = a; b < names.size() && b < m_n; ++b) {
                if (!((*this)(a, b) > 0)) continue;
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.12g", (*this)(a, b));
                if (!s.empty()) s += ',';
                s += names[a] + "-" + names[b] + "=" + buf;
            }
        return s.empty() ? "none" : s;
    }
    [[nodiscard]] double max() const noexcept {
        return m_r.empty() ? 0.0 : *std::max_element(m_r.begin(), m_r.end());
    }

private:
    static void check(double r, const char* where) {
        if (!(r >= 0) || !std::isfinite(r)) throw_invalid(where, ": cutoff must be finite and >= 0 (got ", r, ")");
    }
    static double number(std::string_view s, std::string_view context) {
        double x = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
        if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(x) || x < 0)
            throw_invalid("cutoff: expected a non-negative number in '", context, "', got '", s, "'");
        return x;
    }
    static std::size_t find(const std::vector<std::string>& names, const std::string& n, std::string_view item) {
        for (std::size_t k = 0; k < names.size(); ++k)
            if (names[k] == n) return k;
        throw_invalid("cutoff: species '", n, "' in '", item, "' is not in the structure");
    }
    std::size_t m_n = 0;
    std::vector<double> m_r;
};

/// A full neighbour list (both i→j and j→i) with lattice images, in CSR form.
struct neighbor_list {
    struct entry {
        std::uint32_t j;
        std::array<int, 3> image;
        std::array<double, 3> d;  ///< bond vector r_j + n·H − r_i
        double r;                 ///< bond length
    };
    std::vector<std::size_t> offsets;  ///< size N+1
    std::vector<entry> entries;

    [[nodiscard]] std::size_t size() const noexcept { return offsets.empty() ? 0 : offsets.size() - 1; }
    [[nodiscard]] std::size_t degree(std::size_t i) const noexcept { return offsets[i + 1] - offsets[i]; }
    [[nodiscard]] std::span<const entry> neighbors(std::size_t i) const noexcept {
        return {entries.data() + offsets[i], entries.data() + offsets[i + 1]};
    }
    [[nodiscard]] std::size_t n_bonds() const noexcept { return entries.size() / 2; }

    /// Bonds closer than cutoffs(species[i], species[j]) (strictly less).
    /// \throws materia::invalid_argument when sizes disagree.
    template <point_set P>
    [[nodiscard]] static neighbor_list build(const P& points, const species_list& species, const materia::cell& box,
                                             const pair_cutoffs& cutoffs, int threads = 0) {
        const auto pts = as_points(points);
        if (species.size() != pts.size())
            throw_invalid("neighbor_list::build: ", pts.size(), " positions but ", species.size(), " species");
        if (cutoffs.n_species() != species.n_species())
            throw_invalid("neighbor_list::build: cutoffs for ", cutoffs.n_species(), " species but the structure has ",
                          species.n_species());
        neighbor_list out;
        const std::size_t n = pts.size();
        out.offsets.assign(n + 1, 0);
        const double rmax = cutoffs.max();
        if (n == 0 || !(rmax > 0)) return out;
        cell_list cl(pts, box, rmax);
        struct half {
            std::uint32_t i, j;
            std::array<int, 3> image;
            std::array<double, 3> d;
            double r;
        };
        const auto& sp = species.indices();
        // Thread-local bond lists over contiguous bin chunks, concatenated in chunk order.
        std::vector<std::vector<half>> parts(static_cast<std::size_t>(chunk_count(resolve_threads(threads))));
        parallel_chunks(cl.n_bins(), static_cast<int>(parts.size()), [&](int k, std::size_t b, std::size_t e) {
            auto& part = parts[static_cast<std::size_t>(k)];
            auto visit = [&](const neighbor_pair& p) {
                const double rc = cutoffs(sp[p.i], sp[p.j]);
                if (p.r2 < rc * rc)
                    part.push_back({static_cast<std::uint32_t>(p.i), static_cast<std::uint32_t>(p.j), p.image,
                                    {p.dx, p.dy, p.dz}, std::sqrt(p.r2)});
            };
            cl.visit_bins(b, e, visit);
        });
        for (const auto& part : parts)
            for (const auto& h : part) {
                ++out.offsets[h.i + 1];
                ++out.offsets[h.j + 1];
            }
        for (std::size_t i = 0; i < n; ++i) out.offsets[i + 1] += out.offsets[i];
        out.entries.resize(out.offsets[n]);
        std::vector<std::size_t> fill(out.offsets.begin(), out.offsets.end() - 1);
        for (const auto& part : parts)
            for (const auto& h : part) {
                out.entries[fill[h.i]++] = entry{h.j, h.image, h.d, h.r};
                out.entries[fill[h.j]++] =
                    entry{h.i, {-h.image[0], -h.image[1], -h.image[2]}, {-h.d[0], -h.d[1], -h.d[2]}, h.r};
            }
        for (std::size_t i = 0; i < n; ++i)
            std::sort(out.entries.begin() + static_cast<std::ptrdiff_t>(out.offsets[i]),
                      out.entries.begin() + static_cast<std::ptrdiff_t>(out.offsets[i + 1]),
                      [](const entry& a, const entry& b) {
                          if (a.j != b.j) return a.j < b.j;
                          return a.image < b.image;
                      });
        return out;
    }
};

}  // namespace materia
