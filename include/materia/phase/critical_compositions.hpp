// materia/phase/critical_compositions.hpp — where the equilibrium phases change along a straight
// line between two compositions (pymatgen PhaseDiagram.get_critical_compositions).
//
// Entry points:
//   materia::phase::critical_compositions(pd, c1, c2)   -> vector<critical_composition>
//   materia::phase::composition_from_fractions(pd, x)   fractions (elements() order) -> composition
//
// The line c(t) = (1 − t)·x1 + t·x2 in atomic fractions crosses the projected facets of the lower
// hull; each facet contributes the parameter interval on which all its barycentric weights are
// ≥ 0 (computed from the weights at both ends, which are affine in t).  The sorted, de-duplicated
// interval ends are the critical compositions; the ends t = 0 and t = 1 are always included.
// pymatgen uses the same construction (Simplex.line_intersection over all facets) and the same
// de-duplication tolerance (1e-8 in the reduced coordinates).  Cost O(F·K²).
#pragma once

#include <materia/core/error.hpp>
#include <materia/phase/composition.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace materia::phase {

/// One critical composition on the line from c1 to c2.
struct critical_composition {
    double t = 0.0;                  ///< position: 0 at c1, 1 at c2, in atomic fractions
    double mixing = 0.0;             ///< fraction x of c2's formula units (unnormalised mixing, pymatgen's x)
    double atoms = 0.0;              ///< atoms of x·c2 + (1 − x)·c1 (interpolates c1.total() … c2.total())
    std::vector<double> fractions;   ///< atomic fractions, elements() order
};

/// A composition with the given atomic fractions (elements() order; zeros dropped).
[[nodiscard]] inline composition composition_from_fractions(const phase_diagram& pd, const std::vector<double>& x) {
    const auto els = pd.elements();
    if (x.size() != els.size())
        throw_invalid("composition_from_fractions: ", x.size(), " fractions for ", els.size(), " components");
    composition c;
    for (std::size_t j = 0; j < els.size(); ++j)
        if (x[j] > 0.0) c.add(element_number(els[j]), x[j]);
    if (c.empty()) throw_invalid("composition_from_fractions: all fractions are zero");
    return c;
}

/// Compositions along the tie-line c1 → c2 where the decomposition products change, ends
/// included, ordered from c1 to c2 (pymatgen get_critical_compositions).  `tol` is the distance
/// (in the reduced fraction coordinates) under which two critical points are one.
/// \throws materia::invalid_argument for elements outside the diagram.
[[nodiscard]] inline std::vector<critical_composition> critical_compositions(const phase_diagram& pd, const composition& c1,
                                                                              const composition& c2, double tol = 1e-8) {
    const std::vector<double> x1 = pd.fractions_of(c1), x2 = pd.fractions_of(c2);
    const std::size_t k = x1.size();
    const double n1 = c1.total(), n2 = c2.total();
    auto make = [&](double t) {
        critical_composition c;
        c.t = t;
        c.fractions.resize(k);
        for (std::size_t j = 0; j < k; ++j) c.fractions[j] = x1[j] + t * (x2[j] - x1[j]);
        // t is the mixing fraction of normalised compositions; per formula unit (pymatgen):
        c.mixing = t * n1 / (n2 + t * (n1 - n2));
        c.atoms = n1 + (n2 - n1) * c.mixing;
        return c;
    };
    double dist2 = 0.0;
    for (std::size_t j = 1; j < k; ++j) dist2 += (x2[j] - x1[j]) * (x2[j] - x1[j]);
    const double dist = std::sqrt(dist2);
    if (!(dist > 0.0)) return {make(0.0), make(1.0)};
    std::vector<double> ts = {0.0, 1.0};
    constexpr double weight_tol = 1e-12;
    for (std::size_t f = 0; f < pd.facet_count(); ++f) {
        if (pd.facet_is_sliver(f)) continue;
        const auto l1 = pd.facet_weights(f, x1), l2 = pd.facet_weights(f, x2);
        double lo = 0.0, hi = 1.0;
        bool empty = false;
        for (std::size_t v = 0; v < k && !empty; ++v) {
            const double a = l1[v], d = l2[v] - l1[v];
            if (std::abs(d) <= 1e-15) {
                if (a < -weight_tol) empty = true;
            } else if (d > 0.0) {
                lo = std::max(lo, (-weight_tol - a) / d);
            } else {
                hi = std::min(hi, (-weight_tol - a) / d);
            }
        }
        if (empty || lo > hi) continue;
        ts.push_back(std::clamp(lo, 0.0, 1.0));
        ts.push_back(std::clamp(hi, 0.0, 1.0));
    }
    std::sort(ts.begin(), ts.end());
    std::vector<critical_composition> out;
    double last = -1.0;
    for (const double t : ts) {
        if (!out.empty() && !(t * dist > last * dist + tol)) continue;
        out.push_back(make(t));
        last = t;
    }
    // The end point c2 itself: replace a last point within tolerance by exactly t = 1.
    if (out.back().t != 1.0) out.back() = make(1.0);
    return out;
}

}  // namespace materia::phase
