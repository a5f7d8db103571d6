// materia/version.hpp — the library version, in one place (CMake parses it from here).
#pragma once

#define MATERIA_VERSION_MAJOR 0
#define MATERIA_VERSION_MINOR 1
#define MATERIA_VERSION_PATCH 0
#define MATERIA_VERSION_STRING "0.1.0"

namespace materia {
/// The library version as "major.minor.patch"; written into every CSV's metadata.
inline constexpr const char* version_string = MATERIA_VERSION_STRING;
}  // namespace materia
