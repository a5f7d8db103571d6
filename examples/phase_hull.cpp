// Phase stability with materia: a small Y–Th–H diagram with enthalpies per atom at one pressure.
// Shows entries from formulas, energies above the hull, decompositions, the signed hull distance
// of stable phases, chemical potentials of a facet, and queries for candidate structures.
#include <materia/phase/phase_diagram.hpp>

#include <cstdio>
#include <vector>

int main() {
    using namespace materia::phase;
    // Enthalpies in eV/atom (illustrative numbers).  Elements give the references.
    const std::vector<entry> entries = {
        {"Y", parse_formula("Y"), -6.45},         {"Th", parse_formula("Th"), -7.41},
        {"H2", parse_formula("H2"), -3.39},       {"YH6", parse_formula("YH6"), -4.25},
        {"ThH10", parse_formula("ThH10"), -4.10}, {"YH3", parse_formula("YH3"), -4.60},
        {"Y2ThH24", parse_formula("Y2ThH24"), -4.05}, {"YTh(H4)3", parse_formula("YTh(H4)3"), -4.45},
    };
    const phase_diagram pd(entries);
    std::printf("%zu entries, %zu components, %zu facets\n", pd.size(), pd.components(), pd.facet_count());
    std::printf("%-10s %10s %12s %6s  %s\n", "name", "e_form", "e_above_hull", "stable", "decomposition");
    for (std::size_t i = 0; i < pd.size(); ++i)
        std::printf("%-10s %10.5f %12.6f %6d  %s\n", pd.name(i).c_str(), pd.formation_energy(i), pd.e_above_hull(i),
                    pd.is_stable(i) ? 1 : 0, pd.decomposition_string(i).c_str());
    for (const auto i : pd.stable_entries())
        if (entries[i].comp.size() > 1)
            std::printf("phase-separation energy of %s: %.6f eV/atom\n", pd.name(i).c_str(), pd.phase_separation_energy(i));
    // A candidate structure that is not in the list: where does it sit?
    const auto q = pd.query(parse_formula("YThH20"), -4.30);
    std::printf("YThH20 at -4.30 eV/atom: e_form %.5f, hull %.5f, distance %.5f eV/atom\n", q.e_form, q.hull_energy,
                q.e_above_hull);
    const auto mu = pd.chemical_potentials(q.facet);
    const auto els = pd.elements();
    for (std::size_t j = 0; j < els.size(); ++j) std::printf("  mu_%s = %.5f eV/atom\n", els[j].c_str(), mu[j]);
    // Sanity for the example-as-test: the elements are stable and every distance is >= 0.
    for (std::size_t i = 0; i < pd.size(); ++i)
        if (pd.e_above_hull(i) < 0.0) return 1;
    return pd.is_stable(0) && pd.is_stable(1) && pd.is_stable(2) ? 0 : 1;
}
