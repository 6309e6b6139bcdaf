"""nicsim: the neuro-immuno-cutaneous system, quantitatively."""

__version__ = "0.1.0"
