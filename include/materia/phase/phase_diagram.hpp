// materia/phase/phase_diagram.hpp — phase stability from a convex hull of formation energies:
// formation energy, energy above hull, decomposition, equilibrium reaction energy, chemical
// potentials, for 1 to 6 components and millions of entries.
//
// Entry points:
//   materia::phase::entry{name, composition, energy_per_atom}, entry::from_total(...)
//   materia::phase::phase_diagram pd(entries, options)
//       pd.formation_energy(i), pd.e_above_hull(i), pd.is_stable(i), pd.is_vertex(i),
//       pd.decomposition(i), pd.decomposition_string(i), pd.stable_entries(),
//       pd.phase_separation_energy(i), pd.equilibrium_reaction_energy(i), pd.signed_distances(),
//       pd.facet_count(), pd.facet_entries(f), pd.chemical_potentials(f),
//       pd.query(composition, energy), pd.e_above_hull_batch(fractions, energies, out)
//   materia::phase::read_entries_csv(text, source), read_entries_csv_file(path)
//                                                `name,formula,energy` (eV/atom) -> entry_table
//   materia::phase::make_phase_diagram(table)     diagram from a parsed table
//   materia::phase::stream_hull_csv(path, out)    two passes, memory O(distinct compositions)
//
// Conventions (those of pymatgen's PhaseDiagram and the Materials Project, see
// ../shared/RINGS_AND_HULLS.md): energies in eV per atom; the formation energy is
// e_form = e − Σ_i x_i μ_i^ref with x_i atomic fractions and μ_i^ref the lowest energy per atom of
// a pure-element entry (or a user-given reference, e.g. an enthalpy H = E + PV at the same
// pressure); the hull is the lower convex hull of (x, e_form) over the composition simplex, built
// only from points strictly below the reference plane (e_form < 0, plus the elements), keeping
// the lowest entry per reduced composition.  e_above_hull = e_form − hull(x) ≥ 0, exactly 0 for
// hull vertices; "stable" ⇔ e_above_hull ≤ stable_tolerance (default 1e-8 eV/atom, pymatgen's
// numerical tolerance).  The phase-separation energy (signed hull distance; Bartel et al., npj
// Comput. Mater. 6, 97 (2020); OQMD "stability") is e_form − hull_{−c}(x), where hull_{−c} is the
// hull built without any entry of the same reduced composition c: negative for stable phases,
// equal to e_above_hull for the others; the equilibrium reaction energy is the same with only
// the stable phases competing (pymatgen's two functions).  Both are computed geometrically by
// rebuilding the hull from the vertices (and the points hidden under the removed vertex's star),
// not by SLSQP, so they are exact where pymatgen's optimiser can stop short (see the tests).
//
// Cost: building is O(n) hashing plus Quickhull on the distinct compositions below the reference
// plane; each query is a grid lookup and a short exact visibility walk (O(1) expected steps), so
// millions of entries take about a second.  Query methods are const and thread-safe.
//
// Compositions are identified on a grid of 2^-40 in atomic fraction, so that scaled duplicates
// (Li2O, Li4O2, Li0.5O0.25) are one composition however their fractions were rounded; the
// geometry uses the full-precision fractions of each composition's lowest entry.  The hull uses exact orientation predicates
// (geometry/predicates.hpp), so degenerate input (collinear or coplanar compositions, duplicates,
// points exactly on the hull, all entries on one tie-line, every energy zero) is handled without
// joggle or failure.
#pragma once

#include <materia/config.hpp>
#include <materia/core/decimal_format.hpp>
#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/geometry/convex_hull.hpp>
#include <materia/phase/composition.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <istream>
#include <limits>
#include <memory>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace materia::phase {

/// One phase: a name, a composition and its energy in eV per atom.
struct entry {
    std::string name;
    composition comp;
    double energy_per_atom = 0.0;  ///< eV/atom (or enthalpy per atom)

    /// From a total energy of the given formula unit (eV), e.g. a DFT cell energy.
    /// \throws materia::invalid_argument for an empty composition.
    [[nodiscard]] static entry from_total(std::string name, composition comp, double total_energy) {
        const double n = comp.total();
        if (!(n > 0.0)) throw_invalid("entry::from_total: composition of '", name, "' has no atoms");
        return {std::move(name), std::move(comp), total_energy / n};
    }
};

/// Settings of a phase_diagram.
struct hull_options {
    double stable_tolerance = 1e-8;          ///< eV/atom; stable ⇔ e_above_hull ≤ this
    double decomposition_tolerance = 1e-10;  ///< weights ≤ this are dropped from decompositions
    /// Elemental reference energies (symbol, eV/atom) overriding "lowest pure-element entry".
    std::vector<std::pair<std::string, double>> references;
    int threads = 0;  ///< 0 = all cores
};

/// One phase of a decomposition: `fraction` of the atoms go to hull phase `entry`
/// (`entry == npos` for an elemental reference given only as an energy: then `element` names it).
struct decomposition_term {
    std::size_t entry;
    std::size_t element;  ///< component index for a reference-only corner, else npos
    double fraction;
};

/// Result of a query for a composition that need not be an entry.
struct hull_query {
    double e_form = 0.0;             ///< eV/atom
    double hull_energy = 0.0;        ///< formation energy of the hull at this composition, eV/atom
    double e_above_hull = 0.0;       ///< e_form − hull_energy, eV/atom (may be < 0 for a new phase)
    std::size_t facet = 0;           ///< facet containing the composition
    std::vector<decomposition_term> decomposition;
};

namespace detail {

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// Identity of a composition: its atomic fractions on a 2^-40 grid, so that equal rationals
/// computed along different paths (Li2O, Li4O2, Li0.5O0.25) are one composition.
[[nodiscard]] inline std::int64_t key_coordinate(double x) noexcept { return std::llround(x * 0x1p40); }

/// Hull coordinates y_j = x_{j+1} (j = 0 … K−2) of normalised fractions x (K values), on the
/// 2^-52 grid so that sums are exact; a composition without component 0 is put exactly on the
/// face Σ y = 1 (and none may lie beyond it).  Without this, 1/3 + 2/3 ≠ 1 in doubles would put
/// Li2O a rounding error off the Li–O edge and create a sliver facet there.
inline void hull_coordinates(const double* x, std::size_t k, double* y) noexcept {
    double s = 0.0, ymax = -1.0;
    std::size_t jmax = 0;
    for (std::size_t j = 1; j < k; ++j) {
        const double v = std::round(x[j] * 0x1p52) * 0x1p-52;
        y[j - 1] = v;
        s += v;
        if (v > ymax) {
            ymax = v;
            jmax = j - 1;
        }
    }
    if (k > 1 && (x[0] == 0.0 || s > 1.0)) y[jmax] += 1.0 - s;  // exact on the 2^-52 grid
}

/// The dimension-erased lower hull that phase_diagram uses.
class hull_iface {
public:
    virtual ~hull_iface() = default;
    [[nodiscard]] virtual std::size_t facet_count() const noexcept = 0;
    [[nodiscard]] virtual std::uint32_t facet_vertex(std::size_t f, std::size_t k) const noexcept = 0;
    [[nodiscard]] virtual double facet_plane(std::size_t f, std::size_t j) const noexcept = 0;
    /// Hull energy at y; sets the facet used and its barycentric weights (K values).
    virtual double evaluate(const double* y, std::uint32_t& f, double* lam) const = 0;
    [[nodiscard]] virtual const std::vector<std::uint32_t>& vertices() const noexcept = 0;
    /// Barycentric weights (K values, facet_vertex order) of y in facet f's projection.
    virtual void facet_weights(std::size_t f, const double* y, double* lam) const = 0;
    /// True for a rounding-level "sliver" facet whose weights are meaningless.
    [[nodiscard]] virtual bool facet_sliver(std::size_t f) const noexcept = 0;
};

template <std::size_t K>
class hull_impl final : public hull_iface {
public:
    hull_impl(const std::vector<double>& flat, const std::vector<std::uint32_t>& cand)
        : m_h(to_points(flat), cand) {}
    [[nodiscard]] std::size_t facet_count() const noexcept override { return m_h.facets().size(); }
    [[nodiscard]] std::uint32_t facet_vertex(std::size_t f, std::size_t k) const noexcept override {
        return m_h.facets()[f].v[k];
    }
    [[nodiscard]] double facet_plane(std::size_t f, std::size_t j) const noexcept override { return m_h.facets()[f].c[j]; }
    double evaluate(const double* y, std::uint32_t& f, double* lam) const override {
        std::array<double, K> w{};
        const double e = m_h.evaluate(y, f, w);
        for (std::size_t k = 0; k < K; ++k) lam[k] = w[k];
        return e;
    }
    [[nodiscard]] const std::vector<std::uint32_t>& vertices() const noexcept override { return m_h.vertices(); }
    void facet_weights(std::size_t f, const double* y, double* lam) const override {
        const auto w = m_h.weights(static_cast<std::uint32_t>(f), y);
        for (std::size_t k = 0; k < K; ++k) lam[k] = w[k];
    }
    [[nodiscard]] bool facet_sliver(std::size_t f) const noexcept override { return m_h.facets()[f].sliver; }

private:
    static std::vector<std::array<double, K>> to_points(const std::vector<double>& flat) {
        std::vector<std::array<double, K>> p(flat.size() / K);
        for (std::size_t i = 0; i < p.size(); ++i)
            for (std::size_t j = 0; j < K; ++j) p[i][j] = flat[i * K + j];
        return p;
    }
    geometry::simplex_lower_hull<K> m_h;
};

/// Lower hull of K-component lifted points (flat, K values each: K−1 fractions then e_form).
[[nodiscard]] inline std::unique_ptr<hull_iface> make_lower_hull(std::size_t k, const std::vector<double>& flat,
                                                                 const std::vector<std::uint32_t>& cand) {
    switch (k) {
        case 2: return std::make_unique<hull_impl<2>>(flat, cand);
        case 3: return std::make_unique<hull_impl<3>>(flat, cand);
        case 4: return std::make_unique<hull_impl<4>>(flat, cand);
        case 5: return std::make_unique<hull_impl<5>>(flat, cand);
        case 6: return std::make_unique<hull_impl<6>>(flat, cand);
        default: throw_invalid("phase_diagram: 2 to 6 components are supported for a hull (got ", k, ")");
    }
}

/// Hash of a snapped composition (integer grid coordinates, up to 5 of them).
struct comp_key {
    std::array<std::int64_t, 5> c{};
    bool operator==(const comp_key&) const = default;
};
struct comp_key_hash {
    std::size_t operator()(const comp_key& k) const noexcept {
        std::size_t h = 1469598103934665603ull;
        for (const auto v : k.c) {
            h ^= static_cast<std::size_t>(v) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
            h *= 1099511628211ull;
        }
        return h;
    }
};

}  // namespace detail

/// A phase diagram: every entry's formation energy, energy above the hull, decomposition.
/// Built once (O(n) plus the hull of the distinct compositions below the reference plane);
/// every later query is a point location, not a facet scan.  Thread-safe for const use.
class phase_diagram {
public:
    static constexpr std::size_t npos = detail::npos;
    static constexpr std::size_t max_components = 6;

    /// From entries with compositions.  The components are the elements present, in order of
    /// first appearance.  \throws materia::invalid_argument for more than 6 components, an empty
    /// or non-finite entry, or an element without a reference (the message names it).
    explicit phase_diagram(const std::vector<entry>& entries, hull_options options = {}) : m_opt(std::move(options)) {
        std::vector<int> zs;
        for (const auto& e : entries)
            for (const auto& t : e.comp.terms())
                if (std::find(zs.begin(), zs.end(), t.z) == zs.end()) zs.push_back(t.z);
        const std::size_t k = zs.size();
        std::vector<double> frac(entries.size() * k, 0.0);
        std::vector<double> energy(entries.size());
        std::vector<std::string> names(entries.size());
        for (std::size_t i = 0; i < entries.size(); ++i) {
            for (const auto& t : entries[i].comp.terms()) {
                const auto j = static_cast<std::size_t>(std::find(zs.begin(), zs.end(), t.z) - zs.begin());
                frac[i * k + j] = t.amount;
            }
            energy[i] = entries[i].energy_per_atom;
            names[i] = entries[i].name;
        }
        init(std::move(zs), std::move(frac), std::move(energy), std::move(names));
    }

    /// From flat arrays: `elements` (atomic numbers, the components), `amounts` (n × K, row-major,
    /// atoms of each component; rows are normalised), `energies` (n, eV/atom), `names` (n or empty).
    phase_diagram(std::vector<int> elements, std::vector<double> amounts, std::vector<double> energies,
                  std::vector<std::string> names, hull_options options = {})
        : m_opt(std::move(options)) {
        init(std::move(elements), std::move(amounts), std::move(energies), std::move(names));
    }

    // --- the system -------------------------------------------------------------------------
    [[nodiscard]] std::size_t components() const noexcept { return m_k; }
    /// Component symbols in the order used by fractions and chemical potentials.
    [[nodiscard]] std::vector<std::string> elements() const {
        std::vector<std::string> s;
        for (const int z : m_z) s.emplace_back(element_symbol(z));
        return s;
    }
    /// Elemental reference energies μ_i^ref (eV/atom), in elements() order.
    [[nodiscard]] const std::vector<double>& reference_energies() const noexcept { return m_ref; }
    [[nodiscard]] std::size_t size() const noexcept { return m_eform.size(); }
    [[nodiscard]] const std::string& name(std::size_t i) const { return m_names.at(i); }

    // --- per entry --------------------------------------------------------------------------
    /// Formation energy per atom (eV/atom) relative to the elemental references.
    [[nodiscard]] double formation_energy(std::size_t i) const { return m_eform.at(i); }
    /// Energy above the hull (eV/atom), ≥ 0, exactly 0 for the entry that is a hull vertex.
    [[nodiscard]] double e_above_hull(std::size_t i) const { return m_ehull.at(i); }
    /// Formation energy of the hull (eV/atom) at entry i's composition: e_form(i) − the unclamped
    /// distance, i.e. the lowest entry's e_form for a hull-vertex composition (exactly), otherwise
    /// the energy of the facet plane containing it.  e_above_hull(i) = max(0, e_form(i) − this).
    [[nodiscard]] double hull_formation_energy(std::size_t i) const { return m_hull_e.at(i); }
    /// e_above_hull(i) ≤ stable_tolerance.
    [[nodiscard]] bool is_stable(std::size_t i) const { return m_ehull.at(i) <= m_opt.stable_tolerance; }
    /// True for the one entry per hull vertex (lowest energy at that composition, first on ties).
    [[nodiscard]] bool is_vertex(std::size_t i) const {
        const std::size_t p = m_entry_point.at(i);
        return p != npos && m_point_entry[p] == i && m_vertex[p] != 0;
    }
    /// Hull phases and atomic fractions the entry's composition decomposes into (the entry
    /// itself, weight 1, for a vertex).  Fractions sum to 1.
    [[nodiscard]] std::vector<decomposition_term> decomposition(std::size_t i) const {
        if (i >= size()) throw_invalid("phase_diagram::decomposition: entry index ", i, " out of range (size ", size(), ")");
        std::vector<decomposition_term> out;
        for (std::size_t t = i * m_k; t < i * m_k + m_dec_n[i]; ++t) out.push_back(term(m_dec_pt[t], m_dec_w[t]));
        return out;
    }
    /// "0.25 YH6 + 0.75 ThH10" (fractions with 12 significant digits, phases by name).
    [[nodiscard]] std::string decomposition_string(std::size_t i) const {
        std::string s;
        append_decomposition(s, i);
        return s;
    }
    /// Append decomposition_string(i) to s without temporary allocations (bulk output).
    void append_decomposition(std::string& s, std::size_t i) const {
        if (i >= size()) throw_invalid("phase_diagram::decomposition: entry index ", i, " out of range (size ", size(), ")");
        // Room for every term first, then the characters written straight into it (csv_hull
        // formats one string per distinct formula: tens of thousands, where appending field by
        // field cost more than the numbers).
        const std::size_t t0 = i * m_k, t1 = t0 + m_dec_n[i];
        auto term_name_view = [&](std::size_t t) -> std::string_view {
            const std::size_t p = m_dec_pt[t];
            const std::size_t e = m_point_entry[p];
            return e != npos ? std::string_view(m_names[e]) : element_symbol(m_z[p]);
        };
        std::size_t room = 0;
        for (std::size_t t = t0; t < t1; ++t) room += 3 + 32 + 1 + term_name_view(t).size();
        const std::size_t start = s.size();
        s.resize(start + room);
        char* o = s.data() + start;
        for (std::size_t t = t0; t < t1; ++t) {
            if (t != t0) {
                std::memcpy(o, " + ", 3);
                o += 3;
            }
            o = to_chars_general(o, o + 32, m_dec_w[t], 12);
            *o++ = ' ';
            const std::string_view name = term_name_view(t);
            std::memcpy(o, name.data(), name.size());
            o += name.size();
        }
        s.resize(static_cast<std::size_t>(o - s.data()));
    }
    /// Name of a decomposition phase: the entry's name, or the element symbol of a
    /// reference-only corner.
    [[nodiscard]] std::string term_name(const decomposition_term& t) const {
        if (t.entry != npos) return m_names[t.entry];
        return std::string(element_symbol(m_z[t.element]));
    }
    /// Indices of the hull-vertex entries (one per stable composition), ascending.
    [[nodiscard]] std::vector<std::size_t> stable_entries() const {
        std::vector<std::size_t> s;
        for (std::size_t p = 0; p < m_point_entry.size(); ++p)
            if (m_vertex[p] && m_point_entry[p] != npos) s.push_back(m_point_entry[p]);
        std::sort(s.begin(), s.end());
        return s;
    }

    /// Phase-separation energy (signed hull distance; Bartel et al. 2020 "decomposition
    /// enthalpy"; pymatgen get_phase_separation_energy), eV/atom: e_form − hull built from every
    /// other entry except those of this reduced composition.  < 0 for stable compounds (how far
    /// below the competing phases they lie), = e_above_hull for compositions that are not hull
    /// vertices, NaN for pure elements (no hull remains at a corner once it is removed).
    [[nodiscard]] double phase_separation_energy(std::size_t i) const { return signed_distance(i, true); }

    /// Equilibrium reaction energy (pymatgen get_equilibrium_reaction_energy; OQMD-style
    /// stability): as phase_separation_energy, but only the other *stable* phases compete.
    [[nodiscard]] double equilibrium_reaction_energy(std::size_t i) const { return signed_distance(i, false); }

    /// phase_separation_energy (all_entries = true) or equilibrium_reaction_energy (false) of
    /// every entry; each stable composition's local hull is rebuilt once.
    [[nodiscard]] std::vector<double> signed_distances(bool all_entries = true) const {
        std::vector<double> hw(m_point_entry.size(), std::numeric_limits<double>::quiet_NaN());
        for (std::size_t p = m_k; p < hw.size(); ++p)
            if (m_vertex[p]) hw[p] = hull_without(p, all_entries);
        std::vector<double> out(size());
        for (std::size_t i = 0; i < size(); ++i) {
            const std::size_t p = m_entry_point[i];
            if (p == npos || !m_vertex[p]) out[i] = m_ehull[i];
            else out[i] = m_eform[i] - hw[p];
        }
        return out;
    }

    // --- facets -----------------------------------------------------------------------------
    [[nodiscard]] std::size_t facet_count() const noexcept { return m_k == 1 ? 1 : m_hull->facet_count(); }
    /// The phases at the corners of facet f.
    [[nodiscard]] std::vector<decomposition_term> facet_entries(std::size_t f) const {
        check_facet(f, "facet_entries");
        std::vector<decomposition_term> out;
        if (m_k == 1) {
            out.push_back(term(m_unary_point, 1.0));
            return out;
        }
        for (std::size_t k = 0; k < m_k; ++k) out.push_back(term(m_hull->facet_vertex(f, k), 0.0));
        return out;
    }
    /// Chemical potentials μ_i (eV/atom, absolute: reference energy included) of facet f, in
    /// elements() order: the plane through the facet is e(x) = Σ_i μ_i x_i.
    [[nodiscard]] std::vector<double> chemical_potentials(std::size_t f) const {
        check_facet(f, "chemical_potentials");
        std::vector<double> mu(m_k);
        if (m_k == 1) {
            mu[0] = m_ref[0] + m_unary_energy;
            return mu;
        }
        const double c0 = m_hull->facet_plane(f, 0);
        mu[0] = c0 + m_ref[0];
        for (std::size_t j = 1; j < m_k; ++j) mu[j] = c0 + m_hull->facet_plane(f, j) + m_ref[j];
        return mu;
    }

    /// Atomic fractions (elements() order) of a composition made of the diagram's elements.
    /// \throws materia::invalid_argument for a foreign element or an empty composition.
    [[nodiscard]] std::vector<double> fractions_of(const composition& c) const {
        std::vector<double> x(m_k, 0.0);
        for (const auto& t : c.terms()) {
            const auto it = std::find(m_z.begin(), m_z.end(), t.z);
            if (it == m_z.end())
                throw_invalid("phase_diagram::fractions_of: element ", element_symbol(t.z), " of ", c.formula(),
                              " is not a component of this diagram");
            x[static_cast<std::size_t>(it - m_z.begin())] += t.amount;
        }
        const double n = c.total();
        if (!(n > 0.0)) throw_invalid("phase_diagram::fractions_of: empty composition");
        for (auto& v : x) v /= n;
        return x;
    }
    /// Barycentric weights of atomic fractions x (K values, elements() order, summing to 1) in
    /// facet f's projection, in facet_entries(f) order (negative outside the facet).
    [[nodiscard]] std::vector<double> facet_weights(std::size_t f, const std::vector<double>& x) const {
        check_facet(f, "facet_weights");
        if (x.size() != m_k) throw_invalid("phase_diagram::facet_weights: ", x.size(), " fractions for ", m_k, " components");
        std::vector<double> lam(m_k, 1.0);
        if (m_k == 1) return lam;
        m_hull->facet_weights(f, x.data() + 1, lam.data());
        return lam;
    }
    /// True for a rounding-level sliver facet (compositions collinear in exact arithmetic); its
    /// weights are meaningless and queries inside it use the neighbouring facets.
    [[nodiscard]] bool facet_is_sliver(std::size_t f) const {
        check_facet(f, "facet_is_sliver");
        return m_k > 1 && m_hull->facet_sliver(f);
    }
    /// Facets having entry i's composition as a corner (empty unless it is a hull vertex).
    [[nodiscard]] std::vector<std::size_t> facets_with_entry(std::size_t i) const {
        if (i >= size()) throw_invalid("phase_diagram::facets_with_entry: entry index ", i, " out of range (size ", size(), ")");
        std::vector<std::size_t> out;
        const std::size_t p = m_entry_point[i];
        if (p == npos || !m_vertex[p]) return out;
        for (std::size_t f = 0; f < facet_count(); ++f) {
            if (m_k == 1) {
                out.push_back(f);
                continue;
            }
            for (std::size_t k = 0; k < m_k; ++k)
                if (m_hull->facet_vertex(f, k) == p) out.push_back(f);
        }
        return out;
    }
    /// Index of the entry that represents hull point of facet f's corner k (npos for a
    /// reference-only corner).
    [[nodiscard]] std::size_t facet_entry(std::size_t f, std::size_t k) const {
        check_facet(f, "facet_entry");
        if (m_k == 1) return m_point_entry[m_unary_point];
        return m_point_entry[m_hull->facet_vertex(f, k)];
    }

    // --- queries for arbitrary compositions ----------------------------------------------------
    /// Formation energy of the hull (eV/atom) at a composition made of the diagram's elements.
    [[nodiscard]] double hull_energy(const composition& c) const { return query(c, std::numeric_limits<double>::quiet_NaN()).hull_energy; }

    /// Everything about a (possibly new) phase: formation energy, hull energy, distance to the hull
    /// (negative if the phase would be a new hull vertex), decomposition.
    /// \throws materia::invalid_argument if the composition has an element outside the diagram.
    [[nodiscard]] hull_query query(const composition& c, double energy_per_atom) const {
        std::vector<double> x(m_k, 0.0);
        for (const auto& t : c.terms()) {
            const auto it = std::find(m_z.begin(), m_z.end(), t.z);
            if (it == m_z.end())
                throw_invalid("phase_diagram::query: element ", element_symbol(t.z), " of ", c.formula(),
                              " is not a component of this diagram");
            x[static_cast<std::size_t>(it - m_z.begin())] = t.amount;
        }
        const double n = c.total();
        if (!(n > 0.0)) throw_invalid("phase_diagram::query: empty composition");
        hull_query q;
        double ef = energy_per_atom;
        std::array<double, max_components> y{};
        for (std::size_t j = 0; j < m_k; ++j) {
            x[j] /= n;
            ef -= x[j] * m_ref[j];
        }
        detail::hull_coordinates(x.data(), m_k, y.data());
        q.e_form = ef;
        std::array<std::uint32_t, max_components> pts{};
        std::array<double, max_components> w{};
        std::size_t nt = 0;
        q.hull_energy = hull_at(y.data(), q.facet, pts.data(), w.data(), nt);
        q.e_above_hull = ef - q.hull_energy;
        for (std::size_t t = 0; t < nt; ++t) q.decomposition.push_back(term(pts[t], w[t]));
        return q;
    }

    /// Energies above the hull for many compositions at once: `fractions` n × components()
    /// (row-major, elements() order, rows normalised here), `energies` n (eV/atom), `out` n
    /// (eV/atom; not clamped, so a new phase below the hull gives a negative value).  Parallel.
    void e_above_hull_batch(std::span<const double> fractions, std::span<const double> energies,
                            std::span<double> out) const {
        const std::size_t n = energies.size();
        if (fractions.size() != n * m_k || out.size() != n)
            throw_invalid("phase_diagram::e_above_hull_batch: sizes do not match (fractions ", fractions.size(),
                          ", energies ", n, ", out ", out.size(), ", components ", m_k, ")");
        parallel_chunks(n, resolve_threads(m_opt.threads), [&](int, std::size_t b, std::size_t e) {
            std::array<double, max_components> y{}, xn{};
            std::array<std::uint32_t, max_components> pts{};
            std::array<double, max_components> w{};
            for (std::size_t i = b; i < e; ++i) {
                const double* x = fractions.data() + i * m_k;
                double tot = 0.0;
                for (std::size_t j = 0; j < m_k; ++j) tot += x[j];
                double ef = energies[i];
                for (std::size_t j = 0; j < m_k; ++j) {
                    xn[j] = x[j] / tot;
                    ef -= xn[j] * m_ref[j];
                }
                detail::hull_coordinates(xn.data(), m_k, y.data());
                std::size_t f = 0, nt = 0;
                out[i] = ef - hull_at(y.data(), f, pts.data(), w.data(), nt);
            }
        });
    }

    [[nodiscard]] const hull_options& options() const noexcept { return m_opt; }

private:
    void check_facet(std::size_t f, const char* fn) const {
        if (f >= facet_count()) throw_invalid("phase_diagram::", fn, ": facet ", f, " out of range (", facet_count(), " facets)");
    }

    [[nodiscard]] decomposition_term term(std::size_t p, double w) const {
        const std::size_t e = m_point_entry[p];
        return {e, e == npos ? p : npos, w};
    }

    [[nodiscard]] detail::comp_key key_of(const double* y) const noexcept {
        detail::comp_key k;
        for (std::size_t j = 0; j + 1 < m_k; ++j) k.c[j] = detail::key_coordinate(y[j]);
        return k;
    }

    // Like locate(), but a composition equal to a hull vertex's gets that vertex exactly.
    double hull_at(const double* y, std::size_t& facet, std::uint32_t* pts, double* w, std::size_t& nt) const {
        const auto it = m_vertex_key.find(key_of(y));
        if (it != m_vertex_key.end()) {
            const std::size_t p = it->second;
            (void)locate(y, facet, pts, w, nt);  // for the facet index only
            pts[0] = static_cast<std::uint32_t>(p);
            w[0] = 1.0;
            nt = 1;
            return m_flat[p * m_k + m_k - 1];
        }
        return locate(y, facet, pts, w, nt);
    }

    // Hull formation energy at y (snapped K−1 fractions); fills the decomposition (hull point ids
    // and weights, tiny weights dropped and the rest renormalised).
    double locate(const double* y, std::size_t& facet, std::uint32_t* pts, double* w, std::size_t& nt) const {
        if (m_k == 1) {
            facet = 0;
            pts[0] = static_cast<std::uint32_t>(m_unary_point);
            w[0] = 1.0;
            nt = 1;
            return m_unary_energy;
        }
        std::uint32_t f = 0;
        std::array<double, max_components> lam{};
        const double energy = m_hull->evaluate(y, f, lam.data());
        facet = f;
        nt = 0;
        double s = 0.0;
        for (std::size_t k = 0; k < m_k; ++k)
            if (lam[k] > m_opt.decomposition_tolerance) {
                pts[nt] = m_hull->facet_vertex(f, k);
                w[nt] = lam[k];
                s += lam[k];
                ++nt;
            }
        for (std::size_t t = 0; t < nt; ++t) w[t] /= s;
        // Phases in hull-point order (corners first, then by entry index): deterministic output.
        for (std::size_t a = 1; a < nt; ++a)
            for (std::size_t b = a; b > 0 && pts[b - 1] > pts[b]; --b) {
                std::swap(pts[b - 1], pts[b]);
                std::swap(w[b - 1], w[b]);
            }
        return energy;
    }

    void init(std::vector<int> zs, std::vector<double> amounts, std::vector<double> energies, std::vector<std::string> names) {
        m_z = std::move(zs);
        m_k = m_z.size();
        const std::size_t n = energies.size();
        if (n == 0) throw_invalid("phase_diagram: no entries");
        if (m_k == 0) throw_invalid("phase_diagram: entries contain no elements");
        if (m_k > max_components) {
            std::string list;
            for (const int z : m_z) list += std::string(list.empty() ? "" : ", ") + std::string(element_symbol(z));
            throw_invalid("phase_diagram: ", m_k, " components (", list, ") exceed the supported maximum of ", max_components);
        }
        if (amounts.size() != n * m_k)
            throw_invalid("phase_diagram: amounts has ", amounts.size(), " values, expected ", n * m_k);
        if (!names.empty() && names.size() != n)
            throw_invalid("phase_diagram: ", names.size(), " names for ", n, " entries");
        if (names.empty()) {
            names.resize(n);
            for (std::size_t i = 0; i < n; ++i) names[i] = "entry" + std::to_string(i);
        }
        m_names = std::move(names);
        // Normalise and validate.
        for (std::size_t i = 0; i < n; ++i) {
            double tot = 0.0;
            for (std::size_t j = 0; j < m_k; ++j) {
                const double a = amounts[i * m_k + j];
                if (!(a >= 0.0) || !std::isfinite(a))
                    throw_invalid("phase_diagram: entry ", i, " ('", m_names[i], "') has an invalid amount ", a);
                tot += a;
            }
            if (!(tot > 0.0)) throw_invalid("phase_diagram: entry ", i, " ('", m_names[i], "') has no atoms");
            if (!std::isfinite(energies[i]))
                throw_invalid("phase_diagram: entry ", i, " ('", m_names[i], "') has a non-finite energy ", energies[i]);
            for (std::size_t j = 0; j < m_k; ++j) amounts[i * m_k + j] /= tot;
        }
        // Elemental references.
        m_ref.assign(m_k, std::numeric_limits<double>::quiet_NaN());
        std::vector<char> given(m_k, 0);
        for (const auto& [sym, val] : m_opt.references) {
            const int z = element_number(sym);
            if (z == 0) throw_invalid("phase_diagram: reference for unknown element '", sym, "'");
            if (!std::isfinite(val)) throw_invalid("phase_diagram: reference energy of ", sym, " must be finite (got ", val, ")");
            const auto it = std::find(m_z.begin(), m_z.end(), z);
            if (it == m_z.end()) continue;  // not part of this system
            const auto j = static_cast<std::size_t>(it - m_z.begin());
            m_ref[j] = val;
            given[j] = 1;
        }
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < m_k; ++j)
                if (amounts[i * m_k + j] == 1.0 && !given[j] && !(energies[i] >= m_ref[j])) m_ref[j] = energies[i];
        for (std::size_t j = 0; j < m_k; ++j)
            if (std::isnan(m_ref[j]))
                throw_invalid("phase_diagram: no elemental reference for ", element_symbol(m_z[j]), " (add an entry of pure ",
                              element_symbol(m_z[j]), " or give its reference energy)");
        // Formation energies, snapped coordinates, lowest entry per composition.
        const std::size_t d = m_k - 1;
        m_eform.resize(n);
        m_y.assign(n * std::max<std::size_t>(d, 1), 0.0);
        std::vector<detail::comp_key> keys(n);
        const int threads = resolve_threads(m_opt.threads);
        parallel_chunks(n, threads, [&](int, std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) {
                double ef = energies[i];
                for (std::size_t j = 0; j < m_k; ++j) ef -= amounts[i * m_k + j] * m_ref[j];
                m_eform[i] = ef;
                detail::hull_coordinates(&amounts[i * m_k], m_k, &m_y[i * d]);
                for (std::size_t j = 1; j < m_k; ++j) keys[i].c[j - 1] = detail::key_coordinate(amounts[i * m_k + j]);
            }
        });
        // Group the entries by composition: a flat open-addressing table of group ids (one probe
        // per entry, no node allocations — std::unordered_map was a third of this constructor's
        // time at 64k entries); rep[g] = lowest entry of group g (first on ties).
        std::vector<std::uint32_t> group_of(n);
        std::vector<std::size_t> rep;
        {
            if (n >= std::numeric_limits<std::uint32_t>::max()) throw_invalid("phase_diagram: too many entries (", n, ")");
            std::size_t cap = 16;
            while (cap < 2 * n) cap <<= 1;
            std::vector<std::uint32_t> table(cap, 0);  // group + 1; 0 = empty
            const detail::comp_key_hash hasher;
            for (std::size_t i = 0; i < n; ++i) {
                std::uint64_t h = hasher(keys[i]);
                h = (h ^ (h >> 32)) * 0x9e3779b97f4a7c15ull;
                std::size_t slot = (h >> 20) & (cap - 1);
                while (true) {
                    const std::uint32_t g1 = table[slot];
                    if (g1 == 0) {
                        table[slot] = static_cast<std::uint32_t>(rep.size() + 1);
                        group_of[i] = static_cast<std::uint32_t>(rep.size());
                        rep.push_back(i);
                        break;
                    }
                    std::size_t& r = rep[g1 - 1];
                    if (keys[r] == keys[i]) {
                        group_of[i] = g1 - 1;
                        if (m_eform[i] < m_eform[r]) r = i;
                        break;
                    }
                    slot = (slot + 1) & (cap - 1);
                }
            }
        }
        // Hull points: the K corners (the reference entry when it sits exactly at e_form = 0,
        // otherwise a reference-only corner), then every representative below the reference plane.
        std::vector<double> flat;
        m_point_entry.assign(m_k, npos);
        flat.assign(m_k * m_k, 0.0);
        for (std::size_t c = 1; c < m_k; ++c) flat[c * m_k + c - 1] = 1.0;
        m_entry_point.assign(n, npos);
        std::vector<std::size_t> rep_point(n, npos);
        // Representatives in entry order (deterministic point order), with the corner they sit
        // on (npos: none): marked in an array over the entries and read back in order — a sort
        // of the representatives was the largest serial step after the hull itself.
        constexpr std::size_t not_rep = npos - 1;
        std::vector<std::size_t> corner_of(n, not_rep);
        for (const std::size_t i : rep) {
            std::size_t corner = npos;
            if (m_k == 1) corner = 0;
            else {
                std::size_t ones = 0, which = 0;
                double sum = 0.0;
                for (std::size_t j = 0; j < d; ++j) {
                    sum += m_y[i * d + j];
                    if (m_y[i * d + j] == 1.0) {
                        ++ones;
                        which = j + 1;
                    }
                }
                if (ones == 1) corner = which;
                else if (sum == 0.0) corner = 0;
            }
            corner_of[i] = corner;
        }
        flat.reserve(flat.size() + rep.size() * m_k);
        m_point_entry.reserve(m_k + rep.size());
        std::vector<std::uint32_t> cand;
        cand.reserve(rep.size());
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t corner = corner_of[i];
            if (corner == not_rep) continue;
            if (corner != npos && m_eform[i] == 0.0) {
                m_point_entry[corner] = i;
                rep_point[i] = corner;
                continue;
            }
            if (!(m_eform[i] < 0.0)) continue;
            const std::size_t p = m_point_entry.size();
            m_point_entry.push_back(i);
            rep_point[i] = p;
            for (std::size_t j = 0; j < d; ++j) flat.push_back(m_y[i * d + j]);
            flat.push_back(m_eform[i]);
            cand.push_back(static_cast<std::uint32_t>(p));
        }
        for (std::size_t i = 0; i < n; ++i) m_entry_point[i] = rep_point[rep[group_of[i]]];
        // A composition whose representative is not a hull point still maps to nothing.
        m_vertex.assign(m_point_entry.size(), 0);
        m_flat = flat;
        if (m_k == 1) {
            // Unary: the hull is the single lowest point (the reference or a lower entry).
            m_unary_point = 0;
            m_unary_energy = 0.0;
            if (!cand.empty()) {
                m_unary_point = cand.front();
                m_unary_energy = m_eform[m_point_entry[m_unary_point]];
            }
            m_vertex[m_unary_point] = 1;
        } else {
            m_hull = detail::make_lower_hull(m_k, flat, cand);
            for (const auto v : m_hull->vertices()) m_vertex[v] = 1;
        }
        for (std::size_t p = 0; p < m_point_entry.size(); ++p)
            if (m_vertex[p]) m_vertex_key.emplace(key_of(&m_flat[p * m_k]), p);
        // Every entry: the same composition as a vertex is decided exactly; others are located.
        m_ehull.assign(n, 0.0);
        m_hull_e.assign(n, 0.0);
        m_dec_pt.assign(n * m_k, 0);
        m_dec_w.assign(n * m_k, 0.0);
        m_dec_n.assign(n, 0);
        parallel_chunks(n, threads, [&](int, std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) {
                std::uint32_t* dp = &m_dec_pt[i * m_k];
                double* dw = &m_dec_w[i * m_k];
                const std::size_t p = m_entry_point[i];
                if (p != npos && m_vertex[p]) {
                    const std::size_t r = m_point_entry[p];
                    const double eh = (r == npos) ? m_eform[i] : m_eform[i] - m_eform[r];
                    m_ehull[i] = eh > 0.0 ? eh : 0.0;
                    m_hull_e[i] = (r == npos) ? 0.0 : m_eform[r];
                    dp[0] = static_cast<std::uint32_t>(p);
                    dw[0] = 1.0;
                    m_dec_n[i] = 1;
                    continue;
                }
                std::size_t f = 0, nt = 0;
                const double h = locate(&m_y[i * d], f, dp, dw, nt);
                m_dec_n[i] = static_cast<std::uint8_t>(nt);
                const double eh = m_eform[i] - h;
                m_ehull[i] = eh > 0.0 ? eh : 0.0;
                m_hull_e[i] = h;
            }
        });
    }

    [[nodiscard]] double signed_distance(std::size_t i, bool all_entries) const {
        if (i >= size()) throw_invalid("phase_diagram: entry index ", i, " out of range (size ", size(), ")");
        const std::size_t p = m_entry_point[i];
        if (p == npos || !m_vertex[p]) return m_ehull[i];
        if (p < m_k) return std::numeric_limits<double>::quiet_NaN();
        return m_eform[i] - hull_without(p, all_entries);
    }

    // Hull energy at hull point p's composition once every entry of that composition is removed.
    // Only the vertices and (with all_entries) the points hidden under p's star can support the
    // new hull there: elsewhere the old facets still bound every point from below.
    [[nodiscard]] double hull_without(std::size_t p, bool all_entries) const {
        const std::size_t k = m_k;
        if (k == 1) return 0.0;  // only the reference corner remains
        std::vector<char> take(m_point_entry.size(), 0);
        std::vector<char> incident(m_hull->facet_count(), 0);
        for (std::size_t f = 0; f < m_hull->facet_count(); ++f)
            for (std::size_t v = 0; v < k; ++v)
                if (m_hull->facet_vertex(f, v) == p) incident[f] = 1;
        for (std::size_t q = 0; q < m_point_entry.size(); ++q) {
            if (q == p) continue;
            if (m_vertex[q]) {
                take[q] = 1;
                continue;
            }
            if (q < k || !all_entries) continue;
            const double* y = &m_flat[q * k];
            std::uint32_t f = 0;
            std::array<double, max_components> lam{};
            (void)m_hull->evaluate(y, f, lam.data());
            if (incident[f]) take[q] = 1;
        }
        std::vector<double> flat(m_flat.begin(), m_flat.begin() + static_cast<std::ptrdiff_t>(k * k));
        std::vector<std::uint32_t> cand;
        for (std::size_t q = k; q < m_point_entry.size(); ++q)
            if (take[q]) {
                cand.push_back(static_cast<std::uint32_t>(flat.size() / k));
                flat.insert(flat.end(), m_flat.begin() + static_cast<std::ptrdiff_t>(q * k),
                            m_flat.begin() + static_cast<std::ptrdiff_t>((q + 1) * k));
            }
        const auto h = detail::make_lower_hull(k, flat, cand);
        const double* y = &m_flat[p * k];
        std::uint32_t f = 0;
        std::array<double, max_components> lam{};
        return h->evaluate(y, f, lam.data());
    }

    hull_options m_opt;
    std::vector<int> m_z;
    std::size_t m_k = 0;
    std::vector<std::string> m_names;
    std::vector<double> m_ref, m_eform, m_ehull, m_hull_e, m_y;
    std::vector<std::size_t> m_point_entry;  // hull point -> entry (npos: reference-only corner)
    std::vector<std::size_t> m_entry_point;  // entry -> hull point of its composition (or npos)
    std::vector<char> m_vertex;              // hull point is a vertex
    std::vector<double> m_flat;              // hull points, K values each
    std::unordered_map<detail::comp_key, std::size_t, detail::comp_key_hash> m_vertex_key;
    std::unique_ptr<detail::hull_iface> m_hull;
    std::size_t m_unary_point = 0;
    double m_unary_energy = 0.0;
    std::vector<std::uint8_t> m_dec_n;    // decomposition of entry i: m_dec_n[i] terms at i·K
    std::vector<std::uint32_t> m_dec_pt;
    std::vector<double> m_dec_w;
};

/// A parsed `name,formula,energy` table (energies in eV/atom), ready for phase_diagram's flat
/// constructor.  Components are the elements in order of first appearance.
struct entry_table {
    std::vector<int> elements;            ///< atomic numbers of the components
    std::vector<double> amounts;          ///< n × elements.size(), atoms per formula unit
    std::vector<double> energies;         ///< n, eV/atom
    std::vector<std::string> names;       ///< n
    std::vector<std::string> formulas;    ///< n, as written in the input
    [[nodiscard]] std::size_t size() const noexcept { return energies.size(); }
};

namespace detail {

inline std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Column positions of name, formula, energy in a header line.
struct csv_columns {
    std::size_t name = npos, formula = npos, energy = npos, count = 0;
};

inline csv_columns parse_header(std::string_view line, const std::string& source, std::size_t lineno) {
    csv_columns c;
    std::size_t col = 0;
    while (true) {
        const std::size_t comma = line.find(',');
        const std::string_view cell = trim(line.substr(0, comma));
        if (cell == "name") c.name = col;
        else if (cell == "formula") c.formula = col;
        else if (cell == "energy") c.energy = col;
        ++col;
        if (comma == std::string_view::npos) break;
        line.remove_prefix(comma + 1);
    }
    c.count = col;
    if (c.name == npos || c.formula == npos || c.energy == npos)
        throw parse_error(source, lineno, "header must name the columns name,formula,energy");
    return c;
}

// One data row: fields by column; false for a blank or comment line.
struct csv_row {
    std::string_view name, formula;
    double energy = 0.0;
};

inline bool parse_row(std::string_view line, const csv_columns& cols, const std::string& source, std::size_t lineno,
                      csv_row& row) {
    const std::string_view t = trim(line);
    if (t.empty() || t.front() == '#') return false;
    std::size_t col = 0;
    std::string_view energy_text;
    while (true) {
        const std::size_t comma = line.find(',');
        const std::string_view cell = trim(line.substr(0, comma));
        if (col == cols.name) row.name = cell;
        else if (col == cols.formula) row.formula = cell;
        else if (col == cols.energy) energy_text = cell;
        ++col;
        if (comma == std::string_view::npos) break;
        line.remove_prefix(comma + 1);
    }
    if (col != cols.count)
        throw parse_error(source, lineno, "expected " + std::to_string(cols.count) + " comma-separated values, got " +
                                              std::to_string(col));
    const char* b = energy_text.data();
    const char* e = b + energy_text.size();
    if (!energy_text.empty() && *b == '+') ++b;
    const auto r = std::from_chars(b, e, row.energy);
    if (energy_text.empty() || r.ec != std::errc() || r.ptr != e || !std::isfinite(row.energy))
        throw parse_error(source, lineno, "energy: expected a finite number, got '" + std::string(energy_text) + "'");
    if (row.formula.empty()) throw parse_error(source, lineno, "empty formula");
    return true;
}

}  // namespace detail

/// Parse CSV text with a header naming the columns `name`, `formula`, `energy` (any order, other
/// columns ignored; `#` lines and blank lines skipped).  Parallel over lines.
/// \throws materia::parse_error naming `source` and the line for malformed rows, unknown
/// elements, or more than 6 elements in one formula.
[[nodiscard]] inline entry_table read_entries_csv(std::string_view text, const std::string& source, int threads = 0) {
    // Line starts.
    std::vector<std::size_t> starts;
    starts.reserve(text.size() / 24 + 1);
    for (std::size_t pos = 0; pos < text.size();) {
        starts.push_back(pos);
        const std::size_t nl = text.find('\n', pos);
        pos = (nl == std::string_view::npos) ? text.size() : nl + 1;
    }
    auto line_at = [&](std::size_t k) {
        const std::size_t b = starts[k];
        const std::size_t e = (k + 1 < starts.size()) ? starts[k + 1] : text.size();
        std::string_view l = text.substr(b, e - b);
        if (!l.empty() && l.back() == '\n') l.remove_suffix(1);
        return l;
    };
    std::size_t hdr = 0;
    while (hdr < starts.size()) {
        const auto t = detail::trim(line_at(hdr));
        if (!t.empty() && t.front() != '#') break;
        ++hdr;
    }
    if (hdr == starts.size()) throw parse_error(source, starts.size(), "no header line (expected name,formula,energy)");
    const auto cols = detail::parse_header(line_at(hdr), source, hdr + 1);
    const std::size_t nl = starts.size() - hdr - 1;
    constexpr std::size_t maxe = phase_diagram::max_components;
    struct parsed {
        std::array<int, maxe> z{};
        std::array<double, maxe> a{};
        std::uint8_t n = 0;
        bool valid = false;
    };
    std::vector<parsed> rows(nl);
    std::vector<std::string> names(nl), formulas(nl);
    std::vector<double> energy(nl);
    parallel_chunks(nl, resolve_threads(threads), [&](int, std::size_t b, std::size_t e) {
        composition c;
        detail::csv_row row;
        for (std::size_t k = b; k < e; ++k) {
            const std::size_t lineno = hdr + 2 + k;
            if (!detail::parse_row(line_at(hdr + 1 + k), cols, source, lineno, row)) continue;
            try {
                parse_formula_into(row.formula, c);
            } catch (const invalid_argument& ex) {
                throw parse_error(source, lineno, ex.what());
            }
            if (c.size() > maxe)
                throw parse_error(source, lineno, "formula '" + std::string(row.formula) + "' has more than 6 elements");
            parsed& p = rows[k];
            for (const auto& t : c.terms()) {
                p.z[p.n] = t.z;
                p.a[p.n] = t.amount;
                ++p.n;
            }
            p.valid = true;
            names[k] = std::string(row.name);
            formulas[k] = std::string(row.formula);
            energy[k] = row.energy;
        }
    });
    entry_table out;
    std::array<std::size_t, 119> col{};
    col.fill(detail::npos);
    for (std::size_t k = 0; k < nl; ++k) {
        if (!rows[k].valid) continue;
        for (std::size_t t = 0; t < rows[k].n; ++t) {
            const auto z = static_cast<std::size_t>(rows[k].z[t]);
            if (col[z] == detail::npos) {
                if (out.elements.size() == maxe) {
                    std::string list;
                    for (const int e : out.elements) list += std::string(element_symbol(e)) + ",";
                    throw parse_error(source, hdr + 2 + k,
                                      "a 7th component " + std::string(element_symbol(rows[k].z[t])) + " (after " + list +
                                          " at most 6 are supported)");
                }
                col[z] = out.elements.size();
                out.elements.push_back(rows[k].z[t]);
            }
        }
    }
    const std::size_t kk = out.elements.size();
    std::size_t n = 0;
    for (std::size_t k = 0; k < nl; ++k)
        if (rows[k].valid) ++n;
    if (n == 0) throw parse_error(source, starts.size(), "no data rows after the header");
    out.amounts.assign(n * kk, 0.0);
    out.energies.reserve(n);
    out.names.reserve(n);
    out.formulas.reserve(n);
    std::size_t i = 0;
    for (std::size_t k = 0; k < nl; ++k) {
        if (!rows[k].valid) continue;
        for (std::size_t t = 0; t < rows[k].n; ++t)
            out.amounts[i * kk + col[static_cast<std::size_t>(rows[k].z[t])]] = rows[k].a[t];
        out.energies.push_back(energy[k]);
        out.names.push_back(std::move(names[k]));
        out.formulas.push_back(std::move(formulas[k]));
        ++i;
    }
    return out;
}

/// Read and parse a `name,formula,energy` CSV file (see read_entries_csv).
/// \throws materia::parse_error (unreadable file: line 0).
[[nodiscard]] inline entry_table read_entries_csv_file(const std::string& path, int threads = 0) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw parse_error(path, 0, "cannot open file");
    std::string text;
    f.seekg(0, std::ios::end);
    const auto size = f.tellg();
    if (size > 0) {
        text.resize(static_cast<std::size_t>(size));
        f.seekg(0);
        f.read(text.data(), static_cast<std::streamsize>(text.size()));
    }
    return read_entries_csv(text, path, threads);
}

/// Build a phase diagram from a parsed table.
[[nodiscard]] inline phase_diagram make_phase_diagram(const entry_table& t, hull_options options = {}) {
    return phase_diagram(t.elements, t.amounts, t.energies, t.names, std::move(options));
}
/// Same, taking the table's arrays (names, amounts, energies) instead of copying them; the
/// formulas are left in `t`.
[[nodiscard]] inline phase_diagram make_phase_diagram(entry_table&& t, hull_options options = {}) {
    return phase_diagram(t.elements, std::move(t.amounts), std::move(t.energies), std::move(t.names), std::move(options));
}

/// Streaming evaluation for inputs larger than memory: pass 1 keeps only the lowest entry per
/// reduced composition and builds the hull from them; pass 2 re-reads the file and writes one
/// CSV row per entry (`name,formula,e_form,e_above_hull,stable,decomposition`, the columns of
/// `materia hull`) to `out`, keeping rows with e_above_hull ≤ `threshold`.  Memory is
/// O(distinct compositions).  Returns the number of rows written.
/// \throws materia::parse_error for malformed input (all of it is found in pass 1, before anything
/// is written), materia::invalid_argument for a missing elemental reference.
/// `before_rows`, if set, is called with the built diagram after pass 1 (e.g. to write a header).
inline std::size_t stream_hull_csv(const std::string& path, std::ostream& out, hull_options options = {},
                                   double threshold = std::numeric_limits<double>::infinity(),
                                   const std::function<void(const phase_diagram&)>& before_rows = {}) {
    auto open = [&](std::ifstream& f) {
        f.open(path, std::ios::binary);
        if (!f) throw parse_error(path, 0, "cannot open file");
    };
    // Pass 1: lowest entry per composition (key: sorted (Z, snapped fraction) pairs).
    struct best {
        double energy;
        std::string name;
        composition comp;
    };
    std::unordered_map<std::string, best> reps;
    std::ifstream f;
    open(f);
    std::string line;
    std::size_t lineno = 0;
    detail::csv_columns cols;
    bool have_header = false;
    composition c;
    detail::csv_row row;
    auto key_of = [](const composition& comp) {
        std::vector<std::pair<int, double>> v;
        const double n = comp.total();
        for (const auto& t : comp.terms()) v.emplace_back(t.z, static_cast<double>(detail::key_coordinate(t.amount / n)));
        std::sort(v.begin(), v.end());
        std::string k;
        for (const auto& [z, x] : v) {
            k.append(reinterpret_cast<const char*>(&z), sizeof z);
            k.append(reinterpret_cast<const char*>(&x), sizeof x);
        }
        return k;
    };
    while (std::getline(f, line)) {
        ++lineno;
        if (!have_header) {
            const auto t = detail::trim(line);
            if (t.empty() || t.front() == '#') continue;
            cols = detail::parse_header(line, path, lineno);
            have_header = true;
            continue;
        }
        if (!detail::parse_row(line, cols, path, lineno, row)) continue;
        try {
            parse_formula_into(row.formula, c);
        } catch (const invalid_argument& ex) {
            throw parse_error(path, lineno, ex.what());
        }
        auto [it, fresh] = reps.try_emplace(key_of(c), best{row.energy, std::string(row.name), c});
        if (!fresh && row.energy < it->second.energy) it->second = best{row.energy, std::string(row.name), c};
    }
    if (!have_header) throw parse_error(path, lineno, "no header line (expected name,formula,energy)");
    if (reps.empty()) throw parse_error(path, lineno, "no data rows after the header");
    std::vector<std::pair<std::string, best>> sorted(reps.begin(), reps.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<entry> es;
    es.reserve(sorted.size());
    for (auto& [k, b] : sorted) es.push_back({b.name, b.comp, b.energy});
    const phase_diagram pd(es, options);
    if (before_rows) before_rows(pd);
    // Pass 2.
    std::ifstream g;
    open(g);
    lineno = 0;
    have_header = false;
    std::size_t written = 0;
    std::string buf;
    while (std::getline(g, line)) {
        ++lineno;
        if (!have_header) {
            const auto t = detail::trim(line);
            if (t.empty() || t.front() == '#') continue;
            have_header = true;
            continue;
        }
        if (!detail::parse_row(line, cols, path, lineno, row)) continue;
        parse_formula_into(row.formula, c);
        const auto q = pd.query(c, row.energy);
        // A composition equal to a hull vertex's is compared with the vertex exactly (0 for it).
        double eh = q.e_above_hull;
        if (eh < 0.0) eh = 0.0;
        if (!(eh <= threshold)) continue;
        buf.clear();
        buf.append(row.name);
        buf += ',';
        buf.append(row.formula);
        char num[64];
        auto put = [&](double x) {
            buf += ',';
            char* r = to_chars_general(num, num + sizeof num, x, 12);
            buf.append(num, r);
        };
        put(q.e_form);
        put(eh);
        buf += eh <= options.stable_tolerance ? ",1," : ",0,";
        bool first = true;
        for (const auto& t : q.decomposition) {
            if (!first) buf += " + ";
            first = false;
            char* r = to_chars_general(num, num + sizeof num, t.fraction, 12);
            buf.append(num, r);
            buf += ' ';
            buf += pd.term_name(t);
        }
        buf += '\n';
        out << buf;
        ++written;
    }
    return written;
}

}  // namespace materia::phase
