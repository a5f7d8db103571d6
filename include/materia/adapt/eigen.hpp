// materia/adapt/eigen.hpp — Eigen matrices as point sets, with no copy.
//
// Any Eigen dense object with direct memory access (Matrix, Map with strides, Block of those) with
// 3 columns (fixed, or Dynamic and checked at run time) is a materia::point_set: the view reads
// data(), rowStride() and colStride(), which covers row- and column-major layouts alike.
// Expressions without storage (a + b, m.transpose()) are rejected at compile time: call .eval().
// Note: we never take Eigen::Ref<const …> because a const Ref silently copies mismatched layouts.
#pragma once

#include <materia/core/points.hpp>

#include <Eigen/Core>

#include <type_traits>

namespace materia {

template <class D>
struct point_traits<D, std::enable_if_t<std::is_base_of_v<Eigen::DenseBase<D>, D>>> {
    using scalar = typename D::Scalar;
    static_assert(std::is_floating_point_v<scalar>, "materia: Eigen point sets must hold float or double");
    static_assert(D::ColsAtCompileTime == 3 || D::ColsAtCompileTime == Eigen::Dynamic,
                  "materia: an Eigen point set must have 3 columns (N x 3)");
    static_assert((int(D::Flags) & int(Eigen::DirectAccessBit)) != 0,
                  "materia: this Eigen expression has no storage; call .eval() first");

    static points_view<const scalar> view(const D& m) {
        if (m.cols() != 3)
            throw_invalid("as_points: an Eigen point set must have 3 columns (got ", m.cols(), ")");
        return {m.data(), static_cast<std::size_t>(m.rows()), static_cast<std::ptrdiff_t>(m.rowStride()),
                static_cast<std::ptrdiff_t>(m.colStride())};
    }
};

}  // namespace materia
