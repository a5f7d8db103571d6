// materia/io/frame_selection.hpp — which frames of a trajectory to use, with Python slice meaning.
//
// Entry points: materia::io::frame_selection {start, stop, step}, frame_selection::parse(text)
// ("START:STOP:STEP", "::10", "-1", "5:", …), frame_selection::indices(n_frames),
// frame_selection::needs_count().
//
// Semantics are exactly Python's `frames[start:stop:step]` (slice.indices), with one addition: a
// single integer "K" selects frame K alone (frames[K], negative counts from the end).
#pragma once

#include <materia/core/error.hpp>

#include <charconv>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace materia::io {

/// A slice of frames: start, stop (exclusive, optional = to the end), step (≠ 0).  Negative start
/// and stop count from the end; a negative step walks backwards (start then defaults to the last
/// frame).
struct frame_selection {
    long long start = 0;
    std::optional<long long> stop;
    long long step = 1;
    /// Set by parse() for a slice written with an empty START and a negative STEP ("::-1"), where
    /// Python starts at the last frame rather than at 0.
    bool start_from_end = false;

    /// Parse "START:STOP:STEP" (any part may be empty), "START:STOP", or a single index "K".
    /// \throws materia::invalid_argument naming the text when it is malformed or STEP is 0.
    [[nodiscard]] static frame_selection parse(std::string_view text) {
        frame_selection s;
        auto bad = [&](const char* why) {
            throw_invalid("frame_selection: ", why, " (got '", text,
                          "'; expected START:STOP:STEP with optional integers, e.g. ::10, -1, 5:)");
        };
        auto number = [&](std::string_view t) -> std::optional<long long> {
            while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
            while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
            if (t.empty()) return std::nullopt;
            if (t.front() == '+') t.remove_prefix(1);
            long long v = 0;
            auto r = std::from_chars(t.data(), t.data() + t.size(), v);
            if (r.ec != std::errc() || r.ptr != t.data() + t.size() || t.empty()) bad("not an integer");
            return v;
        };
        std::vector<std::string_view> parts;
        std::size_t p = 0;
        while (true) {
            const std::size_t c = text.find(':', p);
            if (c == std::string_view::npos) {
                parts.push_back(text.substr(p));
                break;
            }
            parts.push_back(text.substr(p, c - p));
            p = c + 1;
        }
        if (parts.size() > 3) bad("too many ':'");
        if (parts.size() == 1) {
            const auto k = number(parts[0]);
            if (!k) bad("empty selection");
            s.start = *k;
            if (*k == std::numeric_limits<long long>::max()) bad("index too large");
            if (*k != -1) s.stop = *k + 1;  // frames[K] alone; K = -1 runs to the end
            return s;
        }
        if (parts.size() == 3) {
            if (const auto st = number(parts[2])) {
                if (*st == 0) bad("STEP must not be 0");
                if (*st == std::numeric_limits<long long>::min()) bad("STEP too large");
                s.step = *st;
            }
        }
        if (const auto a = number(parts[0])) s.start = *a;
        else s.start_from_end = s.step < 0;
        s.stop = number(parts[1]);
        return s;
    }

    /// Whether the number of frames must be known before streaming (negative bounds or step).
    [[nodiscard]] bool needs_count() const noexcept {
        return start < 0 || (stop && *stop < 0) || step < 0 || start_from_end;
    }

    /// The selected frame indices, in delivery order, for a file of n frames (Python's
    /// slice.indices followed by range()).
    /// \throws materia::invalid_argument when step is 0.
    [[nodiscard]] std::vector<std::size_t> indices(std::size_t n) const {
        if (step == 0 || step == std::numeric_limits<long long>::min())
            throw_invalid("frame_selection: step must be a non-zero integer of modest size (got ", step, ")");
        const long long len = static_cast<long long>(n);
        long long lo = 0, hi = 0;
        auto clamp = [&](long long v, long long lower, long long upper) {
            if (v < 0) v += len;
            if (v < lower) v = lower;
            if (v > upper) v = upper;
            return v;
        };
        if (step > 0) {
            lo = clamp(start, 0, len);
            hi = stop ? clamp(*stop, 0, len) : len;
        } else {
            lo = start_from_end ? len - 1 : clamp(start, -1, len - 1);
            hi = stop ? clamp(*stop, -1, len - 1) : -1;
        }
        std::vector<std::size_t> out;
        // Written so that a huge |step| cannot overflow k.
        if (step > 0)
            for (long long k = lo; k < hi; k = (hi - k <= step) ? hi : k + step)
                out.push_back(static_cast<std::size_t>(k));
        else
            for (long long k = lo; k > hi; k = (k - hi <= -step) ? hi : k + step)
                out.push_back(static_cast<std::size_t>(k));
        return out;
    }
};

}  // namespace materia::io
