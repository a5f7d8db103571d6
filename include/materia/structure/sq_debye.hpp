// materia/structure/sq_debye.hpp — the Debye scattering equation for finite (non-periodic) clusters,
// exact and histogram-accelerated with a rigorous error bound.
//
// Entry points: materia::debye_params, materia::debye_sq(points, species, q, params) → debye_result
// (pair sums per species pair; intensity(), s_debye(), s_faber_ziman(), partials(), s_error_bound()).
//
// Formulas (SCIENCE.md §2.1; Debye, Ann. Phys. 351, 809 (1915)):
//   I(q) = Σ_i Σ_j f_i f_j sin(q r_ij)/(q r_ij) = Σ_a N_a f_a² + Σ_ab f_a f_b P_ab(q),
//   P_ab(q) = Σ_{i∈a, j∈b, i≠j} sinc(q r_ij)   (ordered pairs; the self terms i = j are the N_a f_a²);
//   S_Debye = I/(N⟨f²⟩) (what ASE XrDebye normalises to),  S_FZ = [I/N − (⟨f²⟩ − ⟨f⟩²)]/⟨f⟩²,
//   FZ partials S_ab = 1 + N P_ab/(N_a N_b), so S_FZ = Σ_ab w_ab S_ab.
// Raw Cartesian distances: NO periodic images (a periodic cell would need the direct method,
// <materia/structure/sq_direct.hpp>); the forward peak I(0) = (Σ f)² is kept.
//
// Histogram acceleration (debyer / DebyeCalculator idea, improved): distances go into bins of width Δr
// with, per bin, the count n, Σδ and Σδ² of the offsets δ = r − r_c from the bin centre r_c; each bin
// then contributes the second-order Taylor expansion
//   n sinc(q r_c) + q sinc'(q r_c) Σδ + ½ q² sinc''(q r_c) Σδ².
// Since |d³/dx³ sinc| ≤ 1/4 (sinc⁽ⁿ⁾(x) = ∫_0^1 tⁿ cos⁽ⁿ⁾(xt) dt) and |δ| ≤ Δr/2, the error per
// ordered pair is at most q³Δr³/192: |ΔP_ab(q)| ≤ n_ab q³Δr³/192 (error_bound_per_pair), e.g.
// 2.6e-7 per pair at q = 25 Å⁻¹, Δr = 1e-3 Å.  s_error_bound() propagates it to S.
#pragma once

#include <materia/core/error.hpp>
#include <materia/core/parallel.hpp>
#include <materia/core/points.hpp>
#include <materia/core/species.hpp>
#include <materia/structure/sq_partials.hpp>
#include <materia/structure/sq_weights.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace materia {

/// Parameters of debye_sq.
struct debye_params {
    double bin_width = 1e-3;  ///< Δr (Å) of the distance histogram; 0 = exact double sum (O(N² n_q))
    int threads = 0;          ///< worker threads (0 = all)
};

/// Pair sums of the Debye equation and everything derived from them.
struct debye_result {
    std::vector<std::string> species;           ///< sorted species names
    std::vector<double> counts;                 ///< N_a
    std::vector<double> q;                      ///< Å⁻¹
    std::vector<std::vector<double>> pair_sums; ///< P_ab [pair_index(a,b)][iq], ordered-pair convention
    std::vector<double> pair_counts;            ///< number of ordered pairs (i∈a, j∈b, i≠j) per unordered (a,b)
    double bin_width = 0;                       ///< Δr used (0 = exact)
    std::vector<double> error_bound_per_pair;   ///< [iq] bound on the error of one pair term (0 if exact)

    [[nodiscard]] std::size_t n_species() const noexcept { return species.size(); }
    [[nodiscard]] double n_atoms() const noexcept {
        double n = 0;
        for (double x : counts) n += x;
        return n;
    }
    [[nodiscard]] std::size_t pair_index(std::size_t a, std::size_t b) const noexcept {
        if (a > b) std::swap(a, b);
        return a * species.size() - a * (a + 1) / 2 + b;
    }

    /// I(q) with per-species factors from `weighting` (X-ray f0 re-evaluated at every q).
    [[nodiscard]] std::vector<double> intensity(sq_weighting weighting = sq_weighting::number) const {
        std::vector<double> out(q.size());
        for (std::size_t k = 0; k < q.size(); ++k) out[k] = intensity_at(k, scattering_factors(weighting, species, q[k]));
        return out;
    }
    /// I(q) with fixed per-species factors f_a (e.g. f = Z, as ASE XrDebye with method=None).
    /// \throws materia::invalid_argument when f has the wrong size.
    [[nodiscard]] std::vector<double> intensity(const std::vector<double>& f) const {
        if (f.size() != species.size())
            throw_invalid("debye_result::intensity: ", f.size(), " factors for ", species.size(), " species");
        std::vector<double> out(q.size());
        for (std::size_t k = 0; k < q.size(); ++k) out[k] = intensity_at(k, f);
        return out;
    }
    /// S_Debye(q) = I/(N⟨f²⟩) (→ 1 at large q; ASE XrDebye normalisation).
    [[nodiscard]] std::vector<double> s_debye(sq_weighting weighting = sq_weighting::number) const {
        std::vector<double> out(q.size());
        for (std::size_t k = 0; k < q.size(); ++k) {
            const auto f = scattering_factors(weighting, species, q[k]);
            double f2 = 0;
            for (std::size_t a = 0; a < f.size(); ++a) f2 += counts[a] * f[a] * f[a];
            out[k] = intensity_at(k, f) / f2;
        }
        return out;
    }
    /// S_FZ(q) = [I/N − (⟨f²⟩ − ⟨f⟩²)]/⟨f⟩² (→ 1 at large q).
    /// \throws materia::domain_error when ⟨f⟩ = 0.
    [[nodiscard]] std::vector<double> s_faber_ziman(sq_weighting weighting = sq_weighting::number) const {
        std::vector<double> out(q.size());
        const double n = n_atoms();
        for (std::size_t k = 0; k < q.size(); ++k) {
            const auto f = scattering_factors(weighting, species, q[k]);
            double f1 = 0, f2 = 0;
            for (std::size_t a = 0; a < f.size(); ++a) {
                f1 += counts[a] * f[a] / n;
                f2 += counts[a] * f[a] * f[a] / n;
            }
            if (!(std::abs(f1) > 0)) throw_domain("debye_result::s_faber_ziman: <f> is zero at q = ", q[k]);
            out[k] = (intensity_at(k, f) / n - (f2 - f1 * f1)) / (f1 * f1);
        }
        return out;
    }
    /// Faber–Ziman partials S_ab = 1 + N P_ab/(N_a N_b).
    [[nodiscard]] sq_partials partials() const {
        sq_partials p;
        p.species = species;
        p.q = q;
        const double n = n_atoms();
        for (double x : counts) p.concentration.push_back(x / n);
        p.s.resize(pair_sums.size());
        for (std::size_t a = 0; a < n_species(); ++a)
            for (std::size_t b = a; b < n_species(); ++b) {
                const std::size_t pi = pair_index(a, b);
                const double norm = n / (counts[a] * counts[b]);
                for (double x : pair_sums[pi]) p.s[pi].push_back(1.0 + x * norm);
            }
        return p;
    }
    /// Bound on |S_Debye(histogram) − S_Debye(exact)|: Σ_ab |f_a f_b| n_ab ε(q) / (N⟨f²⟩), with
    /// ε(q) = q³Δr³/192 (0 for the exact method).
    [[nodiscard]] std::vector<double> s_error_bound(sq_weighting weighting = sq_weighting::number) const {
        std::vector<double> out(q.size(), 0.0);
        for (std::size_t k = 0; k < q.size(); ++k) {
            const auto f = scattering_factors(weighting, species, q[k]);
            double f2 = 0, e = 0;
            for (std::size_t a = 0; a < f.size(); ++a) {
                f2 += counts[a] * f[a] * f[a];
                for (std::size_t b = a; b < f.size(); ++b)
                    e += (a == b ? 1.0 : 2.0) * std::abs(f[a] * f[b]) * pair_counts[pair_index(a, b)];
            }
            out[k] = e * error_bound_per_pair[k] / f2;
        }
        return out;
    }

private:
    [[nodiscard]] double intensity_at(std::size_t k, const std::vector<double>& f) const {
        double i = 0;
        for (std::size_t a = 0; a < f.size(); ++a) {
            i += counts[a] * f[a] * f[a];
            for (std::size_t b = a; b < f.size(); ++b)
                i += (a == b ? 1.0 : 2.0) * f[a] * f[b] * pair_sums[pair_index(a, b)][k];
        }
        return i;
    }
};

namespace detail {

/// sinc, sinc′ and sinc″ at x ≥ 0 (series below 0.05, where the closed forms cancel).
struct sinc_derivs {
    double s, d1, d2;
};
[[nodiscard]] inline sinc_derivs sinc_with_derivatives(double x) noexcept {
    if (x < 0.05) {
        const double x2 = x * x;
        return {1.0 - x2 / 6.0 + x2 * x2 / 120.0, -x / 3.0 + x * x2 / 30.0 - x * x2 * x2 / 840.0,
                -1.0 / 3.0 + x2 / 10.0 - x2 * x2 / 168.0};
    }
    const double sn = std::sin(x), cs = std::cos(x), inv = 1.0 / x;
    const double s = sn * inv;
    const double d1 = (cs - s) * inv;                                // (x cos x − sin x)/x²
    const double d2 = ((2.0 - x * x) * sn - 2.0 * x * cs) * inv * inv * inv;
    return {s, d1, d2};
}

/// Row pairs (t, n−1−t) balance the triangular loop j > i across chunks.
template <class Fn>
void for_balanced_rows(std::size_t n, std::size_t t0, std::size_t t1, Fn&& fn) {
    for (std::size_t t = t0; t < t1; ++t) {
        fn(t);
        const std::size_t other = n - 1 - t;
        if (other != t) fn(other);
    }
}

}  // namespace detail

/// Debye-equation pair sums for a finite cluster.
/// \param points   Cartesian positions (Å), raw (no periodic images)
/// \param species  one species per point
/// \param q        scattering vector magnitudes (Å⁻¹), ≥ 0
/// \throws materia::invalid_argument for size mismatch, no atoms, negative/non-finite q or positions,
///         negative bin width, or a histogram that would need more than 5e8 bins.
template <point_set P>
[[nodiscard]] debye_result debye_sq(const P& points, const species_list& species, std::span<const double> q,
                                    const debye_params& params = {}) {
    const auto pts = as_points(points);
    const std::size_t n = pts.size();
    if (species.size() != n) throw_invalid("debye_sq: ", n, " positions but ", species.size(), " species entries");
    if (n == 0) throw_invalid("debye_sq: need at least 1 atom (got 0)");
    if (!(params.bin_width >= 0) || !std::isfinite(params.bin_width))
        throw_invalid("debye_sq: bin_width must be >= 0 (got ", params.bin_width, ")");
    for (double x : q)
        if (!(x >= 0) || !std::isfinite(x)) throw_invalid("debye_sq: q values must be finite and >= 0 (got ", x, ")");
    const std::size_t ns = species.n_species(), np = ns * (ns + 1) / 2, nq = q.size();

    debye_result res;
    res.species = species.names();
    res.q.assign(q.begin(), q.end());
    res.counts.assign(ns, 0.0);
    std::vector<double> x(n), y(n), z(n);
    std::vector<std::uint32_t> sp(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto p = pts.point(i);
        if (!std::isfinite(p[0]) || !std::isfinite(p[1]) || !std::isfinite(p[2]))
            throw_invalid("debye_sq: position of atom ", i, " is not finite");
        x[i] = p[0];
        y[i] = p[1];
        z[i] = p[2];
        sp[i] = species[i];
        res.counts[sp[i]] += 1.0;
    }
    std::vector<std::uint32_t> pidx(ns * ns);
    for (std::size_t a = 0; a < ns; ++a)
        for (std::size_t b = 0; b < ns; ++b) pidx[a * ns + b] = static_cast<std::uint32_t>(res.pair_index(a, b));
    res.pair_counts.assign(np, 0.0);
    for (std::size_t a = 0; a < ns; ++a)
        for (std::size_t b = a; b < ns; ++b)
            res.pair_counts[res.pair_index(a, b)] = a == b ? res.counts[a] * (res.counts[a] - 1) : res.counts[a] * res.counts[b];
    res.pair_sums.assign(np, std::vector<double>(nq, 0.0));
    res.bin_width = params.bin_width;
    res.error_bound_per_pair.assign(nq, 0.0);

    const int nt = chunk_count(resolve_threads(params.threads));
    const std::size_t rows = (n + 1) / 2;

    if (params.bin_width == 0) {
        // exact double sum over unordered pairs
        std::vector<std::vector<double>> local(static_cast<std::size_t>(nt));
        parallel_chunks(rows, nt, [&](int t, std::size_t t0, std::size_t t1) {
            auto& acc = local[static_cast<std::size_t>(t)];
            acc.assign(np * nq, 0.0);
            detail::for_balanced_rows(n, t0, t1, [&](std::size_t i) {
                for (std::size_t j = i + 1; j < n; ++j) {
                    const double dx = x[j] - x[i], dy = y[j] - y[i], dz = z[j] - z[i];
                    const double r = std::sqrt(dx * dx + dy * dy + dz * dz);
                    double* row = acc.data() + static_cast<std::size_t>(pidx[sp[i] * ns + sp[j]]) * nq;
                    for (std::size_t k = 0; k < nq; ++k) {
                        const double u = q[k] * r;
                        row[k] += u < 1e-8 ? 1.0 : std::sin(u) / u;
                    }
                }
            });
        });
        for (const auto& acc : local)
            for (std::size_t p = 0; p < np; ++p)
                for (std::size_t k = 0; k < nq; ++k) res.pair_sums[p][k] += acc[p * nq + k];
    } else {
        // Spatially sorted copy (lexicographic order of 4 Å grid cells): consecutive j then have
        // similar distances from i, so the histogram updates stay in cache.  Distances do not
        // depend on the order.
        const auto [x0, x1] = std::minmax_element(x.begin(), x.end());
        const auto [y0, y1] = std::minmax_element(y.begin(), y.end());
        const auto [z0, z1] = std::minmax_element(z.begin(), z.end());
        const double xl = *x0, yl = *y0, zl = *z0;
        const double diag = std::sqrt((*x1 - xl) * (*x1 - xl) + (*y1 - yl) * (*y1 - yl) + (*z1 - zl) * (*z1 - zl));
        {
            const double cs = 4.0;
            const auto ny = static_cast<std::uint64_t>((*y1 - yl) / cs) + 1, nz = static_cast<std::uint64_t>((*z1 - zl) / cs) + 1;
            std::vector<std::pair<std::uint64_t, std::size_t>> key(n);
            for (std::size_t i = 0; i < n; ++i) {
                const auto ix = static_cast<std::uint64_t>((x[i] - xl) / cs), iy = static_cast<std::uint64_t>((y[i] - yl) / cs),
                           iz = static_cast<std::uint64_t>((z[i] - zl) / cs);
                // species first: for a row i the partners of each species are one contiguous range
                key[i] = {((static_cast<std::uint64_t>(sp[i]) * (static_cast<std::uint64_t>((*x1 - xl) / cs) + 1) + ix) * ny + iy) * nz + iz,
                          i};
            }
            std::sort(key.begin(), key.end());
            std::vector<double> xs(n), ys(n), zs(n);
            std::vector<std::uint32_t> ss(n);
            for (std::size_t k = 0; k < n; ++k) {
                const std::size_t i = key[k].second;
                xs[k] = x[i];
                ys[k] = y[i];
                zs[k] = z[i];
                ss[k] = sp[i];
            }
            x.swap(xs);
            y.swap(ys);
            z.swap(zs);
            sp.swap(ss);
        }
        std::vector<std::size_t> seg(ns + 1, 0);  // atoms of species a: [seg[a], seg[a+1])
        for (std::size_t i = 0; i < n; ++i) ++seg[sp[i] + 1];
        for (std::size_t a = 0; a < ns; ++a) seg[a + 1] += seg[a];
        const double dr = params.bin_width, inv = 1.0 / dr;
        const double nbd = std::floor(diag * inv) + 2.0;
        if (nbd * static_cast<double>(np) > 5e8)
            throw_invalid("debye_sq: the distance histogram would need ", nbd, " bins per pair; increase bin_width (got ",
                          dr, ")");
        const auto nb = static_cast<std::size_t>(nbd);
        // layout [pair][bin][n, Σδ, Σδ²]: nearby distances of one pair type share cache lines
        const std::size_t pstride = 3 * nb;
        std::vector<std::vector<double>> local(static_cast<std::size_t>(nt));
        parallel_chunks(rows, nt, [&](int t, std::size_t t0, std::size_t t1) {
            auto& h = local[static_cast<std::size_t>(t)];
            h.assign(np * pstride, 0.0);
            double* hp = h.data();
            std::vector<double> d(n);
            detail::for_balanced_rows(n, t0, t1, [&](std::size_t i) {
                const double xi = x[i], yi = y[i], zi = z[i];
                const std::size_t m = n - i - 1;
                const double* xp = x.data() + i + 1;
                const double* yp = y.data() + i + 1;
                const double* zp = z.data() + i + 1;
                double* dp = d.data();
                for (std::size_t j = 0; j < m; ++j) {  // vectorisable distance pass
                    const double dx = xp[j] - xi, dy = yp[j] - yi, dz = zp[j] - zi;
                    dp[j] = std::sqrt(dx * dx + dy * dy + dz * dz);
                }
                const std::uint32_t* row = pidx.data() + sp[i] * ns;
                for (std::size_t b_sp = 0; b_sp < ns; ++b_sp) {
                    const std::size_t j0 = std::max(seg[b_sp], i + 1), j1 = seg[b_sp + 1];
                    if (j0 >= j1) continue;
                    double* hb = hp + static_cast<std::size_t>(row[b_sp]) * pstride;
                    const double* dj = d.data() + (j0 - i - 1);
                    for (std::size_t j = 0; j < j1 - j0; ++j) {
                        const double r = dj[j];
                        auto b = static_cast<std::size_t>(r * inv);
                        if (b >= nb) b = nb - 1;
                        const double delta = r - (static_cast<double>(b) + 0.5) * dr;
                        double* cell = hb + 3 * b;
                        cell[0] += 1.0;  // exact: counts stay far below 2^53
                        cell[1] += delta;
                        cell[2] += delta * delta;
                    }
                }
            });
        });
        // merge thread partials in chunk order (deterministic), keep the occupied bin range
        std::vector<double> hist(std::move(local[0]));
        for (std::size_t t = 1; t < local.size(); ++t)
            for (std::size_t k = 0; k < hist.size(); ++k) hist[k] += local[t][k];
        std::size_t b_lo = 0, b_hi = nb;
        auto empty_bin = [&](std::size_t b) {
            for (std::size_t p = 0; p < np; ++p)
                if (hist[p * pstride + 3 * b] != 0.0) return false;
            return true;
        };
        while (b_lo < nb && empty_bin(b_lo)) ++b_lo;
        while (b_hi > b_lo && empty_bin(b_hi - 1)) --b_hi;
        // Evaluate: sin/cos of q r_c by rotation along the bins (re-seeded exactly every 1024
        // bins, so the recurrence error stays ~1e-13), shared by all species pairs.
        parallel_chunks(nq, nt, [&](int, std::size_t k0, std::size_t k1) {
            std::vector<double> acc(np);
            for (std::size_t k = k0; k < k1; ++k) {
                const double qk = q[k];
                std::fill(acc.begin(), acc.end(), 0.0);
                const double ct = std::cos(qk * dr), st = std::sin(qk * dr);
                double sn = 0, cs = 1;
                for (std::size_t b = b_lo; b < b_hi; ++b) {
                    const double rc = (static_cast<double>(b) + 0.5) * dr;
                    const double xq = qk * rc;
                    if (b == b_lo || (b - b_lo) % 1024 == 0) {
                        sn = std::sin(xq);
                        cs = std::cos(xq);
                    } else {
                        const double s2 = sn * ct + cs * st;
                        cs = cs * ct - sn * st;
                        sn = s2;
                    }
                    const double* cell = hist.data() + 3 * b;
                    double f0, f1, f2;  // sinc(x), q sinc′(x), ½ q² sinc″(x)
                    if (xq < 0.05) {
                        const auto sd = detail::sinc_with_derivatives(xq);
                        f0 = sd.s;
                        f1 = qk * sd.d1;
                        f2 = 0.5 * qk * qk * sd.d2;
                    } else {
                        const double ix = 1.0 / xq;
                        f0 = sn * ix;
                        const double d1 = (cs - f0) * ix;
                        const double d2 = ((2.0 - xq * xq) * sn - 2.0 * xq * cs) * ix * ix * ix;
                        f1 = qk * d1;
                        f2 = 0.5 * qk * qk * d2;
                    }
                    for (std::size_t p = 0; p < np; ++p) {
                        const double* c = cell + p * pstride;
                        acc[p] += c[0] * f0 + c[1] * f1 + c[2] * f2;
                    }
                }
                for (std::size_t p = 0; p < np; ++p) res.pair_sums[p][k] = acc[p];
            }
        });
        for (std::size_t k = 0; k < nq; ++k) res.error_bound_per_pair[k] = q[k] * q[k] * q[k] * dr * dr * dr / 192.0;
    }
    // unordered pair sums → ordered convention: a–a pairs appear in both orders
    for (std::size_t a = 0; a < ns; ++a)
        for (double& v : res.pair_sums[res.pair_index(a, a)]) v *= 2.0;
    return res;
}

}  // namespace materia
