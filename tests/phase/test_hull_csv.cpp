// The fast CSV path (phase/hull_csv.hpp) against phase_diagram built from every row: the numbers
// and the formatted rows must be bit-for-bit the same, for any thread count, with duplicates,
// scaled duplicates (Li2O / Li4O2 are one composition under two formulas), ties and columns in
// another order; malformed input is reported with the first bad line of the file.
#include <doctest/doctest.h>

#include <materia/core/mapped_file.hpp>
#include <materia/phase/hull_csv.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace materia::phase;

namespace {

// A Li-Fe-O style ternary: random integer formulas (with repeats and scaled repeats), energies
// per atom from a smooth mixing term plus noise, some exact ties; ~6000 rows (> 64 KiB, so the
// parser splits the text into several chunks).
// `k` components (Li, Fe, O, then P, S, N), `rows` random rows.
std::string make_text(bool reorder, int k = 3, int rows = 6000) {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int> cnt(0, 6);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const char* sym[6] = {"Li", "Fe", "O", "P", "S", "N"};
    const double ref[6] = {-1.9, -6.6, -4.9, -5.4, -4.1, -8.3};
    std::string t = reorder ? "energy,comment,formula,name\n" : "# a comment line\nname,formula,energy\n";
    auto row = [&](const std::string& name, const std::string& formula, double e) {
        char buf[40];
        const auto r = std::to_chars(buf, buf + sizeof buf, e);
        const std::string es(buf, r.ptr);
        if (reorder) t += es + ",x," + formula + "," + name + "\n";
        else t += name + "," + formula + "," + es + "\n";
    };
    row("Li", "Li", ref[0]);
    row("Fe", "Fe", ref[1]);
    row("O2", "O2", ref[2]);
    for (int j = 3; j < k; ++j) row(sym[j], sym[j], ref[j]);
    // With 4 or more components the rows repeat 24 random formulas: hulls of thousands of
    // distinct points in 4-6 dimensions would make this test slow in a debug build.
    std::vector<std::array<int, 6>> pool(k <= 3 ? 0 : 24);
    for (auto& c : pool)
        for (int j = 0; j < k; ++j) c[static_cast<std::size_t>(j)] = cnt(rng);
    for (int i = 0; i < rows; ++i) {
        int c[6] = {};
        int total = 0;
        for (int j = 0; j < k; ++j)
            total += (c[j] = pool.empty() ? cnt(rng) : pool[static_cast<std::size_t>(i) % pool.size()][static_cast<std::size_t>(j)]);
        if (total == 0) c[i % k] = 1;
        const int scale = (i % 7 == 0) ? 2 : 1;  // scaled duplicate formulas
        std::string f;
        double n = 0, eref = 0;
        for (int j = 0; j < k; ++j)
            if (c[j]) {
                f += sym[j] + std::to_string(c[j] * scale);
                n += c[j];
            }
        double mix = 0;
        for (int j = 0; j < k; ++j) {
            eref += c[j] / n * ref[j];
            for (int l = j + 1; l < k; ++l) mix += c[j] / n * c[l] / n;
        }
        double e = eref - 2.0 * mix * u(rng) + 0.02 * (u(rng) - 0.5);
        if (i % 11 == 0) e = eref - 0.5;  // many exact ties per composition
        row("e" + std::to_string(i), f, e);
    }
    if (!reorder) t += "\n# trailing comment\n";
    return t;
}

std::string g12(double x) {
    char buf[40];
    const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 12);
    return std::string(buf, r.ptr);
}

}  // namespace

TEST_CASE("csv_hull equals phase_diagram of every row, bit for bit, for 1 and 2 threads") {
    // Every component count the row formatting is compiled for (format_block_k<K>).
    for (const int k : {2, 3, 4, 5, 6})
    for (const bool reorder : {false, true}) {
        CAPTURE(k);
        CAPTURE(reorder);
        const std::string text = make_text(reorder, k, k == 3 ? 6000 : 2500);
        REQUIRE(text.size() > (std::size_t{1} << 16));  // several chunks
        const auto table = read_entries_csv(text, "mem.csv", 1);
        const auto full = make_phase_diagram(table);
        hull_options o1, o2;
        o1.threads = 1;
        o2.threads = 2;
        const csv_hull h1(text, "mem.csv", o1), h2(text, "mem.csv", o2);
        REQUIRE(h1.size() == full.size());
        REQUIRE(h2.size() == full.size());
        CHECK(h1.diagram().facet_count() == full.facet_count());
        CHECK(h1.diagram().stable_entries().size() == full.stable_entries().size());
        CHECK(h1.diagram().size() < full.size());  // one entry per distinct formula
        std::string want;
        std::size_t mismatches = 0;
        for (std::size_t i = 0; i < full.size(); ++i) {
            if (h1.formation_energy(i) != full.formation_energy(i) || h1.e_above_hull(i) != full.e_above_hull(i) ||
                h1.is_stable(i) != full.is_stable(i) || h1.decomposition_string(i) != full.decomposition_string(i) ||
                h1.name(i) != full.name(i) || h1.formula(i) != table.formulas[i])
                ++mismatches;
            const double eh = full.e_above_hull(i);
            want += full.name(i) + "," + table.formulas[i] + "," + g12(full.formation_energy(i)) + "," + g12(eh) +
                    (full.is_stable(i) ? ",1," : ",0,") + full.decomposition_string(i) + "\n";
        }
        CHECK(mismatches == 0);
        const double inf = std::numeric_limits<double>::infinity();
        CHECK(h1.format_rows(inf, 1) == want);
        CHECK(h2.format_rows(inf, 2) == want);
        CHECK(h1.format_rows(inf, 3) == want);
        CHECK(h2.format_rows(inf, 2, 7) == want);  // many small blocks: written in order by whichever thread
        CHECK(h2.format_rows(inf, 3, 1) == want);
        // Threshold: only rows with e_above_hull <= 0.05.
        std::size_t kept = 0;
        for (std::size_t i = 0; i < full.size(); ++i) if (full.e_above_hull(i) <= 0.05) ++kept;
        const std::string some = h2.format_rows(0.05, 2);
        CHECK(static_cast<std::size_t>(std::count(some.begin(), some.end(), '\n')) == kept);
        CHECK(kept > 0);
        CHECK(kept < full.size());
        // Batch query inputs line up with the rows.
        const auto x = h1.fractions();
        const auto en = h1.energies();
        std::vector<double> eh(h1.size());
        h1.diagram().e_above_hull_batch(x, en, eh);
        double worst = 0;
        for (std::size_t i = 0; i < eh.size(); ++i) worst = std::max(worst, std::abs(std::max(eh[i], 0.0) - full.e_above_hull(i)));
        CHECK(worst < 1e-12);
    }
}

TEST_CASE("csv_hull: malformed input names the first bad line") {
    std::string big = "name,formula,energy\n";
    for (int i = 0; i < 5000; ++i) big += "a" + std::to_string(i) + ",Li" + std::to_string(i % 5 + 1) + "O,-3.5\n";
    big += "Li,Li,-1.9\nO,O,-4.9\n";
    hull_options o;
    o.threads = 2;
    CHECK(csv_hull(big, "big.csv", o).size() == 5002);
    std::string bad = big;
    bad.insert(bad.find("a4000,"), "x,Qq2,1\n");  // line 4002 (header is line 1)
    bad.insert(bad.find("a4500,"), "y,Li,abc\n");
    CHECK_THROWS_WITH_AS(csv_hull(bad, "big.csv", o), "big.csv:4002: parse_formula: unknown element symbol 'Qq' at position 1 in 'Qq2'",
                         materia::parse_error);
    // A bad formula and, a few lines later (inside one lookup batch), a bad energy: the first wins.
    std::string near = big;
    near.insert(near.find("a3000,"), "x,Qq2,1\n");    // line 3002
    near.insert(near.find("a3004,"), "y,Li,abc\n");   // line 3007
    CHECK_THROWS_WITH_AS(csv_hull(near, "big.csv", o), "big.csv:3002: parse_formula: unknown element symbol 'Qq' at position 1 in 'Qq2'",
                         materia::parse_error);
    // Formulas are parsed after the rows on the fast path: a bad formula in the first half must
    // still win over a bad energy in the second half (and the other way round).
    std::string split = big;
    split.insert(split.find("a100,"), "x,Qq2,1\n");    // line 102, first chunk
    split.insert(split.find("a4500,"), "y,Li,abc\n");  // line 4503, second chunk
    CHECK_THROWS_WITH_AS(csv_hull(split, "big.csv", o), "big.csv:102: parse_formula: unknown element symbol 'Qq' at position 1 in 'Qq2'",
                         materia::parse_error);
    std::string split2 = big;
    split2.insert(split2.find("a100,"), "y,Li,abc\n");
    split2.insert(split2.find("a4500,"), "x,Qq2,1\n");
    CHECK_THROWS_WITH_AS(csv_hull(split2, "big.csv", o), "big.csv:102: energy: expected a finite number, got 'abc'", materia::parse_error);
    std::string seven = big;  // a formula with a 7th element in the first chunk, a bad energy later
    seven.insert(seven.find("a200,"), "s,LiOFeCuZnNiS,1\n");
    seven.insert(seven.find("a4800,"), "y,Li,abc\n");
    CHECK_THROWS_WITH_AS(csv_hull(seven, "big.csv", o), "big.csv:202: formula 'LiOFeCuZnNiS' has more than 6 elements", materia::parse_error);
    std::string longkey = big;  // a formula longer than the 16 bytes kept inline in the cache
    longkey.insert(longkey.find("a2000,"), "z,Li1.000000000000O1.0000000000001,-3\nw,Li1.000000000000O1.0000000000001,-3.1\n");
    CHECK(csv_hull(longkey, "big.csv", o).size() == 5004);
    CHECK(csv_hull(longkey, "big.csv", o).diagram().size() == csv_hull(big, "big.csv", o).diagram().size() + 1);  // one formula, found again
    CHECK_THROWS_WITH_AS(csv_hull("name,formula,energy\nA,Li,abc\n", "x.csv"), "x.csv:2: energy: expected a finite number, got 'abc'",
                         materia::parse_error);
    // Rows the quick splitter declines go to the general parser: same values, same messages.
    CHECK_THROWS_WITH_AS(csv_hull("name,formula,energy\nLi,Li,-1.9\nA,,-1\n", "x.csv"), "x.csv:3: empty formula", materia::parse_error);
    CHECK_THROWS_WITH_AS(csv_hull("name,formula,energy\nLi,Li,-1.9\nA,Li,-1,2\n", "x.csv"),
                         "x.csv:3: expected 3 comma-separated values, got 4", materia::parse_error);
    CHECK_THROWS_WITH_AS(csv_hull("name,formula,energy\nLi,Li,nan\n", "x.csv"), "x.csv:2: energy: expected a finite number, got 'nan'",
                         materia::parse_error);
    {
        const csv_hull spaced("name,formula,energy\n Li , Li ,+-1.9\r\nLi2,Li2,\t-2.0\nx y,Li,-1.5 \n", "x.csv");
        CHECK(spaced.size() == 3);
        CHECK(spaced.name(0) == "Li");
        CHECK(spaced.formula(0) == "Li");
        CHECK(spaced.formation_energy(2) == doctest::Approx(0.5).epsilon(1e-15));  // reference -2.0 (Li2), "x y" keeps its blank
        CHECK(spaced.name(2) == "x y");
    }
    CHECK_THROWS_AS(csv_hull("name,formula\nA,Li\n", "x.csv"), materia::parse_error);
    CHECK_THROWS_AS(csv_hull("name,formula,energy\n", "x.csv"), materia::parse_error);
    CHECK_THROWS_AS(csv_hull("", "x.csv"), materia::parse_error);
    CHECK_THROWS_AS(csv_hull("name,formula,energy\nA,LiFeOPSNC,-1\n", "x.csv"), materia::parse_error);
    CHECK_THROWS_AS(csv_hull("name,formula,energy\nA,LiO,-3\nB,Li,-1\n", "x.csv"), materia::invalid_argument);  // no O reference
    CHECK_THROWS_AS(materia::mapped_file("/nonexistent/file.csv"), materia::parse_error);
}

TEST_CASE("csv_hull: an absurd elemental reference is flagged (RINGS_AND_HULLS H13)") {
    const std::string ok = "name,formula,energy\na,Li,-1.9\nb,O2,-4.9\nc,Li2O,-4.0\n";
    const csv_hull good(ok, "ok.csv");
    CHECK(good.implausible_formation_energies().count == 0);
    CHECK(good.implausible_formation_energies().worst == good.size());
    // Li at -1e6 eV/atom becomes the Li reference: the real Li and Li2O get E_form ~ +1e6 and 6.7e5
    const std::string bad = ok + "d,Li,-1000000\n";
    const csv_hull h(bad, "bad.csv");
    const auto flagged = h.implausible_formation_energies();
    CHECK(flagged.count == 2);
    CHECK(h.name(flagged.worst) == "a");
    CHECK(h.formation_energy(flagged.worst) == doctest::Approx(999998.1).epsilon(1e-12));
    CHECK(h.implausible_formation_energies(1e7).count == 0);
}

TEST_CASE("order_by_key: the permutation a stable sort by key gives") {
    std::mt19937_64 rng(5);
    for (const std::size_t top : {std::size_t{1}, std::size_t{2047}, std::size_t{2048}, std::size_t{1000000}, std::size_t{1} << 40}) {
        std::vector<std::size_t> key(3000);
        for (auto& k : key) k = rng() % (top + 1);
        std::vector<std::size_t> expect(key.size());
        for (std::size_t i = 0; i < key.size(); ++i) expect[i] = i;
        std::stable_sort(expect.begin(), expect.end(), [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
        CHECK(materia::phase::detail::order_by_key(key) == expect);
    }
    CHECK(materia::phase::detail::order_by_key({}).empty());
    CHECK(materia::phase::detail::order_by_key({0, 0, 0}) == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("scan_line: line end and first two commas, as a byte-by-byte scan finds them") {
    std::mt19937_64 rng(11);
    const char alphabet[] = {'a', 'b', ',', '\n', '1', '.', '-', '\r'};
    int bad = 0;
    for (int t = 0; t < 20000; ++t) {
        std::string s(rng() % 70, 'x');
        for (auto& ch : s) ch = alphabet[rng() % ((t % 3 == 0) ? 8 : 5)];  // some texts with many newlines
        const char* b = s.data();
        const char* e = b + s.size();
        const std::size_t start = s.empty() ? 0 : rng() % s.size();
        // Reference.
        materia::phase::detail::line_marks want;
        want.end = e;
        for (const char* p = b + start; p < e; ++p) {
            if (*p == '\n') {
                want.end = p;
                break;
            }
            if (*p == ',') {
                if (want.comma1 == nullptr) want.comma1 = p;
                else if (want.comma2 == nullptr) want.comma2 = p;
            }
        }
        const auto got = materia::phase::detail::scan_line(b + start, e);
        bad += got.end != want.end || got.comma1 != want.comma1 || got.comma2 != want.comma2;
    }
    CHECK(bad == 0);
    const std::string row = "a_long_entry_name_123,Y2ThH24,-1.25\nnext,Y,0\n";
    const auto m = materia::phase::detail::scan_line(row.data(), row.data() + row.size());
    CHECK(m.end - row.data() == 35);
    CHECK(m.comma1 - row.data() == 21);
    CHECK(m.comma2 - row.data() == 29);
}

TEST_CASE("csv_hull: rows whose energies differ but round to one formation energy — the first row is the entry") {
    // With references near -1e6 eV/atom, e_form ~ 5e5 has an ulp of ~6e-11, so energies one ulp
    // apart near -5 eV/atom give the same e_form.  phase_diagram takes the first of tied rows (by
    // formation energy, not by energy); so must csv_hull.  Both orders, 1 and 2 threads (the
    // two rows then sit in different chunks).
    const double lo = -5.0, hi = std::nextafter(-5.0, 0.0);
    for (const bool lower_first : {false, true}) {
        std::string t = "name,formula,energy\nLi,Li,-1000000\nO,O,-1000000\n";
        char buf[64];
        auto num = [&](double x) { return std::string(buf, std::to_chars(buf, buf + sizeof buf, x).ptr); };
        t += std::string("ab_first,LiO,") + num(lower_first ? lo : hi) + "\n";
        for (int i = 0; i < 5000; ++i) t += "pad" + std::to_string(i) + ",Li2O3," + num(-4.0 - 1e-4 * i) + "\n";  // > 64 KiB
        t += std::string("ab_second,LiO,") + num(lower_first ? hi : lo) + "\n";
        for (const int threads : {1, 2}) {
            hull_options o;
            o.threads = threads;
            const csv_hull h(t, "ties.csv", o);
            REQUIRE(h.formation_energy(2) == h.formation_energy(h.size() - 1));  // the premise: a tie
            bool first = false, second = false;
            for (std::size_t j = 0; j < h.diagram().size(); ++j) {
                first = first || h.diagram().name(j) == "ab_first";
                second = second || h.diagram().name(j) == "ab_second";
            }
            CHECK(first);
            CHECK_FALSE(second);
        }
    }
}
