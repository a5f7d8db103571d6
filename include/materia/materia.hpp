// materia/materia.hpp — umbrella header: every public module of materia (not the optional
// adaptors for Eigen/xtensor, which are <materia/adapt/eigen.hpp> and <materia/adapt/xtensor.hpp>,
// nor <materia/mpi.hpp>).
#pragma once

#include <materia/version.hpp>
#include <materia/config.hpp>
#include <materia/core/error.hpp>
#include <materia/core/cell.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/core/parallel.hpp>
#include <materia/neighbors/cell_list.hpp>
#include <materia/neighbors/neighbor_list.hpp>
