// materia/io/frame.hpp — one snapshot of an atomic structure as the readers deliver it.
//
// A frame owns its data (readers stream frame by frame, so a 10 GB trajectory is never loaded
// whole).  positions are Cartesian in Å; species names are per atom; the cell may be open.
#pragma once

#include <materia/core/cell.hpp>
#include <materia/core/species.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace materia {

/// One structure: positions (Å), species names, cell, and optional per-frame data.
struct frame {
    std::vector<std::array<double, 3>> positions;   ///< Cartesian, Å
    std::vector<std::string> species;                ///< one name per atom ("Si", "O", …)
    materia::cell cell;                              ///< lattice and periodicity
    std::optional<std::vector<std::array<int, 3>>> images;  ///< image flags (LAMMPS ix iy iz) if present
    std::optional<double> time;                      ///< simulation time (ps) if the file has it
    std::optional<long long> step;                   ///< time step number if the file has it
    std::size_t index = 0;                           ///< 0-based frame number in the file

    [[nodiscard]] std::size_t size() const noexcept { return positions.size(); }
    [[nodiscard]] species_list species_indices() const { return species_list::from_names(species); }
};

}  // namespace materia
