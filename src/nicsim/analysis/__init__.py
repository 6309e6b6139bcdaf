"""Analyses on the model: calibration, virtual populations, in-silico trials, sensitivity analysis,
batch runs and the stress-skin loop's steady states."""
