// Hand-made phase diagrams with known answers, degenerate input, and the CSV / batch / streaming
// paths.  Energies are eV/atom; every expected number below is derived in the comment next to it.
#include <doctest/doctest.h>

#include <materia/phase/phase_diagram.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace materia::phase;

namespace {

entry E(const std::string& name, const std::string& formula, double e_per_atom) {
    return {name, parse_formula(formula), e_per_atom};
}

double weight_of(const phase_diagram& pd, std::size_t i, const std::string& phase) {
    for (const auto& t : pd.decomposition(i))
        if (pd.term_name(t) == phase) return t.fraction;
    return 0.0;
}

std::size_t index_of(const phase_diagram& pd, const std::string& name) {
    for (std::size_t i = 0; i < pd.size(); ++i)
        if (pd.name(i) == name) return i;
    FAIL("no entry " << name);
    return 0;
}

}  // namespace

TEST_SUITE("phase.diagram") {

TEST_CASE("binary A-B: tie-line energies, decomposition, signed distance") {
    // The contract example: A(0), B(0), AB at x=1/2 with −1, A2B at x=1/3 with −0.5 (eV/atom).
    // Hull at x=1/3 is on A–AB: −(1/3)/(1/2) = −2/3, so E_hull(A2B) = −0.5 + 2/3 = 1/6, made of
    // 1/3 A + 2/3 AB.  Without AB the hull at 1/2 is on A2B–B: −0.5·(1−1/2)/(2/3) = −0.375, so
    // AB's phase-separation energy is −1 + 0.375 = −0.625.
    const phase_diagram pd({E("A", "Li", 0), E("B", "O", 0), E("AB", "LiO", -1.0), E("A2B", "Li2O", -0.5)});
    CHECK(pd.components() == 2);
    CHECK(pd.facet_count() == 2);
    const auto a2b = index_of(pd, "A2B"), ab = index_of(pd, "AB");
    CHECK(pd.e_above_hull(a2b) == doctest::Approx(1.0 / 6.0).epsilon(1e-14));
    CHECK_FALSE(pd.is_stable(a2b));
    CHECK(weight_of(pd, a2b, "A") == doctest::Approx(1.0 / 3.0).epsilon(1e-14));
    CHECK(weight_of(pd, a2b, "AB") == doctest::Approx(2.0 / 3.0).epsilon(1e-14));
    CHECK(pd.e_above_hull(ab) == 0.0);
    CHECK(pd.is_vertex(ab));
    CHECK(pd.decomposition_string(ab) == "1 AB");
    CHECK(pd.phase_separation_energy(ab) == doctest::Approx(-0.625).epsilon(1e-14));
    CHECK(pd.phase_separation_energy(a2b) == doctest::Approx(1.0 / 6.0).epsilon(1e-14));
    CHECK(std::isnan(pd.phase_separation_energy(index_of(pd, "A"))));
    // Chemical potentials of facet A–AB: μ_A = 0, μ_B = −2 (plane −2·x_B), relative = absolute here.
    const auto q = pd.query(parse_formula("Li3O"), 0.0);
    const auto mu = pd.chemical_potentials(q.facet);
    CHECK(mu[0] == doctest::Approx(0.0).scale(1));
    CHECK(mu[1] == doctest::Approx(-2.0).epsilon(1e-14));
    CHECK(q.hull_energy == doctest::Approx(-0.5).epsilon(1e-14));
}

TEST_CASE("ternary with nonzero references: formation energy, centroid above the inner facet, μ") {
    // References A=Li −2, B=Fe −3, C=O −5 eV/atom.  Edge compounds at −1 eV/atom formation,
    // the ABC compound at −0.5.  Hull at the centroid is the inner facet (plane −1):
    // E_hull = 0.5, 1/3 of each edge compound; μ_form = −1 for each element, absolute −3, −4, −6.
    const double ra = -2, rb = -3, rc = -5;
    const phase_diagram pd({E("A", "Li", ra), E("B", "Fe", rb), E("C", "O", rc), E("AB", "LiFe", -1 + (ra + rb) / 2),
                            E("BC", "FeO", -1 + (rb + rc) / 2), E("AC", "LiO", -1 + (ra + rc) / 2),
                            E("ABC", "LiFeO", -0.5 + (ra + rb + rc) / 3), E("A_hi", "Li2", ra + 0.3)});
    const auto abc = index_of(pd, "ABC");
    CHECK(pd.formation_energy(abc) == doctest::Approx(-0.5).epsilon(1e-14));
    CHECK(pd.e_above_hull(abc) == doctest::Approx(0.5).epsilon(1e-14));
    CHECK(pd.e_above_hull(index_of(pd, "A_hi")) == doctest::Approx(0.3).epsilon(1e-14));
    CHECK(pd.decomposition_string(index_of(pd, "A_hi")) == "1 A");
    for (const char* p : {"AB", "BC", "AC"}) CHECK(weight_of(pd, abc, p) == doctest::Approx(1.0 / 3.0).epsilon(1e-13));
    CHECK(pd.facet_count() == 4);
    CHECK(pd.stable_entries().size() == 6);
    const auto mu = pd.chemical_potentials(pd.query(parse_formula("LiFeO"), 0.0).facet);
    CHECK(mu[0] == doctest::Approx(-3.0).epsilon(1e-13));
    CHECK(mu[1] == doctest::Approx(-4.0).epsilon(1e-13));
    CHECK(mu[2] == doctest::Approx(-6.0).epsilon(1e-13));
    // A new phase below the hull has a negative distance.
    const auto q = pd.query(parse_formula("LiFeO"), -1.5 + (ra + rb + rc) / 3);
    CHECK(q.e_above_hull == doctest::Approx(-0.5).epsilon(1e-13));
    // H14 toy (pymatgen upstream test): Li 0, Li2O −5, LiO2 −4, O2 0 (total eV).
    const phase_diagram toy({entry::from_total("Li", parse_formula("Li"), 0), entry::from_total("O2", parse_formula("O2"), 0),
                             entry::from_total("Li2O", parse_formula("Li2O"), -5),
                             entry::from_total("LiO2", parse_formula("LiO2"), -4),
                             entry::from_total("Li2O_b", parse_formula("Li2O"), -4)});
    CHECK(toy.phase_separation_energy(2) == doctest::Approx(-1.0).epsilon(1e-14));
    CHECK(toy.phase_separation_energy(4) == doctest::Approx(-2.0 / 3.0).epsilon(1e-14));
}

TEST_CASE("degenerate: every compound on one tie-line of a ternary, points exactly on the hull") {
    // Only the Li–O edge carries compounds; Fe is a bare corner.  Li3O is exactly on the line
    // Li–LiO (−1 at x_O=1/2 → −0.5 at x_O=1/4, exactly representable): E_hull 0, not a vertex.
    const phase_diagram pd({E("Li", "Li", 0), E("O", "O", 0), E("Fe", "Fe", 0), E("LiO", "LiO", -1.0),
                            E("Li3O", "Li3O", -0.5), E("LiO3", "LiO3", -0.25), E("LiO_dup", "Li2O2", -1.0)});
    CHECK(pd.components() == 3);
    CHECK(pd.e_above_hull(index_of(pd, "Li3O")) <= 1e-15);
    CHECK(pd.is_stable(index_of(pd, "Li3O")));
    CHECK_FALSE(pd.is_vertex(index_of(pd, "Li3O")));
    CHECK(weight_of(pd, index_of(pd, "Li3O"), "Li") == doctest::Approx(0.5).epsilon(1e-12));
    CHECK(weight_of(pd, index_of(pd, "Li3O"), "LiO") == doctest::Approx(0.5).epsilon(1e-12));
    // LiO3 at x_O = 3/4: hull on LiO–O is −0.5, so E_hull = 0.25.
    CHECK(pd.e_above_hull(index_of(pd, "LiO3")) == doctest::Approx(0.25).epsilon(1e-13));
    // The scaled duplicate Li2O2 of LiO: exactly on the hull, same phase-separation energy.
    CHECK(pd.e_above_hull(index_of(pd, "LiO_dup")) == 0.0);
    CHECK(pd.is_vertex(index_of(pd, "LiO")));
    CHECK_FALSE(pd.is_vertex(index_of(pd, "LiO_dup")));
    CHECK(pd.phase_separation_energy(index_of(pd, "LiO_dup")) == pd.phase_separation_energy(index_of(pd, "LiO")));
    // Without LiO the Li–O hull is Li–Li3O–LiO3–O: at 1/2 on Li3O–LiO3 it is −0.5 + 0.5·(1/4) =
    // −0.375, so the phase-separation energy of LiO is −1 + 0.375 = −0.625.
    CHECK(pd.phase_separation_energy(index_of(pd, "LiO")) == doctest::Approx(-0.625).epsilon(1e-13));
    // Triangles: (Li, LiO, Fe) and (LiO, O, Fe).
    CHECK(pd.facet_count() == 2);
    CHECK(pd.stable_entries().size() == 4);
}

TEST_CASE("degenerate: six elements and mixtures all at zero formation energy give one facet") {
    std::vector<entry> es;
    const char* el[6] = {"H", "Li", "B", "C", "N", "O"};
    const double ref[6] = {-1, -2, -3, -4, -5, -6};
    for (int k = 0; k < 6; ++k) es.push_back(E(el[k], el[k], ref[k]));
    // Equimolar mixtures at exactly the reference plane (dyadic fractions: exact e_form = 0).
    es.push_back(E("HLi", "HLi", (ref[0] + ref[1]) / 2));
    es.push_back(E("BCNO", "BCNO", (ref[2] + ref[3] + ref[4] + ref[5]) / 4));
    es.push_back(E("all", "H2Li2B2C2N4O4", (2 * ref[0] + 2 * ref[1] + 2 * ref[2] + 2 * ref[3] + 4 * ref[4] + 4 * ref[5]) / 16));
    const phase_diagram pd(es);
    CHECK(pd.components() == 6);
    CHECK(pd.facet_count() == 1);
    CHECK(pd.stable_entries().size() == 6);
    for (std::size_t i = 0; i < pd.size(); ++i) {
        CHECK(pd.formation_energy(i) == 0.0);
        CHECK(pd.e_above_hull(i) == 0.0);
    }
    CHECK(pd.decomposition(index_of(pd, "all")).size() == 6);
    CHECK(weight_of(pd, index_of(pd, "all"), "N") == doctest::Approx(0.25).epsilon(1e-13));
}

TEST_CASE("duplicates, scaled duplicates and decimal formulas are one composition") {
    const phase_diagram pd({E("Li", "Li", -1.9), E("O2", "O2", -4.9), E("Li2O", "Li2O", -3.0), E("Li4O2", "Li4O2", -3.0),
                            E("Li.5O.25", "Li0.5O0.25", -3.0), E("Li2O_hi", "Li2O", -2.9)});
    for (const char* n : {"Li2O", "Li4O2", "Li.5O.25"}) {
        CHECK(pd.e_above_hull(index_of(pd, n)) == 0.0);
        CHECK(pd.is_stable(index_of(pd, n)));
    }
    CHECK(pd.is_vertex(index_of(pd, "Li2O")));
    CHECK_FALSE(pd.is_vertex(index_of(pd, "Li4O2")));
    CHECK(pd.e_above_hull(index_of(pd, "Li2O_hi")) == doctest::Approx(0.1).epsilon(1e-12));
    CHECK(pd.stable_entries().size() == 3);
    CHECK(pd.phase_separation_energy(index_of(pd, "Li4O2")) == pd.phase_separation_energy(index_of(pd, "Li2O")));
}

TEST_CASE("unary diagram and user-given references") {
    // H13: H at 0 and H at +1 → E_hull = 1.
    const phase_diagram pd({E("H", "H", 0.0), E("H_hi", "H2", 1.0)});
    CHECK(pd.components() == 1);
    CHECK(pd.e_above_hull(1) == 1.0);
    CHECK(pd.e_above_hull(0) == 0.0);
    CHECK(pd.facet_count() == 1);
    // References at "200 GPa" given by the user; no pure-element entries at all.
    hull_options opt;
    opt.references = {{"Y", -5.0}, {"H", -2.0}};
    const phase_diagram yh({E("YH6", "YH6", -3.0), E("YH3", "YH3", -2.9)}, opt);
    // e_form(YH6) = −3 − (−5/7 − 12/7) = −3 + 17/7 = −4/7; YH3: −2.9 + (5+6)/4 = −0.15.
    CHECK(yh.formation_energy(0) == doctest::Approx(-4.0 / 7.0).epsilon(1e-14));
    CHECK(yh.formation_energy(1) == doctest::Approx(-0.15).epsilon(1e-13));
    // Hull at x_H = 3/4 on Y–YH6: −(4/7)(3/4)/(6/7) = −0.5 → E_hull(YH3) = 0.35, 1/8 Y + 7/8 YH6.
    CHECK(yh.e_above_hull(1) == doctest::Approx(0.35).epsilon(1e-13));
    CHECK(yh.decomposition_string(1) == "0.125 Y + 0.875 YH6");
    // A missing reference is an input error naming the element.
    CHECK_THROWS_WITH_AS(phase_diagram({E("Li", "Li", 0), E("LiO", "LiO", -1)}),
                         doctest::Contains("no elemental reference for O"), materia::invalid_argument);
    // Seven components are refused.
    CHECK_THROWS_AS(phase_diagram({E("x", "HLiBeBCNO", 0)}), materia::invalid_argument);
    CHECK_THROWS_AS(phase_diagram(std::vector<entry>{}), materia::invalid_argument);
    CHECK_THROWS_AS((void)pd.query(parse_formula("Fe"), 0.0), materia::invalid_argument);
}

TEST_CASE("random quaternary: invariants, batch = per entry, permutation invariance") {
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<int> cnt(0, 5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const char* el[4] = {"Mg", "Al", "Si", "O"};
    std::vector<entry> es;
    for (int k = 0; k < 4; ++k) es.push_back(E(el[k], el[k], -1.0 - k));
    while (es.size() < 400) {
        composition c;
        for (int k = 0; k < 4; ++k) c.add(element_number(el[k]), cnt(rng));
        if (c.size() < 2) continue;
        double eref = 0;
        for (int k = 0; k < 4; ++k) eref += c.fraction(element_number(el[k])) * (-1.0 - k);
        es.push_back({"e" + std::to_string(es.size()), c, eref - 2.0 * u(rng) * u(rng)});
    }
    const phase_diagram pd(es);
    std::vector<double> frac(pd.size() * 4), en(pd.size()), out(pd.size());
    for (std::size_t i = 0; i < pd.size(); ++i) {
        CHECK(pd.e_above_hull(i) >= 0.0);
        const auto dec = pd.decomposition(i);
        CHECK(dec.size() <= 4);
        // Σ w x_phase = x and Σ w e_phase = e_form − e_above_hull.
        std::vector<double> x(4, 0.0);
        double e = 0, ws = 0;
        for (const auto& t : dec) {
            ws += t.fraction;
            e += t.fraction * pd.formation_energy(t.entry);
            for (int k = 0; k < 4; ++k) x[static_cast<std::size_t>(k)] += t.fraction * es[t.entry].comp.fraction(element_number(el[k]));
        }
        CHECK(ws == doctest::Approx(1.0).epsilon(1e-12));
        for (int k = 0; k < 4; ++k)
            CHECK(std::abs(x[static_cast<std::size_t>(k)] - es[i].comp.fraction(element_number(el[k]))) < 1e-9);
        CHECK(std::abs(e - (pd.formation_energy(i) - pd.e_above_hull(i))) < 1e-9);
        if (pd.is_vertex(i) && es[i].comp.size() > 1) CHECK(pd.phase_separation_energy(i) < 0.0);
        for (int k = 0; k < 4; ++k) frac[i * 4 + static_cast<std::size_t>(k)] = es[i].comp.amount(element_number(el[k]));
        en[i] = es[i].energy_per_atom;
    }
    pd.e_above_hull_batch(frac, en, out);
    for (std::size_t i = 0; i < pd.size(); ++i) CHECK(std::abs(std::max(out[i], 0.0) - pd.e_above_hull(i)) < 1e-12);
    // Same diagram from shuffled entries.
    std::vector<std::size_t> perm(es.size());
    for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    std::vector<entry> shuffled;
    for (const auto p : perm) shuffled.push_back(es[p]);
    const phase_diagram pd2(shuffled);
    for (std::size_t i = 0; i < perm.size(); ++i) CHECK(std::abs(pd2.e_above_hull(i) - pd.e_above_hull(perm[i])) < 1e-12);
    CHECK(pd2.stable_entries().size() == pd.stable_entries().size());
    CHECK(pd2.facet_count() == pd.facet_count());
}

TEST_CASE("degenerate lattice: many points exactly on facets of a piecewise-linear hull") {
    // e_form = −3·min(x_A, x_B, x_C) on the 24-grid: the hull is the 3 planes through the
    // centroid, every grid point lies on it (up to fraction rounding), and the hull's vertices
    // are only the corners and the centroid.
    std::vector<entry> es = {E("Li", "Li", 0), E("Fe", "Fe", 0), E("O", "O", 0)};
    const int n = 24;
    for (int a = 0; a <= n; ++a)
        for (int b = 0; a + b <= n; ++b) {
            const int c = n - a - b;
            if ((a == n) || (b == n) || (c == n)) continue;
            composition comp;
            comp.add(3, a);
            comp.add(26, b);
            comp.add(8, c);
            const double m = std::min({a, b, c}) / static_cast<double>(n);
            es.push_back({"p" + std::to_string(es.size()), comp, -3.0 * m});
        }
    const phase_diagram pd(es);
    double worst = 0;
    for (std::size_t i = 0; i < pd.size(); ++i) worst = std::max(worst, pd.e_above_hull(i));
    CHECK(worst < 1e-14);
    CHECK(pd.is_vertex(index_of(pd, "Li")));
    // The centroid (8,8,8) is a vertex with formation energy −1.
    std::size_t centroid = 0;
    for (std::size_t i = 0; i < pd.size(); ++i)
        if (pd.formation_energy(i) == -1.0) centroid = i;
    CHECK(pd.is_vertex(centroid));
    CHECK(pd.phase_separation_energy(centroid) < -0.1);
}

TEST_CASE("CSV input: parse, errors with line numbers, streaming equals in-memory") {
    const std::string text =
        "# comment\nname,formula,energy\nA,Li,-1.9\nB,O2,-4.9\n\nAB,LiO,-4.0\nA2B,Li2O,-3.5\nbad_hi,Li2O2,-3.0\n";
    const auto t = read_entries_csv(text, "mem.csv");
    CHECK(t.size() == 5);
    CHECK(t.elements == std::vector<int>{3, 8});
    const auto pd = make_phase_diagram(t);
    CHECK(pd.e_above_hull(0) == 0.0);
    CHECK(pd.e_above_hull(4) == doctest::Approx(1.0).epsilon(1e-13));  // Li2O2 at −3 vs LiO −4
    CHECK_THROWS_WITH_AS((void)read_entries_csv("name,formula,energy\nA,Li,abc\n", "x.csv"),
                         "x.csv:2: energy: expected a finite number, got 'abc'", materia::parse_error);
    CHECK_THROWS_WITH_AS((void)read_entries_csv("name,formula,energy\nA,Li,1\nB,Qq2,1\n", "x.csv"),
                         "x.csv:3: parse_formula: unknown element symbol 'Qq' at position 1 in 'Qq2'", materia::parse_error);
    CHECK_THROWS_AS((void)read_entries_csv("name,formula\nA,Li\n", "x.csv"), materia::parse_error);
    CHECK_THROWS_AS((void)read_entries_csv("name,formula,energy\nA,Li\n", "x.csv"), materia::parse_error);
    CHECK_THROWS_AS((void)read_entries_csv("name,formula,energy\n", "x.csv"), materia::parse_error);
    CHECK_THROWS_AS((void)read_entries_csv_file("/nonexistent/file.csv"), materia::parse_error);
    // Streaming: write the text to a file and compare with the in-memory result.
    const std::string path = "materia_test_hull_stream.csv";
    {
        std::ofstream f(path);
        f << text;
    }
    std::ostringstream os;
    const std::size_t rows = stream_hull_csv(path, os);
    std::remove(path.c_str());
    CHECK(rows == 5);
    const std::string out = os.str();
    CHECK(out.find("A2B,Li2O,") != std::string::npos);
    CHECK(out.find("bad_hi,Li2O2,") != std::string::npos);
    std::istringstream is(out);
    std::string line;
    std::size_t k = 0;
    while (std::getline(is, line)) {
        const auto c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.find(',', c2 + 1), c4 = line.find(',', c3 + 1);
        const double eh = std::stod(line.substr(c3 + 1, c4 - c3 - 1));
        CHECK(std::abs(eh - pd.e_above_hull(k)) < 1e-12);
        ++k;
    }
}

}  // TEST_SUITE
