// tests/support/xyz_fixture.hpp — a minimal extended-XYZ reader for test fixtures only (the real,
// validated readers are materia/io; structure tests must not depend on them).
#pragma once

#include <materia/core/cell.hpp>

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace materia::test {

struct fixture {
    std::vector<std::array<double, 3>> pos;
    std::vector<std::string> species;
    materia::cell box;
};

inline fixture read_fixture(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw std::runtime_error("fixture: cannot open " + path);
    fixture out;
    std::size_t n = 0;
    f >> n;
    std::string line;
    std::getline(f, line);
    std::getline(f, line);
    const auto l0 = line.find("Lattice=\"");
    if (l0 == std::string::npos) throw std::runtime_error("fixture: no Lattice in " + path);
    std::istringstream ls(line.substr(l0 + 9));
    materia::mat3 h{};
    for (auto& row : h)
        for (auto& x : row) ls >> x;
    out.box = materia::cell(h);
    for (std::size_t i = 0; i < n; ++i) {
        std::string s;
        std::array<double, 3> r{};
        f >> s >> r[0] >> r[1] >> r[2];
        std::getline(f, line);
        out.species.push_back(s);
        out.pos.push_back(r);
    }
    if (!f) throw std::runtime_error("fixture: truncated " + path);
    return out;
}

/// Columns of a whitespace table with '#' comment lines (peer outputs).
inline std::vector<std::vector<double>> read_table(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw std::runtime_error("table: cannot open " + path);
    std::vector<std::vector<double>> cols;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream is(line);
        std::vector<double> row;
        double x;
        while (is >> x) row.push_back(x);
        if (cols.empty()) cols.resize(row.size());
        for (std::size_t k = 0; k < row.size() && k < cols.size(); ++k) cols[k].push_back(row[k]);
    }
    return cols;
}

inline std::string data_path(const std::string& rel) { return std::string(MATERIA_TEST_DATA_DIR) + "/" + rel; }

}  // namespace materia::test
