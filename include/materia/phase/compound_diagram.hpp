// materia/phase/compound_diagram.hpp — phase diagram between compounds instead of elements, e.g.
// the Li2O–Fe2O3 pseudo-binary (pymatgen CompoundPhaseDiagram with normalised terminals).
//
// Entry points:
//   materia::phase::compound_diagram cd(entries, {parse_formula("Li2O"), parse_formula("Fe2O3")})
//   cd.diagram()                 phase_diagram whose components are the terminals (labelled by
//                                placeholder atomic numbers 1, 2, … = H, He, …: use terminal(k))
//   cd.source(j), cd.amounts(j)  input entry and its terminal amounts (atoms of each terminal)
//   cd.formation_energy_per_formula(j)   e_form × atoms of the stored formula
//
// Each entry composition c (atoms of each element) is written as c = Σ_k a_k t_k with t_k the
// terminals' atomic fractions (least squares); entries that are not such a combination (residual
// above 1e-8 per atom) or need an amount below −1e-5 (pymatgen's amount_tol) are left out.  With
// normalised terminals Σ a_k equals the entry's atom count, so energies per atom are unchanged and
// the compound diagram is the element diagram restricted to the terminals' span.
#pragma once

#include <materia/core/error.hpp>
#include <materia/phase/composition.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <vector>

namespace materia::phase {

/// A phase diagram whose components are compounds (2 to 6 terminals).
class compound_diagram {
public:
    /// \throws materia::invalid_argument for fewer than 2 or more than 6 terminals, an empty or
    /// linearly dependent set of terminals, or when a terminal has no entry (missing reference).
    compound_diagram(const std::vector<entry>& entries, const std::vector<composition>& terminals, hull_options options = {})
        : m_terminals(terminals) {
        const std::size_t nt = terminals.size();
        if (nt < 2 || nt > phase_diagram::max_components)
            throw_invalid("compound_diagram: 2 to 6 terminal compositions are needed (got ", nt, ")");
        std::vector<int> zs;
        for (const auto& t : terminals) {
            if (t.empty()) throw_invalid("compound_diagram: empty terminal composition");
            for (const auto& u : t.terms())
                if (std::find(zs.begin(), zs.end(), u.z) == zs.end()) zs.push_back(u.z);
        }
        const auto m = static_cast<Eigen::Index>(zs.size());
        Eigen::MatrixXd tm = Eigen::MatrixXd::Zero(m, static_cast<Eigen::Index>(nt));
        for (std::size_t k = 0; k < nt; ++k)
            for (std::size_t r = 0; r < zs.size(); ++r)
                tm(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(k)) = terminals[k].fraction(zs[r]);
        const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(tm);
        if (qr.rank() < static_cast<Eigen::Index>(nt)) throw_invalid("compound_diagram: the terminal compositions are linearly dependent");
        std::vector<int> labels(nt);
        for (std::size_t k = 0; k < nt; ++k) labels[k] = static_cast<int>(k) + 1;
        std::vector<double> amounts, energies;
        std::vector<std::string> names;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const auto& e = entries[i];
            bool inside = true;
            Eigen::VectorXd c = Eigen::VectorXd::Zero(m);
            for (const auto& u : e.comp.terms()) {
                const auto it = std::find(zs.begin(), zs.end(), u.z);
                if (it == zs.end()) {
                    inside = false;
                    break;
                }
                c(it - zs.begin()) = u.amount;
            }
            if (!inside) continue;
            const double n = e.comp.total();
            const Eigen::VectorXd a = qr.solve(c);
            if ((tm * a - c).cwiseAbs().maxCoeff() > 1e-8 * std::max(1.0, n)) continue;
            std::vector<double> amt(nt);
            for (std::size_t k = 0; k < nt; ++k) {
                const double v = a(static_cast<Eigen::Index>(k));
                if (v < -amount_tol * std::max(1.0, n)) {
                    inside = false;
                    break;
                }
                // Rounding-level amounts are zero, so that a terminal's own entries sit exactly on
                // their corner (the reference detection compares fractions with 1 exactly).
                amt[k] = v > 1e-9 * std::max(1.0, n) ? v : 0.0;
            }
            if (!inside) continue;
            amounts.insert(amounts.end(), amt.begin(), amt.end());
            energies.push_back(e.energy_per_atom);
            names.push_back(e.name);
            m_source.push_back(i);
            m_atoms.push_back(n);
        }
        if (m_source.empty()) throw_invalid("compound_diagram: no entry lies in the span of the terminals");
        m_pd = std::make_unique<phase_diagram>(labels, std::move(amounts), std::move(energies), std::move(names), std::move(options));
    }

    /// pymatgen's CompoundPhaseDiagram.amount_tol.
    static constexpr double amount_tol = 1e-5;

    [[nodiscard]] const phase_diagram& diagram() const noexcept { return *m_pd; }
    [[nodiscard]] const composition& terminal(std::size_t k) const { return m_terminals.at(k); }
    /// Index in the input entries of diagram entry j.
    [[nodiscard]] std::size_t source(std::size_t j) const { return m_source.at(j); }
    /// Atoms of the stored formula of diagram entry j.
    [[nodiscard]] double atoms(std::size_t j) const { return m_atoms.at(j); }
    /// Formation energy from the terminals per stored formula unit (eV).
    [[nodiscard]] double formation_energy_per_formula(std::size_t j) const { return m_pd->formation_energy(j) * m_atoms.at(j); }

private:
    std::vector<composition> m_terminals;
    std::unique_ptr<phase_diagram> m_pd;
    std::vector<std::size_t> m_source;
    std::vector<double> m_atoms;
};

}  // namespace materia::phase
