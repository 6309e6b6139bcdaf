"""The modelling language: declarations, sources, units, composition, compilation, lint."""

from nicsim.core.model import Beta, LogNormal, Module, Parameter, State
from nicsim.core.network import Network
from nicsim.core.sources import Assumption, Derived, Fitted, Literature, Source

__all__ = ["Assumption", "Beta", "Derived", "Fitted", "Literature", "LogNormal", "Module",
           "Network", "Parameter", "Source", "State"]
