// Loader for pymatgen's Li–Fe–O test set (tests/data/phase/pd_entries_test.csv: Name,Li,Fe,O,
// Final energy — atom counts of the cell and the total energy of the cell in eV), shared by the
// phase tests.  Source: pymatgen tests/files/analysis/pd_entries_test.csv @ 787ee7926b19864f8c5be3e58653d804b1692951
// (md5 f8fca3ee54ec29226f7109aa710cba05).
#pragma once

#include <doctest/doctest.h>

#include <materia/phase/phase_diagram.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace li_fe_o_test {

inline std::vector<materia::phase::entry> read_entries() {
    using namespace materia::phase;
    std::ifstream f(std::string(MATERIA_TEST_DATA_DIR) + "/phase/pd_entries_test.csv");
    REQUIRE(f.good());
    std::string line;
    std::getline(f, line);
    std::vector<entry> out;
    while (std::getline(f, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> c;
        std::string cell;
        std::istringstream is(line);
        while (std::getline(is, cell, ',')) c.push_back(cell);
        REQUIRE(c.size() == 5);
        composition comp;
        const char* sym[3] = {"Li", "Fe", "O"};
        for (int k = 0; k < 3; ++k) {
            const double n = std::stod(c[static_cast<std::size_t>(k) + 1]);
            if (n > 0) comp.add(element_number(sym[k]), n);
        }
        out.push_back(entry::from_total(c[0], comp, std::stod(c[4])));
    }
    return out;
}

}  // namespace li_fe_o_test
