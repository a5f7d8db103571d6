# Strict warnings for materia's own tests, tools, examples and benchmarks.
add_library(materia_warnings INTERFACE)
target_compile_options(materia_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wold-style-cast
    -Wnon-virtual-dtor -Wdouble-promotion -Wnull-dereference
    $<$<CXX_COMPILER_ID:GNU>:-Wuseless-cast>)
if(MATERIA_WARNINGS_AS_ERRORS)
    target_compile_options(materia_warnings INTERFACE -Werror)
endif()
