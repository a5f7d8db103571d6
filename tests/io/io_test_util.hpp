// Helpers shared by the io tests.
#pragma once

#include <materia/io/reader.hpp>
#include <materia/io/write_extxyz.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace io_test {

inline std::string data(const std::string& name) { return std::string(MATERIA_TEST_DATA_DIR) + "/io/" + name; }

/// All frames of an in-memory text.
inline std::vector<materia::frame> read_text(const std::string& name, const std::string& text,
                                             materia::io::read_options opts = {}) {
    auto r = materia::io::frame_reader::from_string(name, text, std::move(opts));
    std::vector<materia::frame> out;
    materia::frame f;
    while (r.next(f)) out.push_back(f);
    return out;
}

/// The parse_error message for reading a text (empty if it parsed).
inline std::string parse_error_of(const std::string& name, const std::string& text,
                                  materia::io::read_options opts = {}) {
    try {
        (void)read_text(name, text, std::move(opts));
    } catch (const materia::parse_error& e) {
        return e.what();
    }
    return {};
}

/// A file in the build's temporary folder, removed at scope exit.
struct temp_file {
    std::filesystem::path path;
    explicit temp_file(const std::string& name, const std::string& content) {
        path = std::filesystem::temp_directory_path() / ("materia_io_test_" + name);
        std::ofstream(path, std::ios::binary) << content;
    }
    ~temp_file() {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
    temp_file(const temp_file&) = delete;
    temp_file& operator=(const temp_file&) = delete;
    [[nodiscard]] std::string str() const { return path.string(); }
};

/// Largest |Δ| between two cells' matrices.
inline double cell_diff(const materia::cell& a, const materia::cell& b) {
    double m = 0;
    for (std::size_t k = 0; k < 3; ++k)
        for (std::size_t d = 0; d < 3; ++d) m = std::max(m, std::abs(a.matrix()[k][d] - b.matrix()[k][d]));
    return m;
}

/// Largest distance between corresponding atoms, up to lattice translations of `c` (files may wrap).
inline double position_diff_periodic(const materia::frame& a, const materia::frame& b, const materia::cell& c) {
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const materia::vec3 d = c.minimum_image(materia::detail::sub(a.positions[i], b.positions[i]));
        m = std::max(m, materia::detail::norm(d));
    }
    return m;
}

inline double position_diff(const materia::frame& a, const materia::frame& b) {
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t d = 0; d < 3; ++d) m = std::max(m, std::abs(a.positions[i][d] - b.positions[i][d]));
    return m;
}

}  // namespace io_test
