// materia/io/read_options.hpp — what a reader needs to know that the file itself may not say.
//
// Entry point: materia::io::read_options {fmt, cell, types, species, threads}.
#pragma once

#include <materia/core/cell.hpp>
#include <materia/io/format.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace materia::io {

/// Options for reading structure files.
struct read_options {
    /// Format to read; auto_detect looks at the file name, then at the content.
    format fmt = format::auto_detect;
    /// Cell for files without one (plain XYZ); ignored when the file carries a cell.
    std::optional<materia::cell> cell;
    /// Species names of LAMMPS numeric atom types (type → name).  Without it, a dump with only a
    /// `type` column names species by the decimal type ("1", "2", …).
    std::map<long long, std::string> types;
    /// Species names, in file order, for VASP 4 POSCAR/XDATCAR files that have no species line.
    std::vector<std::string> species;
    /// Threads for parsing (for_each_frame): above 1, the frames of extended XYZ, XYZ and LAMMPS
    /// dump files are parsed in parallel in batches and still delivered one by one in file order,
    /// with the same values and the same errors as with 1.  0 means all available (OpenMP).
    int threads = 1;
};

}  // namespace materia::io
