// materia/materia.hpp — umbrella header: every public module of materia.
//
// Not included (opt-in, because they pull in third-party headers): the container adaptors
// <materia/adapt/eigen.hpp> and <materia/adapt/xtensor.hpp>, and <materia/mpi.hpp> (needs MPI).
// Each module header is self-contained; include only what you use to keep compile times short.
#pragma once

#include <materia/config.hpp>
#include <materia/version.hpp>

// core: cells, point views over user containers, species, threads, errors
#include <materia/core/cell.hpp>
#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>

// neighbour search (exact for any cutoff and cell)
#include <materia/neighbors/cell_list.hpp>
#include <materia/neighbors/neighbor_list.hpp>

// structure files
#include <materia/io/reader.hpp>
#include <materia/io/write_extxyz.hpp>

// structure analyses
#include <materia/structure/altbc.hpp>
#include <materia/structure/bond_angles.hpp>
#include <materia/structure/bond_graph.hpp>
#include <materia/structure/coordination.hpp>
#include <materia/structure/hydrogen.hpp>
#include <materia/structure/rdf.hpp>
#include <materia/structure/rdf_analysis.hpp>
#include <materia/structure/rings.hpp>
#include <materia/structure/structure_factor.hpp>

// dynamics
#include <materia/dynamics/diffusion.hpp>
#include <materia/dynamics/msd.hpp>
#include <materia/dynamics/reordered_msd.hpp>
#include <materia/dynamics/unwrap.hpp>

// numerics
#include <materia/numerics/assignment.hpp>
#include <materia/numerics/broken_line.hpp>
#include <materia/numerics/f_test.hpp>
#include <materia/numerics/fft.hpp>
#include <materia/numerics/least_squares.hpp>
#include <materia/numerics/linear_fit.hpp>
#include <materia/numerics/peak_fit.hpp>
#include <materia/numerics/roots.hpp>
#include <materia/numerics/special_functions.hpp>

// thermal properties
#include <materia/thermo/debye_einstein.hpp>
#include <materia/thermo/eos.hpp>
#include <materia/thermo/heat_capacity_fit.hpp>
#include <materia/thermo/heat_capacity_full_fit.hpp>

// superconductivity
#include <materia/supercon/gl.hpp>
#include <materia/supercon/hc2_slope.hpp>
#include <materia/supercon/pauli.hpp>
#include <materia/supercon/tc.hpp>
#include <materia/supercon/whh.hpp>

// phase stability (convex hulls)
#include <materia/geometry/convex_hull.hpp>
#include <materia/geometry/predicates.hpp>
#include <materia/phase/composition.hpp>
#include <materia/phase/phase_diagram.hpp>
