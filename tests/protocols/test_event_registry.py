"""The event registry agrees with the default model: every declared input is an exogenous
input of the default model, read by the modules the event names; every exogenous input of the
model has a declaring event; every jump target is a state of the model."""

from __future__ import annotations

import pytest

from nicsim._default import default_model
from nicsim.model import build_network
from nicsim.protocols.events import EVENT_CLASSES, KNOWN_INPUTS


@pytest.fixture(scope="module")
def network():
    return build_network()


def _readers(network) -> dict[str, set[str]]:
    """exogenous input name -> the modules reading it."""
    out: dict[str, set[str]] = {}
    for m in network.modules.values():
        for i in m.inputs.values():
            if i.exogenous:
                out.setdefault(i.name, set()).add(m.name)
    return out


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.model_fields["type"].default)
def test_declared_inputs_are_read_by_their_declared_modules(cls, network):
    readers = _readers(network)
    for inp in cls.inputs:
        assert inp.name in readers, f"{cls.__name__}: no module reads input {inp.name!r}"
        assert set(inp.readers) == readers[inp.name], (
            f"{cls.__name__}: input {inp.name!r} declares readers {sorted(inp.readers)}, "
            f"the default model's are {sorted(readers[inp.name])}")


def test_every_exogenous_input_has_a_declaring_event(network):
    missing = set(network.exogenous_inputs()) - set(KNOWN_INPUTS)
    assert not missing, f"exogenous inputs no event declares: {sorted(missing)}"


@pytest.mark.parametrize("cls", [c for c in EVENT_CLASSES if c.jump_targets],
                         ids=lambda c: c.model_fields["type"].default)
def test_jump_targets_are_states_of_the_model(cls):
    states = set(default_model().state_ids)
    for target in cls.jump_targets:
        assert target in states, f"{cls.__name__}: jump target {target!r} is not a state"
