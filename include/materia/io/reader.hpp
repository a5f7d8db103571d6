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
// frames are parsed by T threads and fn receives them in file order on the calling thread.
// Files read through mmap (4 MiB or more): no serial pass at all.  The frames of a trajectory
// usually have near-identical lengths, so a frame's start is guessed (where the last accepted
// frame ended + its length per frame in between); the calling thread and T − 1 worker threads
// take frames from a shared counter as a stream (no batches, no join between them), each reads
// the mapped file around its guess, finds the frame's first line nearest to it (the first line of the
// last frame: the atom count, "ITEM: TIMESTEP") and parses from there; the frame right after the
// last accepted one is read from its exact start.  The calling thread accepts frames in order,
// each only if it starts exactly where the previous one ended (blank lines between them
// allowed); one that does not is read again from that exact end.  fn runs on the calling
// thread outside any parallel region (its own OpenMP work keeps its threads) while the workers
// read ahead, at most 2T frames.
// When guesses keep failing (frames of varying length), and for other input: the skip pass
// finds the frames (and copies the text of those that do not lie in one mapped window of the
// file; the others are parsed straight from the window) while T threads parse them.  Up to 2 × 2T
// frames are in memory, at most 2 × 256 MiB of text (mapped windows of about one frame each).
// Frames, values and error messages are exactly those of T = 1: a frame that does not parse
// from its exact start is read again by the sequential reader (line numbers are counted there).
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

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#if MATERIA_IO_MMAP
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#endif

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

#if MATERIA_IO_MMAP
    /// A reader of a file in format fmt from byte `offset`, the start of a frame found by an earlier
    /// pass (the parallel reader's; the file is shared, mapped in windows).  Line numbers count
    /// from there; frames_seen() too.
    [[nodiscard]] static frame_reader at_offset(const std::string& name, read_options opts, format fmt,
                                                std::shared_ptr<std::FILE> file, std::size_t size,
                                                std::size_t offset) {
        opts.fmt = fmt;
        return frame_reader(std::make_unique<detail::line_source>(name, std::move(file), size,
                                                                  offset,
                                                                  detail::mmap_window_bytes.load()),
                            std::move(opts), fmt);
    }
#endif

private:
    frame_reader(std::unique_ptr<detail::line_source> src, read_options opts)
        : m_opts(std::make_unique<read_options>(std::move(opts))), m_src(std::move(src)) {
        init();
    }
    // Without detection (the text may start mid-file, or hold only blank lines).
    frame_reader(std::unique_ptr<detail::line_source> src, read_options opts, format fmt)
        : m_opts(std::make_unique<read_options>(std::move(opts))), m_src(std::move(src)), m_format(fmt) {
        m_parser = detail::make_parser(m_format, *m_src, *m_opts);
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

#if MATERIA_IO_MMAP
/// Frames read by the parallel reader from a guessed start (and accepted): a statistic for tests.
inline std::atomic<std::size_t> guessed_frames{0};
/// Frames delivered by the stream of guessed frames (at a guessed or an exact start) before any
/// fall-back to the skip pass: a statistic for tests.
inline std::atomic<std::size_t> stream_frames{0};

/// One frame of the parallel reader that guesses where frames start (for_each_selected): a
/// worker reads the file around `guess`, finds the frame's first line near it (the previous
/// frame's first line: an atom count, "ITEM: TIMESTEP"), and reads (or skips) the frame from
/// there.  The calling thread then accepts it only if it starts where the frame before it ended.
struct guessed_job {
    enum class state : unsigned char { no_start, parsed, no_frame, failed };
    std::size_t index = 0;
    bool want = false;               // read (else skip) the frame
    bool exact = false;              // guess is where the frame starts (the previous one ended there)
    std::size_t guess = 0;           // byte offset in the file
    std::size_t basis = 0;           // frames accepted when the guess was made
    std::size_t start = 0, end = 0;  // where the frame was found, and where it ended
    state st = state::failed;
    std::string header;  // exact jobs: the frame's first non-blank line, trimmed
    std::string buffer;  // the text read (storage reused from frame to frame)
    materia::frame f;
};

/// The first non-blank line of a text, trimmed (empty if there is none in it).
[[nodiscard]] inline std::string first_line_of(std::string_view text) {
    while (!text.empty()) {
        const std::size_t e = text.find('\n');
        const std::string_view line = trim(text.substr(0, e));
        if (!line.empty()) return e == std::string_view::npos ? std::string() : std::string(line);
        if (e == std::string_view::npos) break;
        text.remove_prefix(e + 1);
    }
    return {};
}

/// Run one guessed_job (on a worker thread) over the mapping of the whole file (`base`, `size`
/// bytes, kept mapped by `mapping`).  length: bytes of the last frame read (0: none yet); header:
/// its first line.  Never throws: a frame that does not parse is `failed` (an exact one is then
/// read again sequentially, which words the error with its line number).
inline void run_guessed_job(const std::string& name, format fmt, const read_options& opts,
                            const std::shared_ptr<void>& mapping, const char* base, std::size_t size,
                            std::string_view header, std::size_t length, guessed_job& job) {
    using state = guessed_job::state;
    try {
        // Frames of equal atom counts differ by a few hundred bytes (digits of the numbers).
        const std::size_t radius = job.exact ? 0 : std::clamp<std::size_t>(length / 32, 16384, 262144);
        const std::size_t from = std::min(job.guess > radius ? job.guess - radius : 0, size);
        // The text from `from` to the end of the file (it ends there: the source knows where the
        // file ends); offsets in the source are relative to `from`.
        line_source src(name, mapping, std::string_view(base + from, size - from), 0, 0);
        if (!job.exact && !src.seek_line(header, job.guess - from, radius, from == 0 || base[from - 1] == '\n')) {
            job.st = state::no_start;
            return;
        }
        job.start = from + src.bytes_read();
        if (job.exact) job.header = first_line_of(src.head());
        const std::unique_ptr<frame_parser> p = make_parser(fmt, src, opts);
        const bool ok = job.want ? p->read(job.f) : p->skip();
        job.f.index = job.index;
        job.end = from + src.bytes_read();
        job.st = ok ? state::parsed : state::no_frame;
        // Drop the frame's pages from the mapping (not from the page cache): memory stays
        // bounded, and unmapping them here, in parallel, is cheaper than in one munmap at the end.
        const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        const std::size_t a = (job.start + page - 1) / page * page, b = job.end / page * page;
        if (b > a) ::madvise(const_cast<char*>(base) + a, b - a, MADV_DONTNEED);
    } catch (...) {
        job.st = state::failed;
    }
}

/// The format of a file for the parallel reader, detected from its first `probe` bytes exactly as
/// frame_reader would from its head; auto_detect when that is not certain (then the caller opens
/// a frame_reader, which decides and words any error).
[[nodiscard]] inline format probe_format(const std::string& name, const read_options& opts, std::string_view probe,
                                         bool whole_file) {
    if (is_blank_text(probe)) return format::auto_detect;  // "empty file" or a blank start
    if (opts.fmt != format::auto_detect) return opts.fmt;
    // Content detection looks at the first 8 lines: they must all be in the probe.
    if (!whole_file && std::count(probe.begin(), probe.end(), '\n') < 8) return format::auto_detect;
    return detect_format(name, probe);
}

/// Whether bytes [a, b) of a file are whole blank lines (what a parser skips before a frame).
[[nodiscard]] inline bool blank_between(std::FILE* file, std::size_t a, std::size_t b) {
    if (b <= a || b - a > 65536) return false;
    std::string text(b - a, '\0');
    if (::pread(::fileno(file), text.data(), text.size(), static_cast<off_t>(a)) != static_cast<ssize_t>(text.size()))
        return false;
    return text.back() == '\n' && is_blank_text(text);
}
#endif

/// Core of for_each_frame over a reader factory (file or memory).  Reports progress (bytes
/// consumed, counting pass included) after each frame.  With threads > 1 (after resolving 0) and a
/// forward selection of a self-contained format, batches of frames are parsed in parallel and
/// delivered in order: for map_path (the file itself, 4 MiB or more) at guessed starts, verified
/// (see the file comment), else found by the cheap skip pass; a frame that fails to parse from
/// its exact start, or a skip pass that fails, switches to sequential reading from that frame, so
/// errors are exactly those of the sequential reader.
template <class MakeReader>
std::size_t for_each_selected(const std::string& name, MakeReader make, const frame_selection& sel,
                              const std::function<void(const materia::frame&)>& fn,
                              const progress_fn& progress = {}, std::uintmax_t total_bytes = 0,
                              const read_options* parallel_opts = nullptr, const std::string* map_path = nullptr) {
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
        const int threads = parallel_opts != nullptr ? resolve_threads(parallel_opts->threads) : 1;
        std::optional<frame_reader> r0;  // the reader of the file (not opened when frames are guessed)
        format fmt = format::auto_detect;
        std::shared_ptr<std::FILE> file;  // guessed frames: the file, and its size
        std::size_t size = 0;
#if MATERIA_IO_MMAP
        if (threads > 1 && map_path != nullptr) {
            // Large regular files are parsed at guessed frame starts (below) from one mapping of
            // the whole file; the format is then detected from the first bytes (a frame_reader
            // would map and populate its first 32 MiB window for nothing).
            file = std::shared_ptr<std::FILE>(std::fopen(map_path->c_str(), "rb"), [](std::FILE* q) {
                if (q != nullptr) std::fclose(q);
            });
            struct stat st {};
            if (file && ::fstat(::fileno(file.get()), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
                static_cast<std::size_t>(st.st_size) >= mmap_min_bytes.load()) {
                size = static_cast<std::size_t>(st.st_size);
                std::string probe(std::min<std::size_t>(size, 65536), '\0');
                const ssize_t got = ::pread(::fileno(file.get()), probe.data(), probe.size(), 0);
                if (got == static_cast<ssize_t>(probe.size())) fmt = probe_format(name, *parallel_opts, probe, probe.size() == size);
            }
            if (!parallel_format(fmt)) fmt = format::auto_detect;
        }
#endif
        if (fmt == format::auto_detect) {
            r0.emplace(make());
            fmt = r0->detected();
            size = 0;  // not guessed
        }
        if (threads <= 1 || !parallel_format(fmt)) {
            sequential(*r0, 0);
        } else {
            const read_options& o = *parallel_opts;
            std::size_t k = 0;                      // next frame of the file
            std::optional<std::size_t> resume;      // read on sequentially from this frame
            bool finished = false;                  // the end of the file or of the selection
            std::optional<frame_reader> from_here;  // a reader at frame k, when k > 0
#if MATERIA_IO_MMAP
            void* const mapped = size > 0 ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, ::fileno(file.get()), 0)
                                          : MAP_FAILED;
            if (mapped != MAP_FAILED) {
                // Frames at guessed starts: no serial pass over the file.  One mapping of the whole
                // file, faulted in by the workers as they read (mapping and unmapping a window per
                // frame, or populating it, cost the two threads ~10 % more: page-table work and
                // TLB shootdowns); the workers drop the pages of the frames they parsed, and the
                // rest before the current frame is dropped every 256 MiB, so memory stays bounded
                // for huge files.
                const std::shared_ptr<void> mapping(mapped, [size](void* q) { ::munmap(q, size); });
                const char* const base = static_cast<const char*>(mapped);
                const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
                std::size_t released = 0;  // bytes before this are dropped from the mapping
                {
                    // A stream of frames, not batches: every thread takes the next frame from a
                    // shared counter and reads it into one of `slots` reusable slots (the guess:
                    // where the last accepted frame ended + its length per frame in between);
                    // thread 0, the calling thread, also accepts the parsed frames in file order
                    // and hands them to fn.  (Batches of 2 frames per thread, with a join after
                    // each, left one thread idle for about half a frame at the end of every
                    // batch: 11 % of the samples of a 2-thread read were OpenMP waiting.)
                    const std::size_t slots = static_cast<std::size_t>(2 * threads);
                    std::vector<guessed_job> jobs(slots);
                    std::vector<std::atomic<std::size_t>> ready(slots);  // slot holds frame (value − 1), parsed
                    std::mutex mutex;                 // guards the shared fields below
                    std::condition_variable slot_freed;  // a frame was accepted (or the stream ended)
                    std::size_t next_take = 0;        // shared: the next frame to hand out
                    std::size_t accepted = 0;         // shared: frames accepted (thread 0 writes)
                    std::size_t offset = 0;           // shared: where frame `accepted` starts
                    std::size_t length = 0;           // shared: bytes of the last frame accepted
                    std::string header;               // shared: the first line of the last exact frame
                    std::atomic<bool> quit{false};  // the stream ended: workers return
                    int misses = 0;  // guessed frames in a row that were not where the last one ended
                    std::size_t fresh_after = 0;  // guesses made with `accepted` ≥ this count as misses
                    bool fall_back = false;
                    std::exception_ptr error;  // thrown by fn or progress (rethrown after the team)
                    // Whether a frame can be handed out now (with `mutex` held): not when the
                    // window of slots is full, no frame is accepted yet to guess from, or the
                    // selection ends before it.
                    auto can_take = [&] {
                        const std::size_t j = next_take;
                        return !quit.load(std::memory_order_relaxed) && !(bounded && j >= stop) &&
                               j < accepted + slots && (length != 0 || j == accepted);
                    };
                    // Hand out the next frame: false when there is none to take now.
                    auto take = [&](guessed_job*& job, std::string& hdr, std::size_t& len) {
                        const std::lock_guard<std::mutex> lock(mutex);
                        if (!can_take()) return false;
                        const std::size_t j = next_take;
                        hdr = header;  // (first: if the copy throws, nothing was taken)
                        len = length;
                        ++next_take;
                        job = &jobs[j % slots];
                        job->index = j;
                        job->want = wanted(j);
                        job->exact = j == accepted;  // it starts where the last accepted frame ended
                        job->guess = offset + (j - accepted) * length;
                        job->basis = accepted;
                        return true;
                    };
                    auto parse_one = [&](guessed_job& job, const std::string& hdr, std::size_t len) {
                        run_guessed_job(name, fmt, o, mapping, base, size, hdr, len, job);
                        ready[job.index % slots].store(job.index + 1, std::memory_order_release);
                    };
                    // Thread 0: accept frame `accepted` from its slot; false once the stream ends.
                    auto accept = [&](guessed_job& job) {
                        using state = guessed_job::state;
                        if (!job.exact && !(job.st == state::parsed &&
                                            (job.start == offset || blank_between(file.get(), offset, job.start)))) {
                            // Not where the last frame ended: read it again from there, unless
                            // guesses keep missing (frames of varying length: the skip pass takes
                            // over from here).
                            // A miss counts only if the guess was made after the last counted
                            // miss and the frame after it were accepted: one odd frame (a longer
                            // one) misleads the guesses made from it (its length, its first line).
                            if (job.basis >= fresh_after) {
                                fresh_after = job.index + 2;
                                if (++misses >= 3) {
                                    fall_back = true;
                                    return false;
                                }
                            }
                            job.exact = true;
                            job.guess = offset;
                            run_guessed_job(name, fmt, o, mapping, base, size, header, length, job);
                        } else if (!job.exact) {
                            misses = 0;
                            guessed_frames.fetch_add(1, std::memory_order_relaxed);
                        }
                        if (job.st == state::failed) {  // an error at an exact start
                            resume = job.index;
                            return false;
                        }
                        if (job.st != state::parsed) {  // no frame where the last one ended
                            finished = true;
                            return false;
                        }
                        const std::size_t end = job.end;
                        if (progress) progress(end, total_bytes);
                        stream_frames.fetch_add(1, std::memory_order_relaxed);
                        if (job.want) {
                            fn(job.f);
                            ++delivered;
                        }
                        {
                            const std::lock_guard<std::mutex> lock(mutex);
                            if (job.exact) header = job.header;
                            length = end - offset;
                            offset = end;
                            ++accepted;
                        }
                        slot_freed.notify_all();
                        if (offset - released >= (std::size_t{256} << 20) + length) {
                            // Drop what lies before the last frame (a guess may search a little
                            // before it; a page dropped while read is read again, not lost).
                            const std::size_t upto = (offset - length) / page * page;
                            ::madvise(const_cast<char*>(base) + released, upto - released, MADV_DONTNEED);
                            released = upto;
                        }
                        if (bounded && accepted >= stop) {
                            finished = true;
                            return false;
                        }
                        return true;
                    };
                    // Workers: threads − 1 plain threads (fn runs on this thread outside any
                    // parallel region, so the analyses it calls keep their own OpenMP threads, and
                    // the workers read ahead meanwhile).  A worker with nothing to take (the
                    // window of slots is full) waits a little, then sleeps until a slot is freed.
                    std::exception_ptr worker_error;
                    auto worker = [&] {
                        guessed_job* job = nullptr;
                        std::string hdr;
                        std::size_t len = 0;
                        try {
                            int idle = 0;
                            while (!quit.load(std::memory_order_acquire)) {
                                if (take(job, hdr, len)) {
                                    parse_one(*job, hdr, len);
                                    idle = 0;
                                } else if (++idle < 64) {
                                    std::this_thread::yield();
                                } else {
                                    // (The condition is tested under the lock the acceptance takes:
                                    // no wake-up is lost between a failed take and the wait.)
                                    std::unique_lock<std::mutex> lock(mutex);
                                    slot_freed.wait(lock, [&] { return quit.load(std::memory_order_relaxed) || can_take(); });
                                    idle = 0;
                                }
                            }
                        } catch (...) {  // (only a failed allocation: the frame was not taken)
                            const std::lock_guard<std::mutex> lock(mutex);
                            if (!worker_error) worker_error = std::current_exception();
                        }
                    };
                    std::vector<std::thread> team;
                    try {
                        for (int t = 1; t < threads; ++t) team.emplace_back(worker);
                    } catch (...) {
                        // No more threads: the ones started (or this one alone) read the stream.
                    }
                    try {
                        guessed_job* job = nullptr;
                        std::string hdr;
                        std::size_t len = 0;
                        for (;;) {
                            if (ready[accepted % slots].load(std::memory_order_acquire) == accepted + 1) {
                                if (!accept(jobs[accepted % slots])) break;
                            } else if (take(job, hdr, len)) {
                                parse_one(*job, hdr, len);
                            } else {
                                std::this_thread::yield();  // a worker is reading frame `accepted`
                            }
                        }
                    } catch (...) {
                        error = std::current_exception();
                    }
                    {
                        const std::lock_guard<std::mutex> lock(mutex);
                        quit.store(true, std::memory_order_release);
                    }
                    slot_freed.notify_all();
                    for (std::thread& w : team) w.join();
                    if (!error) error = worker_error;
                    if (error) std::rethrow_exception(error);
                    k = accepted;
                    if (fall_back) {
                        // Guesses keep failing (frames of varying length): the skip pass finds
                        // the frames from here.
                        from_here.emplace(frame_reader::at_offset(name, *parallel_opts, fmt, file, size, offset));
                    }
                }
            }
#endif
            if (!finished && !resume) {
                // Pipeline of batches of 2 frames per thread.  While the threads parse batch b
                // (taking frames from a shared counter), thread 0 first runs the skip pass over
                // batch b+1, handing out the frames' text (views of the mapped file, or copies),
                // then joins the parsing.  fn then sees the frames of batch b in order, on the
                // calling thread.  (Batches of 4 or 8 frames per thread were slower: +3 % / +10 %
                // CPU time, +1 % / +6 % wall time; more frame slots and mapped windows to touch.)
                if (!from_here && !r0) r0.emplace(make());  // the mapping failed
                frame_reader& rr = from_here ? *from_here : *r0;
                const std::size_t batch = static_cast<std::size_t>(2 * threads);
                std::vector<frame_job> cur(batch), nxt(batch);
                std::optional<std::size_t> stopped_at;  // the skip pass failed at this frame
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
                                if (rr.skip()) ++k;
                                else end = true;
                            } else if (rr.capture(jobs[nb].text, jobs[nb].view, jobs[nb].first_line)) {
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
                        report(rr, 0);
                        fn(cur[i].f);
                        ++delivered;
                    }
                    if (failed) break;
                    std::swap(cur, nxt);
                    n_cur = n_nxt;
                }
                resume = failed ? failed : stopped_at;
            }
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
    return detail::for_each_selected(path, [&] { return frame_reader(path, opts); }, sel, fn, {}, 0, &opts, &path);
}

/// As above, calling progress(bytes_done, bytes_total) after every frame read or skipped (for a
/// progress bar on long trajectories; the counting pass of negative selections counts as half).
inline std::size_t for_each_frame(const std::string& path, const read_options& opts, const frame_selection& sel,
                                  const std::function<void(const materia::frame&)>& fn,
                                  const std::function<void(std::uintmax_t, std::uintmax_t)>& progress) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    return detail::for_each_selected(path, [&] { return frame_reader(path, opts); }, sel, fn, progress,
                                     ec ? 0 : size, &opts, &path);
}

/// All selected frames of a file, in memory (for small files; stream large ones with for_each_frame).
[[nodiscard]] inline std::vector<materia::frame> read_frames(const std::string& path, const read_options& opts = {},
                                                             const frame_selection& sel = {}) {
    std::vector<materia::frame> out;
    for_each_frame(path, opts, sel, [&](const materia::frame& f) { out.push_back(f); });
    return out;
}

}  // namespace materia::io
