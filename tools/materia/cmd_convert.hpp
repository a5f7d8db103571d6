// tools/materia/cmd_convert.hpp — `materia convert INPUT [--out FILE.extxyz] [--frames ...]`:
// read any supported structure file and write the selected frames as extended XYZ.
//
// Entry point: materia::cli::make_convert_command().
// Unlike the analysis commands this writes structure, not CSV.  Nothing partial is ever left
// behind: stdout output is assembled in memory and printed only on success; --out writes a
// temporary file next to FILE and renames it over FILE at the end.
#pragma once

#include "cli.hpp"
#include "structure_input.hpp"

#include <materia/io/elements.hpp>
#include <materia/io/reader.hpp>
#include <materia/io/write_extxyz.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace materia::cli {

inline command make_convert_command() {
    command c;
    c.name = "convert";
    c.summary = "convert a structure file (any supported format) to extended XYZ";
    c.usage = "materia convert INPUT [--out FILE.extxyz] [--frames START:STOP:STEP] [--format FMT]";
    c.options = structure_options();
    for (auto& o : c.options)
        if (o.name == "out") o.help = "write the extended XYZ to FILE instead of stdout";
    c.run = [](const arguments& args) -> int {
        const std::string& input = args.single_input();
        const io::read_options opts = read_options_from(args);
        const io::frame_selection sel = frame_selection_from(args);
        // Extended XYZ species must be element symbols (the reader checks them), so a LAMMPS dump
        // with bare numeric types, or a .gro atom name that is no element, needs --types first.
        std::string last_checked;
        auto write = [&](std::ostream& os, const materia::frame& f) {
            for (const auto& s : f.species) {
                if (s == last_checked) continue;
                if (!io::is_element_symbol(s))
                    throw usage_error("convert: species '" + s + "' of " + input +
                                      " is not an element symbol; name it with --types 1=Sb,2=Se (LAMMPS types)");
                last_checked = s;
            }
            io::write_extxyz(os, f);
        };
        if (auto out = args.get("out")) {
            const std::string tmp = *out + ".materia-tmp";
            std::size_t n = 0;
            try {
                std::ofstream os(tmp, std::ios::binary);
                if (!os) throw input_error("cannot open --out file '" + *out + "' for writing");
                n = io::for_each_frame(input, opts, sel, [&](const materia::frame& f) { write(os, f); });
                os.close();
                if (!os) throw input_error("failed writing '" + *out + "'");
            } catch (...) {
                std::remove(tmp.c_str());
                throw;
            }
            if (std::rename(tmp.c_str(), out->c_str()) != 0) {
                std::remove(tmp.c_str());
                throw input_error("cannot rename '" + tmp + "' to '" + *out + "'");
            }
            (void)n;
        } else {
            std::ostringstream os;
            io::for_each_frame(input, opts, sel, [&](const materia::frame& f) { write(os, f); });
            std::cout << os.str();
            std::cout.flush();
        }
        return 0;
    };
    return c;
}

}  // namespace materia::cli
