// materia — command-line front end.  Every subcommand is one cmd_<name>.hpp that builds a
// materia::cli::command; this file only dispatches.  The contract is ../shared/CLI.md.
#include "cli.hpp"
#include "process_memory.hpp"

#if __has_include("cmd_rdf.hpp")
#include "cmd_rdf.hpp"
#define MATERIA_HAS_RDF 1
#endif
#if __has_include("cmd_sq.hpp")
#include "cmd_sq.hpp"
#define MATERIA_HAS_SQ 1
#endif
#if __has_include("cmd_adf.hpp")
#include "cmd_adf.hpp"
#define MATERIA_HAS_ADF 1
#endif
#if __has_include("cmd_rings.hpp")
#include "cmd_rings.hpp"
#define MATERIA_HAS_RINGS 1
#endif
#if __has_include("cmd_hull.hpp")
#include "cmd_hull.hpp"
#define MATERIA_HAS_HULL 1
#endif
#if __has_include("cmd_cpfit.hpp")
#include "cmd_cpfit.hpp"
#define MATERIA_HAS_CPFIT 1
#endif
#if __has_include("cmd_supercon.hpp")
#include "cmd_supercon.hpp"
#define MATERIA_HAS_SUPERCON 1
#endif
#if __has_include("cmd_msd.hpp")
#include "cmd_msd.hpp"
#define MATERIA_HAS_MSD 1
#endif
#if __has_include("cmd_report.hpp")
#include "cmd_report.hpp"
#define MATERIA_HAS_REPORT 1
#endif
#if __has_include("cmd_convert.hpp")
#include "cmd_convert.hpp"
#define MATERIA_HAS_CONVERT 1
#endif

#include <iostream>
#include <string>
#include <vector>

namespace {

std::vector<materia::cli::command> all_commands() {
    std::vector<materia::cli::command> c;
#ifdef MATERIA_HAS_RDF
    c.push_back(materia::cli::make_rdf_command());
#endif
#ifdef MATERIA_HAS_SQ
    for (auto& x : materia::cli::make_sq_commands()) c.push_back(std::move(x));
#endif
#ifdef MATERIA_HAS_ADF
    for (auto& x : materia::cli::make_adf_commands()) c.push_back(std::move(x));
#endif
#ifdef MATERIA_HAS_RINGS
    c.push_back(materia::cli::make_rings_command());
#endif
#ifdef MATERIA_HAS_HULL
    c.push_back(materia::cli::make_hull_command());
#endif
#ifdef MATERIA_HAS_CPFIT
    c.push_back(materia::cli::make_cpfit_command());
#endif
#ifdef MATERIA_HAS_SUPERCON
    for (auto& x : materia::cli::make_supercon_commands()) c.push_back(std::move(x));
#endif
#ifdef MATERIA_HAS_MSD
    c.push_back(materia::cli::make_msd_command());
#endif
#ifdef MATERIA_HAS_REPORT
    c.push_back(materia::cli::make_report_command());
#endif
#ifdef MATERIA_HAS_CONVERT
    c.push_back(materia::cli::make_convert_command());
#endif
    return c;
}

void print_main_help(const std::vector<materia::cli::command>& cmds, std::ostream& os) {
    os << "materia " << materia::version_string
       << " — structure, stability, thermal and superconducting analyses of materials\n\n"
          "Usage: materia COMMAND [options] INPUT...\n       materia COMMAND --help\n\nCommands:\n";
    for (const auto& c : cmds) {
        std::string lhs = "  " + c.name;
        os << lhs << std::string(lhs.size() < 16 ? 16 - lhs.size() : 1, ' ') << c.summary << '\n';
    }
    os << "\nOutput is CSV ('# key: value' metadata, one header line, rows). Exit status: 0 success,\n"
          "2 usage error, 3 bad input (the message names the file and line).\n";
}

}  // namespace

int main(int argc, char** argv) {
    materia::cli::tune_process_memory();
    const auto cmds = all_commands();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        print_main_help(cmds, std::cerr);
        return 2;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_main_help(cmds, std::cout);
        return 0;
    }
    if (args[0] == "--version") {
        std::cout << "materia " << materia::version_string << '\n';
        return 0;
    }
    for (const auto& c : cmds)
        if (c.name == args[0])
            return materia::cli::run_command(c, std::vector<std::string>(args.begin() + 1, args.end()));
    std::cerr << "materia: unknown command '" << args[0] << "' (see materia --help)\n";
    return 2;
}
