// materia/phase/chemical_potentials.hpp — chemical-potential views of a phase diagram: the
// element profile of a composition (pymatgen get_element_profile) and the stability region of a
// phase in chemical-potential space (getmu_vertices_stability_phase,
// get_chempot_range_stability_phase).
//
// Entry points:
//   materia::phase::element_profile(pd, "O", comp)          -> vector<element_profile_step>
//   materia::phase::stability_vertices(pd, i)               -> μ vectors of the region's vertices
//   materia::phase::chempot_range_stability(pd, i, "O")     -> open_element_range
//
// Physics: a facet of the lower hull is a K-phase equilibrium; its plane e(x) = Σ μ_i x_i gives
// the chemical potentials (eV/atom, absolute: elemental reference included) at which those phases
// coexist.  The stability region of a stable phase P is the polytope {μ : Σ x_P,i μ_i = e_P,
// Σ x_Q,i μ_i ≤ e_Q for every other phase Q}; its vertices are exactly the facet chemical
// potentials of the facets having P as a corner (pymatgen reaches the same set through Qhull on
// the facet chemical potentials).  Element profile (Ong et al., Chem. Mater. 20, 1798 (2008)):
// walking from the pure element X to the X-free part of a composition, each critical composition
// is a decomposition; its μ_X is that of the facet just on the X-rich side, and "evolution" is the
// number of X atoms taken up per formula unit of the composition (negative: released).
#pragma once

#include <materia/core/error.hpp>
#include <materia/phase/composition.hpp>
#include <materia/phase/critical_compositions.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace materia::phase {

namespace detail {
inline std::size_t component_index(const phase_diagram& pd, std::string_view symbol, const char* fn) {
    const auto els = pd.elements();
    for (std::size_t j = 0; j < els.size(); ++j)
        if (els[j] == symbol) return j;
    throw_invalid(fn, ": element '", symbol, "' is not a component of the diagram");
}
}  // namespace detail

/// One step of an element profile.
struct element_profile_step {
    double mu = 0.0;         ///< chemical potential of the element (eV/atom, absolute)
    double evolution = 0.0;  ///< atoms of the element taken up per formula unit (< 0: released)
    std::vector<decomposition_term> decomposition;  ///< phases at the critical composition
    critical_composition critical;                  ///< the critical composition
};

/// Element profile of `comp` for `element` (pymatgen get_element_profile): one step per critical
/// composition on the line from the pure element to comp without that element (the element
/// itself excluded), from the element-rich end.  `comp_tol` is the amount of element added to
/// pick the facet on the element-rich side (pymatgen 1e-5 atoms).
/// \throws materia::invalid_argument for an element outside the diagram.
[[nodiscard]] inline std::vector<element_profile_step> element_profile(const phase_diagram& pd, std::string_view element,
                                                                        const composition& comp, double comp_tol = 1e-5) {
    const std::size_t je = detail::component_index(pd, element, "element_profile");
    const int z = element_number(element);
    composition el;
    el.add(z, 1.0);
    composition rest;
    double n_el = 0.0;
    for (const auto& t : comp.terms()) {
        if (t.z == z) n_el += t.amount;
        else rest.add(t.z, t.amount);
    }
    if (rest.empty()) throw_invalid("element_profile: ", comp.formula(), " contains only ", element);
    const double g = rest.total();
    const auto cc = critical_compositions(pd, el, rest);
    std::vector<element_profile_step> out;
    for (std::size_t s = 1; s < cc.size(); ++s) {
        element_profile_step st;
        st.critical = cc[s];
        const composition c = composition_from_fractions(pd, cc[s].fractions);
        st.decomposition = pd.query(c, 0.0).decomposition;
        // The non-element atoms of comp fill λ atoms of the critical composition.
        const double share = 1.0 - cc[s].fractions[je];  // non-element fraction of the critical composition
        const double lambda = g / share;
        st.evolution = lambda * cc[s].fractions[je] - n_el;
        // μ of the facet on the element-rich side: add comp_tol atoms of the element.
        std::vector<double> xp(cc[s].fractions.size());
        const double n = cc[s].atoms;
        for (std::size_t j = 0; j < xp.size(); ++j) xp[j] = (n * cc[s].fractions[j] + (j == je ? comp_tol : 0.0)) / (n + comp_tol);
        const auto q = pd.query(composition_from_fractions(pd, xp), 0.0);
        st.mu = pd.chemical_potentials(q.facet)[je];
        out.push_back(std::move(st));
    }
    return out;
}

/// Vertices of the stability region of entry i in chemical-potential space: the chemical
/// potentials (eV/atom, absolute, elements() order) of every facet having i's composition as a
/// corner, duplicates within `tol` (max-norm, eV) merged, in facet order (pymatgen
/// getmu_vertices_stability_phase with tol_en = 1e-2).  Empty if i is not a hull vertex.
[[nodiscard]] inline std::vector<std::vector<double>> stability_vertices(const phase_diagram& pd, std::size_t i,
                                                                          double tol = 1e-2) {
    std::vector<std::vector<double>> out;
    for (const std::size_t f : pd.facets_with_entry(i)) {
        if (pd.facet_is_sliver(f)) continue;
        auto mu = pd.chemical_potentials(f);
        const bool seen = std::any_of(out.begin(), out.end(), [&](const std::vector<double>& v) {
            for (std::size_t j = 0; j < v.size(); ++j)
                if (std::abs(v[j] - mu[j]) > tol) return false;
            return true;
        });
        if (!seen) out.push_back(std::move(mu));
    }
    return out;
}

/// Range of an open element's chemical potential over a phase's stability region.
struct open_element_range {
    double min = std::numeric_limits<double>::quiet_NaN();  ///< lowest μ_open (eV/atom)
    double max = std::numeric_limits<double>::quiet_NaN();  ///< highest μ_open (eV/atom)
    std::vector<double> at_min;  ///< all μ (elements() order) at the vertex of lowest μ_open
    std::vector<double> at_max;  ///< all μ at the vertex of highest μ_open
};

/// Lowest and highest chemical potential of `open_element` over entry i's stability region, with
/// the other elements' chemical potentials at those two vertices (pymatgen
/// get_chempot_range_stability_phase: its tuple (min, max) of element e is
/// (at_min[e], at_max[e])).  \throws materia::invalid_argument if i is not a hull vertex.
[[nodiscard]] inline open_element_range chempot_range_stability(const phase_diagram& pd, std::size_t i,
                                                                std::string_view open_element) {
    const std::size_t jo = detail::component_index(pd, open_element, "chempot_range_stability");
    const auto facets = pd.facets_with_entry(i);
    if (facets.empty())
        throw_invalid("chempot_range_stability: entry ", i, " ('", pd.name(i), "') is not a stable phase (hull vertex)");
    open_element_range r;
    for (const std::size_t f : facets) {
        if (pd.facet_is_sliver(f)) continue;
        const auto mu = pd.chemical_potentials(f);
        if (r.at_min.empty() || mu[jo] < r.min) {
            r.min = mu[jo];
            r.at_min = mu;
        }
        if (r.at_max.empty() || mu[jo] > r.max) {
            r.max = mu[jo];
            r.at_max = mu;
        }
    }
    return r;
}

}  // namespace materia::phase
