"""Command line: one module per verb group, each adding its commands with ``register(app)``.

``nicsim simulate`` (:mod:`.simulate`), ``validate`` (:mod:`.validate`), ``demo`` (:mod:`.demo`),
``params | cite | lint`` (:mod:`.model`), ``trial`` (:mod:`.trial`), ``sensitivity | loop``
(:mod:`.sensitivity`), ``calibrate`` (:mod:`.calibrate`), ``serve`` (:mod:`.serve`),
``export sbml | petab`` (:mod:`.export`), ``clinic ...`` and ``diary ...`` (:mod:`.clinic`).
Verbs equal library verbs; errors a user can act on are printed without a traceback (:func:`main`).
"""

from __future__ import annotations

import os
import signal
import sys

import typer

from nicsim._optional import hint_for
from nicsim.cli import (
    calibrate,
    clinic,
    demo,
    export,
    model,
    sensitivity,
    serve,
    simulate,
    trial,
    validate,
)
from nicsim.cli.common import err
from nicsim.errors import NicsimError
from nicsim.io.output import discard_in_flight

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="nicsim: the neuro-immuno-cutaneous system, simulated. Research and "
                       "education model; not a diagnostic tool.")
# the order of `nicsim --help`: commands first (in this order), then the groups
for _group in (trial, sensitivity, calibrate, serve, simulate, validate, demo, model, export,
               clinic):
    _group.register(app)


def main():
    """Entry point: errors a user can act on print one line (exit 2); Ctrl-C prints one line
    and exits 130 (128 + SIGINT, the shell convention) without a traceback."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when ignored (nohup)
        signal.signal(signal.SIGINT, lambda signum, frame: _interrupted())
    try:
        app(standalone_mode=True)
    except NicsimError as e:
        _print_error(str(e))
        sys.exit(2)
    except ImportError as e:  # an optional dependency imported somewhere without a hint

        hint = hint_for(e)
        if hint is None:
            if _caused_by_interrupt(e):
                _interrupted()
            raise
        _print_error(hint)
        sys.exit(2)
    except BaseException as e:  # an interrupt that reached Python code before the handler
        if _caused_by_interrupt(e):
            _interrupted()
        raise


def _print_error(message: str) -> None:
    """``error: <message>`` on stderr; the message is printed verbatim (no rich markup, so
    ``pip install 'nicsim[sbml]'`` keeps its ``[sbml]``) and cut if huge."""
    from rich.text import Text

    err.print(Text.assemble(("error: ", "red"), _short(message)), highlight=False,
              soft_wrap=True)


def _caused_by_interrupt(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 50:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _interrupted():
    """Ctrl-C: one line on stderr, exit 130, at once. Called by the SIGINT handler, so no
    KeyboardInterrupt unwinds through library code (numba's compiler, Dask) that may not
    survive it. Files being written are temporary files (atomic writes): they are removed;
    finished files are complete. Worker processes (a local Dask cluster) are ended."""
    try:
        sys.stdout.flush()
        sys.stderr.write("\ninterrupted (Ctrl-C): stopped; files of the unfinished step were "
                         "not written\n")
        sys.stderr.flush()

        discard_in_flight()
        import multiprocessing

        for child in multiprocessing.active_children():
            child.terminate()
    finally:
        os._exit(130)


def _short(text: str, limit: int = 2000) -> str:
    """An error message cut to ``limit`` characters (a value can be huge)."""
    return text if len(text) <= limit else text[:limit] + f"... ({len(text):,} characters)"


__all__ = ["app", "main"]
