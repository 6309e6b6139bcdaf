"""Analyses on the model: calibration to validation rows (more in later issues)."""
