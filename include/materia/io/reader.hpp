// materia/io/reader.hpp — the streaming front end for every structure format.
//
// Entry points: materia::io::frame_reader (frame after frame from one file), for_each_frame(path,
// options, selection, fn[, progress]) (streams the selected frames), read_frames(path, options,
// selection).
//
// Streaming: only one frame is in memory at a time (the file is mapped in 32 MiB windows or read
// in 1 MiB blocks: io/text_input.hpp), so a 10 GB trajectory works.  Frames outside the selection are skipped without parsing their numbers.  A
// selection with negative bounds or a negative step needs the frame count first: that is a
// separate cheap pass that only counts lines.
//
// Threads (read_options::threads = T > 1; extended XYZ, XYZ and LAMMPS dump, forward selections):
// the skip pass finds the frames (and copies the text of those that do not lie in one mapped
// window of the file; the others are parsed straight from the window), T threads parse them, fn
// receives them in file order on the calling thread.  Up to 2 × 2T frames (text and parsed) are in
// memory, at most 2 × 256 MiB of text.  Frames, values and error messages are exactly those of T = 1.
//
// Errors: materia::parse_error("file", line, "what was expected") for malformed content;
// materia::invalid_argument naming the file when it cannot be opened or the selection is empty.
#pragma once

#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
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

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <system_error>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace materia::io {

namespace detail {
/// The parser of a (detected) format reading from src.
[[nodiscard]] inline std::unique_ptr<frame_parser> make_parser(format fmt, line_source& s, const read_options& o) {
    switch (fmt) {
        case format::extxyz:
        case format::xyz: return std::make_unique<extxyz_parser>(s, o);
        case format::poscar: return std::make_unique<poscar_parser>(s, o);
        case format::xdatcar: return std::make_unique<xdatcar_parser>(s, o);
        case format::lammps_dump: return std::make_unique<lammps_dump_parser>(s, o);
        case format::gro: return std::make_unique<gro_parser>(s, o);
        case format::auto_detect: break;
    }
    return nullptr;
}
}  // namespace detail

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

    /// Pass over the next frame like skip(), handing out its text (for parsing it elsewhere:
    /// detail::parse_frame_text) and the number of lines before it in `first_line`.  The text is
    /// `view` when it lies in one mapped window of the file (no copy), else copied into `text`.
    bool capture(std::string& text, detail::line_source::captured_view& view, std::size_t& first_line) {
        first_line = m_src->line();
        m_src->begin_capture(text);
        bool ok = false;
        try {
            ok = m_parser->skip();
        } catch (...) {
            m_src->end_capture();
            throw;
        }
        m_src->end_capture(view);
        if (!ok) return false;
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
        m_parser = detail::make_parser(m_format, *m_src, *m_opts);
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
using progress_fn = std::function<void(std::uintmax_t done, std::uintmax_t total)>;

/// Whether frames of a format can be parsed apart from each other (each frame is self-contained).
[[nodiscard]] constexpr bool parallel_format(format f) noexcept {
    return f == format::extxyz || f == format::xyz || f == format::lammps_dump;
}

/// One frame's text and the frame parsed from it (a slot of the parallel reader, reused).
struct frame_job {
    std::string text;
    line_source::captured_view view;  // the text without a copy, when view.window is set
    std::size_t first_line = 0;
    std::size_t index = 0;
    materia::frame f;
    bool ok = false;
};

/// Parse the text of one frame (from frame_reader::capture) into job.f; false when it does not
/// parse (the caller then reads that frame again sequentially, for the canonical error).
inline bool parse_frame_text(const std::string& name, format fmt, const read_options& opts, frame_job& job) {
    try {
        if (job.view.window) {
            // Straight from the mapped window; the reference is dropped when the frame is parsed,
            // so the window is unmapped as soon as no frame in flight needs it.
            line_source src(name, std::move(job.view.window), job.view.text, job.view.tail, job.first_line);
            job.view = {};
            const std::unique_ptr<frame_parser> p = make_parser(fmt, src, opts);
            const bool ok = p->read(job.f);
            job.f.index = job.index;
            return ok;
        }
        line_source src(name, std::move(job.text), job.first_line);
        const std::unique_ptr<frame_parser> p = make_parser(fmt, src, opts);
        const bool ok = p->read(job.f);
        job.text = src.take_text();
        job.f.index = job.index;
        return ok;
    } catch (...) {
        return false;
    }
}

/// Core of for_each_frame over a reader factory (file or memory).  Reports progress (bytes
/// consumed, counting pass included) after each frame.  With threads > 1 (after resolving 0) and a
/// forward selection of a self-contained format, batches of frames are found by the cheap skip
/// pass, parsed in parallel, and delivered in order; a frame that fails to parse, or a skip pass
/// that fails, switches to sequential reading from that frame, so errors are exactly those of the
/// sequential reader.
template <class MakeReader>
std::size_t for_each_selected(const std::string& name, MakeReader make, const frame_selection& sel,
                              const std::function<void(const materia::frame&)>& fn,
                              const progress_fn& progress = {}, std::uintmax_t total_bytes = 0,
                              const read_options* parallel_opts = nullptr) {
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
        const std::size_t start = static_cast<std::size_t>(sel.start);
        const std::size_t step = static_cast<std::size_t>(sel.step);
        const bool bounded = sel.stop.has_value();
        const std::size_t stop = bounded ? static_cast<std::size_t>(*sel.stop) : 0;
        auto wanted = [&](std::size_t k) { return k >= start && (k - start) % step == 0; };
        // Sequential reading of frames k0, k0+1, … from a reader positioned at frame k0.
        auto sequential = [&](frame_reader& r, std::size_t k0) {
            for (std::size_t k = k0;; ++k) {
                if (bounded && k >= stop) break;
                const bool want = wanted(k);
                if (want ? !r.next(f) : !r.skip()) break;
                report(r, 0);
                if (want) {
                    fn(f);
                    ++delivered;
                }
            }
            total = r.frames_seen();
        };
        frame_reader r = make();
        const int threads = parallel_opts != nullptr ? resolve_threads(parallel_opts->threads) : 1;
        if (threads <= 1 || !parallel_format(r.detected())) {
            sequential(r, 0);
        } else {
            // Pipeline of batches of 2 frames per thread.  While the threads parse batch b (taking
            // frames from a shared counter), thread 0 first runs the skip pass over batch b+1,
            // handing out the frames' text (views of the mapped file, or copies), then joins the
            // parsing.  fn then sees the frames of batch b in order, on the calling thread.
            // (Batches of 4 or 8 frames per thread were slower: +3 % / +10 % CPU time, +1 % / +6 %
            // wall time; more frame slots and mapped windows to touch.)
            const std::size_t batch = static_cast<std::size_t>(2 * threads);
            std::vector<frame_job> cur(batch), nxt(batch);
            std::size_t k = 0;                       // next frame of the file for the skip pass
            std::optional<std::size_t> stopped_at;   // the skip pass failed at this frame
            bool end = false;
            // Capture the next up-to-`batch` selected frames into jobs (fewer once their text
            // passes max_batch_bytes: memory stays bounded for huge frames); returns how many.
            constexpr std::size_t max_batch_bytes = std::size_t{256} << 20;
            auto capture = [&](std::vector<frame_job>& jobs) {
                std::size_t nb = 0, bytes = 0;
                try {
                    while (!end && nb < batch && bytes < max_batch_bytes) {
                        if (bounded && k >= stop) {
                            end = true;
                        } else if (!wanted(k)) {
                            if (r.skip()) ++k;
                            else end = true;
                        } else if (r.capture(jobs[nb].text, jobs[nb].view, jobs[nb].first_line)) {
                            bytes += jobs[nb].view.window ? jobs[nb].view.text.size() : jobs[nb].text.size();
                            jobs[nb++].index = k++;
                        } else {
                            end = true;
                        }
                    }
                } catch (const std::exception&) {
                    stopped_at = k;  // the sequential reader reports this frame's error its own way
                    end = true;
                }
                return nb;
            };
            const read_options& o = *parallel_opts;
            const format fmt = r.detected();
            std::optional<std::size_t> failed;  // a frame that did not parse
            std::size_t n_cur = capture(cur);
            while (n_cur > 0) {
                std::size_t n_nxt = 0;
                std::atomic<std::size_t> next_job{0};
                parallel_chunks(static_cast<std::size_t>(threads), threads, [&](int t, std::size_t, std::size_t) {
                    if (t == 0) n_nxt = capture(nxt);
                    for (std::size_t i = next_job++; i < n_cur; i = next_job++)
                        cur[i].ok = parse_frame_text(name, fmt, o, cur[i]);
                });
                for (std::size_t i = 0; i < n_cur && !failed; ++i) {
                    if (!cur[i].ok) {
                        failed = cur[i].index;
                        break;
                    }
                    report(r, 0);
                    fn(cur[i].f);
                    ++delivered;
                }
                if (failed) break;
                std::swap(cur, nxt);
                n_cur = n_nxt;
            }
            const std::optional<std::size_t> resume = failed ? failed : stopped_at;
            if (resume) {
                // Read on sequentially from that frame: its error (or its frames) come exactly as
                // without threads.
                frame_reader again = make();
                for (std::size_t i = 0; i < *resume; ++i)
                    if (!again.skip()) throw_invalid("for_each_frame: '", name, "' changed while being read");
                sequential(again, *resume);
            } else {
                total = k;
            }
        }
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
    return detail::for_each_selected(path, [&] { return frame_reader(path, opts); }, sel, fn, {}, 0, &opts);
}

/// As above, calling progress(bytes_done, bytes_total) after every frame read or skipped (for a
/// progress bar on long trajectories; the counting pass of negative selections counts as half).
inline std::size_t for_each_frame(const std::string& path, const read_options& opts, const frame_selection& sel,
                                  const std::function<void(const materia::frame&)>& fn,
                                  const std::function<void(std::uintmax_t, std::uintmax_t)>& progress) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    return detail::for_each_selected(path, [&] { return frame_reader(path, opts); }, sel, fn, progress,
                                     ec ? 0 : size, &opts);
}

/// All selected frames of a file, in memory (for small files; stream large ones with for_each_frame).
[[nodiscard]] inline std::vector<materia::frame> read_frames(const std::string& path, const read_options& opts = {},
                                                             const frame_selection& sel = {}) {
    std::vector<materia::frame> out;
    for_each_frame(path, opts, sel, [&](const materia::frame& f) { out.push_back(f); });
    return out;
}

}  // namespace materia::io
