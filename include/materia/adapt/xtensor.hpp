// materia/adapt/xtensor.hpp — xtensor containers of shape (N, 3) as point sets, with no copy.
//
// Supported: xt::xtensor<T,2>, xt::xarray<T> (rank checked at run time), and adaptors from
// xt::adapt.  The view is {data() + data_offset(), shape[0], strides[0], strides[1]}.  xtensor uses
// stride 0 for axes of length 1, which is harmless: index 0 is then the only valid index.
// Debian 12 ships xtensor 0.24 with flat include paths (<xtensor/xtensor.hpp>); keep them here.
//
// Also materia::as_span(c): a rank-1 container as the std::span<const T> of the 1-D APIs.
#pragma once

#include <materia/core/points.hpp>

#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include <cstddef>
#include <span>
#include <type_traits>

namespace materia {

namespace detail {
template <class C>
concept xtensor_container = requires(const C& c) {
    typename C::value_type;
    { c.data() };
    { c.data_offset() };
    { c.shape() };
    { c.strides() };
    { c.dimension() };
} && std::is_base_of_v<xt::xcontainer<C>, C>;
}  // namespace detail

/// A rank-1 xtensor container (xt::xtensor<T,1>, xt::xarray<T> of rank 1, an xt::adapt adaptor)
/// as a std::span over its elements — no copy.  Views are not containers: pass xt::eval(view).
/// \throws materia::invalid_argument for another rank or a non-unit stride.
template <class C>
    requires detail::xtensor_container<C>
[[nodiscard]] std::span<const typename C::value_type> as_span(const C& c) {
    if (c.dimension() != 1) throw_invalid("as_span: expected a rank-1 xtensor container (got rank ", c.dimension(), ")");
    if (c.shape()[0] > 1 && c.strides()[0] != 1)
        throw_invalid("as_span: the container's elements are not contiguous (stride ", c.strides()[0], ")");
    return {c.data() + c.data_offset(), static_cast<std::size_t>(c.shape()[0])};
}

template <class C>
struct point_traits<C, std::enable_if_t<detail::xtensor_container<C>>> {
    using scalar = typename C::value_type;
    static_assert(std::is_floating_point_v<scalar>, "materia: xtensor point sets must hold float or double");

    static points_view<const scalar> view(const C& c) {
        if (c.dimension() != 2 || c.shape()[1] != 3)
            throw_invalid("as_points: an xtensor point set must have shape (N, 3) (got rank ", c.dimension(),
                          c.dimension() >= 2 ? ", columns " : "", c.dimension() >= 2 ? c.shape()[1] : 0, ")");
        return {c.data() + c.data_offset(), static_cast<std::size_t>(c.shape()[0]),
                static_cast<std::ptrdiff_t>(c.strides()[0]), static_cast<std::ptrdiff_t>(c.strides()[1])};
    }
};

}  // namespace materia
