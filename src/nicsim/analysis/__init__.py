"""Analyses on the model: virtual populations, in-silico trials, sensitivity analysis,
batch runs and the stress-skin loop's steady states (calibration:
nicsim.experiments.calibration)."""
