// Bond-angle distribution of amorphous Si (512 atoms) against ASE 3.22.1 Analysis.get_angles.
//
// Fixture: tests/data/structure/a-Si_512.xyz (see a-Si_512.provenance.txt).
// Peer commands (run on this machine, numbers pasted below):
//   /usr/bin/python3 /work/shared/peers/ase_adf.py a-Si_512.xyz --cutoff 2.85 --nbins 180
//     -> "angles=3160 mean=109.07 deg" (header: mean=109.073), counts per 1° bin below
//   /usr/bin/python3 /work/shared/peers/ase_adf.py a-Si_512.xyz --cutoff 2.85 --nbins 18
//     -> counts 0 0 0 0 0 0 0 32 101 452 1108 1058 319 57 18 8 5 2
// ASE bonds are d < 2.85 Å (no Si–Si distance lies within 0.2 Å of 2.85, so < vs ≤ cannot matter)
// and its P(θ) is counts / (Σ counts · Δθ) — our `p`.
#include <materia/structure/bond_angles.hpp>

#include <doctest/doctest.h>

#include <map>
#include <utility>
#include <vector>

#include "xyz_fixture.hpp"

using doctest::Approx;
using namespace materia::test;

TEST_SUITE("structure.adf") {
    TEST_CASE("adf: amorphous Si agrees bin by bin with ASE Analysis.get_angles") {
        const auto fx = read_fixture(data_path("structure/a-Si_512.xyz"));
        const auto sp = materia::species_list::from_names(fx.species);
        const auto cut = materia::pair_cutoffs(1, 2.85);

        // 180 bins of 1°: ASE's nonzero bins {bin, count}
        const std::vector<std::pair<int, int>> ase180 = {
            {71, 1},    {72, 4},    {73, 4},    {74, 3},    {75, 5},    {76, 2},    {77, 5},    {78, 2},    {79, 6},
            {80, 3},    {81, 4},    {82, 9},    {83, 7},    {84, 5},    {85, 8},    {86, 8},    {87, 11},   {88, 14},
            {89, 32},   {90, 19},   {91, 27},   {92, 30},   {93, 30},   {94, 35},   {95, 51},   {96, 54},   {97, 64},
            {98, 76},   {99, 66},   {100, 93},  {101, 90},  {102, 98},  {103, 101}, {104, 110}, {105, 114}, {106, 114},
            {107, 106}, {108, 146}, {109, 136}, {110, 117}, {111, 137}, {112, 127}, {113, 118}, {114, 110}, {115, 115},
            {116, 93},  {117, 76},  {118, 93},  {119, 72},  {120, 54},  {121, 58},  {122, 41},  {123, 32},  {124, 33},
            {125, 27},  {126, 27},  {127, 22},  {128, 14},  {129, 11},  {130, 13},  {131, 10},  {132, 7},   {133, 4},
            {134, 5},   {135, 3},   {136, 6},   {137, 5},   {138, 4},   {140, 3},   {141, 2},   {142, 1},   {143, 4},
            {144, 2},   {146, 1},   {147, 2},   {148, 2},   {149, 1},   {152, 1},   {156, 2},   {157, 5},   {162, 2},
            {163, 1},   {166, 1},   {169, 1},   {172, 1},   {175, 1}};
        std::vector<std::uint64_t> expected(180, 0);
        for (auto [b, n] : ase180) expected[static_cast<std::size_t>(b)] = static_cast<std::uint64_t>(n);
        materia::adf_params prm;
        prm.bins = 180;
        const auto res = materia::bond_angle_distribution(fx.pos, sp, fx.box, cut, prm);
        CHECK(res.angles == 3160);
        CHECK(res.counts == expected);
        for (std::size_t k = 0; k < 180; ++k)
            CHECK(res.p[k] == Approx(static_cast<double>(expected[k]) / 3160.0).epsilon(1e-12));
        CHECK(res.p_center[0] == res.p);

        // 18 bins of 10°
        prm.bins = 18;
        const std::vector<std::uint64_t> ase18 = {0, 0, 0, 0, 0, 0, 0, 32, 101, 452, 1108, 1058, 319, 57, 18, 8, 5, 2};
        CHECK(materia::bond_angle_distribution(fx.pos, sp, fx.box, cut, prm).counts == ase18);

        // mean angle: ASE 109.073°
        const auto nl = materia::neighbor_list::build(fx.pos, sp, fx.box, cut);
        double sum = 0;
        std::size_t n = 0;
        materia::for_each_angle(nl, [&](std::size_t, const auto&, const auto&, double th) {
            sum += th;
            ++n;
        });
        CHECK(n == 3160);
        CHECK(sum / static_cast<double>(n) == Approx(109.073).epsilon(5e-6));
    }

    TEST_CASE("adf: species-resolved triplets of Si200O400 agree with ASE (O-Si-O, Si-O-Si)") {
        // /usr/bin/python3 /work/shared/peers/ase_adf.py conf_600.xyz --cutoff 2.0 --nbins 18 --triplet O-Si-O
        //   -> angles=108 mean=110.72; counts 0,0,0,0,0,0,0,4,22,21,12,11,13,7,10,3,5,0
        // ... --triplet Si-O-Si -> angles=47 mean=118.19; counts 0,0,0,0,0,0,0,1,4,3,13,6,8,4,2,2,3,1
        // (ASE 3.22.1 crashes with IndexError in get_values for a triplet with no angles, e.g. O-O-O.)
        const auto fx = read_fixture(data_path("structure/conf_600.xyz"));
        const auto sp = materia::species_list::from_names(fx.species);  // O = 0, Si = 1
        materia::adf_params prm;
        prm.bins = 18;
        const auto res = materia::bond_angle_distribution(fx.pos, sp, fx.box, materia::pair_cutoffs(2, 2.0), prm);
        const std::vector<std::uint64_t> osio = {0, 0, 0, 0, 0, 0, 0, 4, 22, 21, 12, 11, 13, 7, 10, 3, 5, 0};
        const std::vector<std::uint64_t> siosi = {0, 0, 0, 0, 0, 0, 0, 1, 4, 3, 13, 6, 8, 4, 2, 2, 3, 1};
        CHECK(res.counts_triplet[res.triplet_index(1, 0, 0)] == osio);
        CHECK(res.counts_triplet[res.triplet_index(0, 1, 1)] == siosi);
        CHECK(res.angles_triplet[res.triplet_index(1, 0, 0)] == 108);
        CHECK(res.angles_triplet[res.triplet_index(0, 1, 1)] == 47);
        CHECK(res.p_triplet[res.triplet_index(0, 1, 1)][10] == Approx(13.0 / 47.0 / 10.0).epsilon(1e-12));
    }
}
