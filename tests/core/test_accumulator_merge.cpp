// Issue 13: every accumulator merges in any grouping and order to the single-process result, and
// its flat, versioned state (what materia/mpi.hpp reduces) round-trips and rejects foreign states.
//
// Structure accumulators: the 7-frame NPT-like trajectory tests/data/structure/traj_small.extxyz
// (240 Ge/Te atoms, triclinic, volume changing per frame) split into parts P1 = frames 0–1,
// P2 = 2–3, P3 = 4–6, combined as (P1 P2 P3) in one accumulator, (P1)(P2)(P3), (P1 P2)(P3),
// (P3)(P1 P2) and (P2)(P3)(P1) — each also through integer_state()/real_state()/set_state() into
// fresh accumulators, as an MPI reduction does.  Integer states (histograms, counts, frames)
// must be identical; results equal to the single run (floating sums differ only by order).
// MSD: a time correlation cannot be split by frames (file comment of dynamics/msd.hpp); it merges
// independent trajectories, checked against a brute-force ensemble average over every origin.
#include <materia/dynamics/msd.hpp>
#include <materia/io/reader.hpp>
#include <materia/neighbors/neighbor_list.hpp>
#include <materia/structure/altbc.hpp>
#include <materia/structure/bond_angles.hpp>
#include <materia/structure/coordination.hpp>
#include <materia/structure/hydrogen.hpp>
#include <materia/structure/rdf.hpp>
#include <materia/structure/rings.hpp>
#include <materia/structure/sq_direct.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

using doctest::Approx;
using grouping = std::vector<std::vector<std::size_t>>;  // groups of frame indices, merged in this order

const std::vector<materia::frame>& frames() {
    static const auto f = materia::io::read_frames(std::string(MATERIA_TEST_DATA_DIR) + "/structure/traj_small.extxyz");
    return f;
}

const std::vector<grouping>& groupings() {
    static const std::vector<grouping> g{
        {{0, 1, 2, 3, 4, 5, 6}},
        {{0, 1}, {2, 3}, {4, 5, 6}},
        {{0, 1, 2, 3}, {4, 5, 6}},
        {{4, 5, 6}, {0, 1, 2, 3}},
        {{2, 3}, {4, 5, 6}, {0, 1}},
    };
    return g;
}

void check_reals(const std::vector<double>& a, const std::vector<double>& b, double eps) {
    REQUIRE(a.size() == b.size());
    for (std::size_t k = 0; k < a.size(); ++k) CHECK(a[k] == Approx(b[k]).epsilon(eps));
}

// For one accumulator type: every grouping, directly and through the flat state, against the
// single run; then the round trip and the rejection of a wrong version and wrong sizes.
// `results` compares two accumulators' results (floating results to ~1e-12, counts exactly).
template <class Acc>
void check_accumulator(const std::function<Acc()>& make, const std::function<void(Acc&, const materia::frame&)>& feed,
                       const std::function<void(const Acc&, const Acc&)>& results) {
    Acc single = make();
    for (const auto& f : frames()) feed(single, f);
    REQUIRE(single.n_frames() == frames().size());
    for (const auto& g : groupings()) {
        CAPTURE(g.size());
        CAPTURE(g.front().front());
        std::vector<Acc> parts;
        for (const auto& group : g) {
            parts.push_back(make());
            for (const std::size_t k : group) feed(parts.back(), frames()[k]);
        }
        // merge() directly, left to right
        Acc direct = parts.front();
        for (std::size_t p = 1; p < parts.size(); ++p) direct.merge(parts[p]);
        CHECK(direct.n_frames() == single.n_frames());
        CHECK(direct.integer_state() == single.integer_state());
        check_reals(direct.real_state(), single.real_state(), 1e-12);
        results(direct, single);
        // through the flat state, as mpi::reduce does it (set_state on copies, merged in order)
        Acc via = make();
        via.set_state(parts.front().integer_state(), parts.front().real_state());
        for (std::size_t p = 1; p < parts.size(); ++p) {
            Acc part = make();
            part.set_state(parts[p].integer_state(), parts[p].real_state());
            via.merge(part);
        }
        CHECK(via.integer_state() == single.integer_state());
        CHECK(via.real_state() == direct.real_state());  // same order of the same sums: bit-identical
        results(via, single);
    }
    // round trip: bit-identical state
    Acc restored = make();
    restored.set_state(single.integer_state(), single.real_state());
    CHECK(restored.integer_state() == single.integer_state());
    CHECK(restored.real_state() == single.real_state());
    results(restored, single);
    // wrong version, wrong sizes
    auto ints = single.integer_state();
    const auto reals = single.real_state();
    ints[0] += 1;
    CHECK_THROWS_AS(restored.set_state(ints, reals), materia::invalid_argument);
    ints = single.integer_state();
    ints.pop_back();
    CHECK_THROWS_AS(restored.set_state(ints, reals), materia::invalid_argument);
    ints = single.integer_state();
    ints.push_back(0);
    CHECK_THROWS_AS(restored.set_state(ints, reals), materia::invalid_argument);
    auto more = reals;
    more.push_back(1.0);
    CHECK_THROWS_AS(restored.set_state(single.integer_state(), more), materia::invalid_argument);
    CHECK_THROWS_AS(restored.set_state({}, {}), materia::invalid_argument);
    // a failed set_state leaves the state as it was
    CHECK(restored.integer_state() == single.integer_state());
}

const std::vector<std::string> names{"Ge", "Te"};

}  // namespace

TEST_SUITE("accumulator merge (issue 13)") {
    TEST_CASE("rdf: every grouping gives the single-run histograms and g(r)") {
        const materia::rdf_params prm{6.0, 60};
        check_accumulator<materia::rdf_accumulator>(
            [&] { return materia::rdf_accumulator(prm, names); },
            [](materia::rdf_accumulator& a, const materia::frame& f) { a.accumulate(f.positions, f.species_indices(), f.cell); },
            [](const materia::rdf_accumulator& a, const materia::rdf_accumulator& b) {
                CHECK(a.raw_histograms() == b.raw_histograms());
                const auto ra = a.result(), rb = b.result();
                check_reals(ra.g, rb.g, 1e-12);
                CHECK(ra.density == Approx(rb.density).epsilon(1e-13));
            });
    }

    TEST_CASE("adf: integer angle histograms identical in every grouping") {
        const auto cut = materia::pair_cutoffs::parse("3.0", names);
        check_accumulator<materia::adf_accumulator>(
            [&] { return materia::adf_accumulator(materia::adf_params{90, 1}, names, cut); },
            [](materia::adf_accumulator& a, const materia::frame& f) { a.accumulate(f.positions, f.species_indices(), f.cell); },
            [](const materia::adf_accumulator& a, const materia::adf_accumulator& b) {
                const auto ra = a.result(), rb = b.result();
                CHECK(ra.counts == rb.counts);
                CHECK(ra.angles > 1000);  // the test has something to compare
                check_reals(ra.p, rb.p, 1e-14);
            });
    }

    TEST_CASE("coordination: CN histograms identical in every grouping") {
        const auto cut = materia::pair_cutoffs::parse("Ge-Te=3.1,Ge-Ge=2.8,Te-Te=3.0", names);
        check_accumulator<materia::coordination_accumulator>(
            [&] { return materia::coordination_accumulator(names, cut); },
            [](materia::coordination_accumulator& a, const materia::frame& f) {
                a.accumulate(f.positions, f.species_indices(), f.cell);
            },
            [](const materia::coordination_accumulator& a, const materia::coordination_accumulator& b) {
                const auto ra = a.result(), rb = b.result();
                CHECK(ra.histogram == rb.histogram);
                CHECK(ra.atoms == rb.atoms);
                CHECK(ra.atoms[0] + ra.atoms[1] == 7u * 240u);
                check_reals(ra.mean, rb.mean, 1e-14);
            });
    }

    TEST_CASE("ALTBC: integer maps identical, normalised maps equal in every grouping") {
        check_accumulator<materia::altbc_accumulator>(
            [&] { return materia::altbc_accumulator(materia::altbc_params{4.0, 20, 2.0, 30.0, 1}, names); },
            [](materia::altbc_accumulator& a, const materia::frame& f) { a.accumulate(f.positions, f.species_indices(), f.cell); },
            [](const materia::altbc_accumulator& a, const materia::altbc_accumulator& b) {
                const auto ra = a.result(), rb = b.result();
                CHECK(ra.counts == rb.counts);
                CHECK(ra.triplets > 100);
                REQUIRE(ra.normalised);
                check_reals(ra.g, rb.g, 1e-12);
            });
    }

    TEST_CASE("hydrogen (here: 'Te' as the species, 3 Å threshold): counts identical in every grouping") {
        materia::hydrogen_params prm;
        prm.threshold = 3.0;
        prm.species = "Te";
        check_accumulator<materia::hydrogen_accumulator>(
            [&] { return materia::hydrogen_accumulator(prm); },
            [](materia::hydrogen_accumulator& a, const materia::frame& f) { a.accumulate(f.positions, f.species_indices(), f.cell); },
            [](const materia::hydrogen_accumulator& a, const materia::hydrogen_accumulator& b) {
                const auto ra = a.result(), rb = b.result();
                CHECK(ra.hydrogen == rb.hydrogen);
                CHECK(ra.atomic == rb.atomic);
                CHECK(ra.atomic > 0);
                CHECK(ra.atomic < ra.hydrogen);
                CHECK(ra.fraction == rb.fraction);
            });
    }

    TEST_CASE("S(k) direct: k counts identical, S(k) equal in every grouping") {
        check_accumulator<materia::sq_direct_accumulator>(
            [&] { return materia::sq_direct_accumulator(materia::sq_direct_params{0.0, 2.5, 10, 1.0, 0, 1}, names); },
            [](materia::sq_direct_accumulator& a, const materia::frame& f) { a.accumulate(f.positions, f.species_indices(), f.cell); },
            [](const materia::sq_direct_accumulator& a, const materia::sq_direct_accumulator& b) {
                const auto ra = a.result(), rb = b.result();
                CHECK(ra.k_count == rb.k_count);
                for (std::size_t k = 0; k < ra.s.size(); ++k)
                    if (ra.k_count[k] > 0) CHECK(ra.s[k] == Approx(rb.s[k]).epsilon(1e-12));
            });
    }

    TEST_CASE("rings: ring counts identical (exact integer sums) in every grouping") {
        materia::ring_options opt;
        opt.max_size = 6;
        opt.threads = 1;
        const auto cut = materia::pair_cutoffs::parse("2.9", names);
        // The ring search of each frame once (the accumulator adds per-frame results).
        std::vector<materia::ring_result> per_frame;
        for (const auto& f : frames()) per_frame.push_back(materia::find_rings(f.positions, f.species_indices(), f.cell, cut, opt));
        check_accumulator<materia::ring_accumulator>(
            [&] { return materia::ring_accumulator(opt); },
            [&](materia::ring_accumulator& a, const materia::frame& f) {
                a.accumulate(per_frame[static_cast<std::size_t>(&f - frames().data())]);
            },
            [](const materia::ring_accumulator& a, const materia::ring_accumulator& b) {
                const auto ra = a.result(), rb = b.result();
                CHECK(ra.count == rb.count);  // sums of integer counts: exact in any order
                double rings = 0;
                for (const double c : ra.count) rings += c;
                CHECK(rings > 0);
                check_reals(ra.count_std, rb.count_std, 1e-10);
                check_reals(ra.rc, rb.rc, 1e-12);
            });
    }
}

// ---- MSD: independent trajectories (replicas) --------------------------------------------------

namespace {

using walk = std::vector<std::vector<std::array<double, 3>>>;  // [frame][atom]

walk random_walk(std::size_t n_frames, std::size_t n_atoms, std::uint32_t seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<double> step(0.0, 0.7);
    std::uniform_real_distribution<double> start(0.0, 20.0);
    walk w(n_frames, std::vector<std::array<double, 3>>(n_atoms));
    for (auto& p : w[0])
        for (auto& x : p) x = start(gen);
    for (std::size_t k = 1; k < n_frames; ++k)
        for (std::size_t i = 0; i < n_atoms; ++i)
            for (std::size_t d = 0; d < 3; ++d) w[k][i][d] = w[k - 1][i][d] + step(gen);
    return w;
}

// Brute force: MSD(m) = Σ_runs Σ_i Σ_k |Δr|² / (N Σ_runs (M_run − m)), lags up to max_lag (0: all).
std::vector<double> ensemble_msd(const std::vector<walk>& runs, std::size_t max_lag, std::vector<std::size_t>& origins) {
    std::size_t longest = 0;
    for (const auto& w : runs) longest = std::max(longest, w.size());
    const std::size_t L = max_lag == 0 ? longest : std::min(max_lag + 1, longest);
    std::vector<double> sum(L, 0.0);
    origins.assign(L, 0);
    const std::size_t n = runs.front().front().size();
    for (const auto& w : runs)
        for (std::size_t m = 0; m < std::min(L, w.size()); ++m) {
            origins[m] += w.size() - m;
            for (std::size_t k = 0; k + m < w.size(); ++k)
                for (std::size_t i = 0; i < n; ++i)
                    for (std::size_t d = 0; d < 3; ++d) {
                        const double dx = w[k + m][i][d] - w[k][i][d];
                        sum[m] += dx * dx;
                    }
        }
    for (std::size_t m = 0; m < L; ++m) sum[m] /= static_cast<double>(n * origins[m]);
    return sum;
}

}  // namespace

TEST_CASE("msd: merging independent trajectories in any grouping gives the ensemble average over every origin") {
    const std::size_t n = 21;
    std::vector<std::string> sp(n);
    for (std::size_t i = 0; i < n; ++i) sp[i] = i % 3 == 0 ? "Li" : "O";
    const auto species = materia::species_list::from_names(sp);
    // Three replicas of different length; the short one has fewer lags than max_lag.
    const std::vector<walk> runs{random_walk(9, n, 11), random_walk(6, n, 12), random_walk(3, n, 13)};
    const std::vector<grouping> groups{{{0, 1, 2}}, {{0}, {1}, {2}}, {{0, 1}, {2}}, {{2}, {0, 1}}, {{1}, {2}, {0}}};
    for (const std::size_t max_lag : {std::size_t{0}, std::size_t{4}}) {
        CAPTURE(max_lag);
        const materia::msd_options opt{.max_lag = max_lag, .block = 0, .per_atom = true, .threads = 1};
        std::vector<std::size_t> origins;
        const auto expected = ensemble_msd(runs, max_lag, origins);
        // One accumulator per replica; "(0, 1)" means: one accumulator that merged replicas 0 and 1.
        auto run_acc = [&](std::size_t r) {
            materia::msd_accumulator a(species, opt);
            for (const auto& f : runs[r]) a.add_frame(f);
            return a;
        };
        std::vector<std::uint64_t> ref_ints;
        std::vector<double> ref_reals;
        for (const auto& g : groups) {
            CAPTURE(g.size());
            std::vector<materia::msd_accumulator> parts;
            for (const auto& group : g) {
                parts.push_back(run_acc(group.front()));
                for (std::size_t k = 1; k < group.size(); ++k) parts.back().merge(run_acc(group[k]));
            }
            materia::msd_accumulator total = parts.front();
            for (std::size_t p = 1; p < parts.size(); ++p) total.merge(parts[p]);
            CHECK(total.runs() == 3);
            CHECK(total.total_frames() == 18);
            const auto r = total.result();
            CHECK(r.n_frames == 18);
            CHECK(r.origins == origins);
            REQUIRE(r.msd.size() == expected.size());
            for (std::size_t m = 0; m < expected.size(); ++m) CHECK(r.msd[m] == Approx(expected[m]).epsilon(1e-10));
            CHECK(r.msd[0] == 0.0);
            // per-atom and per-species: the mean over atoms reproduces the total
            for (std::size_t m = 1; m < expected.size(); ++m) {
                double atoms = 0;
                for (std::size_t i = 0; i < n; ++i) atoms += r.msd_atom[i][m];
                CHECK(atoms / double(n) == Approx(r.msd[m]).epsilon(1e-12));
                const double by_species = (r.msd_species[0][m] * double(r.atoms_per_species[0]) +
                                           r.msd_species[1][m] * double(r.atoms_per_species[1])) / double(n);
                CHECK(by_species == Approx(r.msd[m]).epsilon(1e-12));
            }
            // integer state identical in every grouping, real state equal
            if (ref_ints.empty()) {
                ref_ints = total.integer_state();
                ref_reals = total.real_state();
            } else {
                CHECK(total.integer_state() == ref_ints);
                check_reals(total.real_state(), ref_reals, 1e-12);
            }
            // through the flat state (what mpi::reduce does)
            materia::msd_accumulator via(species, opt);
            via.set_state(parts.front().integer_state(), parts.front().real_state());
            for (std::size_t p = 1; p < parts.size(); ++p) {
                materia::msd_accumulator part(species, opt);
                part.set_state(parts[p].integer_state(), parts[p].real_state());
                via.merge(part);
            }
            CHECK(via.integer_state() == ref_ints);
            check_reals(via.real_state(), total.real_state(), 1e-13);
            CHECK(via.frames() == 0);  // restored runs are closed
        }
        // a single replica unmerged: the state path reproduces the plain result bit for bit
        const auto one = run_acc(0);
        materia::msd_accumulator restored(species, opt);
        restored.set_state(one.integer_state(), one.real_state());
        CHECK(restored.integer_state() == one.integer_state());
        CHECK(restored.real_state() == one.real_state());
        const auto r1 = one.result(), r2 = restored.result();
        CHECK(r1.msd == r2.msd);
        CHECK(r1.origins == r2.origins);
        // restored accumulators keep accepting frames: a new, independent run
        for (const auto& f : runs[1]) restored.add_frame(f);
        materia::msd_accumulator both = run_acc(0);
        both.merge(run_acc(1));
        CHECK(restored.integer_state() == both.integer_state());
        check_reals(restored.real_state(), both.real_state(), 1e-13);
        // an empty accumulator's state is valid and merges as nothing
        materia::msd_accumulator empty(species, opt);
        CHECK_THROWS_AS((void)empty.result(), materia::domain_error);
        materia::msd_accumulator e2(species, opt);
        e2.set_state(empty.integer_state(), empty.real_state());
        both.merge(e2);
        CHECK(both.integer_state() == restored.integer_state());
        // wrong version, wrong sizes, foreign accumulators
        auto ints = one.integer_state();
        const auto reals = one.real_state();
        ints[0] = 2;
        CHECK_THROWS_AS(restored.set_state(ints, reals), materia::invalid_argument);
        ints = one.integer_state();
        ints.pop_back();
        CHECK_THROWS_AS(restored.set_state(ints, reals), materia::invalid_argument);
        auto fewer = reals;
        fewer.pop_back();
        CHECK_THROWS_AS(restored.set_state(one.integer_state(), fewer), materia::invalid_argument);
        CHECK_THROWS_AS(restored.set_state({}, {}), materia::invalid_argument);
        ints = one.integer_state();
        ints[8 + 2] = 0;  // lag 0 with no origins
        CHECK_THROWS_AS(restored.set_state(ints, reals), materia::invalid_argument);
        materia::msd_options other = opt;
        other.per_atom = false;
        materia::msd_accumulator no_atoms(species, other);
        CHECK_THROWS_AS(no_atoms.set_state(one.integer_state(), one.real_state()), materia::invalid_argument);
        CHECK_THROWS_AS(no_atoms.merge(one), materia::invalid_argument);
        const auto other_species = materia::species_list::uniform(n, "Li");
        materia::msd_accumulator uniform(other_species, opt);
        CHECK_THROWS_AS(uniform.merge(one), materia::invalid_argument);
        CHECK_THROWS_AS(uniform.set_state(one.integer_state(), one.real_state()), materia::invalid_argument);
    }
}

TEST_CASE("msd: without merging, result() is unchanged by the state additions (streaming = all lags)") {
    const std::size_t n = 10;
    const auto species = materia::species_list::uniform(n, "H");
    const auto w = random_walk(40, n, 7);
    materia::msd_accumulator all(species), streamed(species, {.max_lag = 6, .block = 5, .per_atom = false, .threads = 1});
    for (const auto& f : w) {
        all.add_frame(f);
        streamed.add_frame(f);
    }
    std::vector<std::size_t> origins;
    const auto expected = ensemble_msd({w}, 0, origins);
    const auto ra = all.result(), rs = streamed.result();
    CHECK(ra.origins == origins);
    for (std::size_t m = 0; m <= 6; ++m) {
        CHECK(ra.msd[m] == Approx(expected[m]).epsilon(1e-10));
        CHECK(rs.msd[m] == Approx(expected[m]).epsilon(1e-10));
    }
    CHECK(all.runs() == 1);
    CHECK(all.total_frames() == 40);
}
