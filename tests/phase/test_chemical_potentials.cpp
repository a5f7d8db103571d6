// Chemical-potential views, grand-potential and compound diagrams, critical compositions on
// pymatgen's Li–Fe–O set (RINGS_AND_HULLS.md §3b H6–H10).  Expected numbers are pymatgen's
// upstream assertions (tests/analysis/test_phase_diagram.py @ 094e2015) and, to more digits, a
// peer run here with Debian python3-pymatgen 2022.11.7 on the same file:
//   PDEntry(Composition({Li,Fe,O counts}), total energy) for every row; PhaseDiagram(entries);
//   get_element_profile(O, Li2O); getmu_vertices_stability_phase(LiFeO2, O);
//   get_chempot_range_stability_phase(LiFeO2, O); GrandPotentialPhaseDiagram(entries, {O: -5 / -6});
//   CompoundPhaseDiagram(entries, [Li2O, Fe2O3]); get_critical_compositions(Fe2O3, Li2O / Li3FeO4).
#include <doctest/doctest.h>

#include "li_fe_o_data.hpp"

#include <materia/phase/chemical_potentials.hpp>
#include <materia/phase/compound_diagram.hpp>
#include <materia/phase/critical_compositions.hpp>
#include <materia/phase/grand_potential.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

using namespace materia::phase;
using doctest::Approx;

namespace {

std::size_t stable_index(const phase_diagram& pd, const std::string& name) {
    for (const std::size_t i : pd.stable_entries())
        if (pd.name(i) == name) return i;
    FAIL("no stable entry named " << name);
    return 0;
}

std::size_t element_index(const phase_diagram& pd, const std::string& sym) {
    const auto els = pd.elements();
    return static_cast<std::size_t>(std::find(els.begin(), els.end(), sym) - els.begin());
}

}  // namespace

TEST_CASE("H6: oxygen element profile of Li2O") {
    const phase_diagram pd(li_fe_o_test::read_entries());
    const auto prof = element_profile(pd, "O", parse_formula("Li2O"));
    REQUIRE(prof.size() == 3);
    // Li2O + 1/2 O2 -> Li2O2 (takes up 1 O), Li2O itself (0), Li2O -> 2 Li + 1/2 O2 (releases 1 O).
    CHECK(prof[0].mu == Approx(-4.2582781416666666).epsilon(1e-12));
    CHECK(prof[0].evolution == Approx(1.0).epsilon(1e-12));
    CHECK(prof[1].mu == Approx(-5.0885906699999985).epsilon(1e-12));  // upstream -5.08859066
    CHECK(std::abs(prof[1].evolution) < 1e-9);
    CHECK(prof[2].mu == Approx(-10.48758201).epsilon(1e-12));
    CHECK(prof[2].evolution == Approx(-1.0).epsilon(1e-12));
    REQUIRE(prof[0].decomposition.size() == 1);
    CHECK(pd.name(prof[0].decomposition[0].entry) == "LiO");  // the Li4O4 = Li2O2 rows
    CHECK(pd.term_name(prof[2].decomposition[0]) == "Li");
    CHECK_THROWS_AS((void)element_profile(pd, "N", parse_formula("Li2O")), materia::invalid_argument);
}

TEST_CASE("H7: LiFeO2 stability region in chemical-potential space") {
    const phase_diagram pd(li_fe_o_test::read_entries());
    const std::size_t i = stable_index(pd, "LiFeO2");
    const std::size_t li = element_index(pd, "Li"), fe = element_index(pd, "Fe"), o = element_index(pd, "O");
    const auto v = stability_vertices(pd, i);
    CHECK(v.size() == 6);
    bool found = false;
    for (const auto& mu : v)
        if (std::abs(mu[o] + 7.115) < 1e-2 && std::abs(mu[fe] + 6.596) < 1e-2 && std::abs(mu[li] + 3.931) < 1e-2) found = true;
    CHECK(found);
    // Every vertex reproduces LiFeO2's own energy: μ_Li + μ_Fe + 2 μ_O = E(LiFeO2) per formula.
    const double e_fu = 4.0 * (pd.formation_energy(i) + (pd.reference_energies()[li] + pd.reference_energies()[fe] +
                                                          2.0 * pd.reference_energies()[o]) / 4.0);
    for (const auto& mu : v) CHECK(mu[li] + mu[fe] + 2.0 * mu[o] == Approx(e_fu).epsilon(1e-12));
    const auto r = chempot_range_stability(pd, i, "O");
    CHECK(r.max == Approx(-4.450181224999999).epsilon(1e-11));  // upstream: -4.4501812249999997
    CHECK(r.min == Approx(-7.26866060375).epsilon(1e-11));      // peer run
    CHECK(r.at_min[fe] == Approx(-6.5961471).epsilon(1e-11));   // upstream -6.5961470 (Fe lower), peer -6.5961471
    CHECK(r.at_min[li] == Approx(-3.6250022625).epsilon(1e-11));  // upstream (Li lower)
    CHECK(r.at_max[li] == Approx(-5.40627456).epsilon(1e-11));    // peer run
    CHECK(r.at_max[fe] == Approx(-10.45183356).epsilon(1e-11));   // peer run
    // Row 198 (line 200) is FeO2, 0.2 eV/atom above the hull: no stability region.
    REQUIRE(pd.name(198) == "FeO2");
    CHECK(stability_vertices(pd, 198).empty());
    CHECK_THROWS_AS((void)chempot_range_stability(pd, 198, "O"), materia::invalid_argument);
}

TEST_CASE("H8: grand-potential diagram open to oxygen") {
    const auto es = li_fe_o_test::read_entries();
    const grand_potential_diagram g5(es, {{"O", -5.0}});
    const auto& pd = g5.diagram();
    std::set<std::string> stable;
    for (const std::size_t j : pd.stable_entries()) stable.insert(pd.name(j));
    CHECK(stable == std::set<std::string>{"Fe2O3", "Li2FeO3", "Li5FeO4", "LiFeO2", "LiO"});
    auto form = [&](const grand_potential_diagram& g, const std::string& name) {
        for (const std::size_t j : g.diagram().stable_entries())
            if (g.diagram().name(j) == name) return g.formation_energy_per_formula(j);
        FAIL("not stable: " << name);
        return 0.0;
    };
    CHECK(std::abs(form(g5, "Fe2O3")) < 1e-12);
    CHECK(std::abs(form(g5, "LiO")) < 1e-12);  // Li2O2 is the Li reference at μ_O = -5
    CHECK(form(g5, "Li5FeO4") == Approx(-5.30551504).epsilon(1e-10));
    CHECK(form(g5, "Li2FeO3") == Approx(-2.34247415).epsilon(1e-10));
    CHECK(form(g5, "LiFeO2") == Approx(-0.4302639625).epsilon(1e-10));
    const grand_potential_diagram g6(es, {{"O", -6.0}});
    CHECK(g6.diagram().stable_entries().size() == 4);
    CHECK(form(g6, "Li5FeO4") == Approx(-7.07732844).epsilon(1e-10));  // peer run
    CHECK_THROWS_AS(grand_potential_diagram(es, {{"Xx", -5.0}}), materia::invalid_argument);
}

TEST_CASE("H9: compound diagram Li2O-Fe2O3") {
    const auto es = li_fe_o_test::read_entries();
    const compound_diagram cd(es, {parse_formula("Li2O"), parse_formula("Fe2O3")});
    const auto& pd = cd.diagram();
    std::set<std::string> stable;
    for (const std::size_t j : pd.stable_entries()) stable.insert(pd.name(j));
    CHECK(stable == std::set<std::string>{"Fe2O3", "Li5FeO4", "LiFeO2", "Li2O"});
    for (const std::size_t j : pd.stable_entries()) {
        if (pd.name(j) == "Li5FeO4") CHECK(cd.formation_energy_per_formula(j) == Approx(-7.0773284399999739).epsilon(1e-10));
        if (pd.name(j) == "LiFeO2") CHECK(cd.formation_energy_per_formula(j) == Approx(-0.4745592975).epsilon(1e-10));
        if (pd.name(j) == "Li2O" || pd.name(j) == "Fe2O3") CHECK(std::abs(cd.formation_energy_per_formula(j)) < 1e-12);
    }
    // Every kept entry is a non-negative combination of the terminals; Fe3O4 is not.
    for (std::size_t j = 0; j < pd.size(); ++j) CHECK(pd.name(j) != "Fe3O4");
    CHECK_THROWS_AS(compound_diagram(es, {parse_formula("Li2O"), parse_formula("Li4O2")}), materia::invalid_argument);
}

TEST_CASE("H10: critical compositions along Fe2O3 -> Li2O and Fe2O3 -> Li3FeO4") {
    const phase_diagram pd(li_fe_o_test::read_entries());
    const std::size_t li = element_index(pd, "Li"), fe = element_index(pd, "Fe"), o = element_index(pd, "O");
    const auto a = critical_compositions(pd, parse_formula("Fe2O3"), parse_formula("Li2O"));
    const std::vector<std::vector<double>> want = {{0, 0.4, 0.6}, {0.25, 0.25, 0.5}, {0.5, 0.1, 0.4}, {2.0 / 3, 0, 1.0 / 3}};
    REQUIRE(a.size() == want.size());
    for (std::size_t s = 0; s < want.size(); ++s) {
        CHECK(a[s].fractions[li] == Approx(want[s][0]).epsilon(1e-9));
        CHECK(a[s].fractions[fe] == Approx(want[s][1]).epsilon(1e-9));
        CHECK(a[s].fractions[o] == Approx(want[s][2]).epsilon(1e-9));
    }
    CHECK(a.front().t == 0.0);
    CHECK(a.back().t == 1.0);
    const auto b = critical_compositions(pd, parse_formula("Fe2O3"), parse_formula("Li3FeO4"));
    REQUIRE(b.size() == 3);
    CHECK(b[1].fractions[li] == Approx(0.3243244).epsilon(1e-5));
    CHECK(b[1].fractions[fe] == Approx(0.1621621).epsilon(1e-5));
    CHECK(b[1].fractions[o] == Approx(0.51351349).epsilon(1e-5));
    CHECK(b[2].fractions[li] == Approx(0.375).epsilon(1e-12));
    // Same composition at both ends: just the two ends.
    CHECK(critical_compositions(pd, parse_formula("LiFeO2"), parse_formula("Li2Fe2O4")).size() == 2);
}
