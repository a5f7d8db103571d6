// Phase stability with materia: a small Y–Th–H diagram with enthalpies per atom at one pressure.
// Shows entries from formulas, energies above the hull, decompositions, the signed hull distance
// of stable phases, chemical potentials of a facet, and queries for candidate structures.
// Part 2 screens 200,000 generated entries through the bulk path (phase/hull_csv.hpp, what
// `materia hull` runs): CSV text in, the output rows out, block by block.
#include <materia/phase/hull_csv.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

// A screening file: random Y_a Th_b H_c (0–20 atoms each) with energies per atom below the
// elemental line by a random mixing term (eV/atom).
std::string screening_csv(std::size_t n) {
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<int> count(0, 20);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double ref[3] = {-6.45, -7.41, -3.39};
    const char* sym[3] = {"Y", "Th", "H"};
    std::string t = "name,formula,energy\nY,Y,-6.45\nTh,Th,-7.41\nH,H,-3.39\n";
    char num[32];
    for (std::size_t i = 0; i < n; ++i) {
        int c[3] = {count(rng), count(rng), count(rng)};
        if (c[0] + c[1] + c[2] == 0) c[2] = 1;
        const double tot = c[0] + c[1] + c[2];
        double e = -2.0 * u(rng) * (c[0] * c[1] + c[0] * c[2] + c[1] * c[2]) / (tot * tot);
        std::string f;
        for (int k = 0; k < 3; ++k)
            if (c[k]) {
                f += sym[k] + std::to_string(c[k]);
                e += c[k] / tot * ref[k];
            }
        t += "s" + std::to_string(i) + "," + f + ",";
        t.append(num, std::to_chars(num, num + sizeof num, e).ptr);
        t += '\n';
    }
    return t;
}

}  // namespace

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
    if (!(pd.is_stable(0) && pd.is_stable(1) && pd.is_stable(2))) return 1;

    // Part 2: screening.  The text must outlive the table (names and formulas are views into
    // it); from a file, materia::mapped_file (core/mapped_file.hpp) gives such text without a copy.
    const std::string text = screening_csv(200000);
    const csv_hull table(text, "generated.csv");
    std::size_t near = 0, stable = 0;
    table.write_rows(0.050, 0, [&](std::string_view rows) {  // rows within 50 meV/atom of the hull
        for (const char ch : rows) near += ch == '\n';
    });
    for (std::size_t i = 0; i < table.size(); ++i) stable += table.is_stable(i) ? 1u : 0u;
    std::printf("screening: %zu entries, %zu distinct formulas, %zu on the hull, %zu within 50 meV/atom\n", table.size(),
                table.diagram().size(), stable, near);
    // Every 997th row against an independent query of the diagram (composition + energy per
    // atom): the bulk path gives exactly the hull distance a query does.
    const std::vector<double> energy = table.energies();
    double worst = 0.0;
    for (std::size_t i = 0; i < table.size(); i += 997) {
        const auto single = table.diagram().query(parse_formula(table.formula(i)), energy[i]);
        const double d = std::abs(std::max(single.e_above_hull, 0.0) - table.e_above_hull(i));
        worst = std::max(worst, d);
    }
    std::printf("largest difference to single queries: %.3g eV/atom\n", worst);
    if (!(worst < 1e-12)) return 1;
    return near >= stable && stable >= 3 ? 0 : 1;
}
