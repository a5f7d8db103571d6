// materia/structure/structure_factor.hpp — everything about structure factors S(q) in one include.
//
// Pieces (one concept per header):
//  * <materia/structure/sq_weights.hpp>    X-ray form factors (Waasmaier–Kirfel), neutron b_c, Faber–Ziman weights
//  * <materia/structure/scattering_tables.hpp>  the generated per-element tables behind them
//  * <materia/structure/sq_fourier.hpp>    S(q) from g(r) (sine transform, Lorch window) and g(r), G(r) from S(q)
//  * <materia/structure/sq_debye.hpp>      Debye equation for clusters: exact and histogram with error bound
//  * <materia/structure/sq_direct.hpp>     direct reciprocal-space S(k) over every commensurate k (periodic cells)
//  * <materia/structure/sq_partials.hpp>   Faber–Ziman, Ashcroft–Langreth, Bhatia–Thornton partials and totals
//  * <materia/structure/sq_peaks.hpp>      principal peak and FSDP with sub-bin refinement
//  * <materia/structure/percus_yevick.hpp> analytic hard-sphere S(q) (validation reference)
// Conventions: q = 4π sinθ/λ in Å⁻¹ everywhere (SCIENCE.md §2).
#pragma once

#include <materia/structure/percus_yevick.hpp>
#include <materia/structure/scattering_tables.hpp>
#include <materia/structure/sq_debye.hpp>
#include <materia/structure/sq_direct.hpp>
#include <materia/structure/sq_fourier.hpp>
#include <materia/structure/sq_partials.hpp>
#include <materia/structure/sq_peaks.hpp>
#include <materia/structure/sq_weights.hpp>
