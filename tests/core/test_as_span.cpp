// as_span: Eigen and xtensor vectors handed to the std::span APIs without a copy, with
// non-contiguous layouts refused instead of read wrongly.
#include <doctest/doctest.h>

#include <materia/adapt/eigen.hpp>
#include <materia/adapt/xtensor.hpp>
#include <materia/dynamics/diffusion.hpp>
#include <materia/numerics/linear_fit.hpp>

#include <Eigen/Core>
#include <xtensor/xadapt.hpp>
#include <xtensor/xtensor.hpp>

#include <vector>

TEST_CASE("as_span over Eigen vectors") {
    Eigen::VectorXd v(5);
    v << 1, 2, 3, 4, 5;
    const auto s = materia::as_span(v);
    CHECK(s.data() == v.data());
    CHECK(s.size() == 5);
    CHECK(materia::as_span(v.segment(1, 3))[0] == 2.0);
    CHECK(materia::as_span(v.segment(1, 3)).size() == 3);
    Eigen::RowVectorXd r = v.transpose();
    CHECK(materia::as_span(r)[4] == 5.0);
    Eigen::MatrixXd m(3, 2);  // column-major: a column is contiguous, a row is not
    m << 1, 2, 3, 4, 5, 6;
    CHECK(materia::as_span(m.col(1))[2] == 6.0);
    CHECK_THROWS_AS((void)materia::as_span(m.row(0)), materia::invalid_argument);
    CHECK_THROWS_AS((void)materia::as_span(m), materia::invalid_argument);
    const Eigen::RowVectorXd row = m.row(0);  // .eval()-ed copy is fine
    CHECK(materia::as_span(row)[1] == 2.0);
    std::vector<double> raw{0.5, 1.5, 2.5};
    const Eigen::Map<const Eigen::VectorXd> map(raw.data(), 3);
    CHECK(materia::as_span(map).data() == raw.data());
}

TEST_CASE("as_span over xtensor containers") {
    xt::xtensor<double, 1> t = {1.0, 2.0, 3.0};
    const auto s = materia::as_span(t);
    CHECK(s.data() == t.data());
    CHECK(s[2] == 3.0);
    std::vector<double> raw{4.0, 5.0};
    auto a = xt::adapt(raw, std::vector<std::size_t>{2});
    CHECK(materia::as_span(a).data() == raw.data());
    xt::xarray<double> two = xt::xarray<double>::from_shape({2, 2});
    CHECK_THROWS_AS((void)materia::as_span(two), materia::invalid_argument);
}

TEST_CASE("as_span feeds the span APIs: the same fit from std::vector, Eigen and xtensor") {
    const std::vector<double> x{0, 1, 2, 3, 4}, y{1, 3, 5, 7, 9.5};
    Eigen::VectorXd ex = Eigen::Map<const Eigen::VectorXd>(x.data(), 5), ey = Eigen::Map<const Eigen::VectorXd>(y.data(), 5);
    xt::xtensor<double, 1> tx = xt::adapt(x, std::vector<std::size_t>{5}), ty = xt::adapt(y, std::vector<std::size_t>{5});
    const auto a = materia::linear_fit(x, y);
    const auto b = materia::linear_fit(materia::as_span(ex), materia::as_span(ey));
    const auto c = materia::linear_fit(materia::as_span(tx), materia::as_span(ty));
    CHECK(a.slope == b.slope);
    CHECK(a.slope == c.slope);
    CHECK(a.intercept == b.intercept);
    CHECK(a.slope == doctest::Approx(2.1).epsilon(1e-12));  // Σ(x−2)(y−5.1)/Σ(x−2)² = 21/10
}

TEST_CASE("as_span: diffusion fits from Eigen equal those from std::vector") {
    std::vector<double> t, msd;
    for (int i = 0; i <= 20; ++i) {
        t.push_back(0.1 * i);
        msd.push_back(6.0 * 0.25 * t.back() + 0.01 * ((i * 7) % 5 - 2));  // D = 0.25 Å²/ps + jitter
    }
    const Eigen::VectorXd et = Eigen::Map<const Eigen::VectorXd>(t.data(), 21), em = Eigen::Map<const Eigen::VectorXd>(msd.data(), 21);
    const auto a = materia::fit_diffusion(t, msd, 0.5, 2.0);
    const auto b = materia::fit_diffusion(materia::as_span(et), materia::as_span(em), 0.5, 2.0);
    CHECK(a.D == b.D);
    CHECK(a.D == doctest::Approx(0.25).epsilon(0.02));
    const auto la = materia::local_exponent(t, msd);
    const auto lb = materia::local_exponent(materia::as_span(et), materia::as_span(em));
    CHECK(la.size() == lb.size());
    CHECK(la[10] == lb[10]);
    CHECK(materia::weighted_line_fit({0.0, 1.0, 2.0}, {1.0, 3.0, 5.0}).slope == doctest::Approx(2.0).epsilon(1e-14));  // braced lists still work
}
