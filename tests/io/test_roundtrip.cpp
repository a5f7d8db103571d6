// write_extxyz → read gives back the identical frame (bit for bit), for random triclinic frames,
// partial periodicity, open cells, image flags, time/step, and for every golden file.
#include "io_test_util.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <limits>
#include <random>

namespace {

materia::frame random_frame(std::mt19937_64& rng, std::size_t n, bool lattice, bool images) {
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    materia::frame f;
    if (lattice) {
        materia::mat3 h{materia::vec3{7 + u(rng), 0.3 * u(rng), 0.2 * u(rng)},
                        materia::vec3{1.5 * u(rng), 8 + u(rng), 0.1 * u(rng)},
                        materia::vec3{u(rng), u(rng), 9 + u(rng)}};
        f.cell = materia::cell(h, {true, rng() % 2 == 0, true});
    }
    const char* names[] = {"Sb", "Se", "Ge", "Te", "X"};
    for (std::size_t i = 0; i < n; ++i) {
        f.positions.push_back({20 * u(rng), std::ldexp(u(rng), -40), 1e6 * u(rng)});
        f.species.emplace_back(names[rng() % 5]);
    }
    if (images) {
        f.images.emplace();
        for (std::size_t i = 0; i < n; ++i)
            f.images->push_back({int(rng() % 7) - 3, int(rng() % 3) - 1, -1000000});
    }
    if (rng() % 2 == 0) f.time = u(rng) * 1e3;
    if (rng() % 2 == 0) f.step = static_cast<long long>(rng() % 1000000000000ULL);
    return f;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void check_identical(const materia::frame& a, const materia::frame& b) {
    REQUIRE(a.size() == b.size());
    CHECK(a.species == b.species);
    CHECK(a.cell.has_lattice() == b.cell.has_lattice());
    if (a.cell.has_lattice()) {
        for (std::size_t k = 0; k < 3; ++k) {
            CHECK(a.cell.periodic(k) == b.cell.periodic(k));
            for (std::size_t d = 0; d < 3; ++d) CHECK(same_bits(a.cell.matrix()[k][d], b.cell.matrix()[k][d]));
        }
    }
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t d = 0; d < 3; ++d) if (!same_bits(a.positions[i][d], b.positions[i][d])) ++mismatches;
    CHECK(mismatches == 0);
    CHECK(a.images.has_value() == b.images.has_value());
    if (a.images && b.images) CHECK(*a.images == *b.images);
    CHECK(a.time == b.time);
    CHECK(a.step == b.step);
}

}  // namespace

TEST_SUITE("io.roundtrip") {

TEST_CASE("random frames round-trip exactly through extended XYZ") {
    std::mt19937_64 rng(20261121);
    std::ostringstream os;
    std::vector<materia::frame> frames;
    for (int k = 0; k < 12; ++k) {
        frames.push_back(random_frame(rng, 1 + rng() % 50, k % 4 != 3, k % 3 == 0));
        materia::io::write_extxyz(os, frames.back());
    }
    // Awkward doubles: signed zero, subnormal, extremes.
    materia::frame odd;
    odd.cell = materia::cell::orthorhombic(1e-3, 1e3, 3.0);
    odd.positions = {{-0.0, std::numeric_limits<double>::denorm_min(), 1.7976931348623157e308},
                     {0.1, 1.0 / 3.0, -2.0 / 3.0}};
    odd.species = {"H", "Og"};
    materia::io::write_extxyz(os, odd);
    frames.push_back(odd);

    const auto back = io_test::read_text("rt.extxyz", os.str());
    REQUIRE(back.size() == frames.size());
    for (std::size_t k = 0; k < frames.size(); ++k) {
        CAPTURE(k);
        check_identical(frames[k], back[k]);
        CHECK(back[k].index == k);
    }
}

TEST_CASE("every golden file survives read → write → read unchanged") {
    materia::io::read_options typed;
    typed.types = {{1, "Sb"}, {2, "Se"}};
    for (const char* file : {"multi.extxyz", "plain.xyz", "POSCAR_selective", "POSCAR_negvol", "CONTCAR",
                             "XDATCAR_varcell", "ortho.dump", "tri_negative.dump", "highprec.gro", "spc216.gro",
                             "same/ref.lammpstrj", "same/XDATCAR", "aC.extxyz"}) {
        CAPTURE(file);
        const auto first = materia::io::read_frames(io_test::data(file), typed);
        std::ostringstream os;
        for (const auto& f : first) materia::io::write_extxyz(os, f);
        const auto second = io_test::read_text("again.extxyz", os.str());
        REQUIRE(second.size() == first.size());
        for (std::size_t k = 0; k < first.size(); ++k) check_identical(first[k], second[k]);
    }
}

TEST_CASE("writer rejects frames it cannot represent") {
    materia::frame f;
    f.positions = {{0, 0, 0}};
    f.species = {"Si", "O"};
    std::ostringstream os;
    CHECK_THROWS_AS(materia::io::write_extxyz(os, f), materia::invalid_argument);
    f.species = {"S i"};
    CHECK_THROWS_AS(materia::io::write_extxyz(os, f), materia::invalid_argument);
    f.species = {"Si"};
    f.positions[0][1] = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(materia::io::write_extxyz(os, f), materia::invalid_argument);
}

}  // TEST_SUITE
