// Formula parsing and composition arithmetic.
#include <doctest/doctest.h>

#include <materia/phase/composition.hpp>

#include <string>

using namespace materia::phase;

TEST_SUITE("phase.composition") {

TEST_CASE("periodic table: symbols and numbers round-trip for all 118 elements") {
    for (int z = 1; z <= 118; ++z) CHECK(element_number(element_symbol(z)) == z);
    CHECK(element_number("Fe") == 26);
    CHECK(element_number("Og") == 118);
    CHECK(element_number("Xx") == 0);
    CHECK(element_number("fe") == 0);
    CHECK(element_number("") == 0);
    CHECK_THROWS_AS((void)element_symbol(0), materia::invalid_argument);
    CHECK_THROWS_AS((void)element_symbol(119), materia::invalid_argument);
}

TEST_CASE("parse_formula: counts, order of appearance, totals and fractions") {
    const auto c = parse_formula("Y2ThH24");
    REQUIRE(c.size() == 3);
    CHECK(c.terms()[0].z == 39);
    CHECK(c.terms()[1].z == 90);
    CHECK(c.terms()[2].z == 1);
    CHECK(c.amount("Y") == 2.0);
    CHECK(c.amount("Th") == 1.0);
    CHECK(c.amount("H") == 24.0);
    CHECK(c.total() == 27.0);
    CHECK(c.fraction(1) == doctest::Approx(24.0 / 27.0).epsilon(1e-15));
    CHECK(c.formula() == "Y2ThH24");
    const auto l = parse_formula("LiFeO2");
    CHECK(l.total() == 4.0);
    CHECK(l.fraction(8) == 0.5);
}

TEST_CASE("parse_formula: brackets multiply, repeated elements merge, decimals are exact strtod values") {
    const auto c = parse_formula("Ca3(PO4)2");
    CHECK(c.amount("Ca") == 3.0);
    CHECK(c.amount("P") == 2.0);
    CHECK(c.amount("O") == 8.0);
    const auto n = parse_formula("[Co(NH3)6]Cl3");
    CHECK(n.amount("N") == 6.0);
    CHECK(n.amount("H") == 18.0);
    CHECK(n.amount("Cl") == 3.0);
    const auto m = parse_formula("CH3COOH");
    CHECK(m.amount("C") == 2.0);
    CHECK(m.amount("H") == 4.0);
    CHECK(m.amount("O") == 2.0);
    CHECK(m.size() == 3);
    const auto d = parse_formula("Li0.5Fe0.25O.1");
    CHECK(d.amount("Li") == 0.5);
    CHECK(d.amount("Fe") == 0.25);
    CHECK(d.amount("O") == 0.1);
    const auto z = parse_formula("Li0O2");  // a zero count drops the element
    CHECK(z.size() == 1);
    CHECK(parse_formula("((H2)2O)3").amount("H") == 12.0);
    CHECK(parse_formula("LiO").same_reduced(parse_formula("Li4O4")));
    CHECK_FALSE(parse_formula("LiO").same_reduced(parse_formula("Li2O")));
}

TEST_CASE("parse_formula: errors name the formula and the 1-based position") {
    CHECK_THROWS_WITH_AS((void)parse_formula("LiXxO2"), "parse_formula: unknown element symbol 'Xx' at position 3 in 'LiXxO2'",
                         materia::invalid_argument);
    CHECK_THROWS_WITH_AS((void)parse_formula("Li2O)"), "parse_formula: unmatched ')' at position 5 in 'Li2O)'",
                         materia::invalid_argument);
    CHECK_THROWS_WITH_AS((void)parse_formula("Ca3(PO4"), "parse_formula: unclosed bracket at position 4 in 'Ca3(PO4'",
                         materia::invalid_argument);
    CHECK_THROWS_WITH_AS((void)parse_formula("li2O"), "parse_formula: unexpected character 'l' at position 1 in 'li2O'",
                         materia::invalid_argument);
    CHECK_THROWS_AS((void)parse_formula(""), materia::invalid_argument);
    CHECK_THROWS_AS((void)parse_formula("Fe 2"), materia::invalid_argument);
    CHECK_THROWS_AS((void)parse_formula("Fe-2"), materia::invalid_argument);
    CHECK_THROWS_AS((void)parse_formula("()"), materia::invalid_argument);
    CHECK_THROWS_AS((void)parse_formula("(Fe]"), materia::invalid_argument);
    CHECK_THROWS_AS((void)parse_formula("Fe0"), materia::invalid_argument);  // no atoms at all
    CHECK_THROWS_AS((void)parse_formula("Fe."), materia::invalid_argument);
    composition c;
    CHECK_THROWS_AS(c.add(0, 1.0), materia::invalid_argument);
    CHECK_THROWS_AS(c.add(26, -1.0), materia::invalid_argument);
}

TEST_CASE("parse_formula_into re-uses storage and gives the same result") {
    composition c;
    parse_formula_into("Fe2O3", c);
    CHECK(c.total() == 5.0);
    parse_formula_into("LiH", c);
    CHECK(c.size() == 2);
    CHECK(c.amount("Fe") == 0.0);
    CHECK(c.total() == 2.0);
}

}  // TEST_SUITE
