"""Exporters and output: SBML and PEtab export, parameter tables, network diagrams and safe
result writing (atomic files, output folders with a manifest)."""
