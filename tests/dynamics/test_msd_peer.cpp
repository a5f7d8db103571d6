// MSD of a stored trajectory against MDAnalysis EinsteinMSD (the peer), read through materia::io,
// as given (unwrapped) and after wrapping every frame into the cell (our unwrapper restores it).
#include <doctest/doctest.h>

#include <materia/dynamics/diffusion.hpp>
#include <materia/dynamics/msd.hpp>
#include <materia/dynamics/unwrap.hpp>
#include <materia/io/reader.hpp>

#include <string>
#include <vector>

namespace {

struct peer_row {
    std::size_t lag;
    double all, O, Si;
};

// tests/data/dynamics/walk_24x40.extxyz was made with
//   /usr/bin/python3 ../shared/peers/make_traj.py --n 24 --frames 40 --dt 0.25 --box 6 --seed 11
//       --out walk_24x40.extxyz      (one command line)
// and the reference with (MDAnalysis 2.4.2, EinsteinMSD fft=False, float32 coordinates)
//   /usr/bin/python3 ../shared/peers/mda_msd.py walk_24x40.extxyz --dt 0.25 --fft false
// columns lag, msd_all, msd_O, msd_Si:
const std::vector<peer_row> mda{
    {1, 0.0200223641714, 0.0327518954102, 0.00729283293257},
    {2, 0.0412409444638, 0.0680207961857, 0.0144610927419},
    {9, 0.216390643652, 0.360927418221, 0.0718538690822},
    {10, 0.244346569596, 0.408925522104, 0.0797676170873},
    {29, 0.696039067628, 1.21057308576, 0.181505049495},
    {30, 0.715051558607, 1.24574464824, 0.184358468975},
    {38, 0.820328810586, 1.40223965278, 0.238417968397},
    {39, 0.818868303889, 1.39252636575, 0.245210242032},
};

materia::msd_result run(bool wrap_first) {
    const std::string path = std::string(MATERIA_TEST_DATA_DIR) + "/dynamics/walk_24x40.extxyz";
    const auto frames = materia::io::read_frames(path);
    REQUIRE(frames.size() == 40);
    CHECK(*frames[1].time - *frames[0].time == doctest::Approx(0.25).epsilon(1e-12));
    const auto sp = frames[0].species_indices();
    materia::msd_accumulator acc(sp);
    materia::unwrapper u;
    for (const auto& f : frames) {
        auto pos = f.positions;
        if (wrap_first)
            for (auto& r : pos) r = f.cell.wrap(r);
        acc.add_frame(u.next(pos, f.cell));
    }
    return acc.result();
}

}  // namespace

TEST_SUITE("dynamics.msd") {

TEST_CASE("msd: stored trajectory agrees with MDAnalysis EinsteinMSD (float32 limit), wrapped or not") {
    for (bool wrap_first : {false, true}) {
        CAPTURE(wrap_first);
        const auto r = run(wrap_first);
        REQUIRE(r.lag.size() == 40);
        REQUIRE(r.species == std::vector<std::string>{"O", "Si"});
        for (const auto& p : mda) {
            CAPTURE(p.lag);
            CHECK(r.msd[p.lag] == doctest::Approx(p.all).epsilon(2e-6));
            CHECK(r.msd_species[0][p.lag] == doctest::Approx(p.O).epsilon(2e-6));
            CHECK(r.msd_species[1][p.lag] == doctest::Approx(p.Si).epsilon(2e-6));
        }
    }
}

}  // TEST_SUITE
