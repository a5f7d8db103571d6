// materia/core/points.hpp — one non-owning strided view over the user's positions.
//
// Entry points: materia::points_view<T>, the extension point materia::point_traits<C>, the concept
// materia::point_set, materia::as_points(c), points_from_flat(), MATERIA_REGISTER_POINT_STRUCT.
//
// Every algorithm takes "any point set" and immediately turns it into a points_view, so templates
// are instantiated per scalar type, not per container, and nothing is copied.  Built-in support:
// any contiguous range of std::array<T,3> (std::vector, std::span, C arrays); Eigen and xtensor in
// <materia/adapt/eigen.hpp> and <materia/adapt/xtensor.hpp> (opt-in so core never includes them).
//
// Lifetime: a view points into the user's memory; it must not outlive it.  Algorithms never keep a
// view beyond the call that received it.
#pragma once

#include <materia/core/error.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <ranges>
#include <span>
#include <type_traits>

namespace materia {

/// A rank-2 strided view of N points in 3-D: element (i, k) is data[i*point_stride + k*coord_stride].
/// Strides are in elements (not bytes).  Same shape as mdspan<T, extents<dyn,3>, layout_stride>.
template <class T>
struct points_view {
    T* data = nullptr;
    std::size_t n = 0;
    std::ptrdiff_t point_stride = 3;
    std::ptrdiff_t coord_stride = 1;

    using value_type = std::remove_cv_t<T>;

    [[nodiscard]] constexpr std::size_t size() const noexcept { return n; }
    [[nodiscard]] constexpr bool empty() const noexcept { return n == 0; }
    /// Coordinate k (0, 1, 2) of point i.
    [[nodiscard]] constexpr T& operator()(std::size_t i, std::size_t k) const noexcept {
        return data[static_cast<std::ptrdiff_t>(i) * point_stride + static_cast<std::ptrdiff_t>(k) * coord_stride];
    }
    /// Point i as doubles.
    [[nodiscard]] constexpr std::array<double, 3> point(std::size_t i) const noexcept {
        return {static_cast<double>((*this)(i, 0)), static_cast<double>((*this)(i, 1)),
                static_cast<double>((*this)(i, 2))};
    }
    /// Implicit conversion to a read-only view.
    constexpr operator points_view<const T>() const noexcept  // NOLINT(google-explicit-constructor)
        requires(!std::is_const_v<T>)
    {
        return {data, n, point_stride, coord_stride};
    }
};

/// Extension point: specialise with a static `view(const C&)` returning points_view<const T>
/// (T = float or double).  The primary template is left undefined on purpose.
template <class C, class Enable = void>
struct point_traits;

namespace detail {
template <class V>
struct is_points_view : std::false_type {};
template <class T>
struct is_points_view<points_view<const T>> : std::bool_constant<std::is_floating_point_v<T>> {};

template <class R>
concept range_of_array3 = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> && requires {
    typename std::ranges::range_value_t<R>::value_type;
    requires std::is_same_v<std::ranges::range_value_t<R>,
                            std::array<typename std::ranges::range_value_t<R>::value_type, 3>>;
    requires std::is_floating_point_v<typename std::ranges::range_value_t<R>::value_type>;
};
}  // namespace detail

/// Any contiguous range of std::array<T,3> (std::vector, std::span, std::array of arrays …).
template <class R>
struct point_traits<R, std::enable_if_t<detail::range_of_array3<const R>>> {
    using scalar = typename std::ranges::range_value_t<const R>::value_type;
    static_assert(sizeof(std::array<scalar, 3>) == 3 * sizeof(scalar), "std::array<T,3> must have no padding");
    static points_view<const scalar> view(const R& r) noexcept {
        return {std::ranges::data(r) ? std::ranges::data(r)->data() : nullptr, std::ranges::size(r), 3, 1};
    }
};

/// A points_view is itself a point set.
template <class T>
struct point_traits<points_view<T>, std::enable_if_t<std::is_floating_point_v<std::remove_const_t<T>>>> {
    static points_view<const std::remove_const_t<T>> view(const points_view<T>& v) noexcept { return v; }
};

/// The gate every public algorithm uses: a type is a point set when point_traits gives a view.
template <class C>
concept point_set = requires(const C& c) {
    { point_traits<std::remove_cvref_t<C>>::view(c) };
    requires detail::is_points_view<decltype(point_traits<std::remove_cvref_t<C>>::view(c))>::value;
};

/// The strided view of a point set (no copy).
template <point_set C>
[[nodiscard]] auto as_points(const C& c) {
    return point_traits<std::remove_cvref_t<C>>::view(c);
}

/// View a flat buffer x0,y0,z0,x1,… as points.  \throws materia::invalid_argument if size % 3 != 0.
template <class T>
    requires std::is_floating_point_v<T>
[[nodiscard]] points_view<const T> points_from_flat(std::span<const T> flat) {
    if (flat.size() % 3 != 0)
        throw_invalid("points_from_flat: the buffer length must be a multiple of 3 (got ", flat.size(), ")");
    return {flat.data(), flat.size() / 3, 3, 1};
}

/// View raw memory: n points starting at data with the given element strides.
template <class T>
    requires std::is_floating_point_v<T>
[[nodiscard]] constexpr points_view<const T> points_from_pointer(const T* data, std::size_t n,
                                                                 std::ptrdiff_t point_stride = 3,
                                                                 std::ptrdiff_t coord_stride = 1) noexcept {
    return {data, n, point_stride, coord_stride};
}

}  // namespace materia

/// Register a user struct with three contiguous floating-point members as a point type, so that
/// any contiguous range of it (std::vector<MyAtom>, …) is a materia::point_set.  Use at global scope:
///     MATERIA_REGISTER_POINT_STRUCT(MyAtom, x, y, z)
#define MATERIA_REGISTER_POINT_STRUCT(Type, X, Y, Z)                                                  \
    template <class R>                                                                                \
    struct materia::point_traits<                                                                     \
        R, std::enable_if_t<std::ranges::contiguous_range<const R> &&                                 \
                            std::is_same_v<std::ranges::range_value_t<const R>, Type>>> {             \
        using scalar = decltype(Type::X);                                                             \
        static_assert(std::is_floating_point_v<scalar>, "point members must be float or double");    \
        static_assert(std::is_standard_layout_v<Type>, "point struct must be standard layout");       \
        static_assert(std::is_same_v<decltype(Type::Y), scalar> && std::is_same_v<decltype(Type::Z), scalar>, \
                      "x, y, z must have one type");                                                  \
        static_assert(offsetof(Type, Y) == offsetof(Type, X) + sizeof(scalar) &&                      \
                          offsetof(Type, Z) == offsetof(Type, Y) + sizeof(scalar),                    \
                      "x, y, z must be contiguous members");                                          \
        static_assert(sizeof(Type) % sizeof(scalar) == 0, "struct size must be a multiple of the scalar"); \
        static materia::points_view<const scalar> view(const R& r) noexcept {                        \
            const auto* first = std::ranges::data(r);                                                 \
            return {first ? &(first->X) : nullptr, std::ranges::size(r),                              \
                    static_cast<std::ptrdiff_t>(sizeof(Type) / sizeof(scalar)), 1};                   \
        }                                                                                             \
    }
