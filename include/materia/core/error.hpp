// materia/core/error.hpp — exception types and the helpers that build their messages.
//
// Every message names the function and the offending value: "rdf: r_max must be > r_min (got
// r_max=2.5, r_min=3)".  Contract violations on user input throw at the API boundary; iterative
// numerics report non-convergence in their result structs instead of throwing.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace materia {

/// A parameter or input value outside its valid range (bins == 0, r_max <= 0, singular cell …).
class invalid_argument : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// A valid value used where the operation is undefined (a non-periodic cell where one is needed).
class domain_error : public std::domain_error {
public:
    using std::domain_error::domain_error;
};

/// A numerical procedure met a state it cannot handle (overflow, a singular system).
class numerical_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Malformed input text; carries the source name and the 1-based line number.
class parse_error : public std::runtime_error {
public:
    parse_error(std::string source, std::size_t line, const std::string& what)
        : std::runtime_error(source + ":" + std::to_string(line) + ": " + what),
          m_source(std::move(source)),
          m_line(line) {}
    [[nodiscard]] const std::string& source() const noexcept { return m_source; }
    [[nodiscard]] std::size_t line() const noexcept { return m_line; }

private:
    std::string m_source;
    std::size_t m_line;
};

namespace detail {
/// Concatenate anything streamable into one string (numbers with full precision).
template <class... Args>
[[nodiscard]] std::string concat(const Args&... args) {
    std::ostringstream os;
    os.precision(17);
    (os << ... << args);
    return os.str();
}
}  // namespace detail

/// Throw materia::invalid_argument with a message built from the arguments.
template <class... Args>
[[noreturn]] void throw_invalid(const Args&... args) {
    throw invalid_argument(detail::concat(args...));
}

/// Throw materia::domain_error with a message built from the arguments.
template <class... Args>
[[noreturn]] void throw_domain(const Args&... args) {
    throw domain_error(detail::concat(args...));
}

/// Throw materia::numerical_error with a message built from the arguments.
template <class... Args>
[[noreturn]] void throw_numerical(const Args&... args) {
    throw numerical_error(detail::concat(args...));
}

}  // namespace materia
