// materia/adapt/eigen.hpp — Eigen matrices as point sets, with no copy.
//
// Any Eigen dense object with direct memory access (Matrix, Map with strides, Block of those) with
// 3 columns (fixed, or Dynamic and checked at run time) is a materia::point_set: the view reads
// data(), rowStride() and colStride(), which covers row- and column-major layouts alike.
// Expressions without storage (a + b, m.transpose()) are rejected at compile time: call .eval().
// Note: we never take Eigen::Ref<const …> because a const Ref silently copies mismatched layouts.
//
// Also materia::as_span(v): a contiguous Eigen vector as the std::span<const T> that the 1-D APIs
// (heat-capacity and EOS fits, Tc, WHH, S(q) transforms, line fits, diffusion) take.  Eigen 3.4's
// iterators are not C++20 contiguous iterators, so std::span does not convert by itself.
#pragma once

#include <materia/core/points.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <span>
#include <type_traits>

namespace materia {

/// A vector-shaped Eigen object with storage (VectorXd, RowVectorXd, Map, head/tail/segment, a
/// column of a column-major matrix) as a std::span over its coefficients — no copy.
/// \throws materia::invalid_argument if it is not a vector (rows and columns both > 1) or its
/// coefficients are not adjacent in memory (e.g. a row of a column-major matrix: pass .eval()).
template <class D>
    requires((int(D::Flags) & int(Eigen::DirectAccessBit)) != 0)
[[nodiscard]] std::span<const typename D::Scalar> as_span(const Eigen::DenseBase<D>& expr) {
    const D& v = expr.derived();  // (deducing from the base also accepts VectorBlock & co.)
    if (v.rows() != 1 && v.cols() != 1)
        throw_invalid("as_span: expected an Eigen vector (got ", v.rows(), " x ", v.cols(), ")");
    if (v.size() > 1 && v.innerStride() != 1)
        throw_invalid("as_span: the vector's coefficients are not contiguous (stride ", v.innerStride(),
                      "); pass .eval() for a copy");
    return {v.data(), static_cast<std::size_t>(v.size())};
}

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
