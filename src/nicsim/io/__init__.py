"""Exporters and importers (parameter tables now; SBML and PEtab in a later issue)."""
