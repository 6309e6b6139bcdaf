"""Each model file is named by the id of the module it builds (the id prefixes every parameter)."""

from nicsim.model import MODULES


def test_every_model_file_is_named_by_its_module_id():
    wrong = {mod.__name__: mod.build().name for mod in MODULES
             if mod.__name__.rpartition(".")[2] != mod.build().name}
    assert not wrong, f"rename these files to their module id (git mv): {wrong}"


def test_module_ids_are_unique():
    ids = [mod.build().name for mod in MODULES]
    assert len(ids) == len(set(ids)), ids
