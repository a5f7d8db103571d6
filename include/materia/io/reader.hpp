// materia/io/reader.hpp — the streaming front end for every structure format.
//
// Entry points: materia::io::frame_reader (frame after frame from one file), for_each_frame(path,
// options, selection, fn[, progress]) (streams the selected frames), read_frames(path, options,
// selection).
//
// Streaming: only one frame is in memory at a time (the file is read in 1 MiB blocks), so a 10 GB
// trajectory works.  Frames outside the selection are skipped without parsing their numbers.  A
// selection with negative bounds or a negative step needs the frame count first: that is a
// separate cheap pass that only counts lines.
//
// Errors: materia::parse_error("file", line, "what was expected") for malformed content;
// materia::invalid_argument naming the file when it cannot be opened or the selection is empty.
#pragma once

#include <materia/core/error.hpp>
#include <materia/io/extxyz.hpp>
#include <materia/io/format.hpp>
#include <materia/io/frame.hpp>
#include <materia/io/frame_selection.hpp>
#include <materia/io/gro.hpp>
#include <materia/io/lammps_dump.hpp>
#include <materia/io/poscar.hpp>
#include <materia/io/read_options.hpp>
#include <materia/io/text_input.hpp>
#include <materia/io/xdatcar.hpp>

#include <cstdint>
#include <filesystem>
#include <system_error>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace materia::io {

/// Reads the frames of one structure file in order.
///
/// \code
///   materia::io::frame_reader r("traj.lammpstrj", {.types = {{1, "Sb"}, {2, "Se"}}});
///   materia::frame f;
///   while (r.next(f)) use(f);   // f's storage is reused frame after frame
/// \endcode
class frame_reader {
public:
    /// Open a file.  The format is read_options::fmt, or detected from the name and content.
    /// \throws materia::invalid_argument naming the file if it cannot be opened;
    ///         materia::parse_error if it is empty or its format cannot be detected.
    explicit frame_reader(const std::string& path, read_options opts = {})
        : m_opts(std::make_unique<read_options>(std::move(opts))),
          m_src(std::make_unique<detail::line_source>(path)) {
        init();
    }

    /// Read from a text in memory; `name` stands for the file name in messages and detection.
    [[nodiscard]] static frame_reader from_string(std::string name, std::string content, read_options opts = {}) {
        return frame_reader(std::make_unique<detail::line_source>(std::move(name), std::move(content)),
                            std::move(opts));
    }

    /// Parse the next frame into f (its storage is reused); false at the end of the file.
    /// \throws materia::parse_error on malformed content.
    bool next(materia::frame& f) {
        if (!m_parser->read(f)) return false;
        f.index = m_index++;
        return true;
    }

    /// Pass over the next frame without parsing its numbers; false at the end of the file.
    bool skip() {
        if (!m_parser->skip()) return false;
        ++m_index;
        return true;
    }

    /// The format being read (after detection).
    [[nodiscard]] format detected() const noexcept { return m_format; }
    /// The file name given to the constructor.
    [[nodiscard]] const std::string& path() const noexcept { return m_src->name(); }
    /// Bytes consumed so far (for progress bars).
    [[nodiscard]] std::uintmax_t bytes_read() const noexcept { return m_src->bytes_read(); }
    /// Frames read or skipped so far.
    [[nodiscard]] std::size_t frames_seen() const noexcept { return m_index; }

private:
    frame_reader(std::unique_ptr<detail::line_source> src, read_options opts)
        : m_opts(std::make_unique<read_options>(std::move(opts))), m_src(std::move(src)) {
        init();
    }

    void init() {
        const std::string_view head = m_src->head();
        if (detail::is_blank_text(head))
            throw parse_error(m_src->name(), 1, "empty file: expected a structure");
        m_format = m_opts->fmt;
        if (m_format == format::auto_detect) m_format = detect_format(m_src->name(), head);
        if (m_format == format::auto_detect)
            throw parse_error(m_src->name(), 1,
                              "cannot detect the structure format from the name or the first lines; "
                              "expected extxyz, xyz, POSCAR, XDATCAR, LAMMPS dump or .gro (use --format)");
        detail::line_source& s = *m_src;
        switch (m_format) {
            case format::extxyz:
            case format::xyz: m_parser = std::make_unique<detail::extxyz_parser>(s, *m_opts); break;
            case format::poscar: m_parser = std::make_unique<detail::poscar_parser>(s, *m_opts); break;
            case format::xdatcar: m_parser = std::make_unique<detail::xdatcar_parser>(s, *m_opts); break;
            case format::lammps_dump: m_parser = std::make_unique<detail::lammps_dump_parser>(s, *m_opts); break;
            case format::gro: m_parser = std::make_unique<detail::gro_parser>(s, *m_opts); break;
            case format::auto_detect: break;
        }
    }

    // The parser refers to *m_opts and *m_src; both live on the heap so that moving a
    // frame_reader keeps those references valid.  Declared first, destroyed last.
    std::unique_ptr<read_options> m_opts;
    std::unique_ptr<detail::line_source> m_src;
    std::unique_ptr<detail::frame_parser> m_parser;
    format m_format = format::auto_detect;
    std::size_t m_index = 0;
};

namespace detail {
/// Core of for_each_frame over an already-constructed reader factory (file or memory).
/// Reports progress (bytes consumed, counting pass included) after each frame.
using progress_fn = std::function<void(std::uintmax_t done, std::uintmax_t total)>;

template <class MakeReader>
std::size_t for_each_selected(const std::string& name, MakeReader make, const frame_selection& sel,
                              const std::function<void(const materia::frame&)>& fn,
                              const progress_fn& progress = {}, std::uintmax_t total_bytes = 0) {
    // With a counting pass the file is read twice: report each pass as half of the work.
    const std::uintmax_t passes = sel.needs_count() ? 2 : 1;
    auto report = [&](const frame_reader& r, std::uintmax_t pass) {
        if (progress) progress(pass * total_bytes + r.bytes_read(), passes * total_bytes);
    };
    if (sel.step == 0) throw_invalid("for_each_frame: frame step must not be 0 (", name, ")");
    materia::frame f;
    std::size_t delivered = 0;
    std::size_t total = 0;
    if (!sel.needs_count()) {
        // Forward slice with non-negative bounds: one streaming pass, stop early at `stop`.
        frame_reader r = make();
        const std::size_t start = static_cast<std::size_t>(sel.start);
        const std::size_t step = static_cast<std::size_t>(sel.step);
        const bool bounded = sel.stop.has_value();
        const std::size_t stop = bounded ? static_cast<std::size_t>(*sel.stop) : 0;
        for (std::size_t k = 0;; ++k) {
            if (bounded && k >= stop) break;
            const bool want = k >= start && (k - start) % step == 0;
            if (want ? !r.next(f) : !r.skip()) break;
            report(r, 0);
            if (want) {
                fn(f);
                ++delivered;
            }
        }
        total = r.frames_seen();
        if (delivered == 0 && total == 0 && !bounded) throw_invalid("for_each_frame: '", name, "' has no frames");
    } else {
        {
            frame_reader counter = make();
            while (counter.skip()) {
                ++total;
                report(counter, 0);
            }
        }
        if (total == 0) throw_invalid("for_each_frame: '", name, "' has no frames");
        const std::vector<std::size_t> idx = sel.indices(total);
        frame_reader r = make();
        if (sel.step > 0) {
            std::size_t k = 0;
            for (std::size_t want : idx) {
                for (; k < want; ++k)
                    if (!r.skip()) throw_invalid("for_each_frame: '", name, "' changed while being read");
                if (!r.next(f)) throw_invalid("for_each_frame: '", name, "' changed while being read");
                ++k;
                report(r, 1);
                fn(f);
                ++delivered;
            }
        } else {
            // Backwards: read the selected frames forwards, keep them, deliver in reverse.
            std::vector<materia::frame> kept;
            std::size_t k = 0;
            for (auto it = idx.rbegin(); it != idx.rend(); ++it) {
                for (; k < *it; ++k)
                    if (!r.skip()) throw_invalid("for_each_frame: '", name, "' changed while being read");
                if (!r.next(f)) throw_invalid("for_each_frame: '", name, "' changed while being read");
                ++k;
                report(r, 1);
                kept.push_back(f);
            }
            for (auto it = kept.rbegin(); it != kept.rend(); ++it) {
                fn(*it);
                ++delivered;
            }
        }
    }
    if (delivered == 0)
        throw_invalid("for_each_frame: the frame selection ", sel.start, ":",
                      sel.stop ? std::to_string(*sel.stop) : std::string(), ":", sel.step,
                      " selects no frames of '", name, "' (", total, " frames)");
    return delivered;
}
}  // namespace detail

/// Stream the selected frames of a file to fn, in selection order; returns how many were
/// delivered (never 0: an empty selection throws).  The frame passed to fn is reused: copy it to
/// keep it.
/// \throws materia::parse_error on malformed content (file, line, what was expected);
///         materia::invalid_argument if the file cannot be opened, has no frames, or the selection
///         selects none.
inline std::size_t for_each_frame(const std::string& path, const read_options& opts, const frame_selection& sel,
                                  const std::function<void(const materia::frame&)>& fn) {
    return detail::for_each_selected(path, [&] { return frame_reader(path, opts); }, sel, fn);
}

/// As above, calling progress(bytes_done, bytes_total) after every frame read or skipped (for a
/// progress bar on long trajectories; the counting pass of negative selections counts as half).
inline std::size_t for_each_frame(const std::string& path, const read_options& opts, const frame_selection& sel,
                                  const std::function<void(const materia::frame&)>& fn,
                                  const std::function<void(std::uintmax_t, std::uintmax_t)>& progress) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    return detail::for_each_selected(path, [&] { return frame_reader(path, opts); }, sel, fn, progress,
                                     ec ? 0 : size);
}

/// All selected frames of a file, in memory (for small files; stream large ones with for_each_frame).
[[nodiscard]] inline std::vector<materia::frame> read_frames(const std::string& path, const read_options& opts = {},
                                                             const frame_selection& sel = {}) {
    std::vector<materia::frame> out;
    for_each_frame(path, opts, sel, [&](const materia::frame& f) { out.push_back(f); });
    return out;
}

}  // namespace materia::io
