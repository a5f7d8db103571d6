// materia/phase/grand_potential.hpp — grand-potential phase diagram: the system open to one or
// more elements held at fixed chemical potentials (pymatgen GrandPotentialPhaseDiagram).
//
// Entry points:
//   materia::phase::grand_potential_diagram g(entries, {{"O", -5.0}}, options)
//   g.diagram()                 phase_diagram over the closed elements
//   g.source(j)                 index in `entries` of diagram entry j
//   g.formation_energy_per_formula(j)   e_form × closed atoms of the stored formula (pymatgen's
//                               get_form_energy of a GrandPotPDEntry)
//
// Physics (Ong et al., Chem. Mater. 20, 1798 (2008)): with element X exchanged with a reservoir at
// μ_X, the relevant potential is Φ = E − μ_X N_X; compositions and "atoms" count only the closed
// elements, so an entry of total energy E with N_X atoms of X and N_c other atoms has grand
// energy per atom (E − μ_X N_X) / N_c.  Entries made only of open elements drop out.  The
// elemental references become the lowest grand energy per atom among entries whose closed part
// is one element (e.g. Li2O2 for Li at μ_O = −5 eV).
#pragma once

#include <materia/core/error.hpp>
#include <materia/phase/composition.hpp>
#include <materia/phase/phase_diagram.hpp>

#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace materia::phase {

/// A phase diagram at fixed chemical potentials of the open elements.
class grand_potential_diagram {
public:
    /// \param entries  phases with energies per atom (eV/atom)
    /// \param open     (symbol, μ in eV/atom, absolute) of each open element
    /// \throws materia::invalid_argument for an unknown open element, a non-finite μ, or when no
    /// entry has a closed element (and the errors of phase_diagram, e.g. a missing reference).
    grand_potential_diagram(const std::vector<entry>& entries, const std::vector<std::pair<std::string, double>>& open,
                            hull_options options = {}) {
        std::vector<std::pair<int, double>> mu;
        for (const auto& [sym, v] : open) {
            const int z = element_number(sym);
            if (z == 0) throw_invalid("grand_potential_diagram: unknown open element '", sym, "'");
            if (!std::isfinite(v)) throw_invalid("grand_potential_diagram: μ of ", sym, " must be finite (got ", v, ")");
            mu.emplace_back(z, v);
        }
        std::vector<entry> closed;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const auto& e = entries[i];
            double total = e.energy_per_atom * e.comp.total();
            composition c;
            for (const auto& t : e.comp.terms()) {
                bool is_open = false;
                for (const auto& [z, v] : mu)
                    if (t.z == z) {
                        total -= v * t.amount;
                        is_open = true;
                    }
                if (!is_open) c.add(t.z, t.amount);
            }
            if (c.empty()) continue;
            m_atoms.push_back(c.total());
            m_source.push_back(i);
            const double n = c.total();
            closed.push_back({e.name, std::move(c), total / n});
        }
        if (closed.empty()) throw_invalid("grand_potential_diagram: no entry contains a closed element");
        m_pd = std::make_unique<phase_diagram>(closed, std::move(options));
    }

    [[nodiscard]] const phase_diagram& diagram() const noexcept { return *m_pd; }
    /// Index in the input entries of diagram entry j.
    [[nodiscard]] std::size_t source(std::size_t j) const { return m_source.at(j); }
    /// Closed-element atoms of diagram entry j's stored formula.
    [[nodiscard]] double closed_atoms(std::size_t j) const { return m_atoms.at(j); }
    /// Grand formation energy per stored formula unit (eV): e_form(j) × closed_atoms(j).
    [[nodiscard]] double formation_energy_per_formula(std::size_t j) const {
        return m_pd->formation_energy(j) * m_atoms.at(j);
    }

private:
    std::unique_ptr<phase_diagram> m_pd;
    std::vector<std::size_t> m_source;
    std::vector<double> m_atoms;
};

}  // namespace materia::phase
