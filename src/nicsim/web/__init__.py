"""nicsim in a browser: the explorer (no login) and the practitioner clinic.

The app holds no science: it builds scenarios for :func:`nicsim.simulate`, reads the model's
declarations and calls :mod:`nicsim.clinic`. ``nicsim serve`` starts it (see docs/app.md).
"""
