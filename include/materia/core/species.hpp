// materia/core/species.hpp — per-atom species as small integer indices plus their names.
//
// Entry points: materia::species_list, species_list::from_names(range of strings),
// species_list::from_ids(range of integers), uniform(n, name).
//
// Species names are sorted alphabetically (so CLI columns "g:A-B" come out with A ≤ B), and every
// analysis works with the dense index 0..n_species()-1.
#pragma once

#include <materia/core/error.hpp>

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <map>
#include <ranges>
#include <string>
#include <string_view>
#include <vector>

namespace materia {

/// Species of N atoms: names (sorted) and one index per atom.
class species_list {
public:
    species_list() = default;

    /// From any range of things convertible to std::string_view ("Si", "O", …).
    template <std::ranges::input_range R>
        requires std::convertible_to<std::ranges::range_reference_t<R>, std::string_view>
    [[nodiscard]] static species_list from_names(const R& names) {
        std::map<std::string, std::uint32_t, std::less<>> seen;
        for (const auto& s : names) {
            std::string_view v = s;
            if (v.empty()) throw_invalid("species_list::from_names: empty species name");
            seen.emplace(std::string(v), 0);
        }
        species_list out;
        std::uint32_t k = 0;
        for (auto& [name, idx] : seen) {
            idx = k++;
            out.m_names.push_back(name);
        }
        for (const auto& s : names) out.m_index.push_back(seen.find(std::string_view(s))->second);
        return out;
    }

    /// From any range of integers (type ids or atomic numbers); names are the decimal ids, sorted
    /// by numeric value.
    template <std::ranges::input_range R>
        requires std::integral<std::ranges::range_value_t<R>>
    [[nodiscard]] static species_list from_ids(const R& ids) {
        std::map<long long, std::uint32_t> seen;
        for (auto id : ids) seen.emplace(static_cast<long long>(id), 0);
        species_list out;
        std::uint32_t k = 0;
        for (auto& [id, idx] : seen) {
            idx = k++;
            out.m_names.push_back(std::to_string(id));
        }
        for (auto id : ids) out.m_index.push_back(seen[static_cast<long long>(id)]);
        return out;
    }

    /// n atoms of one species.
    [[nodiscard]] static species_list uniform(std::size_t n, std::string name = "X") {
        species_list out;
        out.m_names.push_back(std::move(name));
        out.m_index.assign(n, 0);
        return out;
    }

    [[nodiscard]] std::size_t size() const noexcept { return m_index.size(); }
    [[nodiscard]] std::size_t n_species() const noexcept { return m_names.size(); }
    [[nodiscard]] const std::vector<std::string>& names() const noexcept { return m_names; }
    [[nodiscard]] const std::string& name(std::size_t s) const { return m_names.at(s); }
    [[nodiscard]] std::uint32_t operator[](std::size_t atom) const noexcept { return m_index[atom]; }
    [[nodiscard]] const std::vector<std::uint32_t>& indices() const noexcept { return m_index; }

    /// Index of a species name.  \throws materia::invalid_argument when absent.
    [[nodiscard]] std::uint32_t index_of(std::string_view name) const {
        for (std::size_t k = 0; k < m_names.size(); ++k)
            if (m_names[k] == name) return static_cast<std::uint32_t>(k);
        throw_invalid("species_list: no species named '", name, "'");
    }
    [[nodiscard]] bool contains(std::string_view name) const noexcept {
        return std::find(m_names.begin(), m_names.end(), name) != m_names.end();
    }

    /// Number of atoms of each species.
    [[nodiscard]] std::vector<std::size_t> counts() const {
        std::vector<std::size_t> c(m_names.size(), 0);
        for (auto s : m_index) ++c[s];
        return c;
    }

private:
    std::vector<std::string> m_names;
    std::vector<std::uint32_t> m_index;
};

}  // namespace materia
