// mapped_file: the file's bytes, mapped or (for files that cannot be mapped) read.
#include <doctest/doctest.h>

#include <materia/core/mapped_file.hpp>

#include <cstdio>
#include <string>
#include <utility>

namespace {

std::string write_temp(const std::string& name, const std::string& content) {
    const std::string path = std::string(P_tmpdir) + "/" + name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::fwrite(content.data(), 1, content.size(), f);
    std::fclose(f);
    return path;
}

}  // namespace

TEST_CASE("mapped_file: content of regular, empty and unmappable files") {
    std::string content;
    for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i) + ",Li2O,-3.25\n";
    const std::string path = write_temp("materia_mapped_file_test.csv", content);
    materia::mapped_file m(path);
    CHECK(m.is_mapped());
    CHECK(m.text() == content);
    // Moving keeps the view valid and empties the source.
    materia::mapped_file moved(std::move(m));
    CHECK(moved.text() == content);
    CHECK(m.text().empty());  // NOLINT(bugprone-use-after-move): a moved-from object is empty
    const std::string empty = write_temp("materia_mapped_file_empty.csv", "");
    const materia::mapped_file e(empty);
    CHECK(e.text().empty());
    // /proc files report size 0 and cannot be mapped usefully: read instead.
    const materia::mapped_file proc("/proc/self/status");
    CHECK_FALSE(proc.is_mapped());
    CHECK(proc.text().find("Name:") != std::string::npos);
    std::remove(path.c_str());
    std::remove(empty.c_str());
    CHECK_THROWS_AS(materia::mapped_file("/nonexistent/dir/file.csv"), materia::parse_error);
}
