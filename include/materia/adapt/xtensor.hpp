// materia/adapt/xtensor.hpp — xtensor containers of shape (N, 3) as point sets, with no copy.
//
// Supported: xt::xtensor<T,2>, xt::xarray<T> (rank checked at run time), and adaptors from
// xt::adapt.  The view is {data() + data_offset(), shape[0], strides[0], strides[1]}.  xtensor uses
// stride 0 for axes of length 1, which is harmless: index 0 is then the only valid index.
// Debian 12 ships xtensor 0.24 with flat include paths (<xtensor/xtensor.hpp>); keep them here.
#pragma once

#include <materia/core/points.hpp>

#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

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
