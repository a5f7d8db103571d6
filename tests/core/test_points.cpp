#include <materia/adapt/eigen.hpp>
#include <materia/adapt/xtensor.hpp>
#include <materia/core/points.hpp>

#include <doctest/doctest.h>

#include <Eigen/Core>
#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include <array>
#include <span>
#include <vector>

namespace {
struct my_atom {
    double x, y, z;
    int type;
};
}  // namespace
MATERIA_REGISTER_POINT_STRUCT(my_atom, x, y, z);

namespace {
// The same 4 points in every container; fill(c) writes them, and the view must read them back.
constexpr double ref[4][3] = {{0.5, 1.5, 2.5}, {-1, 0, 1}, {3, 4, 5}, {1e-3, 2e3, -7}};

template <class C>
C make();
template <>
std::vector<std::array<double, 3>> make() {
    return {{ref[0][0], ref[0][1], ref[0][2]}, {ref[1][0], ref[1][1], ref[1][2]},
            {ref[2][0], ref[2][1], ref[2][2]}, {ref[3][0], ref[3][1], ref[3][2]}};
}
template <>
std::vector<std::array<float, 3>> make() {
    std::vector<std::array<float, 3>> v(4);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t k = 0; k < 3; ++k) v[i][k] = static_cast<float>(ref[i][k]);
    return v;
}
template <class M>
M make_eigen() {
    M m(4, 3);
    for (Eigen::Index i = 0; i < 4; ++i)
        for (Eigen::Index k = 0; k < 3; ++k) m(i, k) = ref[i][k];
    return m;
}
template <>
Eigen::Matrix<double, Eigen::Dynamic, 3> make() { return make_eigen<Eigen::Matrix<double, Eigen::Dynamic, 3>>(); }
template <>
Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> make() {
    return make_eigen<Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>>();
}
template <>
Eigen::MatrixXd make() { return make_eigen<Eigen::MatrixXd>(); }
template <>
xt::xtensor<double, 2> make() {
    xt::xtensor<double, 2> t = xt::zeros<double>({4, 3});
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t k = 0; k < 3; ++k) t(i, k) = ref[i][k];
    return t;
}
template <>
xt::xarray<double> make() {
    xt::xarray<double> t = xt::zeros<double>({4, 3});
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t k = 0; k < 3; ++k) t(i, k) = ref[i][k];
    return t;
}
template <>
std::vector<my_atom> make() {
    std::vector<my_atom> v;
    for (const auto& r : ref) v.push_back({r[0], r[1], r[2], 7});
    return v;
}

template <class C>
const void* storage(const C& c) {
    if constexpr (requires { c.data(); }) {
        return static_cast<const void*>(c.data());
    } else {
        return nullptr;
    }
}
}  // namespace

TEST_SUITE("core.points") {
    TEST_CASE_TEMPLATE("points: every container gives the same view without copying", C,
                       std::vector<std::array<double, 3>>, std::vector<std::array<float, 3>>,
                       Eigen::Matrix<double, Eigen::Dynamic, 3>,
                       Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>, Eigen::MatrixXd,
                       xt::xtensor<double, 2>, xt::xarray<double>, std::vector<my_atom>) {
        static_assert(materia::point_set<C>);
        const C c = make<C>();
        const auto v = materia::as_points(c);
        REQUIRE(v.size() == 4);
        for (std::size_t i = 0; i < 4; ++i)
            for (std::size_t k = 0; k < 3; ++k)
                CHECK(static_cast<double>(v(i, k)) == doctest::Approx(ref[i][k]).epsilon(1e-6));
        // zero copies: the view points into the container's own storage
        CHECK(static_cast<const void*>(v.data) == storage(c));
    }

    TEST_CASE("points: Eigen blocks and strided maps are viewed in place") {
        Eigen::MatrixXd big(6, 5);
        for (Eigen::Index i = 0; i < 6; ++i)
            for (Eigen::Index k = 0; k < 5; ++k) big(i, k) = 10.0 * double(i) + double(k);
        const auto block = big.block(1, 2, 4, 3);
        const auto v = materia::as_points(block);
        CHECK(v.size() == 4);
        CHECK(v(0, 0) == 12);
        CHECK(v(3, 2) == 44);
        CHECK(v.data == &big(1, 2));
        // a raw interleaved buffer x,y,z,w,x,y,z,w,... mapped with an outer stride of 4
        std::vector<double> raw{1, 2, 3, -1, 4, 5, 6, -1};
        Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>, 0, Eigen::OuterStride<>> m(
            raw.data(), 2, 3, Eigen::OuterStride<>(4));
        const auto mv = materia::as_points(m);
        CHECK(mv(1, 2) == 6);
        CHECK(mv.data == raw.data());
        const auto pv = materia::points_from_pointer(raw.data(), 2, 4, 1);
        CHECK(pv(1, 0) == 4);
    }

    TEST_CASE("points: xt::adapt over user memory is viewed in place") {
        std::vector<double> buf{1, 2, 3, 4, 5, 6};
        auto a = xt::adapt(buf.data(), buf.size(), xt::no_ownership(), std::vector<std::size_t>{2, 3});
        const auto v = materia::as_points(a);
        CHECK(v.size() == 2);
        CHECK(v(1, 1) == 5);
        CHECK(v.data == buf.data());
    }

    TEST_CASE("points: wrong shapes are refused with a message") {
        Eigen::MatrixXd m(4, 2);
        m.setZero();
        CHECK_THROWS_WITH_AS((void)materia::as_points(m), doctest::Contains("3 columns"), materia::invalid_argument);
        xt::xarray<double> t = xt::zeros<double>({4});
        CHECK_THROWS_AS((void)materia::as_points(t), materia::invalid_argument);
        std::vector<double> flat{1, 2, 3, 4};
        CHECK_THROWS_AS((void)materia::points_from_flat(std::span<const double>(flat)), materia::invalid_argument);
        static_assert(!materia::point_set<std::vector<double>>);
        static_assert(!materia::point_set<std::vector<std::array<int, 3>>>);
    }
}
