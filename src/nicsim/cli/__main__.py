"""``python -m nicsim.cli``: the same as the ``nicsim`` command."""

from nicsim.cli import main

main()
