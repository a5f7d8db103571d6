// tools/materia/plot.hpp — PNG figures of the CSV tables through gnuplot (Debian gnuplot-nox).
//
// A figure is described by a plot_spec (axis labels with units, one line per column) and rendered
// by writing a small gnuplot script beside the PNG.  Without gnuplot the PNG is skipped with a
// message; the CSV files are the primary output.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace materia::cli {

struct plot_series {
    plot_series(std::size_t col, std::string lbl, std::string sty = "lines", double offset = 0, std::string colour = "",
                double lw = 2)
        : column(col), label(std::move(lbl)), style(std::move(sty)), x_offset(offset), color(std::move(colour)), width(lw) {}
    std::size_t column;      ///< 1-based CSV column for y
    std::string label;
    std::string style;       ///< gnuplot style: lines, linespoints, points, boxes, impulses
    double x_offset;         ///< shift along x (side-by-side bars of several series)
    std::string color;       ///< gnuplot colour ("black", "#1f77b4"); empty: the default cycle
    double width;            ///< line width
};

struct plot_spec {
    std::string title;
    std::string xlabel;
    std::string ylabel;
    std::string csv;  ///< data file (comma-separated, '#' metadata lines and one header line)
    std::size_t xcolumn = 1;
    std::vector<plot_series> series;
    std::string xrange;  ///< e.g. "[0:10]" (empty: automatic)
    std::string yrange;
    std::string extra;   ///< extra gnuplot commands (arrows, zero line …)
};

inline bool gnuplot_available() {
    static const bool ok = std::system("command -v gnuplot >/dev/null 2>&1") == 0;
    return ok;
}

inline std::string gp_quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

/// Render spec to png_path.  Returns false (and leaves the script) when gnuplot is missing or fails.
inline bool render_png(const plot_spec& spec, const std::string& png_path) {
    const std::string script = png_path.substr(0, png_path.size() - 4) + ".gp";
    {
        std::ofstream gp(script);
        gp << "set datafile separator \",\"\n"
           << "set terminal pngcairo size 1000,650 enhanced font \"DejaVu Sans,13\" linewidth 1.5\n"
           << "set output " << gp_quote(png_path) << "\n"
           << "set title " << gp_quote(spec.title) << "\n"
           << "set xlabel " << gp_quote(spec.xlabel) << "\n"
           << "set ylabel " << gp_quote(spec.ylabel) << "\n"
           << "set grid lc rgb \"#dddddd\"\n"
           << "set key top right box opaque\n"
           << "set border lw 1.2\n"
           << "set style fill solid 0.6\n";
        if (!spec.xrange.empty()) gp << "set xrange " << spec.xrange << "\n";
        if (!spec.yrange.empty()) gp << "set yrange " << spec.yrange << "\n";
        gp << spec.extra << "\n";
        gp << "plot ";
        for (std::size_t k = 0; k < spec.series.size(); ++k) {
            const auto& s = spec.series[k];
            gp << (k == 0 ? gp_quote(spec.csv) : std::string("\"\"")) << " using ";
            if (s.x_offset != 0) gp << "($" << spec.xcolumn << "+(" << s.x_offset << ")):" << s.column;
            else gp << spec.xcolumn << ":" << s.column;
            gp
               << " every ::1 with " << s.style << " lw " << s.width;
            if (!s.color.empty()) gp << " lc rgb " << gp_quote(s.color);
            gp << " title " << gp_quote(s.label);
            gp << (k + 1 < spec.series.size() ? ", \\\n     " : "\n");
        }
    }
    if (!gnuplot_available()) return false;
    const std::string cmd = "gnuplot " + gp_quote(script) + " 2>/dev/null";
    return std::system(cmd.c_str()) == 0;
}

}  // namespace materia::cli
