// libFuzzer target: the auto reader (see fuzz_common.hpp; built and run by scripts/fuzz.sh).
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return fuzz::run(materia::io::format::auto_detect, "fuzz_input", data, size);
}
