// materia/config.hpp — user-settable macros and the internal assertion.
//
// Macros honoured:
//   MATERIA_ENABLE_ASSERT  turn internal invariant checks (MATERIA_ASSERT) on; the tests do.
//   _OPENMP                set by the compiler under -fopenmp; parallel loops use it when present.
#pragma once

#include <cstdio>
#include <cstdlib>

#ifdef MATERIA_ENABLE_ASSERT
#define MATERIA_ASSERT(cond, msg)                                                           \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            std::fprintf(stderr, "materia: internal assertion failed: %s (%s) at %s:%d\n", \
                         #cond, msg, __FILE__, __LINE__);                                   \
            std::abort();                                                                   \
        }                                                                                   \
    } while (false)
#else
#define MATERIA_ASSERT(cond, msg) ((void)0)
#endif
